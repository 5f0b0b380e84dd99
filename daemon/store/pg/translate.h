/*
 * The area files' placeholders in PostgreSQL's words, without a server:
 * SQLite's "?" and "?NNN" become "$1".."$k", numbered densely in the order
 * of the numbers used (PostgreSQL cannot type a parameter the text never
 * names, so a gap is closed: "?1 … ?9" becomes "$1 … $2"). A "?" inside a
 * string, a quoted name or a comment is left alone; a "$" outside them is
 * refused (the area SQL has no dollar quoting). Pure: unit-tested.
 */
#pragma once

#include <stddef.h>

/* The most parameters a statement may number (SQLite's default is 32766;
 * the area files use at most a dozen). */
#define PG_MAX_PARAMS 100

/*
 * Translates SQL into *OUT (malloc'ed). MAP[i] is, for SQLite's parameter
 * number i (1..PG_MAX_PARAMS), the $n it became, 0 when the text does not
 * use it; *N is the count of $n. 0, -EINVAL (a number out of range, a "$"),
 * -ENOMEM.
 */
int pg_translate(const char *sql, char **out, int map[PG_MAX_PARAMS + 1], int *n);
