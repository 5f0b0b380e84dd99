/*
 * Revocation due (store-revocation-due.c; migration 0019): the
 * certificates the regulation wants revoked and no revocation request was
 * filed for yet (R-REVOKE-PERSON: a transfer or a change of position;
 * R-REVOKE-ORG: a rename, split, merge, consolidation, dissolution; both:
 * expiry), and the tokens whose revocation is done that were not handed
 * back (Điều 13.4).
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* The certificates held now by PERSON_ID or ORGANIZATION_ID (0: not that
 * one), valid, not revoked nor replaced, noted due for REASON under RULE
 * by ACTOR (once: one due already keeps its first reason); *MARKED the
 * array of {certificate_serial, token_serial} noted now. */
int store_due_mark(struct store *s, int64_t person_id, int64_t organization_id,
		   const char *reason, const char *rule, const struct actor *actor,
		   json_object **marked);

/* The revocations due now (io.khoa.Expiry RevocationDue): those noted and
 * the expired certificates held, without a standing revoke request and
 * not revoked; oldest first. */
int store_due_list(struct store *s, json_object **out);

/* The revocations done whose token was not handed back (io.khoa.Expiry
 * Unreturned), with the days since; oldest first. */
int store_unreturned(struct store *s, json_object **out);

/* Those of them revoked DAYS or more days ago not noticed yet, now marked
 * noticed, as an array of Unreturned. */
int store_return_overdue_take(struct store *s, int days, json_object **out);
