/*
 * Tokens (store-tokens.c): what the registry knows of each token, its
 * sightings and its registration.
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
