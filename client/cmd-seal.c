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
}

enum { COL_TOKEN, COL_WHO, COL_PURPOSE, COL_OUT, COL_DUE, COL_IN };

static void
print_log(struct client *cl, json_object *answer)
{
	json_object *entries = jarr(answer, "entries");
	size_t n = entries ? json_object_array_length(entries) : 0;
	const char *titles[] = { _("TOKEN"), _("WHO"), _("PURPOSE"), _("OUT"), _("DUE"), _("IN"),
				 NULL };
	char out[32], due[32], in[64];

	if (n == 0) {
		printf("%s\n", _("The seal register is empty."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	table_truncatable(tb, COL_PURPOSE);
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
	}
	table_print(tb);
}

static int
run_out(struct client *cl, const char *prog, int argc, char **argv)
{
	static const struct param_option opts[] = {
		{ "to", "person_id", OPTION_ID },
		{ "purpose", "purpose", OPTION_TEXT },
		{ "hours", "hours", OPTION_ID },
		{ NULL, NULL, 0 }
	};
	json_object *params = param_new();
	int first;
	enum options_result r = options_parse(&cmd_seal, prog, argc, argv, opts, params,
					      _("SERIAL --to PERSON_ID --purpose TEXT"), 1, 1,
					      &first);
	if (r == OPTIONS_OK && (!options_require(prog, params, "person_id", "--to PERSON_ID") ||
				!options_require(prog, params, "purpose", "--purpose TEXT")))
		r = OPTIONS_BAD;
	if (r == OPTIONS_OK && json_object_object_get_ex(params, "hours", NULL) &&
	    jint(params, "hours") > KHOA_SEAL_HOURS_MAX) {
		fprintf(stderr, _("%s: --hours is a whole number of hours from 0 (due at once) "
				  "to %d\n"), prog, KHOA_SEAL_HOURS_MAX);
		r = OPTIONS_BAD;
	}
	if (r != OPTIONS_OK) {
		json_object_put(params);
		return options_exit(r);
	}
	param_str(params, "serial", argv[first]);
	return client_show(cl, "io.khoa.Custody.SealOut", params, print_out);
}

static int
run_in(struct client *cl, const char *prog, int argc, char **argv)
{
	static const struct param_option opts[] = {
		{ "note", "note", OPTION_TEXT },
		{ NULL, NULL, 0 }
	};
	json_object *params = param_new();
	int first;
	enum options_result r = options_parse(&cmd_seal, prog, argc, argv, opts, params,
					      _("SERIAL"), 1, 1, &first);
	if (r != OPTIONS_OK) {
		json_object_put(params);
		return options_exit(r);
	}
	param_str(params, "serial", argv[first]);
	return client_show(cl, "io.khoa.Custody.SealIn", params, print_in);
}

static int
run_log(struct client *cl, const char *prog, int argc, char **argv)
{
	static const struct param_option opts[] = {
		{ "open", "open", OPTION_FLAG },
		{ NULL, NULL, 0 }
	};
	json_object *params = param_new();
	int first;
	enum options_result r = options_parse(&cmd_seal, prog, argc, argv, opts, params,
					      _("[SERIAL]"), 0, 1, &first);
	if (r != OPTIONS_OK) {
		json_object_put(params);
		return options_exit(r);
	}
	if (first < argc)
		param_str(params, "serial", argv[first]);
	return client_show(cl, "io.khoa.Custody.SealLog", params, print_log);
}

static int
run_seal(struct client *cl, int argc, char **argv)
{
	static const struct subcommand subs[] = {
		{ "out", run_out },
		{ "in", run_in },
		{ "log", run_log },
		{ NULL, NULL }
	};
	return subcommand_run(cl, &cmd_seal, subs, argc, argv);
}

const struct command cmd_seal = {
	.name = "seal",
	.args = "out|in|log …",
	.help = N_("check the organization token out and in like the seal, and its register"),
	.run = run_seal,
	.usage = N_("The organization's token is kept like its seal by the records clerk: each\n"
		    "use is checked out to a person for a purpose and checked back in.\n"
		    "\n"
		    "Subcommands:\n"
		    "  out SERIAL --to PERSON_ID --purpose TEXT [--hours N]\n"
		    "                                 lend it (clerk); due back after N hours\n"
		    "                                 (default: khoad's setting, 8)\n"
		    "  in SERIAL [--note TEXT]        it is back (clerk)\n"
		    "  log [SERIAL] [--open]          the register, newest first; --open: only\n"
		    "                                 what is out now\n"),
};
