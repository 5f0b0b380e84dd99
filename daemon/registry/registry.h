/*
 * A change of the registry: one transaction and the events it records.
 * registry_commit() makes both durable, then hands the events on and calls
 * the daemon's committed() hook; registry_rollback() forgets both. Loop
 * thread only.
 */
#pragma once

#include <json-c/json.h>

#include "khoad.h"

int registry_begin(struct khoad *d);
int registry_commit(struct khoad *d);
void registry_rollback(struct khoad *d);

/* The Registration object io.khoa.Tokens shows with token SERIAL: holder and
 * bindings, and who holds it now by the last finalized handover (an
 * inventory_registration_fn; USERDATA is the store). */
int registry_token_registration(const char *serial, json_object **out, void *userdata);
