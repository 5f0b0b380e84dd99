/* Mẫu 07: the rows of the annual report (R-AGENCY-DUTIES, every November)
 * from an io.khoa.Reports Annual "report", and the words around its table,
 * one model for the PDF and the text: STT | Nội dung | Số lượng, each row
 * as the regulation words it. A figure the registry does not have (null)
 * is an empty cell, to fill by hand. */
#include "forms.h"
#include "common.h"
#include "requests.h"
#include "words.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct fcolumn report_columns[REPORT_COLS] = {
	{ "STT", 0.8, FA_CENTER, false, 0 },
	{ "Nội dung", 6.4, FA_LEFT, false, 0 },
	{ "Số lượng", 1.8, FA_CENTER, false, 0 },
};

/* The rows as Mẫu 07 words them; SPLIT: the row says "(tổ chức/cá nhân)",
 * and its figure is written so: "1/3". */
static const struct {
	int row;
	const char *key, *title;
	bool split;
} rows[] = {
	{ 1, "org_certificates_held", "Tổng số chứng thư số của tổ chức đến thời điểm báo cáo", false },
	{ 2, "person_certificates_held", "Tổng số chứng thư số của cá nhân đến thời điểm báo cáo", false },
	{ 3, "new_requested", "Tổng số chứng thư số đề nghị cấp mới trong năm (tổ chức/cá nhân)", true },
	{ 4, "reissue_requested", "Tổng số chứng thư số đề nghị cấp lại trong năm (tổ chức/cá nhân)", true },
	{ 5, "renewal_requested", "Tổng số chứng thư số đề nghị gia hạn trong năm (tổ chức/cá nhân)", true },
	{ 6, "revocation_requested", "Tổng số chứng thư số đề nghị thu hồi trong năm (tổ chức/cá nhân)", true },
	{ 7, "pin_recovery_requested", "Tổng số lần đề nghị khôi phục mật khẩu của thiết bị lưu khóa bí mật", false },
	{ 8, "documents_signed_org", "Tổng số văn bản đã thực hiện ký số bằng chứng thư số của tổ chức", false },
	{ 9, "documents_signed_person", "Tổng số văn bản đã thực hiện ký số bằng chứng thư số của cá nhân", false },
	{ 10, "documents_sent", "Tổng số văn bản đã gửi đi", false },
};

/* The row of the form KEY (else number ROW) is, or -1. */
static int row_of(const char *key, int row)
{
	for (size_t i = 0; key && i < sizeof rows / sizeof *rows; i++)
		if (!strcmp(rows[i].key, key))
			return (int)i;
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		if (rows[i].row == row)
			return (int)i;
	return -1;
}

/* A figure: an integer as written, null or absent as nothing. */
static char *figure(json_object *row, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(row, key, &v) || !v || json_object_is_type(v, json_type_null))
		return strdup("");
	if (json_object_is_type(v, json_type_int))
		return forms_format("%" PRId64, json_object_get_int64(v));
	return strdup(json_object_get_string(v));
}

void report_cells_free(char **cells, size_t nrows)
{
	if (!cells)
		return;
	for (size_t i = 0; i < nrows * REPORT_COLS; i++)
		free(cells[i]);
	free(cells);
}

/* Whether ROW has a figure under KEY. */
static bool has_figure(json_object *row, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(row, key, &v) && v && !json_object_is_type(v, json_type_null);
}

/* The "Số lượng" of ROW: "organization/person" where the form's row splits
 * them, else the total (a row with only one of them: that one); nothing
 * where the registry has no figure. */
static char *quantity(json_object *row, bool split)
{
	const char *one = has_figure(row, "total") ? "total" :
			  has_figure(row, "organization") ? "organization" : "person";
	char *org, *person, *s;

	if (!split || !has_figure(row, "organization") || !has_figure(row, "person"))
		return figure(row, one);
	org = figure(row, "organization");
	person = figure(row, "person");
	s = org && person ? forms_format("%s/%s", org, person) : NULL;
	free(org);
	free(person);
	return s;
}

int report_cells(json_object *report, char ***cells, size_t *nrows)
{
	json_object *rs = jarr(report, "rows");
	size_t n;
	char **c;

	*cells = NULL;
	*nrows = 0;
	if (!rs)
		return -EINVAL;
	n = json_object_array_length(rs);
	if (!(c = calloc(n * REPORT_COLS + 1, sizeof *c)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(rs, i), *v;
		char **rc = c + i * REPORT_COLS;
		int number = (int)i + 1, form;

		if (json_object_object_get_ex(row, "row", &v) && json_object_is_type(v, json_type_int))
			number = json_object_get_int(v);
		form = row_of(jstr(row, "key"), number);
		rc[0] = forms_format("%d", number);
		/* a row the form does not have: its key, never lost */
		rc[1] = strdup(form >= 0 ? rows[form].title : jstr0(row, "key"));
		rc[2] = quantity(row, form >= 0 && rows[form].split);
		for (int k = 0; k < REPORT_COLS; k++) {
			if (!rc[k]) {
				report_cells_free(c, n);
				return -ENOMEM;
			}
		}
	}
	*cells = c;
	*nrows = n;
	return 0;
}

static bool year_of(json_object *report, int *year)
{
	json_object *v;
	if (!json_object_object_get_ex(report, "year", &v) || !json_object_is_type(v, json_type_int))
		return false;
	*year = json_object_get_int(v);
	return true;
}

char *report_subject(json_object *report)
{
	int year;
	if (year_of(report, &year))
		return forms_format("Tình hình quản lý, sử dụng chứng thư số năm %d", year);
	return forms_format("Tình hình quản lý, sử dụng chứng thư số năm %s", DOTS);
}

char *report_intro(json_object *report, json_object *agency)
{
	const char *org = jstr(report, "organization_name"), *who = org;
	char year[24];
	int y;

	/* null: every agency of the registry, reported by the one printing */
	if (!who || !*who)
		who = jstr(agency, "agency");
	if (year_of(report, &y))
		snprintf(year, sizeof year, "%d", y);
	else
		snprintf(year, sizeof year, "%s", DOTS);
	return forms_format(
		"Thực hiện Quyết định số...../2016/QĐ-UBND, ngày...../8/2016 của UBND tỉnh Thái Bình "
		"về việc ban hành Quy chế quản lý, sử dụng chứng thư số chuyên dùng trong các cơ quan "
		"nhà nước của tỉnh Thái Bình; %s báo cáo kết quả quản lý, sử dụng chứng thư số chuyên "
		"dùng của tổ chức, cá nhân %s trong năm %s như sau:",
		who && *who ? who : DOTS, org && *org ? "trong đơn vị" : "tại các cơ quan, đơn vị",
		year);
}
