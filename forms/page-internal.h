/* What page.c and page-table.c share inside forms/: text laid out with
 * pango in the forms' font (never hyphenated), drawn and measured, the
 * rules' width, and the page's flow (room made on a new page when needed). */
#pragma once

#include <pango/pangocairo.h>

#include "page.h"

#define LINE_PT 0.6       /* rules of tables and header lines */
#define CELL_PAD_X 3.0
#define CELL_PAD_Y 2.5

/* MARKUP in WIDTH points (0: one line), SIZE points (0: the body's). */
PangoLayout *fpage_layout(struct fdoc *d, const char *markup, double width, double size,
			  enum fdoc_align align);
double fpage_height(PangoLayout *l);
void fpage_draw(struct fdoc *d, PangoLayout *l, double x, double y);
void fpage_hline(struct fdoc *d, double x0, double x1, double y);
/* Ends the page (if any) and begins the next, numbered from the second. */
void fpage_new_page(struct fdoc *d);
/* Makes room for H points, on a new page if this one is full. */
void fpage_need(struct fdoc *d, double h);
/* The space after a block. */
double fpage_gap(const struct fdoc *d);
double fpage_text_width(struct fdoc *d, const char *markup, double size);
