/* forms/page.c: an A4 document of the regulation's forms laid out with
 * pango on a cairo PDF surface (FORMS.md). Internal to forms/. */
#pragma once

#include <stdbool.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#define FORMS_MM (72.0 / 25.4)
#define FORMS_BODY_PT 13.0

enum fdoc_align { FA_LEFT, FA_CENTER, FA_RIGHT, FA_JUSTIFY };

struct fdoc {
	cairo_surface_t *surface;
	cairo_t *cr;
	double pw, ph;                  /* page, pt */
	double ml, mr, mt, mb;          /* margins, pt */
	double y;                       /* where the next block goes */
	int page;                       /* page within the current copy */
	char family[64];
	/* the table being drawn, to repeat its titles on a new page */
	const struct fcolumn *cols;
	int ncols;
	double table_pt;                /* size of table text; 0: body */
	double gap;                     /* under a paragraph or a row of
	                                 * columns; 0: 3 pt */
	double keep;                    /* room what follows a table needs on
	                                 * the page of its last row, so that the
	                                 * signatures never stand alone */
	double sign_room;               /* room to sign in; 0: 28 mm */
};

struct fcolumn {
	const char *title;
	double weight;                  /* share of the width */
	enum fdoc_align align;
	bool fit;                       /* as wide as its longest cell (serials
	                                 * unbroken), as long as the other
	                                 * columns keep their titles' words */
	double pt;                      /* size of its cells; 0: the table's */
};

/* A title over columns FIRST .. FIRST+SPAN-1 of a table ("Thông tin người
 * quản lý chứng thư số" over five columns of Mẫu 04); the columns under no
 * group have their titles over both rows. */
struct fgroup {
	const char *title;
	int first, span;
};

struct fsign {
	const char *role;               /* "ĐẠI DIỆN BÊN GIAO" */
	const char *instruction;        /* "(Ký tên, đóng dấu)" */
	const char *name;               /* may be NULL: left blank */
	const char *markup;             /* instead of the above: a block of
	                                 * markup, left-aligned ("Nơi nhận:") */
};

/* Opens PATH as a PDF of A4 pages (landscape when asked). 0 or -errno. */
int fdoc_open(struct fdoc *d, const char *path, bool landscape, char **error);
/* Finishes the PDF. 0 or -errno; frees D's resources either way. */
int fdoc_close(struct fdoc *d, char **error);

/* Starts a copy of the form on a new page; MARK (may be NULL) is printed at
 * the top of its first page ("Bản của bên giao"). Pages are numbered within
 * a copy, from its second page on. */
void fdoc_begin_copy(struct fdoc *d, const char *mark);

double fdoc_width(const struct fdoc *d);
/* The width of MARKUP at SIZE pt (0: body) unbroken; of its longest line
 * when it has several. */
double fdoc_text_width(struct fdoc *d, const char *markup, double size);
/* Starts a new page unless H points are left on this one. */
void fdoc_need(struct fdoc *d, double h);
/* The height fdoc_signatures() needs for blocks of one line each (one
 * more for the date line of fdoc_signatures_dated()); they leave
 * FDOC_SIGN_AFTER under them, a table FDOC_TABLE_AFTER. */
double fdoc_signatures_height(struct fdoc *d);
#define FDOC_SIGN_AFTER 6.0
#define FDOC_TABLE_AFTER 4.0
/* The height fdoc_para() takes for MARKUP at SIZE pt (0: body), its gap
 * under it included. */
double fdoc_para_height(struct fdoc *d, const char *markup, double size);
void fdoc_space(struct fdoc *d, double pt);

/* A paragraph of pango MARKUP over the full width at SIZE pt (0: body). */
void fdoc_para(struct fdoc *d, const char *markup, enum fdoc_align align, double size);
/* The same with a printf format whose arguments are escaped for markup. */
void fdoc_paraf(struct fdoc *d, enum fdoc_align align, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The two-column national header (FORMS.md "Header"). Any string may be NULL. */
void fdoc_header(struct fdoc *d, const char *managing_agency, const char *agency,
		 const char *number, const char *date_line);

/* The national name and motto alone, centered: a personal declaration
 * (Mẫu 02, 05) is headed by no agency; its date is where it is signed. */
void fdoc_national_heading(struct fdoc *d);

/* A title in bold capitals, centered at SIZE pt: on one line when it fits,
 * else on lines of even length, so that no word is left alone on the last
 * ("… LƯU KHÓA BÍ" / "MẬT"). MARKUP may hold '\n' where the form breaks it. */
void fdoc_title(struct fdoc *d, const char *markup, double size);

/* The same header for a paper that has no number of its own (the lists of
 * Mẫu 03, 04, 06 go with a letter that has one): no "Số:" line. */
void fdoc_header_unnumbered(struct fdoc *d, const char *managing_agency, const char *agency,
			    const char *date_line);

/* A ruled table; CELLS holds NROWS * NCOLS plain strings (NULL: empty).
 * Every column is at least as wide as the longest word of its title, so
 * that no title breaks inside a word ("ST" / "T"); a cell's text breaks
 * between words, and inside a word (a serial) only when the word alone is
 * wider than its column, never with a hyphen. The titles are repeated on
 * each page the rows go on to. */
void fdoc_table(struct fdoc *d, int ncols, const struct fcolumn *cols,
		int nrows, char *const *cells);
/* The same with a row of group titles above the column titles (NGROUPS
 * entries of GROUPS, in column order, not overlapping). */
void fdoc_table_grouped(struct fdoc *d, int ncols, const struct fcolumn *cols,
			int ngroups, const struct fgroup *groups,
			int nrows, char *const *cells);

/* Signature blocks side by side (FORMS.md "Signatures"). */
void fdoc_signatures(struct fdoc *d, int n, const struct fsign *s);
/* The same with a date line above the role of block I when DATES[I] is
 * not NULL, in italics: a paper dated where it is signed ("Thái Bình,
 * ngày … tháng … năm …" above "NGƯỜI KHAI", "THỦ TRƯỞNG ĐƠN VỊ"). */
void fdoc_signatures_dated(struct fdoc *d, int n, const struct fsign *s,
			   const char *const *dates);

/* Blocks of pango MARKUP side by side at the same height, left-aligned,
 * the width shared by WEIGHTS; the cursor moves under the tallest.
 * WEIGHTS NULL: two blocks, sharing the width so that the taller is as
 * short as it can be. */
void fdoc_columns(struct fdoc *d, int n, const double *weights, char *const *markup);
