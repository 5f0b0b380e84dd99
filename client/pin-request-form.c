/* Mẫu 09's fields on the terminal (pin-request-form.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "pin-request-form.h"
#include "table.h"
#include "unistring-lazy.h"
#include "validate.h"

/* The fields of Mẫu 09, in the form's order (struct form_field). */
const struct form_field pin_form_fields[] = {
	/* TRANSLATORS: the fields of Mẫu 09, the request to recover a token's PIN. */
	{ "subscriber_name", N_("Subscriber name"), "name", false, CHECK_NAME, false },
	{ "sex", N_("Sex"), "sex", false, CHECK_SEX, true },
	{ "birth_date", N_("Date of birth"), "birth-date", true, CHECK_DATE, true },
	{ "birth_place", N_("Place of birth"), "birth-place", false, CHECK_TEXT, true },
	{ "id_number", N_("ID card or passport number"), "id-number", false, CHECK_ID_NUMBER,
	  false },
	{ "id_issued_on", N_("ID issued on"), "id-issued-on", true, CHECK_ISSUED, true },
	{ "id_issued_by", N_("ID issued by"), "id-issued-by", false, CHECK_TEXT, true },
	{ "agency", N_("Agency"), "agency", false, CHECK_TEXT, false },
	{ "position", N_("Position"), "position", false, CHECK_TEXT, true },
	{ "phone", N_("Phone"), "phone", false, CHECK_PHONE, true },
	{ "fax", N_("Fax"), "fax", false, CHECK_PHONE, true },
	{ "email", N_("E-mail"), "email", false, CHECK_EMAIL, true },
	{ "token_serial", N_("Token serial number"), NULL, false, CHECK_DEVICE, false },
	{ "certificate_subject", N_("Certificate name (Subject)"), NULL, false, CHECK_DEVICE,
	  false },
	{ "certificate_serial", N_("Certificate serial number"), NULL, false, CHECK_DEVICE,
	  false },
	{ "certificate_not_before", N_("Certificate valid from"), NULL, true, CHECK_DEVICE,
	  false },
	{ "certificate_not_after", N_("Certificate valid to"), NULL, true, CHECK_DEVICE, false },
	{ "manager_phone", N_("Phone of the device's manager"), "manager-phone", false,
	  CHECK_PHONE, false },
};
const size_t pin_form_n_fields = sizeof(pin_form_fields) / sizeof(*pin_form_fields);

void
pin_form_holder_clear(struct pin_form_holder *h)
{
	json_object_put(h->known);
	json_object_put(h->answer);
}

/* KNOWN[TO] = REC[FROM] when the registry has it; "?" when it is withheld
 * (the registry knows it, or not: not this caller's to type). */
static void
know(json_object *known, json_object *rec, const char *from, const char *to)
{
	if (*jstr(rec, from))
		param_str(known, to, jstr(rec, from));
	else if (format_withheld(rec, from))
		param_str(known, to, "?");
}

void
pin_form_known(struct client *cl, const char *serial, struct pin_form_holder *h)
{
	json_object *params = param_new(), *answer, *rec;

	*h = (struct pin_form_holder){ .known = param_new() };
	param_str(params, "serial", serial);
	answer = client_lookup(cl, "io.khoa.Tokens.Get", params);
	json_object *token = jobj(answer, "token");
	json_object *reg = jobj(token, "registration");
	json_object *holder = strcmp(jstr(reg, "status"), "registered") == 0 ? jobj(reg, "holder")
									     : NULL;
	json_object *certs = jarr(token, "certificates");
	if (!holder) {
		if (certs && json_object_array_length(certs) > 0)
			param_str(h->known, "subscriber_name", "?");
		json_object_put(answer);
		return;
	}
	bool person = strcmp(jstr(holder, "kind"), "person") == 0;
	params = param_new();
	param_int(params, "id", jint(holder, "id"));
	if (person)
		h->person = jint(holder, "id");
	json_object_put(answer);
	answer = client_lookup(cl, person ? "io.khoa.People.Get" : "io.khoa.Organizations.Get",
			       params);
	rec = jobj(answer, person ? "person" : "organization");
	static const char *const org_fields[][2] = {
		{ "name", "subscriber_name" }, { "name", "agency" }, { "email", "email" },
	};
	static const char *const person_fields[][2] = {
		{ "full_name", "subscriber_name" }, { "organization_name", "agency" },
		{ "id_number", "id_number" },
	};
	const char *const (*map)[2] = person ? person_fields : org_fields;
	size_t n = person ? sizeof(person_fields) / sizeof(*person_fields)
			  : sizeof(org_fields) / sizeof(*org_fields);
	for (size_t i = 0; i < n; i++)
		know(h->known, rec, map[i][0], map[i][1]);
	/* and what the person record keeps by the form's own names */
	for (size_t i = 0; person && i < pin_form_n_fields; i++)
		if (pin_form_fields[i].kept)
			know(h->known, rec, pin_form_fields[i].field, pin_form_fields[i].field);
	if (person) {
		h->may_update = jbool(answer, "may_update");
		h->answer = answer;
	} else {
		json_object_put(answer);
	}
}

/* The date of birth typed for the form, or NULL. */
static const char *
birth_date_of(json_object *fields)
{
	const char *typed = jstr(fields, "birth_date");
	return *typed ? typed : NULL;
}

/* LINE, the answer for F, by the rule khoad applies to it: 0 with *OUT (its
 * normalized value, malloc'd), -EINVAL with *RULE, or -ENOMEM. The rules
 * of one field, and between the answers typed; an answer against what the
 * registry holds (a birth date the CCCD's year contradicts) is khoad's to
 * refuse when the request is filed: it may hold what this caller is not
 * shown. */
static int
check_answer(const struct form_field *f, const char *line, json_object *fields, char **out,
	     const char **rule)
{
	/* without the library the rules need, khoad's check alone */
	if (!unistring_lazy_load()) {
		*rule = NULL;
		return (*out = *line ? strdup(line) : NULL) || !*line ? 0 : -ENOMEM;
	}
	switch (f->check) {
	case CHECK_NAME:
		return validate_name(line, out, rule);
	case CHECK_SEX:
		return validate_sex(line, out, rule);
	case CHECK_DATE:
		return validate_birth_date(line, out, rule);
	case CHECK_ISSUED:
		return validate_id_issued_on(line, birth_date_of(fields), out, rule);
	case CHECK_ID_NUMBER:
		return validate_id_number(line, birth_date_of(fields), out, rule);
	case CHECK_PHONE:
		return validate_phone(line, out, rule);
	case CHECK_EMAIL:
		return validate_email(line, out, rule);
	case CHECK_TEXT:
	default:
		return validate_text(line, out, rule);
	}
}

/* Says why the answer for FIELD is refused, as khoad's InvalidField is said. */
static void
say_refused(const char *field, const char *rule)
{
	json_object *p = param_new();
	param_str(p, "field", field);
	param_str(p, "rule", rule);
	client_print_error("io.khoa.InvalidField", p);
	json_object_put(p);
}

/* Asks F on the terminal until the answer keeps the rule (re-asking only
 * F), then puts it in FIELDS (an empty answer leaves F out): true, or false
 * when the input ended. */
static bool
ask_field(const struct form_field *f, json_object *fields)
{
	char *line = NULL, *out;
	const char *rule;
	size_t size = 0;
	bool answered = false;

	json_object_object_del(fields, f->field);
	for (;;) {
		if (f->date)
			/* TRANSLATORS: a prompt for a date on the form. */
			printf(_("%s (dd/mm/yyyy): "), _(f->label));
		else if (f->check == CHECK_SEX)
			/* TRANSLATORS: the prompt for the sex (the codes male and
			 * female are taken too, and Nam, Nữ). */
			printf(_("%s (male or female): "), _(f->label));
		else
			printf(_("%s: "), _(f->label));
		fflush(stdout);
		ssize_t n = getline(&line, &size, stdin);
		if (n < 0) {
			putchar('\n');
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		int r = check_answer(f, line, fields, &out, &rule);
		if (r == -ENOMEM)
			die_oom();
		if (r < 0) {
			say_refused(f->field, rule);
			continue;
		}
		if (out)
			param_str(fields, f->field, out);
		free(out);
		answered = true;
		break;
	}
	free(line);
	return answered;
}

static const struct form_field *
form_field_of(const char *name)
{
	for (size_t i = 0; name && i < pin_form_n_fields; i++)
		if (strcmp(pin_form_fields[i].field, name) == 0)
			return &pin_form_fields[i];
	return NULL;
}

bool
pin_form_ask_missing(json_object *fields, json_object *known)
{
	bool told = false, going = true;

	for (size_t i = 0; going && i < pin_form_n_fields; i++) {
		const struct form_field *f = &pin_form_fields[i];
		if (!f->option || json_object_object_get_ex(fields, f->field, NULL) ||
		    json_object_object_get_ex(known, f->field, NULL))
			continue;
		if (!told)
			printf("%s\n", _("The form (Mẫu 09) still lacks these fields; type each, or "
					 "press Enter to leave it empty."));
		told = true;
		going = ask_field(f, fields);
	}
	if (told && going)
		putchar('\n');
	return going;
}

int
pin_form_file(struct client *cl, json_object *params, json_object *fields, bool ask,
	      json_object **answer)
{
	for (;;) {
		json_object *call = NULL;
		char *bad = NULL;
		if (json_object_deep_copy(params, &call, NULL) < 0 ||
		    (json_object_object_length(fields) > 0 &&
		     json_object_object_add(call, "fields", json_object_get(fields)) < 0))
			die_oom();
		int status = client_call_field(cl, "io.khoa.PinRequests.New", call, answer, &bad);
		const struct form_field *f = form_field_of(bad);
		bool given = bad && json_object_object_get_ex(fields, bad, NULL);
		free(bad);
		if (status == EXIT_OK || !ask || !f || !f->option)
			return status;
		/* asked again; left empty when it was not given is no answer */
		if (!ask_field(f, fields) ||
		    (!given && !json_object_object_get_ex(fields, f->field, NULL)))
			return status;
	}
}

void
pin_form_offer_to_keep(struct client *cl, const struct pin_form_holder *h, json_object *fields,
		       json_object *form)
{
	json_object *update = param_new();
	char names[512] = "";
	size_t len = 0, n = 0;

	for (size_t i = 0; i < pin_form_n_fields; i++) {
		const struct form_field *f = &pin_form_fields[i];
		if (!f->kept || !json_object_object_get_ex(fields, f->field, NULL) ||
		    json_object_object_get_ex(h->known, f->field, NULL) || !*jstr(form, f->field))
			continue;
		param_str(update, f->field, jstr(form, f->field));
		snprintf(names + len, sizeof(names) - len, "%s%s", n++ ? ", " : "", _(f->label));
		len = strlen(names);
	}
	if (n == 0 || !h->may_update || !h->person) {
		json_object_put(update);
		return;
	}
	const char *name = jstr(jobj(h->answer, "person"), "full_name");
	putchar('\n');
	/* TRANSLATORS: the answers typed for Mẫu 09 (a list of field names),
	 * offered to the record of the person; y or n. */
	printf(_("Keep these answers in the registry's record of %s, for the next forms "
		 "(%s)? [y/N] "), name, names);
	fflush(stdout);
	char *line = NULL;
	size_t size = 0;
	ssize_t got = getline(&line, &size, stdin);
	while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
		line[--got] = '\0';
	/* TRANSLATORS: the answers taken as yes to a [y/N] question: y, yes
	 * and these two. */
	bool yes = got > 0 && (strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0 ||
			       strcasecmp(line, _("y")) == 0 || strcasecmp(line, _("yes")) == 0);
	free(line);
	if (got < 0)
		putchar('\n');
	if (!yes) {
		json_object_put(update);
		return;
	}
	json_object *answer;
	param_int(update, "id", h->person);
	if (client_call(cl, "io.khoa.People.Update", update, &answer) == EXIT_OK)
		printf(_("Kept in the record of %s.\n"), name);
	json_object_put(answer);
}
