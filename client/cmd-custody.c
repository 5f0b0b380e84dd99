/*
 * khoa custody SERIAL: who holds a token now, and the chain of finalized
 * handovers that led there (R-CUSTODY, io.khoa.Custody.Get).
 */
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "format.h"
#include "handover.h"
#include "i18n.h"
#include "options.h"
#include "table.h"
#include "words.h"

static void
print_custody(struct client *cl, json_object *answer)
{
	json_object *chain = jarr(answer, "chain");
	size_t n = chain ? json_object_array_length(chain) : 0;
	const char *serial = jstr(answer, "serial");
	const char *titles[] = { _("WHEN"), _("FROM"), _("TO"), _("REASON"), _("HANDOVER"), NULL };
	char when[32], id[32];

	if (*jstr(answer, "holder"))
		printf(_("Token %s is in the custody of %s.\n"), serial, jstr(answer, "holder"));
	else
		printf(_("Token %s has no custodian on record: no finalized handover names it.\n"),
		       serial);
	json_object *out = jobj(answer, "seal_out"), *dev = jobj(answer, "device_state");
	if (out) {
		char due[32], since[32];
		/* TRANSLATORS: the seal register: to whom, for what, since, due */
		printf(_("Out on the seal register to %s for %s since %s, due back %s.\n"),
		       jstr(out, "person_name"), jstr(out, "purpose"),
		       handover_when(jstr(out, "out_at"), true, since, sizeof(since)),
		       handover_when(jstr(out, "due_at"), true, due, sizeof(due)));
	}
	if (dev) {
		char since[32];
		/* TRANSLATORS: "The device is reported lost since 04/12/2026 10:00." */
		bool found = strcmp(jstr(dev, "state"), "lost") == 0 && *jstr(dev, "seen_at");
		printf(_("The device is %s since %s.\n"),
		       format_device_state(found ? "found" : jstr(dev, "state")),
		       handover_when(jstr(dev, "since"), true, since, sizeof(since)));
	}
	if (n == 0)
		return;
	putchar('\n');
	struct libscols_table *tb = table_new(titles);
	for (size_t c = 1; c <= 3; c++)
		table_column(tb, c, TABLE_WRAP, TABLE_ALWAYS);
	for (size_t i = 0; i < n; i++) {
		json_object *l = json_object_array_get_idx(chain, i);
		struct libscols_line *row = table_row(tb);
		table_cell(row, 0, handover_when(jstr(l, "at"), true, when, sizeof(when)));
		table_cell(row, 1, format_optional(jstr(l, "from")));
		table_cell(row, 2, format_optional(jstr(l, "to")));
		table_cell(row, 3, handover_reason_text(jstr(l, "reason")));
		snprintf(id, sizeof(id), "%lld", (long long)jint(l, "handover_id"));
		table_cell(row, 4, id);
	}
	table_print(tb);
}

static int
run_custody(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	param_str(params, "serial", argv[0]);
	return client_show(cl, "io.khoa.Custody.Get", params, print_custody);
}

const struct command cmd_custody = {
	.name = "custody",
	.help = N_("who holds a token now, and the handovers that led there"),
	.is = { NC_("metavar", "SERIAL"), 1, 1, NULL, run_custody },
};
