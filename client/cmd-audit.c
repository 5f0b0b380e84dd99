/* khoa audit verify|log: the registry's audit trail (io.khoa.Audit). */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "options.h"
#include "table.h"

/* A problem in the user's words. */
static const char *
problem_text(json_object *p, char *buf, size_t size)
{
	const char *kind = jstr(p, "kind"), *table = jstr(p, "table"), *key = jstr(p, "key");
	long long seq = (long long)jint(p, "seq");

	if (strcmp(kind, "record_altered") == 0)
		snprintf(buf, size, _("record %lld was altered: it does not match its hash"), seq);
	else if (strcmp(kind, "record_missing") == 0)
		snprintf(buf, size, _("record %lld is missing"), seq);
	else if (strcmp(kind, "link_broken") == 0)
		snprintf(buf, size, _("record %lld does not carry the hash of the record before"),
			 seq);
	else if (strcmp(kind, "row_changed") == 0)
		/* TRANSLATORS: row KEY of TABLE, then the record's number. */
		snprintf(buf, size, _("row %s of %s was changed after record %lld sealed it"), key,
			 table, seq);
	else if (strcmp(kind, "row_deleted") == 0)
		snprintf(buf, size, _("row %s of %s, sealed by record %lld, was deleted"), key,
			 table, seq);
	else if (strcmp(kind, "row_unrecorded") == 0)
		snprintf(buf, size, _("row %s of %s is in no record of the trail"), key, table);
	else if (strcmp(kind, "change_outside") == 0)
		snprintf(buf, size, _("row %s of %s was changed outside khoad"), key, table);
	else if (strcmp(kind, "head_mismatch") == 0)
		snprintf(buf, size, _("record %lld is not the one the journal saw (sha256 %s)"),
			 seq, jstr(p, "hash"));
	else
		snprintf(buf, size, "%s", kind);
	return buf;
}

static void
print_verify(struct client *cl, json_object *a)
{
	json_object *problems = jarr(a, "problems"), *head;
	long long records = (long long)jint(a, "records"), rows = (long long)jint(a, "rows");
	char when[32], text[512], seq[24];

	(void)cl;
	if (jbool(a, "intact")) {
		printf(_("The audit trail is intact: %lld records, %lld rows checked.\n"), records,
		       rows);
		if (json_object_object_get_ex(a, "head", &head) && head)
			printf(_("Head: record %lld, sha256 %s\n"), (long long)jint(head, "seq"),
			       jstr(head, "hash"));
		return;
	}
	printf(_("The audit trail is BROKEN: %lld problems in %lld records and %lld rows.\n"
		 "The registry was changed around khoad; the first broken link first:\n\n"),
	       (long long)jint(a, "problem_count"), records, rows);
	const char *titles[] = { _("RECORD"), _("PROBLEM"), _("SEALED"), _("BY"), _("EVENTS"),
				 NULL };
	struct libscols_table *tb = table_new(titles);
	table_column(tb, 1, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 4, TABLE_WRAP, TABLE_ALWAYS);
	for (size_t i = 0; problems && i < json_object_array_length(problems); i++) {
		json_object *p = json_object_array_get_idx(problems, i);
		struct libscols_line *row = table_row(tb);
		snprintf(seq, sizeof(seq), "%lld", (long long)jint(p, "seq"));
		table_cell(row, 0, jint(p, "seq") ? seq : "-");
		table_cell(row, 1, problem_text(p, text, sizeof(text)));
		table_cell(row, 2, *jstr(p, "time") ? format_date(jstr(p, "time"), true, when,
								    sizeof(when)) : "-");
		/* a record without an actor is khoad's own (a token seen) */
		table_cell(row, 3, *jstr(p, "actor") ? jstr(p, "actor") : *jstr(p, "time") ? "khoad" : "-");
		table_cell(row, 4, *jstr(p, "action") ? jstr(p, "action") : "-");
	}
	table_print(tb);
	if (jint(a, "problem_count") > (int64_t)json_object_array_length(problems))
		printf(_("\n(the first %zu shown)\n"), json_object_array_length(problems));
}

/* The heads in FILE ("-": standard input): every "record N sha256 HASH"
 * in it, as khoad writes them to the journal (audit.head). */
static int
read_heads(const char *prog, const char *path, json_object *heads)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	regex_t re;
	char *line = NULL;
	size_t cap = 0;
	int r = 0;

	if (!f) {
		fprintf(stderr, _("%s: cannot read %s: %s\n"), prog, path, strerror(errno));
		return EXIT_USAGE;
	}
	if (regcomp(&re, "record ([0-9]+) sha256 ([0-9a-f]{64})", REG_EXTENDED) != 0) {
		if (f != stdin)
			fclose(f);
		return EXIT_ERROR_REPLY;
	}
	while (getline(&line, &cap, f) > 0) {
		regmatch_t m[3];
		if (regexec(&re, line, 3, m, 0) != 0)
			continue;
		line[m[1].rm_eo] = line[m[2].rm_eo] = '\0';
		json_object *h = json_object_new_object();
		if (!h || json_object_array_add(heads, h) < 0) {
			json_object_put(h);
			r = EXIT_ERROR_REPLY;
			break;
		}
		json_object_object_add(h, "seq", json_object_new_int64(strtoll(line + m[1].rm_so,
									      NULL, 10)));
		json_object_object_add(h, "hash", json_object_new_string(line + m[2].rm_so));
	}
	free(line);
	regfree(&re);
	if (f != stdin)
		fclose(f);
	if (r == 0 && json_object_array_length(heads) == 0) {
		fprintf(stderr, _("%s: no head of the audit trail in %s (lines \"record N sha256 "
				  "HASH\", as khoad writes them to the journal)\n"), prog, path);
		return EXIT_USAGE;
	}
	return r;
}

static const struct param_option verify_options[] = {
	{ "heads", "heads_file", OPTION_TEXT, NC_("metavar", "FILE"),
	  N_("check the heads the journal kept, read from FILE (- for standard input)"),
	  OPTION_OPTIONAL },
	{ NULL }
};

static int
run_verify(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	json_object *answer, *file;
	int r;

	(void)argc;
	(void)argv;
	if (json_object_object_get_ex(params, "heads_file", &file)) {
		json_object *heads = json_object_new_array();
		char *path = strdup(json_object_get_string(file));
		json_object_object_del(params, "heads_file");
		r = heads && path ? read_heads(prog, path, heads) : EXIT_ERROR_REPLY;
		free(path);
		if (r != 0) {
			json_object_put(heads);
			json_object_put(params);
			return r;
		}
		json_object_object_add(params, "heads", heads);
	}
	if ((r = client_call(cl, "io.khoa.Audit.Verify", params, &answer)) != 0)
		return r;
	if (cl->json)
		client_print_json(answer);
	else
		print_verify(cl, answer);
	/* like fsck: a broken trail is a failure of the check */
	r = jbool(answer, "intact") ? EXIT_OK : EXIT_ERROR_REPLY;
	json_object_put(answer);
	return r;
}

static void
print_log(struct client *cl, json_object *a)
{
	json_object *records = jarr(a, "records");
	const char *titles[] = { _("RECORD"), _("TIME"), _("BY"), _("EVENTS"), _("CHANGES"),
				 _("HASH"), NULL };
	char seq[24], when[32], changes[512], hash[16];
	size_t n = records ? json_object_array_length(records) : 0;

	(void)cl;
	if (n == 0) {
		printf("%s\n", _("The audit trail is empty."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	table_column(tb, 2, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 4, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 5, TABLE_WHOLE, TABLE_USEFUL);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(records, i), *actor, *list;
		struct libscols_line *row = table_row(tb);
		snprintf(seq, sizeof(seq), "%lld", (long long)jint(r, "seq"));
		table_cell(row, 0, seq);
		table_cell(row, 1, format_date(jstr(r, "time"), true, when, sizeof(when)));
		json_object_object_get_ex(r, "actor", &actor);
		table_cell(row, 2, actor ? jstr(actor, "user") : "khoad");
		table_cell(row, 3, jstr(r, "action"));
		/* "handovers 3 update, handover_rows 7 insert (+4)" */
		size_t len = 0, shown = 0;
		changes[0] = '\0';
		list = jarr(r, "changes");
		for (size_t k = 0; list && k < json_object_array_length(list) && k < 3; k++) {
			json_object *c = json_object_array_get_idx(list, k);
			len += (size_t)snprintf(changes + len, len < sizeof(changes) ?
						sizeof(changes) - len : 0, "%s%s %s %s",
						k ? ", " : "", jstr(c, "table"), jstr(c, "key"),
						jstr(c, "op"));
			shown++;
		}
		if (jint(r, "change_count") > (int64_t)shown && len < sizeof(changes))
			snprintf(changes + len, sizeof(changes) - len, " (+%lld)",
				 (long long)(jint(r, "change_count") - (int64_t)shown));
		table_cell(row, 4, changes);
		snprintf(hash, sizeof(hash), "%.12s", jstr(r, "hash"));
		table_cell(row, 5, hash);
	}
	table_print(tb);
}

static int
run_log(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	(void)prog;
	(void)argc;
	(void)argv;
	return client_show_pages(cl, "io.khoa.Audit.Log", params, "records", print_log);
}

static const struct subcommand audit_subcommands[] = {
	{ "verify", N_("check the trail and every row it covers (technician)"),
	  { NULL, 0, 0, verify_options, run_verify } },
	{ "log", N_("the trail, newest first (technician)"),
	  { NULL, 0, 0, NULL, run_log } },
	{ NULL }
};

const struct command cmd_audit = {
	.name = "audit",
	.help = N_("verify the registry's audit trail, or show it"),
	.about = N_("Every change of the registry is sealed by a record of the audit trail:\n"
		    "who, what, when, and a digest of each row it changed, chained to the\n"
		    "record before. verify finds the changes made around khoad (sqlite3,\n"
		    "psql) and names them; it exits with 1 when the trail is broken.\n"),
	.notes = N_("The journal keeps the trail's head (audit.head); to check the registry\n"
		    "against it:\n"
		    "  journalctl -t khoad MESSAGE_ID=292a2dbb956d4fdc99cf88815e01ae77 -o cat |\n"
		    "    khoa audit verify --heads -\n"),
	.subs = audit_subcommands,
};
