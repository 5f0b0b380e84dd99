/*
 * What a new record would repeat (store-duplicates.c, issue 16): an open
 * PIN-recovery request for the token, an open certificate request for the
 * certificate and kind (for the person or organization, a new one's), an
 * organization with the tax code or with the name under the same parent.
 * Each is asked in the transaction that writes the new record, after
 * taking the lock of what they share, so that two workstations filing at
 * once see each other's. 1 with *OUT, 0 when there is none, or a negative
 * errno. The contract of every store function is store.h's.
 */
#pragma once

#include <stdint.h>

#include "store.h"
#include "store-lifecycle.h"

struct store_duplicate {
	int64_t id;
	const char *field;	/* what they share: "token_serial", "tax_code", … */
	char since[32];		/* a request's filed_at; "" for an organization */
};

int store_pin_request_open(struct store *s, const char *kind, const char *serial,
			   struct store_duplicate *out);
/* R's kind about R's certificate, or, for a new certificate, about R's
 * person or organization. */
int store_lifecycle_open(struct store *s, const struct lifecycle_new *r,
			 struct store_duplicate *out);
/* Organization ID as written in this transaction beside the others. */
int store_org_duplicate(struct store *s, int64_t id, struct store_duplicate *out);
