/*
 * khoa report annual|enter|file: the annual report on certificates that
 * every agency sends Sở TT&TT in November (Điều 13.6, Mẫu 07): its rows
 * counted by khoad, the agency's own figures for rows 8–10, and its filing.
 * On the terminal a table; --json the protocol's Report; --format pdf the
 * paper form (cmd-print.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "print.h"
#include "table.h"

/* Every subcommand's: which report. */
#define REPORT_OPTIONS \
	{ "year", "year", OPTION_ID, NC_("metavar", "YYYY"), \
	  N_("the year (default this year)"), OPTION_OPTIONAL }, \
	{ "org", "organization_id", OPTION_ID, NC_("metavar", "ID"), \
	  N_("the agency and its people (default every agency)"), OPTION_OPTIONAL }

/* format, output, place and number are khoa's own (take_own). */
static const struct param_option annual_options[] = {
	REPORT_OPTIONS,
	{ "format", "format", OPTION_TEXT, "text|pdf",
	  N_("a table (default) or the paper form"), OPTION_OPTIONAL },
	{ "output", "output", OPTION_TEXT, NC_("metavar", "FILE"),
	  N_("where the PDF goes (default mau07-YYYY.pdf)"), OPTION_OPTIONAL },
	{ "place", "place", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("the place in the date line (\"Thái Bình\")"), OPTION_OPTIONAL },
	{ "number", "number", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("the report's number"), OPTION_OPTIONAL },
	{ NULL }
};
static const struct param_option enter_options[] = {
	REPORT_OPTIONS,
	{ "signed-org", "documents_signed_org", OPTION_ID, "N",
	  N_("documents signed with organization certificates"), OPTION_OPTIONAL },
	{ "signed-person", "documents_signed_person", OPTION_ID, "N",
	  N_("documents signed with personal certificates"), OPTION_OPTIONAL },
	{ "sent", "documents_sent", OPTION_ID, "N", N_("electronic documents sent"),
	  OPTION_OPTIONAL },
	{ NULL }
};
static const struct param_option file_options[] = { REPORT_OPTIONS, { NULL } };

/* The row titles of Mẫu 07, by row number (1–10). */
static const char *
row_title(int64_t row)
{
	static const char *const titles[] = {
		N_("Organization certificates held"),
		N_("Personal certificates held"),
		N_("New certificates requested"),
		N_("Re-issues requested"),
		N_("Renewals requested"),
		N_("Revocations requested"),
		N_("PIN-recovery requests"),
		N_("Documents signed with organization certificates"),
		N_("Documents signed with personal certificates"),
		N_("Electronic documents sent"),
	};
	return row >= 1 && row <= 10 ? _(titles[row - 1]) : "";
}

/* A figure of ROW under KEY in BUF, "" when the row has none there. */
static const char *
figure(json_object *row, const char *key, char *buf, size_t size)
{
	if (!json_object_object_get_ex(row, key, NULL))
		*buf = '\0';
	else
		snprintf(buf, size, "%lld", (long long)jint(row, key));
	return buf;
}

static void
print_report(struct client *cl, json_object *answer)
{
	json_object *report = NULL, *rows;
	const char *titles[] = {
		_("NO."), _("CONTENT"), _("ORGANIZATION"), _("PERSON"), _("TOTAL"), _("NOTE"), NULL
	};
	char day[32], no[8], org[24], person[24], total[24];

	(void)cl;
	json_object_object_get_ex(answer, "report", &report);
	rows = jarr(report, "rows");
	/* TRANSLATORS: "Annual report 2026 (Mẫu 07): Văn phòng UBND tỉnh Thái Bình". */
	printf(_("Annual report %lld (Mẫu 07): %s\n"), (long long)jint(report, "year"),
	       *jstr(report, "organization_name") ? jstr(report, "organization_name")
						   : _("every agency in the registry"));
	printf(_("Counted on %s.\n\n"), format_date(jstr(report, "as_of"), false, day, sizeof(day)));
	struct libscols_table *tb = table_new(titles);
	table_column(tb, 1, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 5, TABLE_WRAP, TABLE_ALWAYS);
	for (size_t i = 0; rows && i < json_object_array_length(rows); i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		struct libscols_line *line = table_row(tb);
		snprintf(no, sizeof(no), "%lld", (long long)jint(r, "row"));
		table_cell(line, 0, no);
		table_cell(line, 1, row_title(jint(r, "row")));
		table_cell(line, 2, figure(r, "organization", org, sizeof(org)));
		table_cell(line, 3, figure(r, "person", person, sizeof(person)));
		table_cell(line, 4, figure(r, "total", total, sizeof(total)));
		/* TRANSLATORS: rows 8–10 are figures the agency types in. */
		table_cell(line, 5, !jbool(r, "entered") ? ""
				    : *total ? _("entered") : _("not entered yet"));
	}
	table_print(tb);
	putchar('\n');
	if (*jstr(report, "filed_at"))
		printf(_("Filed on %s by %s.\n"),
		       format_date(jstr(report, "filed_at"), false, day, sizeof(day)),
		       jstr(report, "filed_by"));
	else
		printf("%s\n", _("Not filed yet. Rows 8–10 are entered with 'khoa report enter'; "
				 "once sent to Sở TT&TT: 'khoa report file'."));
}

/* --year, else this year (the workstation's, as people count it). */
static void
default_year(json_object *params)
{
	if (json_object_object_get_ex(params, "year", NULL))
		return;
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	param_int(params, "year", tm.tm_year + 1900);
}

/* Moves the client's own options (not the method's) from PARAMS to OWN. */
static void
take_own(json_object *params, json_object *own)
{
	static const char *const keys[] = { "format", "output", "place", "number" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		json_object *v;
		if (json_object_object_get_ex(params, keys[i], &v)) {
			json_object_object_add(own, keys[i], json_object_get(v));
			json_object_object_del(params, keys[i]);
		}
	}
}

static int
run_annual(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	json_object *own = param_new(), *answer;
	const char *format = "text";
	int status;

	take_own(params, own);
	if (json_object_object_get_ex(own, "format", NULL))
		format = jstr(own, "format");
	if (strcmp(format, "text") != 0 && strcmp(format, "pdf") != 0) {
		fprintf(stderr, _("%s: unknown format '%s': text or pdf\n"), prog, format);
		json_object_put(params);
		json_object_put(own);
		return EXIT_USAGE;
	}
	default_year(params);
	if (strcmp(format, "text") == 0) {
		json_object_put(own);
		return client_show(cl, "io.khoa.Reports.Annual", params, print_report);
	}
	if ((status = client_call(cl, "io.khoa.Reports.Annual", params, &answer)) == EXIT_OK) {
		json_object *report = NULL;
		json_object_object_get_ex(answer, "report", &report);
		status = print_annual_report(cl, prog, report, own);
		json_object_put(answer);
	}
	json_object_put(own);
	return status;
}

static int
run_enter(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	if (!json_object_object_get_ex(params, "documents_signed_org", NULL) &&
	    !json_object_object_get_ex(params, "documents_signed_person", NULL) &&
	    !json_object_object_get_ex(params, "documents_sent", NULL)) {
		fprintf(stderr, _("%s: give at least one of --signed-org, --signed-person, --sent\n"),
			prog);
		json_object_put(params);
		return EXIT_USAGE;
	}
	default_year(params);
	return client_show(cl, "io.khoa.Reports.Enter", params, print_report);
}

static int
run_file(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	default_year(params);
	return client_show(cl, "io.khoa.Reports.File", params, print_report);
}

static const struct subcommand report_subcommands[] = {
	{ "annual", N_("show the report"), { NULL, 0, 0, annual_options, run_annual } },
	{ "enter", N_("enter rows 8–10 (a figure not given is kept)"),
	  { NULL, 0, 0, enter_options, run_enter } },
	{ "file", N_("record that the report went to Sở TT&TT"),
	  { NULL, 0, 0, file_options, run_file } },
	{ NULL }
};

const struct command cmd_report = {
	.name = "report",
	.help = N_("the annual report on certificates (Mẫu 07), due every November"),
	.about = N_("Every November each agency reports to Sở TT&TT the certificates it holds\n"
		    "and the requests it made in the year (Điều 13.6, Mẫu 07). khoa counts\n"
		    "rows 1–7 from the registry; rows 8–10, the documents signed and sent,\n"
		    "are the agency's own figures, entered by the records clerk.\n"),
	.subs = report_subcommands,
};
