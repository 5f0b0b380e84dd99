/*
 * khoa print handover|pin-request|manager-change|request ID: a record as its
 * paper form (Mẫu 10, 09, 08; a certificate request as Mẫu 01, 02 or 05);
 * khoa print list --kind person|org|revoke: the requests the agency sends
 * with its letter (Mẫu 03, 04, 06), also as CSV; khoa print history|custody
 * SERIAL and khoa print seal-register: the registers kept beside them
 * (print-registers.h). In PDF or as text: khoa
 * fetches the record (and the agency that heads its form, from the registry
 * where it can) and khoa-print renders it (print-helper.h). The text of a
 * form is the helper's too: it is the paper's model, shared with the PDF
 * in forms/, and only khoa print asks for it; what commands show on the
 * terminal (khoa report annual's table) is khoa's own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "print.h"
#include "print-helper.h"
#include "print-registers.h"
#include "print-requests.h"
#include "table.h"

/* What every form takes (khoa's own: handed to khoa-print). */
#define FORM_OPTIONS(format_values, format_help) \
	{ "format", "format", OPTION_TEXT, format_values, format_help, OPTION_OPTIONAL }, \
	{ "output", "output", OPTION_TEXT, NC_("metavar", "FILE"), \
	  N_("where to write it; by default, for PDF, the form's own name in the current " \
	     "directory (mau10-ID.pdf; mau09, mau08, mau01, mau02, mau05; mau03.pdf, " \
	     "mau04.pdf, mau06.pdf for the lists; history-SERIAL.pdf, custody-SERIAL.pdf, " \
	     "seal-register.pdf), for text and CSV the standard output"), \
	  OPTION_OPTIONAL }, \
	{ "place", "place", OPTION_TEXT, NC_("metavar", "TEXT"), \
	  N_("the place in the date line (\"Thái Bình\"); by default khoad.conf's " \
	     "[forms] place"), OPTION_OPTIONAL }, \
	{ "number", "number", OPTION_TEXT, NC_("metavar", "TEXT"), \
	  N_("the document's number (\"…/BB-STTTT\")"), OPTION_OPTIONAL }

static const struct param_option record_options[] = {
	FORM_OPTIONS("pdf|text", N_("pdf (the default) or text")),
	{ NULL }
};

static const struct param_option list_options[] = {
	FORM_OPTIONS("pdf|text|csv", N_("pdf (the default), text, or csv")),
	{ "kind", "kind", OPTION_TEXT, "person|org|revoke",
	  N_("the list sent with the agency's letter: person (Mẫu 03) or org (Mẫu 04) for "
	     "new, renewed and re-issued certificates, revoke (Mẫu 06) for revocations and "
	     "renewals"),
	  OPTION_REQUIRED },
	{ "state", "state", OPTION_TEXT, NC_("metavar", "STATE"),
	  N_("the requests in STATE (default confirmed, the ones the agency sends); any for "
	     "every state"), OPTION_OPTIONAL },
	{ "year", "year", OPTION_ID, NC_("metavar", "YEAR"), N_("the requests filed in YEAR"),
	  OPTION_OPTIONAL },
	{ NULL }
};

static const struct param_option seal_register_options[] = {
	FORM_OPTIONS("pdf|text", N_("pdf (the default) or text")),
	{ "from", "from", OPTION_TEXT, NC_("metavar", "DATE"),
	  N_("the uses checked out on DATE (dd/mm/yyyy) or after"), OPTION_OPTIONAL },
	{ "to", "to", OPTION_TEXT, NC_("metavar", "DATE"),
	  N_("the uses checked out on DATE (dd/mm/yyyy) or before"), OPTION_OPTIONAL },
	{ NULL }
};

/* A record kind: how it is fetched, where it is in the answer, which form
 * khoa-print makes of it, what heads the form. */
struct kind {
	const char *name;	/* "handover", also the helper's form */
	const char *method;	/* "io.khoa.Handovers.Get" */
	const char *member;	/* "handover" */
	void (*header)(struct client *, json_object *record, json_object *agency);
};

/* Organization ID's name as "agency" and its managing body's as
 * "managing_agency" in AGENCY: its parent's name, else the managing body its
 * record names; false when the registry does not know it. */
bool
print_org_header(struct client *cl, int64_t id, json_object *agency)
{
	json_object *params = param_new(), *answer;
	param_int(params, "id", id);
	answer = client_lookup(cl, "io.khoa.Organizations.Get", params);
	json_object *org = jobj(answer, "organization");
	if (!org || !*jstr(org, "name")) {
		json_object_put(answer);
		return false;
	}
	param_str(agency, "agency", jstr(org, "name"));
	if (*jstr(org, "managing_body"))
		param_str(agency, "managing_agency", jstr(org, "managing_body"));
	int64_t parent = jint(org, "parent_id");
	json_object_put(answer);
	if (parent > 0) {
		params = param_new();
		param_int(params, "id", parent);
		answer = client_lookup(cl, "io.khoa.Organizations.Get", params);
		org = jobj(answer, "organization");
		if (org && *jstr(org, "name"))
			param_str(agency, "managing_agency", jstr(org, "name"));
		json_object_put(answer);
	}
	return true;
}

/* The organization of person ID, or 0. */
static int64_t
person_organization(struct client *cl, int64_t id)
{
	json_object *params = param_new(), *answer;
	int64_t org;

	param_int(params, "id", id);
	answer = client_lookup(cl, "io.khoa.People.Get", params);
	org = jint(jobj(answer, "person"), "organization_id");
	json_object_put(answer);
	return org;
}

/* The organization of a party of a handover: its own, or its person's. */
static bool
party_header(struct client *cl, json_object *party, json_object *agency)
{
	if (jint(party, "organization_id") > 0)
		return print_org_header(cl, jint(party, "organization_id"), agency);
	if (jint(party, "person_id") <= 0)
		return false;
	int64_t org = person_organization(cl, jint(party, "person_id"));
	return org > 0 && print_org_header(cl, org, agency);
}

/* Mẫu 10 is headed by the agency that draws it up, the giving side (Sở
 * TT&TT issuing tokens, an agency handing them to its people), not the
 * receiver's; a giver typed in full by the agency it names. */
static void
handover_header(struct client *cl, json_object *h, json_object *agency)
{
	json_object *receiver = jobj(h, "receiver"), *giver = jobj(h, "giver");
	if (party_header(cl, giver, agency))
		return;
	if (*jstr(giver, "agency"))
		param_str(agency, "agency", jstr(giver, "agency"));
	else if (!party_header(cl, receiver, agency) && *jstr(receiver, "agency"))
		param_str(agency, "agency", jstr(receiver, "agency"));
}

/* The agency of the token's holder now, with its managing body, as every
 * other form of it is headed; else the agency the form names. */
static void
pin_request_header(struct client *cl, json_object *req, json_object *agency)
{
	json_object *params = param_new(), *answer;
	param_str(params, "serial", jstr(req, "token_serial"));
	answer = client_lookup(cl, "io.khoa.Tokens.Get", params);
	json_object *reg = jobj(jobj(answer, "token"), "registration");
	json_object *holder = strcmp(jstr(reg, "status"), "registered") == 0 ? jobj(reg, "holder")
									     : NULL;
	json_object *party = param_new();
	if (holder)
		param_int(party, strcmp(jstr(holder, "kind"), "person") == 0 ? "person_id"
									   : "organization_id",
			  jint(holder, "id"));
	json_object_put(answer);
	bool known = holder && party_header(cl, party, agency);
	json_object_put(party);
	const char *name = jstr(jobj(req, "form"), "agency");
	if (!known && *name)
		param_str(agency, "agency", name);
}

static void
manager_change_header(struct client *cl, json_object *c, json_object *agency)
{
	if (!print_org_header(cl, jint(c, "organization_id"), agency) &&
	    *jstr(c, "organization_name"))
		param_str(agency, "agency", jstr(c, "organization_name"));
}

static const struct kind kinds[] = {
	{ "handover", "io.khoa.Handovers.Get", "handover", handover_header },
	{ "pin-request", "io.khoa.PinRequests.Get", "request", pin_request_header },
	{ "manager-change", "io.khoa.Managers.Get", "change", manager_change_header },
};

/* FORM of RECORD by khoa-print as OPTS ask, headed by AGENCY (taken);
 * dated and held at --place, else at khoad.conf's [forms] place
 * (io.khoa.Daemon.Status), else at a place left to fill by hand. */
static int
render(struct client *cl, const char *prog, const char *form, json_object *record,
       json_object *opts, json_object *agency)
{
	int status;

	if (!*jstr(opts, "place")) {
		json_object *answer = client_lookup(cl, "io.khoa.Daemon.Status", param_new());
		if (*jstr(answer, "place"))
			param_str(opts, "place", jstr(answer, "place"));
		json_object_put(answer);
	}
	status = print_helper_run(prog, form, record, agency, opts);
	json_object_put(agency);
	return status;
}

static bool
one_of(const char *value, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(value, *allowed) == 0)
			return true;
	return false;
}

/* --format of a record: pdf or text; else said, and false. */
static bool
record_format(const char *prog, json_object *opts)
{
	static const char *const formats[] = { "pdf", "text", NULL };
	const char *format = jstr(opts, "format");
	if (!*format || one_of(format, formats))
		return true;
	fprintf(stderr, _("%s: --format is pdf or text, not '%s'\n"), prog, format);
	return false;
}

/* handover, pin-request, manager-change ID */
static int
run_record(struct client *cl, const char *prog, const struct kind *k, json_object *opts,
	   const char *text)
{
	json_object *params = param_new(), *answer;
	int status;

	if (!record_format(prog, opts) || !options_take_id(prog, text, params, "id")) {
		json_object_put(params);
		json_object_put(opts);
		return EXIT_USAGE;
	}
	status = client_call(cl, k->method, params, &answer);
	if (status != EXIT_OK) {
		json_object_put(opts);
		return status;
	}
	if (cl->json) {
		client_print_json(answer);
	} else {
		json_object *agency = param_new();
		k->header(cl, jobj(answer, k->member), agency);
		status = render(cl, prog, k->name, jobj(answer, k->member), opts, agency);
	}
	json_object_put(answer);
	json_object_put(opts);
	return status;
}

static int
run_handover(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	return run_record(cl, prog, &kinds[0], opts, argv[0]);
}

static int
run_pin_request(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	return run_record(cl, prog, &kinds[1], opts, argv[0]);
}

static int
run_manager_change(struct client *cl, const char *prog, json_object *opts, int argc,
		   char **argv)
{
	return run_record(cl, prog, &kinds[2], opts, argv[0]);
}

/* request ID: Mẫu 01, 02 or 05, by the request's kind and subject */
static int
run_request(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	struct request_lookup lk = { .cl = cl };
	json_object *params = param_new(), *answer, *req;
	int status;

	if (!record_format(prog, opts) || !options_take_id(prog, argv[0], params, "id")) {
		json_object_put(params);
		json_object_put(opts);
		return EXIT_USAGE;
	}
	status = client_call(cl, "io.khoa.Requests.Get", params, &answer);
	if (status != EXIT_OK) {
		json_object_put(opts);
		return status;
	}
	req = jobj(answer, "request");
	if (req)
		request_enrich(&lk, req);
	request_lookup_end(&lk);
	if (cl->json) {
		client_print_json(answer);
	} else {
		json_object *agency = param_new();
		if (request_organization(req) > 0)
			print_org_header(cl, request_organization(req), agency);
		status = render(cl, prog, "request", req, opts, agency);
	}
	json_object_put(answer);
	json_object_put(opts);
	return status;
}

int
print_annual_report(struct client *cl, const char *prog, json_object *report, json_object *opts)
{
	json_object *agency = param_new();

	if (jint(report, "organization_id") > 0)
		print_org_header(cl, jint(report, "organization_id"), agency);
	return render(cl, prog, "report", report, opts, agency);
}

/* Whether REQ goes on the list LIST: Mẫu 03 a person's new, renewed or
 * re-issued certificate, Mẫu 04 an organization's, Mẫu 06 a revocation or
 * a renewal ("DANH SÁCH ĐỀ NGHỊ THU HỒI/GIA HẠN …"). */
static bool
on_list(const char *list, json_object *req)
{
	const char *kind = jstr(req, "kind"), *subject = jstr(req, "subject_kind");

	if (strcmp(list, "revoke") == 0)
		return strcmp(kind, "revoke") == 0 || strcmp(kind, "renew") == 0;
	if (strcmp(kind, "new") != 0 && strcmp(kind, "renew") != 0 && strcmp(kind, "reissue") != 0)
		return false;
	return strcmp(subject, strcmp(list, "org") == 0 ? "organization" : "person") == 0;
}

/* Oldest first, as they were filed: the rows' numbers follow the filing. */
static int
by_id(const void *a, const void *b)
{
	int64_t x = jint(*(json_object *const *)a, "id"), y = jint(*(json_object *const *)b, "id");
	return (x > y) - (x < y);
}

/* The organization every request of REQUESTS is of, or 0. */
static int64_t
common_organization(json_object *requests)
{
	int64_t org = 0;
	for (size_t i = 0; i < json_object_array_length(requests); i++) {
		int64_t o = request_organization(json_object_array_get_idx(requests, i));
		if (o <= 0 || (org && o != org))
			return 0;
		org = o;
	}
	return org;
}

/* list --kind person|org|revoke [--state S] [--year Y] */
static int
list_requests(struct client *cl, const char *prog, json_object *opts)
{
	const char *list = jstr(opts, "kind"), *state = *jstr(opts, "state") ? jstr(opts, "state")
									     : "confirmed";
	struct request_lookup lk = { .cl = cl };
	json_object *params = param_new(), *answer, *all, *requests;
	char form[32];
	int status;

	if (strcmp(state, "any") != 0)
		param_str(params, "state", state);
	if (json_object_object_get_ex(opts, "year", NULL))
		param_int(params, "year", jint(opts, "year"));
	status = client_call_pages(cl, "io.khoa.Requests.List", params, "requests", &answer);
	if (status != EXIT_OK)
		return status;

	all = jarr(answer, "requests");
	if (!(requests = json_object_new_array()))
		die_oom();
	for (size_t i = 0; all && i < json_object_array_length(all); i++) {
		json_object *req = json_object_array_get_idx(all, i);
		if (!on_list(list, req))
			continue;
		if (json_object_array_add(requests, json_object_get(req)) < 0)
			die_oom();
		request_enrich(&lk, req);
	}
	request_lookup_end(&lk);
	json_object_array_sort(requests, by_id);

	if (json_object_array_length(requests) == 0) {
		/* TRANSLATORS: khoa print list found nothing; "--state any" lists all. */
		fprintf(stderr, _("%s: no request for this list (--kind %s, --state %s); "
				  "--state any lists them in every state\n"), prog, list, state);
		status = EXIT_ERROR_REPLY;
	} else if (cl->json) {
		json_object *out = param_new();
		if (json_object_object_add(out, "requests", json_object_get(requests)) < 0)
			die_oom();
		client_print_json(out);
		json_object_put(out);
	} else {
		json_object *agency = param_new();
		int64_t org = common_organization(requests);
		if (org > 0)
			print_org_header(cl, org, agency);
		snprintf(form, sizeof(form), "list-%s", list);
		status = render(cl, prog, form, requests, opts, agency);
	}
	json_object_put(requests);
	json_object_put(answer);
	return status;
}

/* The list's --kind and --format checked: true, or said why. */
static bool
list_args(const char *prog, json_object *opts)
{
	static const char *const lists[] = { "person", "org", "revoke", NULL };
	static const char *const formats[] = { "pdf", "text", "csv", NULL };
	const char *format = jstr(opts, "format");

	if (!one_of(jstr(opts, "kind"), lists)) {
		/* TRANSLATORS: keep person, org and revoke as they are. */
		fprintf(stderr, _("%s: --kind is person (Mẫu 03), org (Mẫu 04) or revoke "
				  "(Mẫu 06)\n"), prog);
		return false;
	}
	if (*format && !one_of(format, formats)) {
		fprintf(stderr, _("%s: --format is pdf, text or csv, not '%s'\n"), prog, format);
		return false;
	}
	return true;
}

static int
run_list(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	int status = list_args(prog, opts) ? list_requests(cl, prog, opts) : EXIT_USAGE;
	json_object_put(opts);
	return status;
}

/* ----- the registers ----- */

/* A token's register (khoa print history|custody SERIAL): METHOD's answer
 * for the token ARGV[0], made into the record of FORM by MAKE. */
static int
print_token_register(struct client *cl, const char *prog, json_object *opts, char **argv,
		     const char *method, const char *form,
		     json_object *(*make)(struct client *, const char *serial, json_object *answer,
					  json_object *header))
{
	json_object *params = param_new(), *answer;
	int status;

	if (!record_format(prog, opts)) {
		json_object_put(params);
		json_object_put(opts);
		return EXIT_USAGE;
	}
	param_str(params, "serial", argv[0]);
	if ((status = client_call(cl, method, params, &answer)) == EXIT_OK) {
		if (cl->json) {
			client_print_json(answer);
		} else {
			json_object *agency = param_new();
			json_object *rec = make(cl, argv[0], answer, agency);
			status = render(cl, prog, form, rec, opts, agency);
			json_object_put(rec);
		}
		json_object_put(answer);
	}
	json_object_put(opts);
	return status;
}

static json_object *
make_custody(struct client *cl, const char *serial, json_object *answer, json_object *header)
{
	(void)serial;	/* the answer names it */
	return register_custody(cl, answer, header);
}

/* history SERIAL */
static int
run_history(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	return print_token_register(cl, prog, opts, argv, "io.khoa.Tokens.History", "history",
				    register_history);
}

/* custody SERIAL */
static int
run_custody(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	return print_token_register(cl, prog, opts, argv, "io.khoa.Custody.Get", "custody",
				    make_custody);
}

/* --from or --to (KEY) of OPTS into *DAY; false having said it is no date. */
static bool
option_day(const char *prog, json_object *opts, const char *key, struct khoa_datetime *day,
	   bool *given)
{
	const char *text = jstr(opts, key);

	*given = json_object_object_get_ex(opts, key, NULL);
	if (!*given || khoa_date_parse(text, KHOA_DATE_DMY | KHOA_DATE_ISO, day) == 0)
		return true;
	/* TRANSLATORS: an option, then what was typed. */
	fprintf(stderr, _("%s: --%s takes a date (dd/mm/yyyy), not '%s'\n"), prog, key, text);
	return false;
}

/* seal-register [SERIAL] [--from DATE] [--to DATE] */
static int
run_seal_register(struct client *cl, const char *prog, json_object *opts, int argc,
		  char **argv)
{
	struct khoa_datetime from, to;
	bool has_from, has_to;
	json_object *params = param_new(), *answer;
	int status;

	if (!record_format(prog, opts) || !option_day(prog, opts, "from", &from, &has_from) ||
	    !option_day(prog, opts, "to", &to, &has_to)) {
		status = EXIT_USAGE;
	} else if (has_from && has_to && khoa_date_days(&from) > khoa_date_days(&to)) {
		fprintf(stderr, _("%s: --from %s comes after --to %s\n"), prog, jstr(opts, "from"),
			jstr(opts, "to"));
		status = EXIT_USAGE;
	} else {
		if (argc > 0)
			param_str(params, "serial", argv[0]);
		status = client_call_pages(cl, "io.khoa.Custody.SealLog", params, "entries",
					   &answer);
		params = NULL;	/* taken */
		if (status == EXIT_OK) {
			json_object *agency = param_new();
			json_object *rec = register_seal(cl, answer, has_from ? &from : NULL,
							 has_to ? &to : NULL, cl->json ? NULL : agency);
			if (cl->json) {
				client_print_json(rec);
				json_object_put(agency);
			} else {
				status = render(cl, prog, "seal-register", rec, opts, agency);
			}
			json_object_put(rec);
			json_object_put(answer);
		}
	}
	json_object_put(params);
	json_object_put(opts);
	return status;
}

static const struct subcommand print_subcommands[] = {
	{ "handover", N_("handover minutes (Mẫu 10)"),
	  { NC_("metavar", "ID"), 1, 1, record_options, run_handover } },
	{ "pin-request", N_("a PIN-recovery request (Mẫu 09)"),
	  { NC_("metavar", "ID"), 1, 1, record_options, run_pin_request } },
	{ "manager-change", N_("a decision changing a certificate's manager (Mẫu 08)"),
	  { NC_("metavar", "ID"), 1, 1, record_options, run_manager_change } },
	{ "request", N_("a certificate request: a new certificate, a renewal or a re-issue for "
			"an organization (Mẫu 01) or a person (Mẫu 02), a revocation (Mẫu 05)"),
	  { NC_("metavar", "ID"), 1, 1, record_options, run_request } },
	{ "list", N_("the list sent with the agency's letter (Mẫu 03, 04, 06)"),
	  { NULL, 0, 0, list_options, run_list } },
	{ "history", N_("what happened to a token, a sentence each, as khoa history says it"),
	  { NC_("metavar", "SERIAL"), 1, 1, record_options, run_history } },
	{ "custody", N_("a token's chain of custody: the handovers that led to who holds it"),
	  { NC_("metavar", "SERIAL"), 1, 1, record_options, run_custody } },
	{ "seal-register", N_("the register of the organization token, kept like the seal, "
			      "oldest first"),
	  { NC_("metavar", "[SERIAL]"), 0, 1, seal_register_options, run_seal_register } },
	{ NULL }
};

const struct command cmd_print = {
	.name = "print",
	/* The forms by what they print: shorter than the rows'. */
	.synopsis = N_("handover|pin-request|manager-change|request ID | list --kind KIND | "
		       "history|custody SERIAL | seal-register"),
	.help = N_("print a record as its form: Mẫu 01–06, 08, 09, 10 (PDF, text, CSV), and the "
		   "registers: a token's history, its custody, the seal register"),
	.about = N_("Renders a record as the regulation's paper form.\n"),
	.subs = print_subcommands,
};
