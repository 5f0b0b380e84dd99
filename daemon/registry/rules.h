/*
 * The regulation's rules on certificates (shared/regulation/DIGEST.md), one
 * function per rule id, each citing its article. Pure functions: today's
 * date is an argument, the numbers come from a rules profile (the Thái Bình
 * 2016 regulation is built in; a later regulation can change a number in a
 * profile file, not in code). A function returns true when the rule allows
 * the act, else false with *why filled: the rule id, the fact's code and
 * arguments (reasons.h: "days-remain", "41", "60"), and the English
 * sentence "R-RENEW-60D: 41 days of validity remain, renewal needs at least
 * 60". Dates are ISO 8601 ("2026-11-24" or "2026-11-24T20:28:31Z";
 * a time with an offset counts by its UTC date). WHY may be NULL; when the
 * act is allowed, why->rule is NULL and why->text "".
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "reasons.h"

struct rules_profile {
	const char *name;		/* "Thái Bình 2016 (Quyết định …/2016/QĐ-UBND)" */
	int renewals_allowed;		/* R-RENEW-ONCE: 1 */
	int renew_min_days;		/* R-RENEW-60D: 60 */
	int new_max_years;		/* R-VALIDITY-10Y: 10 */
	int renew_max_years_old;	/* R-VALIDITY-5Y: 5 */
	const char *tt08_effective;	/* Thông tư 08/2016/TT-BQP in force: "2016-03-17" */
	int warn_days[8];		/* expiry warnings, descending, 0-terminated: 120, 90, 60 */
	int report_month;		/* R-AGENCY-DUTIES, Mẫu 07: 11 (November) */
	int return_days;		/* Điều 13.4: a revoked token not handed back
					 * after so many days is raised: 30 */
	const char *department;		/* R-SO-DUTIES: the department that issues
					 * tokens to the agencies, "Sở Thông tin
					 * và Truyền thông" (a province may name
					 * the one that took over its duties) */
};

struct rule_why {
	const char *rule;		/* "R-RENEW-60D" */
	const char *fact;		/* its code (reasons.h): "days-remain" */
	char args[KHOA_REASON_ARGS_MAX][160];	/* the fact's arguments */
	size_t n_args;
	char text[512];			/* English, for logs and the error's message */
};

/* The built-in profile: the Thái Bình 2016 regulation. */
const struct rules_profile *rules_default(void);

/* A profile read from an INI file ([rules] renewals-allowed = …); fields
 * not given keep the default's. 0, or a negative errno with *error. */
int rules_profile_load(const char *path, struct rules_profile *out, char **error);
/*
 * Keys of [rules], each checked (an error names the key and the value; an
 * unknown key is an error; other sections are ignored):
 *   renewals-allowed = 0…100        renew-min-days = 0…3650
 *   new-max-years = 1…100           renew-max-years-old = 1…100
 *   tt08-effective = YYYY-MM-DD     warn-days = up to 7 descending numbers
 *   name = text                     ("120 90 60"; empty: no warnings)
 *   report-month = 1…12           return-days = 0…3650
 *   department = text
 * On error *OUT is the default; *error (free() it) is NULL only when out of
 * memory. On success *OUT may own copies of name and tt08_effective:
 * rules_profile_release() frees them (and is harmless on the default's).
 */
void rules_profile_release(struct rules_profile *p);

/* The [rules] section read entry by entry, for a reader of the whole file
 * (config-file.c): init, an entry at a time (1, or 0 with ERROR set to
 * "[rules] KEY: …", or NOMEM), then take the profile or discard it. */
struct rules_reader {
	struct rules_profile p;
	char *name, *tt08, *department;	/* owned, or NULL: the default's */
	char *error;		/* the first problem met */
	bool nomem;
};
void rules_reader_init(struct rules_reader *l);
int rules_reader_entry(struct rules_reader *l, const char *key, const char *value);
void rules_reader_take(struct rules_reader *l, struct rules_profile *out);
void rules_reader_discard(struct rules_reader *l);

/* Fills WHY (when not NULL) with RULE broken by FACT and FACT's arguments,
 * as many strings as its table entry takes (reasons.h); returns false. */
bool rule_why_set(struct rule_why *why, const char *rule, enum khoa_reason_id fact, ...);

/* WHY's rule, fact and arguments into B as "rule", "fact" and "args", the
 * English sentence as KEY, for an event (a client says it from the fact). */
struct jsonb;
void rule_why_put(struct jsonb *b, const struct rule_why *why, const char *key);

/* Whole days from TODAY (UTC) to the ISO date or time WHEN (negative when
 * past); INT_MIN when WHEN is not a date. */
int rules_days_until(time_t today, const char *when);

/* R-RENEW-60D (Điều 5.1): at least renew_min_days of validity remain. */
bool rule_renew_60d(const struct rules_profile *p, time_t today, const char *not_after,
		    struct rule_why *why);

/* R-RENEW-ONCE (Điều 5.1): fewer renewals so far than allowed. */
bool rule_renew_once(const struct rules_profile *p, int renewals_so_far, struct rule_why *why);

/* R-VALIDITY-10Y (Điều 8.1): a new certificate valid at most new_max_years
 * (from NOT_BEFORE to NOT_AFTER), counted in UTC dates: NOT_AFTER may fall on
 * the same day and month new_max_years later (29 February: the 28th), not
 * a day after. */
bool rule_validity_10y(const struct rules_profile *p, const char *not_before,
		       const char *not_after, struct rule_why *why);

/* R-VALIDITY-5Y (Điều 8.2): a certificate first issued before Thông tư 08
 * took effect (tt08_effective) is renewed for at most renew_max_years_old;
 * one issued on that day or later is not limited by this rule.
 * REQUESTED_YEARS < 1 is refused. */
bool rule_validity_5y(const struct rules_profile *p, const char *first_issued,
		      int requested_years, struct rule_why *why);

/* R-REVOKE-ORG / R-REVOKE-PERSON (Điều 6.1): REASON is one the regulation
 * lists for KIND ("organization" or "person"). A KIND that is neither is
 * refused by R-ELIG. */
bool rule_revoke_reason(const char *kind, const char *reason, struct rule_why *why);

/* R-REISSUE (Điều 7): only after revocation, for a listed reason. A KIND that
 * is neither is refused by R-ELIG; then "not revoked"; then the reason. */
bool rule_reissue(const char *kind, bool revoked, const char *reason, struct rule_why *why);

/* R-VALIDITY-10Y (Điều 8.1) for a renewal's term (issue 16, H5): a
 * certificate is valid at most the profile's new_max_years (10), renewed
 * too; R-VALIDITY-5Y bounds it further for one first issued before TT08. */
bool rule_renew_term(const struct rules_profile *p, int64_t requested_years, struct rule_why *why);

/* A revoked certificate is at its end (issue 16, H3): renewing it is
 * refused by R-REISSUE (what follows a revocation is a re-issue, Điều 7),
 * revoking it again by R-REVOKE-ORG or R-REVOKE-PERSON (KIND's). REQUEST is
 * the kind of request filed ("renew", "revoke"); others pass. */
bool rule_not_revoked(const char *request, const char *kind, bool revoked, struct rule_why *why);

/* R-REISSUE (Điều 7) of one revoked certificate (issue 16, H2): rule_reissue
 * (REVOKED: that certificate's revocation is done), then once per
 * revocation (EARLIER: the id of a re-issue request of it not rejected or
 * cancelled, 0: none), then a REASON that follows the revocation's
 * (REVOKED_REASON, NULL or "": not known, any listed reason): the same
 * cause, conviction-cleared after conviction, lost and damaged for each
 * other. */
bool rule_reissue_of(const char *kind, bool revoked, const char *revoked_reason, int64_t earlier,
		     const char *reason, struct rule_why *why);

/* R-VALIDITY-10Y / R-VALIDITY-5Y for a certificate that came back (issue
 * 16, H5): valid from NOT_BEFORE to NOT_AFTER no longer than the profile
 * allows a new certificate, a renewal (REQUEST "renew") of a line
 * FIRST_ISSUED before TT08 its renew_max_years_old, and REQUESTED_YEARS
 * when asked (> 0). */
bool rule_issued_term(const struct rules_profile *p, const char *request, const char *first_issued,
		      int64_t requested_years, const char *not_before, const char *not_after,
		      struct rule_why *why);

/* R-ELIG (Điều 1.2): KIND is "organization" (1.2a) or "person" (1.2b). */
bool rule_elig_kind(const char *kind, struct rule_why *why);

/* The reasons (NULL-terminated, static) for revoking, or when REISSUE for
 * re-issuing, a certificate of KIND; NULL when KIND is neither.
 *   organization revoke: rename split merge consolidation dissolution damaged
 *                        expired
 *   person revoke:       resignation retirement death transfer title-change
 *                        conviction damaged expired
 *   organization reissue: rename split merge consolidation dissolution damaged
 *                        expired
 *   person reissue:      transfer title-change damaged expired conviction-cleared
 */
const char *const *rules_reasons(const char *kind, bool reissue);

/* Whether renewal is still possible for a certificate expiring NOT_AFTER
 * that was renewed RENEWALS times: the first rule that forbids it, in the
 * order of Điều 5.1 (R-RENEW-ONCE, then R-RENEW-60D), or true. */
bool rules_renewal_possible(const struct rules_profile *p, time_t today, const char *not_after,
			    int renewals, struct rule_why *why);
