/*
 * Events (store-events.c): the log of everything that happened, appended in
 * the transaction that caused it.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* Appends an event (in the current transaction) and returns it as the
 * protocol's Event object in *out. DETAILS is borrowed. */
int store_event_add(struct store *s, const char *type, const char *serial,
		    const struct actor *actor, json_object *details, json_object **out);

/* The events after SINCE (id), of SERIAL when non-NULL, oldest first. */
int store_events(struct store *s, int64_t since, const char *serial, json_object **out);

/* The id of the newest event, 0 when there is none. */
int store_events_last(struct store *s, int64_t *id);
