/*
 * khoa print handover|pin-request|manager-change ID: a record as its paper
 * form (Mẫu 10, 09, 08), in PDF or as text, rendered here by forms/ from
 * what khoad hands out (DESIGN.md "Forms and printing"). The header names
 * the agency from the registry where it can.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "format.h"
#include "forms.h"
#include "i18n.h"
#include "options.h"
#include "table.h"

static const struct param_option print_options[] = {
	{ "format", "format", OPTION_TEXT },
	{ "output", "output", OPTION_TEXT },
	{ "place", "place", OPTION_TEXT },
	{ "number", "number", OPTION_TEXT },
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

static json_object *
member(json_object *obj, const char *key)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

/* Organization ID's name as "agency" and its parent's as "managing_agency"
 * in AGENCY; false when the registry does not know it. */
static bool
org_header(struct client *cl, int64_t id, json_object *agency)
{
	json_object *params = param_new(), *answer;
	param_int(params, "id", id);
	answer = client_lookup(cl, "io.khoa.Organizations.Get", params);
	json_object *org = member(answer, "organization");
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
		org = member(answer, "organization");
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
	int64_t org = jint(member(answer, "person"), "organization_id");
	json_object_put(answer);
	return org > 0 && org_header(cl, org, agency);
}

static void
handover_header(struct client *cl, json_object *h, json_object *agency)
{
	json_object *receiver = member(h, "receiver"), *giver = member(h, "giver");
	if (party_header(cl, receiver, agency) || party_header(cl, giver, agency))
		return;
	if (*jstr(receiver, "agency"))
		param_str(agency, "agency", jstr(receiver, "agency"));
}

static void
pin_request_header(struct client *cl, json_object *req, json_object *agency)
{
	const char *name = jstr(member(req, "form"), "agency");
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

static int
render(struct client *cl, const char *prog, const struct kind *k, json_object *record,
       json_object *opts, int64_t id)
{
	json_object *agency = param_new();
	const char *format = *jstr(opts, "format") ? jstr(opts, "format") : "pdf";
	const char *output = jstr(opts, "output");
	char *path = NULL, *error = NULL;
	int r, status = EXIT_OK;

	k->header(cl, record, agency);
	param_str(agency, "place", jstr(opts, "place"));
	if (*jstr(opts, "number"))
		param_str(agency, "number", jstr(opts, "number"));

	if (strcmp(format, "text") == 0) {
		FILE *out = stdout;
		if (*output && strcmp(output, "-") != 0 && !(out = fopen(output, "w"))) {
			fprintf(stderr, _("%s: cannot write %s: %s\n"), prog, output, strerror(errno));
			status = EXIT_ERROR_REPLY;
			goto out;
		}
		r = k->text(record, agency, out);
		if (out != stdout && fclose(out) != 0 && r == 0)
			r = -errno;
		else if (out == stdout && fflush(stdout) != 0 && r == 0)
			r = -errno;
		if (r < 0) {
			fprintf(stderr, _("%s: cannot write the form: %s\n"), prog, strerror(-r));
			status = EXIT_ERROR_REPLY;
		}
		goto out;
	}
	if (*output)
		path = strdup(output);
	else if (asprintf(&path, "%s-%lld.pdf", k->file, (long long)id) < 0)
		path = NULL;
	if (!path)
		die_oom();
	r = k->pdf(record, agency, path, &error);
	if (r < 0) {
		fprintf(stderr, _("%s: cannot make %s: %s\n"), prog, path,
			error ? error : strerror(-r));
		status = EXIT_ERROR_REPLY;
	} else {
		/* TRANSLATORS: the PDF file written. */
		printf(_("Written to %s.\n"), path);
		if (strcmp(k->name, "handover") == 0)
			printf("%s\n", _("Print two copies, one for each side, to be signed and "
					 "stamped by both."));
	}
out:
	free(error);
	free(path);
	json_object_put(agency);
	return status;
}

static int
run_print(struct client *cl, int argc, char **argv)
{
	const char *prog = "khoa print";
	json_object *opts = param_new(), *params, *answer;
	const struct kind *k = NULL;
	int first, status;
	int64_t id;

	enum options_result r = options_parse(&cmd_print, prog, argc, argv, print_options, opts,
					      _("handover|pin-request|manager-change ID"), 2, 2,
					      &first);
	if (r == OPTIONS_OK) {
		for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
			if (strcmp(kinds[i].name, argv[first]) == 0)
				k = &kinds[i];
		if (!k) {
			fprintf(stderr, _("%s: cannot print '%s'; what can be printed: handover, "
					  "pin-request, manager-change\n"), prog, argv[first]);
			r = OPTIONS_BAD;
		}
	}
	if (r == OPTIONS_OK && !options_id(prog, argv[first + 1], &id))
		r = OPTIONS_BAD;
	const char *format = jstr(opts, "format");
	if (r == OPTIONS_OK && *format && strcmp(format, "pdf") != 0 &&
	    strcmp(format, "text") != 0) {
		fprintf(stderr, _("%s: --format is pdf or text, not '%s'\n"), prog, format);
		r = OPTIONS_BAD;
	}
	if (r != OPTIONS_OK) {
		json_object_put(opts);
		return options_exit(r);
	}
	params = param_new();
	param_int(params, "id", id);
	status = client_call(cl, k->method, params, &answer);
	if (status == EXIT_OK) {
		json_object *record = member(answer, k->member);
		if (cl->json)
			client_print_json(answer);
		else
			status = render(cl, prog, k, record, opts, id);
		json_object_put(answer);
	}
	json_object_put(opts);
	return status;
}

const struct command cmd_print = {
	.name = "print",
	.args = N_("handover|pin-request|manager-change ID"),
	.help = N_("print a record as its form: Mẫu 10, 09 or 08 (PDF or text)"),
	.run = run_print,
	.usage = N_("Renders a handover (Mẫu 10), a PIN-recovery request (Mẫu 09) or a\n"
		    "manager change (Mẫu 08) as the regulation's paper form.\n"
		    "\n"
		    "Options:\n"
		    "  --format pdf|text    PDF (the default) or plain text\n"
		    "  --output FILE        where to write it; by default mau10-ID.pdf (mau09,\n"
		    "                       mau08) in the current directory for PDF, the\n"
		    "                       standard output for text\n"
		    "  --place TEXT         the place in the date line (\"Thái Bình\")\n"
		    "  --number TEXT        the document's number (\"…/BB-STTTT\")\n"),
};
