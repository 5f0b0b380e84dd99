/*
 * The watchers of io.khoa.Events.Watch: streams that get every committed
 * event (watchers_send is the registry's events sink, wired by main.c),
 * after a replay of the stored ones a watcher asked for, each without the
 * personal data its caller may not see. A watcher more than BACKLOG bytes
 * behind is dropped with io.khoa.TooSlow. Loop thread only.
 */
#pragma once

#include <stddef.h>
#include <json-c/json.h>

struct khoad;
struct watchers;

/* D: whose registry tells whom an event concerns (personal.h). */
struct watchers *watchers_new(struct khoad *d, size_t backlog);
/* Accepts NULL. */
void watchers_free(struct watchers *ws);

/* An events_sink_fn: EVENT (borrowed) to every watcher that wants it. */
void watchers_send(json_object *event, void *userdata);

size_t watchers_count(const struct watchers *ws);
