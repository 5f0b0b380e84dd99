/* Dates, PIN states and validity for people. */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "format.h"
#include "i18n.h"

bool
format_parse_iso(const char *iso, time_t *out)
{
	struct khoa_datetime t;
	if (khoa_date_parse(iso, KHOA_DATE_TIME_UTC, &t) < 0)
		return false;
	*out = khoa_datetime_time(&t);
	return true;
}

const char *
format_date(const char *iso, bool with_time, char *buf, size_t size)
{
	time_t t;
	struct tm tm;
	if (!format_parse_iso(iso, &t) || !localtime_r(&t, &tm)) {
		snprintf(buf, size, "?");
		return buf;
	}
	strftime(buf, size, with_time ? "%d/%m/%Y %H:%M" : "%d/%m/%Y", &tm);
	return buf;
}

const char *
format_day(const char *ymd, char *buf, size_t size)
{
	struct khoa_datetime t;
	if (khoa_date_parse(ymd, KHOA_DATE_ISO, &t) < 0)
		return ymd;
	snprintf(buf, size, "%02d/%02d/%04d", t.day, t.month, t.year);
	return buf;
}

const char *
format_pin_state(json_object *flags, char *buf, size_t size)
{
	/* Worst first: a person needs to know the most urgent one. */
	static const struct {
		const char *flag;
		const char *text;
	} states[] = {
		{ "user_pin_locked", N_("locked") },
		{ "user_pin_final_try", N_("final try") },
		{ "user_pin_count_low", N_("tries low") },
		{ "user_pin_to_be_changed", N_("must change") },
		/* the SO PIN's, said only when set: what a technician must know
		 * before a reset (and why a wrong SO PIN changes the state) */
		{ "so_pin_locked", N_("SO PIN locked") },
		{ "so_pin_final_try", N_("SO PIN final try") },
		{ "so_pin_count_low", N_("SO PIN tries low") },
	};

	if (!jbool(flags, "initialized"))
		return _("blank");
	if (!jbool(flags, "user_pin_initialized"))
		return _("no PIN set");
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		if (!jbool(flags, states[i].flag))
			continue;
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", len ? ", " : "", _(states[i].text));
	}
	return buf[0] ? buf : _("ok");
}

const char *
format_validity(json_object *cert, time_t now)
{
	time_t from, to;
	if (!format_parse_iso(jstr(cert, "not_before"), &from) ||
	    !format_parse_iso(jstr(cert, "not_after"), &to))
		return "?";
	if (now < from)
		return _("not yet valid");
	if (now > to)
		return _("expired");
	return _("valid");
}

const char *
format_optional(const char *text)
{
	return text && *text ? text : "—";
}

bool
format_withheld(json_object *rec, const char *key)
{
	json_object *names = jarr(rec, "withheld");
	for (size_t i = 0; names && i < json_object_array_length(names); i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(names, i));
		if (name && strcmp(name, key) == 0)
			return true;
	}
	return false;
}

const char *
format_sex(const char *code)
{
	/* TRANSLATORS: a person's sex, as the forms write it (Nam, Nữ). */
	if (strcmp(code, "male") == 0)
		return _("male");
	if (strcmp(code, "female") == 0)
		return _("female");
	return code;
}

const char *
format_personal(json_object *rec, const char *key, const char *text)
{
	/* TRANSLATORS: in place of an ID number, a birth date or a phone that
	 * khoad gives only to the person, their agency's clerk, technicians. */
	return format_withheld(rec, key) ? _("(not shown to you)") : format_optional(text);
}

const char *
jstr(json_object *obj, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

int64_t
jint(json_object *obj, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(obj, key, &v) ? json_object_get_int64(v) : 0;
}

bool
jbool(json_object *obj, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(obj, key, &v) && json_object_get_boolean(v);
}

json_object *
jobj(json_object *obj, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

json_object *
jarr(json_object *obj, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

bool
format_print_reading(json_object *reply)
{
	json_object *r;
	char when[32];

	if (!json_object_object_get_ex(reply, "reading", &r) || !r)
		return false;
	const char *ws = jstr(r, "workstation"), *seen = jstr(r, "last_seen");
	if (!*seen)
		printf("%s\n", _("Not present now: never read on a workstation's desk."));
	else if (jbool(r, "present"))
		/* TRANSLATORS: %1$s a date, %2$s the workstation it is on */
		printf(_("Not on this desk: on workstation %2$s since %1$s, read from the "
			 "device there.\n"), format_date(seen, true, when, sizeof(when)), ws);
	else
		/* TRANSLATORS: %1$s a date, %2$s a workstation's name */
		printf(_("Not present now: last read from the device on %1$s at %2$s.\n"),
		       format_date(seen, true, when, sizeof(when)), *ws ? ws : "?");
	return true;
}

const char *
format_device_state(const char *state)
{
	static const struct { const char *state, *text; } names[] = {
		{ "lost", N_("reported lost") },
		{ "damaged", N_("reported damaged") },
		{ "returned", N_("returned to Sở TT&TT") },
		{ "retired", N_("retired") },
		{ "found", N_("reported lost and plugged in again, not cleared by a technician") },
		{ "in-use", N_("in use") },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].state, state) == 0)
			return _(names[i].text);
	return state;
}
