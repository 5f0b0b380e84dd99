/* khoa pin status | change: the user PIN of the tokens present. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "pin-input.h"
#include "pin-common.h"
#include "table.h"

static const struct param_option change_options[] = {
	{ "final-try", "final_try", OPTION_FLAG, NULL,
	  N_("spend the token's last try: without it, khoa does not try a token that would "
	     "lock on one more wrong PIN"), OPTION_OPTIONAL },
	{ "pin-fd", "pin_fd", OPTION_ID, "N",
	  N_("for scripts: read the PINs from file descriptor N, one a line: the current PIN, "
	     "then the new one"), OPTION_OPTIONAL },
	{ NULL }
};

static bool
is_state(json_object *t, const char *state)
{
	return strcmp(jstr(t, "state"), state) == 0;
}

static void
print_status(struct client *cl, json_object *answer)
{
	json_object *tokens = jarr(answer, "tokens");
	const char *titles[] = { _("TOKEN"), _("LABEL"), _("PIN STATE"), _("LENGTH"), NULL };
	size_t n = tokens ? json_object_array_length(tokens) : 0;
	char length[32], hint[256];

	if (n == 0) {
		printf("%s\n", _("No token is present."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	table_column(tb, 1, TABLE_WRAP, TABLE_SPARE);
	table_column(tb, 2, TABLE_WRAP, TABLE_ALWAYS);
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(tokens, i);
		struct libscols_line *row = table_row(tb);
		table_cell(row, 0, jstr(t, "serial"));
		table_cell(row, 1, jstr(t, "label"));
		table_cell(row, 2, pin_state_text(jstr(t, "state")));
		snprintf(length, sizeof(length), "%d–%d", (int)jint(t, "min_length"),
			 (int)jint(t, "max_length"));
		table_cell(row, 3, length);
	}
	table_print(tb);

	bool first = true;
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(tokens, i);
		const char *serial = jstr(t, "serial");
		if (!is_state(t, "locked") && !is_state(t, "final_try"))
			continue;
		if (first)
			putchar('\n');
		first = false;
		if (is_state(t, "final_try"))
			printf(_("Token %s has one try left: if its PIN is forgotten, do not guess.\n"),
			       serial);
		printf("%s\n", pin_recovery_hint(hint, sizeof(hint), serial));
	}
}

static int
run_status(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	if (argc > 0)
		param_str(params, "serial", argv[0]);
	return client_show(cl, "io.khoa.Pin.Status", params, print_status);
}

/* Whether the token may be tried at all; says why not (exit 1). */
static bool
may_try(const char *prog, json_object *t, bool final_try)
{
	const char *serial = jstr(t, "serial");
	char hint[256];

	if (jbool(t, "locked")) {
		fprintf(stderr, _("%s: the PIN of token %s is locked; it can no longer be changed\n"),
			prog, serial);
		fprintf(stderr, "%s\n", pin_recovery_hint(hint, sizeof(hint), serial));
		return false;
	}
	if (jbool(t, "final_try") && !final_try) {
		fprintf(stderr, _("%s: token %s has one try left: a wrong PIN now locks it.\n"
				  "Nothing was tried. If you are sure of the PIN, run again with "
				  "--final-try;\nif it is forgotten, do not guess: file a request, "
				  "khoa pin-request new %s\n"), prog, serial, serial);
		return false;
	}
	return true;
}

static int
run_change(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	json_object *token = NULL, *answer;
	struct pins *pins = NULL;
	const char *old_pin, *new_pin;
	int fd, status;

	if (argc > 1) {
		json_object_put(opts);
		return pin_extra_arguments(&cmd_pin, prog);
	}
	if (!pin_fd_option(prog, opts, &fd)) {
		json_object_put(opts);
		return EXIT_USAGE;
	}
	bool final_try = jbool(opts, "final_try");
	json_object_put(opts);

	if ((status = pin_token(cl, prog, argc > 0 ? argv[0] : NULL, &token)) != EXIT_OK)
		return status;
	const char *serial = jstr(token, "serial");
	status = EXIT_ERROR_REPLY;
	if (!may_try(prog, token, final_try))
		goto out;
	if (!(pins = pins_new(fd))) {
		fprintf(stderr, "khoa: %s\n", _("out of memory"));
		goto out;
	}
	if (fd < 0)
		fprintf(stderr, _("Changing the PIN of token %s (%s).\n"), serial,
			jstr(token, "label"));

	int r = pins_read(pins, _("Current PIN: "), &old_pin);
	if (r == 0)
		r = pins_read_new(pins, _("New PIN: "), _("New PIN again: "), &new_pin);
	if (r < 0) {
		pins_read_failed(prog, r);
		goto out;
	}
	if (!pin_acceptable(prog, old_pin, token) || !pin_acceptable(prog, new_pin, token))
		goto out;

	const struct pin_param params[] = {
		{ "serial", serial, NULL },
		{ "old_pin", old_pin, NULL },
		{ "new_pin", new_pin, NULL },
		{ final_try ? "final_try" : NULL, NULL, "true" },
		{ NULL, NULL, NULL }
	};
	status = pins_call(cl, pins, "io.khoa.Pin.Change", params, &answer);
	if (status != EXIT_OK)
		goto out;
	if (cl->json)
		client_print_json(answer);
	else
		printf(_("The PIN of token %s is changed.\n"), serial);
	json_object_put(answer);
out:
	pins_free(pins);
	json_object_put(token);
	return status;
}

/* change takes more arguments than it needs, to say why a PIN is not one. */
static const struct subcommand pin_subcommands[] = {
	{ "status", N_("each token's PIN state and length"),
	  { NC_("metavar", "[SERIAL]"), 0, 1, NULL, run_status } },
	{ "change", N_("change a token's PIN (SERIAL may be left out when one token is present)"),
	  { NC_("metavar", "[SERIAL]"), 0, INT_MAX, change_options, run_change } },
	{ NULL }
};

const struct command cmd_pin = {
	.name = "pin",
	.help = N_("show the state of the tokens' PINs, change a PIN"),
	.about = N_("The user PIN of the tokens present.\n"),
	.notes = N_("khoa asks the current PIN and the new one twice on the terminal, without\n"
		    "echo. A PIN is never given on the command line.\n"
		    "A locked PIN is recovered through a request: see khoa pin-request.\n"),
	.subs = pin_subcommands,
};
