/*
 * Drafting handovers (Mẫu 10): shared by io.khoa.Handovers and
 * io.khoa.Managers, which drafts one for every change of manager. Each
 * function that takes a call answers it when it fails and then returns
 * false. Loop thread only.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "khoad.h"
#include "server.h"
#include "store.h"

/* Whether REASON is one of the interface's row reasons; otherwise the call
 * is answered with InvalidField FIELD. */
bool handover_reason_ok(struct call *c, const char *reason, const char *field);

/* The Party for the parameter FIELD (IN: {person_id}, {organization_id} or
 * in full), filled from the registry, in *OUT (new). */
bool handover_party(struct call *c, struct khoad *d, json_object *in, const char *field,
		    json_object **out);

/* Adds the row of token SERIAL to draft ID, inside the caller's
 * transaction: from the device when present, else from the registry. */
bool handover_add_row(struct call *c, struct khoad *d, int64_t id, const char *serial,
		      const char *reason, const char *note);

/* Records event TYPE about handover ID (details: id, serials of its rows,
 * read in the current transaction); the handover in *HANDOVER when not NULL. */
int handover_event(struct khoad *d, const char *type, int64_t id, const struct actor *actor,
		   json_object **handover);

/* io.khoa.NoSuchHandover for ID. */
void reply_no_such_handover(struct call *c, int64_t id);
