/*
 * Aligned tables on the terminal (libsmartcols), sized by display width so
 * that Vietnamese text lines up. Out of memory ends the program with a
 * message: a client has nothing to save.
 */
#pragma once

#include <libsmartcols.h>

/* A table with these column titles (NULL-terminated, already translated). */
struct libscols_table *table_new(const char *const *titles);
/* Lets COLUMN be cut short (with an ellipsis) when a terminal is too narrow
 * for the table; output that is not a terminal is never cut. */
void table_truncatable(struct libscols_table *tb, size_t column);
/* A new row; then table_cell() for each column that is not empty. */
struct libscols_line *table_row(struct libscols_table *tb);
void table_cell(struct libscols_line *row, size_t column, const char *text);
/* Prints to stdout and frees. */
void table_print(struct libscols_table *tb);

/* A two-column "Label: value" block, titles translated by the caller. */
struct libscols_table *fields_new(void);
void fields_add(struct libscols_table *tb, const char *label, const char *value);

void die_oom(void) __attribute__((noreturn));
