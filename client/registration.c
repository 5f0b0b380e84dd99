/* Registrations for people. */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "i18n.h"
#include "registration.h"
#include "table.h"

static json_object *
holder_of(json_object *token)
{
	json_object *reg = jobj(token, "registration");
	return strcmp(jstr(reg, "status"), "registered") == 0 ? jobj(reg, "holder") : NULL;
}

static bool
is_organization(json_object *holder)
{
	return strcmp(jstr(holder, "kind"), "organization") == 0;
}

const char *
registration_holder(json_object *token, char *buf, size_t size)
{
	json_object *holder = holder_of(token);
	if (!holder)
		return "—";
	if (!is_organization(holder))
		return jstr(holder, "name");
	/* TRANSLATORS: a token registered to an organization, not a person;
	   %s is the organization's name. */
	snprintf(buf, size, _("[org] %s"), jstr(holder, "name"));
	return buf;
}

const char *
registration_holder_name(json_object *token, bool *organization)
{
	json_object *holder = holder_of(token);
	*organization = is_organization(holder);
	return jstr(holder, "name");
}

const char *
registration_agency(json_object *token)
{
	return jstr(holder_of(token), "organization");
}

bool
registration_mismatch(json_object *token)
{
	return jbool(jobj(token, "registration"), "mismatch");
}

void
registration_fields(struct libscols_table *tb, json_object *token)
{
	json_object *reg = jobj(token, "registration");
	json_object *holder = holder_of(token);
	char buf[512], when[32];

	if (*jstr(reg, "device_state")) {
		snprintf(buf, sizeof(buf), _("%s since %s"), format_device_state(jstr(reg, "device_state")),
			 format_date(jstr(reg, "device_state_since"), true, when, sizeof(when)));
		fields_add(tb, _("Device"), buf);
	}
	if (!holder) {
		fields_add(tb, _("Registered to"), _("nobody (not registered)"));
		return;
	}
	snprintf(buf, sizeof(buf), is_organization(holder) ? _("%s (organization, ID %lld)")
							   : _("%s (person, ID %lld)"),
		 jstr(holder, "name"), (long long)jint(holder, "id"));
	fields_add(tb, _("Registered to"), buf);
	if (!is_organization(holder) && *jstr(holder, "organization"))
		fields_add(tb, _("Agency"), jstr(holder, "organization"));
	fields_add(tb, _("Registered on"),
		   format_date(jstr(reg, "registered_at"), true, when, sizeof(when)));
	if (jbool(reg, "mismatch")) {
		snprintf(buf, sizeof(buf),
			 _("MISMATCH: not the ones registered (if the change is right: khoa confirm %s)"),
			 jstr(token, "serial"));
		fields_add(tb, _("Certificates"), buf);
	} else {
		fields_add(tb, _("Certificates"), _("as registered"));
	}
}
