/*
 * A token's state as a device (issue 16), as Dogtag's TPS keeps one: in
 * use, lost, damaged, returned (to Sở TT&TT), retired. The changes allowed
 * are one table (device-state.c), each with the event it raises; what a
 * state forbids is asked here by the methods that would use the token:
 * handing it over, checking it out on the seal register, a PIN operation.
 * A lost token plugged in again is "found" (token.found) and stays frozen
 * until a technician clears it.
 */
#pragma once

#include <stdbool.h>
#include <json-c/json.h>

#include "khoad.h"
#include "store-device-states.h"

struct device_change {
	const char *action;	/* "lost", "damaged", "found", "returned", "retired" */
	const char *from[5];	/* the states it is taken from */
	const char *to;
	const char *event;	/* token.lost, … */
};

/* The change ACTION; NULL when there is none of that name. */
const struct device_change *device_change_named(const char *action);

/* Whether CH may be taken from STATE (a lost token must have been seen on a
 * device again before it is found). */
bool device_change_allowed(const struct device_change *ch, const struct device_state *state);

/* The state as a person is told it: STATE's, "found" for a lost token seen
 * since. */
const char *device_state_shown(const struct device_state *state);

/* Whether token SERIAL may be used for ACTION now: "handover" (REASON: the
 * row's; a damaged token goes back to Sở TT&TT only, revocation-return),
 * "seal", "pin". 0: yes; 1: no, *ERROR the TokenState error to answer
 * with; or a negative errno. */
int device_state_guard(struct khoad *d, const char *serial, const char *action,
		       const char *reason, json_object **error);
