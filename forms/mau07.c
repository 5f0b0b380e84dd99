/* Mẫu 07: BÁO CÁO Tình hình quản lý, sử dụng chứng thư số năm …
 * (R-AGENCY-DUTIES: every November, to Sở TT&TT), from an io.khoa.Reports
 * Annual "report" laid out by report.c. Portrait. Only what the form has:
 * no "Kính gửi" (the Nơi nhận says where it goes), no date of the figures
 * (the date line is the report's), no note of who counted what. */
#include "forms.h"
#include "common.h"
#include "page.h"
#include "requests.h"
#include "words.h"

#include <errno.h>
#include <stdlib.h>

#define REPORT_TABLE_PT 12.0
#define LINE_HEIGHT 18.0	/* a line of body text, with its gap */

int forms_annual_report_pdf(json_object *report, json_object *agency, const char *path,
			    char **error)
{
	const char *a = jstr(agency, "agency"), *org = jstr(report, "organization_name");
	char **cells = NULL, *date_line = NULL, *subject, *intro, *upper_org = NULL, *m;
	struct forms_date when;
	bool dated, upper;
	struct fdoc d;
	size_t n = 0;
	int r;

	if ((r = report_cells(report, &cells, &n)) < 0) {
		if (error)
			*error = strdup(r == -ENOMEM ? "out of memory" :
					"not an annual report (io.khoa.Reports.Annual): rows are needed");
		return r;
	}
	subject = report_subject(report);
	intro = report_intro(report, agency);
	dated = forms_parse_date(jstr(report, "as_of"), &when) == 0;
	if (dated)
		date_line = forms_date_line(jstr(agency, "place"), &when);
	/* the header names the agency reporting, else the one reported on */
	upper = (!a || !*a) && org && *org;
	if (upper)
		a = upper_org = forms_upper_vi(org);
	if (!subject || !intro || (dated && !date_line) || (upper && !upper_org)) {
		if (error)
			*error = strdup(upper && !upper_org ? "organization_name: invalid UTF-8" : "out of memory");
		r = upper && !upper_org ? -EINVAL : -ENOMEM;
		goto out;
	}
	if ((r = fdoc_open(&d, path, false, error)) < 0)
		goto out;
	d.table_pt = REPORT_TABLE_PT;
	d.gap = 1.5;
	fdoc_begin_copy(&d, NULL);
	fdoc_header(&d, jstr(agency, "managing_agency"), a, jstr(agency, "number"), date_line);

	fdoc_title(&d, "BÁO CÁO", 14);
	m = g_markup_printf_escaped("<b>%s</b>", subject);
	fdoc_para(&d, m, FA_CENTER, 0);
	g_free(m);
	fdoc_space(&d, 8);
	m = g_markup_printf_escaped("%s", intro);
	fdoc_para(&d, m, FA_JUSTIFY, 0);
	g_free(m);
	fdoc_space(&d, 2);
	/* the proposals and the signatures stay with the last row */
	d.keep = 2 * LINE_HEIGHT + 6 + fdoc_signatures_height(&d);
	fdoc_table(&d, REPORT_COLS, report_columns, (int)n, cells);
	d.keep = 0;
	fdoc_para(&d, "<b>Kiến nghị đề xuất (nếu có)</b>", FA_LEFT, 0);
	fdoc_para(&d, DOTS DOTS DOTS DOTS DOTS DOTS DOTS DOTS DOTS, FA_LEFT, 0);
	fdoc_space(&d, 6);
	fdoc_signatures(&d, 2, (const struct fsign[]){
		{ NULL, NULL, NULL,
		  "<b><i>Nơi nhận:</i></b>\n<span size=\"11pt\">- Ủy ban nhân dân tỉnh;\n- Sở Thông tin và Truyền thông;\n- Lưu: VT.</span>" },
		{ "THỦ TRƯỞNG ĐƠN VỊ", "(ký tên và đóng dấu)", jstr(agency, "signer"), NULL },
	});
	r = fdoc_close(&d, error);
out:
	report_cells_free(cells, n);
	free(subject);
	free(intro);
	free(date_line);
	free(upper_org);
	return r;
}
