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
#include "pin-request-form.h"
#include "table.h"


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

	for (size_t i = 0; i < pin_form_n_fields; i++) {
		const struct form_field *f = &pin_form_fields[i];
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

	for (size_t i = 0; i < pin_form_n_fields; i++)
		fields_add(tb, _(pin_form_fields[i].label),
			   format_personal(form, pin_form_fields[i].field,
					   form_value(form, &pin_form_fields[i], day, sizeof(day))));
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

/* ----- new (the prompts: pin-request-form.h) ----- */

static int
run_new(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	json_object *params, *fields, *token = NULL, *answer = NULL;
	struct pin_form_holder h = { 0 };

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
		pin_form_known(cl, serial, &h);
		ask = pin_form_ask_missing(fields, h.known);
	}
	status = pin_form_file(cl, params, fields, ask, &answer);
	if (status != EXIT_OK)
		goto out;
	if (cl->json) {
		client_print_json(answer);
	} else {
		print_filed(cl, answer);
		if (ask)
			pin_form_offer_to_keep(cl, &h, fields, jobj(jobj(answer, "request"), "form"));
	}
out:
	json_object_put(answer);
	json_object_put(params);
	json_object_put(fields);
	json_object_put(token);
	pin_form_holder_clear(&h);
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
