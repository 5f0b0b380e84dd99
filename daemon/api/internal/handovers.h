/*
 * Drafting handovers (Mẫu 10): shared by io.khoa.Handovers and
 * io.khoa.Managers, which drafts one for every change of manager. The
 * functions that take a call return as a handler does (server.h): 0, or
 * having answered C with a typed error, or a negative errno. Loop thread
 * only.
 */
#pragma once

#include <stdint.h>
#include <json-c/json.h>

#include "khoad.h"
#include "server.h"
#include "store.h"

/* Whether REASON is one of the interface's row reasons; otherwise C is
 * answered with InvalidField FIELD. */
int handover_check_reason(struct call *c, const char *reason, const char *field);

/* The Party for the parameter FIELD (IN: {person_id}, {organization_id} or
 * in full), filled from the registry, in *OUT (new). */
int handover_party(struct call *c, struct khoad *d, json_object *in, const char *field,
		   json_object **out);

/* Whether handover ID's giver may give token SERIAL by a row of REASON
 * (handover-custody.c): the device is not lost or damaged (a damaged one
 * only back to Sở TT&TT) and the giver holds it by the custody chain (or,
 * for a new issue of a token nothing moved yet, is Sở TT&TT). 0: yes; 1:
 * no, *ERROR the error to answer with (TokenState, RuleViolation); or a
 * negative errno. */
int handover_may_give(struct khoad *d, int64_t id, const char *serial, const char *reason,
		      json_object **error);

/* Adds the row of token SERIAL to draft ID, inside the caller's
 * transaction: from the device when present, else from the registry. */
int handover_add_row(struct call *c, struct khoad *d, int64_t id, const char *serial,
		     const char *reason, const char *note);

/* Records event TYPE about handover ID (details: id, its parties "from"
 * and "to", the serials of its rows, read in the current transaction); the
 * handover in *HANDOVER when not NULL. */
int handover_event(struct khoad *d, const char *type, int64_t id, const struct actor *actor,
		   json_object **handover);
