/*
 * khoa pin-request: PIN-recovery requests (Mẫu 09, R-PIN-RECOVERY), from
 * the official who files one through the agency's confirmation, Sở TT&TT
 * and the CA, to the technician who resets the PIN with the SO PIN.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "pin-common.h"
#include "pin-input.h"
#include "table.h"
#include "unistring-lazy.h"
#include "validate.h"

/* How an answer to the prompts is checked as it is typed: by khoad's own
 * rules (validate.h), those of daemon/api/pin-request-form.c. */
enum answer_check {
	CHECK_DEVICE,	/* read from the token, never typed */
	CHECK_NAME,
	CHECK_TEXT,
	CHECK_SEX,
	CHECK_DATE,
	CHECK_ISSUED,	/* not before the birth date */
	CHECK_ID_NUMBER,	/* its year that of the birth date */
	CHECK_PHONE,
	CHECK_EMAIL,
};

/* The fields of Mẫu 09, in the form's order. OPTION: how khoa pin-request
 * new takes it (NULL: read from the token, never typed). KEPT: the person
 * record keeps it under the same name (io.khoa.People), so an answer may be
 * saved there. */
static const struct form_field {
	const char *field;
	const char *label;
	const char *option;
	bool date;
	enum answer_check check;
	bool kept;
} form_fields[] = {
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
#define N_FORM_FIELDS (sizeof(form_fields) / sizeof(*form_fields))

/* The fields of the form the registry does not know, as run_new hands
 * them on ("reason" to the request, the others to its form). */
static const struct param_option new_options[] = {
	{ "reason", "reason", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("why the PIN must be recovered"), OPTION_OPTIONAL },
	{ "name", "subscriber_name", OPTION_TEXT, NC_("metavar", "NAME"),
	  N_("the subscriber's name"), OPTION_OPTIONAL },
	{ "sex", "sex", OPTION_TEXT, "male|female",
	  N_("sex, as a code or as the forms write it (Nam, Nữ)"), OPTION_OPTIONAL },
	{ "birth-date", "birth_date", OPTION_TEXT, NC_("metavar", "DATE"),
	  N_("date of birth"), OPTION_OPTIONAL },
	{ "birth-place", "birth_place", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("place of birth"), OPTION_OPTIONAL },
	{ "id-number", "id_number", OPTION_TEXT, NC_("metavar", "NUMBER"),
	  N_("ID card or passport number"), OPTION_OPTIONAL },
	{ "id-issued-on", "id_issued_on", OPTION_TEXT, NC_("metavar", "DATE"),
	  N_("the day the ID was issued"), OPTION_OPTIONAL },
	{ "id-issued-by", "id_issued_by", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("who issued the ID"), OPTION_OPTIONAL },
	{ "agency", "agency", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("the agency the subscriber works for"), OPTION_OPTIONAL },
	{ "position", "position", OPTION_TEXT, NC_("metavar", "TEXT"), N_("job title"),
	  OPTION_OPTIONAL },
	{ "phone", "phone", OPTION_TEXT, NC_("metavar", "NUMBER"), N_("phone number"),
	  OPTION_OPTIONAL },
	{ "fax", "fax", OPTION_TEXT, NC_("metavar", "NUMBER"), N_("fax number"),
	  OPTION_OPTIONAL },
	{ "email", "email", OPTION_TEXT, NC_("metavar", "ADDRESS"), N_("e-mail address"),
	  OPTION_OPTIONAL },
	{ "manager-phone", "manager_phone", OPTION_TEXT, NC_("metavar", "NUMBER"),
	  N_("phone number of the device's manager"), OPTION_OPTIONAL },
	{ "no-input", "no_input", OPTION_FLAG, NULL,
	  N_("do not ask for the missing fields on the terminal"), OPTION_OPTIONAL },
	{ NULL }
};

/* A step's note: said when the step allows it, required to refuse. */
static const struct param_option note_options[] = {
	{ "note", "note", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("a note for the request's history; required to reject or cancel"), OPTION_OPTIONAL },
	{ NULL }
};
static const struct param_option note_required[] = {
	{ "note", "note", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("a note for the request's history; required to reject or cancel"), OPTION_REQUIRED },
	{ NULL }
};

static const struct param_option complete_options[] = {
	{ "pin-fd", "pin_fd", OPTION_ID, "N",
	  N_("for scripts: read the PINs from file descriptor N, one a line: the SO PIN, "
	     "then the new PIN"), OPTION_OPTIONAL },
	{ NULL }
};

static const struct param_option list_options[] = {
	{ "state", "state", OPTION_TEXT, NC_("metavar", "STATE"),
	  N_("only the requests in STATE: filed, confirmed, submitted, forwarded, completed, "
	     "rejected or cancelled"), OPTION_OPTIONAL },
	{ "year", "year", OPTION_ID, NC_("metavar", "YYYY"),
	  N_("only the requests filed in that year"), OPTION_OPTIONAL },
	{ NULL }
};

static const struct param_option count_options[] = {
	{ "year", "year", OPTION_ID, NC_("metavar", "YYYY"), N_("the year counted"),
	  OPTION_REQUIRED },
	{ NULL }
};

/* ----- showing a request ----- */

/* The form's value of F, dates as dd/mm/yyyy, the sex by its name; ""
 * when empty. */
static const char *
form_value(json_object *form, const struct form_field *f, char *buf, size_t size)
{
	const char *v = jstr(form, f->field);
	if (f->check == CHECK_SEX)
		return format_sex(v);
	return f->date && *v ? format_day(v, buf, size) : v;
}

/* "Missing: Sex, Place of birth" for the fields an official may still add. */
static void
print_missing(json_object *form)
{
	char line[1024] = "";
	size_t len = 0;

	for (size_t i = 0; i < N_FORM_FIELDS; i++) {
		const struct form_field *f = &form_fields[i];
		if (!f->option || *jstr(form, f->field) || format_withheld(form, f->field))
			continue;
		snprintf(line + len, sizeof(line) - len, "%s%s", len ? ", " : "", _(f->label));
		len = strlen(line);
	}
	if (len)
		/* TRANSLATORS: the fields of the form still empty, e.g. "Sex, Fax". */
		printf(_("Missing: %s\n"), line);
}

static void
print_form(json_object *form)
{
	struct libscols_table *tb = fields_new();
	char day[32];

	for (size_t i = 0; i < N_FORM_FIELDS; i++)
		fields_add(tb, _(form_fields[i].label),
			   format_personal(form, form_fields[i].field,
					   form_value(form, &form_fields[i], day, sizeof(day))));
	table_print(tb);
}

static void
print_header(json_object *req)
{
	struct libscols_table *tb = fields_new();
	char buf[256], when[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)jint(req, "id"));
	fields_add(tb, _("Request"), buf);
	fields_add(tb, _("State"), request_state_text(jstr(req, "state")));
	fields_add(tb, _("Token"), jstr(req, "token_serial"));
	fields_add(tb, _("Reason"), format_optional(jstr(req, "reason")));
	/* TRANSLATORS: when a request was filed, and by whom: "24/11/2026 20:28, root". */
	snprintf(buf, sizeof(buf), _("%s, by %s"),
		 format_date(jstr(req, "filed_at"), true, when, sizeof(when)), jstr(req, "filed_by"));
	fields_add(tb, _("Filed"), buf);
	table_print(tb);
}

/* What comes next for a request in STATE. */
static void
print_next(json_object *req)
{
	const char *state = jstr(req, "state");
	long long id = (long long)jint(req, "id");

	if (strcmp(state, "filed") == 0)
		printf(_("Next: the agency's records clerk confirms it: khoa pin-request confirm %lld\n"),
		       id);
	else if (strcmp(state, "confirmed") == 0)
		printf(_("Next: Sở TT&TT receives it: khoa pin-request submit %lld\n"), id);
	else if (strcmp(state, "submitted") == 0)
		printf(_("Next: Sở TT&TT forwards it to the CA: khoa pin-request forward %lld\n"), id);
	else if (strcmp(state, "forwarded") == 0)
		printf(_("Next: once the CA agrees, a technician resets the PIN: "
			 "khoa pin-request complete %lld\n"), id);
	else if (strcmp(state, "completed") == 0)
		printf(_("The PIN of token %s is reset. Its holder should change it at once: "
			 "khoa pin change %s\n"), jstr(req, "token_serial"), jstr(req, "token_serial"));
}

static void
print_request(json_object *req, bool history)
{
	print_header(req);
	printf("\n%s\n", _("Request to recover the PIN of a token (Mẫu 09):"));
	print_form(jobj(req, "form"));
	if (history) {
		putchar('\n');
		request_print_history(req);
	}
}

static void
print_filed(struct client *cl, json_object *answer)
{
	json_object *req = jobj(answer, "request");
	printf(_("PIN-recovery request %lld is filed for token %s.\n"),
	       (long long)jint(req, "id"), jstr(req, "token_serial"));
	/* the token on no desk: its certificate from the registry's record */
	format_print_reading(answer);
	putchar('\n');
	print_request(req, false);
	putchar('\n');
	print_missing(jobj(req, "form"));
	print_next(req);
}

static void
print_shown(struct client *cl, json_object *answer)
{
	json_object *req = jobj(answer, "request");
	print_request(req, true);
	json_object *form = jobj(req, "form");
	putchar('\n');
	print_missing(form);
	print_next(req);
}

static void
print_moved(struct client *cl, json_object *answer)
{
	json_object *req = jobj(answer, "request");
	printf(_("PIN-recovery request %lld is now %s.\n"), (long long)jint(req, "id"),
	       request_state_text(jstr(req, "state")));
	print_next(req);
}

static void
print_list(struct client *cl, json_object *answer)
{
	json_object *requests = jarr(answer, "requests");
	const char *titles[] = {
		_("ID"), _("STATE"), _("TOKEN"), _("SUBSCRIBER"), _("FILED"), _("BY"), _("REASON"), NULL
	};
	size_t n = requests ? json_object_array_length(requests) : 0;
	char id[32], when[32];

	if (n == 0) {
		printf("%s\n", _("No PIN-recovery request."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	table_column(tb, 1, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 4, TABLE_WHOLE, TABLE_USEFUL);
	table_column(tb, 5, TABLE_WRAP, TABLE_USEFUL + 1);
	table_column(tb, 6, TABLE_WRAP, TABLE_ALWAYS);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(requests, i);
		struct libscols_line *row = table_row(tb);
		snprintf(id, sizeof(id), "%lld", (long long)jint(r, "id"));
		table_cell(row, 0, id);
		table_cell(row, 1, request_state_text(jstr(r, "state")));
		table_cell(row, 2, jstr(r, "token_serial"));
		table_cell(row, 3, jstr(jobj(r, "form"), "subscriber_name"));
		table_cell(row, 4, format_date(jstr(r, "filed_at"), false, when, sizeof(when)));
		table_cell(row, 5, jstr(r, "filed_by"));
		table_cell(row, 6, jstr(r, "reason"));
	}
	table_print(tb);
}

/* ----- new ----- */

/* What the registry will give the form, as far as the client can tell (to
 * ask only for the rest), and whose record it is. */
struct holder_record {
	json_object *known;	/* form fields the registry fills ("?": withheld) */
	json_object *answer;	/* People.Get's, for a person holder (else NULL) */
	int64_t person;		/* the holder, when a person */
	bool may_update;	/* the caller may keep answers in their record */
};

static void
holder_record_clear(struct holder_record *h)
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

static void
known_fields(struct client *cl, const char *serial, struct holder_record *h)
{
	json_object *params = param_new(), *answer, *rec;

	*h = (struct holder_record){ .known = param_new() };
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
	for (size_t i = 0; person && i < N_FORM_FIELDS; i++)
		if (form_fields[i].kept)
			know(h->known, rec, form_fields[i].field, form_fields[i].field);
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
	for (size_t i = 0; name && i < N_FORM_FIELDS; i++)
		if (strcmp(form_fields[i].field, name) == 0)
			return &form_fields[i];
	return NULL;
}

/* On a terminal: asks for each field of the form that neither the command
 * line nor the registry gives, Enter to skip; false when the input ended. */
static bool
ask_missing(json_object *fields, json_object *known)
{
	bool told = false, going = true;

	for (size_t i = 0; going && i < N_FORM_FIELDS; i++) {
		const struct form_field *f = &form_fields[i];
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

/* Files the request: PARAMS with FIELDS. On a terminal (ASK), a field
 * khoad refuses is asked again, it alone, and the request filed again with
 * the others as they were. The exit status, *ANSWER on success. */
static int
file_request(struct client *cl, json_object *params, json_object *fields, bool ask,
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

/* After filing on a terminal: the answers the person record lacks (the
 * form's values, as khoad checked them), offered to be kept there, when
 * the caller may change the record. */
static void
offer_to_keep(struct client *cl, const struct holder_record *h, json_object *fields,
	      json_object *form)
{
	json_object *update = param_new();
	char names[512] = "";
	size_t len = 0, n = 0;

	for (size_t i = 0; i < N_FORM_FIELDS; i++) {
		const struct form_field *f = &form_fields[i];
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

static int
run_new(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	json_object *params, *fields, *token = NULL, *answer = NULL;
	struct holder_record h = { 0 };

	int status = pin_token(cl, prog, argc > 0 ? argv[0] : NULL, &token);
	if (status != EXIT_OK) {
		json_object_put(opts);
		return status;
	}
	const char *serial = jstr(token, "serial");
	bool no_input = jbool(opts, "no_input");
	bool ask = !no_input && !cl->json && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

	params = param_new();
	fields = param_new();
	param_str(params, "serial", serial);
	json_object_object_foreach(opts, key, val) {
		if (strcmp(key, "no_input") == 0)
			continue;
		json_object *dest = strcmp(key, "reason") == 0 ? params : fields;
		if (json_object_object_add(dest, key, json_object_get(val)) < 0)
			die_oom();
	}
	json_object_put(opts);
	/* the input ended (Ctrl-D): filed with what is given, nothing more asked */
	if (ask) {
		known_fields(cl, serial, &h);
		ask = ask_missing(fields, h.known);
	}
	status = file_request(cl, params, fields, ask, &answer);
	if (status != EXIT_OK)
		goto out;
	if (cl->json) {
		client_print_json(answer);
	} else {
		print_filed(cl, answer);
		if (ask)
			offer_to_keep(cl, &h, fields, jobj(jobj(answer, "request"), "form"));
	}
out:
	json_object_put(answer);
	json_object_put(params);
	json_object_put(fields);
	json_object_put(token);
	holder_record_clear(&h);
	return status;
}

/* ----- steps ----- */

/* A step of request ARGV[0] (ID [--note TEXT]) by METHOD. */
static int
run_step(struct client *cl, const char *prog, json_object *params, char **argv,
	 const char *method)
{
	const struct id_call step = { method, print_moved };
	return options_run_id(cl, prog, params, argv[0], &step);
}

static int
run_confirm(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run_step(cl, prog, params, argv, "io.khoa.PinRequests.Confirm");
}

static int
run_submit(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run_step(cl, prog, params, argv, "io.khoa.PinRequests.Submit");
}

static int
run_forward(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run_step(cl, prog, params, argv, "io.khoa.PinRequests.Forward");
}

static int
run_reject(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run_step(cl, prog, params, argv, "io.khoa.PinRequests.Reject");
}

static int
run_cancel(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run_step(cl, prog, params, argv, "io.khoa.PinRequests.Cancel");
}

/* ----- complete: the PIN reset on the token ----- */

/* The request ID, if it can be completed now: new references in *req and
 * *token (its token's PIN state), else the exit status having said why. */
static int
completable(struct client *cl, const char *prog, int64_t id, json_object **req,
	    json_object **token)
{
	json_object *params = param_new(), *answer;
	param_int(params, "id", id);
	int r = client_call(cl, "io.khoa.PinRequests.Get", params, &answer);
	if (r != EXIT_OK)
		return r;
	json_object *q = jobj(answer, "request");
	const char *state = jstr(q, "state");
	if (strcmp(state, "forwarded") != 0) {
		fprintf(stderr, _("%s: PIN-recovery request %lld is %s: a PIN is reset only once the "
				  "request is forwarded to the CA\n"), prog, (long long)id,
			request_state_text(state));
		json_object_put(answer);
		return EXIT_ERROR_REPLY;
	}
	/* The token must be here; refused now rather than after the PINs. */
	r = pin_token(cl, prog, jstr(q, "token_serial"), token);
	if (r != EXIT_OK) {
		json_object_put(answer);
		return r;
	}
	*req = json_object_get(q);
	json_object_put(answer);
	return EXIT_OK;
}

static int
run_complete(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	json_object *req = NULL, *token = NULL, *answer;
	struct pins *pins = NULL;
	const char *so_pin, *new_pin;
	char id_text[32];
	int fd, status;
	int64_t id;

	if (argc > 1) {
		json_object_put(opts);
		return pin_extra_arguments(&cmd_pin_request, prog);
	}
	bool ok = options_id(prog, argv[0], &id) && pin_fd_option(prog, opts, &fd);
	json_object_put(opts);
	if (!ok)
		return EXIT_USAGE;

	if ((status = completable(cl, prog, id, &req, &token)) != EXIT_OK)
		return status;
	const char *serial = jstr(req, "token_serial");
	status = EXIT_ERROR_REPLY;
	if (!(pins = pins_new(fd))) {
		fprintf(stderr, "khoa: %s\n", _("out of memory"));
		goto out;
	}
	if (fd < 0)
		fprintf(stderr, _("Resetting the PIN of token %s (request %lld) with its SO PIN.\n"),
			serial, (long long)id);
	int r = pins_read(pins, _("SO PIN: "), &so_pin);
	if (r == 0)
		r = pins_read_new(pins, _("New user PIN: "), _("New user PIN again: "), &new_pin);
	if (r < 0) {
		pins_read_failed(prog, r);
		goto out;
	}
	if (!pins_ascii(so_pin)) {
		fprintf(stderr, _("%s: a PIN has letters, digits and ASCII signs only (is a "
				  "Vietnamese input method on?)\n"), prog);
		goto out;
	}
	if (!pin_acceptable(prog, new_pin, token))
		goto out;
	snprintf(id_text, sizeof(id_text), "%lld", (long long)id);
	const struct pin_param params[] = {
		{ "id", NULL, id_text },
		{ "so_pin", so_pin, NULL },
		{ "new_pin", new_pin, NULL },
		{ NULL, NULL, NULL }
	};
	status = pins_call(cl, pins, "io.khoa.PinRequests.Complete", params, &answer);
	if (status != EXIT_OK)
		goto out;
	if (cl->json)
		client_print_json(answer);
	else
		print_moved(cl, answer);
	json_object_put(answer);
out:
	pins_free(pins);
	json_object_put(req);
	json_object_put(token);
	return status;
}

/* ----- reading ----- */

static int
run_list(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return client_show_pages(cl, "io.khoa.PinRequests.List", params, "requests", print_list);
}

static int
run_show(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	static const struct id_call show = { "io.khoa.PinRequests.Get", print_shown };
	return options_run_id(cl, prog, params, argv[0], &show);
}

static int
run_count(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	json_object *answer;
	int year = (int)jint(params, "year");
	int status = client_call(cl, "io.khoa.PinRequests.Count", params, &answer);
	if (status != EXIT_OK)
		return status;
	if (cl->json)
		client_print_json(answer);
	else
		/* TRANSLATORS: Mẫu 07 (the annual report), row 7. */
		printf(_("PIN-recovery requests filed in %d: %lld\n"), year,
		       (long long)jint(answer, "count"));
	json_object_put(answer);
	return EXIT_OK;
}

/* complete takes more arguments than it needs, to say why a PIN is not one. */
static const struct subcommand pin_request_subcommands[] = {
	{ "new", N_("file a request for a token present; khoad fills the form from the token "
		    "and the registry"),
	  { NC_("metavar", "[SERIAL]"), 0, 1, new_options, run_new } },
	{ "confirm", N_("the agency confirms it (clerk)"),
	  { NC_("metavar", "ID"), 1, 1, note_options, run_confirm } },
	{ "submit", N_("Sở TT&TT receives it (technician)"),
	  { NC_("metavar", "ID"), 1, 1, note_options, run_submit } },
	{ "forward", N_("Sở TT&TT sends it to the CA (admin)"),
	  { NC_("metavar", "ID"), 1, 1, note_options, run_forward } },
	{ "reject", N_("refuse it, saying why (technician)"),
	  { NC_("metavar", "ID"), 1, 1, note_required, run_reject } },
	{ "cancel", N_("withdraw it (who filed it, clerk)"),
	  { NC_("metavar", "ID"), 1, 1, note_required, run_cancel } },
	{ "complete", N_("reset the PIN with the SO PIN (technician)"),
	  { NC_("metavar", "ID"), 1, INT_MAX, complete_options, run_complete } },
	{ "list", N_("the requests, newest first"),
	  { NULL, 0, 0, list_options, run_list } },
	{ "show", N_("a request: its form and its history"),
	  { NC_("metavar", "ID"), 1, 1, NULL, run_show } },
	{ "count", N_("how many were filed in a year (Mẫu 07)"),
	  { NULL, 0, 0, count_options, run_count } },
	{ NULL }
};

const struct command cmd_pin_request = {
	.name = "pin-request",
	.help = N_("file and follow requests to recover a locked PIN (Mẫu 09)"),
	.about = N_("A forgotten or locked PIN is recovered through a written request (Mẫu 09)\n"
		    "that goes from the official to the agency, Sở TT&TT and the CA; then a\n"
		    "technician resets the PIN on the token.\n"),
	.notes = N_("The options of new are the fields of the form the registry does not know\n"
		    "(dates as dd/mm/yyyy); khoa asks for those still missing on a terminal,\n"
		    "again for the one alone whose answer breaks a rule, and then offers to\n"
		    "keep the answers in the person's record when you may change it.\n"
		    "complete asks the SO PIN, then the new user PIN twice, without echo; with\n"
		    "--pin-fd N it reads them from file descriptor N, one a line: the SO PIN,\n"
		    "then the new PIN. A PIN is never given on the command line.\n"),
	.subs = pin_request_subcommands,
};
