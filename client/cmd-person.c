/* khoa person create | update | list | show: the people of the registry,
 * holders of personal tokens. */
#include <stdio.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "table.h"

/* The fields of a person: all of them to create one, the name and the ID
 * number required; any to update one. */
#define PERSON_FIELDS(need) \
	{ "name", "full_name", OPTION_TEXT, NC_("metavar", "NAME"), N_("full name"), need }, \
	{ "id-number", "id_number", OPTION_TEXT, NC_("metavar", "NUMBER"), \
	  N_("CMND (9 digits) or CCCD (12 digits) number"), need }, \
	{ "birth-date", "birth_date", OPTION_TEXT, NC_("metavar", "DATE"), \
	  N_("date of birth, dd/mm/yyyy or yyyy-mm-dd"), OPTION_OPTIONAL }, \
	{ "position", "position", OPTION_TEXT, NC_("metavar", "TEXT"), N_("job title"), \
	  OPTION_OPTIONAL }, \
	{ "org", "organization_id", OPTION_ID, NC_("metavar", "ID"), \
	  N_("the organization the person works for (0: none)"), OPTION_OPTIONAL }, \
	{ "email", "email", OPTION_TEXT, NC_("metavar", "ADDRESS"), N_("e-mail address"), \
	  OPTION_OPTIONAL }, \
	{ "phone", "phone", OPTION_TEXT, NC_("metavar", "NUMBER"), N_("phone number"), \
	  OPTION_OPTIONAL }, \
	{ "sex", "sex", OPTION_TEXT, "male|female", \
	  N_("sex, as a code or as the forms write it (Nam, Nữ)"), OPTION_OPTIONAL }, \
	{ "birth-place", "birth_place", OPTION_TEXT, NC_("metavar", "TEXT"), \
	  N_("place of birth"), OPTION_OPTIONAL }, \
	{ "id-issued-on", "id_issued_on", OPTION_TEXT, NC_("metavar", "DATE"), \
	  N_("the day the ID card was issued, dd/mm/yyyy or yyyy-mm-dd"), OPTION_OPTIONAL }, \
	{ "id-issued-by", "id_issued_by", OPTION_TEXT, NC_("metavar", "TEXT"), \
	  N_("who issued the ID card, as the card says"), OPTION_OPTIONAL }, \
	{ "address", "address", OPTION_TEXT, NC_("metavar", "ADDRESS"), \
	  N_("the person's address"), OPTION_OPTIONAL }, \
	{ "fax", "fax", OPTION_TEXT, NC_("metavar", "NUMBER"), N_("fax number"), \
	  OPTION_OPTIONAL }

static const struct param_option create_options[] = { PERSON_FIELDS(OPTION_REQUIRED), { NULL } };
static const struct param_option update_options[] = {
	PERSON_FIELDS(OPTION_OPTIONAL),
	{ "login", "logins", OPTION_LIST, NC_("metavar", "LOGIN"),
	  N_("the person's Unix login, by which khoad knows them (repeat for several; "
	     "replaces their logins; '' removes them all)"), OPTION_OPTIONAL },
	{ "clerk", "clerk", OPTION_FLAG, NULL,
	  N_("the person is the records clerk (văn thư) of their organization"),
	  OPTION_OPTIONAL },
	{ "not-clerk", "clerk", OPTION_FLAG_OFF, NULL,
	  N_("the person is no longer their organization's clerk"), OPTION_OPTIONAL },
	{ NULL }
};

static const struct param_option list_options[] = {
	{ "org", "organization_id", OPTION_ID, NC_("metavar", "ID"),
	  N_("only the people of this organization"), OPTION_OPTIONAL },
	{ NULL }
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

/* "vanthu, mai" */
static const char *
logins(json_object *p, char *buf, size_t size)
{
	json_object *arr = jarr(p, "logins");
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; arr && i < json_object_array_length(arr) && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
					 json_object_get_string(json_object_array_get_idx(arr, i)));
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
	fields_add(tb, _("Sex"), format_personal(p, "sex", format_sex(jstr(p, "sex"))));
	fields_add(tb, _("Date of birth"), format_personal(p, "birth_date",
			format_day(jstr(p, "birth_date"), when, sizeof(when))));
	fields_add(tb, _("Place of birth"), format_personal(p, "birth_place",
							    jstr(p, "birth_place")));
	fields_add(tb, _("CMND/CCCD number"), format_personal(p, "id_number", jstr(p, "id_number")));
	fields_add(tb, _("ID issued on"), format_personal(p, "id_issued_on",
			format_day(jstr(p, "id_issued_on"), when, sizeof(when))));
	fields_add(tb, _("ID issued by"), format_personal(p, "id_issued_by",
							  jstr(p, "id_issued_by")));
	fields_add(tb, _("Position"), format_optional(jstr(p, "position")));
	fields_add(tb, _("Organization"), format_optional(organization(p, buf, sizeof(buf))));
	fields_add(tb, _("Address"), format_personal(p, "address", jstr(p, "address")));
	fields_add(tb, _("E-mail"), format_optional(jstr(p, "email")));
	fields_add(tb, _("Phone"), format_personal(p, "phone", jstr(p, "phone")));
	fields_add(tb, _("Fax"), format_personal(p, "fax", jstr(p, "fax")));
	fields_add(tb, _("Logins"), format_optional(logins(p, buf, sizeof(buf))));
	fields_add(tb, _("Records clerk"), jbool(p, "clerk") ? _("yes, of their organization")
							    : _("no"));
	fields_add(tb, _("Created"), format_date(jstr(p, "created_at"), true, when, sizeof(when)));
	fields_add(tb, _("Updated"), format_date(jstr(p, "updated_at"), true, when, sizeof(when)));
	table_print(tb);
}

/* A cell of the list: TEXT, or that KEY is not shown to this caller (an
 * empty cell is an empty field). */
static const char *
personal_cell(json_object *p, const char *key, const char *text)
{
	return format_withheld(p, key) ? format_personal(p, key, text) : text;
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
	table_column(tb, 1, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WHOLE, TABLE_USEFUL);
	table_column(tb, 4, TABLE_WRAP, TABLE_USEFUL + 1);
	table_column(tb, 5, TABLE_WRAP, TABLE_ALWAYS);
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(people, i);
		struct libscols_line *row = table_row(tb);
		snprintf(id, sizeof(id), "%lld", (long long)jint(p, "id"));
		table_cell(row, 0, id);
		table_cell(row, 1, jstr(p, "full_name"));
		table_cell(row, 2, personal_cell(p, "id_number", jstr(p, "id_number")));
		table_cell(row, 3, personal_cell(p, "birth_date",
						 format_day(jstr(p, "birth_date"), day, sizeof(day))));
		table_cell(row, 4, jstr(p, "position"));
		table_cell(row, 5, jstr(p, "organization_name"));
	}
	table_print(tb);
}

static int
run_create(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return client_show(cl, "io.khoa.People.Create", params, print_person);
}

static int
run_update(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	if (!options_take_id(prog, argv[0], params, "id")) {
		json_object_put(params);
		return EXIT_USAGE;
	}
	return client_show(cl, "io.khoa.People.Update", params, print_person);
}

static int
run_list(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return client_show_pages(cl, "io.khoa.People.List", params, "people", print_people);
}

static int
run_show(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	static const struct id_call show = { "io.khoa.People.Get", print_person };
	return options_run_id(cl, prog, params, argv[0], &show);
}

static const struct subcommand person_subcommands[] = {
	{ "create", N_("add a person"),
	  { NULL, 0, 0, create_options, run_create } },
	{ "update", N_("change a person's details"),
	  { NC_("metavar", "ID"), 1, 1, update_options, run_update } },
	{ "list", N_("list everyone, or the people of one organization"),
	  { NULL, 0, 0, list_options, run_list } },
	{ "show", N_("show one person"),
	  { NC_("metavar", "ID"), 1, 1, NULL, run_show } },
	{ NULL }
};

const struct command cmd_person = {
	.name = "person",
	.help = N_("add, change and list the people who hold tokens"),
	.about = N_("Add, change and list the people of the registry: the holders of personal "
		    "tokens.\n"),
	.notes = N_("With update, an empty value (--email '') clears the field. What the forms ask "
		    "of a person (sex, place of birth, the ID card's day and place of issue, "
		    "address, phone, fax) is kept here once and fills Mẫu 01, 02, 05 and 09.\n"
		    "Creating and changing need the role technician. A person's logins let "
		    "khoad know them: they may then change their own token's PIN and file "
		    "their own requests; a clerk acts for their organization.\n"),
	.subs = person_subcommands,
};
