/*
 * Events for people, from one table: for each type khoad sends
 * (proto/io.khoa.Events.varlink) the sentence that says who did what to
 * which token, and the details that matter, translated as a whole.
 *
 * A sentence is a format with named fields, so that a translation puts
 * them in its own order:
 *   {actor}       who did it: the user whose call caused it
 *   {token}       the token's serial
 *   {type}        the event's type
 *   {NAME}        the details' member NAME ({holder.name}: a member of a
 *                 member); a number as it is, an array as "A, B"
 *   {NAME:KIND}   the same, said as KIND says: time (dd/mm/yyyy hh:mm),
 *                 date (dd/mm/yyyy), pin (a PIN state), reason (a
 *                 handover's), kind (a certificate request's), due (why a
 *                 revocation is due), if (nothing: whether it is true)
 *   [TEXT]        TEXT only when every field in it has a value
 * A field without a value outside [ ] says "—". An entry gives the
 * sentence for what a person did (BY) and for what khoad saw or did of
 * itself, without an actor (SEEN); or a function picks it when the details
 * decide (a count, the PIN tried).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "format.h"
#include "handover.h"
#include "i18n.h"
#include "words.h"

/* ----- the fields ----- */

/* A sentence being written into BUF. */
struct out {
	char *buf;
	size_t size, len;
};

static void
put(struct out *o, const char *text, size_t n)
{
	if (o->len + 1 >= o->size)
		return;
	if (n > o->size - o->len - 1)
		n = o->size - o->len - 1;
	memcpy(o->buf + o->len, text, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void
puts_out(struct out *o, const char *text)
{
	put(o, text, strlen(text));
}

/* The member PATH ("holder.name") of D, or NULL. */
static json_object *
member(json_object *d, const char *path)
{
	char key[64];
	const char *dot;

	while (d && (dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		d = jobj(d, key);
		path = dot + 1;
	}
	json_object *v = NULL;
	return d && json_object_object_get_ex(d, path, &v) ? v : NULL;
}

/* V, a string, number or array of them, as "A, B" into O; false when it
 * has no value (absent, null, "", []). */
static bool
plain(json_object *v, struct out *o)
{
	char num[32];

	switch (v ? json_object_get_type(v) : json_type_null) {
	case json_type_null:
	case json_type_object:
		return false;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_int:
		snprintf(num, sizeof(num), "%lld", (long long)json_object_get_int64(v));
		puts_out(o, num);
		return true;
	case json_type_array: {
		size_t n = json_object_array_length(v), was = o->len;
		for (size_t i = 0; i < n; i++) {
			if (o->len > was)
				puts_out(o, ", ");
			plain(json_object_array_get_idx(v, i), o);
		}
		return o->len > was;
	}
	default:
		puts_out(o, json_object_get_string(v));
		return *json_object_get_string(v) != '\0';
	}
}

/* Field NAME said as KIND ("" for none) into O; false when it has no value. */
static bool
field(json_object *ev, json_object *extra, const char *name, const char *kind, struct out *o)
{
	json_object *d = jobj(ev, "details"), *v;
	const char *text = NULL;
	char buf[256];

	if (strcmp(name, "actor") == 0)
		text = event_actor(ev);
	else if (strcmp(name, "token") == 0)
		text = jstr(ev, "token_serial");
	else if (strcmp(name, "type") == 0)
		text = jstr(ev, "type");
	if (text) {
		puts_out(o, text);
		return *text;
	}
	v = member(extra, name);
	if (!v)
		v = member(d, name);
	if (strcmp(kind, "if") == 0)
		return v && json_object_get_boolean(v);
	if (strcmp(kind, "pin") == 0) {
		if (!v || !json_object_is_type(v, json_type_object))
			return false;
		puts_out(o, format_pin_state(v, buf, sizeof(buf)));
		return true;
	}
	if (!*kind || !v || !json_object_is_type(v, json_type_string))
		return plain(v, o);
	text = json_object_get_string(v);
	if (!*text)
		return false;
	if (strcmp(kind, "time") == 0 || strcmp(kind, "date") == 0)
		text = handover_when(text, kind[0] == 't', buf, sizeof(buf));
	else if (strcmp(kind, "reason") == 0)
		text = handover_reason_text(text);
	else if (strcmp(kind, "kind") == 0)
		text = code_text(text);
	else if (strcmp(kind, "due") == 0)
		text = reason_text(text);
	puts_out(o, text);
	return true;
}

/* FMT with its fields filled into O, from ..END (or its '\0'); false when
 * a field had no value. */
static bool
fill_span(json_object *ev, json_object *extra, const char *fmt, const char *end, struct out *o)
{
	bool all = true;

	while (fmt < end && *fmt) {
		const char *open = fmt + strcspn(fmt, "{[");
		if (open > end)
			open = end;
		put(o, fmt, (size_t)(open - fmt));
		if (open >= end || !*open)
			break;
		const char *close = strchr(open, *open == '{' ? '}' : ']');
		if (!close || close > end) {	/* not a field: as it is */
			put(o, open, 1);
			fmt = open + 1;
			continue;
		}
		if (*open == '[') {
			char part[1024];
			struct out p = { part, sizeof(part), 0 };
			part[0] = '\0';
			if (fill_span(ev, extra, open + 1, close, &p))
				puts_out(o, part);
		} else {
			char name[64], *kind;
			snprintf(name, sizeof(name), "%.*s", (int)(close - open - 1), open + 1);
			kind = strchr(name, ':');
			if (kind)
				*kind++ = '\0';
			size_t was = o->len;
			if (!field(ev, extra, name, kind ? kind : "", o)) {
				all = false;
				o->len = was;
				o->buf[was] = '\0';
				/* TRANSLATORS: a field without a value in an event's sentence. */
				puts_out(o, _("—"));
			}
		}
		fmt = close + 1;
	}
	return all;
}

static void
fill(json_object *ev, json_object *extra, const char *fmt, struct out *o)
{
	fill_span(ev, extra, fmt, fmt + strlen(fmt), o);
}

/* ----- sentences the details choose ----- */

/* Adds KEY: TEXT to EXTRA, the fields a sentence computes. */
static void
extra_str(json_object *extra, const char *key, const char *text)
{
	json_object *v = json_object_new_string(text);
	if (!v || json_object_object_add(extra, key, v) < 0)
		json_object_put(v);
}

static const char *
token_appeared(json_object *ev, json_object *extra, char *fmt, size_t size)
{
	/* TRANSLATORS: an event's sentence: {token} and {label} are fields,
	   kept as they are; [ ] is said only when its field has a value. */
	return _("Token {token}[ ({label})] was plugged in[ for the first time{first_seen:if}].");
}

/* Which PIN, what the token answered, what is left, how long the next try
 * waits. */
static const char *
pin_tried(json_object *ev, json_object *extra, char *fmt, size_t size)
{
	static const struct {
		const char *result;
		const char *user, *so;
	} said[] = {
		{ "right", N_("{actor} entered the right user PIN on token {token}"),
		  N_("{actor} entered the right SO PIN on token {token}") },
		{ "wrong", N_("{actor} entered a wrong user PIN on token {token}"),
		  N_("{actor} entered a wrong SO PIN on token {token}") },
		{ "locked", N_("{actor} entered a wrong user PIN on token {token}, which locked it"),
		  N_("{actor} entered a wrong SO PIN on token {token}, which locked it") },
	};
	json_object *d = jobj(ev, "details"), *left = member(d, "tries_left");
	bool so = strcmp(jstr(d, "pin"), "so") == 0;
	const char *main = so ? N_("{actor} entered the SO PIN on token {token}, which failed: "
				   "{error}")
			      : N_("{actor} entered the user PIN on token {token}, which failed: "
				   "{error}");
	long long delay = jint(d, "delay");
	char wait[128];

	for (size_t i = 0; i < sizeof(said) / sizeof(*said); i++)
		if (strcmp(jstr(d, "result"), said[i].result) == 0)
			main = so ? said[i].so : said[i].user;
	if (left)
		extra_str(extra, "left", json_object_get_int64(left) > 0 ? _("one try left")
								      : _("no try left"));
	if (delay > 0) {
		snprintf(wait, sizeof(wait), ngettext("the next try waits %lld second",
						      "the next try waits %lld seconds",
						      (unsigned long)delay), delay);
		extra_str(extra, "wait", wait);
	}
	/* TRANSLATORS: a PIN tried: what happened, then the process that
	   presented it and, when there are, what is left and the wait; keep
	   {…} and [ ] as they are. */
	snprintf(fmt, size, _("%s (process {pid})[; {left}][; {wait}]."), _(main));
	return fmt;
}

static const char *
certificate_expiring(json_object *ev, json_object *extra, char *fmt, size_t size)
{
	json_object *d = jobj(ev, "details");
	unsigned long left = (unsigned long)jint(d, "days_left");

	if (jbool(d, "renewal_possible"))
		return ngettext("Certificate {serial} on token {token} expires in {days_left} day, "
				"on {not_after:date}; it can still be renewed.",
				"Certificate {serial} on token {token} expires in {days_left} days, "
				"on {not_after:date}; it can still be renewed.", left);
	return ngettext("Certificate {serial} on token {token} expires in {days_left} day, on "
			"{not_after:date}; it can no longer be renewed ({rule}).",
			"Certificate {serial} on token {token} expires in {days_left} days, on "
			"{not_after:date}; it can no longer be renewed ({rule}).", left);
}

static const char *
return_overdue(json_object *ev, json_object *extra, char *fmt, size_t size)
{
	return ngettext("Token {token} was revoked by request no. {request_id} on "
			"{revoked_at:date} and is not handed back to Sở TT&TT {days} day later "
			"(Điều 13.4).",
			"Token {token} was revoked by request no. {request_id} on "
			"{revoked_at:date} and is not handed back to Sở TT&TT {days} days later "
			"(Điều 13.4).",
			(unsigned long)jint(jobj(ev, "details"), "days"));
}

/* ----- the table ----- */

static const struct event_sentence {
	const char *type;
	const char *by;		/* what a person did: names {actor} */
	const char *seen;	/* what khoad saw or did of itself; NULL: BY, by khoad */
	/* the sentence when the details choose it, translated (a constant,
	 * or composed in FMT); EXTRA takes the fields it computes */
	const char *(*say)(json_object *ev, json_object *extra, char *fmt, size_t size);
} sentences[] = {
	{ "token.appeared", NULL, NULL, token_appeared },
	{ "token.removed", NULL, N_("Token {token} was removed."), NULL },
	{ "token.pin_changed",
	  N_("After a PIN try by {actor}, the PIN state of token {token} changed: "
	     "{previous:pin} → {flags:pin}."),
	  N_("The PIN state of token {token} changed: {previous:pin} → {flags:pin}."), NULL },
	{ "token.certificates_changed", NULL,
	  N_("The certificates on token {token} changed: {previous} before, {found} now."), NULL },
	{ "token.mismatch", NULL,
	  N_("Token {token} carries other certificates than the registered ones: {expected} "
	     "registered, {found} found."), NULL },
	{ "token.registered",
	  N_("{actor} registered token {token} to {holder.name}[; certificates: {certificates}]."),
	  NULL, NULL },
	{ "token.unregistered",
	  N_("{actor} ended the registration of token {token}[: {reason}]."), NULL, NULL },
	{ "token.binding_confirmed",
	  N_("{actor} confirmed the certificates on token {token} as its registration: "
	     "{certificates}."),
	  N_("Token {token} came back with new certificates, now its registration: "
	     "{certificates}."), NULL },
	{ "organization.created", N_("{actor} added the organization {name}[ (ID {id})]."), NULL,
	  NULL },
	{ "organization.updated",
	  N_("{actor} changed the record of the organization {name}[ (ID {id})]."), NULL, NULL },
	{ "person.created", N_("{actor} added the person {full_name}[ (ID {id})]."), NULL, NULL },
	{ "person.updated", N_("{actor} changed the record of {full_name}[ (ID {id})]."), NULL,
	  NULL },
	{ "pin.changed", N_("{actor} changed the PIN of token {token}."), NULL, NULL },
	{ "pin.tried", NULL, NULL, pin_tried },
	{ "pin_request.filed",
	  N_("{actor} filed PIN-recovery request no. {id} (Mẫu 09) for token {token}"
	     "[, reason: {reason}]."), NULL, NULL },
	{ "pin_request.confirmed",
	  N_("{actor} confirmed PIN-recovery request no. {id} for token {token} for the "
	     "agency[: {note}]."), NULL, NULL },
	{ "pin_request.submitted",
	  N_("{actor} received PIN-recovery request no. {id} for token {token} at Sở "
	     "TT&TT[: {note}]."), NULL, NULL },
	{ "pin_request.forwarded",
	  N_("{actor} forwarded PIN-recovery request no. {id} for token {token} to the "
	     "CA[: {note}]."), NULL, NULL },
	{ "pin_request.completed",
	  N_("{actor} reset the PIN of token {token} with the SO PIN: PIN-recovery request "
	     "no. {id} is completed[ ({note})]."), NULL, NULL },
	{ "pin_request.rejected",
	  N_("{actor} rejected PIN-recovery request no. {id} for token {token}[: {note}]."),
	  NULL, NULL },
	{ "pin_request.cancelled",
	  N_("{actor} cancelled PIN-recovery request no. {id} for token {token}[: {note}]."),
	  NULL, NULL },
	{ "lifecycle_request.filed",
	  N_("{actor} filed certificate request no. {id} ({kind:kind})[ for token {token}]"
	     "[, reason: {reason:due}]."), NULL, NULL },
	{ "lifecycle_request.confirmed",
	  N_("{actor} confirmed certificate request no. {id} ({kind:kind})[ for token {token}] "
	     "for the agency[: {note}]."), NULL, NULL },
	{ "lifecycle_request.submitted",
	  N_("{actor} received certificate request no. {id} ({kind:kind})[ for token {token}] "
	     "at Sở TT&TT[: {note}]."), NULL, NULL },
	{ "lifecycle_request.forwarded",
	  N_("{actor} forwarded certificate request no. {id} ({kind:kind})[ for token {token}] "
	     "to the CA[: {note}]."), NULL, NULL },
	{ "lifecycle_request.done",
	  N_("{actor} recorded certificate request no. {id} ({kind:kind})[ for token {token}] "
	     "as carried out by the CA[: {note}]."), NULL, NULL },
	{ "lifecycle_request.rejected",
	  N_("{actor} rejected certificate request no. {id} ({kind:kind})[ for token {token}]"
	     "[: {note}]."), NULL, NULL },
	{ "lifecycle_request.cancelled",
	  N_("{actor} cancelled certificate request no. {id} ({kind:kind})[ for token {token}]"
	     "[: {note}]."), NULL, NULL },
	{ "handover.drafted",
	  N_("{actor} drew up handover minutes no. {id} (Mẫu 10)[ from {from} to {to}]"
	     "[: tokens {serials}]."), NULL, NULL },
	{ "handover.finalized",
	  N_("{actor} finalized handover minutes no. {id} (Mẫu 10)[ from {from} to {to}]"
	     "[: tokens {serials}]."), NULL, NULL },
	{ "handover.row_added",
	  N_("{actor} put token {token} on handover minutes no. {id}[ from {from} to {to}], "
	     "reason: {reason:reason}."), NULL, NULL },
	{ "handover.row_removed",
	  N_("{actor} took row {number} off handover minutes no. {id}."), NULL, NULL },
	{ "handover.cancelled",
	  N_("{actor} cancelled the draft handover minutes no. {id}: {note}."), NULL, NULL },
	{ "custody.moved",
	  N_("{actor} handed token {token} from {from} over to {to} by handover minutes no. "
	     "{handover_id} ({reason:reason})."), NULL, NULL },
	{ "seal.out",
	  N_("{actor} checked token {token} out to {person_name} for “{purpose}”, due back "
	     "{due_at:time}[, outside the agency{another_agency:if}]."), NULL, NULL },
	{ "seal.in",
	  N_("{actor} checked token {token} back in from {person_name}, out since "
	     "{out_at:time}[, late{overdue:if}][: {in_note}]."), NULL, NULL },
	{ "seal.overdue", NULL,
	  N_("Token {token} is not back in time: {person_name} has had it since {out_at:time} "
	     "for “{purpose}”, due back {due_at:time}."), NULL },
	{ "manager.changed",
	  N_("{actor} recorded a change of the certificate's manager (Mẫu 08, no. {id})"
	     "[ of {organization_name}][ from {old_manager} to {new_manager}], effective "
	     "{effective_on:date}; handover minutes no. {handover_id} drafted."), NULL, NULL },
	{ "certificate.expiring", NULL, NULL, certificate_expiring },
	{ "certificate.expired", NULL,
	  N_("Certificate {serial} on token {token} expired on {not_after:date}."), NULL },
	{ "certificate.renewed", NULL,
	  N_("Token {token} came back from the CA with its renewed certificate {certificate}, "
	     "valid to {not_after:date}[, replacing {previous}] (request no. {request})."),
	  NULL },
	{ "certificate.reissued", NULL,
	  N_("Token {token} came back from the CA with its re-issued certificate "
	     "{certificate}, valid to {not_after:date}[, replacing {previous}] (request no. "
	     "{request})."), NULL },
	{ "certificate.revoked",
	  N_("{actor} recorded that the CA revoked the certificate of request no. {request}"
	     "[ on token {token}][; the token is to be handed back{return_expected:if}]."),
	  N_("The CA revoked the certificate of request no. {request}[ on token {token}]"
	     "[; the token is to be handed back{return_expected:if}]."), NULL },
	{ "certificate.term_exceeded", NULL,
	  N_("Certificate {certificate} on token {token} (request no. {request}) is valid from "
	     "{not_before:date} to {not_after:date}, longer than allowed ({rule})."), NULL },
	{ "certificate.revocation_due",
	  N_("{actor}'s change makes certificate {serial}[ on token {token}] due for "
	     "revocation: {reason:due} ({rule})."),
	  N_("Certificate {serial}[ on token {token}] is due for revocation: {reason:due} "
	     "({rule})."), NULL },
	{ "token.return_overdue", NULL, NULL, return_overdue },
	{ "token.lost",
	  N_("{actor} reported token {token} lost[ on {happened_on:date}][: {note}]"
	     "[; revocation drafted: request no. {revocation_requests}]."), NULL, NULL },
	{ "token.damaged",
	  N_("{actor} reported token {token} damaged[ on {happened_on:date}][: {note}]"
	     "[; revocation drafted: request no. {revocation_requests}]."), NULL, NULL },
	{ "token.found", NULL,
	  N_("Token {token}, reported lost, is plugged in again: a technician must clear it."),
	  NULL },
	{ "token.recovered",
	  N_("{actor} cleared token {token}, reported lost and found again[: {note}]."), NULL,
	  NULL },
	{ "token.returned",
	  N_("{actor} recorded token {token} returned to Sở TT&TT[ on {happened_on:date}]"
	     "[: {note}]."), NULL, NULL },
	{ "token.retired", N_("{actor} retired token {token}[: {note}]."), NULL, NULL },
	{ "token.reused",
	  N_("{actor} issued token {token} again after its return[: {note}]."), NULL, NULL },
	{ "report.due", NULL,
	  N_("The annual report (Mẫu 07) of {year}[ of {organization_name}] is due."), NULL },
	{ "report.entered",
	  N_("{actor} entered the figures of the annual report (Mẫu 07) of {year}"
	     "[ of {organization_name}]."), NULL, NULL },
	{ "report.filed",
	  N_("{actor} filed the annual report (Mẫu 07) of {year}[ of {organization_name}]."),
	  NULL, NULL },
	{ "audit.broken", NULL,
	  N_("The audit trail is broken[ at record {seq}][ (table {table})]; problems found: "
	     "{problem_count}. See khoa audit verify."), NULL },
};

static const struct event_sentence *
sentence_of(json_object *ev)
{
	const char *type = jstr(ev, "type");
	for (size_t i = 0; i < sizeof(sentences) / sizeof(*sentences); i++)
		if (strcmp(sentences[i].type, type) == 0)
			return &sentences[i];
	return NULL;
}

const char *
event_time(json_object *ev, char *buf, size_t size)
{
	return format_date(jstr(ev, "time"), true, buf, size);
}

const char *
event_actor(json_object *ev)
{
	/* the person the login belongs to, by name; else the login */
	const char *name = jstr(jobj(ev, "actor"), "name"), *user = jstr(jobj(ev, "actor"), "user");
	return *name ? name : *user ? user : "khoad";
}

/* Appends V to O as a person reads it: a string as it is, an array as
 * "[a, b]", an object as "{key: value, …}". */
static void
readable(json_object *v, struct out *o)
{
	switch (json_object_get_type(v)) {
	case json_type_array:
		puts_out(o, "[");
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			if (i)
				puts_out(o, ", ");
			readable(json_object_array_get_idx(v, i), o);
		}
		puts_out(o, "]");
		break;
	case json_type_object: {
		bool first = true;
		puts_out(o, "{");
		json_object_object_foreach(v, key, val) {
			puts_out(o, first ? "" : ", ");
			puts_out(o, key);
			puts_out(o, ": ");
			readable(val, o);
			first = false;
		}
		puts_out(o, "}");
		break;
	}
	case json_type_null:
		puts_out(o, "—");
		break;
	default:
		puts_out(o, json_object_get_string(v));
	}
}

/* A type this khoa does not know (a newer khoad's): its name, who, which
 * token, and the details as "key: value, key: value". */
static void
unknown(json_object *ev, struct out *o)
{
	json_object *d = jobj(ev, "details");
	bool first = true;

	fill(ev, NULL, jobj(ev, "actor")
		       /* TRANSLATORS: an event this version of khoa has no sentence
			  for; keep {…} and [ ] as they are. */
		       ? _("{actor}: an event this khoa does not know, {type}[, token {token}]")
		       : _("An event this khoa does not know, {type}[, token {token}]"), o);
	json_object_object_foreach(d, key, val) {
		puts_out(o, first ? ": " : ", ");
		puts_out(o, key);
		puts_out(o, ": ");
		readable(val, o);
		first = false;
	}
	puts_out(o, ".");
}

const char *
event_sentence(json_object *ev, char *buf, size_t size)
{
	const struct event_sentence *s = sentence_of(ev);
	struct out o = { buf, size, 0 };
	json_object *extra;
	char fmt[1024];

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (!s) {
		unknown(ev, &o);
		return buf;
	}
	if (!(extra = json_object_new_object()))
		return buf;
	if (s->say)
		fill(ev, extra, s->say(ev, extra, fmt, sizeof(fmt)), &o);
	else if (jobj(ev, "actor") && s->by)
		fill(ev, extra, _(s->by), &o);
	else
		fill(ev, extra, _(s->seen ? s->seen : s->by), &o);
	json_object_put(extra);
	return buf;
}
