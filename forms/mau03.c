/* Mẫu 03, 04, 06: the lists of certificate requests the agency sends with
 * its letter to Sở TT&TT (R-NEW, R-RENEW-*, R-REVOKE-DOCS), from an array of
 * io.khoa.Requests Requests laid out by lists.c. Landscape, for their
 * eight to eleven columns. */
#include "forms.h"
#include "common.h"
#include "page.h"
#include "requests.h"
#include "words.h"

#include <errno.h>
#include <stdlib.h>

#define LIST_TABLE_PT 10.0	/* the lists' many columns: a smaller type */

static int fail(char **error, const char *what, int r)
{
	if (error)
		*error = strdup(what);
	return r;
}

int forms_request_list_pdf(const char *list, json_object *requests, json_object *agency,
			   const char *path, char **error)
{
	const struct list_form *f = list_form_of(list);
	char **cells, *date_line, *cover, *count, *m;
	struct forms_date day;
	struct fdoc d;
	size_t n;
	int r;

	if (!f)
		return fail(error, "no such list: person, org or revoke", -EINVAL);
	if ((r = list_cells(f, requests, agency, "…", &cells, &n)) < 0)
		return fail(error, r == -ENOMEM ? "out of memory" :
			    "not a list of requests (an array of io.khoa.Requests.Request)", r);
	if ((r = list_date(agency, &day)) < 0) {
		list_cells_free(f, cells, n);
		return fail(error, "no date for the list", r);
	}
	date_line = forms_date_line(jstr(agency, "place"), &day);
	cover = list_cover_line(agency, &day);
	count = forms_count((unsigned)n, "chứng thư");
	if (!date_line || !cover || !count) {
		r = fail(error, "out of memory", -ENOMEM);
		goto out;
	}
	if ((r = fdoc_open(&d, path, true, error)) < 0)
		goto out;
	d.table_pt = LIST_TABLE_PT;
	d.gap = 1.5;
	fdoc_begin_copy(&d, NULL);
	/* the date is where the head of the agency signs, as on the form */
	fdoc_header_unnumbered(&d, jstr(agency, "managing_agency"), jstr(agency, "agency"), NULL);

	m = g_markup_printf_escaped("%s", f->title);
	fdoc_title(&d, m, 14);
	g_free(m);
	m = g_markup_printf_escaped("<i>%s</i>", cover);
	fdoc_para(&d, m, FA_CENTER, 0);
	g_free(m);
	fdoc_para(&d, "Kính gửi: Sở Thông tin và Truyền thông", FA_CENTER, 0);
	fdoc_space(&d, 4);
	if (f->purpose) {
		char *m2[2] = { g_markup_printf_escaped("Mục đích sử dụng: %s", DOTS DOTS DOTS),
				g_markup_printf_escaped("%s %s", f->count_label, count) };
		fdoc_columns(&d, 2, (const double[]){ 1, 1 }, m2);
		g_free(m2[0]);
		g_free(m2[1]);
	} else {
		fdoc_paraf(&d, FA_LEFT, "%s %s", f->count_label, count);
	}
	fdoc_paraf(&d, FA_LEFT, "%s", f->rows_label);
	d.keep = fdoc_signatures_height(&d) + 16; /* and the date line */
	fdoc_table_grouped(&d, f->ncols, f->cols, f->ngroups, f->groups, (int)n, cells);
	d.keep = 0;

	fdoc_signatures_dated(&d, 2, (const struct fsign[]){
		{ "NGƯỜI LẬP", f->maker_instruction, NULL, NULL },
		{ "THỦ TRƯỞNG ĐƠN VỊ", "(Ký tên và đóng dấu)", jstr(agency, "signer"), NULL },
	}, (const char *const[]){ NULL, date_line });
	r = fdoc_close(&d, error);
out:
	free(date_line);
	free(cover);
	free(count);
	list_cells_free(f, cells, n);
	return r;
}
