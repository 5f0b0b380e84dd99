/* certificate.expiring and certificate.expired, and the list of what is
 * coming (io.khoa.Expiry). */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <event2/event.h>

#include "date.h"
#include "events.h"
#include "expiry.h"
#include "jsonb.h"
#include "log.h"
#include "message.h"
#include "registry.h"
#include "rules.h"
#include "store-expiry.h"
#include "store-revocation-due.h"
#include "store.h"

#define EXPIRY_INTERVAL_S 3600

struct expiry {
	struct khoad *d;
	struct event *timer;
	int warn[EXPIRY_WARN_MAX + 1];	/* descending, 0-terminated */
	int64_t writes;			/* store_write_count() after the last check */
	bool checked;
};

static int
cmp_desc(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x < y) - (x > y);
}

bool
expiry_parse_warn(const char *text, int out[EXPIRY_WARN_MAX + 1])
{
	int v[EXPIRY_WARN_MAX + 1] = { 0 };
	size_t n = 0;
	const char *s = text;

	for (;;) {
		char *end;
		if (*s < '0' || *s > '9' || n == EXPIRY_WARN_MAX)
			return false;
		errno = 0;
		long x = strtol(s, &end, 10);
		if (errno || x < 1 || x > 3650)
			return false;
		v[n++] = (int)x;
		if (*end == '\0')
			break;
		if (*end != ',')
			return false;
		s = end + 1;
	}
	qsort(v, n, sizeof(v[0]), cmp_desc);
	for (size_t i = 1; i < n; i++)
		if (v[i] == v[i - 1])
			return false;
	memcpy(out, v, sizeof(v));
	return true;
}

/* What the rules say of renewing C today. */
static bool
renewal(const struct rules_profile *p, const struct cert_expiry *c, time_t now,
	struct rule_why *why)
{
	return rules_renewal_possible(p, now, c->not_after, c->renewals, why);
}

/* Whether C has expired: its notAfter is now or before (both are ISO 8601
 * UTC as the registry writes them, so they compare as text). */
static bool
expired(const struct cert_expiry *c, const char *now)
{
	return strcmp(c->not_after, now) <= 0;
}

static int
record_expired(struct khoad *d, const struct cert_expiry *c, int left)
{
	int r;

	if ((r = store_expiry_notice_add(d->store, c->id, "expired", 0, left)) < 0)
		return r == -EEXIST ? 0 : r;
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "serial", c->serial);
	jsonb_str(&b, "token_serial", c->token_serial);
	jsonb_str(&b, "subject_cn", c->subject_cn);
	jsonb_str(&b, "not_after", c->not_after);
	jsonb_int(&b, "days_left", left);
	json_object *details = jsonb_finish(&b);
	if (!details)
		return -ENOMEM;
	return events_record(d->events, "certificate.expired", c->token_serial, NULL, details);
}

static int
record_expiring(struct khoad *d, const struct cert_expiry *c, int left, int threshold,
		time_t now)
{
	struct rule_why why = { 0 };
	int r;

	if ((r = store_expiry_notice_add(d->store, c->id, "expiring", threshold, left)) < 0)
		return r == -EEXIST ? 0 : r;
	struct jsonb b = jsonb_new();
	bool possible = renewal(d->rules, c, now, &why);
	jsonb_str(&b, "serial", c->serial);
	jsonb_str(&b, "token_serial", c->token_serial);
	jsonb_str(&b, "subject_cn", c->subject_cn);
	jsonb_str(&b, "not_after", c->not_after);
	jsonb_int(&b, "days_left", left);
	jsonb_int(&b, "threshold", threshold);
	jsonb_bool(&b, "renewal_possible", possible);
	if (!possible)
		rule_why_put(&b, &why, "reason");
	json_object *details = jsonb_finish(&b);
	if (!details)
		return -ENOMEM;
	return events_record(d->events, "certificate.expiring", c->token_serial, NULL, details);
}

/* The notAfter before which a certificate expires within DAYS days
 * (rules_days_until(NOW, its notAfter) <= DAYS), expired ones included: the
 * midnight (UTC) ending the day DAYS days from today. */
static void
horizon(time_t now, int days, char buf[KHOA_TIME_ISO_SIZE])
{
	khoa_time_iso_at((now / 86400 + days + 1) * 86400, buf);
}

/* The events due for C, recorded in the current transaction. */
static int
check_one(struct khoad *d, const struct cert_expiry *c, time_t now, const char *now_iso,
	  bool *recorded)
{
	int left = rules_days_until(now, c->not_after);

	if (!c->token_serial || left == INT_MIN)
		return 0;
	if (expired(c, now_iso)) {
		if (c->expired_notice >= 0)
			return 0;
		*recorded = true;
		return record_expired(d, c, left);
	}
	/* The smallest threshold crossed: the most urgent warning. */
	int threshold = 0;
	for (const int *t = d->expiry->warn; *t; t++)
		if (left <= *t)
			threshold = *t;
	if (!threshold)
		return 0;
	/* Not again, nor after a more urgent one (the thresholds may have
	 * changed since). */
	if (c->expiring_notice >= 0 && c->expiring_notice <= threshold)
		return 0;
	*recorded = true;
	return record_expiring(d, c, left, threshold, now);
}

/* Điều 13.4: a token whose certificate's revocation is done is handed back
 * to Sở TT&TT; one not back after the profile's return-days is raised
 * once, token.return_overdue (issue 16). */
static int
check_returns(struct khoad *d, bool *recorded)
{
	json_object *late = NULL;
	int r = store_return_overdue_take(d->store, d->rules->return_days, &late);

	for (size_t i = 0; r == 0 && i < json_object_array_length(late); i++) {
		json_object *u = json_object_array_get_idx(late, i);
		const char *token = khoa_json_str(u, "token_serial");
		*recorded = true;
		r = events_record(d->events, "token.return_overdue", token, NULL, json_object_get(u));
	}
	json_object_put(late);
	return r;
}

void
expiry_check(struct khoad *d)
{
	struct cert_expiry *certs = NULL;
	size_t n = 0;
	bool recorded = false;
	time_t now = time(NULL);
	char now_iso[21], until[KHOA_TIME_ISO_SIZE];
	int r;

	if (d->stopping || !d->expiry || (r = registry_begin(d)) < 0)
		return;
	khoa_time_iso_at(now, now_iso);
	/* those the first warning (the largest threshold) covers, and the expired */
	horizon(now, d->expiry->warn[0], until);
	r = store_cert_expiry_list(d->store, until, NULL, &certs, &n);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = check_one(d, &certs[i], now, now_iso, &recorded);
	store_cert_expiry_free(certs, n);
	if (r == 0)
		r = check_returns(d, &recorded);
	if (r < 0) {
		log_error("cannot record certificate expiry warnings");
		registry_rollback(d);
	} else if (!recorded) {
		registry_rollback(d);
	} else if (registry_commit(d) < 0) {
		/* rolled back by registry_commit() */
		log_error("cannot record certificate expiry warnings");
	}
	d->expiry->writes = store_write_count(d->store);
	d->expiry->checked = true;
}

void
expiry_after_scan(struct khoad *d)
{
	if (d->expiry && (!d->expiry->checked ||
			  store_write_count(d->store) != d->expiry->writes))
		expiry_check(d);
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	expiry_check(arg);
}

struct expiry *
expiry_start(struct khoad *d, const int *warn)
{
	struct expiry *e = calloc(1, sizeof(*e));
	struct timeval tv = { .tv_sec = EXPIRY_INTERVAL_S };
	size_t n = 0;

	if (!e)
		goto fail;
	e->d = d;
	for (; warn[n] && n < EXPIRY_WARN_MAX; n++)
		e->warn[n] = warn[n];
	if (!(e->timer = event_new(d->base, -1, EV_PERSIST, on_tick, d)) ||
	    event_add(e->timer, &tv) < 0)
		goto fail;
	d->expiry = e;
	expiry_check(d);
	return e;
fail:
	log_error("cannot start the certificate expiry check");
	expiry_free(e);
	return NULL;
}

void
expiry_set_warn(struct khoad *d, const int *warn)
{
	size_t n = 0;

	if (!d->expiry)
		return;
	memset(d->expiry->warn, 0, sizeof(d->expiry->warn));
	for (; warn[n] && n < EXPIRY_WARN_MAX; n++)
		d->expiry->warn[n] = warn[n];
	expiry_check(d);
}

void
expiry_free(struct expiry *e)
{
	if (!e)
		return;
	if (e->timer)
		event_free(e->timer);
	if (e->d && e->d->expiry == e)
		e->d->expiry = NULL;
	free(e);
}

int
expiry_horizon(const struct khoad *d)
{
	return d->expiry && d->expiry->warn[0] ? d->expiry->warn[0] : d->rules->warn_days[0];
}

static json_object *
expiring_json(const struct khoad *d, const struct cert_expiry *c, int left, time_t now)
{
	struct rule_why why = { 0 };
	struct jsonb b = jsonb_new();
	bool possible = renewal(d->rules, c, now, &why);

	jsonb_str(&b, "token_serial", c->token_serial);
	jsonb_str(&b, "serial", c->serial);
	jsonb_str(&b, "subject_cn", c->subject_cn);
	jsonb_str(&b, "not_after", c->not_after);
	jsonb_int(&b, "days_left", left);
	jsonb_bool(&b, "renewal_possible", possible);
	if (!possible)
		rule_why_put(&b, &why, "reason");
	jsonb_str(&b, "holder", c->holder);
	return jsonb_finish(&b);
}

int
expiry_list(struct khoad *d, int days, struct store_page *p, json_object **out)
{
	struct cert_expiry *certs = NULL;
	size_t n = 0;
	time_t now = time(NULL);
	json_object *arr = json_object_new_array();
	char until[KHOA_TIME_ISO_SIZE];
	int r;

	*out = NULL;
	if (!arr)
		return -ENOMEM;
	horizon(now, days, until);
	if ((r = store_cert_expiry_list(d->store, until, p, &certs, &n)) < 0) {
		json_object_put(arr);
		return r;
	}
	/* The store gives them soonest first. */
	for (size_t i = 0; r == 0 && i < n; i++) {
		int left = rules_days_until(now, certs[i].not_after);
		if (left == INT_MIN || left > days)
			continue;
		json_object *item = expiring_json(d, &certs[i], left, now);
		if (!item || json_object_array_add(arr, item) < 0) {
			json_object_put(item);
			r = -ENOMEM;
		}
	}
	store_cert_expiry_free(certs, n);
	if (r < 0) {
		json_object_put(arr);
		return r;
	}
	*out = arr;
	return 0;
}

_Static_assert(sizeof(((struct rules_profile *)0)->warn_days) ==
	       (EXPIRY_WARN_MAX + 1) * sizeof(int), "thresholds as the rules profile has them");
