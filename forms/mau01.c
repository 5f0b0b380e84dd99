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

/* TEXT as markup, its first STRUCK (may be NULL) struck through: a word
 * of the form that does not apply, crossed out as by hand. g_malloc'ed. */
static char *struck_markup(const char *text, const char *struck)
{
	const char *at = struck && *struck ? strstr(text, struck) : NULL;
	char *head, *m;

	if (!at)
		return g_markup_printf_escaped("%s", text);
	head = g_strndup(text, (size_t)(at - text));
	m = g_markup_printf_escaped("%s<s>%s</s>%s", head, struck, at + strlen(struck));
	g_free(head);
	return m;
}

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
		char *label = g_markup_printf_escaped("%s", ln->f[i].label);
		char *value = struck_markup(ln->f[i].value ? ln->f[i].value : DOTS, ln->f[i].struck);
		m[i] = g_strconcat(label, " ", value, NULL);
		g_free(label);
		g_free(value);
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
	/* the date of filing; a declaration not dated by it is dated by hand */
	if (forms_parse_date(l.date, &filed) == 0)
		date_line = forms_date_line(jstr(agency, "place"), &filed);
	else if (l.personal)
		date_line = forms_date_line_or_blank(jstr(agency, "place"), NULL);
	if ((forms_parse_date(l.date, &filed) == 0 || l.personal) && !date_line) {
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
	/* the agency's letter (Mẫu 01) under its header, numbered and dated;
	 * a person's declaration (02, 05) under the national name alone,
	 * dated where it is signed */
	if (l.personal)
		fdoc_national_heading(&d);
	else
		fdoc_header(&d, jstr(agency, "managing_agency"), jstr(agency, "agency"),
			    jstr(agency, "number"), date_line);

	m = struck_markup(l.title, l.struck);
	fdoc_title(&d, m, 14);
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
	fdoc_signatures_dated(&d, 2, (const struct fsign[]){
		{ l.left_role, l.left_instruction, NULL, NULL },
		{ l.right_role, l.right_instruction, l.signer, NULL },
	}, (const char *const[]){ NULL, l.personal ? date_line : NULL });
	free(date_line);
	m = g_markup_printf_escaped("<b><i>Ghi chú:</i></b>\n<i>%s</i>", l.notes);
	fdoc_para(&d, m, FA_JUSTIFY, 10.5);
	g_free(m);
	letter_free(&l);
	return fdoc_close(&d, error);
}
