/*
 * io.khoa.Events.Watch: the stream of events, and its watchers. Each event
 * is serialized once for all watchers. A watcher that falls more than the
 * backlog behind is dropped with io.khoa.TooSlow; the daemon never waits for
 * one.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "errors.h"
#include "jsonb.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "store-events.h"
#include "watchers.h"

struct watcher {
	struct watchers *all;
	struct call *call;
	char *serial;		/* NULL: every token */
	LIST_ENTRY(watcher) entry;
};

struct watchers {
	struct store *store;
	size_t backlog;
	size_t n;
	LIST_HEAD(, watcher) list;
};

struct watchers *
watchers_new(struct store *store, size_t backlog)
{
	struct watchers *ws = calloc(1, sizeof(*ws));
	if (!ws)
		return NULL;
	ws->store = store;
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

/* Sends EVENT to W; false when W is gone (and freed). */
static bool
send_to(struct watcher *w, json_object *event, const char *msg, size_t len)
{
	if (!wants(w, event))
		return true;
	if (call_stream(w->call, msg, len, w->all->backlog) == 0)
		return true;
	watcher_free(w);	/* the call is finished */
	return false;
}

void
watchers_send(json_object *event, void *userdata)
{
	struct watchers *ws = userdata;
	struct watcher *w, *next;
	size_t len;

	if (!ws->n)
		return;
	char *msg = khoa_reply_encode("event", json_object_get(event), true, &len);
	if (!msg) {
		log_error("out of memory: event %s not sent to watchers",
			  khoa_json_str(event, "type"));
		return;
	}
	for (w = LIST_FIRST(&ws->list); w; w = next) {
		next = LIST_NEXT(w, entry);
		send_to(w, event, msg, len);
	}
	free(msg);
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

/* Makes the deferred call C a watcher: first the stored events after SINCE
 * (when SINCE >= 0), then every new one; only SERIAL's when non-NULL. */
static int
watch_from(struct watchers *ws, struct call *c, int64_t since, const char *serial)
{
	struct watcher *w = calloc(1, sizeof(*w));
	json_object *past = NULL;
	int r;

	if (!w || (serial && !(w->serial = strdup(serial)))) {
		free(w);
		return -ENOMEM;
	}
	if (since >= 0 && (r = store_events(ws->store, since, serial, &past)) < 0) {
		free(w->serial);
		free(w);
		return r;
	}
	w->all = ws;
	w->call = c;
	LIST_INSERT_HEAD(&ws->list, w, entry);
	ws->n++;
	call_on_close(c, on_watcher_gone, w);

	for (size_t i = 0; past && i < json_object_array_length(past); i++) {
		json_object *e = json_object_array_get_idx(past, i);
		size_t len;
		char *msg = khoa_reply_encode("event", json_object_get(e), true, &len);
		bool alive = msg && send_to(w, e, msg, len);
		free(msg);
		if (!alive)
			break;
	}
	json_object_put(past);
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
