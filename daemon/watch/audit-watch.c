/* The audit trail verified at start and daily, its head in the journal
 * (audit-watch.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit-watch.h"
#include "events.h"
#include "jsonb.h"
#include "log.h"
#include "registry.h"
#include "store-audit.h"

#define AUDIT_WATCH_INTERVAL_S 3600	/* the head, when it grew */
#define AUDIT_VERIFY_EVERY 24		/* of those: a verification a day */

static const char *
member(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

static int64_t
member_int(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_int64(v) : 0;
}

static json_object *
first_problem(json_object *answer)
{
	json_object *problems;
	if (!json_object_object_get_ex(answer, "problems", &problems) ||
	    json_object_array_length(problems) == 0)
		return NULL;
	return json_object_array_get_idx(problems, 0);
}

/* The first problem as one line, for the journal: "row_deleted
 * handover_rows 3 (record 41), 8 problems". */
static void
summary(json_object *answer, char *buf, size_t size)
{
	json_object *p = first_problem(answer);
	int64_t seq = member_int(p, "seq"), n = member_int(answer, "problem_count");
	char record[40] = "";
	if (seq)
		snprintf(record, sizeof(record), " (record %" PRId64 ")", seq);
	snprintf(buf, size, "%s%s%s%s%s%s, %" PRId64 " problem%s in all", member(p, "kind"),
		 member(p, "table") ? " " : "", member(p, "table") ? member(p, "table") : "",
		 member(p, "key") ? " " : "", member(p, "key") ? member(p, "key") : "", record, n,
		 n == 1 ? "" : "s");
}

/* The same first problem as before: reported once. */
static bool
same_break(json_object *a, json_object *b)
{
	json_object *p = first_problem(a), *q = first_problem(b);
	if (!p || !q)
		return false;
	const char *keys[] = { "kind", "table", "key" };
	for (size_t i = 0; i < 3; i++) {
		const char *x = member(p, keys[i]), *y = member(q, keys[i]);
		if ((x || y) && (!x || !y || strcmp(x, y) != 0))
			return false;
	}
	return member_int(p, "seq") == member_int(q, "seq");
}

static void
report_break(struct khoad *d, json_object *answer)
{
	char line[512];
	json_object *p = first_problem(answer);
	struct jsonb b = jsonb_new();

	summary(answer, line, sizeof(line));
	jsonb_str(&b, "summary", line);
	jsonb_str(&b, "kind", member(p, "kind"));
	if (member_int(p, "seq"))
		jsonb_int(&b, "seq", member_int(p, "seq"));
	jsonb_str(&b, "table", member(p, "table"));
	jsonb_str(&b, "key", member(p, "key"));
	jsonb_int(&b, "problem_count", member_int(answer, "problem_count"));
	json_object *details = jsonb_finish(&b);
	/* an event, where the registry takes one; else the log alone */
	if (details && !registry_read_only(d, NULL) && registry_begin(d) == 0) {
		if (events_record(d->events, "audit.broken", NULL, NULL, details) == 0 &&
		    registry_commit(d) == 0)
			return;
		registry_rollback(d);
	} else {
		json_object_put(details);
	}
	log_error("audit trail broken: %s", line);
}

static void
log_head(struct khoad *d)
{
	int64_t seq;
	char hash[STORE_AUDIT_HASH_LEN + 1];
	if (store_audit_head(d->store, &seq, hash) < 0 || seq == 0 || seq == d->audit_head_logged)
		return;
	d->audit_head_logged = seq;
	log_info_id("audit.head", "audit trail head: record %" PRId64 " sha256 %s", seq, hash);
}

int
audit_watch_verify(struct khoad *d, json_object *heads, json_object **out)
{
	json_object *answer;
	int r = store_audit_verify(d->store, heads, &answer);

	if (out)
		*out = NULL;
	if (r < 0) {
		log_warning("cannot verify the audit trail: %s", strerror(-r));
		return r;
	}
	json_object *before = d->audit_last;
	d->audit_last = json_object_get(answer);
	json_object *intact;
	json_object_object_get_ex(answer, "intact", &intact);
	if (!json_object_get_boolean(intact) && !same_break(answer, before))
		report_break(d, answer);
	else if (json_object_get_boolean(intact))
		log_info("audit trail intact: %" PRId64 " records, %" PRId64 " rows",
			 member_int(answer, "records"), member_int(answer, "rows"));
	json_object_put(before);
	log_head(d);
	if (out)
		*out = answer;
	else
		json_object_put(answer);
	return 0;
}

static void
hourly(struct khoad *d)
{
	if (++d->audit_hours % AUDIT_VERIFY_EVERY == 0)
		audit_watch_verify(d, NULL, NULL);
	else
		log_head(d);
}

int
audit_watch_start(struct khoad *d)
{
	audit_watch_verify(d, NULL, NULL);
	d->audit_watch = (struct periodic){ d, AUDIT_WATCH_INTERVAL_S, hourly,
					    "the audit trail's check" };
	return periodic_start(&d->audit_watch);
}

json_object *
audit_watch_state(struct khoad *d)
{
	json_object *a = d->audit_last, *head, *p;
	if (!a)
		return NULL;
	struct jsonb b = jsonb_new();
	json_object *intact;
	json_object_object_get_ex(a, "intact", &intact);
	jsonb_bool(&b, "intact", json_object_get_boolean(intact));
	jsonb_str(&b, "checked_at", member(a, "checked_at"));
	jsonb_int(&b, "records", member_int(a, "records"));
	if (json_object_object_get_ex(a, "head", &head) && head) {
		jsonb_int(&b, "head_seq", member_int(head, "seq"));
		jsonb_str(&b, "head_hash", member(head, "hash"));
	}
	if ((p = first_problem(a))) {
		jsonb_str(&b, "first_kind", member(p, "kind"));
		if (member_int(p, "seq"))
			jsonb_int(&b, "first_seq", member_int(p, "seq"));
		jsonb_str(&b, "first_table", member(p, "table"));
		jsonb_str(&b, "first_key", member(p, "key"));
	}
	jsonb_int(&b, "problem_count", member_int(a, "problem_count"));
	return jsonb_finish(&b);
}

void
audit_watch_free(struct khoad *d)
{
	json_object_put(d->audit_last);
	d->audit_last = NULL;
}
