/* A table fitted to a width: see table-fit.h. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "table-fit.h"
#include "table.h"

/* The display width of the character at S (N bytes left, N > 0), its
 * length in *LEN. What libsmartcols cannot print as it is, it prints as
 * \xHH, four columns a byte. */
static size_t
char_width(const char *s, size_t n, size_t *len)
{
	mbstate_t state;
	wchar_t wc;

	memset(&state, 0, sizeof(state));
	size_t l = mbrtowc(&wc, s, n, &state);
	if (l == (size_t)-1 || l == (size_t)-2 || l == 0) {
		*len = 1;
		return 4;
	}
	*len = l;
	int w = wcwidth(wc);
	return w < 0 ? 4 * l : (size_t)w;
}

static size_t
span_width(const char *s, size_t n)
{
	size_t width = 0, len;
	for (size_t i = 0; i < n; i += len)
		width += char_width(s + i, n - i, &len);
	return width;
}

size_t
table_fit_text_width(const char *text)
{
	size_t widest = 0;
	while (text && *text) {
		size_t n = strcspn(text, "\n"), w = span_width(text, n);
		widest = w > widest ? w : widest;
		text += n + (text[n] == '\n');
	}
	return widest;
}

/* The display width of TEXT's widest word. */
static size_t
word_width(const char *text)
{
	size_t widest = 0;
	while (text && *text) {
		size_t n = strcspn(text, " \n"), w = span_width(text, n);
		widest = w > widest ? w : widest;
		text += n + (text[n] != '\0');
	}
	return widest;
}

/* Where a word [P, END) wider than WIDTH is broken: after the last '-',
 * '–', '/', '.', '_', ',', ';' or ':' or before the last '@' that keeps at
 * least half the width on the line, else after as many characters as fit
 * (at least one). Sets *PIECE to the width kept on the line. */
static size_t
break_word(const char *p, const char *end, size_t width, size_t *piece)
{
	size_t used = 0, len, soft = 0, soft_width = 0, i = 0;

	while (p + i < end) {
		size_t w = char_width(p + i, (size_t)(end - p - i), &len);
		if (i > 0 && used + w > width)
			break;
		if (p[i] == '@' && i > 0 && used * 2 >= width) {
			soft = i;
			soft_width = used;
		}
		used += w;
		i += len;
		if ((strchr("-/._,;:", p[i - 1]) || (len == 3 && memcmp(p + i - 3, "–", 3) == 0)) &&
		    used * 2 >= width && p + i < end) {
			soft = i;
			soft_width = used;
		}
	}
	if (soft && p + i < end) {
		*piece = soft_width;
		return soft;
	}
	*piece = used;
	return i;
}

/* Writes TEXT to OUT (room for twice TEXT's length and a NUL) in lines of
 * at most WIDTH (at least 1), as table-fit.h says: the words joined by one
 * space, a word wider than WIDTH broken by break_word(). */
static void
wrap(const char *text, size_t width, char *out)
{
	size_t cur = 0;	/* the width on the current line */

	if (width == 0)
		width = 1;
	while (*text) {
		if (*text == ' ' || *text == '\n') {
			if (*text++ == '\n') {
				*out++ = '\n';
				cur = 0;
			}
			continue;
		}
		const char *end = text + strcspn(text, " \n");
		size_t ww = span_width(text, (size_t)(end - text));
		if (cur > 0 && cur + 1 + ww <= width) {
			*out++ = ' ';
			cur++;
		} else {
			if (cur > 0)
				*out++ = '\n';
			cur = 0;
			while (ww > width) {
				size_t piece, n = break_word(text, end, width, &piece);
				memcpy(out, text, n);
				out += n;
				*out++ = '\n';
				text += n;
				ww -= piece;
			}
		}
		memcpy(out, text, (size_t)(end - text));
		out += end - text;
		cur += ww;
		text = end;
	}
	*out = '\0';
}

char *
table_fit_wrap(const char *text, size_t width)
{
	if (!text)
		text = "";
	if (table_fit_text_width(text) <= width) {
		char *copy = strdup(text);
		if (!copy)
			die_oom();
		return copy;
	}
	char *out = malloc(2 * strlen(text) + 1);
	if (!out)
		die_oom();
	wrap(text, width, out);
	return out;
}

/* The table being fitted; its row 0 is the headings, which wrap as a
 * wrapped cell does (under a column of dates, "VALID" over "FROM").
 * Each cell is measured once, as the widths of its words (LINE_BREAK
 * where it has a '\n'): how many lines it takes at a width is then
 * counted without reading its text again. */
struct fit {
	struct table_fit_column *cols;
	size_t ncols, nrows, sep, width;
	const char *const *cells;
	size_t *natural, *word, *readable, *floor, *w;
	size_t *data;	/* the widest cell under the heading, 0: none */
	size_t *words, *first;	/* cell i's words: words[first[i]..first[i + 1]) */
	size_t *lines;	/* lines[row * ncols + column] at w[column] */
	size_t *trial, *trial2;	/* a column's lines at a trial width, per row */
};

#define LINE_BREAK ((size_t)-1)

static const char *
cell(const struct fit *f, size_t row, size_t col)
{
	return row == 0 ? f->cols[col].header : f->cells[(row - 1) * f->ncols + col];
}

/* Appends TEXT's words to f->words (N so far, room for SIZE); returns
 * the new count. */
static size_t
add_words(struct fit *f, const char *text, size_t n, size_t *size)
{
	while (text && *text) {
		size_t len = strcspn(text, " \n");
		if (n + 2 > *size) {
			*size = 2 * *size + 16;
			size_t *more = realloc(f->words, *size * sizeof(size_t));
			if (!more)
				die_oom();
			f->words = more;
		}
		if (len > 0)
			f->words[n++] = span_width(text, len);
		if (text[len] == '\n')
			f->words[n++] = LINE_BREAK;
		text += len + (text[len] != '\0');
	}
	return n;
}

/* How many lines cell I takes at WIDTH, as wrap() breaks it (a word wider
 * than WIDTH counted as broken every WIDTH columns). */
static size_t
cell_lines(const struct fit *f, size_t i, size_t width)
{
	size_t lines = 1, cur = 0;
	for (size_t k = f->first[i]; k < f->first[i + 1]; k++) {
		size_t ww = f->words[k];
		if (ww == LINE_BREAK) {
			lines++;
			cur = 0;
			continue;
		}
		if (cur > 0 && cur + 1 + ww <= width) {
			cur += 1 + ww;
			continue;
		}
		if (cur > 0)
			lines++;
		for (; ww > width && width > 0; ww -= width)
			lines++;
		cur = ww;
	}
	return lines;
}

static void
column_lines(struct fit *f, size_t col, size_t width, size_t *out, size_t stride)
{
	for (size_t r = 0; r < f->nrows; r++)
		out[r * stride] = cell_lines(f, r * f->ncols + col, width);
}

static size_t
total(const struct fit *f, const size_t *w)
{
	size_t sum = 0, shown = 0;
	for (size_t c = 0; c < f->ncols; c++)
		if (!f->cols[c].hidden) {
			sum += w[c];
			shown++;
		}
	return sum + (shown ? (shown - 1) * f->sep : 0);
}

/* Hides the columns whose keep is in [LO, HI), the highest keep first and
 * at equal keep the rightmost, until the table fits at widths W; then
 * shows again, the most worth first, each that fits after all. */
static void
hide_until_fits(struct fit *f, int lo, int hi, const size_t *w)
{
	size_t *hidden = calloc(f->ncols + 1, sizeof(*hidden)), n = 0;

	if (!hidden)
		die_oom();
	while (total(f, w) > f->width) {
		size_t pick = f->ncols;
		for (size_t c = 0; c < f->ncols; c++) {
			int keep = f->cols[c].keep;
			if (!f->cols[c].hidden && keep >= lo && keep < hi &&
			    (pick == f->ncols || keep >= f->cols[pick].keep))
				pick = c;
		}
		if (pick == f->ncols)
			break;
		f->cols[pick].hidden = true;
		hidden[n++] = pick;
	}
	while (n-- > 0) {
		f->cols[hidden[n]].hidden = false;
		if (total(f, w) > f->width)
			f->cols[hidden[n]].hidden = true;
	}
	free(hidden);
}

static bool
shown(const struct fit *f, size_t c)
{
	return !f->cols[c].hidden;
}

/* How many lines a layout takes: the table's, then its cells' (so that a
 * name is not wrapped where that gains no line of the table). */
struct cost {
	size_t rows, cells;
};

static bool
cheaper(struct cost x, struct cost y)
{
	return x.rows < y.rows || (x.rows == y.rows && x.cells < y.cells);
}

/* The cost if column A had the lines LA and column B (f->ncols: none)
 * the lines LB, one per row. */
static struct cost
cost_with(const struct fit *f, size_t a, const size_t *la, size_t b, const size_t *lb)
{
	struct cost cost = { 0, 0 };
	for (size_t r = 0; r < f->nrows; r++) {
		size_t most = 0;
		for (size_t c = 0; c < f->ncols; c++) {
			if (!shown(f, c))
				continue;
			size_t n = c == a ? la[r] : c == b ? lb[r] : f->lines[r * f->ncols + c];
			most = n > most ? n : most;
			cost.cells += n;
		}
		cost.rows += most;
	}
	return cost;
}

/* Narrows the columns that wrap (a whole column's heading does), none
 * below FLOOR, a display column at a time until the table fits: from the
 * one where that costs the least (the widest at equal cost), or with
 * WIDEST, from the widest, so that breaking inside words falls on the
 * longest words (a path rather than a name). */
static void
narrow_wrapped(struct fit *f, const size_t *floor, bool widest)
{
	while (total(f, f->w) > f->width) {
		size_t pick = f->ncols;
		struct cost best = { 0, 0 };
		for (size_t c = 0; c < f->ncols; c++) {
			if (!shown(f, c) || f->w[c] <= floor[c])
				continue;
			if (widest) {
				if (pick == f->ncols || f->w[c] > f->w[pick])
					pick = c;
				continue;
			}
			column_lines(f, c, f->w[c] - 1, f->trial, 1);
			struct cost cost = cost_with(f, c, f->trial, f->ncols, NULL);
			if (pick == f->ncols || cheaper(cost, best) ||
			    (!cheaper(best, cost) && f->w[c] >= f->w[pick])) {
				pick = c;
				best = cost;
			}
		}
		if (pick == f->ncols)
			return;
		f->w[pick]--;
		column_lines(f, pick, f->w[pick], f->lines + pick, f->ncols);
	}
}

static size_t
sum(const size_t *v, size_t n)
{
	size_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* Narrowing a column at a time can wrap a name early that a later step
 * makes no longer worth it (the purpose beside it took three lines
 * anyway): gives a wrapped column back the width where its cells take a
 * line less, from another column that stays readable, while that costs
 * less. */
static void
rebalance(struct fit *f)
{
	for (size_t round = 0; round < 4 * f->ncols; round++) {
		bool moved = false;
		struct cost now = cost_with(f, f->ncols, NULL, f->ncols, NULL);
		for (size_t a = 0; a < f->ncols && !moved; a++) {
			if (!shown(f, a) || f->w[a] >= f->natural[a])
				continue;
			/* the next width at which A's cells take fewer lines */
			size_t lines = 0, wa = f->w[a];
			for (size_t r = 0; r < f->nrows; r++)
				lines += f->lines[r * f->ncols + a];
			do
				column_lines(f, a, ++wa, f->trial, 1);
			while (wa < f->natural[a] && sum(f->trial, f->nrows) >= lines);
			size_t k = wa - f->w[a];
			for (size_t b = 0; b < f->ncols && !moved; b++) {
				size_t floor = f->readable[b] < f->w[b] ? f->readable[b] : f->w[b];
				if (b == a || !shown(f, b) || f->w[b] < floor + k)
					continue;
				column_lines(f, b, f->w[b] - k, f->trial2, 1);
				if (!cheaper(cost_with(f, a, f->trial, b, f->trial2), now))
					continue;
				f->w[a] = wa;
				f->w[b] -= k;
				column_lines(f, a, f->w[a], f->lines + a, f->ncols);
				column_lines(f, b, f->w[b], f->lines + b, f->ncols);
				moved = true;
			}
		}
		if (!moved)
			break;
	}
}

static size_t
max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

static size_t
min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Column C's widths: natural (all on one line), readable, its longest word
 * and the least it can take. */
static void
measure(struct fit *f, size_t c)
{
	const char *header = f->cols[c].header;
	size_t data = 0, words = 0, header_word = word_width(header);

	for (size_t r = 1; r < f->nrows; r++) {
		data = max_size(data, table_fit_text_width(cell(f, r, c)));
		if (f->cols[c].fit == TABLE_WRAP)
			words = max_size(words, word_width(cell(f, r, c)));
	}
	f->data[c] = data;
	f->natural[c] = max_size(data, table_fit_text_width(header));
	switch (f->cols[c].fit) {
	case TABLE_WHOLE:
		f->readable[c] = f->word[c] = f->floor[c] = max_size(data, header_word);
		break;
	case TABLE_WRAP:
		f->word[c] = max_size(words, header_word);
		/* a long word without spaces (a path) may break before the
		 * other columns get narrower than readable */
		f->readable[c] = min_size(f->natural[c], max_size(min_size(f->word[c],
									    2 * TABLE_READABLE),
								  TABLE_READABLE));
		f->floor[c] = max_size(header_word, min_size(f->natural[c], 4));
		break;
	}
	f->w[c] = f->natural[c];
}

void
table_fit_widths(struct table_fit_column *cols, size_t ncols, const char *const *cells,
		 size_t nrows, size_t width, size_t sep)
{
	struct fit f = { .cols = cols, .ncols = ncols, .nrows = nrows + 1, .sep = sep,
			 .width = width, .cells = cells };
	size_t ncells = f.nrows * ncols, nwords = 0, size = 0;

	f.natural = calloc(6 * ncols + 1, sizeof(size_t));
	f.first = calloc(ncells + 1, sizeof(size_t));
	f.lines = calloc(ncells + 1, sizeof(size_t));
	f.trial = calloc(2 * f.nrows, sizeof(size_t));
	if (!f.natural || !f.first || !f.lines || !f.trial)
		die_oom();
	f.word = f.natural + ncols;
	f.readable = f.word + ncols;
	f.floor = f.readable + ncols;
	f.w = f.floor + ncols;
	f.data = f.w + ncols;
	f.trial2 = f.trial + f.nrows;

	for (size_t c = 0; c < ncols; c++) {
		cols[c].hidden = false;
		measure(&f, c);
	}
	if (total(&f, f.natural) > width) {
		/* a column with nothing under its heading first, then the
		 * spare ones, before any text is wrapped */
		for (size_t c = 0; c < ncols; c++)
			cols[c].hidden = f.data[c] == 0;
		hide_until_fits(&f, TABLE_SPARE, TABLE_SPARE + 10, f.natural);
	}
	if (total(&f, f.natural) > width) {
		hide_until_fits(&f, TABLE_USEFUL, TABLE_USEFUL + 10, f.readable);
		for (size_t i = 0; i < ncells; i++) {
			f.first[i] = nwords;
			if (shown(&f, i % ncols))
				nwords = add_words(&f, cell(&f, i / ncols, i % ncols), nwords, &size);
		}
		f.first[ncells] = nwords;
		for (size_t c = 0; c < ncols; c++)
			if (shown(&f, c))
				column_lines(&f, c, f.w[c], f.lines + c, ncols);
		narrow_wrapped(&f, f.readable, false);
		narrow_wrapped(&f, f.word, false);
		narrow_wrapped(&f, f.floor, true);
		rebalance(&f);
	}
	for (size_t c = 0; c < ncols; c++)
		cols[c].width = f.w[c];
	free(f.natural);
	free(f.first);
	free(f.words);
	free(f.lines);
	free(f.trial);
}
