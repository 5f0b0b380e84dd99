/*
 * Unit tests of daemon/registry/rules.h: every rule of shared/regulation/DIGEST.md at
 * its boundaries, with the built-in Thái Bình 2016 profile and with one read
 * from tests/unit/rules-profile.ini. Today is an argument: 2026-11-24, late in
 * the day (UTC), so that counting days by dates, not by hours, shows.
 * The reason lists are written out again here from Điều 6 and 7 of the
 * regulation, not read from the code.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "rules.h"

#ifndef RULES_PROFILE
#error "RULES_PROFILE: the path of tests/unit/rules-profile.ini"
#endif

/* A time_t at an ISO time, UTC. */
static time_t
at(const char *iso)
{
	struct tm tm = { 0 };
	int n = sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		       &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
	assert_true(n == 3 || n == 6);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

#define TODAY at("2026-11-24T20:28:31")

/* The rule refused with exactly this message. */
static void
assert_why(const struct rule_why *why, const char *rule, const char *text)
{
	assert_non_null(why->rule);
	assert_string_equal(why->rule, rule);
	assert_string_equal(why->text, text);
}

/* The rule refused, the message naming RULE and containing PART. */
static void
assert_why_has(const struct rule_why *why, const char *rule, const char *part)
{
	assert_non_null(why->rule);
	assert_string_equal(why->rule, rule);
	assert_int_equal(strncmp(why->text, rule, strlen(rule)), 0);
	assert_int_equal(why->text[strlen(rule)], ':');
	if (!strstr(why->text, part))
		fail_msg("'%s' does not contain '%s'", why->text, part);
}

static void
assert_allowed(const struct rule_why *why)
{
	assert_null(why->rule);
	assert_string_equal(why->text, "");
}

/* ---- the profile and dates --------------------------------------------- */

static void
test_default_profile(void **state)
{
	const struct rules_profile *p = rules_default();
	assert_non_null(strstr(p->name, "Thái Bình 2016"));
	assert_int_equal(p->renewals_allowed, 1);
	assert_int_equal(p->renew_min_days, 60);
	assert_int_equal(p->new_max_years, 10);
	assert_int_equal(p->renew_max_years_old, 5);
	assert_string_equal(p->tt08_effective, "2016-03-17");
	assert_int_equal(p->warn_days[0], 120);
	assert_int_equal(p->warn_days[1], 90);
	assert_int_equal(p->warn_days[2], 60);
	assert_int_equal(p->warn_days[3], 0);
	assert_int_equal(p->report_month, 11);
}

static void
test_days_until(void **state)
{
	time_t today = TODAY;
	assert_int_equal(rules_days_until(today, "2026-11-24"), 0);
	assert_int_equal(rules_days_until(today, "2026-11-24T00:00:00Z"), 0);
	assert_int_equal(rules_days_until(today, "2026-11-25T00:00:01Z"), 1);
	assert_int_equal(rules_days_until(today, "2026-11-23T23:59:59Z"), -1);
	assert_int_equal(rules_days_until(today, "2027-01-23T00:00:00Z"), 60);
	assert_int_equal(rules_days_until(today, "2025-11-24"), -365);
	assert_int_equal(rules_days_until(today, "2028-11-24"), 731);	/* 2028-02-29 */
	assert_int_equal(rules_days_until(at("2024-02-28"), "2024-03-01"), 2);
	assert_int_equal(rules_days_until(at("2100-02-28"), "2100-03-01"), 1);
	assert_int_equal(rules_days_until(at("1969-12-31T12:00:00"), "1970-01-01"), 1);
	/* The UTC date of a time with an offset. */
	assert_int_equal(rules_days_until(today, "2026-11-25T06:00:00+07:00"), 0);
	assert_int_equal(rules_days_until(today, "2026-11-24T20:00:00-05:00"), 1);
	assert_int_equal(rules_days_until(today, "2026-12-31T23:00:00-0200"), 38);
	assert_int_equal(rules_days_until(today, "2027-01-01T01:00+02"), 37);
	assert_int_equal(rules_days_until(today, "2026-11-24 20:28:31.250Z"), 0);
	assert_int_equal(rules_days_until(today, "2026-11-24t10:00"), 0);

	const char *const bad[] = {
		"", "2026", "2026-11", "20261124", "2026-11-24Z", "2026-02-29", "2026-13-01",
		"2026-00-10", "2026-11-31", "2026-11-24T", "2026-11-24T24:00:00Z",
		"2026-11-24T10:60Z", "2026-11-24T10:00:61Z", "2026-11-24T10:00:00.Z",
		"2026-11-24T10:00:00Q", "2026-11-24T10:00:00+24:00", " 2026-11-24",
		"2026-11-24 ", "2026-1-24", "+2026-11-24", "tomorrow",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (rules_days_until(today, bad[i]) != INT_MIN)
			fail_msg("'%s' taken for a date", bad[i]);
	assert_int_equal(rules_days_until(today, NULL), INT_MIN);
}

/* ---- R-RENEW-60D, R-RENEW-ONCE (Điều 5.1) ------------------------------ */

static void
test_renew_60d(void **state)
{
	const struct rules_profile *p = rules_default();
	struct rule_why why;

	assert_true(rule_renew_60d(p, TODAY, "2027-01-24T00:00:00Z", &why));	/* 61 */
	assert_allowed(&why);
	assert_true(rule_renew_60d(p, TODAY, "2027-01-23T00:00:00Z", &why));	/* 60 */
	assert_allowed(&why);
	assert_false(rule_renew_60d(p, TODAY, "2027-01-22T23:59:59Z", &why));	/* 59 */
	assert_why(&why, "R-RENEW-60D",
		   "R-RENEW-60D: 59 days of validity remain, renewal needs at least 60");
	assert_false(rule_renew_60d(p, TODAY, "2027-01-04", &why));
	assert_why(&why, "R-RENEW-60D",
		   "R-RENEW-60D: 41 days of validity remain, renewal needs at least 60");
	assert_false(rule_renew_60d(p, TODAY, "2026-11-25", &why));
	assert_why(&why, "R-RENEW-60D",
		   "R-RENEW-60D: 1 day of validity remains, renewal needs at least 60");
	assert_false(rule_renew_60d(p, TODAY, "2026-11-24", &why));
	assert_why(&why, "R-RENEW-60D",
		   "R-RENEW-60D: 0 days of validity remain, renewal needs at least 60");
	assert_false(rule_renew_60d(p, TODAY, "2026-11-21", &why));
	assert_why(&why, "R-RENEW-60D", "R-RENEW-60D: the certificate expired 3 days ago, "
		   "renewal needs at least 60 days of validity");
	assert_false(rule_renew_60d(p, TODAY, "soon", &why));
	assert_why(&why, "R-RENEW-60D", "R-RENEW-60D: the expiry 'soon' is not a date");
	assert_false(rule_renew_60d(p, TODAY, NULL, &why));
	assert_why(&why, "R-RENEW-60D", "R-RENEW-60D: the expiry '(none)' is not a date");
	/* WHY may be NULL. */
	assert_false(rule_renew_60d(p, TODAY, "2027-01-22", NULL));
	assert_true(rule_renew_60d(p, TODAY, "2027-01-23", NULL));
}

static void
test_renew_once(void **state)
{
	const struct rules_profile *p = rules_default();
	struct rule_why why;

	assert_true(rule_renew_once(p, 0, &why));
	assert_allowed(&why);
	assert_false(rule_renew_once(p, 1, &why));	/* the second renewal */
	assert_why(&why, "R-RENEW-ONCE", "R-RENEW-ONCE: the certificate was renewed 1 time "
		   "already, at most 1 renewal(s) allowed");
	assert_false(rule_renew_once(p, 2, &why));
	assert_why(&why, "R-RENEW-ONCE", "R-RENEW-ONCE: the certificate was renewed 2 times "
		   "already, at most 1 renewal(s) allowed");
	assert_false(rule_renew_once(p, -1, &why));
	assert_why(&why, "R-RENEW-ONCE", "R-RENEW-ONCE: -1 is not a number of renewals");

	struct rules_profile none = *p;
	none.renewals_allowed = 0;
	assert_false(rule_renew_once(&none, 0, &why));
	assert_why(&why, "R-RENEW-ONCE",
		   "R-RENEW-ONCE: the certificate was renewed 0 times, no renewal is allowed");
}

/* The first rule that forbids, in the order of Điều 5.1. */
static void
test_renewal_possible(void **state)
{
	const struct rules_profile *p = rules_default();
	struct rule_why why;

	assert_true(rules_renewal_possible(p, TODAY, "2027-01-23T00:00:00Z", 0, &why));
	assert_allowed(&why);
	assert_false(rules_renewal_possible(p, TODAY, "2027-01-22T00:00:00Z", 0, &why));
	assert_why(&why, "R-RENEW-60D",
		   "R-RENEW-60D: 59 days of validity remain, renewal needs at least 60");
	assert_false(rules_renewal_possible(p, TODAY, "2030-01-01T00:00:00Z", 1, &why));
	assert_why_has(&why, "R-RENEW-ONCE", "renewed 1 time already");
	/* Both forbid: R-RENEW-ONCE comes first. */
	assert_false(rules_renewal_possible(p, TODAY, "2026-12-01T00:00:00Z", 1, &why));
	assert_why_has(&why, "R-RENEW-ONCE", "at most 1 renewal");
	/* A refusal does not linger into an allowed answer. */
	assert_true(rules_renewal_possible(p, TODAY, "2028-01-01", 0, &why));
	assert_allowed(&why);
}

/* ---- R-VALIDITY-10Y, R-VALIDITY-5Y (Điều 8) --------------------------- */

static void
test_validity_10y(void **state)
{
	const struct rules_profile *p = rules_default();
	struct rule_why why;

	assert_true(rule_validity_10y(p, "2026-11-24T08:00:00Z", "2036-11-24T08:00:00Z", &why));
	assert_allowed(&why);
	assert_true(rule_validity_10y(p, "2026-11-24", "2036-11-24T23:59:59Z", &why));
	assert_true(rule_validity_10y(p, "2026-11-24", "2036-11-23", &why));
	assert_true(rule_validity_10y(p, "2026-11-24", "2026-11-24", &why));
	assert_false(rule_validity_10y(p, "2026-11-24T08:00:00Z", "2036-11-25T08:00:00Z", &why));
	assert_why(&why, "R-VALIDITY-10Y", "R-VALIDITY-10Y: a new certificate from 2026-11-24 "
		   "to 2036-11-25 would be valid 10 years and 1 day, at most 10 years "
		   "allowed");
	assert_false(rule_validity_10y(p, "2026-11-24", "2037-11-24", &why));
	assert_why(&why, "R-VALIDITY-10Y", "R-VALIDITY-10Y: a new certificate from 2026-11-24 "
		   "to 2037-11-24 would be valid 11 years, at most 10 years allowed");
	assert_false(rule_validity_10y(p, "2026-11-24", "2038-01-05", &why));
	assert_why_has(&why, "R-VALIDITY-10Y", "valid 11 years and 42 days");
	/* 29 February: ten years later there is none; the 28th is the last day. */
	assert_true(rule_validity_10y(p, "2028-02-29", "2038-02-28", &why));
	assert_false(rule_validity_10y(p, "2028-02-29", "2038-03-01", &why));
	assert_why_has(&why, "R-VALIDITY-10Y", "valid 10 years and 1 day");
	assert_true(rule_validity_10y(p, "2024-02-29", "2034-02-28", &why));
	/* Not dates, or backwards. */
	assert_false(rule_validity_10y(p, "2036-11-24", "2026-11-24", &why));
	assert_why(&why, "R-VALIDITY-10Y", "R-VALIDITY-10Y: the certificate would expire on "
		   "2026-11-24, before it starts on 2036-11-24");
	assert_false(rule_validity_10y(p, "x", "2026-11-24", &why));
	assert_why(&why, "R-VALIDITY-10Y", "R-VALIDITY-10Y: the start 'x' is not a date");
	assert_false(rule_validity_10y(p, "2026-11-24", NULL, &why));
	assert_why(&why, "R-VALIDITY-10Y", "R-VALIDITY-10Y: the expiry '(none)' is not a date");

	struct rules_profile five = *p;
	five.new_max_years = 5;
	assert_true(rule_validity_10y(&five, "2026-11-24", "2031-11-24", &why));
	assert_false(rule_validity_10y(&five, "2026-11-24", "2031-11-25", &why));
	assert_why_has(&why, "R-VALIDITY-10Y", "at most 5 years allowed");
}

static void
test_validity_5y(void **state)
{
	const struct rules_profile *p = rules_default();
	struct rule_why why;

	/* Issued before Thông tư 08/2016/TT-BQP took effect (2016-03-17). */
	assert_true(rule_validity_5y(p, "2015-06-01T03:00:00Z", 5, &why));
	assert_allowed(&why);
	assert_true(rule_validity_5y(p, "2015-06-01", 1, &why));
	assert_false(rule_validity_5y(p, "2015-06-01T03:00:00Z", 6, &why));
	assert_why(&why, "R-VALIDITY-5Y", "R-VALIDITY-5Y: the certificate was first issued on "
		   "2015-06-01, before Thông tư 08/2016/TT-BQP took effect on 2016-03-17, and "
		   "may be renewed for at most 5 years, not 6");
	assert_true(rule_validity_5y(p, "2016-03-16T23:59:59Z", 5, &why));
	assert_false(rule_validity_5y(p, "2016-03-16T23:59:59Z", 6, &why));
	assert_why_has(&why, "R-VALIDITY-5Y", "first issued on 2016-03-16");
	/* Issued on the day it took effect, or later: not limited by this rule. */
	assert_true(rule_validity_5y(p, "2016-03-17T00:00:00Z", 6, &why));
	assert_allowed(&why);
	assert_true(rule_validity_5y(p, "2020-01-01", 10, &why));
	assert_true(rule_validity_5y(p, "2020-01-01", 20, &why));
	/* Not a date, not a term. */
	assert_false(rule_validity_5y(p, "2015-06", 5, &why));
	assert_why(&why, "R-VALIDITY-5Y", "R-VALIDITY-5Y: the first issue '2015-06' is not a date");
	assert_false(rule_validity_5y(p, "2020-01-01", 0, &why));
	assert_why(&why, "R-VALIDITY-5Y", "R-VALIDITY-5Y: 0 is not a renewal term in years");

	struct rules_profile later = *p;
	later.tt08_effective = "2021-01-01";
	later.renew_max_years_old = 3;
	assert_false(rule_validity_5y(&later, "2020-01-01", 4, &why));
	assert_why_has(&why, "R-VALIDITY-5Y", "took effect on 2021-01-01, and may be renewed for "
		       "at most 3 years, not 4");
	later.tt08_effective = "2021-02-30";
	assert_false(rule_validity_5y(&later, "2020-01-01", 1, &why));
	assert_why(&why, "R-VALIDITY-5Y",
		   "R-VALIDITY-5Y: the profile's tt08-effective '2021-02-30' is not a date");
}

/* ---- R-REVOKE-ORG, R-REVOKE-PERSON (Điều 6.1), R-REISSUE (Điều 7) ------ */

/* Điều 6.1a; "lost": Điều 10.2 (rules.c, LOST) */
static const char *const org_revoke[] = {
	"rename", "split", "merge", "consolidation", "dissolution", "damaged", "lost", "expired",
	NULL,
};
/* Điều 6.1b */
static const char *const person_revoke[] = {
	"resignation", "retirement", "death", "transfer", "title-change", "conviction",
	"damaged", "lost", "expired", NULL,
};
/* Điều 7.1a */
static const char *const org_reissue[] = {
	"rename", "split", "merge", "consolidation", "dissolution", "damaged", "lost", "expired",
	NULL,
};
/* Điều 7.1b */
static const char *const person_reissue[] = {
	"transfer", "title-change", "damaged", "lost", "expired", "conviction-cleared", NULL,
};

static bool
in(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static void
assert_same_list(const char *const *got, const char *const *want)
{
	assert_non_null(got);
	size_t i = 0;
	for (; want[i]; i++) {
		assert_non_null(got[i]);
		assert_string_equal(got[i], want[i]);
	}
	assert_null(got[i]);
}

/* Every word of any list, and some of none. */
static const char *const words[] = {
	"rename", "split", "merge", "consolidation", "dissolution", "damaged", "expired",
	"resignation", "retirement", "death", "transfer", "title-change", "conviction",
	"conviction-cleared", "lost", "", "Rename", "expired ", NULL,
};

static void
test_reasons_lists(void **state)
{
	assert_same_list(rules_reasons("organization", false), org_revoke);
	assert_same_list(rules_reasons("person", false), person_revoke);
	assert_same_list(rules_reasons("organization", true), org_reissue);
	assert_same_list(rules_reasons("person", true), person_reissue);
	assert_null(rules_reasons("agency", false));
	assert_null(rules_reasons(NULL, true));
}

static void
test_revoke(void **state)
{
	struct rule_why why;

	for (const char *const *w = words; *w; w++) {
		bool ok = rule_revoke_reason("organization", *w, &why);
		if (ok != in(org_revoke, *w))
			fail_msg("organization, '%s': %s", *w, ok ? "allowed" : why.text);
		if (ok)
			assert_allowed(&why);
		else
			assert_why_has(&why, "R-REVOKE-ORG", "is not a reason to revoke");
		ok = rule_revoke_reason("person", *w, &why);
		if (ok != in(person_revoke, *w))
			fail_msg("person, '%s': %s", *w, ok ? "allowed" : why.text);
		if (ok)
			assert_allowed(&why);
		else
			assert_why_has(&why, "R-REVOKE-PERSON", "is not a reason to revoke");
	}

	/* A person's reason for an organization, and the other way. */
	assert_false(rule_revoke_reason("organization", "retirement", &why));
	assert_why(&why, "R-REVOKE-ORG", "R-REVOKE-ORG: 'retirement' is not a reason to revoke "
		   "an organization certificate, the reasons are "
		   "rename,split,merge,consolidation,dissolution,damaged,lost,expired");
	assert_false(rule_revoke_reason("person", "dissolution", &why));
	assert_why(&why, "R-REVOKE-PERSON", "R-REVOKE-PERSON: 'dissolution' is not a reason to "
		   "revoke a personal certificate, the reasons are "
		   "resignation,retirement,death,transfer,title-change,conviction,damaged,lost,expired");
	assert_false(rule_revoke_reason("person", NULL, &why));
	assert_why_has(&why, "R-REVOKE-PERSON", "'(none)' is not a reason");

	/* A long reason is cut short, not inside a UTF-8 sequence. */
	char long_reason[200] = "x";
	for (int i = 0; i < 40; i++)
		strcat(long_reason, "ư");	/* 2 bytes: 1 + 2 * 40 */
	assert_false(rule_revoke_reason("person", long_reason, &why));
	char want[100] = "'x";
	for (int i = 0; i < 31; i++)	/* 1 + 2 * 31 = 63 bytes of 64 */
		strcat(want, "ư");
	strcat(want, "…' is not a reason");
	assert_why_has(&why, "R-REVOKE-PERSON", want);

	/* Neither kind. */
	assert_false(rule_revoke_reason("agency", "rename", &why));
	assert_why(&why, "R-ELIG", "R-ELIG: 'agency' is not a kind of certificate, the kinds "
		   "are organization and person");
	assert_false(rule_revoke_reason(NULL, "rename", &why));
	assert_why_has(&why, "R-ELIG", "'(none)'");
	assert_true(rule_elig_kind("person", &why));
	assert_true(rule_elig_kind("organization", &why));
	assert_false(rule_elig_kind("Person", &why));
}

/* Issue 16, H5: a renewal's term at R-VALIDITY-10Y's boundary. */
static void
test_renew_term(void **state)
{
	struct rule_why why;

	(void)state;
	assert_true(rule_renew_term(rules_default(), 10, &why));
	assert_allowed(&why);
	assert_true(rule_renew_term(rules_default(), 1, &why));
	assert_false(rule_renew_term(rules_default(), 11, &why));
	assert_why(&why, "R-VALIDITY-10Y", "R-VALIDITY-10Y: 11 years asked, a certificate is "
		   "valid for 1 to 10 years, renewed too");
	assert_false(rule_renew_term(rules_default(), 20, &why));
	assert_false(rule_renew_term(rules_default(), 0, &why));
	assert_false(rule_renew_term(rules_default(), INT64_MAX, &why));
}

/* Issue 16, H3: at the boundary, a revocation done or not. */
static void
test_not_revoked(void **state)
{
	struct rule_why why;

	(void)state;
	assert_true(rule_not_revoked("renew", "person", false, &why));
	assert_allowed(&why);
	assert_true(rule_not_revoked("revoke", "organization", false, &why));
	assert_false(rule_not_revoked("renew", "person", true, &why));
	assert_why(&why, "R-REISSUE", "R-REISSUE: the certificate has been revoked: it is "
		   "re-issued, not renewed");
	assert_false(rule_not_revoked("revoke", "organization", true, &why));
	assert_why(&why, "R-REVOKE-ORG", "R-REVOKE-ORG: the certificate has been revoked already");
	assert_false(rule_not_revoked("revoke", "person", true, &why));
	assert_why_has(&why, "R-REVOKE-PERSON", "revoked already");
	/* what follows a revocation is not refused for it */
	assert_true(rule_not_revoked("reissue", "person", true, &why));
}

static void
test_reissue(void **state)
{
	struct rule_why why;

	/* Before revocation: refused, whatever the reason. */
	assert_false(rule_reissue("organization", false, "rename", &why));
	assert_why(&why, "R-REISSUE", "R-REISSUE: the certificate has not been revoked, "
		   "re-issue comes only after revocation");
	assert_false(rule_reissue("person", false, "transfer", &why));
	assert_why_has(&why, "R-REISSUE", "has not been revoked");

	/* After revocation: the listed reasons of each kind, and only those. */
	for (const char *const *w = words; *w; w++) {
		bool ok = rule_reissue("organization", true, *w, &why);
		if (ok != in(org_reissue, *w))
			fail_msg("organization, '%s': %s", *w, ok ? "allowed" : why.text);
		if (ok)
			assert_allowed(&why);
		else
			assert_why_has(&why, "R-REISSUE", "is not a reason to re-issue");
		ok = rule_reissue("person", true, *w, &why);
		if (ok != in(person_reissue, *w))
			fail_msg("person, '%s': %s", *w, ok ? "allowed" : why.text);
		if (ok)
			assert_allowed(&why);
		else
			assert_why_has(&why, "R-REISSUE", "is not a reason to re-issue");
	}
	assert_false(rule_reissue("person", true, "retirement", &why));
	assert_why(&why, "R-REISSUE", "R-REISSUE: 'retirement' is not a reason to re-issue a "
		   "personal certificate, the reasons are "
		   "transfer,title-change,damaged,lost,expired,conviction-cleared");
	assert_false(rule_reissue("person", true, "conviction", &why));
	assert_false(rule_reissue("organization", true, "conviction-cleared", &why));
	assert_why_has(&why, "R-REISSUE", "an organization certificate, the reasons are rename");
	assert_false(rule_reissue("person", true, "rename", &why));
	assert_false(rule_reissue("team", true, "rename", &why));
	assert_why_has(&why, "R-ELIG", "'team' is not a kind of certificate");
}

/* R-REISSUE of one revoked certificate (issue 16, H2): once per
 * revocation, for a reason that follows the revocation's. */
static void
test_reissue_of(void **state)
{
	(void)state;
	struct rule_why why;

	assert_true(rule_reissue_of("organization", true, "rename", 0, "rename", &why));
	assert_allowed(&why);
	assert_false(rule_reissue_of("organization", false, NULL, 0, "rename", &why));
	assert_why_has(&why, "R-REISSUE", "has not been revoked");
	/* once: the boundary is the first standing re-issue */
	assert_false(rule_reissue_of("organization", true, "rename", 7, "rename", &why));
	assert_why(&why, "R-REISSUE", "R-REISSUE: request 7 re-issues this revoked certificate "
		   "already; a revocation is followed by one re-issue");
	/* the reason follows the revocation's */
	assert_false(rule_reissue_of("organization", true, "rename", 0, "merge", &why));
	assert_why(&why, "R-REISSUE", "R-REISSUE: the certificate was revoked for 'rename', "
		   "which 'merge' does not follow");
	assert_true(rule_reissue_of("person", true, "conviction", 0, "conviction-cleared", &why));
	assert_false(rule_reissue_of("person", true, "transfer", 0, "conviction-cleared", &why));
	assert_true(rule_reissue_of("person", true, "lost", 0, "damaged", &why));
	assert_true(rule_reissue_of("person", true, "damaged", 0, "lost", &why));
	assert_false(rule_reissue_of("person", true, "lost", 0, "expired", &why));
	/* a revocation whose reason is not known takes any listed one */
	assert_true(rule_reissue_of("person", true, NULL, 0, "expired", &why));
	assert_true(rule_reissue_of("person", true, "", 0, "expired", &why));
	/* the listed reasons still first */
	assert_false(rule_reissue_of("person", true, "retirement", 0, "retirement", &why));
	assert_why_has(&why, "R-REISSUE", "is not a reason to re-issue");
}

/* The certificate that came back, against what the request allowed (issue
 * 16, H5): boundaries on the day. */
static void
test_issued_term(void **state)
{
	(void)state;
	const struct rules_profile *p = rules_default();
	struct rule_why why;

	/* a renewal asked for 5 years: 5 years to the day, not a day more */
	assert_true(rule_issued_term(p, "renew", "2020-01-01", 5, "2026-12-05T00:00:00Z",
				     "2031-12-05T00:00:00Z", &why));
	assert_allowed(&why);
	assert_false(rule_issued_term(p, "renew", "2020-01-01", 5, "2026-12-05T00:00:00Z",
				      "2031-12-06T00:00:00Z", &why));
	assert_why(&why, "R-VALIDITY-10Y", "R-VALIDITY-10Y: the certificate issued from "
		   "2026-12-05 to 2031-12-06 is valid 5 years and 1 day, 5 years were "
		   "allowed or asked");
	/* nothing asked: the profile's 10 */
	assert_true(rule_issued_term(p, "reissue", NULL, 0, "2026-12-05", "2036-12-05", &why));
	assert_false(rule_issued_term(p, "reissue", NULL, 0, "2026-12-05", "2036-12-06", &why));
	assert_why_has(&why, "R-VALIDITY-10Y", "10 years were allowed or asked");
	/* a line begun before TT08: at most 5, whatever was asked */
	assert_true(rule_issued_term(p, "renew", "2015-06-01", 0, "2026-12-05", "2031-12-05", &why));
	assert_false(rule_issued_term(p, "renew", "2015-06-01", 8, "2026-12-05", "2031-12-06",
				      &why));
	assert_why_has(&why, "R-VALIDITY-5Y", "5 years were allowed or asked");
	/* begun on the day TT08 took effect: the 5-year bound is not its */
	assert_true(rule_issued_term(p, "renew", "2016-03-17", 0, "2026-12-05", "2034-12-05", &why));
}

/* ---- profiles ---------------------------------------------------------- */

/* The profile file changes the outcomes; what it does not give stays. */
static void
test_profile_changes_outcomes(void **state)
{
	struct rules_profile p;
	char *error = (char *)"untouched";
	struct rule_why why;

	assert_int_equal(rules_profile_load(RULES_PROFILE, &p, &error), 0);
	assert_null(error);
	assert_string_equal(p.name, "Test profile (two renewals, 30 days)");
	assert_int_equal(p.renewals_allowed, 2);
	assert_int_equal(p.renew_min_days, 30);
	assert_int_equal(p.new_max_years, 10);
	assert_int_equal(p.renew_max_years_old, 5);
	assert_string_equal(p.tt08_effective, "2016-03-17");
	assert_int_equal(p.warn_days[0], 90);
	assert_int_equal(p.warn_days[1], 45);
	assert_int_equal(p.warn_days[2], 30);
	assert_int_equal(p.warn_days[3], 0);

	/* 41 days: refused by the default, allowed by the profile. */
	assert_false(rule_renew_60d(rules_default(), TODAY, "2027-01-04", &why));
	assert_true(rule_renew_60d(&p, TODAY, "2027-01-04", &why));
	assert_true(rule_renew_60d(&p, TODAY, "2026-12-24", &why));	/* 30 */
	assert_false(rule_renew_60d(&p, TODAY, "2026-12-23", &why));	/* 29 */
	assert_why(&why, "R-RENEW-60D",
		   "R-RENEW-60D: 29 days of validity remain, renewal needs at least 30");
	/* A second renewal: refused by the default, allowed by the profile. */
	assert_false(rule_renew_once(rules_default(), 1, &why));
	assert_true(rule_renew_once(&p, 1, &why));
	assert_false(rule_renew_once(&p, 2, &why));
	assert_why(&why, "R-RENEW-ONCE", "R-RENEW-ONCE: the certificate was renewed 2 times "
		   "already, at most 2 renewal(s) allowed");
	assert_false(rules_renewal_possible(rules_default(), TODAY, "2027-01-04", 1, &why));
	assert_true(rules_renewal_possible(&p, TODAY, "2027-01-04", 1, &why));
	assert_false(rules_renewal_possible(&p, TODAY, "2026-12-01", 1, &why));
	assert_why_has(&why, "R-RENEW-60D", "7 days of validity remain");
	rules_profile_release(&p);
	assert_ptr_equal(p.name, rules_default()->name);
}

static char *
write_profile(const char *text)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	assert_true(asprintf(&path, "%s/test-rules-XXXXXX", dir && *dir ? dir : "/tmp") > 0);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

/* Loads TEXT; expects -EINVAL and an error containing PART. */
static void
refused(const char *text, const char *part)
{
	char *path = write_profile(text), *error = NULL;
	struct rules_profile p;
	memset(&p, 0xa5, sizeof(p));
	assert_int_equal(rules_profile_load(path, &p, &error), -EINVAL);
	assert_non_null(error);
	if (!strstr(error, part))
		fail_msg("'%s' does not contain '%s'", error, part);
	assert_non_null(strstr(error, path));
	/* On error: the default. */
	assert_memory_equal(&p, rules_default(), sizeof(p));
	unlink(path);
	free(path);
	free(error);
}

static void
test_profile_bad_values(void **state)
{
	refused("[rules]\nrenew-min-days = sixty\n",
		":2: [rules] renew-min-days: 'sixty' is not a number of days");
	refused("[rules]\nrenew-min-days = 60d\n", "renew-min-days: '60d'");
	refused("[rules]\nrenew-min-days = -1\n", "renew-min-days: '-1'");
	refused("[rules]\nrenew-min-days = 3651\n", "renew-min-days: '3651'");
	refused("[rules]\nrenew-min-days =\n", "renew-min-days: ''");
	refused("[rules]\nrenewals-allowed = 1.5\n", "renewals-allowed: '1.5'");
	refused("[rules]\nrenewals-allowed = 99999999999999999999\n", "renewals-allowed:");
	refused("[rules]\nnew-max-years = 0\n", "new-max-years: '0' is not a number of years");
	refused("[rules]\nrenew-max-years-old = +5\n", "renew-max-years-old: '+5'");
	refused("[rules]\ntt08-effective = 17/03/2016\n",
		"tt08-effective: '17/03/2016' is not a date (YYYY-MM-DD)");
	refused("[rules]\ntt08-effective = 2016-02-30\n", "tt08-effective: '2016-02-30'");
	refused("[rules]\ntt08-effective = 2016-03-17T00:00:00Z\n", "tt08-effective:");
	refused("[rules]\nwarn-days = 60 90 120\n", "warn-days: '60 90 120'");
	refused("[rules]\nwarn-days = 90 90\n", "warn-days:");
	refused("[rules]\nwarn-days = 120 90 sixty\n", "warn-days:");
	refused("[rules]\nwarn-days = 120 0\n", "warn-days:");
	refused("[rules]\nwarn-days = 8 7 6 5 4 3 2 1\n", "warn-days:");
	refused("[rules]\nname =\n", "name: ''");
	refused("[rules]\nreport-month = 13\n", "report-month: '13' is not a month from 1 to 12");
	refused("[rules]\nreport-month = 0\n", "report-month: '0'");
	refused("[rules]\nrenewals = 2\n", "[rules] renewals: no such key");
	/* The first problem is the one named. */
	refused("[rules]\nrenewals-allowed = 2\nnew-max-years = ten\nrenew-min-days = x\n",
		":3: [rules] new-max-years: 'ten'");
	refused("[rules]\nthis is not ini\n", ":2: not valid INI");
}

static void
test_profile_other(void **state)
{
	struct rules_profile p;
	char *error = NULL;

	/* Missing file. */
	assert_int_equal(rules_profile_load("/nonexistent/rules.ini", &p, &error), -ENOENT);
	assert_non_null(strstr(error, "cannot read /nonexistent/rules.ini"));
	free(error);

	/* No [rules]: the default; every key, seven warnings, empty warnings. */
	char *path = write_profile("[roles]\nadmin = 0\n");
	assert_int_equal(rules_profile_load(path, &p, &error), 0);
	assert_memory_equal(&p, rules_default(), sizeof(p));
	rules_profile_release(&p);
	unlink(path);
	free(path);

	path = write_profile("[rules]\nrenewals-allowed = 0\nrenew-min-days = 0\n"
			     "new-max-years = 100\nrenew-max-years-old = 1\n"
			     "tt08-effective = 2016-02-01\ntt08-effective = 2016-03-01\n"
			     "warn-days = 3650,7 6 5 4 3 2\nname = x\nname = Nghị định 68/2024\n"
			     "report-month = 12\n");
	assert_int_equal(rules_profile_load(path, &p, &error), 0);
	assert_int_equal(p.renewals_allowed, 0);
	assert_int_equal(p.renew_min_days, 0);
	assert_int_equal(p.new_max_years, 100);
	assert_int_equal(p.renew_max_years_old, 1);
	assert_string_equal(p.tt08_effective, "2016-03-01");
	assert_string_equal(p.name, "Nghị định 68/2024");
	assert_int_equal(p.report_month, 12);
	const int want[8] = { 3650, 7, 6, 5, 4, 3, 2, 0 };
	assert_memory_equal(p.warn_days, want, sizeof(want));
	struct rule_why why;
	assert_false(rule_validity_5y(&p, "2016-02-29", 2, &why));
	assert_why_has(&why, "R-VALIDITY-5Y", "took effect on 2016-03-01");
	rules_profile_release(&p);
	unlink(path);
	free(path);

	path = write_profile("[rules]\nwarn-days =\n");
	assert_int_equal(rules_profile_load(path, &p, &error), 0);
	assert_int_equal(p.warn_days[0], 0);
	rules_profile_release(&p);
	unlink(path);
	free(path);

	/* Releasing the default, or a copy of it, frees nothing. */
	p = *rules_default();
	rules_profile_release(&p);
	rules_profile_release(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_profile),
		cmocka_unit_test(test_days_until),
		cmocka_unit_test(test_renew_60d),
		cmocka_unit_test(test_renew_once),
		cmocka_unit_test(test_renewal_possible),
		cmocka_unit_test(test_validity_10y),
		cmocka_unit_test(test_validity_5y),
		cmocka_unit_test(test_reasons_lists),
		cmocka_unit_test(test_revoke),
		cmocka_unit_test(test_renew_term),
		cmocka_unit_test(test_not_revoked),
		cmocka_unit_test(test_reissue),
		cmocka_unit_test(test_reissue_of),
		cmocka_unit_test(test_issued_term),
		cmocka_unit_test(test_profile_changes_outcomes),
		cmocka_unit_test(test_profile_bad_values),
		cmocka_unit_test(test_profile_other),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
