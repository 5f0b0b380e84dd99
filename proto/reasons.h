/*
 * Why khoad refuses: a value (io.khoa.InvalidField's "rule") or an act
 * (io.khoa.RuleViolation's "fact"; io.khoa.PinInvalid's "rule"), as a code on the wire with its
 * arguments as strings, never as prose (issue 17). One table holds, for each
 * code, the kind of each argument and one English sentence with %1$s…
 * where they go: khoad puts the sentence in the error's "message" (for logs
 * and other clients), khoa translates it through gettext (po/vi.po) and
 * shows each argument by its kind (a date as dd/mm/yyyy, a reason code by
 * its name). Code in khoad names a reason by KR(ID), so that a code missing
 * from the table does not compile.
 */
#pragma once

#include <stddef.h>

/* The kinds of arguments, one letter each in khoa_reason.args. */
#define KHOA_ARG_NUMBER	'n'	/* a whole number, "60" */
#define KHOA_ARG_DATE	'd'	/* an ISO date, "2026-12-05" */
#define KHOA_ARG_TEXT	's'	/* a serial, a name: shown as it is */
#define KHOA_ARG_QUOTED	'q'	/* what the caller typed */
#define KHOA_ARG_CODE	'c'	/* one code with a display name ("expired") */
#define KHOA_ARG_CODES	'l'	/* codes, comma-separated ("rename,split") */

#define KHOA_REASON_ARGS_MAX 5

struct khoa_reason {
	const char *code;	/* on the wire: "days-remain" */
	const char *args;	/* the kind of each argument: "nn" */
	const char *text;	/* "%1$s day of validity remains, renewal needs at least %2$s" */
	const char *plural;	/* NULL, or the sentence when argument COUNT is not 1
				 * ("%1$s days of validity remain, …"; ngettext) */
	unsigned count;		/* 1-based */
};

#define KHOA_REASONS(X) \
	/* values (io.khoa.InvalidField) */ \
	X(REQUIRED) X(STRING) X(RANGE) X(ONE_OF) X(DATE) X(DATE_OR_TIME) \
	X(NAME_REQUIRED) X(NAME_UTF8) X(NAME_CONTROL) X(NAME_LENGTH) \
	X(TEXT_UTF8) X(TEXT_CONTROL) X(TEXT_LENGTH) \
	X(BIRTH_DATE_FORM) X(BIRTH_DATE_REAL) X(BIRTH_DATE_1900) X(BIRTH_DATE_FUTURE) \
	X(ISSUED_FORM) X(ISSUED_REAL) X(ISSUED_1900) X(ISSUED_FUTURE) X(ISSUED_BIRTH) X(SEX) \
	X(ID_FORM) X(CCCD_PROVINCE) X(CCCD_YEAR) X(CCCD_FUTURE) X(ID_NUMBER_TAKEN) \
	X(EMAIL_FORM) X(EMAIL_LENGTH) X(PHONE) X(TAX_FORM) X(TAX_CHECK) X(TAX_BRANCH) \
	X(LOGINS_MAX) X(NO_SUCH_USER) X(LOGIN_TAKEN) X(PARENT_SELF) \
	X(AUDIT_HEADS) X(PAGE_AFTER) X(SEAL_ORGANIZATION) X(MANAGER_SAME) \
	X(SUBJECT_BOTH) X(SUBJECT_NEEDED) X(TOKEN_OF_SUBJECT) X(SUBJECT_NO_CERTIFICATE) \
	X(SUBJECT_CERTIFICATES) X(CERTIFICATE_ON_TOKEN) X(YEARS_NEW_RENEW) \
	X(TOKEN_OR_CERTIFICATE) X(CERTIFICATE_SHOWN) X(TOKEN_WITH_CERTIFICATE) \
	X(REVOKED_CERTIFICATES) X(HOLDER_ONE) X(IN_HANDOVER) X(SUPERSEDED_ALREADY) \
	X(SUPERSEDE_FINALIZED) X(SERIALS_STRINGS) X(NO_SUCH_ROW) X(DRAFT_OF_CHANGE) \
	X(CANCEL_NOTE) X(HANDOVER_EMPTY) X(PARTY) X(HAPPENED_ON) X(PIN_REASON) \
	X(REPORT_ONE) X(FORM_FIELD) X(SUBSCRIBER_NAME) X(NOTE_REQUIRED) X(FROM_TOKEN) \
	/* PINs (io.khoa.PinInvalid) */ \
	X(PIN_CHARSET) X(PIN_LENGTH) X(PIN_REFUSED) \
	/* acts (io.khoa.RuleViolation) */ \
	X(START_NOT_DATE) X(EXPIRY_NOT_DATE) X(FIRST_ISSUE_NOT_DATE) X(TT08_NOT_DATE) \
	X(EXPIRED_AGO) X(DAYS_REMAIN) X(RENEWALS_NOT_NUMBER) X(NO_RENEWAL) \
	X(RENEWED_ALREADY) X(EXPIRES_BEFORE_START) X(TERM_TOO_LONG) X(TERM_TOO_LONG_DAYS) \
	X(TERM_EXCEEDED) X(TERM_EXCEEDED_DAYS) X(RENEW_TERM_NOT_NUMBER) X(RENEW_BEFORE_TT08) \
	X(NOT_A_KIND) X(REVOKE_REASON_ORG) X(REVOKE_REASON_PERSON) X(YEARS_ASKED) \
	X(NEW_YEARS_ASKED) X(REVOKED_NOT_RENEWED) X(REVOKED_ALREADY) X(NOT_REVOKED) \
	X(REISSUE_REASON_ORG) X(REISSUE_REASON_PERSON) X(REISSUED_ALREADY) \
	X(REISSUE_NOT_FOLLOW) X(NOTHING_REVOKED) X(CUSTODY_NEW_ISSUE) X(CUSTODY_HELD) \
	X(SEAL_ELSEWHERE)

#define KHOA_REASON_ENUM(id) KR_##id,
enum khoa_reason_id { KHOA_REASONS(KHOA_REASON_ENUM) KR_COUNT };
#undef KHOA_REASON_ENUM

extern const struct khoa_reason khoa_reasons[KR_COUNT];

/* The code of reason ID ("days-remain"). */
#define KR(id) (khoa_reasons[KR_##id].code)

/* The reason with CODE, or NULL. */
const struct khoa_reason *khoa_reason_find(const char *code);

/* FORMAT with each %N$s replaced by ARGS[N-1] ("" beyond N_ARGS) and %%
 * by %: a new string, or NULL when out of memory. Not printf: a translation
 * may leave out or reorder arguments without harm. */
char *khoa_reason_expand(const char *format, const char *const *args, size_t n_args);

/* R's English sentence for ARGS (its plural when the count says so), expanded. */
char *khoa_reason_english(const struct khoa_reason *r, const char *const *args, size_t n_args);
