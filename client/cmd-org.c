/* khoa org create | update | list | show: the organizations (agencies) of the
 * registry. */
#include <stdio.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "table.h"

static const struct param_option org_options[] = {
	{ "name", "name", OPTION_TEXT },
	{ "parent", "parent_id", OPTION_ID },
	{ "tax-code", "tax_code", OPTION_TEXT },
	{ "address", "address", OPTION_TEXT },
	{ "email", "email", OPTION_TEXT },
	{ NULL, NULL, 0 }
};

static json_object *
organization_of(json_object *answer)
{
	json_object *org = NULL;
	json_object_object_get_ex(answer, "organization", &org);
	return org;
}

/* "Sở Nội vụ (ID 2)" for the organization ID, or "—" for none. */
static const char *
parent_name(struct client *cl, int64_t id, char *buf, size_t size)
{
	json_object *params, *parent;

	if (id <= 0)
		return "—";
	params = param_new();
	param_int(params, "id", id);
	parent = client_lookup(cl, "io.khoa.Organizations.Get", params);
	snprintf(buf, size, _("%s (ID %lld)"), parent ? jstr(organization_of(parent), "name") : "?",
		 (long long)id);
	json_object_put(parent);
	return buf;
}

static void
print_org(struct client *cl, json_object *answer)
{
	json_object *org = organization_of(answer);
	struct libscols_table *tb = fields_new();
	char buf[512], when[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)jint(org, "id"));
	fields_add(tb, _("ID"), buf);
	fields_add(tb, _("Name"), jstr(org, "name"));
	fields_add(tb, _("Parent organization"), parent_name(cl, jint(org, "parent_id"), buf,
							     sizeof(buf)));
	fields_add(tb, _("Tax code"), format_optional(jstr(org, "tax_code")));
	fields_add(tb, _("Address"), format_optional(jstr(org, "address")));
	fields_add(tb, _("E-mail"), format_optional(jstr(org, "email")));
	fields_add(tb, _("Created"), format_date(jstr(org, "created_at"), true, when, sizeof(when)));
	fields_add(tb, _("Updated"), format_date(jstr(org, "updated_at"), true, when, sizeof(when)));
	table_print(tb);
}

/* The name of the organization with ID in the array ORGS, or NULL. */
static const char *
name_in(json_object *orgs, int64_t id)
{
	for (size_t i = 0; i < json_object_array_length(orgs); i++) {
		json_object *o = json_object_array_get_idx(orgs, i);
		if (jint(o, "id") == id)
			return jstr(o, "name");
	}
	return NULL;
}

static void
print_orgs(struct client *cl, json_object *answer)
{
	json_object *orgs = jarr(answer, "organizations");
	const char *titles[] = {
		_("ID"), _("NAME"), _("PARENT"), _("TAX CODE"), _("E-MAIL"), NULL
	};
	size_t n = orgs ? json_object_array_length(orgs) : 0;
	char id[32], parent[32];

	if (n == 0) {
		printf("%s\n", _("No organization is registered yet."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(orgs, i);
		struct libscols_line *row = table_row(tb);
		int64_t parent_id = jint(o, "parent_id");
		snprintf(id, sizeof(id), "%lld", (long long)jint(o, "id"));
		table_cell(row, 0, id);
		table_cell(row, 1, jstr(o, "name"));
		if (parent_id > 0) {
			const char *name = name_in(orgs, parent_id);
			snprintf(parent, sizeof(parent), "#%lld", (long long)parent_id);
			table_cell(row, 2, name ? name : parent);
		}
		table_cell(row, 3, jstr(o, "tax_code"));
		table_cell(row, 4, jstr(o, "email"));
	}
	table_print(tb);
}

/* create and update: the options are the parameters. */
static int
run_edit(struct client *cl, const char *prog, int argc, char **argv, bool create)
{
	json_object *params = param_new();
	int first;
	int64_t id = 0;

	enum options_result r = options_parse(&cmd_org, prog, argc, argv, org_options, params,
					      _("ID [OPTIONS]"), create ? 0 : 1, create ? 0 : 1,
					      &first);
	if (r == OPTIONS_OK && create && !options_require(prog, params, "name", "--name"))
		r = OPTIONS_BAD;
	if (r == OPTIONS_OK && !create && !options_id(prog, argv[first], &id))
		r = OPTIONS_BAD;
	if (r != OPTIONS_OK) {
		json_object_put(params);
		return options_exit(r);
	}
	if (!create)
		param_int(params, "id", id);
	return client_show(cl, create ? "io.khoa.Organizations.Create"
				      : "io.khoa.Organizations.Update", params, print_org);
}

static int
run_create(struct client *cl, const char *prog, int argc, char **argv)
{
	return run_edit(cl, prog, argc, argv, true);
}

static int
run_update(struct client *cl, const char *prog, int argc, char **argv)
{
	return run_edit(cl, prog, argc, argv, false);
}

static int
run_list(struct client *cl, const char *prog, int argc, char **argv)
{
	int first;
	enum options_result r = options_parse(&cmd_org, prog, argc, argv, NULL, NULL, "", 0, 0,
					      &first);
	return r != OPTIONS_OK ? options_exit(r)
			       : client_show(cl, "io.khoa.Organizations.List", NULL, print_orgs);
}

static int
run_show(struct client *cl, const char *prog, int argc, char **argv)
{
	static const struct id_call show = { .method = "io.khoa.Organizations.Get", .human = print_org };
	return options_run_id(cl, &cmd_org, prog, argc, argv, &show);
}

static int
run_org(struct client *cl, int argc, char **argv)
{
	static const struct subcommand subs[] = {
		{ "create", run_create },
		{ "update", run_update },
		{ "list", run_list },
		{ "show", run_show },
		{ NULL, NULL }
	};
	return subcommand_run(cl, &cmd_org, subs, argc, argv);
}

const struct command cmd_org = {
	.name = "org",
	.args = "create|update|list|show …",
	.help = N_("add, change and list the organizations of the registry"),
	.run = run_org,
	.usage = N_("Add, change and list the organizations (agencies) that hold or manage tokens.\n"
		    "\n"
		    "Subcommands:\n"
		    "  create --name NAME [OPTIONS]   add an organization\n"
		    "  update ID [OPTIONS]            change an organization's details\n"
		    "  list                           list every organization\n"
		    "  show ID                        show one organization\n"
		    "\n"
		    "Options of create and update:\n"
		    "  --name NAME          the organization's name\n"
		    "  --parent ID          the organization that manages it (0: none)\n"
		    "  --tax-code CODE      its tax code\n"
		    "  --address ADDRESS    its address\n"
		    "  --email ADDRESS      its e-mail address\n"
		    "With update, an empty value (--email '') clears the field.\n"
		    "Creating and changing need the role technician.\n"),
};
