/* Recording events and handing them on after the commit (events.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/queue.h>

#include "events.h"
#include "log.h"
#include "store-events.h"

struct pending {
	json_object *event;
	STAILQ_ENTRY(pending) entry;
};

struct events {
	struct store *store;
	events_sink_fn sink;
	void *userdata;
	STAILQ_HEAD(, pending) pending;
	int64_t last;		/* the newest event handed to the sink */
	bool started;		/* last read from the registry */
};

struct events *
events_new(struct store *store, events_sink_fn sink, void *userdata)
{
	struct events *ev = calloc(1, sizeof(*ev));
	if (!ev)
		return NULL;
	ev->store = store;
	ev->sink = sink;
	ev->userdata = userdata;
	STAILQ_INIT(&ev->pending);
	ev->started = store_events_last(store, &ev->last) == 0;
	return ev;
}

void
events_free(struct events *ev)
{
	if (!ev)
		return;
	events_discard(ev);
	free(ev);
}

int
events_record(struct events *ev, const char *type, const char *serial,
	      const struct actor *actor, json_object *details)
{
	json_object *event = NULL;
	struct pending *p = calloc(1, sizeof(*p));
	int r = p ? 0 : -ENOMEM;
	/* The first event of the transaction: in id order with every other
	 * workstation's (store_events_lock()). */
	if (r == 0 && STAILQ_EMPTY(&ev->pending))
		r = store_events_lock(ev->store);
	if (r == 0)
		r = store_event_add(ev->store, type, serial, actor, details, &event);
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

int
events_seal(struct events *ev)
{
	if (STAILQ_EMPTY(&ev->pending))
		return 0;
	json_object *id = NULL;
	struct pending *p, *last = NULL;
	STAILQ_FOREACH(p, &ev->pending, entry)
		last = p;
	json_object_object_get_ex(last->event, "id", &id);
	return store_events_notify(ev->store, json_object_get_int64(id));
}

/* EVENT to the sink, unless it was handed on already. */
static void
hand_on(struct events *ev, json_object *event)
{
	json_object *id = NULL;
	json_object_object_get_ex(event, "id", &id);
	if (json_object_get_int64(id) <= ev->last)
		return;
	ev->last = json_object_get_int64(id);
	if (ev->sink)
		ev->sink(event, ev->userdata);
}

void
events_catch_up(struct events *ev)
{
	json_object *events = NULL;
	int64_t newest;

	if (!ev->started && !(ev->started = store_events_last(ev->store, &ev->last) == 0))
		return;
	/* The newest first: every event up to it this workstation may see is
	 * read below (they are committed in id order), so the next catch-up
	 * starts there, not at the last one it may see, and an agency does
	 * not read its neighbours' commits again and again. */
	if (store_events_last(ev->store, &newest) < 0 ||
	    store_events(ev->store, ev->last, NULL, 0, &events) < 0)
		return;	/* logged; the next commit or notification tries again */
	for (size_t i = 0; i < json_object_array_length(events); i++)
		hand_on(ev, json_object_array_get_idx(events, i));
	json_object_put(events);
	if (newest > ev->last)
		ev->last = newest;
}

void
events_publish(struct events *ev)
{
	/* The journal has this khoad's events; the watchers have everyone's,
	 * in id order. This transaction's go straight on while they follow
	 * the newest handed on (always, with one writer); after a gap
	 * (another workstation's commit, or ids a rollback used) they are
	 * read back with what came between (events_catch_up()). */
	bool gap = false;
	while (!STAILQ_EMPTY(&ev->pending)) {
		struct pending *p = STAILQ_FIRST(&ev->pending);
		json_object *id = NULL;
		STAILQ_REMOVE_HEAD(&ev->pending, entry);
		log_event(p->event);
		json_object_object_get_ex(p->event, "id", &id);
		gap |= !ev->started || json_object_get_int64(id) != ev->last + 1;
		if (!gap)
			hand_on(ev, p->event);
		json_object_put(p->event);
		free(p);
	}
	if (gap)
		events_catch_up(ev);
}
