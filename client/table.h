/*
 * Aligned tables on the terminal (libsmartcols), sized by display width so
 * that Vietnamese text lines up, and fitted to the output's width
 * (table-fit.h): each column says how it gives way on a narrow screen.
 * Out of memory ends the program with a message: a client has nothing to
 * save.
 */
#pragma once

#include <stddef.h>
#include <libsmartcols.h>

#include "table-fit.h"

/*
 * The width tables are fitted to: WIDTH display columns, 0 for no limit
 * (khoa --width). Without it: the terminal's width when the output is a
 * terminal (or $COLUMNS when the terminal does not say, else 80), $COLUMNS
 * when it is not and COLUMNS is set, else no limit: a script reading the
 * output gets every column whole on one line, as before tables were fitted.
 */
void table_set_width(size_t width);

/* A table with these column titles (NULL-terminated, already translated);
 * every column TABLE_WHOLE and TABLE_ALWAYS until table_column(). */
struct libscols_table *table_new(const char *const *titles);
/* How COLUMN gives way when the table is wider than the output: FIT, and
 * when it is hidden: KEEP (table-fit.h). */
void table_column(struct libscols_table *tb, size_t column, enum table_fit fit, int keep);
/* A new row; then table_cell() for each column that is not empty. */
struct libscols_line *table_row(struct libscols_table *tb);
void table_cell(struct libscols_line *row, size_t column, const char *text);
/* Fits, prints to stdout and frees. */
void table_print(struct libscols_table *tb);

/* A two-column "Label: value" block, titles translated by the caller; the
 * value wraps. */
struct libscols_table *fields_new(void);
void fields_add(struct libscols_table *tb, const char *label, const char *value);

void die_oom(void) __attribute__((noreturn));
