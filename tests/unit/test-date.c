/* common/date.c: the one calendar of daemon, client and forms. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "date.h"

static struct khoa_datetime
parse_ok(const char *s, unsigned forms)
{
	struct khoa_datetime t;
	if (khoa_date_parse(s, forms, &t) != 0)
		fail_msg("'%s' was refused", s);
	return t;
}

/* S is refused: -EINVAL when it has none of the forms, -ERANGE when it
 * names no real date or time. */
static void
refused_as(const char *s, unsigned forms, int error)
{
	struct khoa_datetime t = { .year = 7 };
	int r = khoa_date_parse(s, forms, &t);
	if (r != error)
		fail_msg("'%s' gave %d, not %d", s, r, error);
	if (error == -EINVAL)
		assert_int_equal(t.year, 7);	/* untouched */
}
#define refused(s, forms) refused_as((s), (forms), -EINVAL)
#define unreal(s, forms) refused_as((s), (forms), -ERANGE)

static void
test_leap_years(void **state)
{
	assert_true(khoa_date_is_leap(2024));
	assert_true(khoa_date_is_leap(2000));
	assert_false(khoa_date_is_leap(1900));
	assert_false(khoa_date_is_leap(2026));
	assert_int_equal(khoa_date_month_days(2024, 2), 29);
	assert_int_equal(khoa_date_month_days(2100, 2), 28);
	assert_int_equal(khoa_date_month_days(2026, 4), 30);
	assert_int_equal(khoa_date_month_days(2026, 13), 0);
}

static void
test_iso_date(void **state)
{
	struct khoa_datetime t = parse_ok("2024-02-29", KHOA_DATE_ISO);
	assert_int_equal(t.year, 2024);
	assert_int_equal(t.month, 2);
	assert_int_equal(t.day, 29);
	assert_false(t.has_time);
	unreal("2026-02-29", KHOA_DATE_ISO);
	unreal("2026-04-31", KHOA_DATE_ISO);
	unreal("2026-13-01", KHOA_DATE_ISO);
	unreal("2026-00-10", KHOA_DATE_ISO);
	refused("2026-1-10", KHOA_DATE_ISO);
	refused("2026-01-10 ", KHOA_DATE_ISO);
	refused(" 2026-01-10", KHOA_DATE_ISO);
	refused("", KHOA_DATE_ISO);
	refused(NULL, KHOA_DATE_ISO);
	/* a form not asked for */
	refused("24/11/2026", KHOA_DATE_ISO);
	refused("2026-11-24", KHOA_DATE_DMY);
	refused("2026-11-24T10:00:00Z", KHOA_DATE_ISO);
}

static void
test_dmy(void **state)
{
	struct khoa_datetime t = parse_ok("5/3/1986", KHOA_DATE_DMY);
	assert_int_equal(t.year, 1986);
	assert_int_equal(t.month, 3);
	assert_int_equal(t.day, 5);
	t = parse_ok("29.02.2000", KHOA_DATE_DMY | KHOA_DATE_ISO);
	assert_int_equal(t.day, 29);
	parse_ok("01-12-2026", KHOA_DATE_DMY);
	unreal("29/02/2026", KHOA_DATE_DMY);
	/* the numbers read, for a caller that checks the year alone */
	struct khoa_datetime t2;
	assert_int_equal(khoa_date_parse("31/04/1999", KHOA_DATE_DMY, &t2), -ERANGE);
	assert_int_equal(t2.year, 1999);
	refused("01/12.2026", KHOA_DATE_DMY);	/* two separators */
	refused("01/12/26", KHOA_DATE_DMY);	/* a two-digit year */
	refused("001/12/2026", KHOA_DATE_DMY);
	refused("1/12/2026x", KHOA_DATE_DMY);
	refused(" 1/12/2026", KHOA_DATE_DMY);
	refused("+1/12/2026", KHOA_DATE_DMY);
}

static void
test_utc_times(void **state)
{
	struct khoa_datetime t = parse_ok("2026-11-24T20:28:31Z", KHOA_DATE_TIME_UTC);
	assert_true(t.has_time && t.has_zone);
	assert_int_equal(t.hour, 20);
	assert_int_equal(t.minute, 28);
	assert_int_equal(t.second, 31);
	t = parse_ok("2026-11-24T20:28Z", KHOA_DATE_TIME_UTC);
	assert_int_equal(t.second, 0);
	refused("2026-11-24T20:28:31", KHOA_DATE_TIME_UTC);	/* no zone */
	refused("2026-11-24T20:28:31+07:00", KHOA_DATE_TIME_UTC);
	unreal("2026-11-24T24:00Z", KHOA_DATE_TIME_UTC);
	unreal("2026-11-24T20:60Z", KHOA_DATE_TIME_UTC);
	unreal("2026-11-24T20:28:60Z", KHOA_DATE_TIME_UTC);
	refused("2026-11-24t20:28Z", KHOA_DATE_TIME_UTC);
	refused("2026-11-24T20:28:31.5Z", KHOA_DATE_TIME_UTC);
	refused("2026-11-24", KHOA_DATE_TIME_UTC);
}

static void
test_times_with_offsets(void **state)
{
	unsigned any = KHOA_DATE_ISO | KHOA_DATE_TIME;
	/* 06:00 in Hà Nội is 23:00 UTC the day before */
	struct khoa_datetime t = parse_ok("2026-03-01T06:00:00+07:00", any);
	assert_int_equal(t.offset_s, 7 * 3600);
	struct khoa_datetime u = khoa_datetime_utc(t);
	assert_int_equal(u.year, 2026);
	assert_int_equal(u.month, 2);
	assert_int_equal(u.day, 28);
	assert_int_equal(u.hour, 23);
	/* and west of Greenwich, across a year */
	u = khoa_datetime_utc(parse_ok("2026-12-31 20:30-0500", any));
	assert_int_equal(u.year, 2027);
	assert_int_equal(u.month, 1);
	assert_int_equal(u.day, 1);
	assert_int_equal(u.hour, 1);
	assert_int_equal(u.minute, 30);
	/* no zone: taken as UTC */
	u = khoa_datetime_utc(parse_ok("2026-11-24t20:28:31.123", any));
	assert_int_equal(u.day, 24);
	/* a leap second stays one */
	u = khoa_datetime_utc(parse_ok("2016-12-31T23:59:60Z", any));
	assert_int_equal(u.second, 60);
	assert_int_equal(u.day, 31);
	unreal("2026-11-24T20:28:31+24:00", any);
	unreal("2026-11-24T20:28:31+07:60", any);
	refused("2026-11-24T20:28:31.", any);
	refused("2026-11-24T20:28:31Zjunk", any);
}

static void
test_days(void **state)
{
	struct khoa_datetime epoch = parse_ok("1970-01-01", KHOA_DATE_ISO);
	assert_int_equal(khoa_date_days(&epoch), 0);
	struct khoa_datetime t = parse_ok("2000-03-01", KHOA_DATE_ISO);
	assert_int_equal(khoa_date_days(&t), 11017);
	t = parse_ok("1969-12-31", KHOA_DATE_ISO);
	assert_int_equal(khoa_date_days(&t), -1);
	/* round trip over four centuries, every day */
	for (int64_t s = -10957LL * 86400; s < 400LL * 366 * 86400; s += 86400 * 7 + 3601) {
		struct khoa_datetime d = khoa_datetime_of((time_t)s);
		assert_int_equal((int64_t)khoa_datetime_time(&d), s);
	}
	t = khoa_datetime_of(-1);
	assert_int_equal(t.year, 1969);
	assert_int_equal(t.hour, 23);
	assert_int_equal(t.second, 59);
	/* days until: by the UTC date of now */
	struct khoa_datetime due = parse_ok("2026-12-04", KHOA_DATE_ISO);
	struct khoa_datetime now = parse_ok("2026-12-01T23:59:59Z", KHOA_DATE_TIME_UTC);
	assert_int_equal(khoa_date_days_until(khoa_datetime_time(&now), &due), 3);
}

static void
test_add_years(void **state)
{
	struct khoa_datetime t = khoa_date_add_years(parse_ok("2024-02-29", KHOA_DATE_ISO), 5);
	char buf[KHOA_DATE_ISO_SIZE];
	khoa_date_iso(&t, buf);
	assert_string_equal(buf, "2029-02-28");
	t = khoa_date_add_years(parse_ok("2024-02-29", KHOA_DATE_ISO), 4);
	khoa_date_iso(&t, buf);
	assert_string_equal(buf, "2028-02-29");
}

static void
test_format(void **state)
{
	char date[KHOA_DATE_ISO_SIZE], time[KHOA_TIME_ISO_SIZE];
	struct khoa_datetime t = khoa_datetime_of(1795550911);
	khoa_date_iso(&t, date);
	khoa_time_iso(&t, time);
	assert_string_equal(date, "2026-11-24");
	assert_string_equal(time, "2026-11-24T20:08:31Z");
	struct khoa_datetime back = parse_ok(time, KHOA_DATE_TIME_UTC);
	assert_int_equal((int64_t)khoa_datetime_time(&back), 1795550911);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_iso_date),
		cmocka_unit_test(test_dmy),
		cmocka_unit_test(test_utc_times),
		cmocka_unit_test(test_times_with_offsets),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_add_years),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
