/* A4 pages, the national header, titles, paragraphs and signature blocks,
 * laid out with pango on cairo's PDF surface, as FORMS.md describes them
 * (the ruled tables: page-table.c). */
#include "page.h"
#include "forms.h"
#include "page-internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo-pdf.h>


static void set_error(char **error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(char **error, const char *fmt, ...)
{
	va_list ap;
	if (!error)
		return;
	free(*error);
	*error = NULL;
	va_start(ap, fmt);
	if (vasprintf(error, fmt, ap) < 0)
		*error = NULL;
	va_end(ap);
}

/* Liberation Serif (metric-compatible with Times New Roman), else DejaVu Serif. */
static void choose_family(struct fdoc *d)
{
	static const char *const wanted[] = { "Liberation Serif", "DejaVu Serif" };
	PangoFontMap *map = pango_cairo_font_map_get_default();
	PangoFontFamily **families = NULL;
	int n = 0;

	snprintf(d->family, sizeof d->family, "%s", "serif");
	pango_font_map_list_families(map, &families, &n);
	for (size_t w = 0; w < sizeof wanted / sizeof *wanted; w++) {
		for (int i = 0; i < n; i++) {
			if (!strcmp(pango_font_family_get_name(families[i]), wanted[w])) {
				snprintf(d->family, sizeof d->family, "%s", wanted[w]);
				g_free(families);
				return;
			}
		}
	}
	g_free(families);
}

int fdoc_open(struct fdoc *d, const char *path, bool landscape, char **error)
{
	memset(d, 0, sizeof *d);
	d->pw = (landscape ? 297 : 210) * FORMS_MM;
	d->ph = (landscape ? 210 : 297) * FORMS_MM;
	/* FORMS.md: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm */
	d->ml = 30 * FORMS_MM;
	d->mr = 15 * FORMS_MM;
	d->mt = 20 * FORMS_MM;
	d->mb = 20 * FORMS_MM;
	d->surface = cairo_pdf_surface_create(path, d->pw, d->ph);
	if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS) {
		set_error(error, "%s: %s", path,
			  cairo_status_to_string(cairo_surface_status(d->surface)));
		cairo_surface_destroy(d->surface);
		d->surface = NULL;
		return -EIO;
	}
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "khoa");
	d->cr = cairo_create(d->surface);
	choose_family(d);
	return 0;
}

int fdoc_close(struct fdoc *d, char **error)
{
	cairo_status_t st;
	int r = 0;

	if (!d->surface)
		return -EINVAL;
	st = cairo_status(d->cr);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(d->surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		set_error(error, "PDF: %s", cairo_status_to_string(st));
		r = st == CAIRO_STATUS_NO_MEMORY ? -ENOMEM : -EIO;
	}
	cairo_surface_destroy(d->surface);
	d->surface = NULL;
	d->cr = NULL;
	return r;
}

double fdoc_width(const struct fdoc *d)
{
	return d->pw - d->ml - d->mr;
}

PangoLayout *fpage_layout(struct fdoc *d, const char *markup, double width, double size,
			   enum fdoc_align align)
{
	PangoLayout *l = pango_cairo_create_layout(d->cr);
	PangoFontDescription *fd = pango_font_description_new();

	/* one point per unit, so that sizes in markup ("11pt") are points too */
	pango_cairo_context_set_resolution(pango_layout_get_context(l), 72);
	pango_layout_context_changed(l);

	pango_font_description_set_family(fd, d->family);
	/* absolute: the PDF surface's unit is the point */
	pango_font_description_set_absolute_size(fd, (size > 0 ? size : FORMS_BODY_PT) * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	switch (align) {
	case FA_CENTER: pango_layout_set_alignment(l, PANGO_ALIGN_CENTER); break;
	case FA_RIGHT: pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT); break;
	case FA_JUSTIFY: pango_layout_set_justify(l, TRUE); break;
	case FA_LEFT: break;
	}
	pango_layout_set_markup(l, markup ? markup : "", -1);
	/* No hyphen is ever added where a line breaks inside a word: a serial
	 * broken "…8AC34A-" / "F1" is copied by a clerk as a wrong serial
	 * (issue 17). Pango adds them by default (1.44 on). */
	PangoAttrList *attrs = pango_layout_get_attributes(l);
	attrs = attrs ? pango_attr_list_copy(attrs) : pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	return l;
}

double fpage_height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

void fpage_draw(struct fdoc *d, PangoLayout *l, double x, double y)
{
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
}

void fpage_hline(struct fdoc *d, double x0, double x1, double y)
{
	cairo_set_line_width(d->cr, LINE_PT);
	cairo_move_to(d->cr, x0, y);
	cairo_line_to(d->cr, x1, y);
	cairo_stroke(d->cr);
}


void fpage_new_page(struct fdoc *d)
{
	if (d->page > 0)
		cairo_show_page(d->cr);
	d->page++;
	d->y = d->mt;
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	if (d->page >= 2) {
		/* FORMS.md: page numbers from the second page, centered in the top margin */
		char num[16];
		PangoLayout *l;
		snprintf(num, sizeof num, "%d", d->page);
		l = fpage_layout(d, num, fdoc_width(d), FORMS_BODY_PT, FA_CENTER);
		fpage_draw(d, l, d->ml, d->mt / 2 - fpage_height(l) / 2);
		g_object_unref(l);
	}
}

/* Makes room for H points, on a new page if this one is full. */
void fpage_need(struct fdoc *d, double h)
{
	if (d->page == 0 || (d->y + h > d->ph - d->mb && d->y > d->mt))
		fpage_new_page(d);
}

void fdoc_need(struct fdoc *d, double h)
{
	fpage_need(d, h);
}

#define SIGN_ROOM (28 * FORMS_MM) /* FORMS.md: about 25–30 mm to sign */
#define SIGN_LINE 16.0            /* a line of a signature block */

static double sign_room(const struct fdoc *d)
{
	return d->sign_room > 0 ? d->sign_room : SIGN_ROOM;
}

double fdoc_signatures_height(struct fdoc *d)
{
	/* the role, the instruction, the name (the space under them is
	 * not needed at the foot of a page), a line each as tall as the
	 * body's */
	PangoLayout *l = fpage_layout(d, "<b>Ấ</b>", 0, FORMS_BODY_PT, FA_LEFT);
	double line = fpage_height(l);
	g_object_unref(l);
	return 3 * line + sign_room(d);
}

double fdoc_para_height(struct fdoc *d, const char *markup, double size)
{
	PangoLayout *l = fpage_layout(d, markup, fdoc_width(d), size, FA_LEFT);
	double h = fpage_height(l) + fpage_gap(d);
	g_object_unref(l);
	return h;
}

void fdoc_begin_copy(struct fdoc *d, const char *mark)
{
	if (d->page > 0)
		cairo_show_page(d->cr);
	d->page = 0;
	fpage_new_page(d);
	if (mark && *mark) {
		char *m = g_markup_printf_escaped("<i>%s</i>", mark);
		PangoLayout *l = fpage_layout(d, m, fdoc_width(d), 12, FA_RIGHT);
		fpage_draw(d, l, d->ml, d->mt / 2 - fpage_height(l) / 2);
		g_object_unref(l);
		g_free(m);
	}
}

double fpage_gap(const struct fdoc *d)
{
	return d->gap > 0 ? d->gap : 3;
}

void fdoc_space(struct fdoc *d, double pt)
{
	d->y += pt;
}

void fdoc_para(struct fdoc *d, const char *markup, enum fdoc_align align, double size)
{
	PangoLayout *l = fpage_layout(d, markup, fdoc_width(d), size, align);
	double h = fpage_height(l);

	fpage_need(d, h);
	fpage_draw(d, l, d->ml, d->y);
	d->y += h + fpage_gap(d);
	g_object_unref(l);
}

void fdoc_paraf(struct fdoc *d, enum fdoc_align align, const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = g_markup_vprintf_escaped(fmt, ap);
	va_end(ap);
	fdoc_para(d, m, align, 0);
	g_free(m);
}

/* A block of MARKUP centered in the column X..X+W at Y; returns its height. */
static double column_block(struct fdoc *d, const char *markup, double x, double w, double y,
			   double size)
{
	PangoLayout *l = fpage_layout(d, markup, w, size, FA_CENTER);
	double h = fpage_height(l);
	fpage_draw(d, l, x, y);
	g_object_unref(l);
	return h;
}

double fpage_text_width(struct fdoc *d, const char *markup, double size)
{
	PangoLayout *l = fpage_layout(d, markup, 0, size, FA_LEFT);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	g_object_unref(l);
	return (double)w / PANGO_SCALE;
}

double fdoc_text_width(struct fdoc *d, const char *markup, double size)
{
	return fpage_text_width(d, markup, size);
}

static void header(struct fdoc *d, const char *managing_agency, const char *agency,
		   bool numbered, const char *number, const char *date_line)
{
	/* the right column as wide as the national name needs, the left one
	 * the rest; like the usual templates, the header table reaches 12 mm
	 * into the left margin so the agencies' names need not wrap */
	double W = fdoc_width(d) + 12 * FORMS_MM;
	double rw = fpage_text_width(d, "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", 12) + 12;
	double lw = W - rw;
	double lx = d->ml - 12 * FORMS_MM, rx = lx + lw;
	double ly, ry, y;
	char *m;

	if (lw < W * 0.4) {
		lw = W * 0.4;
		rw = W - lw;
		rx = lx + lw;
	}
	fpage_need(d, 80);
	ly = ry = d->y;

	/* left: managing agency upright, the agency bold, both in capitals
	 * (as the registry has them when that cannot be done), a short line,
	 * "Số:" */
	if (managing_agency && *managing_agency) {
		char *upper = forms_upper_vi(managing_agency);
		m = g_markup_printf_escaped("%s", upper ? upper : managing_agency);
		ly += column_block(d, m, lx, lw, ly, 12);
		g_free(m);
		free(upper);
	}
	{
		char *upper = agency && *agency ? forms_upper_vi(agency) : NULL;
		m = g_markup_printf_escaped("<b>%s</b>", upper ? upper : agency ? agency : "");
		ly += column_block(d, m, lx, lw, ly, 12);
		g_free(m);
		free(upper);
	}
	ly += 2;
	fpage_hline(d, lx + lw / 2 - lw / 6, lx + lw / 2 + lw / 6, ly);

	/* right: the national name, the motto with its line as long as the text */
	ry += column_block(d, "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", rx, rw, ry, 12);
	ry += column_block(d, "<b>Độc lập - Tự do - Hạnh phúc</b>", rx, rw, ry, 13);
	ry += 2;
	{
		double tw = fpage_text_width(d, "<b>Độc lập - Tự do - Hạnh phúc</b>", 13);
		fpage_hline(d, rx + rw / 2 - tw / 2, rx + rw / 2 + tw / 2, ry);
	}

	y = (ly > ry ? ly : ry) + 5;
	if (numbered) {
		m = g_markup_printf_escaped("Số: %s", number && *number ? number : "…/…");
		ly = y + column_block(d, m, lx, lw, y, FORMS_BODY_PT);
		g_free(m);
	} else {
		ly = y;
	}
	if (date_line && *date_line) {
		m = g_markup_printf_escaped("<i>%s</i>", date_line);
		ry = y + column_block(d, m, rx, rw, y, FORMS_BODY_PT);
		g_free(m);
	} else {
		ry = y;
	}
	d->y = (ly > ry ? ly : ry) + 4;
}

void fdoc_header(struct fdoc *d, const char *managing_agency, const char *agency,
		 const char *number, const char *date_line)
{
	header(d, managing_agency, agency, true, number, date_line);
}

void fdoc_header_unnumbered(struct fdoc *d, const char *managing_agency, const char *agency,
			    const char *date_line)
{
	header(d, managing_agency, agency, false, NULL, date_line);
}

void fdoc_national_heading(struct fdoc *d)
{
	double W = fdoc_width(d), tw = fpage_text_width(d, "<b>Độc lập - Tự do - Hạnh phúc</b>", 13);

	fpage_need(d, 60);
	d->y += column_block(d, "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", d->ml, W, d->y, 12);
	d->y += column_block(d, "<b>Độc lập - Tự do - Hạnh phúc</b>", d->ml, W, d->y, 13);
	d->y += 2;
	fpage_hline(d, d->ml + W / 2 - tw / 2, d->ml + W / 2 + tw / 2, d->y);
	d->y += 14;
}

void fdoc_title(struct fdoc *d, const char *markup, double size)
{
	double W = fdoc_width(d), lo, hi = W, h;
	char *m = g_strdup_printf("<b>%s</b>", markup ? markup : "");
	PangoLayout *l = fpage_layout(d, m, W, size, FA_CENTER);
	int lines = pango_layout_get_line_count(l);

	g_free(m);
	/* the narrowest width that keeps as many lines: they come out of even
	 * length, the last as long as the others */
	for (lo = W / (lines + 1); lines > 1 && hi - lo > 1;) {
		double mid = (lo + hi) / 2;
		pango_layout_set_width(l, (int)(mid * PANGO_SCALE));
		if (pango_layout_get_line_count(l) > lines)
			lo = mid;
		else
			hi = mid;
	}
	pango_layout_set_width(l, (int)(hi * PANGO_SCALE));
	h = fpage_height(l);
	fpage_need(d, h);
	fpage_draw(d, l, d->ml + (W - hi) / 2, d->y);
	d->y += h + fpage_gap(d);
	g_object_unref(l);
}

void fdoc_signatures(struct fdoc *d, int n, const struct fsign *s)
{
	fdoc_signatures_dated(d, n, s, NULL);
}

void fdoc_signatures_dated(struct fdoc *d, int n, const struct fsign *s,
			   const char *const *dates)
{
	double W = fdoc_width(d), cw = W / n, top, bottom = 0;
	double room = sign_room(d);

	double dated = 0;		/* the height of the tallest date line */

	for (int i = 0; dates && i < n; i++)
		if (dates[i] && *dates[i])
			dated = SIGN_LINE;
	fpage_need(d, fdoc_signatures_height(d) + dated);
	dated = 0;
	top = d->y;
	for (int i = 0; dates && i < n; i++) {
		if (dates[i] && *dates[i]) {
			char *m = g_markup_printf_escaped("<i>%s</i>", dates[i]);
			PangoLayout *l = fpage_layout(d, m, cw, FORMS_BODY_PT, FA_CENTER);
			if (fpage_height(l) > dated)
				dated = fpage_height(l);
			g_object_unref(l);
			g_free(m);
		}
	}
	for (int i = 0; i < n; i++) {
		/* the roles side by side, under the date lines */
		bool has_date = dates && dates[i] && *dates[i];
		double x = d->ml + i * cw, y = top + (has_date || s[i].markup ? 0 : dated);
		char *m;
		if (s[i].markup) {
			PangoLayout *l = fpage_layout(d, s[i].markup, cw - 6, 0, FA_LEFT);
			fpage_draw(d, l, x, y);
			y += fpage_height(l);
			g_object_unref(l);
			if (y > bottom)
				bottom = y;
			continue;
		}
		if (has_date) {
			m = g_markup_printf_escaped("<i>%s</i>", dates[i]);
			y += column_block(d, m, x, cw, y, FORMS_BODY_PT);
			g_free(m);
		}
		m = g_markup_printf_escaped("<b>%s</b>", s[i].role ? s[i].role : "");
		y += column_block(d, m, x, cw, y, FORMS_BODY_PT);
		g_free(m);
		if (s[i].instruction) {
			m = g_markup_printf_escaped("<i>%s</i>", s[i].instruction);
			y += column_block(d, m, x, cw, y, FORMS_BODY_PT);
			g_free(m);
		}
		y += room;
		if (s[i].name && *s[i].name) {
			m = g_markup_printf_escaped("<b>%s</b>", s[i].name);
			y += column_block(d, m, x, cw, y, FORMS_BODY_PT);
			g_free(m);
		}
		if (y > bottom)
			bottom = y;
	}
	d->y = bottom + FDOC_SIGN_AFTER;
}

/* Two blocks' share of the width that makes the taller as short as it can
 * be (the first's share, from 30 to 70 %), the more even of equals. */
static double balanced_share(struct fdoc *d, char *const *markup)
{
	double W = fdoc_width(d), best = 0.5, best_h = 0;

	for (int step = 0; step <= 8; step++) {
		/* from the middle outwards: 50, 45, 55, 40, 60 … % */
		double share = 0.5 + (step % 2 ? -1 : 1) * 0.05 * ((step + 1) / 2), h = 0;
		for (int i = 0; i < 2; i++) {
			PangoLayout *l = fpage_layout(d, markup[i], W * (i ? 1 - share : share) - 6, 0, FA_LEFT);
			if (fpage_height(l) > h)
				h = fpage_height(l);
			g_object_unref(l);
		}
		if (step == 0 || h < best_h - 0.5) {
			best = share;
			best_h = h;
		}
	}
	return best;
}

/* Whether a block of WEIGHTS would wrap a line that other weights keep
 * whole: then FITTED holds them, each block as wide as its text, what is
 * left over shared as WEIGHTS share it; or, when the blocks are too long
 * for the line together, the widest wrapping in what the others leave
 * ("Số CMND/Hộ chiếu: 034179001234" never broken before its number for a
 * long "Nơi cấp"). */
static bool refit(struct fdoc *d, int n, const double *weights, double total,
		  char *const *markup, double *fitted)
{
	double W = fdoc_width(d), sum = 0;
	bool wraps = false;

	for (int i = 0; i < n; i++) {
		fitted[i] = fpage_text_width(d, markup[i], 0) + 6 + 1;
		sum += fitted[i];
		wraps |= fitted[i] > W * weights[i] / total;
	}
	if (!wraps)
		return false;
	if (sum > W) {
		/* too long together: the widest block wraps, in what the others
		 * leave it, if that is a fair share */
		int widest = 0;
		for (int i = 1; i < n; i++)
			if (fitted[i] > fitted[widest])
				widest = i;
		fitted[widest] = W - (sum - fitted[widest]);
		return fitted[widest] >= W / (2 * n);
	}
	/* what is left over, shared as the weights share it */
	for (int i = 0; i < n; i++)
		fitted[i] += (W - sum) * weights[i] / total;
	return true;
}

void fdoc_columns(struct fdoc *d, int n, const double *weights, char *const *markup)
{
	double W = fdoc_width(d), total = 0, x = d->ml, hmax = 0, shares[8];
	PangoLayout *ls[8];

	if (!weights) {
		n = 2;
		shares[0] = balanced_share(d, markup);
		shares[1] = 1 - shares[0];
		weights = shares;
	}
	if (n > 8)
		n = 8;
	for (int i = 0; i < n; i++)
		total += weights[i];
	if (weights != shares && refit(d, n, weights, total, markup, shares)) {
		weights = shares;
		total = W;
	}
	for (int i = 0; i < n; i++) {
		ls[i] = fpage_layout(d, markup[i], W * weights[i] / total - 6, 0, FA_LEFT);
		if (fpage_height(ls[i]) > hmax)
			hmax = fpage_height(ls[i]);
	}
	fpage_need(d, hmax);
	for (int i = 0; i < n; i++) {
		fpage_draw(d, ls[i], x, d->y);
		x += W * weights[i] / total;
		g_object_unref(ls[i]);
	}
	d->y += hmax + fpage_gap(d);
}
