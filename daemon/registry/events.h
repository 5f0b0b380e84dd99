/*
 * Events: recorded in the registry inside the transaction that caused them,
 * and handed on (logged, and given to the sink main.c names: the watchers
 * of io.khoa.Events) once that transaction commits, never before: whoever
 * hears of an event finds it on disk. The sink gets every event of the
 * registry in id order, read back after each commit and whenever another
 * workstation sharing the registry commits some (events_catch_up()): its
 * own and theirs, each once. Loop thread only.
 */
#pragma once

#include <json-c/json.h>

#include "store.h"

struct events;

/* Where a committed event goes; EVENT is borrowed. */
typedef void (*events_sink_fn)(json_object *event, void *userdata);

struct events *events_new(struct store *store, events_sink_fn sink, void *userdata);
void events_free(struct events *ev);

/* Records an event in the current transaction; it is sent at
 * events_publish(). DETAILS is taken (NULL: {}). 0 or a negative errno. */
int events_record(struct events *ev, const char *type, const char *serial,
		  const struct actor *actor, json_object *details);

/* Before the commit of a transaction that recorded events: tells the other
 * workstations (store_events_notify()). 0 or a negative errno. */
int events_seal(struct events *ev);

/* After a commit: logs what was recorded and hands on every event not yet
 * handed on. After a rollback: forgets what was recorded. */
void events_publish(struct events *ev);
void events_discard(struct events *ev);

/* Hands on the events committed since the newest handed on (another
 * workstation's, when it says some were). */
void events_catch_up(struct events *ev);
