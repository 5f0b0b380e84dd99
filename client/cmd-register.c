/* khoa register | unregister | confirm: binding a token to its holder. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "registration.h"
#include "table.h"

/* One of the two, checked by run_register. */
static const struct param_option register_options[] = {
	{ "holder", "person_id", OPTION_ID, NC_("metavar", "ID"),
	  N_("the person who holds the token (see khoa person list)"), OPTION_OPTIONAL },
	{ "org", "organization_id", OPTION_ID, NC_("metavar", "ID"),
	  N_("the organization whose token it is (see khoa org list)"), OPTION_OPTIONAL },
	{ NULL }
};

static const struct param_option unregister_options[] = {
	{ "reason", "reason", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("why, for the token's history"), OPTION_OPTIONAL },
	{ NULL }
};

/* The token as it now stands in the registry: holder and certificates. */
static void
print_registered(json_object *t)
{
	struct libscols_table *tb = fields_new();
	time_t now = time(NULL);
	char to[32];

	fields_add(tb, _("Token"), jstr(t, "serial"));
	fields_add(tb, _("Label"), jstr(t, "label"));
	registration_fields(tb, t);
	table_print(tb);

	json_object *certs = jarr(t, "certificates");
	size_t n = certs ? json_object_array_length(certs) : 0;
	if (n == 0) {
		printf("\n%s\n", _("No certificate on this token."));
		return;
	}
	const char *titles[] = { _("CERTIFICATE"), _("HOLDER"), _("EXPIRES"), _("STATUS"), NULL };
	struct libscols_table *certs_tb = table_new(titles);
	table_column(certs_tb, 1, TABLE_WRAP, TABLE_ALWAYS);
	table_column(certs_tb, 3, TABLE_WRAP, TABLE_ALWAYS);
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(certs, i);
		struct libscols_line *row = table_row(certs_tb);
		table_cell(row, 0, jstr(c, "serial"));
		table_cell(row, 1, jstr(c, "subject_cn"));
		table_cell(row, 2, format_date(jstr(c, "not_after"), false, to, sizeof(to)));
		table_cell(row, 3, format_validity(c, now));
	}
	putchar('\n');
	table_print(certs_tb);
}

static json_object *
token_of(json_object *answer)
{
	json_object *t = NULL;
	json_object_object_get_ex(answer, "token", &t);
	return t;
}

static void
print_register(struct client *cl, json_object *answer)
{
	json_object *t = token_of(answer);
	bool organization;
	const char *name = registration_holder_name(t, &organization);
	printf(organization ? _("Token %s is registered to the organization %s.\n")
			    : _("Token %s is registered to %s.\n"), jstr(t, "serial"), name);
	print_registered(t);
}

static void
print_confirm(struct client *cl, json_object *answer)
{
	json_object *t = token_of(answer);
	printf(_("The certificates token %s now carries are bound to it.\n"), jstr(t, "serial"));
	print_registered(t);
}

/*
 * The one token present that is not registered: its serial (a new reference
 * in *serial), or the exit status having said there is none or more than one.
 */
static int
unregistered_token(struct client *cl, const char *prog, json_object **serial)
{
	json_object *answer, *found = json_object_new_array();
	if (!found)
		die_oom();
	int r = client_call(cl, "io.khoa.Tokens.List", NULL, &answer);
	if (r != EXIT_OK) {
		json_object_put(found);
		return r;
	}
	json_object *tokens = jarr(answer, "tokens");
	for (size_t i = 0; tokens && i < json_object_array_length(tokens); i++) {
		json_object *t = json_object_array_get_idx(tokens, i), *reg, *s;
		if (json_object_object_get_ex(t, "registration", &reg) &&
		    strcmp(jstr(reg, "status"), "unregistered") == 0 &&
		    json_object_object_get_ex(t, "serial", &s) &&
		    json_object_array_add(found, json_object_get(s)) < 0)
			die_oom();
	}
	json_object_put(answer);

	size_t n = json_object_array_length(found);
	if (n == 1) {
		*serial = json_object_get(json_object_array_get_idx(found, 0));
		json_object_put(found);
		return EXIT_OK;
	}
	if (n == 0) {
		fprintf(stderr, _("%s: every token present is registered already; "
				  "name the token's serial\n"), prog);
	} else {
		fprintf(stderr, _("%s: %zu tokens present are not registered; name one:\n"), prog, n);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "  %s\n",
				json_object_get_string(json_object_array_get_idx(found, i)));
	}
	json_object_put(found);
	return EXIT_USAGE;
}

static int
run_register(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	json_object *serial = NULL;

	bool person = json_object_object_get_ex(params, "person_id", NULL);
	bool org = json_object_object_get_ex(params, "organization_id", NULL);
	if (person == org) {
		fprintf(stderr, _("%s: say who holds the token: --holder PERSON_ID or --org ORG_ID\n"),
			prog);
		json_object_put(params);
		return EXIT_USAGE;
	}
	if (argc > 0) {
		serial = json_object_new_string(argv[0]);
		if (!serial)
			die_oom();
	} else {
		int status = unregistered_token(cl, prog, &serial);
		if (status != EXIT_OK) {
			json_object_put(params);
			return status;
		}
	}
	if (json_object_object_add(params, "serial", serial) < 0)
		die_oom();
	return client_show(cl, "io.khoa.Tokens.Register", params, print_register);
}

static int
run_unregister(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	json_object *answer;
	const char *serial = argv[0];
	param_str(params, "serial", serial);
	int status = client_call(cl, "io.khoa.Tokens.Unregister", params, &answer);
	if (status != EXIT_OK)
		return status;
	if (cl->json)
		client_print_json(answer);
	else
		printf(_("Token %s is no longer registered.\n"), serial);
	json_object_put(answer);
	return EXIT_OK;
}

static int
run_confirm(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	param_str(params, "serial", argv[0]);
	return client_show(cl, "io.khoa.Tokens.ConfirmBinding", params, print_confirm);
}

const struct command cmd_register = {
	.name = "register",
	/* One of --holder and --org: more than the rows say. */
	.synopsis = N_("[SERIAL] --holder ID | --org ID"),
	.help = N_("register a token to a person or an organization"),
	.about = N_("Records the token, the certificates it now carries, and who holds it.\n"
		    "Without SERIAL: the one token present that is not registered yet.\n"),
	.notes = N_("Needs the role technician.\n"),
	.is = { NC_("metavar", "[SERIAL]"), 0, 1, register_options, run_register },
};
const struct command cmd_unregister = {
	.name = "unregister",
	.help = N_("end a token's registration (returned, lost, revoked)"),
	.about = N_("Ends the token's registration; the token need not be present.\n"),
	.notes = N_("Needs the role technician.\n"),
	.is = { NC_("metavar", "SERIAL"), 1, 1, unregister_options, run_unregister },
};
const struct command cmd_confirm = {
	.name = "confirm",
	.help = N_("accept a token's new certificates (ends a mismatch)"),
	.about = N_("Binds the certificates the token now carries to its registration, after\n"
		    "a certificate was renewed or replaced: khoa tokens then stops showing\n"
		    "MISMATCH for it.\n"),
	.notes = N_("Needs the role technician.\n"),
	.is = { NC_("metavar", "SERIAL"), 1, 1, NULL, run_confirm },
};
