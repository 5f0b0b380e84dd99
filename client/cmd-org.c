/* khoa org create | update | list | show: the organizations (agencies) of the
 * registry. */
#include <stdio.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "table.h"

/* The fields of an organization: all of them to create one, its name
 * required; any to update one. */
#define ORG_FIELDS(name_need) \
	{ "name", "name", OPTION_TEXT, NC_("metavar", "NAME"), \
	  N_("the organization's name"), name_need }, \
	{ "parent", "parent_id", OPTION_ID, NC_("metavar", "ID"), \
	  N_("the organization that manages it (0: none)"), OPTION_OPTIONAL }, \
	{ "tax-code", "tax_code", OPTION_TEXT, NC_("metavar", "CODE"), \
	  N_("its tax code"), OPTION_OPTIONAL }, \
	{ "address", "address", OPTION_TEXT, NC_("metavar", "ADDRESS"), \
	  N_("its address"), OPTION_OPTIONAL }, \
	{ "email", "email", OPTION_TEXT, NC_("metavar", "ADDRESS"), \
	  N_("its e-mail address"), OPTION_OPTIONAL }, \
	{ "managing-body", "managing_body", OPTION_TEXT, NC_("metavar", "NAME"), \
	  N_("the body that manages it (cơ quan chủ quản) when it is not in the registry " \
	     "(else --parent)"), OPTION_OPTIONAL }

static const struct param_option create_options[] = { ORG_FIELDS(OPTION_REQUIRED), { NULL } };
static const struct param_option update_options[] = {
	ORG_FIELDS(OPTION_OPTIONAL),
	{ "manager", "manager_id", OPTION_ID, NC_("metavar", "PERSON"),
	  N_("the person who manages its certificate, a person of it or of a unit of it "
	     "(0: none)"), OPTION_OPTIONAL },
	{ "reorganized", "reorganized", OPTION_TEXT, "split|merge|consolidation|dissolution",
	  N_("record a decision splitting, merging, consolidating or dissolving it: its "
	     "certificates become due for revocation (Điều 6.1a; a rename does so too)"),
	  OPTION_OPTIONAL },
	{ NULL }
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
	fields_add(tb, _("Managing body"), format_optional(jstr(org, "managing_body")));
	fields_add(tb, _("Tax code"), format_optional(jstr(org, "tax_code")));
	fields_add(tb, _("Address"), format_optional(jstr(org, "address")));
	fields_add(tb, _("E-mail"), format_optional(jstr(org, "email")));
	if (jint(org, "manager_id") > 0)
		snprintf(buf, sizeof(buf), _("%s (ID %lld)"), *jstr(org, "manager_name")
			 ? jstr(org, "manager_name") : "?", (long long)jint(org, "manager_id"));
	fields_add(tb, _("Certificate manager"), jint(org, "manager_id") > 0 ? buf : "—");
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
	table_column(tb, 1, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 2, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WHOLE, TABLE_USEFUL);
	table_column(tb, 4, TABLE_WRAP, TABLE_USEFUL + 1);
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

static int
run_create(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return client_show(cl, "io.khoa.Organizations.Create", params, print_org);
}

static int
run_update(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	if (!options_take_id(prog, argv[0], params, "id")) {
		json_object_put(params);
		return EXIT_USAGE;
	}
	return client_show(cl, "io.khoa.Organizations.Update", params, print_org);
}

static int
run_list(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return client_show_pages(cl, "io.khoa.Organizations.List", params, "organizations",
				 print_orgs);
}

static int
run_show(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	static const struct id_call show = { "io.khoa.Organizations.Get", print_org };
	return options_run_id(cl, prog, params, argv[0], &show);
}

static const struct subcommand org_subcommands[] = {
	{ "create", N_("add an organization"),
	  { NULL, 0, 0, create_options, run_create } },
	{ "update", N_("change an organization's details"),
	  { NC_("metavar", "ID"), 1, 1, update_options, run_update } },
	{ "list", N_("list every organization"),
	  { NULL, 0, 0, NULL, run_list } },
	{ "show", N_("show one organization"),
	  { NC_("metavar", "ID"), 1, 1, NULL, run_show } },
	{ NULL }
};

const struct command cmd_org = {
	.name = "org",
	.help = N_("add, change and list the organizations of the registry"),
	.about = N_("Add, change and list the organizations (agencies) that hold or manage tokens.\n"),
	.notes = N_("With update, an empty value (--email '') clears the field.\n"
		    "Creating and changing need the role technician.\n"),
	.subs = org_subcommands,
};
