/* libsmartcols tables for the commands' human output, fitted to the
 * output's width by table-fit.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "i18n.h"
#include "table.h"

/* What is between two columns. */
#define SEPARATOR "  "

/* The width asked for with --width, or none. */
static size_t asked_width;
static bool width_asked;

void
die_oom(void)
{
	fprintf(stderr, "khoa: %s\n", _("out of memory"));
	exit(1);
}

void
table_set_width(size_t width)
{
	asked_width = width;
	width_asked = true;
}

/* $COLUMNS when it is a width (as libsmartcols reads it), else 0. */
static size_t
columns_env(void)
{
	const char *text = getenv("COLUMNS");
	char *end;

	if (!text || *text < '0' || *text > '9')
		return 0;
	unsigned long v = strtoul(text, &end, 10);
	return *end || v > 100000 ? 0 : (size_t)v;
}

/* The width to fit tables to, 0 for none: see table.h. */
static size_t
output_width(void)
{
	struct winsize ws;

	if (width_asked)
		return asked_width;
	if (!isatty(STDOUT_FILENO))
		return columns_env();
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return columns_env() ? columns_env() : 80;
}

struct libscols_table *
table_new(const char *const *titles)
{
	struct libscols_table *tb = scols_new_table();
	if (!tb || scols_table_set_column_separator(tb, SEPARATOR) < 0)
		die_oom();
	/* The layout is table-fit.c's: libsmartcols only aligns (on a
	 * terminal it would cut columns on its own). */
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	for (const char *const *t = titles; *t; t++)
		if (!scols_table_new_column(tb, *t, 0.1, 0))
			die_oom();
	return tb;
}

/* A column's fit and keep are kept in its header cell's user data, as
 * KEEP * 2 + FIT (0: whole, always). */
void
table_column(struct libscols_table *tb, size_t column, enum table_fit fit, int keep)
{
	struct libscols_column *cl = scols_table_get_column(tb, column);
	if (cl)
		scols_cell_set_userdata(scols_column_get_header(cl),
					(void *)(intptr_t)(keep * 2 + (int)fit));
}

struct libscols_line *
table_row(struct libscols_table *tb)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	if (!ln)
		die_oom();
	return ln;
}

void
table_cell(struct libscols_line *row, size_t column, const char *text)
{
	if (text && scols_line_set_data(row, column, text) < 0)
		die_oom();
}

/* Puts HEADINGS (one per column, the wrapped headings) above the rows
 * LINES (NROWS): libsmartcols prints a heading on one line only. */
static void
headings_as_row(struct libscols_table *tb, struct libscols_line **lines, size_t nrows,
		char **headings)
{
	size_t ncols = scols_table_get_ncols(tb);
	struct libscols_line *head = scols_new_line();

	if (!head || scols_line_alloc_cells(head, ncols) < 0)
		die_oom();
	for (size_t c = 0; c < ncols; c++) {
		if (scols_line_refer_data(head, c, headings[c]) < 0 ||
		    scols_column_set_name(scols_table_get_column(tb, c), NULL) < 0)
			die_oom();
		headings[c] = NULL;
	}
	for (size_t r = 0; r < nrows; r++)
		scols_ref_line(lines[r]);
	scols_table_remove_lines(tb);
	if (scols_table_add_line(tb, head) < 0)
		die_oom();
	scols_unref_line(head);
	for (size_t r = 0; r < nrows; r++) {
		if (scols_table_add_line(tb, lines[r]) < 0)
			die_oom();
		scols_unref_line(lines[r]);
	}
	scols_table_enable_noheadings(tb, 1);
}

/* Lays TB out in WIDTH: hides columns, wraps the cells' text, and
 * lets libsmartcols print the wrapped cells' lines one under the other. */
static void
fit(struct libscols_table *tb, size_t width)
{
	size_t ncols = scols_table_get_ncols(tb), nrows = scols_table_get_nlines(tb);
	struct table_fit_column *cols = calloc(ncols + 1, sizeof(*cols));
	const char **cells = calloc(ncols * nrows + 1, sizeof(*cells));
	struct libscols_line **lines = calloc(nrows + 1, sizeof(*lines));
	char **headings = calloc(ncols + 1, sizeof(*headings));
	struct libscols_iter *itr = scols_new_iter(SCOLS_ITER_FORWARD);
	bool headings_wrap = false;

	if (!cols || !cells || !lines || !headings || !itr)
		die_oom();
	/* (scols_table_get_line() walks the list from its start) */
	for (size_t r = 0; r < nrows && scols_table_next_line(tb, itr, &lines[r]) == 0; r++)
		;
	scols_free_iter(itr);
	for (size_t c = 0; c < ncols; c++) {
		struct libscols_column *cl = scols_table_get_column(tb, c);
		intptr_t how = (intptr_t)scols_cell_get_userdata(scols_column_get_header(cl));
		cols[c].header = scols_table_is_noheadings(tb) ? NULL : scols_column_get_name(cl);
		cols[c].fit = (enum table_fit)(how % 2);
		cols[c].keep = (int)(how / 2);
		for (size_t r = 0; r < nrows; r++)
			cells[r * ncols + c] = scols_line_get_column_data(lines[r], cl);
	}
	table_fit_widths(cols, ncols, cells, nrows, width, strlen(SEPARATOR));
	free(cells);

	for (size_t c = 0; c < ncols; c++) {
		struct libscols_column *cl = scols_table_get_column(tb, c);
		int flags = scols_column_get_flags(cl);
		if (cols[c].hidden) {
			scols_column_set_flags(cl, flags | SCOLS_FL_HIDDEN);
			continue;
		}
		headings[c] = table_fit_wrap(cols[c].header, cols[c].width);
		headings_wrap |= strchr(headings[c], '\n') != NULL;
		if (scols_column_set_flags(cl, flags | SCOLS_FL_WRAP) < 0 ||
		    scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize, scols_wrapnl_nextchunk,
					      NULL) < 0 ||
		    scols_column_set_safechars(cl, "\n") < 0)
			die_oom();
		if (cols[c].fit == TABLE_WHOLE)
			continue;
		for (size_t r = 0; r < nrows; r++) {
			const char *text = scols_line_get_column_data(lines[r], cl);
			if (!text || table_fit_text_width(text) <= cols[c].width)
				continue;
			if (scols_line_refer_data(lines[r], c, table_fit_wrap(text, cols[c].width)) < 0)
				die_oom();
		}
	}
	if (headings_wrap)
		headings_as_row(tb, lines, nrows, headings);
	for (size_t c = 0; c < ncols; c++)
		free(headings[c]);
	free(headings);
	free(lines);
	free(cols);
}

/* Prints TEXT's lines without the spaces libsmartcols pads their ends
 * with (after a wrapped cell, to the last column's width). */
static void
print_trimmed(const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n"), end = n;
		while (end > 0 && text[end - 1] == ' ')
			end--;
		fwrite(text, 1, end, stdout);
		putchar('\n');
		text += n + (text[n] == '\n');
	}
}

void
table_print(struct libscols_table *tb)
{
	size_t width = output_width();
	char *text = NULL;

	if (width > 0 && scols_table_get_nlines(tb) > 0)
		fit(tb, width);
	if (scols_print_table_to_string(tb, &text) < 0 || !text)
		die_oom();
	print_trimmed(text);
	free(text);
	scols_unref_table(tb);
}

struct libscols_table *
fields_new(void)
{
	static const char *const none[] = { "", "", NULL };
	struct libscols_table *tb = table_new(none);
	scols_table_enable_noheadings(tb, 1);
	table_column(tb, 1, TABLE_WRAP, TABLE_ALWAYS);
	return tb;
}

void
fields_add(struct libscols_table *tb, const char *label, const char *value)
{
	struct libscols_line *ln = table_row(tb);
	char *l = NULL;
	if (asprintf(&l, "%s:", label) < 0)
		die_oom();
	table_cell(ln, 0, l);
	table_cell(ln, 1, value);
	free(l);
}
