/* One calendar for daemon, client and forms (date.h). */
#include <errno.h>
#include <stdio.h>

#include "date.h"

bool
khoa_date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
khoa_date_month_days(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (month < 1 || month > 12)
		return 0;
	return month == 2 && khoa_date_is_leap(year) ? 29 : days[month - 1];
}

/* Between MIN and MAX decimal digits at *S into *OUT, advancing *S. */
static bool
number(const char **s, int min, int max, int *out)
{
	int n = 0, v = 0;
	while (n < max && (*s)[n] >= '0' && (*s)[n] <= '9') {
		v = v * 10 + ((*s)[n] - '0');
		n++;
	}
	if (n < min)
		return false;
	*s += n;
	*out = v;
	return true;
}

/* Whether T, of the right form, names a real date and time; LEAP_SECOND:
 * whether :60 may be. */
static bool
real(const struct khoa_datetime *t, bool leap_second)
{
	int offset = t->offset_s < 0 ? -t->offset_s : t->offset_s;
	return t->month >= 1 && t->month <= 12 && t->day >= 1 &&
	       t->day <= khoa_date_month_days(t->year, t->month) && t->hour <= 23 &&
	       t->minute <= 59 && t->second <= (leap_second ? 60 : 59) &&
	       offset / 3600 <= 23 && offset % 3600 / 60 <= 59;
}

/* "HH:MM[:SS[.fff]][zone]" at S after an ISO date; UTC_ONLY: seconds
 * optional, no fraction, 'Z' required. The form only: ranges are real()'s. */
static bool
parse_time(const char *s, bool utc_only, struct khoa_datetime *t)
{
	if (!number(&s, 2, 2, &t->hour) || *s++ != ':' || !number(&s, 2, 2, &t->minute))
		return false;
	if (*s == ':') {
		s++;
		if (!number(&s, 2, 2, &t->second))
			return false;
		if (!utc_only && (*s == '.' || *s == ',')) {
			s++;
			int ignored;
			if (!number(&s, 1, 1, &ignored))
				return false;
			while (*s >= '0' && *s <= '9')
				s++;
		}
	}
	t->has_time = true;
	if (*s == 'Z' || (!utc_only && *s == 'z')) {
		t->has_zone = true;
		s++;
	} else if (!utc_only && (*s == '+' || *s == '-')) {
		int sign = *s++ == '-' ? -1 : 1, oh, om = 0;
		if (!number(&s, 2, 2, &oh))
			return false;
		if (*s == ':')
			s++;
		if (*s && !number(&s, 2, 2, &om))
			return false;
		/* a minute past 59 makes an offset of a day, which real() refuses */
		t->has_zone = true;
		t->offset_s = sign * (oh * 3600 + (om > 59 ? 60 * 60 * 24 : om * 60));
	} else if (utc_only) {
		return false;
	}
	return *s == '\0';
}

static bool
parse_iso(const char *s, unsigned forms, struct khoa_datetime *t)
{
	if (!number(&s, 4, 4, &t->year) || *s++ != '-' || !number(&s, 2, 2, &t->month) ||
	    *s++ != '-' || !number(&s, 2, 2, &t->day))
		return false;
	if (*s == '\0')
		return (forms & KHOA_DATE_ISO) != 0;
	if ((forms & KHOA_DATE_TIME) && (*s == 'T' || *s == 't' || *s == ' '))
		return parse_time(s + 1, false, t);
	if ((forms & KHOA_DATE_TIME_UTC) && *s == 'T')
		return parse_time(s + 1, true, t);
	return false;
}

static bool
parse_dmy(const char *s, struct khoa_datetime *t)
{
	char sep;
	if (!number(&s, 1, 2, &t->day))
		return false;
	sep = *s++;
	if (sep != '/' && sep != '.' && sep != '-')
		return false;
	return number(&s, 1, 2, &t->month) && *s++ == sep && number(&s, 4, 4, &t->year) &&
	       *s == '\0';
}

int
khoa_date_parse(const char *s, unsigned forms, struct khoa_datetime *out)
{
	struct khoa_datetime t = { 0 };

	if (!s)
		return -EINVAL;
	if (!parse_iso(s, forms, &t)) {
		t = (struct khoa_datetime){ 0 };
		if (!(forms & KHOA_DATE_DMY) || !parse_dmy(s, &t))
			return -EINVAL;
	}
	*out = t;
	/* a leap second only where any ISO 8601 time is taken */
	return real(&t, (forms & KHOA_DATE_TIME) != 0) ? 0 : -ERANGE;
}

/* H. Hinnant's days_from_civil and civil_from_days (public domain). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, struct khoa_datetime *t)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	t->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	t->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	t->year = (int)(yoe + era * 400 + (t->month <= 2));
}

int64_t
khoa_date_days(const struct khoa_datetime *t)
{
	return days_from_civil(t->year, t->month, t->day);
}

/* Floor division: the day of a time before 1970 too. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

struct khoa_datetime
khoa_datetime_of(time_t when)
{
	int64_t s = (int64_t)when, days = floor_div(s, 86400), rest = s - days * 86400;
	struct khoa_datetime t = { .has_time = true, .has_zone = true };

	civil_from_days(days, &t);
	t.hour = (int)(rest / 3600);
	t.minute = (int)(rest / 60 % 60);
	t.second = (int)(rest % 60);
	return t;
}

time_t
khoa_datetime_time(const struct khoa_datetime *t)
{
	return (time_t)(khoa_date_days(t) * 86400 + t->hour * 3600 + t->minute * 60 +
			t->second - t->offset_s);
}

struct khoa_datetime
khoa_datetime_utc(struct khoa_datetime t)
{
	if (!t.has_time || t.offset_s == 0) {
		t.offset_s = 0;
		return t;
	}
	int second = t.second;
	t.second = second > 59 ? 59 : second;	/* a leap second keeps its 60 … */
	struct khoa_datetime u = khoa_datetime_of(khoa_datetime_time(&t));
	u.second = second;			/* … on the minute it ends */
	return u;
}

struct khoa_datetime
khoa_date_add_years(struct khoa_datetime t, int years)
{
	t.year += years;
	int last = khoa_date_month_days(t.year, t.month);
	if (t.day > last)
		t.day = last;
	return t;
}

int64_t
khoa_date_days_until(time_t now, const struct khoa_datetime *t)
{
	return khoa_date_days(t) - floor_div((int64_t)now, 86400);
}

void
khoa_date_iso(const struct khoa_datetime *t, char buf[KHOA_DATE_ISO_SIZE])
{
	/* (the ranges spelled out for the compiler's format check) */
	snprintf(buf, KHOA_DATE_ISO_SIZE, "%04u-%02u-%02u", (unsigned)t->year % 10000,
		 (unsigned)t->month % 100, (unsigned)t->day % 100);
}

void
khoa_time_iso(const struct khoa_datetime *t, char buf[KHOA_TIME_ISO_SIZE])
{
	snprintf(buf, KHOA_TIME_ISO_SIZE, "%04u-%02u-%02uT%02u:%02u:%02uZ",
		 (unsigned)t->year % 10000, (unsigned)t->month % 100, (unsigned)t->day % 100,
		 (unsigned)t->hour % 100, (unsigned)t->minute % 100, (unsigned)t->second % 100);
}

void
khoa_time_iso_at(time_t when, char buf[KHOA_TIME_ISO_SIZE])
{
	struct khoa_datetime t = khoa_datetime_of(when);
	khoa_time_iso(&t, buf);
}
