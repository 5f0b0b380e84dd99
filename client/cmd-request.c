/*
 * khoa request: certificate lifecycle requests (a new certificate, a
 * renewal, a revocation, a re-issue; Mẫu 01–06), from filing at the agency
 * through Sở TT&TT to the CA. khoad checks the regulation's rules when one
 * is filed; a refusal names the rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "pin-common.h"
#include "table.h"
#include "words.h"

static const struct param_option new_options[] = {
	{ "person", "person_id", OPTION_ID, NC_("metavar", "ID"),
	  N_("for this person of the registry"), OPTION_OPTIONAL },
	{ "org", "organization_id", OPTION_ID, NC_("metavar", "ID"),
	  N_("for this organization of the registry"), OPTION_OPTIONAL },
	{ "reason", "reason", OPTION_TEXT, NC_("metavar", "REASON"),
	  N_("why (revoke, reissue): a reason's code or its name, listed below"),
	  OPTION_OPTIONAL },
	{ "years", "requested_years", OPTION_ID, "N",
	  N_("the validity asked for, in years (new, renew)"), OPTION_OPTIONAL },
	{ "certificate", "certificate_serial", OPTION_TEXT, NC_("metavar", "SERIAL"),
	  N_("which certificate on the token; alone, the certificate as a device showed it "
	     "(a token lost or handed back)"), OPTION_OPTIONAL },
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

static const struct param_option list_options[] = {
	{ "kind", "kind", OPTION_TEXT, NC_("metavar", "KIND"),
	  N_("only the requests of KIND: new, renew, revoke or reissue"), OPTION_OPTIONAL },
	{ "state", "state", OPTION_TEXT, NC_("metavar", "STATE"),
	  N_("only the requests in STATE: filed, confirmed, submitted, forwarded, done, "
	     "rejected or cancelled"), OPTION_OPTIONAL },
	{ "year", "year", OPTION_ID, NC_("metavar", "YYYY"),
	  N_("only the requests filed in that year"), OPTION_OPTIONAL },
	{ NULL }
};

static const struct param_option count_options[] = {
	{ "year", "year", OPTION_ID, NC_("metavar", "YYYY"), N_("the year counted"),
	  OPTION_REQUIRED },
	{ "kind", "kind", OPTION_TEXT, NC_("metavar", "KIND"),
	  N_("only the requests of KIND: new, renew, revoke or reissue"), OPTION_OPTIONAL },
	{ NULL }
};

/* ----- showing a request ----- */

static void
print_header(json_object *req)
{
	struct libscols_table *tb = fields_new();
	char buf[256], when[32], day[32];
	const char *v;

	snprintf(buf, sizeof(buf), "%lld", (long long)jint(req, "id"));
	fields_add(tb, _("Request"), buf);
	fields_add(tb, _("Kind"), code_text(jstr(req, "kind")));
	fields_add(tb, _("State"), request_state_text(jstr(req, "state")));
	/* TRANSLATORS: the holder a request is for: "Nguyễn Thị Hường (person 1)". */
	snprintf(buf, sizeof(buf), _("%s (%s %lld)"), jstr(req, "subject_name"),
		 code_text(jstr(req, "subject_kind")),
		 (long long)jint(req, strcmp(jstr(req, "subject_kind"), "person") == 0
					      ? "person_id" : "organization_id"));
	fields_add(tb, _("For"), buf);
	fields_add(tb, _("Token"), format_optional(jstr(req, "token_serial")));
	fields_add(tb, _("Certificate"), format_optional(jstr(req, "certificate_serial")));
	v = jstr(req, "certificate_not_after");
	fields_add(tb, _("Certificate valid to"),
		   format_optional(*v ? format_day(v, day, sizeof(day)) : v));
	fields_add(tb, _("Reason"), format_optional(reason_text(jstr(req, "reason"))));
	if (json_object_object_get_ex(req, "requested_years", NULL)) {
		int years = (int)jint(req, "requested_years");
		/* TRANSLATORS: the validity asked for. */
		snprintf(buf, sizeof(buf), ngettext("%d year", "%d years", (unsigned long)years),
			 years);
		fields_add(tb, _("Validity asked"), buf);
	}
	snprintf(buf, sizeof(buf), _("%s, by %s"),
		 format_date(jstr(req, "filed_at"), true, when, sizeof(when)), jstr(req, "filed_by"));
	fields_add(tb, _("Filed"), buf);
	/* What the devices and the CA did with it. */
	if (*jstr(req, "new_certificate_serial"))
		fields_add(tb, _("New certificate"), jstr(req, "new_certificate_serial"));
	if (*jstr(req, "revoked_at"))
		fields_add(tb, _("Revoked"), format_date(jstr(req, "revoked_at"), true, when,
							 sizeof(when)));
	if (strcmp(jstr(req, "token_return"), "returned") == 0) {
		/* TRANSLATORS: the revoked token came back on handover minutes N. */
		snprintf(buf, sizeof(buf), _("returned (handover %lld)"),
			 (long long)jint(req, "return_handover_id"));
		fields_add(tb, _("Token return"), buf);
	} else if (strcmp(jstr(req, "token_return"), "awaited") == 0) {
		fields_add(tb, _("Token return"), _("to be returned: draft a handover with reason "
					     "revocation-return"));
	}
	table_print(tb);
}

/* What comes next for a request in its state. */
static void
print_next(json_object *req)
{
	const char *state = jstr(req, "state");
	long long id = (long long)jint(req, "id");

	if (strcmp(state, "filed") == 0)
		printf(_("Next: the agency's records clerk confirms it: khoa request confirm %lld\n"),
		       id);
	else if (strcmp(state, "confirmed") == 0)
		printf(_("Next: Sở TT&TT receives it: khoa request submit %lld\n"), id);
	else if (strcmp(state, "submitted") == 0)
		printf(_("Next: Sở TT&TT forwards it to the CA: khoa request forward %lld\n"), id);
	else if (strcmp(state, "forwarded") == 0)
		printf(_("Next: once the CA has carried it out, a technician records it: "
			 "khoa request done %lld\n"), id);
}

static void
print_filed(struct client *cl, json_object *answer)
{
	json_object *req = jobj(answer, "request");
	/* TRANSLATORS: "Request 2 (renewal) is filed for Nguyễn Thị Hường." */
	printf(_("Request %lld (%s) is filed for %s.\n"), (long long)jint(req, "id"),
	       code_text(jstr(req, "kind")), jstr(req, "subject_name"));
	/* the token on no desk: its certificate from the registry's record */
	format_print_reading(answer);
	putchar('\n');
	print_header(req);
	putchar('\n');
	print_next(req);
}

static void
print_shown(struct client *cl, json_object *answer)
{
	json_object *req = jobj(answer, "request");
	print_header(req);
	putchar('\n');
	request_print_history(req);
	putchar('\n');
	print_next(req);
}

static void
print_moved(struct client *cl, json_object *answer)
{
	json_object *req = jobj(answer, "request");
	/* TRANSLATORS: "Request 2 (renewal) is now confirmed." */
	printf(_("Request %lld (%s) is now %s.\n"), (long long)jint(req, "id"),
	       code_text(jstr(req, "kind")), request_state_text(jstr(req, "state")));
	print_next(req);
}

static void
print_list(struct client *cl, json_object *answer)
{
	json_object *requests = jarr(answer, "requests");
	const char *titles[] = {
		_("ID"), _("KIND"), _("STATE"), _("FOR"), _("TOKEN"), _("FILED"), _("BY"), NULL
	};
	size_t n = requests ? json_object_array_length(requests) : 0;
	char id[32], when[32];

	if (n == 0) {
		printf("%s\n", _("No certificate request."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	table_column(tb, 1, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 2, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 5, TABLE_WHOLE, TABLE_USEFUL);
	table_column(tb, 6, TABLE_WRAP, TABLE_USEFUL + 1);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(requests, i);
		struct libscols_line *row = table_row(tb);
		snprintf(id, sizeof(id), "%lld", (long long)jint(r, "id"));
		table_cell(row, 0, id);
		table_cell(row, 1, code_text(jstr(r, "kind")));
		table_cell(row, 2, request_state_text(jstr(r, "state")));
		table_cell(row, 3, jstr(r, "subject_name"));
		table_cell(row, 4, jstr(r, "token_serial"));
		table_cell(row, 5, format_date(jstr(r, "filed_at"), false, when, sizeof(when)));
		table_cell(row, 6, jstr(r, "filed_by"));
	}
	table_print(tb);
}

/* ----- commands ----- */

static bool
known_kind(const char *prog, const char *kind)
{
	static const char *const kinds[] = { "new", "renew", "revoke", "reissue" };
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (strcmp(kinds[i], kind) == 0)
			return true;
	/* TRANSLATORS: keep new, renew, revoke and reissue as they are. */
	fprintf(stderr, _("%s: unknown kind '%s': new, renew, revoke or reissue\n"), prog, kind);
	return false;
}

static int
run_new(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	if (!known_kind(prog, argv[0])) {
		json_object_put(params);
		return EXIT_USAGE;
	}
	param_str(params, "kind", argv[0]);
	if (argc > 1)
		param_str(params, "serial", argv[1]);
	/* a reason by its code or its name ("het han" is "expired") */
	const char *reason = jstr(params, "reason");
	if (*reason) {
		const char *code = reason_code(reason);
		if (!code) {
			fprintf(stderr, _("%s: '%s' is not a reason; one of:\n"), prog, reason);
			reasons_list(stderr);
			json_object_put(params);
			return EXIT_USAGE;
		}
		param_str(params, "reason", code);
	}
	return client_show(cl, "io.khoa.Requests.New", params, print_filed);
}

static void
request_lists(FILE *out)
{
	fprintf(out, "%s\n", _("Reasons (--reason) of a revocation or a re-issue:"));
	reasons_list(out);
}

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
	return run_step(cl, prog, params, argv, "io.khoa.Requests.Confirm");
}

static int
run_submit(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run_step(cl, prog, params, argv, "io.khoa.Requests.Submit");
}

static int
run_forward(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run_step(cl, prog, params, argv, "io.khoa.Requests.Forward");
}

static int
run_done(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run_step(cl, prog, params, argv, "io.khoa.Requests.Done");
}

static int
run_reject(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run_step(cl, prog, params, argv, "io.khoa.Requests.Reject");
}

static int
run_cancel(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run_step(cl, prog, params, argv, "io.khoa.Requests.Cancel");
}

static int
run_list(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	if (json_object_object_get_ex(params, "kind", NULL) &&
	    !known_kind(prog, jstr(params, "kind"))) {
		json_object_put(params);
		return EXIT_USAGE;
	}
	return client_show_pages(cl, "io.khoa.Requests.List", params, "requests", print_list);
}

static int
run_show(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	static const struct id_call show = { "io.khoa.Requests.Get", print_shown };
	return options_run_id(cl, prog, params, argv[0], &show);
}

static int
run_count(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	json_object *answer;

	if (json_object_object_get_ex(params, "kind", NULL) &&
	    !known_kind(prog, jstr(params, "kind"))) {
		json_object_put(params);
		return EXIT_USAGE;
	}
	int year = (int)jint(params, "year");
	char kind[64] = "";
	if (json_object_object_get_ex(params, "kind", NULL))
		snprintf(kind, sizeof(kind), "%s", jstr(params, "kind"));
	int status = client_call(cl, "io.khoa.Requests.Count", params, &answer);
	if (status != EXIT_OK)
		return status;
	if (cl->json)
		client_print_json(answer);
	else if (*kind)
		/* TRANSLATORS: Mẫu 07 (the annual report): a kind, a year, a number. */
		printf(_("Requests for a %s filed in %d: %lld\n"), code_text(kind), year,
		       (long long)jint(answer, "count"));
	else
		/* TRANSLATORS: Mẫu 07 (the annual report). */
		printf(_("Certificate requests filed in %d: %lld\n"), year,
		       (long long)jint(answer, "count"));
	json_object_put(answer);
	return EXIT_OK;
}

static const struct subcommand request_subcommands[] = {
	{ "new", N_("file a request; KIND is new, renew, revoke or reissue; SERIAL a token "
		    "present, whose certificate is read (renew and revoke)"),
	  { NC_("metavar", "KIND [SERIAL]"), 1, 2, new_options, run_new } },
	{ "confirm", N_("the agency confirms it (clerk)"),
	  { NC_("metavar", "ID"), 1, 1, note_options, run_confirm } },
	{ "submit", N_("Sở TT&TT receives it (technician)"),
	  { NC_("metavar", "ID"), 1, 1, note_options, run_submit } },
	{ "forward", N_("Sở TT&TT sends it to the CA (admin)"),
	  { NC_("metavar", "ID"), 1, 1, note_options, run_forward } },
	{ "done", N_("the CA carried it out (technician)"),
	  { NC_("metavar", "ID"), 1, 1, note_options, run_done } },
	{ "reject", N_("refuse it, saying why (technician)"),
	  { NC_("metavar", "ID"), 1, 1, note_required, run_reject } },
	{ "cancel", N_("withdraw it (who filed it, clerk)"),
	  { NC_("metavar", "ID"), 1, 1, note_required, run_cancel } },
	{ "list", N_("the requests, newest first"),
	  { NULL, 0, 0, list_options, run_list } },
	{ "show", N_("a request and its history"),
	  { NC_("metavar", "ID"), 1, 1, NULL, run_show } },
	{ "count", N_("how many were filed in a year (Mẫu 07)"),
	  { NULL, 0, 0, count_options, run_count } },
	{ NULL }
};

const struct command cmd_request = {
	.name = "request",
	.help = N_("file and follow certificate requests: new, renewal, revocation, re-issue"),
	.about = N_("A certificate is issued, renewed, revoked or re-issued through a request\n"
		    "(Mẫu 01–06) that goes from the agency through Sở TT&TT to the CA. khoad\n"
		    "checks the regulation's rules when it is filed.\n"),
	.subs = request_subcommands,
	.lists = request_lists,
};
