/* Validation and normalization of registry fields: see validate.h. */
#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "date.h"
#include "reasons.h"
#include "validate.h"

/* The rules broken, as codes of reasons.h (the client says them). */
#define NAME_MAX_CHARS	200
#define TEXT_MAX_CHARS	500
/* Input longer than this many bytes per allowed character is refused as too
 * long before it is normalized (NFC never needs that many). */
#define BYTES_PER_CHAR_BOUND	32
#define EMAIL_MAX	254
#define EMAIL_LOCAL_MAX	64
#define DNS_LABEL_MAX	63

/*
 * CCCD province codes (Thông tư 07/2016/TT-BCA, 59/2021/TT-BCA): those of the
 * 63 provinces as they were before the 2025 mergers; numbers issued keep them.
 */
static const struct {
	unsigned short code;
	const char *name;
} provinces[] = {
	{ 1, "Hà Nội" }, { 2, "Hà Giang" }, { 4, "Cao Bằng" }, { 6, "Bắc Kạn" },
	{ 8, "Tuyên Quang" }, { 10, "Lào Cai" }, { 11, "Điện Biên" },
	{ 12, "Lai Châu" }, { 14, "Sơn La" }, { 15, "Yên Bái" }, { 17, "Hòa Bình" },
	{ 19, "Thái Nguyên" }, { 20, "Lạng Sơn" }, { 22, "Quảng Ninh" },
	{ 24, "Bắc Giang" }, { 25, "Phú Thọ" }, { 26, "Vĩnh Phúc" },
	{ 27, "Bắc Ninh" }, { 30, "Hải Dương" }, { 31, "Hải Phòng" },
	{ 33, "Hưng Yên" }, { 34, "Thái Bình" }, { 35, "Hà Nam" },
	{ 36, "Nam Định" }, { 37, "Ninh Bình" }, { 38, "Thanh Hóa" },
	{ 40, "Nghệ An" }, { 42, "Hà Tĩnh" }, { 44, "Quảng Bình" },
	{ 45, "Quảng Trị" }, { 46, "Thừa Thiên Huế" }, { 48, "Đà Nẵng" },
	{ 49, "Quảng Nam" }, { 51, "Quảng Ngãi" }, { 52, "Bình Định" },
	{ 54, "Phú Yên" }, { 56, "Khánh Hòa" }, { 58, "Ninh Thuận" },
	{ 60, "Bình Thuận" }, { 62, "Kon Tum" }, { 64, "Gia Lai" },
	{ 66, "Đắk Lắk" }, { 67, "Đắk Nông" }, { 68, "Lâm Đồng" },
	{ 70, "Bình Phước" }, { 72, "Tây Ninh" }, { 74, "Bình Dương" },
	{ 75, "Đồng Nai" }, { 77, "Bà Rịa - Vũng Tàu" }, { 79, "Hồ Chí Minh" },
	{ 80, "Long An" }, { 82, "Tiền Giang" }, { 83, "Bến Tre" },
	{ 84, "Trà Vinh" }, { 86, "Vĩnh Long" }, { 87, "Đồng Tháp" },
	{ 89, "An Giang" }, { 91, "Kiên Giang" }, { 92, "Cần Thơ" },
	{ 93, "Hậu Giang" }, { 94, "Sóc Trăng" }, { 95, "Bạc Liêu" },
	{ 96, "Cà Mau" },
};

/* Weights of the first nine digits of a tax code. */
static const int tax_weights[9] = { 31, 29, 23, 19, 17, 13, 7, 5, 3 };

enum blanks {
	BLANKS_TRIM,		/* at both ends */
	BLANKS_COLLAPSE,	/* at both ends; inner runs become one space */
	BLANKS_REMOVE,		/* everywhere */
};

static int
invalid(const char **rule, enum khoa_reason_id why)
{
	*rule = khoa_reasons[why].code;
	return -EINVAL;
}

static bool
is_blank(ucs4_t uc)
{
	return uc_is_general_category(uc, UC_SPACE_SEPARATOR);
}

/* Controls (tab and newline too), invisible formatting characters, line and
 * paragraph separators. */
static bool
is_forbidden(ucs4_t uc)
{
	return uc_is_general_category_withtable(uc,
		UC_CATEGORY_MASK_Cc | UC_CATEGORY_MASK_Cf |
		UC_CATEGORY_MASK_Zl | UC_CATEGORY_MASK_Zp);
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/*
 * A malloc'd copy of the LEN bytes of valid UTF-8 at IN, its blanks handled
 * as MODE says; *OUTLEN is its length. NULL on ENOMEM.
 */
static char *
squeeze(const char *in, size_t len, enum blanks mode, size_t *outlen)
{
	const uint8_t *s = (const uint8_t *)in;
	size_t i = 0, o = 0, run = SIZE_MAX;	/* where the current blank run began */
	char *buf = malloc(len + 1);
	if (buf == NULL)
		return NULL;

	while (i < len) {
		ucs4_t uc;
		int n = u8_mbtouc(&uc, s + i, len - i);
		if (is_blank(uc)) {
			if (run == SIZE_MAX)
				run = i;
			i += n;
			continue;
		}
		if (run != SIZE_MAX && o > 0) {
			if (mode == BLANKS_COLLAPSE) {
				buf[o++] = ' ';
			} else if (mode == BLANKS_TRIM) {
				memcpy(buf + o, in + run, i - run);
				o += i - run;
			}
		}
		run = SIZE_MAX;
		memcpy(buf + o, in + i, n);
		o += n;
		i += n;
	}
	buf[o] = '\0';
	*outlen = o;
	return buf;
}

/* IN as a malloc'd string with its blanks handled per MODE: 0, -EILSEQ if it
 * is not UTF-8, -ENOMEM. */
static int
ascii_field(const char *in, enum blanks mode, char **out, size_t *len)
{
	size_t n = strlen(in);
	if (u8_check((const uint8_t *)in, n) != NULL)
		return -EILSEQ;
	*out = squeeze(in, n, mode, len);
	return *out != NULL ? 0 : -ENOMEM;
}

struct line_kind {
	size_t max_chars;
	bool required;
	enum khoa_reason_id rule_required, rule_utf8, rule_control, rule_length;
};

static const struct line_kind name_line = {
	NAME_MAX_CHARS, true,
	KR_NAME_REQUIRED, KR_NAME_UTF8, KR_NAME_CONTROL, KR_NAME_LENGTH,
};

static const struct line_kind text_line = {
	TEXT_MAX_CHARS, false,
	KR_REQUIRED, KR_TEXT_UTF8, KR_TEXT_CONTROL, KR_TEXT_LENGTH,
};

static int
validate_line(const char *in, const struct line_kind *k, char **out, const char **rule)
{
	const uint8_t *s = (const uint8_t *)in;
	size_t len = strlen(in);

	if (u8_check(s, len) != NULL)
		return invalid(rule, k->rule_utf8);
	for (size_t i = 0; i < len; ) {
		ucs4_t uc;
		i += u8_mbtouc(&uc, s + i, len - i);
		if (is_forbidden(uc))
			return invalid(rule, k->rule_control);
	}
	if (len > k->max_chars * BYTES_PER_CHAR_BOUND)
		return invalid(rule, k->rule_length);

	size_t n;
	char *flat = squeeze(in, len, BLANKS_COLLAPSE, &n);
	if (flat == NULL)
		return -ENOMEM;
	if (n == 0) {
		free(flat);
		return k->required ? invalid(rule, k->rule_required) : 0;
	}

	/* Blanks are starters, and one stays between any two others: the
	 * collapsed text normalizes as the typed one would. */
	size_t nfc_len;
	uint8_t *nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)flat, n, NULL, &nfc_len);
	free(flat);
	if (nfc == NULL)
		return -ENOMEM;	/* the only failure for valid UTF-8 */
	if (u8_mbsnlen(nfc, nfc_len) > k->max_chars) {
		free(nfc);
		return invalid(rule, k->rule_length);
	}

	char *res = malloc(nfc_len + 1);
	if (res == NULL) {
		free(nfc);
		return -ENOMEM;
	}
	memcpy(res, nfc, nfc_len);
	res[nfc_len] = '\0';
	free(nfc);
	*out = res;
	return 0;
}

int
validate_name(const char *in, char **out, const char **rule)
{
	*out = NULL;
	*rule = NULL;
	return validate_line(in != NULL ? in : "", &name_line, out, rule);
}

int
validate_text(const char *in, char **out, const char **rule)
{
	*out = NULL;
	*rule = NULL;
	return validate_line(in != NULL ? in : "", &text_line, out, rule);
}

/* Dates */

/* Today's date, UTC, as yyyymmdd. */
static long
today(void)
{
	struct khoa_datetime t = khoa_datetime_of(time(NULL));
	return t.year * 10000L + t.month * 100 + t.day;
}

/* The rules a day in the past breaks, named for what the day is. */
struct day_rules {
	enum khoa_reason_id form, real, y1900, future;
};

static const struct day_rules birth_rules = {
	KR_BIRTH_DATE_FORM, KR_BIRTH_DATE_REAL, KR_BIRTH_DATE_1900, KR_BIRTH_DATE_FUTURE,
};
static const struct day_rules issued_rules = {
	KR_ISSUED_FORM, KR_ISSUED_REAL, KR_ISSUED_1900, KR_ISSUED_FUTURE,
};

/* Optional: a day of 1900 or later, not after today, as
 * validate_birth_date() reads it, broken rules named by K. */
static int
validate_past_day(const char *in, const struct day_rules *k, char **out, const char **rule)
{
	char *s;
	size_t n;
	int r;

	*out = NULL;
	*rule = NULL;
	r = ascii_field(in != NULL ? in : "", BLANKS_TRIM, &s, &n);
	if (r == -EILSEQ)
		return invalid(rule, k->form);
	if (r < 0)
		return r;
	if (n == 0) {
		free(s);
		return 0;
	}
	struct khoa_datetime t;
	r = khoa_date_parse(s, KHOA_DATE_ISO | KHOA_DATE_DMY, &t);
	free(s);
	if (r < 0)
		return invalid(rule, r == -ERANGE ? k->real : k->form);
	if (t.year < 1900)
		return invalid(rule, k->y1900);
	if (t.year * 10000L + t.month * 100 + t.day > today())
		return invalid(rule, k->future);

	char *res = malloc(KHOA_DATE_ISO_SIZE);
	if (res == NULL)
		return -ENOMEM;
	khoa_date_iso(&t, res);
	*out = res;
	return 0;
}

int
validate_birth_date(const char *in, char **out, const char **rule)
{
	return validate_past_day(in, &birth_rules, out, rule);
}

int
validate_id_issued_on(const char *in, const char *birth_date, char **out, const char **rule)
{
	int r = validate_past_day(in, &issued_rules, out, rule);
	/* both ISO by now: they compare as text */
	if (r == 0 && *out && birth_date && strlen(birth_date) == KHOA_DATE_ISO_SIZE - 1 &&
	    strcmp(*out, birth_date) < 0) {
		free(*out);
		*out = NULL;
		return invalid(rule, KR_ISSUED_BIRTH);
	}
	return r;
}

int
validate_issue_date(const char *in, char **out, const char **rule)
{
	return validate_past_day(in, &issued_rules, out, rule);
}

/* Sex */

int
validate_sex(const char *in, char **out, const char **rule)
{
	/* the codes, and the words of the forms (Giới tính: Nam / Nữ), in
	 * lower case; "nu" for a keyboard without Vietnamese */
	static const struct {
		const char *typed, *code;
	} words[] = {
		{ "male", "male" }, { "female", "female" },
		{ "nam", "male" }, { "nữ", "female" }, { "nu", "female" },
	};
	char *s = NULL;
	size_t n;
	int r;

	*out = NULL;
	*rule = NULL;
	if ((r = validate_text(in, &s, rule)) < 0)
		return r == -EINVAL ? invalid(rule, KR_SEX) : r;
	if (!s)
		return 0;
	uint8_t *lower = u8_tolower((const uint8_t *)s, strlen(s), NULL, UNINORM_NFC, NULL, &n);
	free(s);
	if (!lower)
		return -ENOMEM;
	const char *code = NULL;
	for (size_t i = 0; !code && i < sizeof(words) / sizeof(*words); i++)
		if (strlen(words[i].typed) == n && memcmp(words[i].typed, lower, n) == 0)
			code = words[i].code;
	free(lower);
	if (!code)
		return invalid(rule, KR_SEX);
	return (*out = strdup(code)) ? 0 : -ENOMEM;
}

/* Identity numbers */

static bool
is_province(const char *s)
{
	int code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
		if (provinces[i].code == code)
			return true;
	return false;
}

/* The birth year a CCCD encodes in its digits 4 to 6: the 4th is the century
 * and sex (0/1 1900s, 2/3 2000s, 4/5 2100s, 6/7 2200s, 8/9 1800s). */
static int
cccd_year(const char *s)
{
	int c = s[3] - '0';
	int century = c >= 8 ? 1800 : 1900 + c / 2 * 100;
	return century + (s[4] - '0') * 10 + (s[5] - '0');
}

int
validate_id_number(const char *in, const char *birth_date, char **out,
		   const char **rule)
{
	char *s;
	size_t n;
	int r;

	*out = NULL;
	*rule = NULL;
	r = ascii_field(in != NULL ? in : "", BLANKS_REMOVE, &s, &n);
	if (r == -EILSEQ)
		return invalid(rule, KR_ID_FORM);
	if (r < 0)
		return r;
	if ((n != 9 && n != 12) || !all_digits(s, n)) {
		r = invalid(rule, KR_ID_FORM);
		goto out;
	}
	if (n == 12) {
		int year = cccd_year(s);
		struct khoa_datetime born;

		if (!is_province(s)) {
			r = invalid(rule, KR_CCCD_PROVINCE);
			goto out;
		}
		if (birth_date != NULL) {
			/* the form only: a date the calendar lacks (-ERANGE, its
			 * numbers read) is validate_birth_date()'s to refuse */
			if (khoa_date_parse(birth_date, KHOA_DATE_ISO | KHOA_DATE_DMY, &born) ==
			    -EINVAL) {
				r = invalid(rule, KR_BIRTH_DATE_FORM);
				goto out;
			}
			if (born.year != year) {
				r = invalid(rule, KR_CCCD_YEAR);
				goto out;
			}
		} else if (year > today() / 10000) {
			r = invalid(rule, KR_CCCD_FUTURE);
			goto out;
		}
	}
	*out = s;
	return 0;
out:
	free(s);
	return r;
}

/* E-mail */

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A dot-atom: printable ASCII but for specials, no empty part between dots. */
static bool
valid_local(const char *s, size_t n)
{
	if (n == 0 || n > EMAIL_LOCAL_MAX || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strchr("()<>[]:;,\\\"@", s[i]) != NULL)
			return false;
		if (s[i] == '.' && s[i + 1] == '.')
			return false;
	}
	return true;
}

/* Dot-separated labels of letters, digits and inner hyphens; two at least. */
static bool
valid_domain(const char *s)
{
	size_t labels = 0;

	for (;;) {
		size_t n = 0;
		while (is_alnum(s[n]) || s[n] == '-')
			n++;
		if (n == 0 || n > DNS_LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
			return false;
		labels++;
		if (s[n] == '\0')
			return labels >= 2;
		if (s[n] != '.')
			return false;
		s += n + 1;
	}
}

int
validate_email(const char *in, char **out, const char **rule)
{
	char *s;
	size_t n;
	int r;

	*out = NULL;
	*rule = NULL;
	r = ascii_field(in != NULL ? in : "", BLANKS_TRIM, &s, &n);
	if (r == -EILSEQ)
		return invalid(rule, KR_EMAIL_FORM);
	if (r < 0)
		return r;
	if (n == 0) {
		free(s);
		return 0;
	}
	if (n > EMAIL_MAX) {
		r = invalid(rule, KR_EMAIL_LENGTH);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c >= 0x7f) {
			r = invalid(rule, KR_EMAIL_FORM);
			goto out;
		}
	}
	char *at = strchr(s, '@');
	if (at == NULL || !valid_local(s, (size_t)(at - s)) || !valid_domain(at + 1)) {
		r = invalid(rule, KR_EMAIL_FORM);
		goto out;
	}
	for (char *p = at + 1; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	*out = s;
	return 0;
out:
	free(s);
	return r;
}

/* Phone numbers */

/* Longest national number accepted, and room for what is read before. */
#define PHONE_DIGITS_MAX	16

int
validate_phone(const char *in, char **out, const char **rule)
{
	char *s, digits[PHONE_DIGITS_MAX + 1];
	size_t n, k = 0;
	bool plus = false;
	int r;

	*out = NULL;
	*rule = NULL;
	r = ascii_field(in != NULL ? in : "", BLANKS_REMOVE, &s, &n);
	if (r == -EILSEQ)
		return invalid(rule, KR_PHONE);
	if (r < 0)
		return r;
	if (n == 0) {
		free(s);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.' || c == '-' || c == '(' || c == ')')
			continue;
		if (c == '+' && k == 0 && !plus) {
			plus = true;
			continue;
		}
		if (!is_digit(c) || k == PHONE_DIGITS_MAX) {
			free(s);
			return invalid(rule, KR_PHONE);
		}
		digits[k++] = c;
	}
	digits[k] = '\0';

	/* +84 and 84 (an international number has 9 or 10 digits after it,
	 * or one more when written with the national 0, "+84 (0) …") */
	const char *national = digits;
	bool international = false;
	if (plus) {
		if (strncmp(digits, "84", 2) != 0) {
			free(s);
			return invalid(rule, KR_PHONE);
		}
		international = true;
	} else if (strncmp(digits, "84", 2) == 0 && (k == 11 || k == 12)) {
		international = true;
	}
	if (international) {
		national = digits + 2;
		if (national[0] == '0')
			national++;
		/* the national form, 0 and all, back into S (long enough) */
		s[0] = '0';
		strcpy(s + 1, national);
	} else {
		strcpy(s, digits);
	}

	n = strlen(s);
	bool ok = s[0] == '0' && s[1] != '0' &&
		(n == 10 || (n == 11 && s[1] == '2'));
	if (!ok) {
		free(s);
		return invalid(rule, KR_PHONE);
	}
	*out = s;
	return 0;
}

/* Tax codes */

static bool
tax_check_digit_ok(const char *s)
{
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += tax_weights[i] * (s[i] - '0');
	int check = 10 - sum % 11;
	return check != 10 && check == s[9] - '0';
}

int
validate_tax_code(const char *in, char **out, const char **rule)
{
	char *s;
	size_t n;
	int r;

	*out = NULL;
	*rule = NULL;
	r = ascii_field(in != NULL ? in : "", BLANKS_REMOVE, &s, &n);
	if (r == -EILSEQ)
		return invalid(rule, KR_TAX_FORM);
	if (r < 0)
		return r;
	if (n == 0) {
		free(s);
		return 0;
	}

	const char *branch = NULL;
	if (n == 10 && all_digits(s, 10)) {
		branch = NULL;
	} else if (n == 13 && all_digits(s, 13)) {
		branch = s + 10;
	} else if (n == 14 && all_digits(s, 10) && s[10] == '-' && all_digits(s + 11, 3)) {
		branch = s + 11;
	} else {
		r = invalid(rule, KR_TAX_FORM);
		goto out;
	}
	if (!tax_check_digit_ok(s)) {
		r = invalid(rule, KR_TAX_CHECK);
		goto out;
	}
	if (branch != NULL && strcmp(branch, "000") == 0) {
		r = invalid(rule, KR_TAX_BRANCH);
		goto out;
	}
	if (branch != NULL && n == 13) {
		/* "0123456789001" -> "0123456789-001": one byte more */
		char *res = malloc(sizeof("0123456789-001"));
		if (res == NULL) {
			r = -ENOMEM;
			goto out;
		}
		snprintf(res, sizeof("0123456789-001"), "%.10s-%s", s, s + 10);
		free(s);
		s = res;
	}
	*out = s;
	return 0;
out:
	free(s);
	return r;
}

int
validate_login(const char *login)
{
	struct passwd pw, *found = NULL;
	char buf[4096];

	if (!login || !*login || strlen(login) > 64)
		return -EINVAL;
	int r = getpwnam_r(login, &pw, buf, sizeof(buf), &found);
	if (r != 0 && r != ENOENT && r != ESRCH)
		return -r;
	return found ? 0 : -EINVAL;
}
