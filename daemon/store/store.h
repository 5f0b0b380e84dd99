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
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "peer.h"	/* struct actor */
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

/* What the workflow needs to decide a step, for a request of either table.
 * store_request_info_clear() frees the strings. */
struct request_info {
	char kind[16];
	char *state;
	char *token_serial;		/* NULL: no token (a lifecycle request) */
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

/* ----- certificate lifecycle requests (store-lifecycle.c) ----- */

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
/* Newest first; KIND, STATE NULL: any; YEAR 0: any. */
int store_lifecycle_list(struct store *s, const char *kind, const char *state, int year,
			 json_object **out);
/* Requests filed in YEAR, of KIND and SUBJECT_KIND when non-NULL (Mẫu 07). */
int store_lifecycle_count(struct store *s, int year, const char *kind, const char *subject_kind,
			  int64_t *count);
/* The done requests of KIND about CERTIFICATE_SERIAL, or PERSON_ID, or
 * ORGANIZATION_ID (NULL / 0: not matched on). */
int store_lifecycle_done_count(struct store *s, const char *kind, const char *certificate_serial,
			       int64_t person_id, int64_t organization_id, int64_t *count);
/* As store_request_transition(), for a lifecycle request. */
int store_lifecycle_transition(struct store *s, int64_t id, const char *action, const char *from,
			       const char *to, const struct actor *actor, const char *note);

/* ----- certificate lineage and revocations (store-lineage.c) ----- */

/* A renewal or re-issue request still waiting for its new certificate. */
struct lineage_wait {
	int64_t id;
	char kind[16], state[16];
	char *certificate_serial;	/* the one it replaces; NULL: none named */
	char filed_on[11];		/* YYYY-MM-DD */
};
/* The requests waiting for a certificate to come on token TOKEN_SERIAL:
 * those naming it, and those naming no token whose subject holds it;
 * oldest first. Free with store_lineage_waiting_free(). */
int store_lineage_waiting(struct store *s, const char *token_serial, struct lineage_wait **out,
			  size_t *n);
void store_lineage_waiting_free(struct lineage_wait *w, size_t n);
/* Whether certificate SERIAL is in a line already (as new or as old). */
int store_lineage_known(struct store *s, const char *serial, bool *known);
/* Links certificate SERIAL (valid from NOT_BEFORE) to request REQUEST_ID
 * and to the certificate that request named. */
int store_lineage_link(struct store *s, int64_t request_id, const char *serial,
		       const char *not_before);
/* The renewals along SERIAL's line and the date the line began
 * (FIRST_ISSUED may be NULL; *FIRST_ISSUED is NULL when SERIAL came from
 * no request: it began the line itself). */
int store_lineage_of(struct store *s, const char *serial, int64_t *renewals, char **first_issued);
/* Marks the certificate of revoke request REQUEST_ID revoked with its
 * reason; *RECORDED false when it named none or was marked already. */
int store_revocation_record(struct store *s, int64_t request_id, bool *recorded);

/* ----- the annual report, Mẫu 07 (store-reports.c) ----- */

/* Rows 3–6 of Mẫu 07 in this order: new, reissue, renew, revoke. */
#define REPORT_KINDS 4
extern const char *const report_kinds[REPORT_KINDS];
/* Rows 8–10, entered: documents signed with organization and with personal
 * certificates, documents sent. */
#define REPORT_ENTERED 3

/* What the registry says for the report of YEAR on organization SCOPE (0:
 * every agency). Requests count when filed in YEAR and not cancelled;
 * certificates held are those valid at AS_OF on registered tokens, not
 * revoked, not replaced. An entered figure is -1 when none was entered.
 * store_report_figures_clear() frees the strings. */
struct report_figures {
	int64_t held_org, held_person;
	int64_t requested[REPORT_KINDS][2];	/* [kind][0 organization, 1 person] */
	int64_t pin_recovery;
	int64_t entered[REPORT_ENTERED];
	char *entered_at, *entered_by, *filed_at, *filed_by;
};
int store_report_figures(struct store *s, int year, int64_t scope, const char *as_of,
			 struct report_figures *out);
void store_report_figures_clear(struct report_figures *f);
/* Enters rows 8–10 (-1: keep what was entered) as USER. */
int store_report_enter(struct store *s, int year, int64_t scope, const int64_t entered[3],
		       const char *user);
/* The report went to Sở TT&TT; -EEXIST when it had already, with
 * *FILED_AT (free() it) saying when. */
int store_report_file(struct store *s, int year, int64_t scope, const char *user,
		      char **filed_at);
/* The agencies (organizations holding certificates, themselves or through
 * their people) whose report of YEAR is neither filed nor reminded of, as
 * [{organization_id, organization_name}]; each is remembered as reminded. */
int store_report_take_due(struct store *s, int year, json_object **out);

/* ----- handovers and manager changes (store-handovers.c) ----- */

/* A handover being drafted. GIVER and RECEIVER are Party objects
 * (borrowed) with a "name". */
struct handover_new {
	const char *place;		/* NULL: none */
	const char *held_at;		/* NULL: now */
	json_object *giver, *receiver;
	int64_t supersedes;		/* 0: none */
	struct actor creator;
};

/* A row as added; NULL text: unknown. */
struct handover_row {
	const char *token_serial, *holder_name, *certificate_serial;
	const char *valid_from, *valid_to, *reason, *note;
	bool verified_on_device;
};

/* What the registry knows of token SERIAL for a row: its holder's name
 * (NULL when unregistered), and its certificate (the bound one, else the
 * first seen). Strings malloc'd or NULL; store_token_facts_clear() frees. */
struct token_facts {
	char *holder_name;
	char *cert_sha256;	/* set only when the certificate is bound */
	char *cert_serial, *cert_cn, *not_before, *not_after;
};
void store_token_facts_clear(struct token_facts *f);
/* -ENOENT when the registry has never seen SERIAL. */
int store_token_facts(struct store *s, const char *serial, struct token_facts *out);

int store_handover_create(struct store *s, const struct handover_new *h, int64_t *id);

/* Whether handover ID is finalized, and whom it supersedes / is superseded
 * by (0: none); -ENOENT when there is none. */
int store_handover_info(struct store *s, int64_t id, bool *finalized, int64_t *supersedes,
			int64_t *superseded_by);

/* Appends a row numbered after the last; -EEXIST when the token is in the
 * handover already. */
int store_handover_add_row(struct store *s, int64_t id, const struct handover_row *row);

/* Removes row NUMBER and renumbers the rows after it; -ENOENT if none. */
int store_handover_remove_row(struct store *s, int64_t id, int64_t number);

/* Draft → finalized by ACTOR; -ENOENT when ID is not a draft. */
int store_handover_finalize(struct store *s, int64_t id, const struct actor *actor);

/* The protocol's Handover object; -ENOENT when there is none. */
int store_handover_get(struct store *s, int64_t id, json_object **out);

/* Handovers, newest first; only those with a row of SERIAL when non-NULL. */
int store_handover_list(struct store *s, const char *serial, json_object **out);

/* A decision changing a certificate's manager (Mẫu 08). */
struct manager_change_new {
	int64_t organization_id;
	const char *certificate_kind, *registered_name, *token_serial;
	int64_t old_person_id, new_person_id;
	const char *old_position, *new_position;
	const char *effective_on, *decision_number;
	int64_t handover_id;
	struct actor creator;
};

int store_manager_change_create(struct store *s, const struct manager_change_new *m,
				int64_t *id);
/* The protocol's Change object; -ENOENT when there is none. */
int store_manager_change_get(struct store *s, int64_t id, json_object **out);
/* Every change, newest first. */
int store_manager_change_list(struct store *s, json_object **out);

/* ----- custody and the seal register (store-custody.c) ----- */

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

/* Entries newest first, of SERIAL when non-NULL, only open ones if OPEN. */
int store_seal_log(struct store *s, const char *serial, bool open, json_object **out);

/* The open entries past due that were not notified yet, now marked
 * notified, as an array of SealEntry. */
int store_seal_take_overdue(struct store *s, json_object **out);

/* ----- certificate expiry (store-expiry.c) ----- */

/* A certificate the registry knows, with the token it is on: the one that
 * carried it when last seen (a present token first), else the one it was
 * last bound to (NULL: neither), and that token's holder now (NULL: none). */
struct cert_expiry {
	int64_t id;
	char *serial, *subject_cn, *not_after, *token_serial, *holder;
	int renewals;			/* along its line (R-RENEW-ONCE) */
};

/* Every certificate the registry knows and the CA has not revoked,
 * soonest notAfter first; *OUT is
 * freed with store_cert_expiry_free(). */
int store_cert_expiry_list(struct store *s, struct cert_expiry **out, size_t *n);
void store_cert_expiry_free(struct cert_expiry *v, size_t n);

/* The smallest threshold of the notices of KIND ("expiring", "expired")
 * raised for certificate ID; *threshold -1 when there is none. */
int store_expiry_notice_min(struct store *s, int64_t id, const char *kind, int *threshold);

/* Records that notice (ID, KIND, THRESHOLD) was raised DAYS_LEFT days before
 * expiry; -EEXIST when it was already. */
int store_expiry_notice_add(struct store *s, int64_t id, const char *kind, int threshold,
			    int days_left);

/* A number that changes whenever this store writes to the registry. */
int64_t store_write_count(struct store *s);
