/*
 * Events (store-events.c): the log of everything that happened, appended in
 * the transaction that caused it.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* Appends an event (in the current transaction) and returns it as the
 * protocol's Event object in *out. DETAILS is borrowed. */
int store_event_add(struct store *s, const char *type, const char *serial,
		    const struct actor *actor, json_object *details, json_object **out);

/* The events after SINCE (id), of SERIAL when non-NULL, oldest first;
 * the first LIMIT of them, or all when LIMIT is 0. */
int store_events(struct store *s, int64_t since, const char *serial, size_t limit,
		 json_object **out);

/* The id of the newest event, 0 when there is none: of any agency, also
 * one this workstation's role may not read (events after it are new). */
int store_events_last(struct store *s, int64_t *id);

/* In a transaction, before its first event: waits until no other
 * transaction that records events is open, and holds that until this one
 * ends. So events become visible in the order of their ids, and whoever
 * reads the events after the newest id they have (a catch-up) misses none
 * that another workstation was still committing. A no-op on SQLite. */
int store_events_lock(struct store *s);

/* In a transaction that recorded events up to ID: tells every khoad that
 * listens (store_listen()) once it commits. A no-op on SQLite. */
int store_events_notify(struct store *s, int64_t id);
