/*
 * Tokens (store-tokens.c): what the registry knows of each token, its
 * sightings and its registration. A sighting is this workstation's: in a
 * registry shared by several khoad, "present" means on this desk.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* What the registry knows of a token, for reconciliation. Strings are
 * malloc'd; store_token_state_clear() frees them. */
struct token_state {
	bool known;
	bool hidden;		/* seen, but another agency's (0011): not ours to record */
	bool present;		/* on this workstation's desk */
	bool registered;
	unsigned long flags;
	char *module;
	char *seen_certs;	/* sorted, comma-joined SHA-256 fingerprints */
	char *bound_certs;	/* NULL unless registered */
};
void store_token_state_clear(struct token_state *st);

int store_token_state(struct store *s, const char *serial, struct token_state *out);

/* This khoad in the registry: the workstation NAME, serving ORGANIZATION
 * (0: none named), recorded with the time now. The presence recorded
 * before workstations had names (one khoad per registry) becomes NAME's.
 * Called once, after store_open(). */
int store_set_workstation(struct store *s, const char *name, int64_t organization);

/* Every registered token the caller may see (ORGS: their N organizations
 * with the sub-units below; ORGS NULL: all) as RegisteredToken records:
 * holder, custodian, and the workstation and time it was last seen; by
 * agency, holder and serial, PAGE of them (store.h; NULL: all). */
int store_tokens_registered(struct store *s, const int64_t *orgs, size_t n,
			    struct store_page *page, json_object **out);

/* Records what a scan read of token T (inserting it as unregistered on its
 * first sighting, and its certificates); SEEN is T's certificate key, kept
 * whole (seen_certs) and one fingerprint a row (token_certs, for joins). */
int store_token_seen(struct store *s, const struct khoa_token *t, const char *seen);

/* Records FLAGS as the token's last known flags (CK_TOKEN_INFO), read by
 * the caller of a PIN operation rather than by a scan. */
int store_token_flags(struct store *s, const char *serial, unsigned long flags);

/* Records only that token T is on this desk now, through its module. */
int store_token_sighted(struct store *s, const struct khoa_token *t);

/* Marks a token absent from this desk. */
int store_token_gone(struct store *s, const char *serial);

/* Serials of the tokens marked present on this desk that were read through
 * MODULE; a NULL-terminated malloc'd array of malloc'd strings. */
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
