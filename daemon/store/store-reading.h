/*
 * The registry's last reading of a token (store-reading.c): what khoad
 * read from the device the last time any workstation saw it, for the
 * commands that work when the device is not on the desk (issue 16): the
 * token's label and certificates, and where and when it was last read.
 * Serials are matched exactly against those read from devices: a serial a
 * person typed that no device showed is not found.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"
#include "token.h"

/* Where and when a token was last read. */
struct token_sighting {
	char workstation[128];
	char last_seen[32];	/* ISO 8601 */
	bool present;		/* on that workstation's desk now */
};

/* Token SERIAL as last read (*OUT: clear with khoa_token_clear()), and its
 * latest sighting; -ENOENT when the registry never read it (or, on a
 * shared registry, it is another agency's). */
int store_token_recorded(struct store *s, const char *serial, struct khoa_token *out,
			 struct token_sighting *seen);

/* The serial of the token certificate CERTIFICATE_SERIAL was last read on
 * (*TOKEN_SERIAL: free()); -ENOENT when no device showed it. */
int store_certificate_token(struct store *s, const char *certificate_serial,
			    char **token_serial);

/* The certificates PERSON_ID or ORGANIZATION_ID (0: not that one) holds now
 * on its registered tokens, neither revoked nor with a revoke request
 * standing, as an array of {certificate_serial, token_serial}, expiring
 * first first: what a revocation filed for the subject alone is of. */
int store_subject_certificates(struct store *s, int64_t person_id, int64_t organization_id,
			       json_object **out);

/* The serial as a device wrote it for SERIAL typed in another case (issue
 * 17: "C815DDFA…" typed "c815ddfa…"): *OUT the token's (TABLE "tokens") or
 * the certificate's ("certificates") serial, a new string, when the typed
 * one is not known as it is and exactly one differs from it in case alone;
 * else *OUT NULL. */
int store_serial_canonical(struct store *s, const char *table, const char *serial, char **out);
