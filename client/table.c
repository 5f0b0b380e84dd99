/* libsmartcols tables for the commands' human output. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "i18n.h"
#include "table.h"

void
die_oom(void)
{
	fprintf(stderr, "khoa: %s\n", _("out of memory"));
	exit(1);
}

struct libscols_table *
table_new(const char *const *titles)
{
	struct libscols_table *tb = scols_new_table();
	if (!tb || scols_table_set_column_separator(tb, "  ") < 0)
		die_oom();
	for (const char *const *t = titles; *t; t++)
		if (!scols_table_new_column(tb, *t, 0.1, 0))
			die_oom();
	return tb;
}

void
table_truncatable(struct libscols_table *tb, size_t column)
{
	struct libscols_column *cl = scols_table_get_column(tb, column);
	if (cl)
		scols_column_set_flags(cl, scols_column_get_flags(cl) | SCOLS_FL_TRUNC);
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

void
table_print(struct libscols_table *tb)
{
	scols_print_table(tb);
	scols_unref_table(tb);
}

struct libscols_table *
fields_new(void)
{
	static const char *const none[] = { "", "", NULL };
	struct libscols_table *tb = table_new(none);
	scols_table_enable_noheadings(tb, 1);
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
