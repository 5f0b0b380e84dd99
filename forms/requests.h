/* forms/: the forms of certificate requests (Mẫu 01–07) as models that the
 * PDF, text and CSV renderings share, so that they say the same (internal
 * to forms/). A request is an io.khoa.Requests Request with the client's
 * "person", "organization", "manager" (and "certificate_subject") members
 * (forms.h). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "page.h"

struct forms_date;

/* ---- Mẫu 01, 02, 05: the letter of one request (lifecycle.c) ---------- */

#define LETTER_FIELDS 3
#define LETTER_LINES 24

/* A labelled field; VALUE NULL is a dotted line to fill by hand. */
struct letter_field {
	const char *label;              /* "Mã số thuế:" */
	char *value;                    /* malloc'ed, or NULL */
	double weight;                  /* share of the line */
	const char *struck;             /* a word of VALUE that does not
	                                 * apply, struck through on paper and
	                                 * left out of the text ("Nam" of
	                                 * "Nam Nữ"); NULL: none */
};

/* A line of the form: a heading of its own, or one to three fields. */
struct letter_line {
	const char *heading;            /* "I. Thông tin đăng ký chứng thư số:" */
	int n;
	struct letter_field f[LETTER_FIELDS];
};

struct letter {
	int form;                       /* 1, 2 or 5 */
	bool personal;                  /* a person's declaration (02, 05):
	                                 * headed by the national name alone,
	                                 * dated where it is signed */
	const char *title;              /* as the regulation words it, its
	                                 * lines separated by '\n' */
	const char *struck;             /* the word of TITLE that does not
	                                 * apply ("GIA HẠN" of "CẤP/GIA HẠN"
	                                 * for a new certificate), NULL: none */
	const char *kind_title;         /* the title in the request's words,
	                                 * for the text rendering */
	const char *to;                 /* "Kính gửi: …" */
	int nlines;
	struct letter_line lines[LETTER_LINES];
	const char *attachments;        /* "Tài liệu kèm theo:" and its lines */
	const char *left_role, *left_instruction;
	const char *right_role, *right_instruction;
	char *signer;                   /* under the right block; may be NULL */
	const char *notes;              /* the form's "Ghi chú" lines */
	const char *date;               /* ISO date of the date line, or NULL */
};

/* Fills L from REQUEST: 0, -EINVAL (with *ERROR, malloc'ed, when ERROR is
 * not NULL) for a request no form is made for, -ENOMEM. */
int letter_of(json_object *request, struct letter *l, char **error);
void letter_free(struct letter *l);

/* ---- Mẫu 03, 04, 06: the lists (lists.c) ------------------------------ */

struct list_form {
	const char *list;               /* "person", "org", "revoke" */
	int form;                       /* 3, 4, 6 */
	const char *title;
	bool purpose;                   /* has "Mục đích sử dụng:" */
	const char *count_label;        /* "Số lượng đăng ký:" */
	const char *rows_label;         /* "Danh sách đăng ký:" */
	const char *maker_instruction;  /* under "NGƯỜI LẬP" */
	int ncols;
	const struct fcolumn *cols;
	int ngroups;
	const struct fgroup *groups;
};

/* The form of LIST, or NULL. */
const struct list_form *list_form_of(const char *list);

/* The cells of the rows of REQUESTS (an array) for F: *NROWS rows of
 * F->ncols malloc'ed strings in *CELLS. BLANK is written where the paper
 * leaves a field to fill by hand ("…"; "" for CSV); AGENCY (may be NULL)
 * gives the province. 0, -EINVAL (REQUESTS no array), -ENOMEM. */
int list_cells(const struct list_form *f, json_object *requests, json_object *agency,
	       const char *blank, char ***cells, size_t *nrows);
void list_cells_free(const struct list_form *f, char **cells, size_t nrows);

/* The date of a list: AGENCY's "date" (ISO), else today. 0 or -errno. */
int list_date(json_object *agency, struct forms_date *d);

/* "(Kèm theo Công văn số 15/STTTT ngày 24 tháng 11 năm 2026 của …)", the
 * letter the list goes with: AGENCY's number and name, the date D (NULL:
 * dotted). Malloc'ed; NULL when out of memory. */
char *list_cover_line(json_object *agency, const struct forms_date *d);

/* ---- Mẫu 07: the annual report (report.c) ----------------------------- */

#define REPORT_COLS 3

/* "STT", "Nội dung", "Số lượng" */
extern const struct fcolumn report_columns[REPORT_COLS];

/* The cells of REPORT's rows, as list_cells. 0, -EINVAL (no "rows"
 * array), -ENOMEM. */
int report_cells(json_object *report, char ***cells, size_t *nrows);
void report_cells_free(char **cells, size_t nrows);

/* "Tình hình quản lý, sử dụng chứng thư số năm 2026" and the
 * sentence before the table, naming who reports. Malloc'ed; NULL when out
 * of memory. */
char *report_subject(json_object *report);
char *report_intro(json_object *report, json_object *agency);
