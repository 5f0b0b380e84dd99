/*
 * The registry's storage: the only code that composes SQL (daemon/store*.c).
 * SQLite under the state directory today; every call is a plain C function
 * so that a PostgreSQL implementation can stand beside it.
 *
 * Mutations run inside store_begin() … store_commit() (or store_rollback()):
 * one transaction per change, together with its events. Reads return
 * protocol JSON (new references). Functions return 0 or a negative errno:
 * -ENOENT for a missing row, -EEXIST for a duplicate, -ENOMEM, -EIO for a
 * database failure (logged once, here). Loop thread only.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "token.h"

struct store;

/* Opens (creating) DIR/registry.db and brings its schema up to date. A
 * schema newer than this binary knows is refused: *error says so. */
int store_open(const char *dir, struct store **out, char **error);
void store_close(struct store *s);

int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* The schema version in use. */
int store_schema_version(struct store *s);

/* ----- organizations and people (store-registry.c) ----- */

/* Which fields of an update are given; for create every given one is set. */
enum {
	FIELD_NAME = 1 << 0,
	FIELD_PARENT = 1 << 1,
	FIELD_TAX_CODE = 1 << 2,
	FIELD_ADDRESS = 1 << 3,
	FIELD_EMAIL = 1 << 4,
	FIELD_ID_NUMBER = 1 << 5,
	FIELD_BIRTH_DATE = 1 << 6,
	FIELD_POSITION = 1 << 7,
	FIELD_ORGANIZATION = 1 << 8,
	FIELD_PHONE = 1 << 9,
};

/* Validated, normalized values; NULL text or 0 id clears a field. */
struct org_fields {
	unsigned set;
	const char *name, *tax_code, *address, *email;
	int64_t parent_id;
};

struct person_fields {
	unsigned set;
	const char *full_name, *id_number, *birth_date, *position, *email, *phone;
	int64_t organization_id;
};

int store_org_create(struct store *s, const struct org_fields *f, int64_t *id);
int store_org_update(struct store *s, int64_t id, const struct org_fields *f);
int store_org_get(struct store *s, int64_t id, json_object **out);
int store_org_list(struct store *s, json_object **out);
/* Whether making PARENT the parent of ID would close a loop. */
int store_org_would_cycle(struct store *s, int64_t id, int64_t parent, bool *cycle);

int store_person_create(struct store *s, const struct person_fields *f, int64_t *id);
int store_person_update(struct store *s, int64_t id, const struct person_fields *f);
int store_person_get(struct store *s, int64_t id, json_object **out);
/* ORG 0: everyone. */
int store_person_list(struct store *s, int64_t org, json_object **out);

/* ----- tokens (store-tokens.c) ----- */

/* What the registry knows of a token, for reconciliation. Strings are
 * malloc'd; store_token_state_clear() frees them. */
struct token_state {
	bool known;
	bool present;
	bool registered;
	unsigned long flags;
	char *module;
	char *seen_certs;	/* sorted, comma-joined SHA-256 fingerprints */
	char *bound_certs;	/* NULL unless registered */
};
void store_token_state_clear(struct token_state *st);

int store_token_state(struct store *s, const char *serial, struct token_state *out);

/* Records what a scan read of token T (inserting it as unregistered on its
 * first sighting, and its certificates); SEEN is T's certificate key. */
int store_token_seen(struct store *s, const struct khoa_token *t, const char *seen);

/* Marks a token absent. */
int store_token_gone(struct store *s, const char *serial);

/* Serials of the tokens marked present that were read through MODULE;
 * a NULL-terminated malloc'd array of malloc'd strings. */
int store_tokens_present(struct store *s, const char *module, char ***out);

/* Registers token SERIAL to a person (PERSON) or an organization (ORG):
 * its certificates as last seen become its binding. -EEXIST if registered. */
int store_token_register(struct store *s, const char *serial, int64_t person, int64_t org);

/* Ends the registration: holder and bindings end. -ENOENT if not registered. */
int store_token_unregister(struct store *s, const char *serial);

/* Rebinds the token to the certificates it was last seen with. */
int store_token_confirm(struct store *s, const char *serial);

/* The io.khoa.Tokens Registration object of SERIAL ("unregistered" when the
 * registry has never seen it). */
int store_token_registration(struct store *s, const char *serial, json_object **out);

/* The serials of the certificates of a comma-joined SHA-256 KEY. */
int store_cert_serials(struct store *s, const char *key, json_object **out);

/* ----- events (store-events.c) ----- */

struct actor {
	int64_t uid;
	const char *user;
};

/* Appends an event (in the current transaction) and returns it as the
 * protocol's Event object in *out. DETAILS is borrowed. */
int store_event_add(struct store *s, const char *type, const char *serial,
		    const struct actor *actor, json_object *details, json_object **out);

/* The events after SINCE (id), of SERIAL when non-NULL, oldest first. */
int store_events(struct store *s, int64_t since, const char *serial, json_object **out);

/* ----- requests (store-requests.c) ----- */

/* A request being filed. FORM is the protocol's Form object (borrowed). */
struct request_new {
	const char *kind;		/* "pin-recovery" */
	const char *state;		/* its first state */
	const char *token_serial;
	const char *reason;		/* NULL: none given */
	json_object *form;
	struct actor filer;
};

/* What the workflow needs to decide a step. store_request_info_clear()
 * frees the strings. */
struct request_info {
	char *state;
	char *token_serial;
	int64_t filed_by_uid;
};
void store_request_info_clear(struct request_info *ri);

int store_request_create(struct store *s, const struct request_new *r, int64_t *id);

/* The request ID of KIND; -ENOENT when there is none (of that kind). */
int store_request_info(struct store *s, const char *kind, int64_t id, struct request_info *out);

/* The request as the protocol's Request object, with its history (oldest
 * step first); -ENOENT when there is none of KIND. */
int store_request_get(struct store *s, const char *kind, int64_t id, json_object **out);

/* The requests of KIND, newest first, in STATE (NULL: any) filed in YEAR
 * (0: any; UTC, as every time in the registry). */
int store_request_list(struct store *s, const char *kind, const char *state, int year,
		       json_object **out);

/* How many requests of KIND were filed in YEAR (Mẫu 07, row 7). */
int store_request_count(struct store *s, const char *kind, int year, int64_t *count);

/* Moves request ID from FROM to TO by ACTION and records the step with ACTOR
 * and NOTE (NULL: none). -ENOENT when the request is not in FROM (any more). */
int store_request_transition(struct store *s, int64_t id, const char *action, const char *from,
			     const char *to, const struct actor *actor, const char *note);
