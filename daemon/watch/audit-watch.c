/* The audit trail verified at start and daily, in a thread of its own,
 * its head in the journal (audit-watch.h). */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <event2/event.h>

#include "audit-watch.h"
#include "events.h"
#include "jsonb.h"
#include "log.h"
#include "message.h"	/* khoa_json_str */
#include "registry.h"
#include "store-audit.h"

#define AUDIT_WATCH_INTERVAL_S 3600	/* the head, when it grew */
#define AUDIT_VERIFY_EVERY 24		/* of those: a verification a day */

/* A verification asked for: by a call (DONE), or by khoad itself. */
struct request {
	json_object *heads;
	audit_done_fn *done;
	void *arg;
	STAILQ_ENTRY(request) entry;
};

struct audit_watch {
	struct khoad *d;
	char *engine, *where;
	STAILQ_HEAD(, request) waiting;
	/* the one under way: its thread, and what it found (the thread's
	 * until it has ended, told by FINISHED on the loop) */
	struct request *running;
	pthread_t thread;
	struct event *finished;
	int result;
	json_object *answer;
	/* what the loop keeps */
	json_object *last;		/* the last verification's answer */
	int64_t head_logged;
	unsigned hours;
	bool retry;			/* the last verification failed */
	struct periodic timer;
};

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
 * handover_rows 3 (record 41), 8 problems in all". */
static void
summary(json_object *answer, char *buf, size_t size)
{
	json_object *p = first_problem(answer);
	int64_t seq = member_int(p, "seq"), n = member_int(answer, "problem_count");
	char record[40] = "";
	if (seq)
		snprintf(record, sizeof(record), " (record %" PRId64 ")", seq);
	snprintf(buf, size, "%s%s%s%s%s%s, %" PRId64 " problem%s in all", khoa_json_str(p, "kind"),
		 khoa_json_str(p, "table") ? " " : "", khoa_json_str(p, "table") ? khoa_json_str(p, "table") : "",
		 khoa_json_str(p, "key") ? " " : "", khoa_json_str(p, "key") ? khoa_json_str(p, "key") : "", record, n,
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
		const char *x = khoa_json_str(p, keys[i]), *y = khoa_json_str(q, keys[i]);
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
	jsonb_str(&b, "kind", khoa_json_str(p, "kind"));
	if (member_int(p, "seq"))
		jsonb_int(&b, "seq", member_int(p, "seq"));
	jsonb_str(&b, "table", khoa_json_str(p, "table"));
	jsonb_str(&b, "key", khoa_json_str(p, "key"));
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
log_head(struct audit_watch *w)
{
	int64_t seq;
	char hash[STORE_AUDIT_HASH_LEN + 1];
	if (store_audit_head(w->d->store, &seq, hash) < 0 || seq == 0 || seq == w->head_logged)
		return;
	w->head_logged = seq;
	log_info_id("audit.head", "audit trail head: record %" PRId64 " sha256 %s", seq, hash);
}

/* ---- the thread ------------------------------------------------------------------ */

static void *
verify_main(void *arg)
{
	struct audit_watch *w = arg;
	struct store *s = NULL;
	char *error = NULL;

	/* a connection of its own, read only: the loop's goes on serving */
	w->answer = NULL;
	w->result = store_open_readonly(w->engine, w->where, &s, &error);
	if (w->result == 0) {
		w->result = store_audit_verify(s, w->running->heads, &w->answer);
		store_close(s);
	} else {
		log_warning("cannot verify the audit trail: %s", error ? error : strerror(-w->result));
	}
	free(error);
	if (w->answer == NULL && w->result == 0)
		w->result = -ENOMEM;
	event_active(w->finished, 0, 0);
	return NULL;
}

static int
start_next(struct audit_watch *w)
{
	struct request *q = STAILQ_FIRST(&w->waiting);
	if (w->running || !q || w->d->stopping)
		return 0;
	STAILQ_REMOVE_HEAD(&w->waiting, entry);
	w->running = q;
	int r = pthread_create(&w->thread, NULL, verify_main, w);
	if (r != 0) {
		w->running = NULL;
		log_error("cannot start a verification of the audit trail: %s", strerror(r));
		if (q->done)
			q->done(-r, NULL, q->arg);
		json_object_put(q->heads);
		free(q);
		return -r;
	}
	return 0;
}

/* On the loop, once the thread has ended. */
static void
on_finished(evutil_socket_t fd, short what, void *arg)
{
	struct audit_watch *w = arg;
	struct request *q = w->running;
	(void)fd;
	(void)what;

	pthread_join(w->thread, NULL);
	w->running = NULL;
	json_object *answer = w->answer;
	w->answer = NULL;
	w->retry = w->result < 0;	/* at the next hour, not in a day */
	if (w->retry)
		log_warning("the audit trail could not be verified now (%s); again in an hour",
			    strerror(-w->result));
	if (w->result == 0) {
		json_object *intact, *before = w->last;
		json_object_object_get_ex(answer, "intact", &intact);
		w->last = json_object_get(answer);
		if (!json_object_get_boolean(intact) && !same_break(answer, before))
			report_break(w->d, answer);
		else if (json_object_get_boolean(intact))
			log_info("audit trail intact: %" PRId64 " records, %" PRId64 " rows",
				 member_int(answer, "records"), member_int(answer, "rows"));
		json_object_put(before);
		log_head(w);
	}
	if (q->done)
		q->done(w->result, answer, q->arg);
	json_object_put(answer);
	json_object_put(q->heads);
	free(q);
	start_next(w);
}

/* ---- asking ---------------------------------------------------------------------- */

static int
ask(struct audit_watch *w, json_object *heads, audit_done_fn *done, void *arg)
{
	struct request *q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	*q = (struct request){ .heads = json_object_get(heads), .done = done, .arg = arg };
	STAILQ_INSERT_TAIL(&w->waiting, q, entry);
	start_next(w);
	return 0;
}

int
audit_watch_verify(struct khoad *d, json_object *heads, audit_done_fn *done, void *arg)
{
	return d->audit ? ask(d->audit, heads, done, arg) : -ENOTCONN;
}

static void
hourly(struct khoad *d)
{
	struct audit_watch *w = d->audit;
	if ((++w->hours % AUDIT_VERIFY_EVERY == 0 || w->retry) && !w->running &&
	    ask(w, NULL, NULL, NULL) < 0)
		log_error("cannot verify the audit trail: out of memory");
	log_head(w);
}

int
audit_watch_start(struct khoad *d, const char *engine, const char *where)
{
	struct audit_watch *w = calloc(1, sizeof(*w));
	if (!w || !(w->engine = strdup(engine)) || !(w->where = strdup(where)) ||
	    !(w->finished = event_new(d->base, -1, 0, on_finished, w))) {
		if (w) {
			free(w->engine);
			free(w->where);
		}
		free(w);
		return -ENOMEM;
	}
	w->d = d;
	STAILQ_INIT(&w->waiting);
	d->audit = w;
	log_head(w);
	w->timer = (struct periodic){ d, AUDIT_WATCH_INTERVAL_S, hourly,
				      "the audit trail's check" };
	if (ask(w, NULL, NULL, NULL) < 0 || periodic_start(&w->timer) < 0)
		return -ENOMEM;
	return 0;
}

json_object *
audit_watch_state(struct khoad *d)
{
	json_object *a = d->audit ? d->audit->last : NULL, *head, *p, *intact;
	if (!a)
		return NULL;
	struct jsonb b = jsonb_new();
	json_object_object_get_ex(a, "intact", &intact);
	jsonb_bool(&b, "intact", json_object_get_boolean(intact));
	jsonb_str(&b, "checked_at", khoa_json_str(a, "checked_at"));
	jsonb_int(&b, "records", member_int(a, "records"));
	if (json_object_object_get_ex(a, "head", &head) && head) {
		jsonb_int(&b, "head_seq", member_int(head, "seq"));
		jsonb_str(&b, "head_hash", khoa_json_str(head, "hash"));
	}
	if ((p = first_problem(a))) {
		jsonb_str(&b, "first_kind", khoa_json_str(p, "kind"));
		if (member_int(p, "seq"))
			jsonb_int(&b, "first_seq", member_int(p, "seq"));
		jsonb_str(&b, "first_table", khoa_json_str(p, "table"));
		jsonb_str(&b, "first_key", khoa_json_str(p, "key"));
	}
	jsonb_int(&b, "problem_count", member_int(a, "problem_count"));
	return jsonb_finish(&b);
}

void
audit_watch_free(struct khoad *d)
{
	struct audit_watch *w = d->audit;
	struct request *q;
	if (!w)
		return;
	if (w->running) {	/* its answer, given as the loop would */
		pthread_join(w->thread, NULL);
		if (w->running->done)
			w->running->done(w->result, w->answer, w->running->arg);
		json_object_put(w->answer);
		json_object_put(w->running->heads);
		free(w->running);
	}
	while ((q = STAILQ_FIRST(&w->waiting))) {
		STAILQ_REMOVE_HEAD(&w->waiting, entry);
		if (q->done)
			q->done(-ECANCELED, NULL, q->arg);
		json_object_put(q->heads);
		free(q);
	}
	if (w->finished)
		event_free(w->finished);
	json_object_put(w->last);
	free(w->engine);
	free(w->where);
	free(w);
	d->audit = NULL;
}
