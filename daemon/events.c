/* Recording events and streaming them to watchers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "codec.h"
#include "events.h"
#include "log.h"
#include "message.h"

struct watcher {
	struct events *ev;
	struct call *call;
	char *serial;		/* NULL: every token */
	LIST_ENTRY(watcher) entry;
};

struct pending {
	json_object *event;
	STAILQ_ENTRY(pending) entry;
};

struct events {
	struct store *store;
	size_t backlog;
	size_t n_watchers;
	LIST_HEAD(, watcher) watchers;
	STAILQ_HEAD(, pending) pending;
};

struct events *
events_new(struct store *store, size_t backlog)
{
	struct events *ev = calloc(1, sizeof(*ev));
	if (!ev)
		return NULL;
	ev->store = store;
	ev->backlog = backlog;
	LIST_INIT(&ev->watchers);
	STAILQ_INIT(&ev->pending);
	return ev;
}

static void
watcher_free(struct watcher *w)
{
	LIST_REMOVE(w, entry);
	w->ev->n_watchers--;
	free(w->serial);
	free(w);
}

void
events_free(struct events *ev)
{
	if (!ev)
		return;
	events_discard(ev);
	/* Their clients are gone by now (the server closed them first). */
	while (!LIST_EMPTY(&ev->watchers))
		watcher_free(LIST_FIRST(&ev->watchers));
	free(ev);
}

int
events_record(struct events *ev, const char *type, const char *serial,
	      const struct actor *actor, json_object *details)
{
	json_object *event = NULL;
	struct pending *p = calloc(1, sizeof(*p));
	int r = p ? store_event_add(ev->store, type, serial, actor, details, &event) : -ENOMEM;
	json_object_put(details);
	if (r < 0) {
		free(p);
		return r;
	}
	p->event = event;
	STAILQ_INSERT_TAIL(&ev->pending, p, entry);
	return 0;
}

void
events_discard(struct events *ev)
{
	while (!STAILQ_EMPTY(&ev->pending)) {
		struct pending *p = STAILQ_FIRST(&ev->pending);
		STAILQ_REMOVE_HEAD(&ev->pending, entry);
		json_object_put(p->event);
		free(p);
	}
}

/* {"parameters":{"event":EVENT},"continues":true} serialized; EVENT borrowed. */
static char *
stream_message(json_object *event, size_t *len)
{
	json_object *params = json_object_new_object();
	if (!params || json_object_object_add(params, "event", json_object_get(event)) < 0) {
		json_object_put(params);
		return NULL;
	}
	json_object *msg = khoa_reply_new(params, true);
	char *bytes = msg ? khoa_encode(msg, len) : NULL;
	json_object_put(msg);
	return bytes;
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
	if (call_stream(w->call, msg, len, w->ev->backlog) == 0)
		return true;
	watcher_free(w);	/* the call is finished */
	return false;
}

void
events_publish(struct events *ev)
{
	while (!STAILQ_EMPTY(&ev->pending)) {
		struct pending *p = STAILQ_FIRST(&ev->pending);
		STAILQ_REMOVE_HEAD(&ev->pending, entry);
		log_event(p->event);
		size_t len;
		char *msg = ev->n_watchers ? stream_message(p->event, &len) : NULL;
		if (ev->n_watchers && !msg)
			log_error("out of memory: event %s not sent to watchers",
				  khoa_json_str(p->event, "type"));
		struct watcher *w, *next;
		for (w = LIST_FIRST(&ev->watchers); msg && w; w = next) {
			next = LIST_NEXT(w, entry);
			send_to(w, p->event, msg, len);
		}
		free(msg);
		json_object_put(p->event);
		free(p);
	}
}

static void
on_watcher_gone(struct call *c, void *userdata)
{
	watcher_free(userdata);
}

int
events_watch(struct events *ev, struct call *c, int64_t since, const char *serial)
{
	struct watcher *w = calloc(1, sizeof(*w));
	json_object *past = NULL;
	int r;

	if (!w || (serial && !(w->serial = strdup(serial)))) {
		free(w);
		return -ENOMEM;
	}
	if (since >= 0 && (r = store_events(ev->store, since, serial, &past)) < 0) {
		free(w->serial);
		free(w);
		return r;
	}
	w->ev = ev;
	w->call = c;
	LIST_INSERT_HEAD(&ev->watchers, w, entry);
	ev->n_watchers++;
	call_on_close(c, on_watcher_gone, w);

	for (size_t i = 0; past && i < json_object_array_length(past); i++) {
		json_object *e = json_object_array_get_idx(past, i);
		size_t len;
		char *msg = stream_message(e, &len);
		bool alive = msg && send_to(w, e, msg, len);
		free(msg);
		if (!alive)
			break;
	}
	json_object_put(past);
	return 0;
}

size_t
events_n_watchers(const struct events *ev)
{
	return ev->n_watchers;
}
