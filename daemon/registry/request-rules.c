/* The rules asked of one certificate request (request-rules.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "request-rules.h"
#include "store-lifecycle.h"
#include "store-lineage.h"

/* R-VALIDITY-10Y for a new certificate asked for YEARS from TODAY. */
static bool
new_term(const struct rules_profile *p, time_t today, int64_t years, struct rule_why *why)
{
	if (years < 1 || years > 1000) {
		char asked[24], most[24];
		snprintf(asked, sizeof(asked), "%lld", (long long)years);
		snprintf(most, sizeof(most), "%d", p->new_max_years);
		rule_why_set(why, "R-VALIDITY-10Y", KR_NEW_YEARS_ASKED, asked, most);
		return false;
	}
	struct khoa_datetime t = khoa_datetime_of(today), end = khoa_date_add_years(t, (int)years);
	char from[KHOA_DATE_ISO_SIZE], to[KHOA_DATE_ISO_SIZE];
	khoa_date_iso(&t, from);
	khoa_date_iso(&end, to);
	return rule_validity_10y(p, from, to, why);
}

/* R-RENEW-ONCE, R-RENEW-60D (when timely), R-VALIDITY-10Y/5Y for a renewal. */
static int
renewal(struct khoad *d, const struct rule_case *rc, time_t today, struct rule_why *why,
	bool *ok)
{
	const struct rules_profile *p = d->rules;
	int64_t asked = 0, line = 0;
	char *first = NULL;
	int r;

	if ((r = store_lifecycle_renewals(d->store, rc->certificate_serial, rc->request_id,
					  &asked)) < 0 ||
	    (r = store_lineage_of(d->store, rc->certificate_serial, &line, &first)) < 0)
		return r;
	int renewals = (int)(asked + line);
	*ok = (rc->timely ? rules_renewal_possible(p, today, rc->not_after, renewals, why)
			  : rule_renew_once(p, renewals, why)) &&
	      (!rc->years_asked ||
	       (rule_renew_term(p, rc->requested_years, why) &&
		rule_validity_5y(p, first ? first : rc->not_before, (int)rc->requested_years,
				 why)));
	free(first);
	return 0;
}

/* R-REISSUE of the revoked certificate RC names (H2). */
static int
reissue(struct khoad *d, const struct rule_case *rc, struct rule_why *why, bool *ok)
{
	bool revoked = false;
	char *revoked_for = NULL;
	int64_t earlier = 0;
	int r;

	if (!rc->certificate_serial) {
		*ok = false;
		rule_why_set(why, "R-REISSUE", KR_NOTHING_REVOKED);
		return 0;
	}
	if (((r = store_revocation_of(d->store, rc->certificate_serial, &revoked,
				      &revoked_for)) < 0 ||
	     (r = store_lifecycle_reissue_of(d->store, rc->certificate_serial, rc->request_id,
					     &earlier)) < 0)) {
		free(revoked_for);
		return r;
	}
	*ok = rule_reissue_of(rc->subject_kind, revoked, revoked_for, earlier,
			      rc->reason ? rc->reason : "", why);
	free(revoked_for);
	return 0;
}

int
request_rules_check(struct khoad *d, const struct rule_case *rc, time_t today,
		    struct rule_why *why, bool *ok)
{
	const char *kind = rc->kind;
	int r;

	*ok = false;
	if (!rule_elig_kind(rc->subject_kind, why))
		return 0;
	/* a certificate whose revocation is done is neither renewed nor
	 * revoked again (H3) */
	if (rc->certificate_serial && (strcmp(kind, "renew") == 0 || strcmp(kind, "revoke") == 0)) {
		bool revoked;
		char *reason;
		if ((r = store_revocation_of(d->store, rc->certificate_serial, &revoked, &reason)) < 0)
			return r;
		free(reason);
		if (!rule_not_revoked(kind, rc->subject_kind, revoked, why))
			return 0;
	}
	if (strcmp(kind, "new") == 0) {
		*ok = !rc->years_asked || new_term(d->rules, today, rc->requested_years, why);
		return 0;
	}
	if (strcmp(kind, "renew") == 0)
		return renewal(d, rc, today, why, ok);
	if (strcmp(kind, "revoke") == 0) {
		*ok = rule_revoke_reason(rc->subject_kind, rc->reason ? rc->reason : "", why);
		return 0;
	}
	return reissue(d, rc, why, ok);
}
