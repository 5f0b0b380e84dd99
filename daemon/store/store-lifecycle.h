/*
 * Certificate lifecycle requests (store-lifecycle.c): new, renew, revoke,
 * reissue.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"
#include "store-requests.h"	/* struct request_info */

/* A new, renew, revoke or reissue request being filed (Mẫu 01–06). NULL
 * text and 0 numbers: not known / not given. */
struct lifecycle_new {
	const char *kind;		/* "new", "renew", "revoke", "reissue" */
	const char *subject_kind;	/* "person", "organization" */
	int64_t person_id, organization_id;
	const char *subject_name;
	const char *token_serial, *certificate_serial;
	const char *certificate_not_before, *certificate_not_after;
	const char *reason;
	int64_t requested_years;
	const char *state;
	struct actor filer;
};


int store_lifecycle_create(struct store *s, const struct lifecycle_new *r, int64_t *id);
/* -ENOENT when there is no request ID. */
int store_lifecycle_info(struct store *s, int64_t id, struct request_info *out);
/* The protocol's Request object with its history; -ENOENT when none. */
int store_lifecycle_get(struct store *s, int64_t id, json_object **out);
/* Newest first (by filed_at, then id); KIND, STATE NULL: any; YEAR 0: any;
 * PAGE of them (store.h; NULL: all). */
int store_lifecycle_list(struct store *s, const char *kind, const char *state, int year,
			 struct store_page *page, json_object **out);
/* Requests filed in YEAR, of KIND and SUBJECT_KIND when non-NULL (Mẫu 07). */
int store_lifecycle_count(struct store *s, int year, const char *kind, const char *subject_kind,
			  int64_t *count);
/* The renewal requests of CERTIFICATE_SERIAL standing (not rejected or
 * cancelled), request EXCLUDE left out (0: none) (R-RENEW-ONCE counts the
 * open ones too, issue 16 H1). */
int store_lifecycle_renewals(struct store *s, const char *certificate_serial, int64_t exclude,
			     int64_t *count);
/* The first standing re-issue request of CERTIFICATE_SERIAL other than
 * EXCLUDE; *ID 0 when there is none. */
int store_lifecycle_reissue_of(struct store *s, const char *certificate_serial, int64_t exclude,
			       int64_t *id);
/* Whether CERTIFICATE_SERIAL's revocation is done, and its *REASON (free();
 * NULL when not revoked or not known). */
int store_revocation_of(struct store *s, const char *certificate_serial, bool *revoked,
			char **reason);
/* The serials of the certificates of a person (PERSON_ID) or organization
 * (ORGANIZATION_ID) whose revocation is done and not re-issued, as a JSON
 * array, oldest revocation first. */
int store_revoked_unreissued(struct store *s, int64_t person_id, int64_t organization_id,
			     json_object **out);
/* As store_request_transition(), for a lifecycle request. */
int store_lifecycle_transition(struct store *s, int64_t id, const char *action, const char *from,
			       const char *to, const struct actor *actor, const char *note);
/* As store_request_last_actor(), for a lifecycle request. */
int store_lifecycle_last_actor(struct store *s, int64_t id, store_step_pick *pick,
			       const void *arg, struct request_person *out);
