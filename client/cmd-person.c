/* khoa person create | update | list | show: the people of the registry,
 * holders of personal tokens. */
#include <stdio.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "table.h"

static const struct param_option person_options[] = {
	{ "name", "full_name", OPTION_TEXT },
	{ "id-number", "id_number", OPTION_TEXT },
	{ "birth-date", "birth_date", OPTION_TEXT },
	{ "position", "position", OPTION_TEXT },
	{ "org", "organization_id", OPTION_ID },
	{ "email", "email", OPTION_TEXT },
	{ "phone", "phone", OPTION_TEXT },
	{ NULL, NULL, 0 }
};

static const struct param_option list_options[] = {
	{ "org", "organization_id", OPTION_ID },
	{ NULL, NULL, 0 }
};

/* "Sở Nội vụ (ID 2)", or "" when the person has no organization. */
static const char *
organization(json_object *p, char *buf, size_t size)
{
	if (jint(p, "organization_id") <= 0)
		return "";
	snprintf(buf, size, _("%s (ID %lld)"), jstr(p, "organization_name"),
		 (long long)jint(p, "organization_id"));
	return buf;
}

static void
print_person(struct client *cl, json_object *answer)
{
	json_object *p = NULL;
	json_object_object_get_ex(answer, "person", &p);
	struct libscols_table *tb = fields_new();
	char buf[512], when[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)jint(p, "id"));
	fields_add(tb, _("ID"), buf);
	fields_add(tb, _("Full name"), jstr(p, "full_name"));
	fields_add(tb, _("CMND/CCCD number"), jstr(p, "id_number"));
	fields_add(tb, _("Date of birth"),
		   format_optional(format_day(jstr(p, "birth_date"), when, sizeof(when))));
	fields_add(tb, _("Position"), format_optional(jstr(p, "position")));
	fields_add(tb, _("Organization"), format_optional(organization(p, buf, sizeof(buf))));
	fields_add(tb, _("E-mail"), format_optional(jstr(p, "email")));
	fields_add(tb, _("Phone"), format_optional(jstr(p, "phone")));
	fields_add(tb, _("Created"), format_date(jstr(p, "created_at"), true, when, sizeof(when)));
	fields_add(tb, _("Updated"), format_date(jstr(p, "updated_at"), true, when, sizeof(when)));
	table_print(tb);
}

static void
print_people(struct client *cl, json_object *answer)
{
	json_object *people = jarr(answer, "people");
	const char *titles[] = {
		_("ID"), _("FULL NAME"), _("CMND/CCCD"), _("DATE OF BIRTH"), _("POSITION"),
		_("ORGANIZATION"), NULL
	};
	size_t n = people ? json_object_array_length(people) : 0;
	char id[32], day[32];

	if (n == 0) {
		printf("%s\n", _("Nobody is registered yet."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(people, i);
		struct libscols_line *row = table_row(tb);
		snprintf(id, sizeof(id), "%lld", (long long)jint(p, "id"));
		table_cell(row, 0, id);
		table_cell(row, 1, jstr(p, "full_name"));
		table_cell(row, 2, jstr(p, "id_number"));
		table_cell(row, 3, format_day(jstr(p, "birth_date"), day, sizeof(day)));
		table_cell(row, 4, jstr(p, "position"));
		table_cell(row, 5, jstr(p, "organization_name"));
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

	enum options_result r = options_parse(&cmd_person, prog, argc, argv, person_options,
					      params, _("ID [OPTIONS]"), create ? 0 : 1,
					      create ? 0 : 1, &first);
	if (r == OPTIONS_OK && create &&
	    (!options_require(prog, params, "full_name", "--name") ||
	     !options_require(prog, params, "id_number", "--id-number")))
		r = OPTIONS_BAD;
	if (r == OPTIONS_OK && !create && !options_id(prog, argv[first], &id))
		r = OPTIONS_BAD;
	if (r != OPTIONS_OK) {
		json_object_put(params);
		return options_exit(r);
	}
	if (!create)
		param_int(params, "id", id);
	return client_show(cl, create ? "io.khoa.People.Create" : "io.khoa.People.Update",
			   params, print_person);
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
	json_object *params = param_new();
	int first;
	enum options_result r = options_parse(&cmd_person, prog, argc, argv, list_options,
					      params, "", 0, 0, &first);
	if (r != OPTIONS_OK) {
		json_object_put(params);
		return options_exit(r);
	}
	return client_show(cl, "io.khoa.People.List", params, print_people);
}

static int
run_show(struct client *cl, const char *prog, int argc, char **argv)
{
	static const struct id_call show = { .method = "io.khoa.People.Get", .human = print_person };
	return options_run_id(cl, &cmd_person, prog, argc, argv, &show);
}

static int
run_person(struct client *cl, int argc, char **argv)
{
	static const struct subcommand subs[] = {
		{ "create", run_create },
		{ "update", run_update },
		{ "list", run_list },
		{ "show", run_show },
		{ NULL, NULL }
	};
	return subcommand_run(cl, &cmd_person, subs, argc, argv);
}

const struct command cmd_person = {
	.name = "person",
	.args = "create|update|list|show …",
	.help = N_("add, change and list the people who hold tokens"),
	.run = run_person,
	.usage = N_("Add, change and list the people of the registry: the holders of personal tokens.\n"
		    "\n"
		    "Subcommands:\n"
		    "  create --name NAME --id-number NUMBER [OPTIONS]\n"
		    "                              add a person\n"
		    "  update ID [OPTIONS]         change a person's details\n"
		    "  list [--org ID]             list everyone, or the people of one organization\n"
		    "  show ID                     show one person\n"
		    "\n"
		    "Options of create and update:\n"
		    "  --name NAME          full name\n"
		    "  --id-number NUMBER   CMND (9 digits) or CCCD (12 digits) number\n"
		    "  --birth-date DATE    date of birth, dd/mm/yyyy or yyyy-mm-dd\n"
		    "  --position TEXT      job title\n"
		    "  --org ID             the organization the person works for (0: none)\n"
		    "  --email ADDRESS      e-mail address\n"
		    "  --phone NUMBER       phone number\n"
		    "With update, an empty value (--email '') clears the field.\n"
		    "Creating and changing need the role technician.\n"),
};
