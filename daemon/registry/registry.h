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

/* Why the registry takes no change now (issue 15: its disk is full or
 * read-only, or under the free-space floor), NULL while it does; *REASON
 * the kind ("disk-full", "read-only", "low-space"). registry_begin() is
 * then -EROFS, which the dispatcher answers io.khoa.RegistryReadOnly. */
const char *registry_read_only(struct khoad *d, const char **reason);

/* The Registration object io.khoa.Tokens shows with token SERIAL: holder and
 * bindings, and who holds it now by the last finalized handover (an
 * inventory_registration_fn; USERDATA is the store). */
int registry_token_registration(const char *serial, json_object **out, void *userdata);

/* A token's or certificate's serial typed in another case than the device
 * wrote it (issue 17: a person copies "C815DDFA…" as "c815ddfa…") is the
 * device's, when exactly one is: PARAMETERS' "serial" and
 * "certificate_serial" replaced before a method parses them, so that every
 * method, its access check and its record take the serial the registry
 * knows. 0 or -ENOMEM (a serial the registry cannot look up is left as
 * typed: the method says what it finds). */
int registry_serials_as_recorded(struct khoad *d, json_object *parameters);
