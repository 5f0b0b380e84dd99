/*
 * The regulation's rules asked of one certificate request (issue 16): when
 * it is filed and again at each step after (confirm, submit, forward,
 * done), each time with that day's date and the registry as it is then, so
 * that a step that no longer passes is refused with the rule's id. The
 * rules themselves are rules.h's; this module gathers what they need from
 * the registry: the certificate's revocation and re-issues, its renewals
 * so far (the open ones counted, H1) and the line it belongs to.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "khoad.h"
#include "rules.h"

struct rule_case {
	const char *kind;		/* "new", "renew", "revoke", "reissue" */
	const char *subject_kind;	/* "person", "organization" */
	int64_t person_id, organization_id;
	const char *certificate_serial;	/* the certificate it is about; NULL: none */
	const char *not_before, *not_after;	/* its validity, as last read */
	const char *reason;		/* NULL: none given */
	bool years_asked;
	int64_t requested_years;
	int64_t request_id;		/* the request itself (0 when filing): not
					 * counted against itself */
	bool timely;			/* the rules of time too (R-RENEW-60D): a
					 * request in our hands, not once the CA
					 * has done it */
};

/* *OK true when every rule of RC's kind allows it on TODAY; else false with
 * *WHY filled. 0, or a negative errno when the registry cannot be read. */
int request_rules_check(struct khoad *d, const struct rule_case *rc, time_t today,
			struct rule_why *why, bool *ok);
