/*
 * io.khoa.Events.Watch: the stream of events, and its watchers. Each event
 * is serialized once for all watchers. An event with personal data (a
 * person.* event's record, personal.h) is serialized a second time without
 * it, once, for every watcher whose caller may not see it: each watcher
 * keeps its caller as the dispatcher worked it out when it subscribed (in
 * its deferred call), so the look-up of whom the event concerns is made
 * once per event, not per watcher, and not at all while only technicians
 * and admins watch. A watcher that falls more than the
 * backlog behind is dropped with io.khoa.TooSlow; the daemon never waits for
 * one.
 *
 * The stored events a watcher asks for (since) are read and sent
 * REPLAY_CHUNK at a time, the next chunk when the client has read the last
 * (call_on_drain): a replay of any length holds a chunk of memory and keeps
 * within the backlog of a reader that reads. Meanwhile the new events are
 * not sent to it: they are stored, and the replay reads them in turn; once
 * a chunk comes short it has caught up and new events come live. An event
 * goes to a watcher once, in the order of ids, whether it came by the
 * replay or live (a catch-up of a shared registry may deliver one the
 * replay read already).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "access.h"
#include "errors.h"
#include "jsonb.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "personal.h"
#include "store-events.h"
#include "watchers.h"

#define REPLAY_CHUNK 128

struct watcher {
	struct watchers *all;
	struct call *call;	/* deferred: call_caller() is who watches */
	char *serial;		/* NULL: every token */
	bool replaying;		/* stored events still to send: none live */
	int64_t sent;		/* the id of the last event sent */
	LIST_ENTRY(watcher) entry;
};

struct watchers {
	struct khoad *d;
	size_t backlog;
	size_t n;
	LIST_HEAD(, watcher) list;
};

struct watchers *
watchers_new(struct khoad *d, size_t backlog)
{
	struct watchers *ws = calloc(1, sizeof(*ws));
	if (!ws)
		return NULL;
	ws->d = d;
	ws->backlog = backlog;
	LIST_INIT(&ws->list);
	return ws;
}

static void
watcher_free(struct watcher *w)
{
	LIST_REMOVE(w, entry);
	w->all->n--;
	free(w->serial);
	free(w);
}

void
watchers_free(struct watchers *ws)
{
	if (!ws)
		return;
	/* Their clients are gone by now (the server closed them first). */
	while (!LIST_EMPTY(&ws->list))
		watcher_free(LIST_FIRST(&ws->list));
	free(ws);
}

static bool
wants(const struct watcher *w, json_object *event)
{
	if (!w->serial)
		return true;
	const char *serial = khoa_json_str(event, "token_serial");
	return serial && strcmp(serial, w->serial) == 0;
}

/* One event on its way to the watchers: its message; for an event with
 * personal data, whom it concerns and its message without that data, each
 * made when the first watcher who needs it comes. */
struct outgoing {
	struct khoad *d;
	json_object *event;
	char *msg, *withheld;
	size_t len, withheld_len;
	bool personal, scoped;
	struct scope scope;
};

static void
outgoing_clear(struct outgoing *o)
{
	free(o->msg);
	free(o->withheld);
}

/* Whether the caller of W may see the personal data of O. */
static bool
sees(struct outgoing *o, const struct watcher *w)
{
	const struct caller *c = call_caller(w->call);

	if (!o->personal || access_sees_personal(c, NULL))
		return true;	/* a technician or an admin: no look-up */
	/* Whom it concerns unknown: only those who see everyone's see it. */
	if (!o->scoped && personal_event_scope(o->d, o->event, &o->scope) < 0)
		memset(&o->scope, 0, sizeof(o->scope));
	o->scoped = true;
	return access_sees_personal(c, &o->scope);
}

/* The message of O for W; NULL when out of memory. */
static const char *
message_for(struct outgoing *o, const struct watcher *w, size_t *len)
{
	json_object *copy;

	if (sees(o, w)) {
		*len = o->len;
		return o->msg;
	}
	if (!o->withheld && (copy = personal_event_withheld(o->event)))
		o->withheld = khoa_reply_encode("event", copy, true, &o->withheld_len);
	*len = o->withheld_len;
	return o->withheld;
}

static int64_t
event_id(json_object *event)
{
	json_object *id;
	return json_object_object_get_ex(event, "id", &id) ? json_object_get_int64(id) : 0;
}

/* Sends O to W; false when W is gone (and freed). */
static bool
send_to(struct watcher *w, struct outgoing *o)
{
	const char *msg;
	size_t len;
	int64_t id = event_id(o->event);

	if (!wants(w, o->event) || id <= w->sent)
		return true;
	if (!(msg = message_for(o, w, &len))) {
		log_error("out of memory: event %s not sent to a watcher",
			  khoa_json_str(o->event, "type"));
		return true;
	}
	if (call_stream(w->call, msg, len, w->all->backlog) == 0) {
		w->sent = id;
		return true;
	}
	watcher_free(w);	/* the call is finished */
	return false;
}

void
watchers_send(json_object *event, void *userdata)
{
	struct watchers *ws = userdata;
	struct outgoing o = { .d = ws->d, .event = event, .personal = personal_in_event(event) };
	struct watcher *w, *next;

	if (!ws->n)
		return;
	if (!(o.msg = khoa_reply_encode("event", json_object_get(event), true, &o.len))) {
		log_error("out of memory: event %s not sent to watchers",
			  khoa_json_str(event, "type"));
		return;
	}
	for (w = LIST_FIRST(&ws->list); w; w = next) {
		next = LIST_NEXT(w, entry);
		if (!w->replaying)	/* else the replay reads it */
			send_to(w, &o);
	}
	outgoing_clear(&o);
}

size_t
watchers_count(const struct watchers *ws)
{
	return ws->n;
}

static void
on_watcher_gone(struct call *c, void *userdata)
{
	watcher_free(userdata);
}

/* What a replay lets wait unread before it waits for the reader: half the
 * backlog (a reader that reads is never dropped as too slow), and not more
 * than the output that wakes it again (call_on_drain). */
static size_t
replay_pace(const struct watcher *w)
{
	size_t half = w->all->backlog / 2;
	return half < 64 * 1024 ? half : 64 * 1024;
}

/* Sends the stored events PAST (read for W alone: changed in place) to W,
 * each as W's caller may see it, until as much as the pace waits unread
 * (*ALL false then): 0, 1 when W is gone (and freed), or a negative errno
 * (W still to end). */
static int
replay(struct watcher *w, json_object *past, bool *all)
{
	struct personal_view v;
	size_t n = json_object_array_length(past);
	int r = 0;

	*all = true;
	personal_view_init(&v, w->all->d, call_caller(w->call));
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (call_unread(w->call) > replay_pace(w)) {
			*all = false;	/* the rest read again, after the reader */
			break;
		}
		/* Withheld in place (personal_event): sent as it is then. */
		struct outgoing o = { .event = json_object_array_get_idx(past, i) };
		if ((r = personal_event(&v, o.event)) < 0)
			break;
		if (!(o.msg = khoa_reply_encode("event", json_object_get(o.event), true, &o.len)))
			r = -ENOMEM;
		else if (!send_to(w, &o))
			r = 1;
		outgoing_clear(&o);
	}
	personal_view_end(&v);
	return r;
}

/* The next chunk of W's replay: 0, 1 when W is gone (and freed), or a
 * negative errno (W still to end). A chunk that comes short, all sent,
 * ends it. */
static int
replay_chunk(struct watcher *w)
{
	json_object *past = NULL;
	bool all;
	int r = store_events(w->all->d->store, w->sent, w->serial, REPLAY_CHUNK, &past);

	if (r < 0)
		return r;
	size_t n = json_object_array_length(past);
	r = replay(w, past, &all);
	json_object_put(past);
	if (r == 0 && all && n < REPLAY_CHUNK) {
		w->replaying = false;
		call_on_drain(w->call, NULL, NULL);
	}
	return r;
}

/* W's client has read what was sent: the replay goes on. */
static void
on_watcher_drained(struct call *c, void *userdata)
{
	struct watcher *w = userdata;
	int r = replay_chunk(w);
	if (r < 0) {
		log_error("cannot read the events to replay: %s", strerror(-r));
		call_on_close(c, NULL, NULL);
		watcher_free(w);
		call_fail_errno(c, r);
	}
}

/* Makes the deferred call C a watcher: first the stored events after SINCE
 * (when SINCE >= 0), then every new one; only SERIAL's when non-NULL. */
static int
watch_from(struct watchers *ws, struct call *c, int64_t since, const char *serial)
{
	struct watcher *w = calloc(1, sizeof(*w));
	int r = 0;

	if (!w || (serial && !(w->serial = strdup(serial)))) {
		free(w);
		return -ENOMEM;
	}
	w->all = ws;
	w->call = c;
	LIST_INSERT_HEAD(&ws->list, w, entry);
	ws->n++;
	call_on_close(c, on_watcher_gone, w);
	if (since >= 0) {
		w->replaying = true;
		w->sent = since;
		call_on_drain(c, on_watcher_drained, w);
		r = replay_chunk(w);
	}
	if (r < 0) {
		/* Not all it asked for: it ends, with the error. */
		call_on_close(c, NULL, NULL);
		call_on_drain(c, NULL, NULL);
		watcher_free(w);
		return r;
	}
	return 0;
}

struct watch_args {
	int64_t since;		/* -1: only new events */
	const char *serial;
};
METHOD_ARGS_FIT(struct watch_args);

static void
watch_init(void *args)
{
	((struct watch_args *)args)->since = -1;
}

static const struct khoa_param watch_params[] = {
	{ "since", KHOA_PARAM_INT, offsetof(struct watch_args, since), false },
	{ "serial", KHOA_PARAM_STRING, offsetof(struct watch_args, serial), false },
	{ NULL }
};

static int
watch(struct call *c, const void *args)
{
	const struct watch_args *a = args;
	struct call *stream;
	int r;

	if (!(call_flags(c) & KHOA_CALL_MORE))
		return call_fail(c, khoa_err_expected_more());
	if (!(stream = call_defer(c)))
		return -ENOMEM;
	if ((r = watch_from(call_daemon(stream)->watchers, stream, a->since < 0 ? -1 : a->since,
			    a->serial)) < 0)
		return call_fail_errno(stream, r);	/* C was answered by deferring it */
	return 0;
}

static int
last(struct call *c, const void *args)
{
	int64_t id;
	int r = store_events_last(call_daemon(c)->store, &id);
	if (r < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "id", id);
	return call_reply(c, jsonb_finish(&b));
}

static const struct method events_methods[] = {
	{
		.name = "io.khoa.Events.Watch",
		.admit = ADMIT_ANYONE,
		.params = watch_params,
		.run = watch,
		.init = watch_init,
	},
	{
		.name = "io.khoa.Events.Last",
		.admit = ADMIT_ANYONE,
		.run = last,
	},
	{ .name = NULL }
};

const struct interface api_events = { "io.khoa.Events", events_methods };
