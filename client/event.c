/*
 * Events for people, from one table: for each type khoad sends
 * (proto/io.khoa.Events.varlink) what happened and a sentence of its
 * details. A type khoa does not know yet says its name and its details as
 * "key: value, key: value".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "format.h"
#include "handover.h"
#include "i18n.h"

static json_object *
details_of(json_object *ev)
{
	return jobj(ev, "details");
}

/* A sentence printed into BUF, which it returns. */
static const char *
say(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static const char *
say(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return buf;
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

/* The name a registry event is about: a holder, an organization, a person. */
static const char *
subject_name(json_object *d)
{
	json_object *holder = jobj(d, "holder");
	if (holder)
		return jstr(holder, "name");
	if (*jstr(d, "full_name"))
		return jstr(d, "full_name");
	return jstr(d, "name");
}

/* ----- what happened, for the types that name something ----- */

static const char *
registered(json_object *d, char *buf, size_t size)
{
	const char *name = subject_name(d);
	return *name ? say(buf, size, _("registered to %s"), name) : _("registered");
}

static const char *
expiring(json_object *d, char *buf, size_t size)
{
	int left = (int)jint(d, "days_left");
	/* TRANSLATORS: a warning raised ahead of a certificate's expiry. */
	return say(buf, size, ngettext("certificate expires in %d day", "certificate expires in %d days",
			    (unsigned long)left), left);
}

/* Which PIN, and what the token said of it. */
static const char *
tried(json_object *d, char *buf, size_t size)
{
	static const struct {
		const char *result;
		const char *user, *so;
	} words[] = {
		{ "right", N_("user PIN entered: right"), N_("SO PIN entered: right") },
		{ "wrong", N_("user PIN entered: wrong"), N_("SO PIN entered: wrong") },
		{ "locked", N_("user PIN entered: wrong, now locked"),
		  N_("SO PIN entered: wrong, now locked") },
	};
	bool so = strcmp(jstr(d, "pin"), "so") == 0;

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strcmp(jstr(d, "result"), words[i].result) == 0)
			return _(so ? words[i].so : words[i].user);
	/* TRANSLATORS: the token answered neither right nor wrong; then what
	   it answered (a PKCS#11 error, in English). */
	return say(buf, size, so ? _("SO PIN entered: the token failed (%s)")
				 : _("user PIN entered: the token failed (%s)"), jstr(d, "error"));
}

/* ----- the details ----- */

static const char *
pin_change(json_object *d, char *buf, size_t size)
{
	char was[256], now[256];
	return say(buf, size, "%s → %s", format_pin_state(jobj(d, "previous"), was, sizeof(was)),
		   format_pin_state(jobj(d, "flags"), now, sizeof(now)));
}

/* From which process, what is left, how long the next try waits. */
static const char *
try_details(json_object *d, char *buf, size_t size)
{
	long long delay = jint(d, "delay");
	json_object *left = NULL;
	size_t len;

	/* TRANSLATORS: the process (its ID) that presented a PIN. */
	say(buf, size, _("process %lld"), (long long)jint(d, "pid"));
	if (json_object_object_get_ex(d, "tries_left", &left) && left) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "; %s",
			 json_object_get_int64(left) > 0 ? _("one try left") : _("no try left"));
	}
	if (delay > 0) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "; ");
		len = strlen(buf);
		snprintf(buf + len, size - len,
			 ngettext("next try in %lld second", "next try in %lld seconds",
				  (unsigned long)delay), delay);
	}
	return buf;
}

static const char *
certificates_change(json_object *d, char *buf, size_t size)
{
	char was[256], now[256];
	/* TRANSLATORS: certificate serials, each a list "A, B" or "—". */
	return say(buf, size, _("was %s; now %s"), serials(d, "previous", was, sizeof(was)),
		   serials(d, "found", now, sizeof(now)));
}

static const char *
mismatch(json_object *d, char *buf, size_t size)
{
	char was[256], now[256];
	/* TRANSLATORS: certificate serials, each a list "A, B" or "—". */
	return say(buf, size, _("expected %s; found %s"), serials(d, "expected", was, sizeof(was)),
		   serials(d, "found", now, sizeof(now)));
}

/* The holder is named by what happened: the certificates bound. */
static const char *
bound(json_object *d, char *buf, size_t size)
{
	char now[256];
	return say(buf, size, _("certificates: %s"), serials(d, "certificates", now, sizeof(now)));
}

static const char *
reason(json_object *d, char *buf, size_t size)
{
	return jstr(d, "reason");
}

static const char *
record(json_object *d, char *buf, size_t size)
{
	return say(buf, size, _("%s (ID %lld)"), subject_name(d), (long long)jint(d, "id"));
}

static const char *
request_step(json_object *d, char *buf, size_t size)
{
	const char *text = *jstr(d, "note") ? jstr(d, "note") : jstr(d, "reason");
	/* TRANSLATORS: a request's ID, then its note or reason. */
	return say(buf, size, _("request %lld%s%s"), (long long)jint(d, "id"), *text ? ": " : "", text);
}

static const char *
handover(json_object *d, char *buf, size_t size)
{
	char list[256];
	if (!jarr(d, "serials") || json_object_array_length(jarr(d, "serials")) == 0)
		/* TRANSLATORS: handover minutes (Mẫu 10) and their ID. */
		return say(buf, size, _("handover %lld"), (long long)jint(d, "id"));
	/* TRANSLATORS: handover minutes (Mẫu 10), their ID, the serials of
	   their tokens. */
	return say(buf, size, _("handover %lld: tokens %s"), (long long)jint(d, "id"),
		   serials(d, "serials", list, sizeof(list)));
}

static const char *
row_added(json_object *d, char *buf, size_t size)
{
	/* TRANSLATORS: a handover's ID, then why the token changes hands. */
	return say(buf, size, _("handover %lld, reason: %s"), (long long)jint(d, "id"),
		   handover_reason_text(jstr(d, "reason")));
}

static const char *
row_removed(json_object *d, char *buf, size_t size)
{
	/* TRANSLATORS: a handover's ID, then the number of its row removed. */
	return say(buf, size, _("handover %lld, row %lld"), (long long)jint(d, "id"),
		   (long long)jint(d, "number"));
}

static const char *
custody(json_object *d, char *buf, size_t size)
{
	/* TRANSLATORS: the giver, the receiver, the handover's ID and the
	   reason: "from Sở Nội vụ to Nguyễn Thị Hường (handover 3: new issue)". */
	return say(buf, size, _("from %s to %s (handover %lld: %s)"), format_optional(jstr(d, "from")),
		   format_optional(jstr(d, "to")), (long long)jint(d, "handover_id"),
		   handover_reason_text(jstr(d, "reason")));
}

static const char *
seal_out(json_object *d, char *buf, size_t size)
{
	char due[32];
	/* TRANSLATORS: the seal register: to whom, for what, due back when. */
	return say(buf, size, _("to %s for %s, due back %s"), jstr(d, "person_name"), jstr(d, "purpose"),
		   format_date(jstr(d, "due_at"), true, due, sizeof(due)));
}

static const char *
seal_in(json_object *d, char *buf, size_t size)
{
	char out[32];
	/* TRANSLATORS: the seal register: who had it, since when. */
	return say(buf, size, _("from %s, out since %s"), jstr(d, "person_name"),
		   format_date(jstr(d, "out_at"), true, out, sizeof(out)));
}

static const char *
seal_overdue(json_object *d, char *buf, size_t size)
{
	char due[32];
	/* TRANSLATORS: the seal register: who has it, when it was due back. */
	return say(buf, size, _("%s has it, due back %s"), jstr(d, "person_name"),
		   format_date(jstr(d, "due_at"), true, due, sizeof(due)));
}

static const char *
manager_change(json_object *d, char *buf, size_t size)
{
	char day[32];
	/* TRANSLATORS: a manager change (Mẫu 08), the day it takes effect,
	   the handover it drafted. */
	return say(buf, size, _("change %lld, effective %s; handover %lld"), (long long)jint(d, "id"),
		   format_day(jstr(d, "effective_on"), day, sizeof(day)),
		   (long long)jint(d, "handover_id"));
}

static const char *
expiry(json_object *d, char *buf, size_t size)
{
	char on[32], renewal[64];

	if (jbool(d, "renewal_possible"))
		snprintf(renewal, sizeof(renewal), "%s", _("renewal possible"));
	else
		/* TRANSLATORS: then the id of the rule that forbids it. */
		snprintf(renewal, sizeof(renewal), _("renewal not possible: %s"), jstr(d, "rule"));
	/* TRANSLATORS: certificate serial, its expiry date, whether it can be
	   renewed. */
	return say(buf, size, _("%s, valid to %s; %s"), jstr(d, "serial"),
		   format_date(jstr(d, "not_after"), false, on, sizeof(on)), renewal);
}

static const char *
expired(json_object *d, char *buf, size_t size)
{
	char on[32];
	/* TRANSLATORS: certificate serial, its expiry date. */
	return say(buf, size, _("%s, valid to %s"), jstr(d, "serial"),
		   format_date(jstr(d, "not_after"), false, on, sizeof(on)));
}

static const char *
lineage(json_object *d, char *buf, size_t size)
{
	char on[32];
	/* TRANSLATORS: the old certificate, the new one read from the token,
	   its expiry date, the request it carried out. */
	return say(buf, size, _("%s → %s, valid to %s (request %lld)"),
		   format_optional(jstr(d, "previous")), jstr(d, "certificate"),
		   format_date(jstr(d, "not_after"), false, on, sizeof(on)),
		   (long long)jint(d, "request"));
}

static const char *
revoked(json_object *d, char *buf, size_t size)
{
	if (jbool(d, "return_expected"))
		/* TRANSLATORS: a revocation's request; its token is to come back. */
		return say(buf, size, _("request %lld; the token is to be handed back"),
			   (long long)jint(d, "request"));
	return say(buf, size, _("request %lld"), (long long)jint(d, "request"));
}

static const char *
incident(json_object *d, char *buf, size_t size)
{
	json_object *drafted = jarr(d, "revocation_requests");
	char requests[128] = "";
	for (size_t i = 0, w = 0; drafted && i < json_object_array_length(drafted) &&
				   w < sizeof(requests); i++)
		w += (size_t)snprintf(requests + w, sizeof(requests) - w, "%s%lld", i ? ", " : "",
				      (long long)json_object_get_int64(
					      json_object_array_get_idx(drafted, i)));
	if (*requests)
		/* TRANSLATORS: a token reported lost: the note, the revocations drafted */
		return say(buf, size, _("%s; revocation drafted: request %s"),
			   *jstr(d, "note") ? jstr(d, "note") : "—", requests);
	return say(buf, size, "%s", *jstr(d, "note") ? jstr(d, "note") : "—");
}

static const char *
handover_cancelled(json_object *d, char *buf, size_t size)
{
	/* TRANSLATORS: a draft handover cancelled: its number, the note why */
	return say(buf, size, _("handover %lld: %s"), (long long)jint(d, "id"), jstr(d, "note"));
}

static const char *
revocation_due(json_object *d, char *buf, size_t size)
{
	/* TRANSLATORS: a certificate due for revocation: its serial, the reason code, the rule */
	return say(buf, size, _("certificate %s: %s (%s)"), jstr(d, "serial"), jstr(d, "reason"),
		   jstr(d, "rule"));
}

static const char *
return_overdue(json_object *d, char *buf, size_t size)
{
	/* TRANSLATORS: a token revoked by request N, not handed back after D days */
	return say(buf, size, _("request %lld, %lld days"), (long long)jint(d, "request_id"),
		   (long long)jint(d, "days"));
}

static const char *
term_exceeded(json_object *d, char *buf, size_t size)
{
	char from[32], to[32];
	/* TRANSLATORS: a certificate come back valid longer than allowed */
	return say(buf, size, _("request %lld: certificate %s valid %s – %s (%s)"),
		   (long long)jint(d, "request"), jstr(d, "certificate"),
		   format_date(jstr(d, "not_before"), false, from, sizeof(from)),
		   format_date(jstr(d, "not_after"), false, to, sizeof(to)), jstr(d, "rule"));
}

static const char *
report(json_object *d, char *buf, size_t size)
{
	if (*jstr(d, "organization_name"))
		/* TRANSLATORS: the annual report's year and agency. */
		return say(buf, size, _("%lld, %s"), (long long)jint(d, "year"), jstr(d, "organization_name"));
	if (jint(d, "organization_id") > 0)
		return say(buf, size, _("%lld, organization %lld"), (long long)jint(d, "year"),
			   (long long)jint(d, "organization_id"));
	/* TRANSLATORS: the annual report's year, of the whole registry. */
	return say(buf, size, _("%lld, every agency"), (long long)jint(d, "year"));
}


/*
 * Every type khoad sends: what happened (WHAT, or WHAT_OF when it names
 * something) and the sentence of its details (NULL: nothing worth a
 * glance).
 */
static const struct event_text {
	const char *type;
	const char *what;
	const char *(*what_of)(json_object *details, char *buf, size_t size);
	const char *(*details)(json_object *details, char *buf, size_t size);
} events[] = {
	{ "token.appeared", N_("plugged in"), NULL, NULL },
	{ "token.removed", N_("removed"), NULL, NULL },
	{ "token.pin_changed", N_("PIN state changed"), NULL, pin_change },
	{ "token.certificates_changed", N_("certificates changed"), NULL, certificates_change },
	{ "token.mismatch", N_("certificate differs from the registration"), NULL, mismatch },
	{ "token.registered", NULL, registered, bound },
	{ "token.unregistered", N_("registration ended"), NULL, reason },
	{ "token.binding_confirmed", N_("new certificates confirmed"), NULL, bound },
	{ "organization.created", N_("organization added"), NULL, record },
	{ "organization.updated", N_("organization changed"), NULL, record },
	{ "person.created", N_("person added"), NULL, record },
	{ "person.updated", N_("person changed"), NULL, record },
	{ "pin.changed", N_("PIN changed"), NULL, NULL },
	{ "pin.tried", NULL, tried, try_details },
	{ "pin_request.filed", N_("PIN-recovery request filed"), NULL, request_step },
	{ "pin_request.confirmed", N_("PIN-recovery request confirmed"), NULL, request_step },
	{ "pin_request.submitted", N_("PIN-recovery request submitted"), NULL, request_step },
	{ "pin_request.forwarded", N_("PIN-recovery request forwarded to the CA"), NULL,
	  request_step },
	{ "pin_request.completed", N_("PIN reset: PIN-recovery request completed"), NULL,
	  request_step },
	{ "pin_request.rejected", N_("PIN-recovery request rejected"), NULL, request_step },
	{ "pin_request.cancelled", N_("PIN-recovery request cancelled"), NULL, request_step },
	{ "lifecycle_request.filed", N_("certificate request filed"), NULL, request_step },
	{ "lifecycle_request.confirmed", N_("certificate request confirmed"), NULL, request_step },
	{ "lifecycle_request.submitted", N_("certificate request submitted"), NULL, request_step },
	{ "lifecycle_request.forwarded", N_("certificate request forwarded to the CA"), NULL,
	  request_step },
	{ "lifecycle_request.done", N_("certificate request carried out by the CA"), NULL,
	  request_step },
	{ "lifecycle_request.rejected", N_("certificate request rejected"), NULL, request_step },
	{ "lifecycle_request.cancelled", N_("certificate request cancelled"), NULL, request_step },
	{ "handover.drafted", N_("handover minutes drafted"), NULL, handover },
	{ "handover.finalized", N_("handover minutes finalized"), NULL, handover },
	{ "handover.row_added", N_("put on handover minutes"), NULL, row_added },
	{ "handover.row_removed", N_("row taken off handover minutes"), NULL, row_removed },
	{ "handover.cancelled", N_("draft handover minutes cancelled"), NULL, handover_cancelled },
	{ "custody.moved", N_("custody passed on"), NULL, custody },
	{ "seal.out", N_("checked out like the seal"), NULL, seal_out },
	{ "seal.in", N_("checked back in like the seal"), NULL, seal_in },
	{ "seal.overdue", N_("not back in time (seal register)"), NULL, seal_overdue },
	{ "manager.changed", N_("certificate's manager changed (Mẫu 08)"), NULL, manager_change },
	{ "certificate.expiring", NULL, expiring, expiry },
	{ "certificate.expired", N_("certificate expired"), NULL, expired },
	{ "certificate.renewed", N_("certificate renewed"), NULL, lineage },
	{ "certificate.reissued", N_("certificate re-issued"), NULL, lineage },
	{ "certificate.revoked", N_("certificate revoked"), NULL, revoked },
	{ "certificate.term_exceeded", N_("certificate valid longer than allowed"), NULL,
	  term_exceeded },
	{ "certificate.revocation_due", N_("due for revocation"), NULL, revocation_due },
	{ "token.return_overdue", N_("revoked, not handed back"), NULL, return_overdue },
	{ "token.lost", N_("reported lost"), NULL, incident },
	{ "token.damaged", N_("reported damaged"), NULL, incident },
	{ "token.found", N_("reported lost, plugged in again"), NULL, NULL },
	{ "token.recovered", N_("found and cleared by a technician"), NULL, incident },
	{ "token.returned", N_("returned to Sở TT&TT"), NULL, incident },
	{ "token.retired", N_("retired"), NULL, incident },
	{ "token.reused", N_("issued again after its return"), NULL, incident },
	{ "report.due", N_("annual report due (Mẫu 07)"), NULL, report },
	{ "report.entered", N_("annual report figures entered"), NULL, report },
	{ "report.filed", N_("annual report filed"), NULL, report },
};

static const struct event_text *
text_of(json_object *ev)
{
	const char *type = jstr(ev, "type");
	for (size_t i = 0; i < sizeof(events) / sizeof(*events); i++)
		if (strcmp(events[i].type, type) == 0)
			return &events[i];
	return NULL;
}

const char *
event_time(json_object *ev, char *buf, size_t size)
{
	return format_date(jstr(ev, "time"), true, buf, size);
}

const char *
event_what(json_object *ev, char *buf, size_t size)
{
	const struct event_text *t = text_of(ev);
	if (!t)
		return jstr(ev, "type");
	return t->what_of ? t->what_of(details_of(ev), buf, size) : _(t->what);
}

const char *
event_actor(json_object *ev)
{
	const char *user = jstr(jobj(ev, "actor"), "user");
	return *user ? user : "khoad";
}

/* Appends V to BUF (LEN of SIZE used) as a person reads it: a string
 * as it is, an array as "[a, b]", an object as "{key: value, …}". */
static void
readable(json_object *v, char *buf, size_t size, size_t *len)
{
	size_t n;

	if (*len >= size)
		return;
	switch (json_object_get_type(v)) {
	case json_type_array:
		n = json_object_array_length(v);
		*len += (size_t)snprintf(buf + *len, size - *len, "[");
		for (size_t i = 0; i < n && *len < size; i++) {
			if (i)
				*len += (size_t)snprintf(buf + *len, size - *len, ", ");
			readable(json_object_array_get_idx(v, i), buf, size, len);
		}
		if (*len < size)
			*len += (size_t)snprintf(buf + *len, size - *len, "]");
		break;
	case json_type_object: {
		bool first = true;
		*len += (size_t)snprintf(buf + *len, size - *len, "{");
		json_object_object_foreach(v, key, val) {
			if (*len >= size)
				break;
			*len += (size_t)snprintf(buf + *len, size - *len, "%s%s: ", first ? "" : ", ",
						 key);
			readable(val, buf, size, len);
			first = false;
		}
		if (*len < size)
			*len += (size_t)snprintf(buf + *len, size - *len, "}");
		break;
	}
	case json_type_null:
		*len += (size_t)snprintf(buf + *len, size - *len, "—");
		break;
	default:
		*len += (size_t)snprintf(buf + *len, size - *len, "%s", json_object_get_string(v));
	}
}

const char *
event_details(json_object *ev, char *buf, size_t size)
{
	const struct event_text *t = text_of(ev);
	json_object *d = details_of(ev);
	size_t len = 0;
	bool first = true;

	if (!d || json_object_object_length(d) == 0 || (t && !t->details))
		return "";
	if (t)
		return t->details(d, buf, size);
	/* A type khoa does not know yet: "key: value, key: value". */
	buf[0] = '\0';
	json_object_object_foreach(d, key, val) {
		if (len >= size)
			break;
		len += (size_t)snprintf(buf + len, size - len, "%s%s: ", first ? "" : ", ", key);
		readable(val, buf, size, &len);
		first = false;
	}
	return buf;
}
