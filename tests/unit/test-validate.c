/*
 * Unit tests of daemon/registry/validate.h, by behaviour: what each field accepts,
 * what it normalizes it to, and which rule a refusal names.
 *
 * This program is linked with -Wl,--wrap=malloc,--wrap=u8_normalize so that
 * a test can make the Nth allocation of daemon/registry/validate.c fail.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <uninorm.h>

#include "reasons.h"
#include "validate.h"

void *__real_malloc(size_t size);
void *__wrap_malloc(size_t size);
uint8_t *__real_u8_normalize(uninorm_t nf, const uint8_t *s, size_t n,
			     uint8_t *resultbuf, size_t *lengthp);
uint8_t *__wrap_u8_normalize(uninorm_t nf, const uint8_t *s, size_t n,
			     uint8_t *resultbuf, size_t *lengthp);

/* How many more allocations succeed; the one after fails. -1: all. */
static int allocs_until_failure = -1;

static bool
fail_now(void)
{
	if (allocs_until_failure == 0) {
		allocs_until_failure = -1;
		return true;
	}
	if (allocs_until_failure > 0)
		allocs_until_failure--;
	return false;
}

void *
__wrap_malloc(size_t size)
{
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_malloc(size);
}

uint8_t *
__wrap_u8_normalize(uninorm_t nf, const uint8_t *s, size_t n,
		    uint8_t *resultbuf, size_t *lengthp)
{
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_u8_normalize(nf, s, n, resultbuf, lengthp);
}

static int
reset_failures(void **state)
{
	(void)state;
	allocs_until_failure = -1;
	return 0;
}

#define TEST(f)	cmocka_unit_test_setup(f, reset_failures)

/* The functions but validate_id_number, whose extra argument is wrapped. */
typedef int (*validate_fn)(const char *in, char **out, const char **rule);

static const char *id_birth_date;

static int
validate_id(const char *in, char **out, const char **rule)
{
	return validate_id_number(in, id_birth_date, out, rule);
}

/* FN accepts IN as EXPECTED (NULL: the field is cleared). */
static void
assert_accepts(validate_fn fn, const char *in, const char *expected)
{
	char *out = (char *)1;
	const char *rule = "unset";
	int r = fn(in, &out, &rule);
	if (r != 0)
		fail_msg("\"%s\" refused (%d): %s", in ? in : "(null)", r, rule ? rule : "(null)");
	assert_null(rule);
	if (expected == NULL) {
		assert_null(out);
	} else {
		assert_non_null(out);
		assert_string_equal(out, expected);
	}
	free(out);
}

/* FN refuses IN naming RULE. */
static void
assert_refuses(validate_fn fn, const char *in, const char *rule)
{
	char *out = (char *)1;
	const char *got = NULL;
	int r = fn(in, &out, &got);
	if (r != -EINVAL)
		fail_msg("\"%s\" gave %d, \"%s\", not -EINVAL", in ? in : "(null)", r,
			 r == 0 && out ? out : "");
	assert_null(out);
	assert_non_null(got);
	assert_string_equal(got, rule);
}

/* N copies of the UTF-8 character C between PREFIX and SUFFIX, malloc'd. */
static char *
repeat(const char *prefix, const char *c, size_t n, const char *suffix)
{
	size_t lc = strlen(c), lp = strlen(prefix), ls = strlen(suffix);
	char *s = malloc(lp + lc * n + ls + 1);
	assert_non_null(s);
	memcpy(s, prefix, lp);
	for (size_t i = 0; i < n; i++)
		memcpy(s + lp + i * lc, c, lc);
	memcpy(s + lp + lc * n, suffix, ls + 1);
	return s;
}

/* Today + DAYS (UTC) as "dd/mm/yyyy" or ISO. */
static void
date_from_today(int days, bool iso, char *buf, size_t size)
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	assert_non_null(gmtime_r(&t, &tm));
	strftime(buf, size, iso ? "%Y-%m-%d" : "%d/%m/%Y", &tm);
}

/* Composed and decomposed forms of Vietnamese text. */
#define NGUYEN		"Nguy\xe1\xbb\x85n"		/* Nguyễn, U+1EC5 */
#define NGUYEN_NFD	"Nguye\xcc\x82\xcc\x83n"	/* e U+0302 U+0303 */
#define THI		"Th\xe1\xbb\x8b"		/* Thị */
#define THI_NFD		"Thi\xcc\xa3"			/* i U+0323 */
#define HUONG		"H\xc6\xb0\xe1\xbb\x9dng"	/* Hường */
#define HUONG_NFD	"Hu\xcc\x9bo\xcc\x9b\xcc\x80ng"	/* u U+031B o U+031B U+0300 */
#define NBSP		"\xc2\xa0"
#define IDEOGRAPHIC_SPACE "\xe3\x80\x80"
#define EM_SPACE	"\xe2\x80\x83"

/* The rules, by their codes on the wire (reasons.h). */
#define RULE_NAME_REQUIRED KR(NAME_REQUIRED)
#define RULE_NAME_UTF8 KR(NAME_UTF8)
#define RULE_NAME_CONTROL KR(NAME_CONTROL)
#define RULE_NAME_LENGTH KR(NAME_LENGTH)
#define RULE_TEXT_UTF8 KR(TEXT_UTF8)
#define RULE_TEXT_CONTROL KR(TEXT_CONTROL)
#define RULE_TEXT_LENGTH KR(TEXT_LENGTH)
#define RULE_DATE_FORM KR(BIRTH_DATE_FORM)
#define RULE_DATE_REAL KR(BIRTH_DATE_REAL)
#define RULE_DATE_1900 KR(BIRTH_DATE_1900)
#define RULE_DATE_FUTURE KR(BIRTH_DATE_FUTURE)
#define RULE_ID_FORM KR(ID_FORM)
#define RULE_CCCD_PROVINCE KR(CCCD_PROVINCE)
#define RULE_CCCD_YEAR KR(CCCD_YEAR)
#define RULE_CCCD_FUTURE KR(CCCD_FUTURE)
#define RULE_EMAIL_FORM KR(EMAIL_FORM)
#define RULE_EMAIL_LENGTH KR(EMAIL_LENGTH)
#define RULE_PHONE KR(PHONE)
#define RULE_TAX_FORM KR(TAX_FORM)
#define RULE_TAX_CHECK KR(TAX_CHECK)
#define RULE_TAX_BRANCH KR(TAX_BRANCH)
#define RULE_ISSUED_FORM KR(ISSUED_FORM)
#define RULE_ISSUED_REAL KR(ISSUED_REAL)
#define RULE_ISSUED_1900 KR(ISSUED_1900)
#define RULE_ISSUED_FUTURE KR(ISSUED_FUTURE)
#define RULE_ISSUED_BIRTH KR(ISSUED_BIRTH)
#define RULE_SEX KR(SEX)

/* Names */

static void
test_name_nfc(void **state)
{
	(void)state;
	assert_accepts(validate_name, NGUYEN_NFD, NGUYEN);
	assert_accepts(validate_name, NGUYEN_NFD " " THI_NFD " " HUONG_NFD,
		       NGUYEN " " THI " " HUONG);
	/* already composed: unchanged */
	assert_accepts(validate_name, NGUYEN " " THI " " HUONG, NGUYEN " " THI " " HUONG);
	/* a mix, and the combining marks in the other canonical order */
	assert_accepts(validate_name, "Tr\xc6\xb0o\xcc\x80\xcc\x9bng", "Tr\xc6\xb0\xe1\xbb\x9dng");
	assert_accepts(validate_name, "Thi\xcc\xa3", THI);
	assert_accepts(validate_name, "S\xe1\xbb\x9f T\xc3\xa0i ch\xc3\xadnh",
		       "S\xe1\xbb\x9f T\xc3\xa0i ch\xc3\xadnh");
	/* Sở: o U+031B U+0309, horn and hook above */
	assert_accepts(validate_name, "So\xcc\x9b\xcc\x89", "S\xe1\xbb\x9f");
}

static void
test_name_blanks(void **state)
{
	(void)state;
	assert_accepts(validate_name, "  Nguyễn   Văn  A  ", "Nguyễn Văn A");
	assert_accepts(validate_name, NBSP "Nguyễn" NBSP NBSP "Văn" EM_SPACE " A" IDEOGRAPHIC_SPACE,
		       "Nguyễn Văn A");
	assert_accepts(validate_name, "UBND tỉnh Bà Rịa - Vũng Tàu", "UBND tỉnh Bà Rịa - Vũng Tàu");
	assert_accepts(validate_name, "A", "A");
}

static void
test_name_required(void **state)
{
	(void)state;
	assert_refuses(validate_name, "", RULE_NAME_REQUIRED);
	assert_refuses(validate_name, NULL, RULE_NAME_REQUIRED);
	assert_refuses(validate_name, "   ", RULE_NAME_REQUIRED);
	assert_refuses(validate_name, NBSP IDEOGRAPHIC_SPACE " ", RULE_NAME_REQUIRED);
}

static void
test_name_control(void **state)
{
	(void)state;
	assert_refuses(validate_name, "Nguyễn\nVăn A", RULE_NAME_CONTROL);
	assert_refuses(validate_name, "Nguyễn Văn A\n", RULE_NAME_CONTROL);
	assert_refuses(validate_name, "Nguyễn\tVăn A", RULE_NAME_CONTROL);
	assert_refuses(validate_name, "Nguyễn\rVăn", RULE_NAME_CONTROL);
	assert_refuses(validate_name, "\x1b[31mA", RULE_NAME_CONTROL);
	assert_refuses(validate_name, "A\x7f", RULE_NAME_CONTROL);
	assert_refuses(validate_name, "A\xc2\x85", RULE_NAME_CONTROL);		/* NEL */
	assert_refuses(validate_name, "A\xe2\x80\x8b" "B", RULE_NAME_CONTROL);	/* ZWSP */
	assert_refuses(validate_name, "A\xe2\x80\xae" "B", RULE_NAME_CONTROL);	/* RLO */
	assert_refuses(validate_name, "\xef\xbb\xbf" "A", RULE_NAME_CONTROL);	/* BOM */
	assert_refuses(validate_name, "A\xe2\x80\xa8" "B", RULE_NAME_CONTROL);	/* LS */
}

static void
test_name_length(void **state)
{
	(void)state;
	char *s;

	/* 200 characters, however many bytes and code points were typed */
	s = repeat("", "a", 200, "");
	assert_accepts(validate_name, s, s);
	free(s);

	char *composed = repeat("", "\xe1\xbb\x85", 200, "");
	s = repeat("  ", "e\xcc\x82\xcc\x83", 200, "   ");
	assert_accepts(validate_name, s, composed);
	free(s);
	free(composed);

	s = repeat("", "\xe1\xbb\x85", 201, "");
	assert_refuses(validate_name, s, RULE_NAME_LENGTH);
	free(s);
	s = repeat("", "e\xcc\x82\xcc\x83", 201, "");
	assert_refuses(validate_name, s, RULE_NAME_LENGTH);
	free(s);
	s = repeat("", "a", 201, "");
	assert_refuses(validate_name, s, RULE_NAME_LENGTH);
	free(s);
	/* far too long: refused before any work */
	s = repeat("", "a", 1000000, "");
	assert_refuses(validate_name, s, RULE_NAME_LENGTH);
	free(s);
}

static void
test_name_utf8(void **state)
{
	(void)state;
	assert_refuses(validate_name, "Nguy\xff" "n", RULE_NAME_UTF8);
	assert_refuses(validate_name, "Nguy\xe1\xbb", RULE_NAME_UTF8);		/* truncated */
	assert_refuses(validate_name, "\xc0\xaf", RULE_NAME_UTF8);		/* overlong */
	assert_refuses(validate_name, "\xed\xa0\x80", RULE_NAME_UTF8);		/* surrogate */
	assert_refuses(validate_name, "\xf4\x90\x80\x80", RULE_NAME_UTF8);	/* > U+10FFFF */
	assert_refuses(validate_name, "Nguy\xea" "n", RULE_NAME_UTF8);		/* Latin-1 ê */
}

/* Free text */

static void
test_text(void **state)
{
	(void)state;
	assert_accepts(validate_text, "", NULL);
	assert_accepts(validate_text, NULL, NULL);
	assert_accepts(validate_text, "  " NBSP " ", NULL);
	assert_accepts(validate_text, "  Ph" "o\xcc\x81" "  Gi\xc3\xa1m \xc4\x91\xe1\xbb\x91" "c ",
		       "Ph\xc3\xb3 Gi\xc3\xa1m \xc4\x91\xe1\xbb\x91" "c");
	assert_accepts(validate_text, "Số 1, Tràng Tiền,  Hoàn Kiếm, Hà Nội",
		       "Số 1, Tràng Tiền, Hoàn Kiếm, Hà Nội");
	assert_refuses(validate_text, "Số 1\nTràng Tiền", RULE_TEXT_CONTROL);
	assert_refuses(validate_text, "Số 1\r\n", RULE_TEXT_CONTROL);
	assert_refuses(validate_text, "\t", RULE_TEXT_CONTROL);
	assert_refuses(validate_text, "Hà N\xe1\xbb", RULE_TEXT_UTF8);

	char *s = repeat(" ", "\xe1\xbb\x99", 500, " ");
	char *trimmed = repeat("", "\xe1\xbb\x99", 500, "");
	assert_accepts(validate_text, s, trimmed);
	free(s);
	free(trimmed);
	s = repeat("", "\xe1\xbb\x99", 501, "");
	assert_refuses(validate_text, s, RULE_TEXT_LENGTH);
	free(s);
}

/* Birth dates */

static void
test_birth_date_forms(void **state)
{
	(void)state;
	assert_accepts(validate_birth_date, "1985-03-04", "1985-03-04");
	assert_accepts(validate_birth_date, "04/03/1985", "1985-03-04");
	assert_accepts(validate_birth_date, "4/3/1985", "1985-03-04");
	assert_accepts(validate_birth_date, "15/8/1985", "1985-08-15");
	assert_accepts(validate_birth_date, "  15.08.1985 ", "1985-08-15");
	assert_accepts(validate_birth_date, "15-08-1985", "1985-08-15");
	assert_accepts(validate_birth_date, "31/12/1999", "1999-12-31");

	static const char *const bad[] = {
		"1985-3-4", "85-03-04", "4/3/85", "1985/03/04", "04/03-1985",
		"04/03/1985x", "x04/03/1985", "04 /03/1985", "004/03/1985",
		"19850304", "04/03/19850", "ngày 4/3/1985", "-1/03/1985", "1985-03-04T00:00",
		"4\xff/3/1985",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refuses(validate_birth_date, bad[i], RULE_DATE_FORM);
}

static void
test_birth_date_calendar(void **state)
{
	(void)state;
	assert_accepts(validate_birth_date, "29/02/2024", "2024-02-29");
	assert_accepts(validate_birth_date, "29/02/2000", "2000-02-29");
	assert_refuses(validate_birth_date, "29/02/2023", RULE_DATE_REAL);
	assert_refuses(validate_birth_date, "29/02/1900", RULE_DATE_REAL);
	assert_refuses(validate_birth_date, "31/02/2020", RULE_DATE_REAL);
	assert_refuses(validate_birth_date, "31/04/2020", RULE_DATE_REAL);
	assert_accepts(validate_birth_date, "31/05/2020", "2020-05-31");
	assert_refuses(validate_birth_date, "2000-13-01", RULE_DATE_REAL);
	assert_refuses(validate_birth_date, "2000-00-10", RULE_DATE_REAL);
	assert_refuses(validate_birth_date, "00/01/2000", RULE_DATE_REAL);
	assert_refuses(validate_birth_date, "32/01/2000", RULE_DATE_REAL);

	assert_accepts(validate_birth_date, "01/01/1900", "1900-01-01");
	assert_refuses(validate_birth_date, "31/12/1899", RULE_DATE_1900);
	assert_refuses(validate_birth_date, "0001-01-01", RULE_DATE_1900);
}

static void
test_birth_date_future(void **state)
{
	(void)state;
	char today[16], iso[16];

	/* today (UTC) is a birth date; tomorrow is not yet */
	date_from_today(0, false, today, sizeof(today));
	date_from_today(0, true, iso, sizeof(iso));
	char *out = NULL;
	const char *rule = NULL;
	int r = validate_birth_date(today, &out, &rule);
	if (r == 0) {
		assert_string_equal(out, iso);
		free(out);
	} else {
		/* midnight passed between the two calls */
		date_from_today(0, false, today, sizeof(today));
		date_from_today(0, true, iso, sizeof(iso));
		assert_accepts(validate_birth_date, today, iso);
	}

	/* tomorrow; again if midnight passed meanwhile */
	char tomorrow[16], again[16];
	do {
		date_from_today(1, false, tomorrow, sizeof(tomorrow));
		out = NULL;
		r = validate_birth_date(tomorrow, &out, &rule);
		free(out);
		date_from_today(1, false, again, sizeof(again));
	} while (strcmp(tomorrow, again) != 0);
	assert_int_equal(r, -EINVAL);
	assert_string_equal(rule, RULE_DATE_FUTURE);

	date_from_today(2, false, today, sizeof(today));
	assert_refuses(validate_birth_date, today, RULE_DATE_FUTURE);
	date_from_today(2, true, iso, sizeof(iso));
	assert_refuses(validate_birth_date, iso, RULE_DATE_FUTURE);
	assert_refuses(validate_birth_date, "01/01/9999", RULE_DATE_FUTURE);
}

static void
test_birth_date_empty(void **state)
{
	(void)state;
	assert_accepts(validate_birth_date, "", NULL);
	assert_accepts(validate_birth_date, NULL, NULL);
	assert_accepts(validate_birth_date, "  " NBSP, NULL);
}

/* The day an ID card was issued: read as a birth date, its own rules, not
 * before the birth date it is given. */
static const char *issued_birth_date;

static int
validate_issued(const char *in, char **out, const char **rule)
{
	return validate_id_issued_on(in, issued_birth_date, out, rule);
}

static void
test_id_issued_on(void **state)
{
	(void)state;
	char tomorrow[16];

	issued_birth_date = NULL;
	assert_accepts(validate_issued, "", NULL);
	assert_accepts(validate_issued, NULL, NULL);
	assert_accepts(validate_issued, "10/04/2021", "2021-04-10");
	assert_accepts(validate_issued, " 2021-04-10 ", "2021-04-10");
	assert_accepts(validate_issue_date, "10.4.2021", "2021-04-10");
	assert_refuses(validate_issued, "10/04/21", RULE_ISSUED_FORM);
	assert_refuses(validate_issued, "ngày 10/04/2021", RULE_ISSUED_FORM);
	assert_refuses(validate_issued, "31/04/2021", RULE_ISSUED_REAL);
	assert_refuses(validate_issued, "31/12/1899", RULE_ISSUED_1900);
	date_from_today(2, false, tomorrow, sizeof(tomorrow));
	assert_refuses(validate_issued, tomorrow, RULE_ISSUED_FUTURE);
	assert_refuses(validate_issue_date, tomorrow, RULE_ISSUED_FUTURE);

	issued_birth_date = "1986-03-12";
	assert_accepts(validate_issued, "12/03/1986", "1986-03-12");
	assert_accepts(validate_issued, "10/04/2021", "2021-04-10");
	assert_refuses(validate_issued, "11/03/1986", RULE_ISSUED_BIRTH);
	assert_refuses(validate_issued, "1980-01-01", RULE_ISSUED_BIRTH);
	/* a birth date of another form is none to compare with */
	issued_birth_date = "12/03/1986";
	assert_accepts(validate_issued, "1980-01-01", "1980-01-01");
	issued_birth_date = NULL;
}

/* Sex: the codes and the forms' words, in any case. */
static void
test_sex(void **state)
{
	(void)state;
	assert_accepts(validate_sex, "", NULL);
	assert_accepts(validate_sex, NULL, NULL);
	assert_accepts(validate_sex, " " NBSP, NULL);
	assert_accepts(validate_sex, "male", "male");
	assert_accepts(validate_sex, "female", "female");
	assert_accepts(validate_sex, " Female ", "female");
	assert_accepts(validate_sex, "Nam", "male");
	assert_accepts(validate_sex, "NAM", "male");
	assert_accepts(validate_sex, "Nữ", "female");
	assert_accepts(validate_sex, "NỮ", "female");
	assert_accepts(validate_sex, "Nu\xcc\x9b\xcc\x83", "female");	/* Nữ decomposed */
	assert_accepts(validate_sex, "nu", "female");

	static const char *const bad[] = {
		"m", "f", "x", "Nam Nữ", "nữa", "male\n", "\xff", "0", "khác",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refuses(validate_sex, bad[i], RULE_SEX);
}

/* Identity numbers */

static void
test_cmnd(void **state)
{
	(void)state;
	id_birth_date = NULL;
	assert_accepts(validate_id, "012345678", "012345678");
	assert_accepts(validate_id, " 012 345 678 ", "012345678");
	assert_accepts(validate_id, "012" NBSP "345" NBSP "678", "012345678");
	/* a CMND encodes no birth year */
	id_birth_date = "1985-03-04";
	assert_accepts(validate_id, "272345678", "272345678");
	id_birth_date = NULL;

	static const char *const bad[] = {
		"", NULL, "   ", "01234567", "0123456789", "01234567890",
		"0012345678901", "01234567A", "B12345678", "0123-45678", "012.345.678",
		"001085012345x", "\xff", "\xd9\xa0\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refuses(validate_id, bad[i], RULE_ID_FORM);
}

/* The province codes of the CCCD scheme, as the brief lists them. */
static const int province_codes[] = {
	1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31,
	33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60,
	62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91,
	92, 93, 94, 95, 96,
};

static void
test_cccd_provinces(void **state)
{
	(void)state;
	size_t n = sizeof(province_codes) / sizeof(province_codes[0]);
	assert_int_equal(n, 63);

	id_birth_date = NULL;
	for (int code = 0; code < 1000; code++) {
		bool listed = false;
		for (size_t i = 0; i < n; i++)
			listed = listed || province_codes[i] == code;
		char id[16];
		snprintf(id, sizeof(id), "%03d085012345", code);
		if (listed)
			assert_accepts(validate_id, id, id);
		else
			assert_refuses(validate_id, id, RULE_CCCD_PROVINCE);
	}
	assert_refuses(validate_id, "003085012345", RULE_CCCD_PROVINCE);
}

static void
test_cccd_birth_year(void **state)
{
	(void)state;

	/* 0: male born 1900-1999 */
	id_birth_date = "1985-03-04";
	assert_accepts(validate_id, "001085012345", "001085012345");
	assert_accepts(validate_id, "001 185 012 345", "001185012345");	/* female */
	assert_refuses(validate_id, "001086012345", RULE_CCCD_YEAR);
	assert_refuses(validate_id, "001285012345", RULE_CCCD_YEAR);	/* 2085 */
	assert_refuses(validate_id, "001885012345", RULE_CCCD_YEAR);	/* 1885 */

	/* 2/3: born 2000-2099 */
	id_birth_date = "2001-07-15";
	assert_accepts(validate_id, "079201012345", "079201012345");
	assert_accepts(validate_id, "079301012345", "079301012345");
	assert_refuses(validate_id, "079001012345", RULE_CCCD_YEAR);
	assert_refuses(validate_id, "079101012345", RULE_CCCD_YEAR);
	assert_refuses(validate_id, "079300012345", RULE_CCCD_YEAR);

	id_birth_date = "1999-12-31";
	assert_accepts(validate_id, "048199000001", "048199000001");
	id_birth_date = "2000-01-01";
	assert_accepts(validate_id, "048300000001", "048300000001");
	assert_refuses(validate_id, "048100000001", RULE_CCCD_YEAR);

	/* without a birth date: any year not in the future */
	id_birth_date = NULL;
	assert_accepts(validate_id, "001885012345", "001885012345");	/* 1885 */
	assert_accepts(validate_id, "096100012345", "096100012345");	/* 1900 */
	assert_accepts(validate_id, "096201012345", "096201012345");	/* 2001 */
	assert_refuses(validate_id, "001299012345", RULE_CCCD_FUTURE);	/* 2099 */
	assert_refuses(validate_id, "001400012345", RULE_CCCD_FUTURE);	/* 2100 */
	assert_refuses(validate_id, "001700012345", RULE_CCCD_FUTURE);	/* 2200 */

	/* a birth date not as validate_birth_date() gives it */
	id_birth_date = "born 1985";
	assert_refuses(validate_id, "001085012345", RULE_DATE_FORM);
	id_birth_date = NULL;
}

/* E-mail */

static void
test_email(void **state)
{
	(void)state;
	assert_accepts(validate_email, "", NULL);
	assert_accepts(validate_email, NULL, NULL);
	assert_accepts(validate_email, " " NBSP, NULL);
	assert_accepts(validate_email, "vanthu@hanoi.gov.vn", "vanthu@hanoi.gov.vn");
	assert_accepts(validate_email, "  Nguyen.Van.A@SoTTTT.HaNoi.GOV.vn ",
		       "Nguyen.Van.A@sotttt.hanoi.gov.vn");
	assert_accepts(validate_email, "ky-thuat+token_01@so-tttt.gov.vn",
		       "ky-thuat+token_01@so-tttt.gov.vn");

	static const char *const bad[] = {
		"vanthu", "vanthu@", "@hanoi.gov.vn", "vanthu@hanoi", "vanthu@@hanoi.gov.vn",
		"van@thu@hanoi.gov.vn", "van thu@hanoi.gov.vn", "vanthu@hanoi .gov.vn",
		"vanthu@hanoi.gov.vn\n", "v\xc4\x83nthu@hanoi.gov.vn", "vanthu@h\xc3\xa0noi.vn",
		"vanthu@.gov.vn", "vanthu@hanoi..vn", "vanthu@hanoi.gov.vn.", "vanthu@-hanoi.vn",
		"vanthu@hanoi-.vn", "vanthu@hanoi_gov.vn", ".vanthu@hanoi.gov.vn",
		"van..thu@hanoi.gov.vn", "vanthu.@hanoi.gov.vn",
		"Van Thu <vanthu@hanoi.gov.vn>", "<vanthu@hanoi.gov.vn>", "vanthu@[10.0.0.1]",
		"\"van thu\"@hanoi.gov.vn", "van\tthu@hanoi.gov.vn", "vanthu" NBSP "@hanoi.gov.vn",
		"\xff@hanoi.gov.vn",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refuses(validate_email, bad[i], RULE_EMAIL_FORM);

	/* 254 bytes at most; a local part of 64 at most, labels of 63 */
	char *local = repeat("", "l", 64, "");
	char *label = repeat("", "d", 63, "");
	char *last = repeat("", "d", 58, "");
	char email[400];
	snprintf(email, sizeof(email), "%s@%s.%s.%s.vn", local, label, label, last);
	assert_int_equal(strlen(email), 254);
	assert_accepts(validate_email, email, email);
	snprintf(email, sizeof(email), "%s@%s.%s.%sd.vn", local, label, label, last);
	assert_refuses(validate_email, email, RULE_EMAIL_LENGTH);
	snprintf(email, sizeof(email), "x%s@hanoi.gov.vn", local);
	assert_refuses(validate_email, email, RULE_EMAIL_FORM);
	free(local);
	free(label);
	free(last);
	/* a label of 64 */
	assert_refuses(validate_email,
		       "a@dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.vn",
		       RULE_EMAIL_FORM);
}

/* Phones */

static void
test_phone(void **state)
{
	(void)state;
	assert_accepts(validate_phone, "", NULL);
	assert_accepts(validate_phone, NULL, NULL);
	assert_accepts(validate_phone, "   ", NULL);
	assert_accepts(validate_phone, "0912345678", "0912345678");
	assert_accepts(validate_phone, "0912 345 678", "0912345678");
	assert_accepts(validate_phone, "0912.345.678", "0912345678");
	assert_accepts(validate_phone, "091-234-5678", "0912345678");
	assert_accepts(validate_phone, "+84 912 345 678", "0912345678");
	assert_accepts(validate_phone, "+84912345678", "0912345678");
	assert_accepts(validate_phone, "+84 (0) 912.345.678", "0912345678");
	assert_accepts(validate_phone, "84912345678", "0912345678");
	assert_accepts(validate_phone, "84 (0)912 345 678", "0912345678");
	assert_accepts(validate_phone, "0" NBSP "912" NBSP "345" NBSP "678", "0912345678");
	/* fixed lines: 0 + area code 2x(x) + number, 11 digits */
	assert_accepts(validate_phone, "(024) 3825 1234", "02438251234");
	assert_accepts(validate_phone, "+84 24 3825 1234", "02438251234");
	assert_accepts(validate_phone, "842438251234", "02438251234");
	assert_accepts(validate_phone, "0236 382 1234", "02363821234");

	static const char *const bad[] = {
		"912345678", "091234567", "09123456789", "091234567890",
		"+1 202 555 0100", "+8491234567", "+849123456789", "++84912345678",
		"0912+345678", "0912abc678", "0912/345/678", "0912_345_678", "00912345678",
		"0012345678", "+84", "+", "84", "0", "()", "-", "8491234567", "0912345678\n",
		"\xd9\xa0\xd9\xa9\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6\xd9\xa7\xd9\xa8",
		"0912345678901234567890123456789012345678901234567890", "\xff",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refuses(validate_phone, bad[i], RULE_PHONE);
}

/* Tax codes */

static void
test_tax_code_forms(void **state)
{
	(void)state;
	assert_accepts(validate_tax_code, "", NULL);
	assert_accepts(validate_tax_code, NULL, NULL);
	assert_accepts(validate_tax_code, "  ", NULL);
	assert_accepts(validate_tax_code, "0100109106", "0100109106");
	assert_accepts(validate_tax_code, " 0100 109 106 ", "0100109106");
	assert_accepts(validate_tax_code, "0100109106-001", "0100109106-001");
	assert_accepts(validate_tax_code, "0100109106 - 012", "0100109106-012");
	assert_accepts(validate_tax_code, "0100109106999", "0100109106-999");

	static const char *const bad[] = {
		"010010910", "01001091061", "010010910600", "01001091060011", "0100109106-01",
		"0100109106-0011", "0100109106--001", "010010910-6001", "0100109106/001",
		"010010910A", "MST0100109106", "0100109106-", "-001", "0100.109.106", "\xff",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refuses(validate_tax_code, bad[i], RULE_TAX_FORM);
}

static void
test_tax_code_check_digit(void **state)
{
	(void)state;
	/* published codes of well-known organizations */
	static const char *const real[] = {
		"0100109106",	/* Viettel */
		"0100684378",	/* VNPT */
		"0100112437",	/* Vietcombank */
		"0101248141",	/* FPT */
		"0300588569",	/* Vinamilk */
		"0100107370",	/* Petrolimex: check digit 0 */
		"0100100079",	/* EVN */
		"0100107518",	/* Vietnam Airlines */
	};
	for (size_t i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		assert_accepts(validate_tax_code, real[i], real[i]);

		/* any other last digit is refused, with or without a branch */
		for (char d = '0'; d <= '9'; d++) {
			char code[16];
			if (d == real[i][9])
				continue;
			snprintf(code, sizeof(code), "%.9s%c", real[i], d);
			assert_refuses(validate_tax_code, code, RULE_TAX_CHECK);
			snprintf(code, sizeof(code), "%.9s%c-001", real[i], d);
			assert_refuses(validate_tax_code, code, RULE_TAX_CHECK);
		}
	}
	/* a typo in another digit, two digits swapped */
	assert_refuses(validate_tax_code, "0100109116", RULE_TAX_CHECK);
	assert_refuses(validate_tax_code, "0101109106", RULE_TAX_CHECK);
	assert_refuses(validate_tax_code, "1000109106", RULE_TAX_CHECK);

	/* the first nine weigh 0 mod 11: no digit can check them */
	for (char d = '0'; d <= '9'; d++) {
		char code[16];
		snprintf(code, sizeof(code), "000000000%c", d);
		assert_refuses(validate_tax_code, code, RULE_TAX_CHECK);
	}
	/* 000000011: 5·1 + 3·1 = 8, 10 - 8 = 2 */
	assert_accepts(validate_tax_code, "0000000112", "0000000112");

	assert_accepts(validate_tax_code, "0100109106-001", "0100109106-001");
	assert_refuses(validate_tax_code, "0100109106-000", RULE_TAX_BRANCH);
	assert_refuses(validate_tax_code, "0100109106000", RULE_TAX_BRANCH);
}

/* Every function: results freed on every path, nothing leaks (run under
 * ASan), and *out / *rule as the contract says. */
struct any_case {
	validate_fn fn;
	const char *in;
	int result;
};

static const struct any_case any_cases[] = {
	{ validate_name, NGUYEN_NFD " " THI_NFD, 0 },
	{ validate_name, "", -EINVAL },
	{ validate_name, "A\x01", -EINVAL },
	{ validate_name, "\xff", -EINVAL },
	{ validate_text, " " HUONG_NFD " ", 0 },
	{ validate_text, "", 0 },
	{ validate_text, "a\nb", -EINVAL },
	{ validate_birth_date, "4/3/1985", 0 },
	{ validate_birth_date, "", 0 },
	{ validate_birth_date, "31/02/2020", -EINVAL },
	{ validate_issue_date, "10/4/2021", 0 },
	{ validate_issue_date, "", 0 },
	{ validate_issue_date, "10/4/21", -EINVAL },
	{ validate_issued, "1/1/1980", 0 },
	{ validate_sex, "Nữ", 0 },
	{ validate_sex, "", 0 },
	{ validate_sex, "x", -EINVAL },
	{ validate_sex, "a\nb", -EINVAL },
	{ validate_id, "001085012345", 0 },
	{ validate_id, "003085012345", -EINVAL },
	{ validate_id, "12345", -EINVAL },
	{ validate_email, "A@B.VN", 0 },
	{ validate_email, "", 0 },
	{ validate_email, "a@b", -EINVAL },
	{ validate_email, "a@b@c.vn", -EINVAL },
	{ validate_phone, "+84 912 345 678", 0 },
	{ validate_phone, "", 0 },
	{ validate_phone, "12", -EINVAL },
	{ validate_tax_code, "0100109106001", 0 },
	{ validate_tax_code, "", 0 },
	{ validate_tax_code, "0100109107", -EINVAL },
	{ validate_tax_code, "0100109106-000", -EINVAL },
};

static void
test_every_function(void **state)
{
	(void)state;
	id_birth_date = NULL;
	for (size_t i = 0; i < sizeof(any_cases) / sizeof(any_cases[0]); i++) {
		const struct any_case *c = &any_cases[i];
		char *out = (char *)1;
		const char *rule = "unset";
		int r = c->fn(c->in, &out, &rule);
		if (r != c->result)
			fail_msg("case %zu \"%s\": %d, not %d", i, c->in, r, c->result);
		if (r == 0)
			assert_null(rule);
		else
			assert_null(out);
		if (r == -EINVAL)
			assert_non_null(rule);
		free(out);
	}
}

/* Each allocation of a successful call, made to fail in turn: -ENOMEM,
 * *out NULL, nothing leaked, until there is none left to fail. */
static void
test_enomem(void **state)
{
	(void)state;
	id_birth_date = NULL;
	for (size_t i = 0; i < sizeof(any_cases) / sizeof(any_cases[0]); i++) {
		const struct any_case *c = &any_cases[i];
		if (c->result != 0)
			continue;
		int r, fails = 0;
		do {
			char *out = (char *)1;
			const char *rule = "unset";
			allocs_until_failure = fails;
			r = c->fn(c->in, &out, &rule);
			if (r == -ENOMEM) {
				assert_null(out);
				assert_null(rule);
				fails++;
			} else {
				assert_int_equal(r, 0);
				free(out);
			}
		} while (r == -ENOMEM && fails < 10);
		allocs_until_failure = -1;
		assert_int_equal(r, 0);
		/* every case allocates: its result at least */
		if (fails == 0)
			fail_msg("case %zu \"%s\" never failed", i, c->in);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_name_nfc),
		TEST(test_name_blanks),
		TEST(test_name_required),
		TEST(test_name_control),
		TEST(test_name_length),
		TEST(test_name_utf8),
		TEST(test_text),
		TEST(test_birth_date_forms),
		TEST(test_birth_date_calendar),
		TEST(test_birth_date_future),
		TEST(test_birth_date_empty),
		TEST(test_id_issued_on),
		TEST(test_sex),
		TEST(test_cmnd),
		TEST(test_cccd_provinces),
		TEST(test_cccd_birth_year),
		TEST(test_email),
		TEST(test_phone),
		TEST(test_tax_code_forms),
		TEST(test_tax_code_check_digit),
		TEST(test_every_function),
		TEST(test_enomem),
	};
	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
