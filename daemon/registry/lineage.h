/*
 * Renewals and re-issues completed by the device, revocations by the CA.
 *
 * When a token comes back carrying a certificate a waiting renewal or
 * re-issue asked for (issued on or after the day it was filed, not the one
 * it replaces, in no line yet), the certificate is linked to the request
 * and to the one it replaces (store_lineage_link), a certificate.renewed
 * or certificate.reissued event is raised, and a request the CA had
 * (forwarded) is done, recorded as khoad's step, and the token's binding
 * follows its new certificates. When a revocation is done
 * its certificate is marked revoked (certificate.revoked) and the token is
 * expected back on a handover (reason revocation-return).
 * Both run inside the caller's transaction.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "khoad.h"
#include "token.h"

/* Token T as a scan saw it with new certificates; *LINKED when a request
 * was completed (the transaction then has something to commit). A
 * REGISTERED token is then bound to the certificates it carries
 * (token.binding_confirmed): the change was asked for, not a mismatch. */
int lineage_on_token(struct khoad *d, const struct khoa_token *t, bool registered,
		     bool *linked);

/* Revoke request ID has just been done, as ACTOR recorded (NULL: khoad). */
int lineage_revoked(struct khoad *d, int64_t id, const char *token_serial,
		    const struct actor *actor);
