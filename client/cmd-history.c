/* khoa history SERIAL: what happened to a token, oldest first, a sentence
 * each (event.h). */
#include <stdio.h>

#include "client.h"
#include "event.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "table.h"

static void
print_history(struct client *cl, json_object *answer)
{
	json_object *events = jarr(answer, "events");
	const char *titles[] = { _("TIME"), _("WHAT HAPPENED"), NULL };
	size_t n = events ? json_object_array_length(events) : 0;
	char when[32], what[2048];

	if (n == 0) {
		printf("%s\n", _("Nothing is recorded for this token."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	table_column(tb, 1, TABLE_WRAP, TABLE_ALWAYS);	/* the sentence wraps, the time never */
	for (size_t i = 0; i < n; i++) {
		json_object *ev = json_object_array_get_idx(events, i);
		struct libscols_line *row = table_row(tb);
		table_cell(row, 0, event_time(ev, when, sizeof(when)));
		table_cell(row, 1, event_sentence(ev, what, sizeof(what)));
	}
	table_print(tb);
}

static int
run_history(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	param_str(params, "serial", argv[0]);
	return client_show(cl, "io.khoa.Tokens.History", params, print_history);
}

const struct command cmd_history = {
	.name = "history",
	.help = N_("show what happened to a token, oldest first"),
	.is = { NC_("metavar", "SERIAL"), 1, 1, NULL, run_history },
};
