/* Events for people. */
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "format.h"
#include "i18n.h"

static json_object *
details_of(json_object *ev)
{
	json_object *d = jobj(ev, "details");
	return json_object_is_type(d, json_type_object) ? d : NULL;
}

static bool
is(json_object *ev, const char *type)
{
	return strcmp(jstr(ev, "type"), type) == 0;
}

/* The name a registry event is about: a holder, an organization, a person. */
static const char *
subject_name(json_object *details)
{
	json_object *holder = jobj(details, "holder");
	if (holder)
		return jstr(holder, "name");
	if (*jstr(details, "full_name"))
		return jstr(details, "full_name");
	return jstr(details, "name");
}

const char *
event_time(json_object *ev, char *buf, size_t size)
{
	return format_date(jstr(ev, "time"), true, buf, size);
}

const char *
event_what(json_object *ev, char *buf, size_t size)
{
	static const struct {
		const char *type;
		const char *text;
	} plain[] = {
		{ "token.appeared", N_("plugged in") },
		{ "token.removed", N_("removed") },
		{ "token.pin_changed", N_("PIN state changed") },
		{ "token.certificates_changed", N_("certificates changed") },
		{ "token.mismatch", N_("certificate differs from the registration") },
		{ "token.unregistered", N_("registration ended") },
		{ "token.binding_confirmed", N_("new certificates confirmed") },
		{ "organization.created", N_("organization added") },
		{ "organization.updated", N_("organization changed") },
		{ "person.created", N_("person added") },
		{ "person.updated", N_("person changed") },
		{ "pin.changed", N_("PIN changed") },
		{ "pin_request.filed", N_("PIN-recovery request filed") },
		{ "pin_request.confirmed", N_("PIN-recovery request confirmed") },
		{ "pin_request.submitted", N_("PIN-recovery request submitted") },
		{ "pin_request.forwarded", N_("PIN-recovery request forwarded to the CA") },
		{ "pin_request.completed", N_("PIN reset: PIN-recovery request completed") },
		{ "pin_request.rejected", N_("PIN-recovery request rejected") },
		{ "pin_request.cancelled", N_("PIN-recovery request cancelled") },
		{ "lifecycle_request.filed", N_("certificate request filed") },
		{ "lifecycle_request.confirmed", N_("certificate request confirmed") },
		{ "lifecycle_request.submitted", N_("certificate request submitted") },
		{ "lifecycle_request.forwarded", N_("certificate request forwarded to the CA") },
		{ "lifecycle_request.done", N_("certificate request carried out by the CA") },
		{ "lifecycle_request.rejected", N_("certificate request rejected") },
		{ "lifecycle_request.cancelled", N_("certificate request cancelled") },
	};

	if (is(ev, "certificate.expiring")) {
		int left = (int)jint(details_of(ev), "days_left");
		/* TRANSLATORS: a warning raised ahead of a certificate's expiry. */
		snprintf(buf, size, ngettext("certificate expires in %d day",
					     "certificate expires in %d days", (unsigned long)left),
			 left);
		return buf;
	}
	if (is(ev, "certificate.expired"))
		return _("certificate expired");
	if (is(ev, "token.registered")) {
		const char *name = subject_name(details_of(ev));
		if (!*name)
			return _("registered");
		snprintf(buf, size, _("registered to %s"), name);
		return buf;
	}
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (is(ev, plain[i].type))
			return _(plain[i].text);
	return jstr(ev, "type");
}

const char *
event_actor(json_object *ev)
{
	const char *user = jstr(jobj(ev, "actor"), "user");
	return *user ? user : "khoad";
}

/* The strings of the array KEY of D, joined by ", "; "—" when empty. */
static const char *
serials(json_object *d, const char *key, char *buf, size_t size)
{
	json_object *a = jarr(d, key);
	size_t n = a ? json_object_array_length(a) : 0, len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++) {
		snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
			 json_object_get_string(json_object_array_get_idx(a, i)));
		len = strlen(buf);
	}
	return n ? buf : "—";
}

const char *
event_details(json_object *ev, char *buf, size_t size)
{
	json_object *d = details_of(ev);
	char was[256], now[256];

	if (!d || json_object_object_length(d) == 0 || is(ev, "token.appeared") ||
	    is(ev, "token.removed"))
		return "";
	if (is(ev, "token.mismatch")) {
		/* TRANSLATORS: certificate serials, each a list "A, B" or "—". */
		snprintf(buf, size, _("expected %s; found %s"),
			 serials(d, "expected", was, sizeof(was)), serials(d, "found", now, sizeof(now)));
		return buf;
	}
	if (is(ev, "token.certificates_changed")) {
		/* TRANSLATORS: certificate serials, each a list "A, B" or "—". */
		snprintf(buf, size, _("was %s; now %s"),
			 serials(d, "previous", was, sizeof(was)), serials(d, "found", now, sizeof(now)));
		return buf;
	}
	if (is(ev, "token.pin_changed")) {
		snprintf(buf, size, "%s → %s",
			 format_pin_state(jobj(d, "previous"), was, sizeof(was)),
			 format_pin_state(jobj(d, "flags"), now, sizeof(now)));
		return buf;
	}
	if (is(ev, "token.registered") || is(ev, "token.binding_confirmed")) {
		/* The holder is named in event_what(): the certificates bound. */
		snprintf(buf, size, _("certificates: %s"),
			 serials(d, "certificates", now, sizeof(now)));
		return buf;
	}
	if (strncmp(jstr(ev, "type"), "organization.", 13) == 0 ||
	    strncmp(jstr(ev, "type"), "person.", 7) == 0) {
		snprintf(buf, size, _("%s (ID %lld)"), subject_name(d), (long long)jint(d, "id"));
		return buf;
	}
	if (is(ev, "certificate.expiring")) {
		char on[32], renewal[64];
		if (jbool(d, "renewal_possible"))
			snprintf(renewal, sizeof(renewal), "%s", _("renewal possible"));
		else
			/* TRANSLATORS: then the id of the rule that forbids it. */
			snprintf(renewal, sizeof(renewal), _("renewal not possible: %s"),
				 jstr(d, "rule"));
		/* TRANSLATORS: certificate serial, its expiry date, whether it
		 * can be renewed. */
		snprintf(buf, size, _("%s, valid to %s; %s"), jstr(d, "serial"),
			 format_date(jstr(d, "not_after"), false, on, sizeof(on)), renewal);
		return buf;
	}
	if (is(ev, "certificate.expired")) {
		char on[32];
		/* TRANSLATORS: certificate serial, its expiry date. */
		snprintf(buf, size, _("%s, valid to %s"), jstr(d, "serial"),
			 format_date(jstr(d, "not_after"), false, on, sizeof(on)));
		return buf;
	}
	if (is(ev, "token.unregistered") && *jstr(d, "reason"))
		return jstr(d, "reason");
	if (strncmp(jstr(ev, "type"), "pin_request.", 12) == 0 ||
	    strncmp(jstr(ev, "type"), "lifecycle_request.", 18) == 0) {
		const char *text = *jstr(d, "note") ? jstr(d, "note") : jstr(d, "reason");
		/* TRANSLATORS: a PIN-recovery request's ID, then its note or reason. */
		snprintf(buf, size, _("request %lld%s%s"), (long long)jint(d, "id"),
			 *text ? ": " : "", text);
		return buf;
	}
	snprintf(buf, size, "%s", json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
	return buf;
}
