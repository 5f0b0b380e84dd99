/* PIN and request words for people; the token a PIN command is about. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "format.h"
#include "i18n.h"
#include "options.h"
#include "pin-common.h"
#include "pin-input.h"
#include "table.h"
#include "words.h"

struct word {
	const char *name;
	const char *text;
};

static const char *
lookup(const struct word *words, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(words[i].name, name) == 0)
			return _(words[i].text);
	return name;
}

#define LOOKUP(words, name) lookup(words, sizeof(words) / sizeof(*words), name)

const char *
pin_state_text(const char *state)
{
	static const struct word states[] = {
		{ "ok", N_("ok") },
		{ "count_low", N_("tries low") },
		{ "final_try", N_("final try — one try left") },
		{ "locked", N_("LOCKED") },
		{ "to_be_changed", N_("must be changed") },
		{ "not_initialized", N_("no PIN set") },
	};
	return LOOKUP(states, state);
}

const char *
request_state_text(const char *state)
{
	static const struct word states[] = {
		/* TRANSLATORS: the states of a PIN-recovery request (Mẫu 09). */
		{ "filed", N_("filed") },
		/* TRANSLATORS: confirmed by the agency of the official. */
		{ "confirmed", N_("confirmed") },
		/* TRANSLATORS: received by Sở TT&TT. */
		{ "submitted", N_("submitted") },
		/* TRANSLATORS: sent on by Sở TT&TT to the CA (Ban Cơ yếu). */
		{ "forwarded", N_("forwarded") },
		{ "completed", N_("completed") },
		/* TRANSLATORS: the state of a lifecycle request the CA carried out. */
		{ "done", N_("done") },
		{ "rejected", N_("rejected") },
		{ "cancelled", N_("cancelled") },
	};
	return LOOKUP(states, state);
}

const char *
request_action_text(const char *action)
{
	static const struct word actions[] = {
		/* TRANSLATORS: the steps of a PIN-recovery request. */
		{ "file", N_("file") },
		{ "confirm", N_("confirm") },
		{ "submit", N_("submit") },
		{ "forward", N_("forward") },
		{ "complete", N_("complete") },
		/* TRANSLATORS: the step recording that the CA carried out a request. */
		{ "done", N_("record as done") },
		{ "reject", N_("reject") },
		{ "cancel", N_("cancel") },
	};
	return LOOKUP(actions, action);
}

const char *
pin_recovery_hint(char *buf, size_t size, const char *serial)
{
	/* TRANSLATORS: R-PIN-RECOVERY: a written request, Mẫu 09. Keep the
	   command as it is. */
	snprintf(buf, size, _("To recover a locked PIN, file a request: khoa pin-request new %s"),
		 serial);
	return buf;
}

int
pin_token(struct client *cl, const char *prog, const char *serial, json_object **token)
{
	json_object *params = param_new(), *answer;
	if (serial)
		param_str(params, "serial", serial);
	int r = client_call(cl, "io.khoa.Pin.Status", params, &answer);
	if (r != EXIT_OK)
		return r;
	json_object *tokens = jarr(answer, "tokens");
	size_t n = tokens ? json_object_array_length(tokens) : 0;
	if (n == 1) {
		*token = json_object_get(json_object_array_get_idx(tokens, 0));
		json_object_put(answer);
		return EXIT_OK;
	}
	if (n == 0) {
		fprintf(stderr, _("%s: no token is present\n"), prog);
		r = EXIT_ERROR_REPLY;
	} else {
		fprintf(stderr, _("%s: %zu tokens are present; name one:\n"), prog, n);
		for (size_t i = 0; i < n; i++) {
			json_object *t = json_object_array_get_idx(tokens, i);
			fprintf(stderr, "  %s  %s\n", jstr(t, "serial"), jstr(t, "label"));
		}
		r = EXIT_USAGE;
	}
	json_object_put(answer);
	return r;
}

bool
pin_fd_option(const char *prog, json_object *opts, int *fd)
{
	json_object *v;
	*fd = -1;
	if (!json_object_object_get_ex(opts, "pin_fd", &v))
		return true;
	int64_t n = json_object_get_int64(v);
	json_object_object_del(opts, "pin_fd");
	if (n > 65535 || fcntl((int)n, F_GETFD) < 0) {
		fprintf(stderr, _("%s: --pin-fd %lld: %s\n"), prog, (long long)n, strerror(EBADF));
		return false;
	}
	*fd = (int)n;
	return true;
}

int
pin_extra_arguments(const struct command *cmd, const char *prog)
{
	fprintf(stderr, _("%s: too many arguments; a PIN is never given on the command line: "
			  "khoa asks for it, or reads it with --pin-fd N\n"), prog);
	return command_try_help(cmd);
}

bool
pin_acceptable(const char *prog, const char *pin, json_object *t)
{
	size_t len = strlen(pin), min = (size_t)jint(t, "min_length"),
	       max = (size_t)jint(t, "max_length");
	if (!pins_ascii(pin)) {
		fprintf(stderr, _("%s: a PIN has letters, digits and ASCII signs only (is a "
				  "Vietnamese input method on?)\n"), prog);
		return false;
	}
	if ((min && len < min) || (max && len > max)) {
		fprintf(stderr, _("%s: token %s takes a PIN of %zu to %zu characters\n"), prog,
			jstr(t, "serial"), min, max);
		return false;
	}
	return true;
}

/* ACTION, FROM → TO, WHEN, BY, NOTE; filing first. */
void
request_print_history(json_object *req)
{
	const char *titles[] = { _("ACTION"), _("FROM → TO"), _("WHEN"), _("BY"), _("NOTE"), NULL };
	json_object *history = jarr(req, "history");
	size_t n = history ? json_object_array_length(history) : 0;
	struct libscols_table *tb = table_new(titles);
	char when[32], states[256];

	table_column(tb, 0, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 1, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 4, TABLE_WRAP, TABLE_ALWAYS);
	struct libscols_line *row = table_row(tb);
	table_cell(row, 0, request_action_text("file"));
	snprintf(states, sizeof(states), "→ %s", request_state_text("filed"));
	table_cell(row, 1, states);
	table_cell(row, 2, format_date(jstr(req, "filed_at"), true, when, sizeof(when)));
	table_cell(row, 3, jstr(req, "filed_by"));
	table_cell(row, 4, reason_text(jstr(req, "reason")));	/* a code by its name */
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(history, i);
		row = table_row(tb);
		table_cell(row, 0, request_action_text(jstr(t, "action")));
		snprintf(states, sizeof(states), "%s → %s", request_state_text(jstr(t, "from")),
			 request_state_text(jstr(t, "to")));
		table_cell(row, 1, states);
		table_cell(row, 2, format_date(jstr(t, "at"), true, when, sizeof(when)));
		table_cell(row, 3, jstr(t, "user"));
		table_cell(row, 4, jstr(t, "note"));
	}
	table_print(tb);
}
