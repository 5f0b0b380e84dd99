/* Number words, uppercase and date lines of the forms (FORMS.md). */
#include "date.h"
#include "forms.h"
#include "words.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

static const char *const digit[10] = {
	"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
};

struct buf {
	char s[512];
	size_t len;
};

static void put(struct buf *b, const char *w)
{
	size_t n = strlen(w);
	if (b->len + n + 2 >= sizeof b->s)
		return; /* cannot happen: an unsigned needs far less */
	if (b->len)
		b->s[b->len++] = ' ';
	memcpy(b->s + b->len, w, n + 1);
	b->len += n;
}

/* 0 < n < 1000; FULL when a higher group was spoken, so that the
 * hundreds and the "linh" must be said ("một nghìn không trăm linh năm"). */
static void group(struct buf *b, unsigned n, int full)
{
	unsigned h = n / 100, t = n / 10 % 10, u = n % 10;

	if (h || full) {
		put(b, digit[h]);
		put(b, "trăm");
	}
	if (t == 0) {
		if (u && (h || full))
			put(b, "linh");
		if (u)
			put(b, digit[u]);
		return;
	}
	if (t == 1) {
		put(b, "mười");
	} else {
		put(b, digit[t]);
		put(b, "mươi");
	}
	if (u == 1)
		put(b, t == 1 ? "một" : "mốt");
	else if (u == 5)
		put(b, "lăm");
	else if (u)
		put(b, digit[u]); /* 24: "hai mươi bốn" (not "tư") */
}

char *forms_count_words(unsigned n)
{
	static const char *const scale[] = { "tỷ", "triệu", "nghìn", "" };
	static const unsigned div[] = { 1000000000u, 1000000u, 1000u, 1u };
	struct buf b = { .len = 0 };

	if (n == 0)
		return strdup(digit[0]);
	b.s[0] = '\0';
	for (int i = 0; i < 4; i++) {
		unsigned g = n / div[i] % 1000;
		if (i == 0)
			g = n / div[i]; /* at most 4 */
		if (!g)
			continue;
		group(&b, g, b.len > 0);
		if (*scale[i])
			put(&b, scale[i]);
	}
	return strdup(b.s);
}

char *forms_upper_vi(const char *utf8)
{
	size_t len = 0;
	uint8_t *r;
	char *out;

	if (!utf8 || u8_check((const uint8_t *)utf8, strlen(utf8)))
		return NULL;
	r = u8_toupper((const uint8_t *)utf8, strlen(utf8), NULL, UNINORM_NFC, NULL, &len);
	if (!r)
		return NULL;
	out = realloc(r, len + 1);
	if (!out) {
		free(r);
		return NULL;
	}
	out[len] = '\0';
	return out;
}

char *forms_format(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

int forms_parse_date(const char *iso, struct forms_date *d)
{
	struct khoa_datetime t;

	if (khoa_date_parse(iso, KHOA_DATE_ISO | KHOA_DATE_TIME, &t) < 0)
		return -EINVAL;
	*d = (struct forms_date){ .year = t.year, .month = t.month, .day = t.day,
				  .hour = t.hour, .minute = t.minute, .has_time = t.has_time };
	return 0;
}

int forms_today(struct forms_date *d)
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == (time_t)-1 || !localtime_r(&now, &tm))
		return errno ? -errno : -EINVAL;
	*d = (struct forms_date){ .year = tm.tm_year + 1900, .month = tm.tm_mon + 1,
				  .day = tm.tm_mday };
	return 0;
}

char *forms_date_line(const char *place, const struct forms_date *d)
{
	/* FORMS.md: "ngày 05", "tháng 01", "tháng 02", but "tháng 3" */
	char month[16];

	if (d->month <= 2)
		snprintf(month, sizeof month, "%02d", d->month);
	else
		snprintf(month, sizeof month, "%d", d->month);
	if (place && *place)
		return forms_format("%s, ngày %02d tháng %s năm %d", place, d->day, month, d->year);
	return forms_format("ngày %02d tháng %s năm %d", d->day, month, d->year);
}

char *forms_date_line_or_blank(const char *place, const struct forms_date *d)
{
	if (d)
		return forms_date_line(place, d);
	if (place && *place)
		return forms_format("%s, ngày … tháng … năm …", place);
	return forms_format("ngày … tháng … năm …");
}

char *forms_date_dmy(const char *iso)
{
	struct forms_date d;

	if (!iso)
		return NULL;
	if (forms_parse_date(iso, &d))
		return strdup(iso);
	return forms_format("%02d/%02d/%04d", d.day, d.month, d.year);
}

char *forms_count(unsigned n, const char *unit)
{
	char *w = forms_count_words(n), *s;

	if (!w)
		return NULL;
	s = unit && *unit ? forms_format("%02u (%s) %s", n, w, unit) : forms_format("%02u (%s)", n, w);
	free(w);
	return s;
}
