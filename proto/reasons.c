/* Why khoad refuses, one table (reasons.h). The sentences are English;
 * xgettext takes them from here for po/vi.po (po/POTFILES). */
#include <stdlib.h>
#include <string.h>

#include "reasons.h"

/* A sentence for xgettext (--keyword N_), and no plural; or the sentence
 * in the singular, then the plural (--keyword=NP_:1,2), and the argument
 * that counts: the last three fields of an entry. */
#define N_(s) (s), NULL, 0
#define NP_(one, many, arg) (one), (many), (arg)

const struct khoa_reason khoa_reasons[KR_COUNT] = {
	/* ----- values ----- */
	[KR_REQUIRED] = { "required", "", N_("required") },
	[KR_STRING] = { "string", "", N_("a string") },
	[KR_RANGE] = { "range", "nn", N_("a whole number from %1$s to %2$s") },
	[KR_ONE_OF] = { "one-of", "l", N_("one of %1$s") },
	[KR_DATE] = { "date", "", N_("a date: YYYY-MM-DD or dd/mm/yyyy") },
	[KR_DATE_OR_TIME] = { "date-or-time", "",
		N_("a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ (UTC)") },
	[KR_NAME_REQUIRED] = { "name-required", "", N_("name: required, not blank") },
	[KR_NAME_UTF8] = { "name-utf8", "", N_("name: valid UTF-8") },
	[KR_NAME_CONTROL] = { "name-control", "",
		N_("name: one line, no control or invisible formatting characters") },
	[KR_NAME_LENGTH] = { "name-length", "", N_("name: at most 200 characters") },
	[KR_TEXT_UTF8] = { "text-utf8", "", N_("text: valid UTF-8") },
	[KR_TEXT_CONTROL] = { "text-control", "",
		N_("text: one line, no control or invisible formatting characters") },
	[KR_TEXT_LENGTH] = { "text-length", "", N_("text: at most 500 characters") },
	[KR_BIRTH_DATE_FORM] = { "birth-date-form", "", N_("birth date: YYYY-MM-DD or dd/mm/yyyy") },
	[KR_BIRTH_DATE_REAL] = { "birth-date-real", "",
		N_("birth date: a real calendar date (29/02 only in leap years)") },
	[KR_BIRTH_DATE_1900] = { "birth-date-1900", "", N_("birth date: year 1900 or later") },
	[KR_BIRTH_DATE_FUTURE] = { "birth-date-future", "", N_("birth date: not in the future") },
	[KR_ISSUED_FORM] = { "issued-form", "", N_("date of issue: YYYY-MM-DD or dd/mm/yyyy") },
	[KR_ISSUED_REAL] = { "issued-real", "",
		N_("date of issue: a real calendar date (29/02 only in leap years)") },
	[KR_ISSUED_1900] = { "issued-1900", "", N_("date of issue: year 1900 or later") },
	[KR_ISSUED_FUTURE] = { "issued-future", "", N_("date of issue: not in the future") },
	[KR_ISSUED_BIRTH] = { "issued-birth", "", N_("date of issue: not before the date of birth") },
	[KR_SEX] = { "sex", "", N_("sex: male or female (Nam or Nữ)") },
	[KR_ID_FORM] = { "id-form", "", N_("CMND: 9 digits, or CCCD: 12 digits") },
	[KR_CCCD_PROVINCE] = { "cccd-province", "",
		N_("CCCD: 12 digits, the first three a province code") },
	[KR_CCCD_YEAR] = { "cccd-year", "", N_("CCCD: digits 4–6 must match the birth year") },
	[KR_CCCD_FUTURE] = { "cccd-future", "",
		N_("CCCD: digits 4–6 must be a birth year not in the future") },
	[KR_ID_NUMBER_TAKEN] = { "id-number-taken", "",
		N_("another person is registered with this CMND/CCCD") },
	[KR_EMAIL_FORM] = { "email-form", "",
		N_("email: ASCII only, no blanks, one '@' between a name and a domain with a dot") },
	[KR_EMAIL_LENGTH] = { "email-length", "", N_("email: at most 254 characters") },
	[KR_PHONE] = { "phone", "",
		N_("phone: 10 digits starting with 0 (fixed lines 11, starting with 02), or +84") },
	[KR_TAX_FORM] = { "tax-form", "", N_("tax code: 10 digits, or 10 digits-3 digits for a branch") },
	[KR_TAX_CHECK] = { "tax-check", "",
		N_("tax code: the 10th digit must be the check digit of the first nine") },
	[KR_TAX_BRANCH] = { "tax-branch", "", N_("tax code: a branch is numbered 001 to 999") },
	[KR_LOGINS_MAX] = { "logins-max", "n", N_("at most %1$s logins") },
	[KR_NO_SUCH_USER] = { "no-such-user", "q", N_("no user '%1$s' on this system") },
	[KR_LOGIN_TAKEN] = { "login-taken", "qn", N_("'%1$s' is the login of person %2$s") },
	[KR_PARENT_SELF] = { "parent-self", "",
		N_("parent: an organization cannot be placed below itself") },
	[KR_AUDIT_HEADS] = { "audit-heads", "n",
		N_("at most %1$s heads, each a record's number and 64 hex digits") },
	[KR_PAGE_AFTER] = { "page-after", "", N_("after: the next of the page before") },
	[KR_SEAL_ORGANIZATION] = { "seal-organization", "",
		N_("seal: only an organization's token is kept like the seal") },
	[KR_MANAGER_SAME] = { "manager-same", "", N_("the new manager is another person") },
	[KR_SUBJECT_BOTH] = { "subject-both", "", N_("either person_id or organization_id, not both") },
	[KR_SUBJECT_NEEDED] = { "subject-needed", "",
		N_("the subject: person_id or organization_id, or a registered token") },
	[KR_TOKEN_OF_SUBJECT] = { "token-of-subject", "", N_("a token registered to the subject") },
	[KR_SUBJECT_NO_CERTIFICATE] = { "subject-no-certificate", "",
		N_("the token: the registry knows no certificate the subject holds") },
	[KR_SUBJECT_CERTIFICATES] = { "subject-certificates", "s",
		N_("one of the subject's certificates (on token): %1$s") },
	[KR_CERTIFICATE_ON_TOKEN] = { "certificate-on-token", "", N_("a certificate on the token") },
	[KR_YEARS_NEW_RENEW] = { "years-new-renew", "", N_("only for new and renew") },
	[KR_TOKEN_OR_CERTIFICATE] = { "token-or-certificate", "",
		N_("required: the token or the certificate, as a device showed it") },
	[KR_CERTIFICATE_SHOWN] = { "certificate-shown", "", N_("a certificate a device has shown") },
	[KR_TOKEN_WITH_CERTIFICATE] = { "token-with-certificate", "",
		N_("a token that carries a certificate") },
	[KR_REVOKED_CERTIFICATES] = { "revoked-certificates", "s",
		N_("one of the revoked certificates: %1$s") },
	[KR_HOLDER_ONE] = { "holder-one", "",
		N_("holder: exactly one of person_id and organization_id") },
	[KR_IN_HANDOVER] = { "in-handover", "", N_("serial: the token is in the handover already") },
	[KR_SUPERSEDED_ALREADY] = { "superseded-already", "",
		N_("supersedes: that handover was superseded already") },
	[KR_SUPERSEDE_FINALIZED] = { "supersede-finalized", "",
		N_("supersedes: only a finalized handover is superseded; correct a draft") },
	[KR_SERIALS_STRINGS] = { "serials-strings", "", N_("token serials (strings)") },
	[KR_NO_SUCH_ROW] = { "no-such-row", "", N_("number: no such row in the handover") },
	[KR_DRAFT_OF_CHANGE] = { "draft-of-change", "n",
		N_("a draft of no manager change (manager change %1$s drew this one)") },
	[KR_CANCEL_NOTE] = { "cancel-note", "", N_("note: why the draft is cancelled") },
	[KR_HANDOVER_EMPTY] = { "handover-empty", "", N_("id: a handover needs at least one row") },
	[KR_PARTY] = { "party", "",
		N_("a party: {person_id}, {organization_id} or name, agency, address, "
		   "representative, position; introduction_letter, id_number, id_issued_on, "
		   "id_issued_by") },
	[KR_HAPPENED_ON] = { "happened-on", "", N_("a date, not after today") },
	[KR_PIN_REASON] = { "pin-reason", "",
		N_("reason: why the PIN is to be recovered (forgotten, locked, …)") },
	[KR_REPORT_ONE] = { "report-one", "",
		N_("at least one of documents_signed_org, documents_signed_person, documents_sent") },
	[KR_FORM_FIELD] = { "form-field", "", N_("not a field of the form (Mẫu 09)") },
	[KR_SUBSCRIBER_NAME] = { "subscriber-name", "",
		N_("required: the token's holder is not in the registry and its certificate "
		   "names nobody; give it in fields") },
	[KR_NOTE_REQUIRED] = { "note-required", "", N_("required: say why") },
	[KR_FROM_TOKEN] = { "from-token", "", N_("read from the token, not typed") },

	/* ----- PINs ----- */
	[KR_PIN_CHARSET] = { "pin-charset", "",
		N_("a PIN has letters, digits and ASCII signs only (is a Vietnamese input method "
		   "on?)") },
	[KR_PIN_LENGTH] = { "pin-length", "", N_("the PIN is shorter or longer than the token allows") },
	[KR_PIN_REFUSED] = { "pin-refused", "", N_("the token refused the new PIN's length or characters") },

	/* ----- acts ----- */
	[KR_START_NOT_DATE] = { "start-not-date", "q", N_("the start '%1$s' is not a date") },
	[KR_EXPIRY_NOT_DATE] = { "expiry-not-date", "q", N_("the expiry '%1$s' is not a date") },
	[KR_FIRST_ISSUE_NOT_DATE] = { "first-issue-not-date", "q",
		N_("the first issue '%1$s' is not a date") },
	[KR_TT08_NOT_DATE] = { "tt08-not-date", "q",
		N_("the profile's tt08-effective '%1$s' is not a date") },
	[KR_EXPIRED_AGO] = { "expired-ago", "nn",
		NP_("the certificate expired %1$s day ago, renewal needs at least %2$s days of "
		    "validity",
		    "the certificate expired %1$s days ago, renewal needs at least %2$s days of "
		    "validity", 1) },
	[KR_DAYS_REMAIN] = { "days-remain", "nn",
		NP_("%1$s day of validity remains, renewal needs at least %2$s",
		    "%1$s days of validity remain, renewal needs at least %2$s", 1) },
	[KR_RENEWALS_NOT_NUMBER] = { "renewals-not-number", "n",
		N_("%1$s is not a number of renewals") },
	[KR_NO_RENEWAL] = { "no-renewal", "n",
		NP_("the certificate was renewed %1$s time, no renewal is allowed",
		    "the certificate was renewed %1$s times, no renewal is allowed", 1) },
	[KR_RENEWED_ALREADY] = { "renewed-already", "nn",
		NP_("the certificate was renewed %1$s time already, at most %2$s renewal(s) "
		    "allowed",
		    "the certificate was renewed %1$s times already, at most %2$s renewal(s) "
		    "allowed", 1) },
	[KR_EXPIRES_BEFORE_START] = { "expires-before-start", "dd",
		N_("the certificate would expire on %1$s, before it starts on %2$s") },
	[KR_TERM_TOO_LONG] = { "term-too-long", "ddnn",
		N_("a new certificate from %1$s to %2$s would be valid %3$s years, at most %4$s "
		   "years allowed") },
	[KR_TERM_TOO_LONG_DAYS] = { "term-too-long-days", "ddnnn",
		NP_("a new certificate from %1$s to %2$s would be valid %3$s years and %4$s day, "
		    "at most %5$s years allowed",
		    "a new certificate from %1$s to %2$s would be valid %3$s years and %4$s days, "
		    "at most %5$s years allowed", 4) },
	[KR_TERM_EXCEEDED] = { "term-exceeded", "ddnn",
		N_("the certificate issued from %1$s to %2$s is valid %3$s years, %4$s years were "
		   "allowed or asked") },
	[KR_TERM_EXCEEDED_DAYS] = { "term-exceeded-days", "ddnnn",
		NP_("the certificate issued from %1$s to %2$s is valid %3$s years and %4$s day, "
		    "%5$s years were allowed or asked",
		    "the certificate issued from %1$s to %2$s is valid %3$s years and %4$s days, "
		    "%5$s years were allowed or asked", 4) },
	[KR_RENEW_TERM_NOT_NUMBER] = { "renew-term-not-number", "n",
		N_("%1$s is not a renewal term in years") },
	[KR_RENEW_BEFORE_TT08] = { "renew-before-tt08", "ddnn",
		N_("the certificate was first issued on %1$s, before Thông tư 08/2016/TT-BQP took "
		   "effect on %2$s, and may be renewed for at most %3$s years, not %4$s") },
	[KR_NOT_A_KIND] = { "not-a-kind", "q",
		N_("'%1$s' is not a kind of certificate, the kinds are organization and person") },
	[KR_REVOKE_REASON_ORG] = { "revoke-reason-organization", "ql",
		N_("'%1$s' is not a reason to revoke an organization certificate, the reasons are "
		   "%2$s") },
	[KR_REVOKE_REASON_PERSON] = { "revoke-reason-person", "ql",
		N_("'%1$s' is not a reason to revoke a personal certificate, the reasons are %2$s") },
	[KR_YEARS_ASKED] = { "years-asked", "nn",
		N_("%1$s years asked, a certificate is valid for 1 to %2$s years, renewed too") },
	[KR_NEW_YEARS_ASKED] = { "new-years-asked", "nn",
		N_("%1$s years asked, a new certificate is valid for 1 to %2$s years") },
	[KR_REVOKED_NOT_RENEWED] = { "revoked-not-renewed", "",
		N_("the certificate has been revoked: it is re-issued, not renewed") },
	[KR_REVOKED_ALREADY] = { "revoked-already", "",
		N_("the certificate has been revoked already") },
	[KR_NOT_REVOKED] = { "not-revoked", "",
		N_("the certificate has not been revoked, re-issue comes only after revocation") },
	[KR_REISSUE_REASON_ORG] = { "reissue-reason-organization", "ql",
		N_("'%1$s' is not a reason to re-issue an organization certificate, the reasons "
		   "are %2$s") },
	[KR_REISSUE_REASON_PERSON] = { "reissue-reason-person", "ql",
		N_("'%1$s' is not a reason to re-issue a personal certificate, the reasons are "
		   "%2$s") },
	[KR_REISSUED_ALREADY] = { "reissued-already", "n",
		N_("request %1$s re-issues this revoked certificate already; a revocation is "
		   "followed by one re-issue") },
	[KR_REISSUE_NOT_FOLLOW] = { "reissue-not-follow", "cc",
		N_("the certificate was revoked for '%1$s', which '%2$s' does not follow") },
	[KR_NOTHING_REVOKED] = { "nothing-revoked", "",
		N_("none of the subject's certificates has been revoked and not re-issued; "
		   "re-issue comes only after revocation") },
	[KR_CUSTODY_NEW_ISSUE] = { "custody-new-issue", "sns",
		N_("a new token is issued by %1$s; the giver of handover %2$s is %3$s") },
	[KR_CUSTODY_HELD] = { "custody-held", "ssnns",
		N_("token %1$s is in the custody of %2$s (handover %3$s); the giver of handover "
		   "%4$s is %5$s") },
	[KR_SEAL_ELSEWHERE] = { "seal-elsewhere", "",
		N_("the seal is lent outside its agency only when the clerk says so "
		   "(another_agency)") },
};

char *
khoa_reason_english(const struct khoa_reason *r, const char *const *args, size_t n_args)
{
	const char *text = r->text;
	if (r->plural && r->count && r->count <= n_args && args[r->count - 1] &&
	    strcmp(args[r->count - 1], "1") != 0)
		text = r->plural;
	return khoa_reason_expand(text, args, n_args);
}

const struct khoa_reason *
khoa_reason_find(const char *code)
{
	for (size_t i = 0; code && i < KR_COUNT; i++)
		if (strcmp(khoa_reasons[i].code, code) == 0)
			return &khoa_reasons[i];
	return NULL;
}

char *
khoa_reason_expand(const char *format, const char *const *args, size_t n_args)
{
	size_t size = strlen(format) + 1;
	for (size_t i = 0; i < n_args; i++)
		size += args[i] ? strlen(args[i]) * 2 : 0;	/* an argument used twice */
	char *out = malloc(size), *o = out;
	if (!out)
		return NULL;
	for (const char *f = format; *f;) {
		if (f[0] == '%' && f[1] == '%') {
			*o++ = '%';
			f += 2;
		} else if (f[0] == '%' && f[1] >= '1' && f[1] <= '9' && f[2] == '$' && f[3] == 's') {
			size_t n = (size_t)(f[1] - '1');
			const char *a = n < n_args && args[n] ? args[n] : "";
			size_t len = strlen(a);
			/* room: each argument was counted twice; a third use grows it */
			size_t used = (size_t)(o - out), rest = strlen(f + 4) + 1;
			if (used + len + rest > size) {
				char *bigger = realloc(out, used + len + rest);
				if (!bigger) {
					free(out);
					return NULL;
				}
				out = bigger;
				o = out + used;
				size = used + len + rest;
			}
			memcpy(o, a, len);
			o += len;
			f += 4;
		} else {
			*o++ = *f++;
		}
	}
	*o = '\0';
	return out;
}
