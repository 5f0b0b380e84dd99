/*
 * --help, made from the rows of the command table (command.h): the usage
 * line, the subcommands with what they take, the options grouped by the
 * subcommands that have them. Only the paragraphs around them (about,
 * notes) are written by hand.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "client.h"
#include "i18n.h"
#include "table.h"

#define WIDTH 79		/* the lines of --help end before this column */
#define LIST_COLUMN 25		/* where a command's help starts in khoa --help */
#define LEFT_MAX 30		/* a wider left column has its help on the next line */
#define INLINE_OPTIONS 3	/* more optional options than this: "[OPTIONS]" */
#define UNIT '\x1f'		/* between the words of a synopsis: "--to PARTY" is
				   one, never cut at the end of a line */
#define UNIT_S "\x1f"
#define MAX_RUNNABLES 32	/* a family's subcommands, and itself */
#define NAMES_MAX 32		/* a family's synopsis names its first subcommands */

/* Columns TEXT takes on a terminal (Vietnamese letters take one each). */
static size_t
display_width(const char *text, size_t len)
{
	char *copy = strndup(text, len);
	size_t n = copy ? mbstowcs(NULL, copy, 0) : (size_t)-1;
	wchar_t *w = n != (size_t)-1 ? calloc(n + 1, sizeof(*w)) : NULL;
	int width = w && mbstowcs(w, copy, n + 1) != (size_t)-1 ? wcswidth(w, n) : -1;
	free(w);
	free(copy);
	return width >= 0 ? (size_t)width : len;
}

/* S translated in the context "metavar": what an option or a command takes
 * ("ID" there is not the "ID" of a column's title). */
static const char *
metavar(const char *s)
{
	char *key;
	if (asprintf(&key, "metavar\004%s", s) < 0)
		die_oom();
	const char *t = gettext(key);
	t = t == key ? s : t;
	free(key);
	return t;
}

/* A string being built; out of memory ends khoa. */
struct text {
	char *s;
	size_t len;
	FILE *f;
};

static void
text_open(struct text *t)
{
	if (!(t->f = open_memstream(&t->s, &t->len)))
		die_oom();
}

static char *
text_close(struct text *t)
{
	if (fclose(t->f) != 0 || !t->s)
		die_oom();
	return t->s;
}

/* Appends a word of a synopsis: WORD between OPEN and CLOSE. */
static void
unit(struct text *t, const char *open, const char *word, const char *close)
{
	if (ftell(t->f) > 0)
		fputc(UNIT, t->f);
	fprintf(t->f, "%s%s%s", open, word, close);
}

char *
option_synopsis(const struct param_option *o)
{
	char *word;
	if (o->value ? asprintf(&word, "--%s %s", o->name, metavar(o->value)) < 0
		     : asprintf(&word, "--%s", o->name) < 0)
		die_oom();
	return word;
}

/* O as a word of a synopsis: "--to PARTY", "[--note TEXT]", "[--serial SERIAL]…". */
static void
option_unit(struct text *t, const struct param_option *o, bool optional)
{
	char *word = option_synopsis(o);
	unit(t, optional ? "[" : "", word,
	     optional ? (o->kind == OPTION_LIST ? "]…" : "]") : (o->kind == OPTION_LIST ? "…" : ""));
	free(word);
}

static size_t
count_options(const struct param_option *opts, bool required)
{
	size_t n = 0;
	for (; opts && opts->name; opts++)
		n += (opts->need == OPTION_REQUIRED) == required;
	return n;
}

/* R's synopsis, its words separated by UNIT: arguments, required options,
 * then the others, or "[OPTIONS]" for many. */
static char *
synopsis_units(const struct runnable *r)
{
	struct text t;
	size_t optional = count_options(r->options, false);

	text_open(&t);
	if (r->args)
		unit(&t, "", metavar(r->args), "");
	for (const struct param_option *o = r->options; o && o->name; o++)
		if (o->need == OPTION_REQUIRED)
			option_unit(&t, o, false);
	if (optional > INLINE_OPTIONS)
		unit(&t, "[", metavar(NC_("metavar", "OPTIONS")), "]");
	else
		for (const struct param_option *o = r->options; o && o->name; o++)
			if (o->need != OPTION_REQUIRED)
				option_unit(&t, o, true);
	return text_close(&t);
}

static char *
spaced(char *units)
{
	for (char *p = units; *p; p++)
		if (*p == UNIT)
			*p = ' ';
	return units;
}

char *
runnable_synopsis(const struct runnable *r)
{
	return spaced(synopsis_units(r));
}

/* One option in two tables: the same name and help (whether it is
 * required is the synopsis's to say). */
static bool
same_option(const struct param_option *a, const struct param_option *b)
{
	return strcmp(a->name, b->name) == 0 &&
	       strcmp(a->help ? a->help : "", b->help ? b->help : "") == 0;
}

/* Whether OPTS has option O. */
static bool
option_in(const struct param_option *opts, const struct param_option *o)
{
	for (; opts && opts->name; opts++)
		if (same_option(opts, o))
			return true;
	return false;
}

static size_t
count_subs(const struct subcommand *subs)
{
	size_t n = 0;
	while (subs && subs[n].name)
		n++;
	return n;
}

/* The options every subcommand of a family has. */
static size_t
common_options(const struct command *cmd, const struct param_option **common, size_t max)
{
	size_t n = 0;
	if (!cmd->subs || count_subs(cmd->subs) < 2)
		return 0;
	for (const struct param_option *o = cmd->subs[0].is.options; o && o->name; o++) {
		bool everywhere = true;
		for (const struct subcommand *s = cmd->subs + 1; s->name; s++)
			everywhere = everywhere && option_in(s->is.options, o);
		if (everywhere && n < max)
			common[n++] = o;
	}
	return n;
}

/* CMD's synopsis, the usage line's words after "khoa NAME" (translated,
 * words separated by UNIT). */
static char *
command_synopsis(const struct command *cmd)
{
	const struct param_option *common[INLINE_OPTIONS];
	struct text t;
	size_t n;

	if (cmd->synopsis) {
		char *own = strdup(_(cmd->synopsis));
		if (!own)
			die_oom();
		return own;
	}
	if (!cmd->subs)
		return synopsis_units(&cmd->is);
	/* The first subcommands, as many as make a short line. */
	text_open(&t);
	for (const struct subcommand *s = cmd->subs; s->name; s++) {
		if (s != cmd->subs && ftell(t.f) + 1 + strlen(s->name) > NAMES_MAX) {
			fputs("|…", t.f);
			break;
		}
		fprintf(t.f, "%s%s", s == cmd->subs ? "" : "|", s->name);
	}
	n = common_options(cmd, common, INLINE_OPTIONS);
	for (size_t i = 0; n <= 2 && i < n; i++)
		option_unit(&t, common[i], common[i]->need != OPTION_REQUIRED);
	unit(&t, "", "…", "");
	return text_close(&t);
}

/* The length of TEXT's first word, words separated by SEP; in prose (SEP
 * ' ') a number stays with the word before it ("Mẫu 08", "Điều 5.1"). */
static size_t
word_length(const char *text, char sep)
{
	const char *end = strchr(text, sep);
	size_t len = end ? (size_t)(end - text) : strlen(text);
	while (sep == ' ' && text[len] == ' ' && text[len + 1] >= '0' && text[len + 1] <= '9') {
		end = strchr(text + len + 1, ' ');
		len = end ? (size_t)(end - text) : strlen(text);
	}
	return len;
}

/* Writes TEXT (words separated by spaces or UNIT, as SEP says) from
 * column AT, wrapped before WIDTH; a line that goes on starts at column
 * INDENT. Returns the column it ends at. */
static size_t
wrap(FILE *out, const char *text, char sep, size_t at, size_t indent)
{
	size_t col = at;
	bool first = true;

	while (*text) {
		size_t len = word_length(text, sep);
		size_t w = display_width(text, len);
		if (!first && col + 1 + w > WIDTH && col > indent) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		fwrite(text, 1, len, out);
		col += w;
		first = false;
		text += len;
		if (*text)
			text++;
	}
	return col;
}

/* "  LEFT   HELP": HELP from column COLUMN, on the next line when LEFT
 * reaches it; LEFT's words are separated by UNIT. */
static void
help_line(FILE *out, const char *left, const char *help, size_t column)
{
	fputs("  ", out);
	size_t col = wrap(out, left, UNIT, 2, 6);
	if (!help || !*help) {
		fputc('\n', out);
		return;
	}
	if (col + 2 > column) {	/* two spaces at least between them */
		fputc('\n', out);
		col = 0;
	}
	fprintf(out, "%*s", (int)(column - col), "");
	wrap(out, help, ' ', column, column);
	fputc('\n', out);
}

/* Where the help of rows with these LEFT parts starts. */
static size_t
help_column(char *const *left, size_t n)
{
	size_t widest = 0;
	for (size_t i = 0; i < n; i++) {
		size_t w = display_width(left[i], strlen(left[i]));
		if (w <= LEFT_MAX && w > widest)
			widest = w;
	}
	return 2 + widest + 2;
}

/* The option rows OPTS[0..N-1]. */
static void
option_rows(FILE *out, const struct param_option *const *opts, size_t n)
{
	char **left = calloc(n, sizeof(*left));
	if (!left)
		die_oom();
	for (size_t i = 0; i < n; i++) {
		struct text t;
		text_open(&t);
		option_unit(&t, opts[i], false);
		left[i] = text_close(&t);
	}
	size_t column = help_column(left, n);
	for (size_t i = 0; i < n; i++) {
		help_line(out, left[i], _(opts[i]->help), column);
		free(left[i]);
	}
	free(left);
}

/* "create and update", "confirm, submit and forward". */
static char *
names_joined(const char *const *names, size_t n)
{
	char *s = strdup(names[0]), *next;
	for (size_t i = 1; s && i < n; i++, s = next) {
		/* TRANSLATORS: the end of a list of subcommands, "create and update". */
		int r = i + 1 == n ? asprintf(&next, _("%s and %s"), s, names[i])
				   : asprintf(&next, "%s, %s", s, names[i]);
		free(s);
		if (r < 0)
			next = NULL;
	}
	if (!s)
		die_oom();
	return s;
}

/*
 * The options of a family, grouped by who has them: each option (a name
 * and its help) belongs to a set of runnables (the family itself, first,
 * then its subcommands); each set heads its options, in the order they
 * first appear.
 */
static void
family_options(FILE *out, const struct command *cmd)
{
	const struct runnable *r[MAX_RUNNABLES];
	const char *names[MAX_RUNNABLES];
	const struct param_option *opts[128];
	uint32_t sets[128], groups[128];
	size_t nr = 0, nopts = 0, ngroups = 0, nsubs = 0;

	if (cmd->is.run)
		r[nr] = &cmd->is, names[nr++] = NULL;
	for (const struct subcommand *s = cmd->subs; s->name && nr < MAX_RUNNABLES; s++, nsubs++)
		r[nr] = &s->is, names[nr++] = s->name;
	for (size_t i = 0; i < nr; i++) {
		for (const struct param_option *o = r[i]->options; o && o->name; o++) {
			size_t k = 0;
			while (k < nopts && !same_option(opts[k], o))
				k++;
			if (k == nopts && nopts < sizeof(opts) / sizeof(*opts))
				opts[nopts] = o, sets[nopts++] = 0;
			if (k < nopts)
				sets[k] |= UINT32_C(1) << i;
		}
	}
	/* The options of every subcommand first, then in order. */
	uint32_t every = ((UINT32_C(1) << nsubs) - 1) << (nr - nsubs);
	for (size_t k = 0; k < nopts; k++)
		if (sets[k] == every && nsubs > 1 && ngroups == 0)
			groups[ngroups++] = every;
	for (size_t k = 0; k < nopts; k++) {
		size_t g = 0;
		while (g < ngroups && groups[g] != sets[k])
			g++;
		if (g == ngroups)
			groups[ngroups++] = sets[k];
	}
	for (size_t g = 0; g < ngroups; g++) {
		const struct param_option *in[128];
		const char *who[MAX_RUNNABLES];
		size_t n = 0, nwho = 0;
		bool family = false;

		for (size_t k = 0; k < nopts; k++)
			if (sets[k] == groups[g])
				in[n++] = opts[k];
		for (size_t i = 0; i < nr; i++) {
			if (!(groups[g] & (UINT32_C(1) << i)))
				continue;
			if (names[i])
				who[nwho++] = names[i];
			else
				family = true;
		}
		fputc('\n', out);
		if (family || nwho == 0) {
			fprintf(out, "%s\n", _("Options:"));
		} else if (nwho == nsubs && nsubs > 1) {
			fprintf(out, "%s\n", _("Options of every subcommand:"));
		} else {
			char *list = names_joined(who, nwho);
			/* TRANSLATORS: the subcommands that take the options below,
			   "create and update". */
			fprintf(out, _("Options of %s:\n"), list);
			free(list);
		}
		option_rows(out, in, n);
	}
}

/* A family's rows: each subcommand with what it takes; a family that runs
 * itself too (khoa manager-change OPTIONS) lists its own use first, each
 * row then written in full ("khoa manager-change list"). */
static void
subcommand_rows(FILE *out, const struct command *cmd)
{
	size_t nsubs = count_subs(cmd->subs), n = 0;
	char **left = calloc(nsubs + 1, sizeof(*left));
	const char **help = calloc(nsubs + 1, sizeof(*help));
	char *prefix = NULL;

	if (!left || !help)
		die_oom();
	if (cmd->is.run) {
		if (asprintf(&prefix, "khoa" UNIT_S "%s" UNIT_S, cmd->name) < 0)
			die_oom();
		char *own = synopsis_units(&cmd->is);
		if (asprintf(&left[n], "%s%s", prefix, own) < 0)
			die_oom();
		help[n++] = _(cmd->is_help);
		free(own);
	}
	for (const struct subcommand *s = cmd->subs; s->name; s++) {
		char *what = synopsis_units(&s->is);
		if (asprintf(&left[n], "%s%s%s%s", prefix ? prefix : "", s->name, *what ? UNIT_S : "",
			     what) < 0)
			die_oom();
		help[n++] = _(s->help);
		free(what);
	}
	fprintf(out, "\n%s", prefix ? "" : _("Subcommands:\n"));
	size_t column = help_column(left, n);
	for (size_t i = 0; i < n; i++) {
		help_line(out, left[i], help[i], column);
		free(left[i]);
	}
	free(left);
	free(help);
	free(prefix);
}

void
command_usage(const struct command *cmd, FILE *out)
{
	char *synopsis = spaced(command_synopsis(cmd));
	char *line;

	if (asprintf(&line, "khoa %s%s%s", cmd->name, *synopsis ? " " : "", synopsis) < 0)
		die_oom();
	fprintf(out, _("Usage: %s\n"), line);
	free(line);
	free(synopsis);
	if (cmd->about)
		fputs(_(cmd->about), out);
	else
		fprintf(out, "  %s\n", _(cmd->help));
	if (cmd->subs) {
		subcommand_rows(out, cmd);
		family_options(out, cmd);
	} else if (cmd->is.options) {
		const struct param_option *in[128];
		size_t n = 0;
		for (const struct param_option *o = cmd->is.options; o->name && n < 128; o++)
			in[n++] = o;
		fprintf(out, "\n%s\n", _("Options:"));
		option_rows(out, in, n);
	}
	if (cmd->notes) {
		fputc('\n', out);
		fputs(_(cmd->notes), out);
	}
	if (cmd->lists) {
		fputc('\n', out);
		cmd->lists(out);
	}
}

int
command_try_help(const struct command *cmd)
{
	char prog[64];
	snprintf(prog, sizeof(prog), "khoa %s", cmd->name);
	fprintf(stderr, _("Try '%s --help' for more information.\n"), prog);
	return EXIT_USAGE;
}

void
command_list(const struct command *const *commands, FILE *out)
{
	for (const struct command *const *c = commands; *c; c++) {
		char *synopsis = command_synopsis(*c), *left;
		if (asprintf(&left, "%s%s%s", (*c)->name, *synopsis ? UNIT_S : "", synopsis) < 0)
			die_oom();
		help_line(out, left, _((*c)->help), LIST_COLUMN);
		free(left);
		free(synopsis);
	}
}
