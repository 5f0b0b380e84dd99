/* Error replies in the user's language: known errors by name, with their
 * parameters; others with the daemon's own (English) message. */
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "config.h"
#include "errors.h"
#include "format.h"
#include "i18n.h"
#include "pin-common.h"

/* What the fields of io.khoa.InvalidField are called on the command line. */
static const struct {
	const char *field;
	const char *label;
} field_labels[] = {
	{ "name", N_("name") },
	{ "full_name", N_("full name") },
	{ "id_number", N_("ID number (CMND/CCCD)") },
	{ "birth_date", N_("date of birth") },
	{ "position", N_("position") },
	{ "tax_code", N_("tax code") },
	{ "address", N_("address") },
	{ "email", N_("e-mail address") },
	{ "phone", N_("phone number") },
	{ "parent_id", N_("parent organization") },
	{ "organization_id", N_("organization") },
	{ "person_id", N_("holder") },
	{ "serial", N_("token serial") },
	{ "reason", N_("reason") },
	{ "note", N_("note") },
	{ "state", N_("state") },
	{ "year", N_("year") },
	/* The fields of Mẫu 09 (a PIN-recovery request). */
	{ "subscriber_name", N_("subscriber name") },
	{ "sex", N_("sex") },
	{ "birth_place", N_("place of birth") },
	{ "id_issued_on", N_("date of issue of the ID") },
	{ "id_issued_by", N_("place of issue of the ID") },
	{ "agency", N_("agency") },
	{ "fax", N_("fax number") },
	{ "manager_phone", N_("phone number of the device's manager") },
	{ "token_serial", N_("token serial") },
	{ "certificate_subject", N_("certificate name") },
	{ "certificate_serial", N_("certificate serial") },
	{ "certificate_not_before", N_("certificate valid from") },
	{ "certificate_not_after", N_("certificate valid to") },
	/* Handovers (Mẫu 10), the seal register, manager changes (Mẫu 08). */
	{ "giver", N_("giver") },
	{ "receiver", N_("receiver") },
	{ "place", N_("place") },
	{ "held_at", N_("time of the handover") },
	{ "serials", N_("token serials") },
	{ "supersedes", N_("handover to supersede") },
	{ "number", N_("row number") },
	{ "representative", N_("representative") },
	{ "purpose", N_("purpose") },
	{ "hours", N_("hours") },
	{ "certificate_kind", N_("certificate kind") },
	{ "registered_name", N_("registered name") },
	{ "old_person_id", N_("old manager") },
	{ "new_person_id", N_("new manager") },
	{ "effective_on", N_("effective date") },
	{ "decision_number", N_("decision number") },
	/* khoa expiring */
	{ "days", N_("number of days") },
};

/* The rules io.khoa.PinInvalid gives, as khoad words them. */
static const struct {
	const char *rule;
	const char *text;
} pin_rules[] = {
	{ "PIN: letters, digits and ASCII signs only (is a Vietnamese input method on?)",
	  N_("a PIN has letters, digits and ASCII signs only (is a Vietnamese input method on?)") },
	{ "PIN: the token's minimum or maximum length",
	  N_("the PIN is shorter or longer than the token allows") },
	{ "the token refused the new PIN's length or characters",
	  N_("the token refused the new PIN's length or characters") },
};

static const char *
pin_rule(const char *rule)
{
	for (size_t i = 0; i < sizeof(pin_rules) / sizeof(pin_rules[0]); i++)
		if (strcmp(pin_rules[i].rule, rule) == 0)
			return _(pin_rules[i].text);
	return rule;
}

static const char *
field_label(const char *field)
{
	for (size_t i = 0; i < sizeof(field_labels) / sizeof(field_labels[0]); i++)
		if (strcmp(field_labels[i].field, field) == 0)
			return _(field_labels[i].label);
	return field;
}

static bool
is(const char *error, const char *name)
{
	return strcmp(error, name) == 0;
}

void
client_print_error(const char *error, json_object *p)
{
	const char *msg = jstr(p, "message");
	const char *serial = jstr(p, "serial");
	char hint[256];

	if (is(error, KHOA_ERROR_NO_SUCH_TOKEN))
		fprintf(stderr, _("khoa: no token with serial %s is present\n"), serial);
	else if (is(error, KHOA_ERROR_PERMISSION_DENIED))
		fprintf(stderr, _("khoa: permission denied: this needs the role %s\n"),
			jstr(p, "role"));
	else if (is(error, KHOA_ERROR_TIMEOUT))
		fprintf(stderr, _("khoa: a token did not answer within %d seconds\n"),
			(int)jint(p, "seconds"));
	else if (is(error, KHOA_ERROR_TOO_MANY_CLIENTS))
		fprintf(stderr, _("khoa: khoad has too many clients (%d); try again later\n"),
			(int)jint(p, "limit"));
	else if (is(error, KHOA_ERROR_INVALID_FIELD))
		/* TRANSLATORS: the second %s is the rule broken, in English from khoad,
		   e.g. "CCCD: 12 digits". */
		fprintf(stderr, _("khoa: invalid %s: %s\n"), field_label(jstr(p, "field")),
			*jstr(p, "rule") ? jstr(p, "rule") : msg);
	else if (is(error, KHOA_ERROR_NO_SUCH_ORGANIZATION))
		fprintf(stderr, _("khoa: there is no organization with ID %lld in the registry\n"),
			(long long)jint(p, "id"));
	else if (is(error, KHOA_ERROR_NO_SUCH_PERSON))
		fprintf(stderr, _("khoa: there is no person with ID %lld in the registry\n"),
			(long long)jint(p, "id"));
	else if (is(error, KHOA_ERROR_ALREADY_REGISTERED))
		fprintf(stderr, _("khoa: token %s is registered already; unregister it first\n"),
			serial);
	else if (is(error, KHOA_ERROR_NOT_REGISTERED))
		fprintf(stderr, _("khoa: token %s is not registered\n"), serial);
	else if (is(error, KHOA_ERROR_NO_MISMATCH))
		fprintf(stderr, _("khoa: token %s carries the certificates it is registered with; "
				  "there is nothing to confirm\n"), serial);
	else if (is(error, KHOA_ERROR_TOO_SLOW))
		fprintf(stderr, _("khoa: khoad stopped sending events: this watcher fell more than "
				  "%lld bytes behind\n"), (long long)jint(p, "limit"));
	else if (is(error, KHOA_ERROR_PIN_INCORRECT)) {
		fprintf(stderr, _("khoa: wrong PIN for token %s\n"), serial);
		if (jbool(p, "locked")) {
			fprintf(stderr, "%s\n", _("The token is now locked."));
			fprintf(stderr, "%s\n", pin_recovery_hint(hint, sizeof(hint), serial));
		} else if (jbool(p, "final_try")) {
			fprintf(stderr, "%s\n", _("One try is left: one more wrong PIN locks the token."));
		}
	} else if (is(error, KHOA_ERROR_PIN_LOCKED)) {
		fprintf(stderr, _("khoa: the PIN of token %s is locked\n"), serial);
		fprintf(stderr, "%s\n", pin_recovery_hint(hint, sizeof(hint), serial));
	} else if (is(error, KHOA_ERROR_FINAL_TRY))
		fprintf(stderr, _("khoa: token %s has one try left; khoad did not spend it\n"),
			serial);
	else if (is(error, KHOA_ERROR_PIN_INVALID))
		/* TRANSLATORS: %s (2nd) is the rule the PIN breaks. */
		fprintf(stderr, _("khoa: token %s cannot take this PIN (no try was spent): %s\n"),
			serial, pin_rule(*jstr(p, "rule") ? jstr(p, "rule") : msg));
	else if (is(error, KHOA_ERROR_TOKEN_BUSY))
		fprintf(stderr, _("khoa: token %s is busy with another operation; try again "
				  "in a moment\n"), serial);
	else if (is(error, KHOA_ERROR_NO_SUCH_REQUEST))
		fprintf(stderr, _("khoa: there is no request with ID %lld\n"),
			(long long)jint(p, "id"));
	else if (is(error, KHOA_ERROR_BAD_TRANSITION))
		/* TRANSLATORS: "request 3 is completed; reject is not possible in
		   that state": a state, then a step. */
		fprintf(stderr, _("khoa: request %lld is %s; %s is not possible in "
				  "that state\n"), (long long)jint(p, "id"),
			request_state_text(jstr(p, "state")), request_action_text(jstr(p, "action")));
	else if (is(error, KHOA_ERROR_RULE_VIOLATION)) {
		/* khoad's sentence may start with the rule already: "R-X: …". */
		const char *rule = jstr(p, "rule");
		size_t len = strlen(rule);
		if (len && strncmp(msg, rule, len) == 0 && strncmp(msg + len, ": ", 2) == 0)
			msg += len + 2;
		/* TRANSLATORS: a rule of the regulation (e.g. R-RENEW-60D), then
		   khoad's own sentence about it, in English. */
		fprintf(stderr, _("khoa: refused by %s: %s\n"), rule, *msg ? msg : _("(no message)"));
	}
	else if (is(error, KHOA_ERROR_NO_SUCH_HANDOVER))
		fprintf(stderr, _("khoa: there is no handover with ID %lld\n"),
			(long long)jint(p, "id"));
	else if (is(error, KHOA_ERROR_NO_SUCH_CHANGE))
		fprintf(stderr, _("khoa: there is no manager change with ID %lld\n"),
			(long long)jint(p, "id"));
	else if (is(error, KHOA_ERROR_FINALIZED))
		fprintf(stderr, _("khoa: handover %lld is finalized and cannot change; to correct "
				  "it, draft a new one: khoa handover new … --supersedes %lld\n"),
			(long long)jint(p, "id"), (long long)jint(p, "id"));
	else if (is(error, KHOA_ERROR_SEAL_OUT))
		fprintf(stderr, _("khoa: token %s is out already; it must be checked in first: "
				  "khoa seal in %s\n"), serial, serial);
	else if (is(error, KHOA_ERROR_SEAL_IN))
		fprintf(stderr, _("khoa: token %s is not out; there is nothing to check in\n"),
			serial);
	else if (is(error, KHOA_ERROR_ALREADY_FILED)) {
		char day[32];
		/* TRANSLATORS: the annual report (Mẫu 07) of a year, filed on a date. */
		fprintf(stderr, _("khoa: the report of %lld was filed already, on %s\n"),
			(long long)jint(p, "year"),
			format_date(jstr(p, "filed_at"), false, day, sizeof(day)));
	} else if (is(error, VARLINK_ERROR_METHOD_NOT_FOUND) ||
		 is(error, VARLINK_ERROR_INTERFACE_NOT_FOUND))
		fprintf(stderr, _("khoa: this khoad does not know %s; is it older than khoa %s?\n"),
			*jstr(p, "method") ? jstr(p, "method") : jstr(p, "interface"), VERSION);
	else if (is(error, VARLINK_ERROR_INVALID_PARAMETER))
		fprintf(stderr, _("khoa: khoad refused the parameter %s\n"), jstr(p, "parameter"));
	else
		fprintf(stderr, _("khoa: %s: %s\n"), error, *msg ? msg : _("(no message)"));
}
