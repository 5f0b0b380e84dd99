/* The ruled tables of the forms (page.h fdoc_table*): the column titles,
 * under their groups' where a form groups them, repeated on every page the
 * rows run onto; no column narrower than its title's longest word. */
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "page-internal.h"

static double table_pt(const struct fdoc *d)
{
	return d->table_pt > 0 ? d->table_pt : FORMS_BODY_PT;
}

static double cell_pt(const struct fdoc *d, const struct fcolumn *col)
{
	return col->pt > 0 ? col->pt : table_pt(d);
}

/* Lays out one row of data cells; returns its height (with padding). */
static double row_layouts(struct fdoc *d, int ncols, const struct fcolumn *cols, const double *w,
			  char *const *texts, PangoLayout **out)
{
	double hmax = 0;
	for (int c = 0; c < ncols; c++) {
		char *m = g_markup_printf_escaped("%s", texts[c] ? texts[c] : "");
		out[c] = fpage_layout(d, m, w[c] - 2 * CELL_PAD_X, cell_pt(d, &cols[c]), cols[c].align);
		g_free(m);
		if (fpage_height(out[c]) > hmax)
			hmax = fpage_height(out[c]);
	}
	return hmax + 2 * CELL_PAD_Y;
}

static void row_draw(struct fdoc *d, int ncols, const double *w, PangoLayout **ls, double h)
{
	double x = d->ml;
	cairo_set_line_width(d->cr, LINE_PT);
	for (int c = 0; c < ncols; c++) {
		/* data at the top of their cell */
		fpage_draw(d, ls[c], x + CELL_PAD_X, d->y + CELL_PAD_Y);
		cairo_rectangle(d->cr, x, d->y, w[c], h);
		cairo_stroke(d->cr);
		x += w[c];
		g_object_unref(ls[c]);
	}
	d->y += h;
}

/* The titles of a table: its columns', under the titles of their groups. */
struct titles {
	int ncols, ngroups;
	const struct fcolumn *cols;
	const struct fgroup *groups;
	const double *w;
	double gh, lh;                  /* the rows of group and column titles */
};

static const struct fgroup *group_of(const struct titles *t, int c)
{
	for (int g = 0; g < t->ngroups; g++)
		if (c >= t->groups[g].first && c < t->groups[g].first + t->groups[g].span)
			return &t->groups[g];
	return NULL;
}

static double group_width(const struct titles *t, const struct fgroup *g)
{
	double w = 0;
	for (int c = g->first; c < g->first + g->span && c < t->ncols; c++)
		w += t->w[c];
	return w;
}

static PangoLayout *title_layout(struct fdoc *d, const char *title, double w)
{
	char *m = g_markup_printf_escaped("<b>%s</b>", title ? title : "");
	PangoLayout *l = fpage_layout(d, m, w - 2 * CELL_PAD_X, table_pt(d), FA_CENTER);
	g_free(m);
	return l;
}

/* Sets T's row heights; returns the height of all the titles. */
static double titles_measure(struct fdoc *d, struct titles *t)
{
	double whole = 0;

	t->gh = t->lh = 0;
	for (int g = 0; g < t->ngroups; g++) {
		PangoLayout *l = title_layout(d, t->groups[g].title, group_width(t, &t->groups[g]));
		if (fpage_height(l) + 2 * CELL_PAD_Y > t->gh)
			t->gh = fpage_height(l) + 2 * CELL_PAD_Y;
		g_object_unref(l);
	}
	for (int c = 0; c < t->ncols; c++) {
		PangoLayout *l = title_layout(d, t->cols[c].title, t->w[c]);
		double h = fpage_height(l) + 2 * CELL_PAD_Y;
		g_object_unref(l);
		if (group_of(t, c) && h > t->lh)
			t->lh = h;
		else if (!group_of(t, c) && h > whole)
			whole = h;
	}
	/* a title over both rows may need more than the two */
	if (whole > t->gh + t->lh)
		t->lh = whole - t->gh;
	return t->gh + t->lh;
}

/* A title centered in its cell X, Y, W, H, and the cell's rules. */
static void title_cell(struct fdoc *d, const char *title, double x, double y, double w, double h)
{
	PangoLayout *l = title_layout(d, title, w);
	fpage_draw(d, l, x + CELL_PAD_X, y + (h - fpage_height(l)) / 2);
	g_object_unref(l);
	cairo_set_line_width(d->cr, LINE_PT);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_stroke(d->cr);
}

/* The upper row (group titles, and the titles over both rows), then the
 * titles under the groups: the order the regulation writes them in, and
 * the order they are read back from the PDF. */
static void titles_draw(struct fdoc *d, const struct titles *t)
{
	double x = d->ml;

	for (int c = 0; c < t->ncols; c++) {
		const struct fgroup *g = group_of(t, c);
		if (g && c == g->first)
			title_cell(d, g->title, x, d->y, group_width(t, g), t->gh);
		else if (!g)
			title_cell(d, t->cols[c].title, x, d->y, t->w[c], t->gh + t->lh);
		x += t->w[c];
	}
	x = d->ml;
	for (int c = 0; c < t->ncols; c++) {
		if (group_of(t, c))
			title_cell(d, t->cols[c].title, x, d->y + t->gh, t->w[c], t->lh);
		x += t->w[c];
	}
	d->y += t->gh + t->lh;
}

/* The width of the longest word of TITLE in its cell: no narrower, or a
 * word of it breaks ("ST" / "T"). */
static double title_min_width(struct fdoc *d, const char *title)
{
	double widest = 0;

	for (const char *p = title ? title : ""; *p;) {
		size_t n = strcspn(p, " ");
		if (n > 0) {
			char *word = g_strndup(p, n);
			char *m = g_markup_printf_escaped("<b>%s</b>", word);
			double w = fpage_text_width(d, m, table_pt(d));
			if (w > widest)
				widest = w;
			g_free(m);
			g_free(word);
		}
		p += n;
		p += strspn(p, " ");
	}
	return widest + 2 * CELL_PAD_X + 1;
}

/* Widens the columns W narrower than the longest word of their title,
 * taking the room from what the others not fitted to their cells have
 * beyond theirs. */
static void fit_titles(struct fdoc *d, int ncols, const struct fcolumn *cols, double *w)
{
	double short_by = 0, spare = 0, *least = calloc((size_t)ncols, sizeof *least);

	if (!least)
		return; /* out of memory: the widths as they are */
	for (int c = 0; c < ncols; c++) {
		least[c] = title_min_width(d, cols[c].title);
		if (w[c] < least[c])
			short_by += least[c] - w[c];
		else if (!cols[c].fit)	/* a fitted column keeps its cells whole */
			spare += w[c] - least[c];
	}
	if (short_by > 0 && spare > 0) {
		double share = short_by < spare ? short_by / spare : 1;
		for (int c = 0; c < ncols; c++) {
			if (w[c] < least[c])
				w[c] = least[c];
			else if (!cols[c].fit)
				w[c] -= (w[c] - least[c]) * share;
		}
	}
	free(least);
}

void fdoc_table(struct fdoc *d, int ncols, const struct fcolumn *cols,
		int nrows, char *const *cells)
{
	fdoc_table_grouped(d, ncols, cols, 0, NULL, nrows, cells);
}

void fdoc_table_grouped(struct fdoc *d, int ncols, const struct fcolumn *cols,
			int ngroups, const struct fgroup *groups,
			int nrows, char *const *cells)
{
	double W = fdoc_width(d), total = 0, *w, th;
	struct titles t;
	PangoLayout **ls;

	w = calloc((size_t)ncols, sizeof *w);
	ls = calloc((size_t)ncols, sizeof *ls);
	if (!w || !ls)
		goto out;
	for (int c = 0; c < ncols; c++) {
		if (!cols[c].fit) {
			total += cols[c].weight;
			continue;
		}
		w[c] = W * cols[c].weight / 12; /* at least a little */
		for (int r = 0; r < nrows; r++) {
			char *m = g_markup_printf_escaped("%s", cells[(size_t)r * ncols + c] ? cells[(size_t)r * ncols + c] : "");
			double tw = fpage_text_width(d, m, cell_pt(d, &cols[c])) + 2 * CELL_PAD_X + 1;
			g_free(m);
			if (tw > w[c])
				w[c] = tw;
		}
	}
	{
		/* the fitted columns as wide as their longest cell (a 32-digit
		 * serial on one line), as long as every other column keeps the
		 * width of its title's longest word; narrower alike if not */
		double fitted = 0, least_fitted = 0, floor = 0;
		for (int c = 0; c < ncols; c++) {
			double least = title_min_width(d, cols[c].title);
			if (!cols[c].fit) {
				floor += least;
				continue;
			}
			if (least < W * cols[c].weight / 12)
				least = W * cols[c].weight / 12;
			if (w[c] < least)
				w[c] = least;
			fitted += w[c];
			least_fitted += least;
		}
		if (fitted + floor > W && fitted > least_fitted) {
			double k = (W - floor - least_fitted) / (fitted - least_fitted);
			if (k < 0)
				k = 0;
			for (int c = 0; c < ncols; c++) {
				if (!cols[c].fit)
					continue;
				double least = title_min_width(d, cols[c].title);
				if (least < W * cols[c].weight / 12)
					least = W * cols[c].weight / 12;
				w[c] = least + (w[c] - least) * k;
			}
		}
	}
	{
		double rest = W;
		for (int c = 0; c < ncols; c++)
			if (cols[c].fit)
				rest -= w[c];
		for (int c = 0; c < ncols; c++)
			if (!cols[c].fit)
				w[c] = rest * cols[c].weight / total;
	}

	fit_titles(d, ncols, cols, w);
	t = (struct titles){ .ncols = ncols, .ngroups = ngroups, .cols = cols,
			     .groups = groups, .w = w };
	th = titles_measure(d, &t);
	for (int r = 0; r < nrows; r++) {
		double h = row_layouts(d, ncols, cols, w, cells + (size_t)r * ncols, ls);
		double after = r == nrows - 1 ? d->keep : 0;
		/* the titles never end a page alone; a row that does not fit
		 * goes to the next page, under the titles repeated; so does
		 * the last one without the room D->keep asks after it */
		if (r == 0 || d->y + h + after > d->ph - d->mb) {
			if (r == 0)
				fpage_need(d, th + h + after);
			else
				fpage_new_page(d);
			titles_draw(d, &t);
		}
		row_draw(d, ncols, w, ls, h);
	}
	if (nrows == 0) {
		fpage_need(d, th);
		titles_draw(d, &t);
	}
	d->y += FDOC_TABLE_AFTER;
out:
	free(w);
	free(ls);
}

