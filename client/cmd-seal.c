/*
 * khoa seal out | in | log: the organization token kept like the agency's
 * seal by the records clerk (R-CUSTODY, Điều 13.2): checked out to a person
 * for a purpose, checked back in, every use in the register
 * (io.khoa.Custody.SealOut, SealIn, SealLog).
 */
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "format.h"
#include "handover.h"
#include "i18n.h"
#include "khoa-limits.h"
#include "options.h"
#include "table.h"

static json_object *
entry_of(json_object *answer)
{
	json_object *v = NULL;
	json_object_object_get_ex(answer, "entry", &v);
	return v;
}

static void
print_out(struct client *cl, json_object *answer)
{
	json_object *e = entry_of(answer);
	char due[32];
	/* TRANSLATORS: the seal token, who took it, for what, when it is due back. */
	printf(_("Token %s is out to %s for: %s.\nDue back by %s: khoa seal in %s\n"),
	       jstr(e, "token_serial"), jstr(e, "person_name"), jstr(e, "purpose"),
	       handover_when(jstr(e, "due_at"), true, due, sizeof(due)), jstr(e, "token_serial"));
}

static void
print_in(struct client *cl, json_object *answer)
{
	json_object *e = entry_of(answer);
	char out[32], in[32];
	printf(_("Token %s is back in the register (out to %s from %s to %s).\n"),
	       jstr(e, "token_serial"), jstr(e, "person_name"),
	       handover_when(jstr(e, "out_at"), true, out, sizeof(out)),
	       handover_when(jstr(e, "in_at"), true, in, sizeof(in)));
	if (jbool(e, "overdue"))
		printf("%s\n", _("It came back late."));
	if (*jstr(e, "in_note"))
		/* TRANSLATORS: the note given when the seal token came back. */
		printf(_("Note: %s\n"), jstr(e, "in_note"));
}

enum { COL_TOKEN, COL_WHO, COL_PURPOSE, COL_OUT, COL_DUE, COL_IN, COL_NOTE };

static void
print_log(struct client *cl, json_object *answer)
{
	json_object *entries = jarr(answer, "entries");
	size_t n = entries ? json_object_array_length(entries) : 0;
	const char *titles[] = { _("TOKEN"), _("WHO"), _("PURPOSE"), _("OUT"), _("DUE"), _("IN"),
				 _("NOTE"), NULL };
	char out[32], due[32], in[64];

	if (n == 0) {
		printf("%s\n", _("The seal register is empty."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	table_column(tb, COL_WHO, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, COL_PURPOSE, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, COL_OUT, TABLE_WHOLE, TABLE_USEFUL);
	table_column(tb, COL_IN, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, COL_NOTE, TABLE_WRAP, TABLE_USEFUL + 1);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(entries, i);
		struct libscols_line *row = table_row(tb);
		table_cell(row, COL_TOKEN, jstr(e, "token_serial"));
		table_cell(row, COL_WHO, jstr(e, "person_name"));
		table_cell(row, COL_PURPOSE, jstr(e, "purpose"));
		table_cell(row, COL_OUT, handover_when(jstr(e, "out_at"), true, out, sizeof(out)));
		table_cell(row, COL_DUE, handover_when(jstr(e, "due_at"), true, due, sizeof(due)));
		if (*jstr(e, "in_at")) {
			char when[32];
			snprintf(in, sizeof(in), "%s%s%s",
				 handover_when(jstr(e, "in_at"), true, when, sizeof(when)),
				 jbool(e, "overdue") ? " " : "",
				 /* TRANSLATORS: came back after it was due. */
				 jbool(e, "overdue") ? _("(late)") : "");
			table_cell(row, COL_IN, in);
		} else {
			/* TRANSLATORS: the seal token is still out after it was due. */
			table_cell(row, COL_IN, jbool(e, "overdue") ? _("OVERDUE") : "—");
		}
		table_cell(row, COL_NOTE, *jstr(e, "in_note") ? jstr(e, "in_note") : "");
	}
	table_print(tb);
}

static const struct param_option out_options[] = {
	{ "to", "person_id", OPTION_ID, NC_("metavar", "PERSON_ID"),
	  N_("the person it is lent to"), OPTION_REQUIRED },
	{ "purpose", "purpose", OPTION_TEXT, NC_("metavar", "TEXT"), N_("what it is lent for"),
	  OPTION_REQUIRED },
	{ "hours", "hours", OPTION_ID, "N",
	  N_("due back after N hours (default: khoad's setting, 8)"), OPTION_OPTIONAL },
	{ "another-agency", "another_agency", OPTION_FLAG, NULL,
	  N_("lend it to a person of another agency (recorded)"), OPTION_OPTIONAL },
	{ NULL }
};

static const struct param_option in_options[] = {
	{ "note", "note", OPTION_TEXT, NC_("metavar", "TEXT"), N_("a note for the register"),
	  OPTION_OPTIONAL },
	{ NULL }
};

static const struct param_option log_options[] = {
	{ "open", "open", OPTION_FLAG, NULL, N_("only what is out now"), OPTION_OPTIONAL },
	{ NULL }
};

static int
run_out(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	if (json_object_object_get_ex(params, "hours", NULL) &&
	    jint(params, "hours") > KHOA_SEAL_HOURS_MAX) {
		fprintf(stderr, _("%s: --hours is a whole number of hours from 0 (due at once) "
				  "to %d\n"), prog, KHOA_SEAL_HOURS_MAX);
		json_object_put(params);
		return EXIT_USAGE;
	}
	param_str(params, "serial", argv[0]);
	return client_show(cl, "io.khoa.Custody.SealOut", params, print_out);
}

static int
run_in(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	param_str(params, "serial", argv[0]);
	return client_show(cl, "io.khoa.Custody.SealIn", params, print_in);
}

static int
run_log(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	if (argc > 0)
		param_str(params, "serial", argv[0]);
	return client_show_pages(cl, "io.khoa.Custody.SealLog", params, "entries", print_log);
}

static const struct subcommand seal_subcommands[] = {
	{ "out", N_("lend it (clerk)"),
	  { NC_("metavar", "SERIAL"), 1, 1, out_options, run_out } },
	{ "in", N_("it is back (clerk)"),
	  { NC_("metavar", "SERIAL"), 1, 1, in_options, run_in } },
	{ "log", N_("the register, newest first"),
	  { NC_("metavar", "[SERIAL]"), 0, 1, log_options, run_log } },
	{ NULL }
};

const struct command cmd_seal = {
	.name = "seal",
	.help = N_("check the organization token out and in like the seal, and its register"),
	.about = N_("The organization's token is kept like its seal by the records clerk: each\n"
		    "use is checked out to a person for a purpose and checked back in.\n"),
	.subs = seal_subcommands,
};
