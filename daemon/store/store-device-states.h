/*
 * The state of a token as a device (store-device-states.c; migration 0018):
 * in use (no row), lost, damaged, returned, retired. Which change may
 * follow which is device-state.h's; this only keeps them.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

struct device_state {
	char state[16];		/* "in-use", "lost", "damaged", "returned", "retired" */
	char since[32];		/* when recorded ("": in use from the start) */
	char happened_on[16];	/* the day it happened, as reported */
	char seen_at[32];	/* a lost token plugged in since ("": not) */
	char seen_on[128];	/* where */
};

/* Token SERIAL's state ("in-use" when none is recorded). */
int store_device_state(struct store *s, const char *serial, struct device_state *out);

/* Records SERIAL in STATE ("in-use": the record removed) from now, with the
 * day it HAPPENED_ON (NULL: today) and a NOTE (NULL: none), by ACTOR. */
int store_device_state_set(struct store *s, const char *serial, const char *state,
			   const char *happened_on, const char *note, const struct actor *actor);

/* A lost token seen on this workstation now: recorded once; *FIRST when
 * this is the first sighting since it was reported lost. */
int store_device_state_seen(struct store *s, const char *serial, bool *first);

/* The io.khoa.Tokens DeviceState of SERIAL, or NULL in *OUT when in use. */
int store_device_state_json(struct store *s, const char *serial, json_object **out);
