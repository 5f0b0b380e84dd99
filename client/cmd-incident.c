/*
 * khoa incident lost | damaged | found | returned | retired | reused: a
 * token lost or damaged, reported at once (R-CUSTODY, Điều 10.2), and what
 * Sở TT&TT's technician does after (io.khoa.Incidents.Report, Change).
 * Reporting drafts the revocation of its certificates (Mẫu 05: khoa print
 * request ID).
 */
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"

static void
print_incident(struct client *cl, json_object *answer)
{
	json_object *drafted = jarr(answer, "revocation_requests");
	const char *serial = jstr(answer, "serial");
	size_t n = drafted ? json_object_array_length(drafted) : 0;

	/* TRANSLATORS: "Token X is now reported lost." */
	printf(_("Token %s is now %s.\n"), serial, format_device_state(jstr(answer, "state")));
	for (size_t i = 0; i < n; i++) {
		long long id = (long long)json_object_get_int64(json_object_array_get_idx(drafted, i));
		/* TRANSLATORS: the revocation request drafted for the lost token */
		printf(_("Revocation request %lld (Mẫu 05) is drafted: khoa request show %lld; "
			 "khoa print request %lld\n"), id, id, id);
	}
	if (strcmp(jstr(answer, "state"), "lost") == 0)
		printf("%s\n", _("Sở TT&TT is alerted. Until a technician clears it (khoa incident "
				 "found), the token is not handed over, lent or used for a PIN."));
}

static const struct param_option report_options[] = {
	{ "note", "note", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("what happened, where (kept with the record)"), OPTION_OPTIONAL },
	{ "on", "happened_on", OPTION_TEXT, NC_("metavar", "DATE"),
	  N_("the day it happened, dd/mm/yyyy (default: today)"), OPTION_OPTIONAL },
	{ NULL }
};

static const struct param_option change_options[] = {
	{ "note", "note", OPTION_TEXT, NC_("metavar", "TEXT"), N_("kept with the record"),
	  OPTION_OPTIONAL },
	{ NULL }
};

static int
run(struct client *cl, json_object *params, const char *serial, const char *kind,
    const char *method)
{
	param_str(params, "serial", serial);
	param_str(params, "kind", kind);
	return client_show(cl, method, params, print_incident);
}

static int
run_lost(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run(cl, params, argv[0], "lost", "io.khoa.Incidents.Report");
}

static int
run_damaged(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run(cl, params, argv[0], "damaged", "io.khoa.Incidents.Report");
}

static int
run_found(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run(cl, params, argv[0], "found", "io.khoa.Incidents.Change");
}

static int
run_returned(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run(cl, params, argv[0], "returned", "io.khoa.Incidents.Change");
}

static int
run_retired(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run(cl, params, argv[0], "retired", "io.khoa.Incidents.Change");
}

static int
run_reused(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return run(cl, params, argv[0], "reused", "io.khoa.Incidents.Change");
}

static const struct subcommand incident_subcommands[] = {
	{ "lost", N_("report a token lost, and draft its revocation (holder, custodian, clerk, "
		     "technician)"),
	  { NC_("metavar", "SERIAL"), 1, 1, report_options, run_lost } },
	{ "damaged", N_("report a token damaged, and draft its revocation"),
	  { NC_("metavar", "SERIAL"), 1, 1, report_options, run_damaged } },
	{ "found", N_("clear a lost token seen again on a device (technician)"),
	  { NC_("metavar", "SERIAL"), 1, 1, change_options, run_found } },
	{ "returned", N_("the token is back at Sở TT&TT (technician)"),
	  { NC_("metavar", "SERIAL"), 1, 1, change_options, run_returned } },
	{ "retired", N_("the token is out of use for good (technician)"),
	  { NC_("metavar", "SERIAL"), 1, 1, change_options, run_retired } },
	{ "reused", N_("a returned token is issued again (technician)"),
	  { NC_("metavar", "SERIAL"), 1, 1, change_options, run_reused } },
	{ NULL }
};

const struct command cmd_incident = {
	.name = "incident",
	.help = N_("report a token lost or damaged, and what Sở TT&TT does after"),
	.about = N_("A lost or damaged token is reported at once (Điều 10.2). The report records\n"
		    "it, alerts Sở TT&TT, freezes the token (no handover, no lending, no PIN)\n"
		    "and drafts the revocation of its certificates (Mẫu 05).\n"),
	.subs = incident_subcommands,
};
