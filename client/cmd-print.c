/*
 * khoa print handover|pin-request|manager-change|request ID: a record as its
 * paper form (Mẫu 10, 09, 08; a certificate request as Mẫu 01, 02 or 05);
 * khoa print list --kind person|org|revoke: the requests the agency sends
 * with its letter (Mẫu 03, 04, 06), also as CSV. In PDF or as text,
 * rendered here by forms/ from what khoad hands out (DESIGN.md "Forms and
 * printing"). The header names the agency from the registry where it can.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "format.h"
#include "forms.h"
#include "i18n.h"
#include "options.h"
#include "print.h"
#include "print-requests.h"
#include "table.h"

static const struct param_option print_options[] = {
	{ "format", "format", OPTION_TEXT },
	{ "output", "output", OPTION_TEXT },
	{ "place", "place", OPTION_TEXT },
	{ "number", "number", OPTION_TEXT },
	{ "kind", "kind", OPTION_TEXT },	/* print list only */
	{ "state", "state", OPTION_TEXT },
	{ "year", "year", OPTION_ID },
	{ NULL, NULL, 0 }
};

/* A record kind: how it is fetched, where it is in the answer, how it is
 * rendered. */
struct kind {
	const char *name;	/* "handover" */
	const char *method;	/* "io.khoa.Handovers.Get" */
	const char *member;	/* "handover" */
	const char *file;	/* "mau10" */
	int (*pdf)(json_object *, json_object *, const char *, char **);
	int (*text)(json_object *, json_object *, FILE *);
	void (*header)(struct client *, json_object *record, json_object *agency);
};

/* Organization ID's name as "agency" and its parent's as "managing_agency"
 * in AGENCY; false when the registry does not know it. */
static bool
org_header(struct client *cl, int64_t id, json_object *agency)
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

/* The organization of a party of a handover: its own, or its person's. */
static bool
party_header(struct client *cl, json_object *party, json_object *agency)
{
	if (jint(party, "organization_id") > 0)
		return org_header(cl, jint(party, "organization_id"), agency);
	if (jint(party, "person_id") <= 0)
		return false;
	json_object *params = param_new(), *answer;
	param_int(params, "id", jint(party, "person_id"));
	answer = client_lookup(cl, "io.khoa.People.Get", params);
	int64_t org = jint(jobj(answer, "person"), "organization_id");
	json_object_put(answer);
	return org > 0 && org_header(cl, org, agency);
}

static void
handover_header(struct client *cl, json_object *h, json_object *agency)
{
	json_object *receiver = jobj(h, "receiver"), *giver = jobj(h, "giver");
	if (party_header(cl, receiver, agency) || party_header(cl, giver, agency))
		return;
	if (*jstr(receiver, "agency"))
		param_str(agency, "agency", jstr(receiver, "agency"));
}

static void
pin_request_header(struct client *cl, json_object *req, json_object *agency)
{
	const char *name = jstr(jobj(req, "form"), "agency");
	if (*name)
		param_str(agency, "agency", name);
}

static void
manager_change_header(struct client *cl, json_object *c, json_object *agency)
{
	if (!org_header(cl, jint(c, "organization_id"), agency) &&
	    *jstr(c, "organization_name"))
		param_str(agency, "agency", jstr(c, "organization_name"));
}

static const struct kind kinds[] = {
	{ "handover", "io.khoa.Handovers.Get", "handover", "mau10",
	  forms_handover_pdf, forms_handover_text, handover_header },
	{ "pin-request", "io.khoa.PinRequests.Get", "request", "mau09",
	  forms_pin_request_pdf, forms_pin_request_text, pin_request_header },
	{ "manager-change", "io.khoa.Managers.Get", "change", "mau08",
	  forms_manager_change_pdf, forms_manager_change_text, manager_change_header },
};

/* What is printed: a record, or the requests of a list, and how forms/
 * renders it. */
struct job {
	const char *name;	/* "handover", "request", "list" */
	json_object *record;	/* the record, or an array of requests */
	const char *list;	/* for a list: "person", "org", "revoke" */
	int (*pdf)(json_object *, json_object *, const char *, char **);
	int (*text)(json_object *, json_object *, FILE *);
	char *file;		/* the PDF's name by default (malloc'ed) */
};

static int
job_pdf(const struct job *j, json_object *agency, const char *path, char **error)
{
	if (j->list)
		return forms_request_list_pdf(j->list, j->record, agency, path, error);
	return j->pdf(j->record, agency, path, error);
}

static int
job_stream(const struct job *j, const char *format, json_object *agency, FILE *out)
{
	if (strcmp(format, "csv") == 0)
		return forms_request_list_csv(j->list, j->record, out);
	if (j->list)
		return forms_request_list_text(j->list, j->record, agency, out);
	return j->text(j->record, agency, out);
}

/* Text and CSV: to the standard output, or to --output. */
static int
write_stream(const char *prog, const struct job *j, const char *format, const char *output,
	     json_object *agency)
{
	FILE *out = stdout;
	int r;

	if (*output && strcmp(output, "-") != 0 && !(out = fopen(output, "w"))) {
		fprintf(stderr, _("%s: cannot write %s: %s\n"), prog, output, strerror(errno));
		return EXIT_ERROR_REPLY;
	}
	r = job_stream(j, format, agency, out);
	if (out != stdout && fclose(out) != 0 && r == 0)
		r = -errno;
	else if (out == stdout && fflush(stdout) != 0 && r == 0)
		r = -errno;
	if (r < 0) {
		fprintf(stderr, _("%s: cannot write the form: %s\n"), prog, strerror(-r));
		return EXIT_ERROR_REPLY;
	}
	return EXIT_OK;
}

/* Renders J as --format asks, with AGENCY (taken) for its header and the
 * place and number of the command line. */
static int
render(const char *prog, const struct job *j, json_object *opts, json_object *agency)
{
	const char *format = *jstr(opts, "format") ? jstr(opts, "format") : "pdf";
	const char *output = jstr(opts, "output");
	const char *path = *output ? output : j->file;
	char *error = NULL;
	int r, status = EXIT_OK;

	param_str(agency, "place", jstr(opts, "place"));
	if (*jstr(opts, "number"))
		param_str(agency, "number", jstr(opts, "number"));

	if (strcmp(format, "pdf") != 0) {
		status = write_stream(prog, j, format, output, agency);
		json_object_put(agency);
		return status;
	}
	r = job_pdf(j, agency, path, &error);
	if (r < 0) {
		fprintf(stderr, _("%s: cannot make %s: %s\n"), prog, path,
			error ? error : strerror(-r));
		status = EXIT_ERROR_REPLY;
	} else {
		/* TRANSLATORS: the PDF file written. */
		printf(_("Written to %s.\n"), path);
		if (strcmp(j->name, "handover") == 0)
			printf("%s\n", _("Print two copies, one for each side, to be signed and "
					 "stamped by both."));
	}
	free(error);
	json_object_put(agency);
	return status;
}

static char *
file_name(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *
file_name(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die_oom();
	va_end(ap);
	return s;
}

/* handover, pin-request, manager-change ID */
static int
run_record(struct client *cl, const char *prog, const struct kind *k, json_object *opts,
	   int64_t id)
{
	json_object *params = param_new(), *answer;
	int status;

	param_int(params, "id", id);
	status = client_call(cl, k->method, params, &answer);
	if (status != EXIT_OK)
		return status;
	if (cl->json) {
		client_print_json(answer);
	} else {
		struct job j = { k->name, jobj(answer, k->member), NULL, k->pdf, k->text,
				 file_name("%s-%lld.pdf", k->file, (long long)id) };
		json_object *agency = param_new();
		k->header(cl, j.record, agency);
		status = render(prog, &j, opts, agency);
		free(j.file);
	}
	json_object_put(answer);
	return status;
}

/* request ID: Mẫu 01, 02 or 05, by the request's kind and subject */
static int
run_request(struct client *cl, const char *prog, json_object *opts, int64_t id)
{
	struct request_lookup lk = { .cl = cl };
	json_object *params = param_new(), *answer, *req;
	int status, form;

	param_int(params, "id", id);
	status = client_call(cl, "io.khoa.Requests.Get", params, &answer);
	if (status != EXIT_OK)
		return status;
	req = jobj(answer, "request");
	if (req)
		request_enrich(&lk, req);
	request_lookup_end(&lk);
	if (cl->json) {
		client_print_json(answer);
	} else if ((form = forms_lifecycle_request_number(req)) < 0) {
		/* TRANSLATORS: a request of a kind no form is made for. */
		fprintf(stderr, _("%s: request %lld (%s) has no form to print\n"), prog,
			(long long)id, jstr(req, "kind"));
		status = EXIT_ERROR_REPLY;
	} else {
		struct job j = { "request", req, NULL, forms_lifecycle_request_pdf,
				 forms_lifecycle_request_text,
				 file_name("mau%02d-%lld.pdf", form, (long long)id) };
		json_object *agency = param_new();
		if (request_organization(req) > 0)
			org_header(cl, request_organization(req), agency);
		status = render(prog, &j, opts, agency);
		free(j.file);
	}
	json_object_put(answer);
	return status;
}

int
print_annual_report(struct client *cl, const char *prog, json_object *report, json_object *opts)
{
	struct job j = { "report", report, NULL, forms_annual_report_pdf,
			 forms_annual_report_text,
			 file_name("mau07-%lld.pdf", (long long)jint(report, "year")) };
	json_object *agency = param_new();
	int status;

	if (jint(report, "organization_id") > 0)
		org_header(cl, jint(report, "organization_id"), agency);
	status = render(prog, &j, opts, agency);
	free(j.file);
	return status;
}

/* Whether REQ goes on the list LIST: Mẫu 03 a person's new, renewed or
 * re-issued certificate, Mẫu 04 an organization's, Mẫu 06 a revocation. */
static bool
on_list(const char *list, json_object *req)
{
	const char *kind = jstr(req, "kind"), *subject = jstr(req, "subject_kind");

	if (strcmp(list, "revoke") == 0)
		return strcmp(kind, "revoke") == 0;
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
run_list(struct client *cl, const char *prog, json_object *opts)
{
	static const struct { const char *list, *file; } lists[] = {
		{ "person", "mau03.pdf" }, { "org", "mau04.pdf" }, { "revoke", "mau06.pdf" },
	};
	const char *list = jstr(opts, "kind"), *state = *jstr(opts, "state") ? jstr(opts, "state")
									     : "confirmed";
	struct request_lookup lk = { .cl = cl };
	json_object *params = param_new(), *answer, *all, *requests;
	const char *file = NULL;
	int status;

	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++)
		if (strcmp(lists[i].list, list) == 0)
			file = lists[i].file;
	if (strcmp(list, "revoke") == 0)
		param_str(params, "kind", "revoke");
	if (strcmp(state, "any") != 0)
		param_str(params, "state", state);
	if (json_object_object_get_ex(opts, "year", NULL))
		param_int(params, "year", jint(opts, "year"));
	status = client_call(cl, "io.khoa.Requests.List", params, &answer);
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
		struct job j = { "list", requests, list, NULL, NULL, file_name("%s", file) };
		json_object *agency = param_new();
		int64_t org = common_organization(requests);
		if (org > 0)
			org_header(cl, org, agency);
		status = render(prog, &j, opts, agency);
		free(j.file);
	}
	json_object_put(requests);
	json_object_put(answer);
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

/* The command line of what is printed, checked: OPTIONS_OK or said why. */
static enum options_result
check_args(const char *prog, const char *what, int nargs, json_object *opts)
{
	static const char *const lists[] = { "person", "org", "revoke", NULL };
	static const char *const formats[] = { "pdf", "text", NULL };
	static const char *const list_formats[] = { "pdf", "text", "csv", NULL };
	const char *format = jstr(opts, "format");
	bool is_list = strcmp(what, "list") == 0;

	if (is_list && nargs != 1) {
		fprintf(stderr, _("Usage: %s list --kind person|org|revoke\n"), prog);
		return OPTIONS_BAD;
	}
	if (!is_list && nargs != 2) {
		fprintf(stderr, _("Usage: %s %s ID\n"), prog, what);
		return OPTIONS_BAD;
	}
	if (is_list && !one_of(jstr(opts, "kind"), lists)) {
		/* TRANSLATORS: keep person, org and revoke as they are. */
		fprintf(stderr, _("%s: --kind is person (Mẫu 03), org (Mẫu 04) or revoke "
				  "(Mẫu 06)\n"), prog);
		return OPTIONS_BAD;
	}
	if (!is_list && (*jstr(opts, "kind") || *jstr(opts, "state") ||
			 json_object_object_get_ex(opts, "year", NULL))) {
		fprintf(stderr, _("%s: --kind, --state and --year are for 'khoa print list'\n"),
			prog);
		return OPTIONS_BAD;
	}
	if (*format && !one_of(format, is_list ? list_formats : formats)) {
		if (is_list)
			fprintf(stderr, _("%s: --format is pdf, text or csv, not '%s'\n"), prog,
				format);
		else
			fprintf(stderr, _("%s: --format is pdf or text, not '%s'\n"), prog, format);
		return OPTIONS_BAD;
	}
	return OPTIONS_OK;
}

static int
run_print(struct client *cl, int argc, char **argv)
{
	const char *prog = "khoa print";
	json_object *opts = param_new();
	const struct kind *k = NULL;
	int first, status;
	int64_t id = 0;

	enum options_result r = options_parse(&cmd_print, prog, argc, argv, print_options, opts,
					      _(cmd_print.args), 1, 2, &first);
	const char *what = r == OPTIONS_OK ? argv[first] : "";
	if (r == OPTIONS_OK && strcmp(what, "request") != 0 && strcmp(what, "list") != 0) {
		for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
			if (strcmp(kinds[i].name, what) == 0)
				k = &kinds[i];
		if (!k) {
			fprintf(stderr, _("%s: cannot print '%s'; what can be printed: handover, "
					  "pin-request, manager-change, request, list\n"), prog, what);
			r = OPTIONS_BAD;
		}
	}
	if (r == OPTIONS_OK)
		r = check_args(prog, what, argc - first, opts);
	if (r == OPTIONS_OK && strcmp(what, "list") != 0 && !options_id(prog, argv[first + 1], &id))
		r = OPTIONS_BAD;
	if (r != OPTIONS_OK) {
		json_object_put(opts);
		return options_exit(r);
	}
	if (strcmp(what, "list") == 0)
		status = run_list(cl, prog, opts);
	else if (strcmp(what, "request") == 0)
		status = run_request(cl, prog, opts, id);
	else
		status = run_record(cl, prog, k, opts, id);
	json_object_put(opts);
	return status;
}

const struct command cmd_print = {
	.name = "print",
	.args = N_("handover|pin-request|manager-change|request ID | list --kind KIND"),
	.help = N_("print a record as its form: Mẫu 01–06, 08, 09, 10 (PDF, text, CSV)"),
	.run = run_print,
	.usage = N_("Renders a record as the regulation's paper form:\n"
		    "  handover ID          handover minutes (Mẫu 10)\n"
		    "  pin-request ID       a PIN-recovery request (Mẫu 09)\n"
		    "  manager-change ID    a decision changing a certificate's manager (Mẫu 08)\n"
		    "  request ID           a certificate request: a new certificate, a renewal\n"
		    "                       or a re-issue for an organization (Mẫu 01) or a\n"
		    "                       person (Mẫu 02), a revocation (Mẫu 05)\n"
		    "  list --kind KIND     the list sent with the agency's letter: person (Mẫu\n"
		    "                       03) or org (Mẫu 04) for new, renewed and re-issued\n"
		    "                       certificates, revoke (Mẫu 06) for revocations\n"
		    "\n"
		    "Options:\n"
		    "  --format FORMAT      pdf (the default), text, or csv (lists only)\n"
		    "  --output FILE        where to write it; by default mau10-ID.pdf (mau09,\n"
		    "                       mau08, mau01, mau02, mau05; mau03.pdf, mau04.pdf,\n"
		    "                       mau06.pdf for the lists) in the current directory\n"
		    "                       for PDF, the standard output for text and CSV\n"
		    "  --place TEXT         the place in the date line (\"Thái Bình\")\n"
		    "  --number TEXT        the document's number (\"…/BB-STTTT\")\n"
		    "  --state STATE        list: the requests in STATE (default confirmed, the\n"
		    "                       ones the agency sends); any for every state\n"
		    "  --year YEAR          list: the requests filed in YEAR\n"),
};
