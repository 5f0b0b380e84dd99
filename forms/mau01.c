/* Mẫu 01, 02, 05: VĂN BẢN ĐỀ NGHỊ CẤP MỚI / GIA HẠN / CẤP LẠI CHỨNG THƯ SỐ
 * CHO CƠ QUAN, TỔ CHỨC (01) or CHO CÁ NHÂN (02), VĂN BẢN ĐỀ NGHỊ THU HỒI
 * CHỨNG THƯ SỐ (05), from an io.khoa.Requests Request laid out by
 * lifecycle.c. Portrait. */
#include "forms.h"
#include "common.h"
#include "page.h"
#include "requests.h"
#include "words.h"

#include <errno.h>
#include <stdlib.h>

/* One line of the letter: a heading, or its fields side by side. */
static void line(struct fdoc *d, const struct letter_line *ln)
{
	double w[LETTER_FIELDS];
	char *m[LETTER_FIELDS];

	if (ln->heading) {
		char *h = g_markup_printf_escaped("<b>%s</b>", ln->heading);
		fdoc_para(d, h, FA_LEFT, 0);
		g_free(h);
		return;
	}
	for (int i = 0; i < ln->n; i++) {
		m[i] = g_markup_printf_escaped("%s %s", ln->f[i].label,
					       ln->f[i].value ? ln->f[i].value : DOTS);
		w[i] = ln->f[i].weight;
	}
	fdoc_columns(d, ln->n, w, m);
	for (int i = 0; i < ln->n; i++)
		g_free(m[i]);
}

int forms_lifecycle_request_pdf(json_object *req, json_object *agency, const char *path,
				char **error)
{
	struct forms_date filed;
	char *date_line = NULL, *m;
	struct letter l;
	struct fdoc d;
	int r;

	if ((r = letter_of(req, &l, error)) < 0)
		return r;
	if (forms_parse_date(l.date, &filed) == 0 &&
	    !(date_line = forms_date_line(jstr(agency, "place"), &filed))) {
		letter_free(&l);
		if (error)
			*error = strdup("out of memory");
		return -ENOMEM;
	}
	if ((r = fdoc_open(&d, path, false, error)) < 0) {
		free(date_line);
		letter_free(&l);
		return r;
	}
	d.gap = 1.5; /* a letter of many short lines: one page */
	fdoc_begin_copy(&d, NULL);
	fdoc_header(&d, jstr(agency, "managing_agency"), jstr(agency, "agency"),
		    jstr(agency, "number"), date_line);
	free(date_line);

	m = g_markup_printf_escaped("<b>%s</b>", l.title);
	fdoc_para(&d, m, FA_CENTER, 14);
	g_free(m);
	fdoc_space(&d, 4);
	m = g_markup_printf_escaped("%s", l.to);
	fdoc_para(&d, m, FA_CENTER, 0);
	g_free(m);
	fdoc_space(&d, 8);

	for (int i = 0; i < l.nlines; i++) {
		if (l.lines[i].heading && i > 0)
			fdoc_space(&d, 4);
		line(&d, &l.lines[i]);
	}
	if (l.attachments) {
		fdoc_space(&d, 4);
		m = g_markup_printf_escaped("%s", l.attachments);
		fdoc_para(&d, m, FA_JUSTIFY, 12);
		g_free(m);
	}
	fdoc_space(&d, 12);
	fdoc_signatures(&d, 2, (const struct fsign[]){
		{ l.left_role, l.left_instruction, NULL, NULL },
		{ l.right_role, l.right_instruction, l.signer, NULL },
	});
	m = g_markup_printf_escaped("<b><i>Ghi chú:</i></b>\n<i>%s</i>", l.notes);
	fdoc_para(&d, m, FA_JUSTIFY, 10.5);
	g_free(m);
	letter_free(&l);
	return fdoc_close(&d, error);
}
