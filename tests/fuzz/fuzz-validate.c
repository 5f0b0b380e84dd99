/*
 * libFuzzer target: the validators of what people type into the registry
 * (daemon/registry/validate.c: names, free text, birth dates, CMND/CCCD,
 * e-mail, phone numbers, tax codes) and the calendar under the dates
 * (common/date.c: khoa_date_parse in each of its forms).
 *
 * The input, made a C string, is given to every validator; a NUL in it
 * ends that string, and what follows, up to another NUL, is the birth date
 * validate_id_number checks a CCCD's year against (none without a NUL).
 * validate_login is left out: it asks the user database (getpwnam).
 *
 * Invariants:
 *   - each returns 0 with a normalized copy, or 0 and none (an optional
 *     field left blank: only when the input is blanks), or -EINVAL with
 *     the rule it broke, a code of proto/reasons.c; never anything else;
 *   - what it returns has the form validate.h promises (a name: valid
 *     UTF-8, NFC, no controls or formatting characters, single spaces
 *     inside only, at most 200 characters; a date YYYY-MM-DD from 1900 to
 *     today; 9 or 12 digits; a phone number of 10 digits or 11 from 02; a
 *     tax code of 10 digits or 10-3; an e-mail address of printable ASCII
 *     with its domain in lower case);
 *   - it is a fixed point: validate(out) == out;
 *   - a date parsed is a real date and time, and reads back as it is
 *     written again (khoa_date_iso, khoa_time_iso);
 *   - no leak, no overflow, no UB.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "date.h"
#include "fuzz.h"
#include "reasons.h"
#include "validate.h"

typedef int (*validator)(const char *in, char **out, const char **rule);

/* Whether S is nothing but blanks (Unicode Zs), the empty string too. */
static bool
all_blank(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t len = strlen(s);
	if (u8_check(p, len) != NULL)
		return false;
	for (size_t i = 0; i < len;) {
		ucs4_t uc;
		i += (size_t)u8_mbtouc(&uc, p + i, len - i);
		if (!uc_is_general_category(uc, UC_SPACE_SEPARATOR))
			return false;
	}
	return true;
}

static bool
digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A name or a line of text as validate_line() makes it. */
static void
check_line(const char *out, size_t max_chars)
{
	const uint8_t *p = (const uint8_t *)out;
	size_t len = strlen(out);
	FUZZ_CHECK(len > 0);
	FUZZ_CHECK(u8_check(p, len) == NULL);
	FUZZ_CHECK(u8_mbsnlen(p, len) <= max_chars);
	FUZZ_CHECK(out[0] != ' ' && out[len - 1] != ' ' && !strstr(out, "  "));
	for (size_t i = 0; i < len;) {
		ucs4_t uc;
		i += (size_t)u8_mbtouc(&uc, p + i, len - i);
		FUZZ_CHECK(uc == ' ' || !uc_is_general_category(uc, UC_SPACE_SEPARATOR));
		FUZZ_CHECK(!uc_is_general_category_withtable(uc,
			UC_CATEGORY_MASK_Cc | UC_CATEGORY_MASK_Cf |
			UC_CATEGORY_MASK_Zl | UC_CATEGORY_MASK_Zp));
	}
	size_t nfc_len;
	uint8_t *nfc = u8_normalize(UNINORM_NFC, p, len, NULL, &nfc_len);
	FUZZ_CHECK(nfc != NULL);
	FUZZ_CHECK(nfc_len == len && memcmp(nfc, out, len) == 0);
	free(nfc);
}

static long
today(void)
{
	struct khoa_datetime t = khoa_datetime_of(time(NULL));
	return t.year * 10000L + t.month * 100 + t.day;
}

static void
check_birth_date(const char *out)
{
	struct khoa_datetime t;
	FUZZ_CHECK(strlen(out) == 10 && digits(out, 4) && out[4] == '-' && digits(out + 5, 2) &&
		   out[7] == '-' && digits(out + 8, 2));
	FUZZ_CHECK(khoa_date_parse(out, KHOA_DATE_ISO, &t) == 0);
	FUZZ_CHECK(t.year >= 1900 && t.year * 10000L + t.month * 100 + t.day <= today());
}

static void
check_email(const char *out)
{
	size_t len = strlen(out);
	FUZZ_CHECK(len >= 3 && len <= 254);
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK(out[i] > ' ' && out[i] < 0x7f);
	const char *at = strchr(out, '@');
	FUZZ_CHECK(at != NULL && at > out && at - out <= 64 && !strchr(at + 1, '@'));
	FUZZ_CHECK(strchr(at + 1, '.') != NULL);
	for (const char *p = at + 1; *p; p++)
		FUZZ_CHECK(!(*p >= 'A' && *p <= 'Z'));
}

static void
check_phone(const char *out)
{
	size_t len = strlen(out);
	FUZZ_CHECK(digits(out, len));
	FUZZ_CHECK(out[0] == '0' && out[1] != '0');
	FUZZ_CHECK(len == 10 || (len == 11 && out[1] == '2'));
}

static void
check_tax_code(const char *out)
{
	size_t len = strlen(out);
	FUZZ_CHECK(digits(out, 10));
	FUZZ_CHECK(len == 10 || (len == 14 && out[10] == '-' && digits(out + 11, 3) &&
				 strcmp(out + 11, "000") != 0));
}

/* One validator on IN: its result's form, and that it is a fixed point. */
static void
check_validator(validator v, const char *in, bool optional, void (*form)(const char *out))
{
	char *out = (char *)1, *again = (char *)1;
	const char *rule = (const char *)1, *rule2 = (const char *)1;
	int r = v(in, &out, &rule);

	if (r == -EINVAL) {
		FUZZ_CHECK(out == NULL);
		FUZZ_CHECK(rule != NULL && khoa_reason_find(rule) != NULL);	/* a code khoa says */
		return;
	}
	FUZZ_CHECK(r == 0);
	FUZZ_CHECK(rule == NULL);
	if (!out) {
		FUZZ_CHECK(optional && all_blank(in));
		return;
	}
	form(out);
	FUZZ_CHECK(v(out, &again, &rule2) == 0);
	FUZZ_CHECK(again != NULL && strcmp(again, out) == 0);
	free(again);
	free(out);
}

static void
check_name(const char *out)
{
	check_line(out, 200);
}

static void
check_text(const char *out)
{
	check_line(out, 500);
}

static void
check_id_number(const char *in, const char *birth_date)
{
	char *out = (char *)1, *again = (char *)1;
	const char *rule = (const char *)1, *rule2;
	int r = validate_id_number(in, birth_date, &out, &rule);

	if (r == -EINVAL) {
		FUZZ_CHECK(out == NULL);
		FUZZ_CHECK(rule != NULL && *rule != '\0');
		return;
	}
	FUZZ_CHECK(r == 0 && rule == NULL && out != NULL);
	size_t len = strlen(out);
	FUZZ_CHECK((len == 9 || len == 12) && digits(out, len));
	if (len == 12 && birth_date) {
		/* digits 4-6: the century (and sex) and the year's last two */
		struct khoa_datetime born;
		FUZZ_CHECK(khoa_date_parse(birth_date, KHOA_DATE_ISO | KHOA_DATE_DMY, &born) != -EINVAL);
		FUZZ_CHECK(born.year % 100 == (out[4] - '0') * 10 + (out[5] - '0'));
	}
	FUZZ_CHECK(validate_id_number(out, birth_date, &again, &rule2) == 0);
	FUZZ_CHECK(strcmp(again, out) == 0);
	free(again);
	free(out);
}

/* khoa_date_parse in FORMS: a real date if 0, and written back the same. */
static void
check_date_parse(const char *in, unsigned forms)
{
	struct khoa_datetime t;
	int r = khoa_date_parse(in, forms, &t);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
	if (r != 0)
		return;
	FUZZ_CHECK(t.year >= 0 && t.year <= 9999);
	FUZZ_CHECK(t.month >= 1 && t.month <= 12);
	FUZZ_CHECK(t.day >= 1 && t.day <= khoa_date_month_days(t.year, t.month));
	FUZZ_CHECK(t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59);
	FUZZ_CHECK(t.second >= 0 && t.second <= ((forms & KHOA_DATE_TIME) ? 60 : 59));
	FUZZ_CHECK(t.offset_s > -86400 && t.offset_s < 86400);
	FUZZ_CHECK(t.has_time || (!t.has_zone && t.hour == 0 && t.minute == 0 && t.second == 0));

	struct khoa_datetime back;
	if (!t.has_time) {
		char buf[KHOA_DATE_ISO_SIZE];
		khoa_date_iso(&t, buf);
		FUZZ_CHECK(khoa_date_parse(buf, KHOA_DATE_ISO, &back) == 0);
		FUZZ_CHECK(back.year == t.year && back.month == t.month && back.day == t.day);
		return;
	}
	/* in UTC, to the second, and back through seconds since the epoch */
	struct khoa_datetime u = khoa_datetime_utc(t);
	FUZZ_CHECK(u.offset_s == 0);
	FUZZ_CHECK(khoa_date_days(&u) - khoa_date_days(&t) >= -1 &&
		   khoa_date_days(&u) - khoa_date_days(&t) <= 1);
	if (u.second < 60) {
		struct khoa_datetime e = khoa_datetime_of(khoa_datetime_time(&u));
		FUZZ_CHECK(e.year == u.year && e.month == u.month && e.day == u.day &&
			   e.hour == u.hour && e.minute == u.minute && e.second == u.second);
	}
	if (u.year >= 0 && u.year <= 9999) {
		char buf[KHOA_TIME_ISO_SIZE];
		khoa_time_iso(&u, buf);
		int r2 = khoa_date_parse(buf, KHOA_DATE_TIME, &back);
		FUZZ_CHECK(r2 == 0);
		FUZZ_CHECK(back.year == u.year && back.month == u.month && back.day == u.day &&
			   back.hour == u.hour && back.minute == u.minute &&
			   back.second == u.second && back.has_zone && back.offset_s == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 2);
	FUZZ_CHECK(in != NULL);
	memcpy(in, data, size);
	in[size] = in[size + 1] = '\0';
	const char *birth_date = memchr(data, '\0', size) ? in + strlen(in) + 1 : NULL;

	check_validator(validate_name, in, false, check_name);
	check_validator(validate_text, in, true, check_text);
	check_validator(validate_birth_date, in, true, check_birth_date);
	check_validator(validate_email, in, true, check_email);
	check_validator(validate_phone, in, true, check_phone);
	check_validator(validate_tax_code, in, true, check_tax_code);
	check_id_number(in, birth_date);
	check_id_number(in, NULL);

	static const unsigned forms[] = {
		KHOA_DATE_ISO, KHOA_DATE_DMY, KHOA_DATE_ISO | KHOA_DATE_DMY,
		KHOA_DATE_TIME_UTC, KHOA_DATE_ISO | KHOA_DATE_TIME_UTC,
		KHOA_DATE_ISO | KHOA_DATE_TIME,
		KHOA_DATE_ISO | KHOA_DATE_DMY | KHOA_DATE_TIME_UTC | KHOA_DATE_TIME,
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		check_date_parse(in, forms[i]);
	free(in);
	return 0;
}
