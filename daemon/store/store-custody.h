/*
 * Custody and the seal register (store-custody.c): who holds a token, the
 * organization token's uses.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* Moves custody by finalized handover ID: a link per row; when it
 * supersedes another, that one and its links are marked superseded_by ID
 * (-EEXIST when it was superseded already). */
int store_custody_move(struct store *s, int64_t id);

/* {serial, holder?, chain}: the links of SERIAL not superseded, oldest
 * first; the holder is the receiving party of the latest. -ENOENT when the
 * registry knows nothing of SERIAL. */
int store_custody_get(struct store *s, const char *serial, json_object **out);

/* The open seal entry of SERIAL, or -ENOENT. */
int store_seal_open(struct store *s, const char *serial, int64_t *id);

/* Checks SERIAL out to PERSON, due HOURS from now. */
int store_seal_out(struct store *s, const char *serial, int64_t person, const char *purpose,
		   int64_t hours, const struct actor *actor, int64_t *id);

/* Checks entry ID in; -ENOENT when it is not out. */
int store_seal_in(struct store *s, int64_t id, const struct actor *actor, const char *note);

/* The protocol's SealEntry; -ENOENT when there is none. */
int store_seal_get(struct store *s, int64_t id, json_object **out);

/* Entries newest first (by id), of SERIAL when non-NULL, only open ones if
 * OPEN; PAGE of them (store.h; NULL: all). */
int store_seal_log(struct store *s, const char *serial, bool open, struct store_page *page,
		   json_object **out);

/* The open entries past due that were not notified yet, now marked
 * notified, as an array of SealEntry. */
int store_seal_take_overdue(struct store *s, json_object **out);
