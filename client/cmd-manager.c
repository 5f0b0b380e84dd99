/*
 * khoa manager-change: decisions changing the manager of a certificate
 * (Mẫu 08): recording one drafts the handover between the old and the new
 * manager (io.khoa.Managers).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "date.h"
#include "format.h"
#include "handover.h"
#include "i18n.h"
#include "options.h"
#include "table.h"

static const struct param_option record_options[] = {
	{ "org", "organization_id", OPTION_ID, NC_("metavar", "ID"),
	  N_("the agency whose certificate it is"), OPTION_REQUIRED },
	{ "kind", "certificate_kind", OPTION_TEXT, "organization|person",
	  N_("the kind of certificate"), OPTION_REQUIRED },
	{ "name", "registered_name", OPTION_TEXT, NC_("metavar", "NAME"),
	  N_("the name the certificate is registered to"), OPTION_REQUIRED },
	{ "from", "old_person_id", OPTION_ID, NC_("metavar", "PERSON_ID"),
	  N_("the old manager"), OPTION_REQUIRED },
	{ "to", "new_person_id", OPTION_ID, NC_("metavar", "PERSON_ID"),
	  N_("the new manager"), OPTION_REQUIRED },
	{ "effective", "effective_on", OPTION_TEXT, "dd/mm/yyyy",
	  N_("the day the decision takes effect"), OPTION_REQUIRED },
	{ "decision", "decision_number", OPTION_TEXT, NC_("metavar", "NUMBER"),
	  N_("the decision's number"), OPTION_OPTIONAL },
	{ "serial", "token_serial", OPTION_TEXT, NC_("metavar", "SERIAL"),
	  N_("the token the certificate is on"), OPTION_OPTIONAL },
	{ NULL }
};

static json_object *
change_of(json_object *answer)
{
	json_object *v = NULL;
	json_object_object_get_ex(answer, "change", &v);
	return v;
}

static const char *
kind_text(const char *kind)
{
	if (strcmp(kind, "organization") == 0)
		/* TRANSLATORS: the kind of certificate whose manager changes (Mẫu 08). */
		return _("organization certificate");
	if (strcmp(kind, "person") == 0)
		return _("personal certificate");
	return kind;
}

/* "Nguyễn Văn A, Chánh Văn phòng (ID 3)" */
static const char *
manager_text(json_object *c, const char *name, const char *position, const char *id,
	     char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", jstr(c, name), *jstr(c, position) ? ", " : "",
		 jstr(c, position));
	size_t len = strlen(buf);
	snprintf(buf + len, size - len, _(" (ID %lld)"), (long long)jint(c, id));
	return buf;
}

static void
print_change(json_object *c)
{
	struct libscols_table *tb = fields_new();
	char buf[1024], day[32], when[32];

	/* TRANSLATORS: the title of Mẫu 08. */
	printf("%s\n", _("Decision changing the manager of a certificate (Mẫu 08)"));
	snprintf(buf, sizeof(buf), "%lld", (long long)jint(c, "id"));
	fields_add(tb, _("Change"), buf);
	snprintf(buf, sizeof(buf), _("%s (ID %lld)"), jstr(c, "organization_name"),
		 (long long)jint(c, "organization_id"));
	fields_add(tb, _("Agency"), buf);
	fields_add(tb, _("Certificate kind"), kind_text(jstr(c, "certificate_kind")));
	fields_add(tb, _("Registered name"), jstr(c, "registered_name"));
	fields_add(tb, _("Token"), format_optional(jstr(c, "token_serial")));
	fields_add(tb, _("Old manager"), manager_text(c, "old_manager", "old_position",
						      "old_person_id", buf, sizeof(buf)));
	fields_add(tb, _("New manager"), manager_text(c, "new_manager", "new_position",
						      "new_person_id", buf, sizeof(buf)));
	fields_add(tb, _("Effective on"), handover_when(jstr(c, "effective_on"), false, day,
							sizeof(day)));
	fields_add(tb, _("Decision number"), format_optional(jstr(c, "decision_number")));
	snprintf(buf, sizeof(buf), "%lld", (long long)jint(c, "handover_id"));
	fields_add(tb, _("Handover"), buf);
	/* TRANSLATORS: when, and the login of the user who did it. */
	snprintf(buf, sizeof(buf), _("%s, user %s"),
		 handover_when(jstr(c, "created_at"), true, when, sizeof(when)),
		 jstr(c, "created_by"));
	fields_add(tb, _("Recorded"), buf);
	table_print(tb);
}

static void
print_recorded(struct client *cl, json_object *answer)
{
	json_object *c = change_of(answer);
	long long h = (long long)jint(c, "handover_id");
	printf(_("Manager change %lld is recorded.\n\n"), (long long)jint(c, "id"));
	print_change(c);
	putchar('\n');
	printf(_("The handover between the two managers is drafted: khoa handover show %lld\n"), h);
	printf(_("Next: khoa handover finalize %lld\n"), h);
}

static void
print_shown(struct client *cl, json_object *answer)
{
	print_change(change_of(answer));
}

static void
print_list(struct client *cl, json_object *answer)
{
	json_object *list = jarr(answer, "changes");
	size_t n = list ? json_object_array_length(list) : 0;
	const char *titles[] = { _("ID"), _("EFFECTIVE"), _("AGENCY"), _("REGISTERED NAME"),
				 _("OLD MANAGER"), _("NEW MANAGER"), _("HANDOVER"), NULL };
	char id[32], day[32], h[32];

	if (n == 0) {
		printf("%s\n", _("No manager change."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	for (size_t c = 2; c <= 5; c++)
		table_column(tb, c, TABLE_WRAP, TABLE_ALWAYS);
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(list, i);
		struct libscols_line *row = table_row(tb);
		snprintf(id, sizeof(id), "%lld", (long long)jint(c, "id"));
		table_cell(row, 0, id);
		table_cell(row, 1, handover_when(jstr(c, "effective_on"), false, day, sizeof(day)));
		table_cell(row, 2, jstr(c, "organization_name"));
		table_cell(row, 3, jstr(c, "registered_name"));
		table_cell(row, 4, jstr(c, "old_manager"));
		table_cell(row, 5, jstr(c, "new_manager"));
		snprintf(h, sizeof(h), "%lld", (long long)jint(c, "handover_id"));
		table_cell(row, 6, h);
	}
	table_print(tb);
}

/* dd/mm/yyyy (or yyyy-mm-dd) as the protocol's yyyy-mm-dd in BUF; NULL if
 * TEXT is not a date. */
static const char *
iso_day(const char *text, char buf[KHOA_DATE_ISO_SIZE])
{
	struct khoa_datetime t;
	if (khoa_date_parse(text, KHOA_DATE_DMY | KHOA_DATE_ISO, &t) < 0)
		return NULL;
	khoa_date_iso(&t, buf);
	return buf;
}

static int
run_record(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	const char *kind = jstr(params, "certificate_kind");
	const char *effective = jstr(params, "effective_on");
	bool ok = true;
	char day[KHOA_DATE_ISO_SIZE];

	if (strcmp(kind, "organization") != 0 && strcmp(kind, "person") != 0) {
		fprintf(stderr, _("%s: --kind is organization or person, not '%s'\n"), prog, kind);
		ok = false;
	} else if (!iso_day(effective, day)) {
		fprintf(stderr, _("%s: '%s' is not a date (dd/mm/yyyy)\n"), prog, effective);
		ok = false;
	}
	if (!ok) {
		json_object_put(params);
		return EXIT_USAGE;
	}
	param_str(params, "effective_on", day);
	return client_show(cl, "io.khoa.Managers.Record", params, print_recorded);
}

static int
run_list(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return client_show_pages(cl, "io.khoa.Managers.List", params, "changes", print_list);
}

static int
run_show(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	static const struct id_call show = { "io.khoa.Managers.Get", print_shown };
	return options_run_id(cl, prog, params, argv[0], &show);
}

static const struct subcommand manager_subcommands[] = {
	{ "list", N_("the changes recorded"), { NULL, 0, 0, NULL, run_list } },
	{ "show", N_("one change"), { NC_("metavar", "ID"), 1, 1, NULL, run_show } },
	{ NULL }
};

const struct command cmd_manager_change = {
	.name = "manager-change",
	/* Recording one takes options only: what the rows cannot say. */
	.synopsis = N_("OPTIONS | list | show ID"),
	.help = N_("record a decision changing a certificate's manager (Mẫu 08)"),
	.about = N_("A decision of the agency (Mẫu 08) hands a certificate from its old manager\n"
		    "to a new one; recording it drafts the handover between the two.\n"),
	.subs = manager_subcommands,
	.is = { NULL, 0, 0, record_options, run_record },
	.is_help = N_("record one (clerk, technician)"),
};
