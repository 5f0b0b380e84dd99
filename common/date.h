/*
 * Calendar dates and times as khoa reads and writes them: the protocol's ISO
 * 8601 (UTC), and a date as a person types it (dd/mm/yyyy). One proleptic
 * Gregorian calendar for daemon, client and forms, with no time-zone state
 * (no timegm(), no TZ), so that they agree to the day. Pure functions; no
 * allocation.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* A date, and a time of day as written (OFFSET_S seconds east of UTC). */
struct khoa_datetime {
	int year, month, day;
	int hour, minute, second;
	bool has_time;		/* false: a date alone (the time fields are 0) */
	bool has_zone;		/* a 'Z' or an offset was written */
	int offset_s;
};

/* The forms khoa_date_parse() accepts; OR them. */
enum {
	KHOA_DATE_ISO = 1 << 0,		/* 2026-11-24 */
	KHOA_DATE_DMY = 1 << 1,		/* 24/11/2026, 24.11.2026, 24-11-2026; 1 or 2
					 * digits for day and month, the same separator twice */
	KHOA_DATE_TIME_UTC = 1 << 2,	/* 2026-11-24T20:28Z, 2026-11-24T20:28:31Z */
	KHOA_DATE_TIME = 1 << 3,	/* any ISO 8601 time: 'T', 't' or ' ', seconds and a
					 * fraction optional, 'Z', ±hh[:mm] or no zone (UTC) */
};

/* Whether YEAR is a leap year; the days of MONTH (1–12) in YEAR. */
bool khoa_date_is_leap(int year);
int khoa_date_month_days(int year, int month);

/*
 * S in one of the FORMS into *OUT: 0; -EINVAL when S has none of the forms;
 * -ERANGE when it has one but names no real date or time (31/04, 29/02 of a
 * common year, 24:00, +25:00), *OUT then holding the numbers read. The
 * fields are as written;
 * khoa_datetime_utc() moves them to UTC.
 */
int khoa_date_parse(const char *s, unsigned forms, struct khoa_datetime *out);

/* T moved to UTC by its offset (the date may move a day either way). */
struct khoa_datetime khoa_datetime_utc(struct khoa_datetime t);

/* Days from 1970-01-01 to the date of T (as written; negative before). */
int64_t khoa_date_days(const struct khoa_datetime *t);

/* The UTC date and time of T seconds after the epoch. */
struct khoa_datetime khoa_datetime_of(time_t t);

/* Seconds since the epoch of T (its offset applied; none: UTC). */
time_t khoa_datetime_time(const struct khoa_datetime *t);

/* The date YEARS years after T's: same day and month; 29 February, when the
 * later year has none, becomes 28 February (the shorter term, which cannot
 * exceed what the regulation counts in years). */
struct khoa_datetime khoa_date_add_years(struct khoa_datetime t, int years);

/* Whole days from the UTC date of NOW to the date of T (as written). */
int64_t khoa_date_days_until(time_t now, const struct khoa_datetime *t);

/* "2026-11-24" and "2026-11-24T20:28:31Z" (T as written; years 0–9999). */
#define KHOA_DATE_ISO_SIZE sizeof("YYYY-MM-DD")
#define KHOA_TIME_ISO_SIZE sizeof("YYYY-MM-DDTHH:MM:SSZ")
void khoa_date_iso(const struct khoa_datetime *t, char buf[KHOA_DATE_ISO_SIZE]);
void khoa_time_iso(const struct khoa_datetime *t, char buf[KHOA_TIME_ISO_SIZE]);
/* The UTC time WHEN as the protocol and the registry write it. */
void khoa_time_iso_at(time_t when, char buf[KHOA_TIME_ISO_SIZE]);
