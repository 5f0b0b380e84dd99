/*
 * A table fitted to a width (table.c uses it before libsmartcols prints):
 * which columns are hidden, how wide each one is, and the text of a cell
 * wrapped to that width. Widths are display columns (a Vietnamese
 * letter is one, whatever its bytes), as libsmartcols counts them.
 *
 * Why khoa lays the table out itself: libsmartcols 2.38 (Debian 12) can
 * only take a column down to its heading's width, a column at a time, and
 * its SCOLS_FL_WRAP breaks inside a word ("Văn ph" / "òng"). Here a column
 * says how it gives way:
 *   TABLE_WHOLE  serials, IDs, dates, codes: never cut, never wrapped;
 *   TABLE_WRAP   names and free text: broken between words onto more lines
 *                (inside a word only when the word alone is wider than any
 *                width left, as an e-mail address can be; never with a
 *                hyphen);
 * and how much it is worth (keep):
 *   TABLE_ALWAYS            always shown;
 *   TABLE_USEFUL + 0..9     hidden only when the wrapped columns could not
 *                           keep a readable width (TABLE_READABLE) otherwise;
 *   TABLE_SPARE + 0..9      hidden before any text is wrapped;
 * a higher keep is hidden first, and at equal keep the rightmost column;
 * a column with no text under its heading goes before them all.
 * What was hidden comes back if the others leave room for it after all.
 * Nothing is cut short with "…": a column worth little is left out whole.
 *
 * The widths are then found so that the table has as few lines as it can
 * (then as few lines of its cells, so that a name is not wrapped where
 * that gains nothing): the wrapped columns give way down to
 * TABLE_READABLE, a display column at a time, each time from the column
 * where it costs the least; a heading wraps as
 * the text under it does (a whole column's too: "DAYS" over "LEFT"); if
 * that is still too wide, down to the longest word, then inside words,
 * the widest column first. When even the whole columns alone are wider
 * than the width, the table is as wide as they are: a serial is never cut
 * to make it fit.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum table_fit {
	TABLE_WHOLE,
	TABLE_WRAP,
};

enum {
	TABLE_ALWAYS = 0,
	TABLE_USEFUL = 10,
	TABLE_SPARE = 20,
};

/* Below this a wrapped column is no longer easy to read (a name in
 * three or four short lines): columns TABLE_USEFUL are hidden first. */
#define TABLE_READABLE 12

struct table_fit_column {
	const char *header;	/* NULL: none */
	enum table_fit fit;
	int keep;
	/* the outcome */
	bool hidden;
	size_t width;
};

/*
 * Fits NROWS rows of NCOLS columns, CELLS[row * NCOLS + column] (NULL for
 * an empty cell), with SEP display columns between two columns, into
 * WIDTH: sets each column's hidden and width. Out of memory ends khoa.
 */
void table_fit_widths(struct table_fit_column *cols, size_t ncols, const char *const *cells,
		      size_t nrows, size_t width, size_t sep);

/* TEXT in lines of at most WIDTH display columns, as TABLE_WRAP breaks
 * them, '\n' between them: a new string. */
char *table_fit_wrap(const char *text, size_t width);
/* The display width of TEXT's widest line. */
size_t table_fit_text_width(const char *text);
