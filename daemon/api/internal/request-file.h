/*
 * Filing a certificate lifecycle request (requests.c), for the methods that
 * draft one on the way (an incident drafts the revocation of a lost or
 * damaged token's certificate): in the caller's transaction, the request
 * already open asked first, then the regulation's rules (request-rules.h),
 * then the request and its lifecycle_request.filed event recorded.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "khoad.h"
#include "rules.h"
#include "store-duplicates.h"
#include "store-lifecycle.h"

enum {
	LIFECYCLE_DUPLICATE = 1,	/* *DUP names the request open already */
	LIFECYCLE_REFUSED = 2,		/* *WHY names the rule */
};

/* Files LN (its filer the actor); YEARS_ASKED: LN's requested_years was
 * given. 0 with *ID, LIFECYCLE_DUPLICATE, LIFECYCLE_REFUSED, or a negative
 * errno. */
int lifecycle_file(struct khoad *d, const struct lifecycle_new *ln, bool years_asked,
		   struct store_duplicate *dup, struct rule_why *why, int64_t *id);
