/* Error replies in the user's language: a table of the errors khoa knows,
 * each with the function that says it from the error's parameters (a
 * reason's code and arguments through why.h); another error by its name.
 * khoad's "message" is English for logs and is never shown (issue 17). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "config.h"
#include "errors.h"
#include "format.h"
#include "i18n.h"
#include "pin-common.h"
#include "table.h"
#include "why.h"
#include "words.h"

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
	{ "managing_body", N_("managing body") },
	{ "manager_id", N_("manager of the certificate") },
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
	/* the others khoad may name (tests/integration/speaks.py finds them) */
	{ "after", N_("page") },
	{ "limit", N_("number of rows") },
	{ "heads", N_("audit checkpoints") },
	{ "happened_on", N_("date of the incident") },
	{ "holder", N_("holder") },
	{ "id", N_("ID") },
	{ "kind", N_("kind") },
	{ "logins", N_("Unix logins") },
	{ "reorganized", N_("reorganization") },
	{ "requested_years", N_("years of validity asked for") },
	{ "subject_kind", N_("kind of subscriber") },
	{ "documents_signed_org", N_("documents signed with the organization certificate") },
	{ "documents_signed_person", N_("documents signed with personal certificates") },
	{ "documents_sent", N_("documents sent") },
};

static const char *
field_label(const char *field)
{
	for (size_t i = 0; i < sizeof(field_labels) / sizeof(field_labels[0]); i++)
		if (strcmp(field_labels[i].field, field) == 0)
			return _(field_labels[i].label);
	return field;
}

/* ----- how each error is said, from its parameters P ----- */

static void
no_such_token(json_object *p)
{
	fprintf(stderr, _("khoa: no token with serial %s is present\n"), jstr(p, "serial"));
}

static void
unknown_token(json_object *p)
{
	fprintf(stderr, _("khoa: the registry knows no token with serial %s: no workstation "
			  "has seen it\n"), jstr(p, "serial"));
}

static void
permission_denied(json_object *p)
{
	const char *scope = jstr(p, "scope");

	if (strcmp(jstr(p, "reason"), "registry") == 0)
		fprintf(stderr, "%s\n", _("khoa: permission denied by the province's registry: "
					  "the record belongs to another agency"));
	else if (strcmp(jstr(p, "reason"), "four-eyes") == 0)
		fprintf(stderr, "%s\n", _("khoa: permission denied: two successive approval steps "
					  "of a request need two different people, and whoever "
					  "filed it neither confirms nor forwards it "
					  "(R-RENEW-APPROVE)"));
	else if (*scope)
		fprintf(stderr, _("khoa: permission denied: this needs the role %s of %s\n"),
			code_text(jstr(p, "role")), scope);
	else
		fprintf(stderr, _("khoa: permission denied: this needs the role %s\n"),
			code_text(jstr(p, "role")));
}

static void
try_later(json_object *p)
{
	long long seconds = jint(p, "seconds");
	fprintf(stderr, ngettext("khoa: token %s accepts its next PIN try in %lld second: the "
				 "delay doubles after every wrong PIN\n",
				 "khoa: token %s accepts its next PIN try in %lld seconds: the "
				 "delay doubles after every wrong PIN\n", (unsigned long)seconds),
		jstr(p, "serial"), seconds);
}

static void
timeout(json_object *p)
{
	fprintf(stderr, _("khoa: a token did not answer within %d seconds\n"),
		(int)jint(p, "seconds"));
}

static void
registry_unavailable(json_object *p)
{
	json_object *unknown;
	if (json_object_object_get_ex(p, "unknown", &unknown) && json_object_get_boolean(unknown)) {
		fputs(_("khoa: the province's registry was lost while the change was being saved: "
			"it may or may not have been written. Look before repeating the action "
			"(khoad connects again by itself)\n"), stderr);
		return;
	}
	fputs(_("khoa: the province's registry cannot be reached; nothing was changed. khoad "
		"connects again by itself: repeat the action in a moment, or ask the "
		"registry's administrator (Sở TT&TT)\n"), stderr);
}

static void
registry_read_only(json_object *p)
{
	const char *reason = jstr(p, "reason");
	if (strcmp(reason, "read-only") == 0)
		fputs(_("khoa: the registry takes no change for now: the disk of khoad's state "
			"directory is mounted read-only; nothing was changed. Everything can still "
			"be read; khoad takes changes again by itself once the disk is writable: "
			"ask the workstation's administrator\n"), stderr);
	else if (strcmp(reason, "low-space") == 0)
		fputs(_("khoa: the registry takes no change for now: the disk of khoad's state "
			"directory is almost full (under its free-space floor); nothing was "
			"changed. Everything can still be read; khoad takes changes again by "
			"itself once space is freed: ask the workstation's administrator\n"),
		      stderr);
	else
		fputs(_("khoa: the registry takes no change for now: the disk of khoad's state "
			"directory is full; nothing was changed. Everything can still be read; "
			"khoad takes changes again by itself once space is freed: ask the "
			"workstation's administrator\n"), stderr);
}

static void
registry_busy(json_object *p)
{
	(void)p;
	fputs(_("khoa: another workstation is changing the same record; nothing was changed: "
		"repeat the action\n"), stderr);
}

static void
too_many_clients(json_object *p)
{
	fprintf(stderr, _("khoa: khoad has too many clients (%d); try again later\n"),
		(int)jint(p, "limit"));
}

/* The sentence of the reason CODE with the error's arguments; for a code
 * khoa does not know (a newer khoad), the code itself. */
static char *
why_of(json_object *p, const char *key)
{
	char *why = why_text(jstr(p, key), jarr(p, "args"));
	if (!why && !(why = strdup(jstr(p, key))))
		die_oom();
	return why;
}

static void
invalid_field(json_object *p)
{
	/* TRANSLATORS: a field, then the rule it breaks, e.g. "invalid
	   date of birth: birth date: not in the future". */
	char *why = why_of(p, "rule");
	fprintf(stderr, _("khoa: invalid %s: %s\n"), field_label(jstr(p, "field")), why);
	free(why);
}

static void
no_such_organization(json_object *p)
{
	fprintf(stderr, _("khoa: there is no organization with ID %lld in the registry\n"),
		(long long)jint(p, "id"));
}

static void
no_such_person(json_object *p)
{
	fprintf(stderr, _("khoa: there is no person with ID %lld in the registry\n"),
		(long long)jint(p, "id"));
}

static void
already_registered(json_object *p)
{
	fprintf(stderr, _("khoa: token %s is registered already; unregister it first\n"),
		jstr(p, "serial"));
}

static void
not_registered(json_object *p)
{
	fprintf(stderr, _("khoa: token %s is not registered\n"), jstr(p, "serial"));
}

static void
no_mismatch(json_object *p)
{
	fprintf(stderr, _("khoa: token %s carries the certificates it is registered with; "
			  "there is nothing to confirm\n"), jstr(p, "serial"));
}

static void
too_slow(json_object *p)
{
	fprintf(stderr, _("khoa: khoad stopped sending events: this watcher fell more than "
			  "%lld bytes behind\n"), (long long)jint(p, "limit"));
}

static void
pin_incorrect(json_object *p)
{
	const char *serial = jstr(p, "serial");
	char hint[256];

	if (strcmp(jstr(p, "pin"), "so") == 0)
		/* TRANSLATORS: the SO PIN, the administrator's PIN a technician
		 * resets the user PIN with */
		fprintf(stderr, _("khoa: wrong SO PIN for token %s\n"), serial);
	else
		fprintf(stderr, _("khoa: wrong PIN for token %s\n"), serial);
	if (jbool(p, "locked")) {
		fprintf(stderr, "%s\n", _("The token is now locked."));
		fprintf(stderr, "%s\n", pin_recovery_hint(hint, sizeof(hint), serial));
	} else if (jbool(p, "final_try")) {
		fprintf(stderr, "%s\n", _("One try is left: one more wrong PIN locks the token."));
	}
}

static void
pin_locked(json_object *p)
{
	char hint[256];
	fprintf(stderr, _("khoa: the PIN of token %s is locked\n"), jstr(p, "serial"));
	fprintf(stderr, "%s\n", pin_recovery_hint(hint, sizeof(hint), jstr(p, "serial")));
}

static void
final_try(json_object *p)
{
	fprintf(stderr, _("khoa: token %s has one try left; khoad did not spend it\n"),
		jstr(p, "serial"));
}

static void
pin_invalid(json_object *p)
{
	/* TRANSLATORS: %s (2nd) is the rule the PIN breaks. */
	char *why = why_of(p, "rule");
	fprintf(stderr, _("khoa: token %s cannot take this PIN (no try was spent): %s\n"),
		jstr(p, "serial"), why);
	free(why);
}

static void
token_busy(json_object *p)
{
	fprintf(stderr, _("khoa: token %s is busy with another operation; try again "
			  "in a moment\n"), jstr(p, "serial"));
}

static void
no_such_request(json_object *p)
{
	fprintf(stderr, _("khoa: there is no request with ID %lld\n"), (long long)jint(p, "id"));
}

static void
bad_transition(json_object *p)
{
	/* TRANSLATORS: "request 3 is completed; reject is not possible in
	   that state": a state, then a step. */
	fprintf(stderr, _("khoa: request %lld is %s; %s is not possible in "
			  "that state\n"), (long long)jint(p, "id"),
		request_state_text(jstr(p, "state")), request_action_text(jstr(p, "action")));
}

static void
rule_violation(json_object *p)
{
	/* TRANSLATORS: a rule of the regulation (e.g. R-RENEW-60D), then the
	   fact that breaks it. */
	char *why = why_of(p, "fact");
	fprintf(stderr, _("khoa: refused by %s: %s\n"), jstr(p, "rule"), why);
	free(why);
}

static void
no_such_handover(json_object *p)
{
	fprintf(stderr, _("khoa: there is no handover with ID %lld\n"), (long long)jint(p, "id"));
}

static void
no_such_change(json_object *p)
{
	fprintf(stderr, _("khoa: there is no manager change with ID %lld\n"),
		(long long)jint(p, "id"));
}

static void
finalized(json_object *p)
{
	fprintf(stderr, _("khoa: handover %lld is finalized and cannot change; to correct "
			  "it, draft a new one: khoa handover new … --supersedes %lld\n"),
		(long long)jint(p, "id"), (long long)jint(p, "id"));
}

static void
seal_out(json_object *p)
{
	fprintf(stderr, _("khoa: token %s is out already; it must be checked in first: "
			  "khoa seal in %s\n"), jstr(p, "serial"), jstr(p, "serial"));
}

static void
token_state(json_object *p)
{
	const char *action = jstr(p, "action");
	char day[32];
	const char *what = strcmp(action, "handover") == 0 ? _("it cannot be handed over")
			 : strcmp(action, "seal") == 0 ? _("it cannot be checked out")
			 : strcmp(action, "pin") == 0 ? _("no PIN operation is done on it")
			 : _("that is not a change from its state");
	if (*jstr(p, "since"))
		/* TRANSLATORS: "token X is reported lost since 04/12/2026: it cannot be handed over" */
		fprintf(stderr, _("khoa: token %s is %s since %s: %s (khoa token %s)\n"),
			jstr(p, "serial"), format_device_state(jstr(p, "state")),
			format_date(jstr(p, "since"), false, day, sizeof(day)), what, jstr(p, "serial"));
	else
		fprintf(stderr, _("khoa: token %s is %s: %s (khoa token %s)\n"), jstr(p, "serial"),
			format_device_state(jstr(p, "state")), what, jstr(p, "serial"));
}

static void
seal_in(json_object *p)
{
	fprintf(stderr, _("khoa: token %s is not out; there is nothing to check in\n"),
		jstr(p, "serial"));
}

static void
already_filed(json_object *p)
{
	char day[32];
	/* TRANSLATORS: the annual report (Mẫu 07) of a year, filed on a date. */
	fprintf(stderr, _("khoa: the report of %lld was filed already, on %s\n"),
		(long long)jint(p, "year"), format_date(jstr(p, "filed_at"), false, day, sizeof(day)));
}

static void
duplicate(json_object *p)
{
	const char *record = jstr(p, "record"), *field = jstr(p, "field");
	long long id = (long long)jint(p, "id");
	char day[32];

	if (strcmp(record, "pin_request") == 0)
		fprintf(stderr, _("khoa: PIN-recovery request %lld is already open for this token, "
				  "filed on %s: khoa pin-request show %lld\n"), id,
			format_date(jstr(p, "since"), false, day, sizeof(day)), id);
	else if (strcmp(record, "request") == 0 && strcmp(field, "certificate_serial") == 0)
		fprintf(stderr, _("khoa: certificate request %lld of this kind is already open for "
				  "this certificate, filed on %s: khoa request show %lld\n"), id,
			format_date(jstr(p, "since"), false, day, sizeof(day)), id);
	else if (strcmp(record, "request") == 0)
		fprintf(stderr, _("khoa: certificate request %lld for a new certificate is already "
				  "open for this subscriber, filed on %s: khoa request show %lld\n"), id,
			format_date(jstr(p, "since"), false, day, sizeof(day)), id);
	else if (strcmp(field, "tax_code") == 0)
		fprintf(stderr, _("khoa: organization %lld has this tax code already: khoa org show "
				  "%lld\n"), id, id);
	else
		fprintf(stderr, _("khoa: organization %lld has this name already, under the same "
				  "parent: khoa org show %lld\n"), id, id);
}

static void
not_found(json_object *p)
{
	fprintf(stderr, _("khoa: this khoad does not know %s; is it older than khoa %s?\n"),
		*jstr(p, "method") ? jstr(p, "method") : jstr(p, "interface"), VERSION);
}

static void
message_too_large(json_object *p)
{
	fprintf(stderr, _("khoa: khoad refused a message larger than %lld bytes and closed the "
			  "connection\n"), (long long)jint(p, "limit"));
}

static void
invalid_message(json_object *p)
{
	(void)p;
	fputs(_("khoa: khoad could not read khoa's message and closed the connection; are khoa "
		"and khoad of the same version?\n"), stderr);
}

static void
internal(json_object *p)
{
	(void)p;
	fputs(_("khoa: khoad failed inside; nothing was changed. Its journal says why: "
		"journalctl -u khoad\n"), stderr);
}

static void
expected_more(json_object *p)
{
	(void)p;
	fputs(_("khoa: khoad answers this only to a watcher (khoa watch)\n"), stderr);
}

static void
invalid_parameter(json_object *p)
{
	fprintf(stderr, _("khoa: khoad refused the parameter %s\n"),
		field_label(jstr(p, "parameter")));
}

/* The errors khoad answers with that khoa says in its own words. */
static const struct {
	const char *name;
	void (*say)(json_object *params);
} errors[] = {
	{ KHOA_ERROR_NO_SUCH_TOKEN, no_such_token },
	{ KHOA_ERROR_UNKNOWN_TOKEN, unknown_token },
	{ KHOA_ERROR_PERMISSION_DENIED, permission_denied },
	{ KHOA_ERROR_TIMEOUT, timeout },
	{ KHOA_ERROR_TOO_MANY_CLIENTS, too_many_clients },
	{ KHOA_ERROR_INVALID_FIELD, invalid_field },
	{ KHOA_ERROR_NO_SUCH_ORGANIZATION, no_such_organization },
	{ KHOA_ERROR_NO_SUCH_PERSON, no_such_person },
	{ KHOA_ERROR_ALREADY_REGISTERED, already_registered },
	{ KHOA_ERROR_NOT_REGISTERED, not_registered },
	{ KHOA_ERROR_NO_MISMATCH, no_mismatch },
	{ KHOA_ERROR_TOO_SLOW, too_slow },
	{ KHOA_ERROR_TRY_LATER, try_later },
	{ KHOA_ERROR_PIN_INCORRECT, pin_incorrect },
	{ KHOA_ERROR_PIN_LOCKED, pin_locked },
	{ KHOA_ERROR_FINAL_TRY, final_try },
	{ KHOA_ERROR_PIN_INVALID, pin_invalid },
	{ KHOA_ERROR_TOKEN_BUSY, token_busy },
	{ KHOA_ERROR_NO_SUCH_REQUEST, no_such_request },
	{ KHOA_ERROR_BAD_TRANSITION, bad_transition },
	{ KHOA_ERROR_RULE_VIOLATION, rule_violation },
	{ KHOA_ERROR_NO_SUCH_HANDOVER, no_such_handover },
	{ KHOA_ERROR_NO_SUCH_CHANGE, no_such_change },
	{ KHOA_ERROR_FINALIZED, finalized },
	{ KHOA_ERROR_SEAL_OUT, seal_out },
	{ KHOA_ERROR_TOKEN_STATE, token_state },
	{ KHOA_ERROR_SEAL_IN, seal_in },
	{ KHOA_ERROR_ALREADY_FILED, already_filed },
	{ KHOA_ERROR_DUPLICATE, duplicate },
	{ KHOA_ERROR_REGISTRY_UNAVAILABLE, registry_unavailable },
	{ KHOA_ERROR_REGISTRY_BUSY, registry_busy },
	{ KHOA_ERROR_REGISTRY_READ_ONLY, registry_read_only },
	{ VARLINK_ERROR_METHOD_NOT_FOUND, not_found },
	{ VARLINK_ERROR_INTERFACE_NOT_FOUND, not_found },
	{ VARLINK_ERROR_INVALID_PARAMETER, invalid_parameter },
	{ VARLINK_ERROR_METHOD_NOT_IMPLEMENTED, not_found },
	{ VARLINK_ERROR_EXPECTED_MORE, expected_more },
	{ KHOA_ERROR_MESSAGE_TOO_LARGE, message_too_large },
	{ KHOA_ERROR_INVALID_MESSAGE, invalid_message },
	{ KHOA_ERROR_INTERNAL, internal },
};

void
client_print_error(const char *error, json_object *p)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(*errors); i++) {
		if (strcmp(errors[i].name, error) == 0) {
			errors[i].say(p);
			return;
		}
	}
	/* Any other (a newer khoad's): its name, never khoad's English. */
	fprintf(stderr, _("khoa: khoad answered with an error this khoa does not know: %s\n"),
		error);
}
