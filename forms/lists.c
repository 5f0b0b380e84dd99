/* Mẫu 03, 04, 06: the columns of the lists of certificate requests, as the
 * regulation prints them, and the cells of their rows (R-NEW, R-HANDOVER,
 * R-REVOKE-DOCS), one model for the PDF, the text and the CSV. */
#include "forms.h"
#include "common.h"
#include "requests.h"
#include "words.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERIAL_PT 9.5	/* a serial on one line in a narrow table */

/* Mẫu 03: DANH SÁCH ĐỀ NGHỊ CẤP/GIA HẠN CHỨNG THƯ SỐ CHO CÁ NHÂN */
static const struct fcolumn person_cols[] = {
	{ "STT", 0.7, FA_CENTER, false, 0 },
	{ "Họ tên", 1.45, FA_LEFT, false, 0 },
	{ "Ngày sinh", 0.5, FA_CENTER, true, 0 },
	{ "Số CMTND/Ngày cấp/Nơi cấp", 1.75, FA_LEFT, false, 0 },
	{ "Tên cơ quan, đơn vị", 1.75, FA_LEFT, false, 0 },
	{ "Tỉnh/Thành phố", 0.95, FA_LEFT, false, 0 },
	{ "Chức vụ", 1.35, FA_LEFT, false, 0 },
	{ "Chức danh của người có thẩm quyền", 1.15, FA_LEFT, false, 0 },
	{ "Địa chỉ thư điện tử", 1.75, FA_LEFT, false, 0 },
	{ "Chứng thư số cũ (nếu có)", 1.0, FA_LEFT, true, SERIAL_PT },
};

/* Mẫu 04: DANH SÁCH ĐỀ NGHỊ CẤP/GIA HẠN CHỨNG THƯ SỐ CHO TỔ CHỨC */
static const struct fcolumn org_cols[] = {
	{ "STT", 0.7, FA_CENTER, false, 0 },
	{ "Họ tên", 1.3, FA_LEFT, false, 0 },
	{ "Ngày sinh", 0.5, FA_CENTER, true, 0 },
	{ "Số CMTND/Ngày cấp/Nơi cấp", 1.65, FA_LEFT, false, 0 },
	{ "Cơ quan, tổ chức công tác", 1.4, FA_LEFT, false, 0 },
	{ "Địa chỉ thư điện tử cá nhân", 1.5, FA_LEFT, false, 0 },
	{ "Tên cơ quan, tổ chức", 1.4, FA_LEFT, false, 0 },
	{ "Tỉnh/Thành phố", 0.95, FA_LEFT, false, 0 },
	{ "Mã số thuế của cơ quan", 0.5, FA_LEFT, true, 0 },
	{ "Địa chỉ thư điện tử cơ quan", 1.5, FA_LEFT, false, 0 },
	{ "Chứng thư số cũ (nếu có)", 1.0, FA_LEFT, true, SERIAL_PT },
};
static const struct fgroup org_groups[] = {
	{ "Thông tin người quản lý chứng thư số", 1, 5 },
	{ "Thông tin đăng ký chứng thư số", 6, 4 },
};

/* Mẫu 06: DANH SÁCH ĐỀ NGHỊ THU HỒI/GIA HẠN CHỨNG THƯ SỐ CỦA CÁ NHÂN, TỔ CHỨC */
static const struct fcolumn revoke_cols[] = {
	{ "STT", 0.6, FA_CENTER, false, 0 },
	{ "Họ tên", 1.8, FA_LEFT, false, 0 },
	{ "Ngày sinh", 0.5, FA_CENTER, true, 0 },
	{ "Số CMTND/Ngày cấp/Nơi cấp", 1.6, FA_LEFT, false, 0 },
	{ "Chức vụ", 1.3, FA_LEFT, false, 0 },
	{ "Tên cơ quan, đơn vị", 2.0, FA_LEFT, false, 0 },
	{ "Loại chứng thư số (cá nhân/tổ chức)", 1.3, FA_CENTER, false, 0 },
	{ "Lý do thu hồi/gia hạn", 2.1, FA_LEFT, false, 0 },
};

#define N(a) (int)(sizeof a / sizeof *a)

static const struct list_form forms[] = {
	{ "person", 3, "DANH SÁCH ĐỀ NGHỊ CẤP/GIA HẠN CHỨNG THƯ SỐ CHO CÁ NHÂN", true,
	  "Số lượng đăng ký:", "Danh sách đăng ký:", "(Ký tên và ghi rõ họ tên)",
	  N(person_cols), person_cols, 0, NULL },
	{ "org", 4, "DANH SÁCH ĐỀ NGHỊ CẤP/GIA HẠN CHỨNG THƯ SỐ CHO TỔ CHỨC", true,
	  "Số lượng đăng ký:", "Danh sách đăng ký:", "(Ký tên và ghi rõ họ tên)",
	  N(org_cols), org_cols, N(org_groups), org_groups },
	{ "revoke", 6, "DANH SÁCH ĐỀ NGHỊ THU HỒI/GIA HẠN CHỨNG THƯ SỐ CỦA CÁ NHÂN, TỔ CHỨC", false,
	  "Số lượng thu hồi/gia hạn:", "Danh sách thu hồi:",
	  "(Ký tên và ghi rõ họ tên, số điện thoại liên hệ)",
	  N(revoke_cols), revoke_cols, 0, NULL },
};

const struct list_form *list_form_of(const char *list)
{
	for (int i = 0; list && i < N(forms); i++)
		if (!strcmp(forms[i].list, list))
			return &forms[i];
	return NULL;
}

struct row {
	char **c;
	int next;
	const char *blank;
	int err;
};

/* The next cell: VALUE, or BLANK when it is NULL or empty. */
static void cell(struct row *r, const char *value)
{
	const char *v = value && *value ? value : r->blank;
	if (!(r->c[r->next++] = strdup(v)))
		r->err = -ENOMEM;
}

/* The same, taking VALUE (malloc'ed) when it is not NULL. */
static void cell_take(struct row *r, char *value)
{
	if (!value) {
		cell(r, NULL);
		return;
	}
	r->c[r->next++] = value;
}

static void birth(struct row *r, json_object *p)
{
	const char *b = jstr(p, "birth_date");
	char *s = NULL;
	if (b && *b && !(s = forms_date_dmy(b)))
		r->err = -ENOMEM;
	cell_take(r, s);
}

/* "Số CMTND/Ngày cấp/Nơi cấp": the number, date and place of issue the
 * person record keeps; what it does not, to fill by hand (the CSV: the
 * number alone when that is all there is). */
static void id_card(struct row *r, json_object *p)
{
	const char *id = jstr(p, "id_number"), *by = jstr(p, "id_issued_by");
	char *on = forms_date_dmy(jstr(p, "id_issued_on")), *s = NULL;

	if (!id || !*id || (!*r->blank && !on && !(by && *by))) {
		free(on);
		cell(r, id);
		return;
	}
	if (asprintf(&s, "%s / %s / %s", id, on ? on : r->blank, by && *by ? by : r->blank) < 0) {
		s = NULL;
		r->err = -ENOMEM;
	}
	free(on);
	cell_take(r, s);
}

static const char *person_agency(json_object *req, json_object *p)
{
	const char *a = jstr(p, "organization_name");
	return a && *a ? a : jstr(jobj(req, "organization"), "name");
}

static const char *province(json_object *agency)
{
	const char *p = jstr(agency, "province");
	return p && *p ? p : jstr(agency, "place");
}

static void person_row(struct row *r, json_object *req, json_object *agency)
{
	json_object *p = jobj(req, "person");
	const char *name = jstr(p, "full_name");

	cell(r, name && *name ? name : jstr(req, "subject_name"));
	birth(r, p);
	id_card(r, p);
	cell(r, person_agency(req, p));
	cell(r, province(agency));
	cell(r, jstr(p, "position"));
	cell(r, NULL);			/* the title of authority: by hand */
	cell(r, jstr(p, "email"));
	cell(r, jstr(req, "certificate_serial"));
}

static void org_row(struct row *r, json_object *req, json_object *agency)
{
	json_object *m = jobj(req, "manager"), *o = jobj(req, "organization");
	const char *name = jstr(o, "name");

	cell(r, jstr(m, "full_name"));
	birth(r, m);
	id_card(r, m);
	cell(r, jstr(m, "organization_name"));
	cell(r, jstr(m, "email"));
	cell(r, name && *name ? name : jstr(req, "subject_name"));
	cell(r, province(agency));
	cell(r, jstr(o, "tax_code"));
	cell(r, jstr(o, "email"));
	cell(r, jstr(req, "certificate_serial"));
}

/* A revocation or a renewal (Mẫu 06 lists both): a person's own; an
 * organization's under the name of the manager of its certificate when
 * known (as lifecycle.c for Mẫu 05). */
static void revoke_row(struct row *r, json_object *req)
{
	bool org = !strcmp(jstr0(req, "subject_kind"), "organization");
	json_object *o = jobj(req, "organization");
	json_object *p = org ? jobj(req, "manager") : jobj(req, "person");
	const char *name = jstr(p, "full_name"), *agency;

	if (!name || !*name)
		name = org ? jstr(o, "name") : NULL;
	cell(r, name && *name ? name : jstr(req, "subject_name"));
	birth(r, p);
	id_card(r, p);
	cell(r, jstr(p, "position"));
	agency = org ? jstr(o, "name") : person_agency(req, p);
	cell(r, agency && *agency ? agency : (org ? jstr(req, "subject_name") : NULL));
	cell(r, forms_subject_kind_words(jstr(req, "subject_kind")));
	/* a renewal has no reason of the regulation's: it is one */
	if (!strcmp(jstr0(req, "kind"), "renew"))
		cell(r, "Gia hạn");
	else
		cell(r, forms_reason_words(FORMS_REASON_REQUEST, jstr(req, "reason")));
}

int list_date(json_object *agency, struct forms_date *d)
{
	if (forms_parse_date(jstr(agency, "date"), d) == 0)
		return 0;
	return forms_today(d);
}

char *list_cover_line(json_object *agency, const struct forms_date *d)
{
	const char *number = jstr(agency, "number"), *name = jstr(agency, "agency");
	char *day = d ? forms_date_line(NULL, d) : NULL, *s;

	if (d && !day)
		return NULL;
	if (asprintf(&s, "(Kèm theo Công văn số %s %s của %s)", number && *number ? number : "…/…",
		     day ? day : "ngày … tháng … năm …", name && *name ? name : DOTS) < 0)
		s = NULL;
	free(day);
	return s;
}

void list_cells_free(const struct list_form *f, char **cells, size_t nrows)
{
	if (!cells)
		return;
	for (size_t i = 0; i < nrows * (size_t)f->ncols; i++)
		free(cells[i]);
	free(cells);
}

int list_cells(const struct list_form *f, json_object *requests, json_object *agency,
	       const char *blank, char ***cells, size_t *nrows)
{
	size_t n;
	char **c;

	*cells = NULL;
	*nrows = 0;
	if (!requests || !json_object_is_type(requests, json_type_array))
		return -EINVAL;
	n = json_object_array_length(requests);
	if (!(c = calloc(n * (size_t)f->ncols + 1, sizeof *c)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *req = json_object_array_get_idx(requests, i);
		struct row r = { .c = c + i * (size_t)f->ncols, .blank = blank };
		char stt[24];

		snprintf(stt, sizeof stt, "%zu", i + 1);
		cell(&r, stt);
		if (f->form == 3)
			person_row(&r, req, agency);
		else if (f->form == 4)
			org_row(&r, req, agency);
		else
			revoke_row(&r, req);
		if (r.err < 0) {
			list_cells_free(f, c, n);
			return r.err;
		}
	}
	*cells = c;
	*nrows = n;
	return 0;
}
