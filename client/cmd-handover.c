/*
 * khoa handover: the minutes of handing private-key storage devices over
 * (Mẫu 10, R-HANDOVER). A draft gets a row for every token on the desk, or
 * for the serials named; finalizing it makes it immutable and moves custody
 * of its tokens to the receiving party (io.khoa.Handovers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "format.h"
#include "handover.h"
#include "i18n.h"
#include "options.h"
#include "table.h"
#include "words.h"

const char *
handover_state_text(const char *state)
{
	if (strcmp(state, "draft") == 0)
		/* TRANSLATORS: a handover's state. */
		return _("draft");
	if (strcmp(state, "finalized") == 0)
		/* TRANSLATORS: a handover's state: signed off, no longer changes. */
		return _("finalized");
	return state;
}

const char *
handover_when(const char *text, bool with_time, char *buf, size_t size)
{
	time_t t;
	if (!text || !*text)
		return "—";
	if (format_parse_iso(text, &t))
		return format_date(text, with_time, buf, size);
	return format_day(text, buf, size);
}

static json_object *
handover_of(json_object *answer)
{
	return jobj(answer, "handover");
}

/* ----- showing a handover ----- */

/* "Nguyễn Thị Hường, Phó Giám đốc, Sở Tài chính" or, for an organization,
 * "Văn phòng UBND tỉnh, represented by Lê Văn A, Chánh Văn phòng". */
static const char *
party_text(json_object *p, char *buf, size_t size)
{
	const char *parts[] = { jstr(p, "representative"), jstr(p, "position"),
				jstr(p, "agency"), jstr(p, "address") };
	size_t len;

	snprintf(buf, size, "%s", format_optional(jstr(p, "name")));
	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++) {
		if (!*parts[i])
			continue;
		len = strlen(buf);
		if (i == 0)
			/* TRANSLATORS: an organization and who represents it at a handover. */
			snprintf(buf + len, size - len, _(", represented by %s"), parts[i]);
		else
			snprintf(buf + len, size - len, ", %s", parts[i]);
	}
	return buf;
}

/* "24/11/2026 20:28, by root" */
static const char *
done_by(json_object *h, const char *at, const char *by, char *buf, size_t size)
{
	char when[32];
	/* TRANSLATORS: when something was done, and the login of the user who
	   did it: "24/11/2026 20:28, user root". */
	snprintf(buf, size, _("%s, user %s"), handover_when(jstr(h, at), true, when, sizeof(when)),
		 jstr(h, by));
	return buf;
}

static void
print_header(json_object *h)
{
	struct libscols_table *tb = fields_new();
	char buf[1024], when[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)jint(h, "id"));
	fields_add(tb, _("Handover"), buf);
	fields_add(tb, _("State"), handover_state_text(jstr(h, "state")));
	fields_add(tb, _("Held at"), handover_when(jstr(h, "held_at"), true, when, sizeof(when)));
	fields_add(tb, _("Place"), format_optional(jstr(h, "place")));
	/* TRANSLATORS: the party who hands the tokens over (Mẫu 10: "Bên giao"). */
	fields_add(tb, _("Giver"), party_text(jobj(h, "giver"), buf, sizeof(buf)));
	/* TRANSLATORS: the party who receives the tokens (Mẫu 10: "Bên nhận"). */
	fields_add(tb, _("Receiver"), party_text(jobj(h, "receiver"), buf, sizeof(buf)));
	if (jint(h, "supersedes") > 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)jint(h, "supersedes"));
		/* TRANSLATORS: this handover replaces (corrects) handover N. */
		fields_add(tb, _("Supersedes"), buf);
	}
	if (jint(h, "superseded_by") > 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)jint(h, "superseded_by"));
		fields_add(tb, _("Superseded by"), buf);
	}
	fields_add(tb, _("Drafted"), done_by(h, "created_at", "created_by", buf, sizeof(buf)));
	if (*jstr(h, "finalized_at"))
		fields_add(tb, _("Finalized"), done_by(h, "finalized_at", "finalized_by", buf,
						       sizeof(buf)));
	table_print(tb);
}

enum { ROW_NUMBER, ROW_HOLDER, ROW_CERT, ROW_TOKEN, ROW_REASON, ROW_VALID, ROW_NOTE };

/* The rows, as Mẫu 10 has them. */
static void
print_rows(json_object *h)
{
	json_object *rows = jarr(h, "rows");
	size_t n = rows ? json_object_array_length(rows) : 0;
	/* TRANSLATORS: the columns of Mẫu 10; "NO." is "STT" (số thứ tự). */
	const char *titles[] = { _("NO."), _("HOLDER"), _("CERTIFICATE"), _("TOKEN"), _("REASON"),
				 _("VALID FROM–TO"), _("NOTE"), NULL };
	char num[32], from[32], to[32], valid[80], note[1024];

	if (n == 0) {
		printf("%s\n", _("No token is on this handover yet."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	/* the print (khoa print handover) has them all */
	table_column(tb, ROW_HOLDER, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, ROW_CERT, TABLE_WHOLE, TABLE_USEFUL);
	table_column(tb, ROW_REASON, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, ROW_VALID, TABLE_WRAP, TABLE_USEFUL + 1);
	table_column(tb, ROW_NOTE, TABLE_WRAP, TABLE_USEFUL + 2);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		struct libscols_line *row = table_row(tb);
		snprintf(num, sizeof(num), "%lld", (long long)jint(r, "number"));
		table_cell(row, ROW_NUMBER, num);
		table_cell(row, ROW_HOLDER, format_optional(jstr(r, "holder_name")));
		table_cell(row, ROW_CERT, format_optional(jstr(r, "certificate_serial")));
		table_cell(row, ROW_TOKEN, jstr(r, "token_serial"));
		table_cell(row, ROW_REASON, handover_reason_text(jstr(r, "reason")));
		if (*jstr(r, "valid_from") || *jstr(r, "valid_to")) {
			snprintf(valid, sizeof(valid), "%s–%s",
				 handover_when(jstr(r, "valid_from"), false, from, sizeof(from)),
				 handover_when(jstr(r, "valid_to"), false, to, sizeof(to)));
			table_cell(row, ROW_VALID, valid);
		} else {
			table_cell(row, ROW_VALID, "—");
		}
		snprintf(note, sizeof(note), "%s", jstr(r, "note"));
		if (!jbool(r, "verified_on_device")) {
			size_t len = strlen(note);
			/* TRANSLATORS: a row whose token was not on the desk: its
			   serials were not read from the device. */
			snprintf(note + len, sizeof(note) - len, "%s%s", len ? "; " : "",
				 _("not verified on device"));
		}
		table_cell(row, ROW_NOTE, note);
	}
	table_print(tb);
}

static void
print_next(json_object *h)
{
	long long id = (long long)jint(h, "id");
	json_object *rows = jarr(h, "rows");
	size_t n = rows ? json_object_array_length(rows) : 0;

	if (strcmp(jstr(h, "state"), "draft") == 0) {
		if (n == 0)
			printf(_("Next: add a token: khoa handover add %lld SERIAL --reason REASON\n"),
			       id);
		else
			printf(_("Next: khoa handover finalize %lld\n"), id);
	} else if (strcmp(jstr(h, "state"), "finalized") == 0) {
		printf(_("Print it (Mẫu 10, two copies, one per side): khoa print handover %lld\n"),
		       id);
		if (jint(h, "superseded_by") <= 0)
			printf(_("To correct it: khoa handover new … --supersedes %lld\n"), id);
	}
}

static void
print_handover(json_object *h)
{
	/* TRANSLATORS: the title of Mẫu 10. */
	printf("%s\n", _("Handover minutes of private-key storage devices (Mẫu 10)"));
	print_header(h);
	putchar('\n');
	print_rows(h);
	putchar('\n');
	print_next(h);
}

static void
print_shown(struct client *cl, json_object *answer)
{
	print_handover(handover_of(answer));
}

static void
print_drafted(struct client *cl, json_object *answer)
{
	json_object *h = handover_of(answer);
	printf(_("Handover %lld is drafted.\n\n"), (long long)jint(h, "id"));
	print_handover(h);
}

static void
print_finalized(struct client *cl, json_object *answer)
{
	json_object *h = handover_of(answer);
	char buf[1024];
	printf(_("Handover %lld is finalized; custody of its tokens has passed to %s.\n\n"),
	       (long long)jint(h, "id"), party_text(jobj(h, "receiver"), buf, sizeof(buf)));
	print_handover(h);
}

static void
print_list(struct client *cl, json_object *answer)
{
	json_object *list = jarr(answer, "handovers");
	size_t n = list ? json_object_array_length(list) : 0;
	const char *titles[] = { _("ID"), _("STATE"), _("HELD AT"), _("GIVER"), _("RECEIVER"),
				 _("TOKENS"), _("SUPERSEDES"), NULL };
	char id[32], when[32], count[32], sup[32];

	if (n == 0) {
		printf("%s\n", _("No handover."));
		return;
	}
	struct libscols_table *tb = table_new(titles);
	table_column(tb, 1, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 3, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 4, TABLE_WRAP, TABLE_ALWAYS);
	table_column(tb, 6, TABLE_WHOLE, TABLE_USEFUL);
	for (size_t i = 0; i < n; i++) {
		json_object *h = json_object_array_get_idx(list, i);
		json_object *rows = jarr(h, "rows");
		struct libscols_line *row = table_row(tb);
		snprintf(id, sizeof(id), "%lld", (long long)jint(h, "id"));
		table_cell(row, 0, id);
		table_cell(row, 1, handover_state_text(jstr(h, "state")));
		table_cell(row, 2, handover_when(jstr(h, "held_at"), false, when, sizeof(when)));
		table_cell(row, 3, jstr(jobj(h, "giver"), "name"));
		table_cell(row, 4, jstr(jobj(h, "receiver"), "name"));
		snprintf(count, sizeof(count), "%zu", rows ? json_object_array_length(rows) : 0);
		table_cell(row, 5, count);
		snprintf(sup, sizeof(sup), "%lld", (long long)jint(h, "supersedes"));
		table_cell(row, 6, jint(h, "supersedes") > 0 ? sup : "—");
	}
	table_print(tb);
}

/* ----- the command lines ----- */

static bool
check_reason(const char *prog, json_object *params, const char *field)
{
	const char *reason = jstr(params, field), *code = handover_reason_code(reason);
	if (code) {
		param_str(params, field, code);
		return true;
	}
	fprintf(stderr, _("%s: '%s' is not a reason; one of:\n"), prog, reason);
	handover_reasons_list(stderr);
	return false;
}

/* What a party may say besides who it is, as the options name them
 * ("--to-address" → "to_address") and as io.khoa.Handovers.Party does. */
static const char *const party_texts[] = {
	"position", "agency", "address", "representative", "introduction_letter", "id_number",
	"id_issued_on", "id_issued_by", NULL
};

/*
 * A party as typed: "person:ID", "org:ID" or a name in full, with what the
 * options SIDE ("from", "to") of OPTS say beside it; NULL having said why
 * not.
 */
static json_object *
party_of(const char *prog, json_object *opts, const char *side)
{
	const char *text = jstr(opts, side);
	json_object *party = param_new();
	char key[64];
	int64_t id;

	if (strncmp(text, "person:", 7) == 0 || strncmp(text, "org:", 4) == 0) {
		bool person = text[0] == 'p';
		if (!options_id(prog, text + (person ? 7 : 4), &id)) {
			json_object_put(party);
			return NULL;
		}
		param_int(party, person ? "person_id" : "organization_id", id);
	} else {
		param_str(party, "name", text);
	}
	for (const char *const *t = party_texts; *t; t++) {
		snprintf(key, sizeof(key), "%s_%s", side, *t);
		if (*jstr(opts, key))
			param_str(party, *t, jstr(opts, key));
	}
	return party;
}

/* The parties are made into objects by run_new (party_of). */
static const struct param_option new_options[] = {
	{ "from", "from", OPTION_TEXT, NC_("metavar", "PARTY"),
	  N_("the giver: person:ID or org:ID from the registry, or a full name"),
	  OPTION_REQUIRED },
	{ "to", "to", OPTION_TEXT, NC_("metavar", "PARTY"),
	  N_("the receiver: person:ID or org:ID from the registry, or a full name"),
	  OPTION_REQUIRED },
	{ "reason", "reason", OPTION_TEXT, NC_("metavar", "REASON"),
	  N_("the reason of every row"), OPTION_REQUIRED },
	{ "from-position", "from_position", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("the giver's position (of its representative, for an organization)"), OPTION_OPTIONAL },
	{ "from-agency", "from_agency", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("the giver's agency"), OPTION_OPTIONAL },
	{ "from-address", "from_address", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("the giver's address (a person's record's when it keeps one)"), OPTION_OPTIONAL },
	{ "from-representative", "from_representative", OPTION_TEXT, NC_("metavar", "NAME"),
	  N_("who represents the giver (Mẫu 10: \"Đại diện\")"), OPTION_OPTIONAL },
	{ "from-letter", "from_introduction_letter", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("the introduction letter the giver's representative showed"), OPTION_OPTIONAL },
	{ "from-id-number", "from_id_number", OPTION_TEXT, NC_("metavar", "NUMBER"),
	  N_("the ID card (CMND or CCCD) the giver's representative showed"), OPTION_OPTIONAL },
	{ "from-id-issued-on", "from_id_issued_on", OPTION_TEXT, NC_("metavar", "DATE"),
	  N_("its date of issue (dd/mm/yyyy)"), OPTION_OPTIONAL },
	{ "from-id-issued-by", "from_id_issued_by", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("who issued it"), OPTION_OPTIONAL },
	{ "to-position", "to_position", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("the receiver's position (of its representative, for an organization)"), OPTION_OPTIONAL },
	{ "to-agency", "to_agency", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("the receiver's agency"), OPTION_OPTIONAL },
	{ "to-address", "to_address", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("the receiver's address (a person's record's when it keeps one)"), OPTION_OPTIONAL },
	{ "to-representative", "to_representative", OPTION_TEXT, NC_("metavar", "NAME"),
	  N_("who represents the receiver (Mẫu 10: \"Đại diện\")"), OPTION_OPTIONAL },
	{ "to-letter", "to_introduction_letter", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("the introduction letter the receiver's representative showed"), OPTION_OPTIONAL },
	{ "to-id-number", "to_id_number", OPTION_TEXT, NC_("metavar", "NUMBER"),
	  N_("the ID card (CMND or CCCD) the receiver's representative showed"), OPTION_OPTIONAL },
	{ "to-id-issued-on", "to_id_issued_on", OPTION_TEXT, NC_("metavar", "DATE"),
	  N_("its date of issue (dd/mm/yyyy)"), OPTION_OPTIONAL },
	{ "to-id-issued-by", "to_id_issued_by", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("who issued it"), OPTION_OPTIONAL },
	{ "place", "place", OPTION_TEXT, NC_("metavar", "TEXT"),
	  N_("where the handover takes place"), OPTION_OPTIONAL },
	{ "serial", "serials", OPTION_LIST, NC_("metavar", "SERIAL"),
	  N_("only this token (repeatable); without it, every token on the desk"),
	  OPTION_OPTIONAL },
	{ "supersedes", "supersedes", OPTION_ID, NC_("metavar", "ID"),
	  N_("correct finalized handover ID"), OPTION_OPTIONAL },
	{ NULL }
};

static const struct param_option add_options[] = {
	{ "reason", "reason", OPTION_TEXT, NC_("metavar", "REASON"), N_("why the token changes hands"),
	  OPTION_REQUIRED },
	{ "note", "note", OPTION_TEXT, NC_("metavar", "TEXT"), N_("a note on the row"),
	  OPTION_OPTIONAL },
	{ NULL }
};

static const struct param_option list_options[] = {
	{ "serial", "serial", OPTION_TEXT, NC_("metavar", "SERIAL"),
	  N_("only the handovers of this token"), OPTION_OPTIONAL },
	{ NULL }
};

static int
run_new(struct client *cl, const char *prog, json_object *opts, int argc, char **argv)
{
	json_object *params, *giver = NULL, *receiver = NULL, *v;

	if (!check_reason(prog, opts, "reason") || !(giver = party_of(prog, opts, "from")) ||
	    !(receiver = party_of(prog, opts, "to"))) {
		json_object_put(giver);
		json_object_put(opts);
		return EXIT_USAGE;
	}
	params = param_new();
	if (json_object_object_add(params, "giver", giver) < 0 ||
	    json_object_object_add(params, "receiver", receiver) < 0)
		die_oom();
	static const char *const passed[] = { "reason", "place", "serials", "supersedes" };
	for (size_t i = 0; i < sizeof(passed) / sizeof(*passed); i++)
		if (json_object_object_get_ex(opts, passed[i], &v) &&
		    json_object_object_add(params, passed[i], json_object_get(v)) < 0)
			die_oom();
	json_object_put(opts);
	return client_show(cl, "io.khoa.Handovers.New", params, print_drafted);
}

static int
run_add(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	if (!options_take_id(prog, argv[0], params, "id") || !check_reason(prog, params, "reason")) {
		json_object_put(params);
		return EXIT_USAGE;
	}
	param_str(params, "serial", argv[1]);
	return client_show(cl, "io.khoa.Handovers.AddRow", params, print_shown);
}

static int
run_remove(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	if (!options_take_id(prog, argv[0], params, "id") ||
	    !options_take_id(prog, argv[1], params, "number")) {
		json_object_put(params);
		return EXIT_USAGE;
	}
	return client_show(cl, "io.khoa.Handovers.RemoveRow", params, print_shown);
}

static const struct param_option cancel_options[] = {
	{ "note", "note", OPTION_TEXT, NC_("metavar", "TEXT"), N_("why the draft is cancelled"),
	  OPTION_REQUIRED },
	{ NULL }
};

static void
print_cancelled(struct client *cl, json_object *answer)
{
	(void)cl;
	(void)answer;
	printf("%s\n", _("The draft is cancelled; the history keeps that it was, and why."));
}

static int
run_cancel(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	static const struct id_call cancel = { "io.khoa.Handovers.Cancel", print_cancelled };
	return options_run_id(cl, prog, params, argv[0], &cancel);
}

static int
run_finalize(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	static const struct id_call finalize = { "io.khoa.Handovers.Finalize", print_finalized };
	return options_run_id(cl, prog, params, argv[0], &finalize);
}

static int
run_show(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	static const struct id_call show = { "io.khoa.Handovers.Get", print_shown };
	return options_run_id(cl, prog, params, argv[0], &show);
}

static int
run_list(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	return client_show_pages(cl, "io.khoa.Handovers.List", params, "handovers", print_list);
}

static const struct subcommand handover_subcommands[] = {
	{ "new", N_("draft a handover (technician, clerk)"),
	  { NULL, 0, 0, new_options, run_new } },
	{ "add", N_("add a token, present or not, to a draft"),
	  { NC_("metavar", "ID SERIAL"), 2, 2, add_options, run_add } },
	{ "remove", N_("remove row NUMBER from a draft"),
	  { NC_("metavar", "ID NUMBER"), 2, 2, NULL, run_remove } },
	{ "finalize", N_("make it final and move custody"),
	  { NC_("metavar", "ID"), 1, 1, NULL, run_finalize } },
	{ "cancel", N_("cancel a draft drawn by mistake"),
	  { NC_("metavar", "ID"), 1, 1, cancel_options, run_cancel } },
	{ "show", N_("a handover and its rows"),
	  { NC_("metavar", "ID"), 1, 1, NULL, run_show } },
	{ "list", N_("the handovers, or those of one token"),
	  { NULL, 0, 0, list_options, run_list } },
	{ NULL }
};

static void
handover_lists(FILE *out)
{
	fprintf(out, "%s\n", _("Reasons (--reason), by their code or their name:"));
	handover_reasons_list(out);
}

const struct command cmd_handover = {
	.name = "handover",
	.help = N_("draft, finalize and show handover minutes of tokens (Mẫu 10)"),
	.about = N_("Tokens change hands on handover minutes (Mẫu 10): a draft gets a row for\n"
		    "every token on the desk, read from the device; once finalized it cannot\n"
		    "change, and custody of its tokens passes to the receiving party.\n"),
	.subs = handover_subcommands,
	.lists = handover_lists,
};
