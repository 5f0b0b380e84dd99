/* forms/words.c: the words of the forms (internal to forms/). */
#pragma once

#include <stdbool.h>

struct forms_date {
	int year, month, day;
	int hour, minute;
	bool has_time;
};

/* printf into a new string (malloc'ed; NULL when out of memory). */
char *forms_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses an ISO 8601 date or date-time (date.h: "2026-03-05", "2026-03-05T09:30:00Z",
 * "2026-03-05 09:30"); the digits are taken as written, without converting
 * time zones. 0 or -EINVAL. */
int forms_parse_date(const char *iso, struct forms_date *d);

/* Today's date in local time, for a paper dated when it is printed. 0 or
 * -errno. */
int forms_today(struct forms_date *d);

/* "Thái Bình, ngày 05 tháng 3 năm 2026" (FORMS.md: days below 10 and the
 * months 1 and 2 take a leading zero); without PLACE (NULL or "") only
 * "ngày 05 tháng 3 năm 2026". Malloc'ed. */
char *forms_date_line(const char *place, const struct forms_date *d);

/* The same for D, or, when D is NULL, the line to fill by hand: "Thái
 * Bình, ngày … tháng … năm …". Malloc'ed. */
char *forms_date_line_or_blank(const char *place, const struct forms_date *d);

/* dd/mm/yyyy of an ISO date for table cells; a string that is no ISO date
 * is copied as it is; NULL gives NULL. Malloc'ed. */
char *forms_date_dmy(const char *iso);

/* A count in figures and words: "03 (ba) bộ"; UNIT may be NULL. */
char *forms_count(unsigned n, const char *unit);
