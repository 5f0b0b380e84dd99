/*
 * PIN-recovery requests (store-requests.c), and what every kind of request
 * shares.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* A request being filed. FORM is the protocol's Form object (borrowed). */
struct request_new {
	const char *kind;		/* "pin-recovery" */
	const char *state;		/* its first state */
	const char *token_serial;
	const char *reason;		/* NULL: none given */
	json_object *form;
	struct actor filer;
};

/* Who filed a request or took one of its steps, as the registry recorded
 * them: the uid and the login (no longer than struct peer keeps one). */
struct request_person {
	int64_t uid;
	char user[64];
};

/* What the workflow needs to decide a step, for a request of either table.
 * store_request_info_clear() frees the strings. */
struct request_info {
	char kind[16];
	char *state;
	char *token_serial;		/* NULL: no token (a lifecycle request) */
	struct request_person filed_by;
};
void store_request_info_clear(struct request_info *ri);

/* Which actions a reading of steps looks at: true for those (ARG is the
 * caller's, e.g. the workflow kind whose approvals are wanted). */
typedef bool store_step_pick(const char *action, const void *arg);

int store_request_create(struct store *s, const struct request_new *r, int64_t *id);

/* The request ID of KIND; -ENOENT when there is none (of that kind). */
int store_request_info(struct store *s, const char *kind, int64_t id, struct request_info *out);

/* The request as the protocol's Request object, with its history (oldest
 * step first); -ENOENT when there is none of KIND. */
int store_request_get(struct store *s, const char *kind, int64_t id, json_object **out);

/* The requests of KIND, newest first (by filed_at, then id), in STATE
 * (NULL: any) filed in YEAR (0: any; UTC, as every time in the registry);
 * PAGE of them (store.h; NULL: all). */
int store_request_list(struct store *s, const char *kind, const char *state, int year,
		       struct store_page *page, json_object **out);

/* How many requests of KIND were filed in YEAR (Mẫu 07, row 7). */
int store_request_count(struct store *s, const char *kind, int year, int64_t *count);

/* Moves request ID from FROM to TO by ACTION and records the step with ACTOR
 * and NOTE (NULL: none). -ENOENT when the request is not in FROM (any more). */
int store_request_transition(struct store *s, int64_t id, const char *action, const char *from,
			     const char *to, const struct actor *actor, const char *note);

/* Who took the newest step of request ID whose action PICK accepts: 0 and
 * *OUT, or -ENOENT when none did (or there is no such request). */
int store_request_last_actor(struct store *s, int64_t id, store_step_pick *pick, const void *arg,
			     struct request_person *out);
