/* Recording events and handing them on after the commit (events.h). */
#include <errno.h>
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

void
events_publish(struct events *ev)
{
	while (!STAILQ_EMPTY(&ev->pending)) {
		struct pending *p = STAILQ_FIRST(&ev->pending);
		STAILQ_REMOVE_HEAD(&ev->pending, entry);
		log_event(p->event);
		if (ev->sink)
			ev->sink(p->event, ev->userdata);
		json_object_put(p->event);
		free(p);
	}
}
