/* Mẫu 07: the rows of the annual report (R-AGENCY-DUTIES, every November)
 * from an io.khoa.Reports Annual "report", and the words around its table,
 * one model for the PDF and the text. A figure the registry does not have
 * (null) is an empty cell; one the agency entered itself says so. */
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
	{ "STT", 0.75, FA_CENTER, false, 0 },
	{ "Nội dung", 4.2, FA_LEFT, false, 0 },
	{ "Tổ chức", 1.25, FA_CENTER, false, 0 },
	{ "Cá nhân", 1.25, FA_CENTER, false, 0 },
	{ "Tổng số", 1.25, FA_CENTER, false, 0 },
	{ "Ghi chú", 2.0, FA_LEFT, false, 0 },
};

#define ENTERED_NOTE "Số liệu do cơ quan nhập"

static const struct {
	int row;
	const char *key, *title;
} rows[] = {
	{ 1, "org_certificates_held", "Số chứng thư số của tổ chức đang quản lý, sử dụng" },
	{ 2, "person_certificates_held", "Số chứng thư số của cá nhân đang quản lý, sử dụng" },
	{ 3, "new_requested", "Số chứng thư số đề nghị cấp mới trong năm" },
	{ 4, "reissue_requested", "Số chứng thư số đề nghị cấp lại trong năm" },
	{ 5, "renewal_requested", "Số chứng thư số đề nghị gia hạn trong năm" },
	{ 6, "revocation_requested", "Số chứng thư số đề nghị thu hồi trong năm" },
	{ 7, "pin_recovery_requested", "Số yêu cầu khôi phục mật khẩu thiết bị lưu khóa bí mật" },
	{ 8, "documents_signed_org", "Số văn bản đã ký số bằng chứng thư số của tổ chức" },
	{ 9, "documents_signed_person", "Số văn bản đã ký số bằng chứng thư số của cá nhân" },
	{ 10, "documents_sent", "Số văn bản điện tử đã gửi" },
};

/* The row's title by its key, else by its number, else its key as is. */
static const char *title_of(const char *key, int row)
{
	for (size_t i = 0; key && i < sizeof rows / sizeof *rows; i++)
		if (!strcmp(rows[i].key, key))
			return rows[i].title;
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		if (rows[i].row == row)
			return rows[i].title;
	return key ? key : "";
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
		int number = (int)i + 1;
		bool entered = json_object_object_get_ex(row, "entered", &v) &&
			       json_object_get_boolean(v);

		if (json_object_object_get_ex(row, "row", &v) && json_object_is_type(v, json_type_int))
			number = json_object_get_int(v);
		rc[0] = forms_format("%d", number);
		rc[1] = strdup(title_of(jstr(row, "key"), number));
		rc[2] = figure(row, "organization");
		rc[3] = figure(row, "person");
		rc[4] = figure(row, "total");
		rc[5] = strdup(entered ? ENTERED_NOTE : "");
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
		return forms_format("Kết quả quản lý, sử dụng chứng thư số chuyên dùng năm %d", year);
	return forms_format("Kết quả quản lý, sử dụng chứng thư số chuyên dùng năm %s", DOTS);
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
