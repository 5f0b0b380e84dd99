/* Mẫu 01, 02 and 05: what the letter of one certificate request says, line
 * by line (R-NEW, R-RENEW-ONCE, R-REVOKE-DOCS, R-REISSUE), from an
 * io.khoa.Requests Request and the person, organization and manager the
 * client adds to it, in the regulation's words. A field the records do not
 * have (sex, place of birth, the ID card's date and place of issue, fax,
 * address of a person, when the person record has none) stays a dotted
 * line to fill by hand, as on the paper. */
#include "forms.h"
#include "common.h"
#include "requests.h"
#include "words.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>

int forms_lifecycle_request_number(json_object *req)
{
	const char *kind = jstr(req, "kind"), *subject = jstr(req, "subject_kind");
	bool org;

	if (!kind || !subject || (strcmp(subject, "organization") && strcmp(subject, "person")))
		return -EINVAL;
	org = !strcmp(subject, "organization");
	if (!strcmp(kind, "revoke"))
		return 5;
	if (!strcmp(kind, "new") || !strcmp(kind, "renew") || !strcmp(kind, "reissue"))
		return org ? 1 : 2;
	return -EINVAL;
}

struct build {
	struct letter *l;
	int err;
};

/* Adds a line of N fields, each LABEL, VALUE (copied; NULL or "": a dotted
 * line), WEIGHT (a double). */
static void add(struct build *b, int n, ...)
{
	struct letter_line *ln;
	va_list ap;

	if (b->l->nlines >= LETTER_LINES) {
		b->err = b->err ? b->err : -E2BIG;
		return;
	}
	ln = &b->l->lines[b->l->nlines++];
	ln->n = n;
	va_start(ap, n);
	for (int i = 0; i < n && i < LETTER_FIELDS; i++) {
		const char *value;
		ln->f[i].label = va_arg(ap, const char *);
		value = va_arg(ap, const char *);
		ln->f[i].weight = va_arg(ap, double);
		if (value && *value && !(ln->f[i].value = strdup(value)))
			b->err = -ENOMEM;
	}
	va_end(ap);
}

static void heading(struct build *b, const char *text)
{
	if (b->l->nlines >= LETTER_LINES) {
		b->err = b->err ? b->err : -E2BIG;
		return;
	}
	b->l->lines[b->l->nlines++].heading = text;
}

/* dd/mm/yyyy of ISO, NULL for none. */
static char *dmy(struct build *b, const char *iso)
{
	char *s;
	if (!iso || !*iso)
		return NULL;
	if (!(s = forms_date_dmy(iso)))
		b->err = -ENOMEM;
	return s;
}

/* The capitals of a name (FORMS.md: "chữ in hoa"), NULL for none. */
static char *upper(struct build *b, const char *s)
{
	char *u;
	if (!s || !*s)
		return NULL;
	if (!(u = forms_upper_vi(s)))
		b->err = -EINVAL; /* invalid UTF-8, or out of memory */
	return u;
}

static void set_signer(struct build *b, const char *name)
{
	if (name && *name && !(b->l->signer = strdup(name)))
		b->err = -ENOMEM;
}

/* "Số chứng thư số cũ (nếu có):" or "Số hiệu chứng thư:" and its dates. */
static void certificate(struct build *b, json_object *req, const char *label)
{
	char *from = dmy(b, jstr(req, "certificate_not_before"));
	char *to = dmy(b, jstr(req, "certificate_not_after"));
	add(b, 1, label, jstr(req, "certificate_serial"), 1.0);
	add(b, 2, "Ngày cấp:", from, 0.5, "Ngày hết hạn:", to, 0.5);
	free(from);
	free(to);
}

/* R-VALIDITY-10Y: the validity asked for. */
static void validity(struct build *b, json_object *req)
{
	json_object *y;
	char years[64];

	if (json_object_object_get_ex(req, "requested_years", &y) && json_object_is_type(y, json_type_int))
		snprintf(years, sizeof years, "%d năm", json_object_get_int(y));
	else
		snprintf(years, sizeof years, "%s năm", DOTS);
	add(b, 1, "Thời hạn hiệu lực của chứng thư số (tối đa là 10 năm):", years, 1.0);
}

/* R-REISSUE: the reason, when re-issuing. */
static void reissue_reason(struct build *b, json_object *req)
{
	if (!strcmp(jstr0(req, "kind"), "reissue"))
		add(b, 1, "Lý do cấp lại:", forms_reason_words(FORMS_REASON_REQUEST, jstr(req, "reason")), 1.0);
}

#define LONG_NAME 26	/* characters of a name that leave room for the sex */

/* "Nam Nữ" with the one that does not apply struck through (SEX of a
 * record: "Nam"/"Nữ", "male"/"female"); "Nam … Nữ …" to tick by hand when
 * the record does not say. */
static void sex_field(struct letter_field *f, const char *sex)
{
	bool male = sex && (!strcmp(sex, "Nam") || !strcasecmp(sex, "male") || !strcasecmp(sex, "m"));
	bool female = sex && (!strcmp(sex, "Nữ") || !strcasecmp(sex, "female") || !strcasecmp(sex, "f"));

	if (!f || (!male && !female))
		return;
	free(f->value);
	f->value = strdup("Nam Nữ");
	f->struck = male ? "Nữ" : "Nam";
}

/* A record's sex in words: "male" is "Nam", "female" "Nữ"; other words as
 * they are. */
static const char *sex_words(const char *sex)
{
	if (sex && (!strcasecmp(sex, "male") || !strcasecmp(sex, "m")))
		return "Nam";
	if (sex && (!strcasecmp(sex, "female") || !strcasecmp(sex, "f")))
		return "Nữ";
	return sex;
}

/* The field labelled LABEL of the last line, or NULL. */
static struct letter_field *last_field(struct build *b, const char *label)
{
	struct letter_line *ln = b->l->nlines ? &b->l->lines[b->l->nlines - 1] : NULL;
	for (int i = 0; ln && i < ln->n; i++)
		if (!strcmp(ln->f[i].label, label))
			return &ln->f[i];
	return NULL;
}

/* Name (in capitals), sex, birth, ID card of person P; TICK: the sex as
 * Mẫu 01, 02 have it ("Nam … Nữ", one to strike), else as its words. */
static void identity(struct build *b, json_object *p, const char *name_label,
		     const char *name, bool tick)
{
	char *upper_name = upper(b, name);
	char *born = dmy(b, jstr(p, "birth_date"));
	char *issued = dmy(b, jstr(p, "id_issued_on"));
	const char *sex = tick ? "Nam … Nữ …" : sex_words(jstr(p, "sex"));

	/* the sex beside the name, as on the paper, unless the name is an
	 * organization's, too long for that */
	if (!upper_name || g_utf8_strlen(upper_name, -1) <= LONG_NAME) {
		add(b, 2, name_label, upper_name, 0.66, "Giới tính:", sex, 0.34);
		if (tick)
			sex_field(last_field(b, "Giới tính:"), jstr(p, "sex"));
		add(b, 2, "Ngày sinh:", born, 0.4, "Nơi sinh:", jstr(p, "birth_place"), 0.6);
	} else {
		add(b, 1, name_label, upper_name, 1.0);
		add(b, 3, "Giới tính:", sex, 0.3, "Ngày sinh:", born, 0.33, "Nơi sinh:",
		    jstr(p, "birth_place"), 0.37);
		if (tick)
			sex_field(last_field(b, "Giới tính:"), jstr(p, "sex"));
	}
	add(b, 3, "Số CMND/Hộ chiếu:", jstr(p, "id_number"), 0.45, "Ngày cấp:", issued, 0.25,
	    "Nơi cấp:", jstr(p, "id_issued_by"), 0.30);
	free(upper_name);
	free(born);
	free(issued);
}

/* The agency a person works at: their organization in the registry. */
static const char *agency_of(json_object *req, json_object *person)
{
	const char *a = jstr(person, "organization_name");
	return a && *a ? a : jstr(jobj(req, "organization"), "name");
}

static const char *const kind_titles[3][2] = {
	/* [new, renew, reissue][organization, person] */
	{ "VĂN BẢN ĐỀ NGHỊ CẤP MỚI CHỨNG THƯ SỐ\nCHO CƠ QUAN, TỔ CHỨC",
	  "VĂN BẢN ĐỀ NGHỊ CẤP MỚI CHỨNG THƯ SỐ\nCHO CÁ NHÂN" },
	{ "VĂN BẢN ĐỀ NGHỊ GIA HẠN CHỨNG THƯ SỐ\nCHO CƠ QUAN, TỔ CHỨC",
	  "VĂN BẢN ĐỀ NGHỊ GIA HẠN CHỨNG THƯ SỐ\nCHO CÁ NHÂN" },
	{ "VĂN BẢN ĐỀ NGHỊ CẤP LẠI CHỨNG THƯ SỐ\nCHO CƠ QUAN, TỔ CHỨC",
	  "VĂN BẢN ĐỀ NGHỊ CẤP LẠI CHỨNG THƯ SỐ\nCHO CÁ NHÂN" },
};

/* The title as the regulation words it (Mẫu 01, 02: "CẤP/GIA HẠN"), with
 * the word that does not apply to strike ("CẤP" covers a re-issue, cấp
 * lại), and in the request's own words for the text. */
static void title_of(struct letter *l, json_object *req, bool person)
{
	const char *kind = jstr0(req, "kind");
	int k = !strcmp(kind, "renew") ? 1 : !strcmp(kind, "reissue") ? 2 : 0;

	l->title = person ? "VĂN BẢN ĐỀ NGHỊ CẤP/GIA HẠN CHỨNG THƯ SỐ\nCHO CÁ NHÂN"
			  : "VĂN BẢN ĐỀ NGHỊ CẤP/GIA HẠN CHỨNG THƯ SỐ\nCHO CƠ QUAN, TỔ CHỨC";
	l->struck = k == 1 ? "CẤP" : "GIA HẠN";
	l->kind_title = kind_titles[k][person];
}

/* Mẫu 01: the organization, then the manager of its certificate. */
static void org_letter(struct build *b, json_object *req)
{
	json_object *org = jobj(req, "organization"), *m = jobj(req, "manager");
	const char *name = jstr(org, "name");

	title_of(b->l, req, false);
	b->l->to = "Kính gửi: Sở Thông tin và Truyền thông";
	heading(b, "I. Thông tin đăng ký chứng thư số:");
	add(b, 1, "Tên cơ quan, tổ chức được cấp chứng thư số (1):",
	    name && *name ? name : jstr(req, "subject_name"), 1.0);
	add(b, 1, "Mã số thuế:", jstr(org, "tax_code"), 1.0);
	add(b, 1, "Địa chỉ:", jstr(org, "address"), 1.0);
	add(b, 1, "Địa chỉ thư điện tử (2):", jstr(org, "email"), 1.0);
	certificate(b, req, "Số chứng thư số cũ (nếu có):");
	validity(b, req);
	reissue_reason(b, req);
	heading(b, "II. Thông tin của người quản lý chứng thư số (3):");
	identity(b, m, "Họ và tên (chữ in hoa):", jstr(m, "full_name"), true);
	add(b, 1, "Địa chỉ thư điện tử:", jstr(m, "email"), 1.0);
	add(b, 1, "Cơ quan, tổ chức công tác (4):", jstr(m, "organization_name"), 1.0);
	add(b, 1, "Chức vụ:", jstr(m, "position"), 1.0);
	add(b, 1, "Địa chỉ:", jstr(m, "address"), 1.0);
	add(b, 2, "Điện thoại:", jstr(m, "phone"), 0.5, "Fax:", jstr(m, "fax"), 0.5);
	b->l->attachments =
		"Tài liệu kèm theo:\n"
		"- Bản sao có công chứng giấy chứng nhận đã đăng ký mẫu con dấu hoặc xác thực bằng văn bản của cơ quan, tổ chức cấp trên trực tiếp mẫu con dấu của cơ quan, tổ chức;\n"
		"- Bản sao có công chứng quyết định hoặc xác thực bằng văn bản của cơ quan, tổ chức quản lý trực tiếp chức danh nhà nước, người có thẩm quyền của cơ quan, tổ chức theo quy định của pháp luật về quản lý và sử dụng con dấu.\n"
		"- Bản sao có công chứng giấy chứng nhận đăng ký thuế.";
	b->l->left_role = "XÁC NHẬN CỦA CƠ QUAN, TỔ CHỨC ĐĂNG KÝ";
	b->l->left_instruction = "(Ký, đóng dấu và ghi rõ họ tên)";
	b->l->right_role = "NGƯỜI QUẢN LÝ CHỨNG THƯ SỐ";
	b->l->right_instruction = "(Ký và ghi rõ họ tên)";
	set_signer(b, jstr(m, "full_name"));
	b->l->notes =
		"- (1), (4) Tên cơ quan, tổ chức quản lý trực tiếp và các cơ quan quản lý cấp trên.\n"
		"- (2) Địa chỉ thư điện tử là địa chỉ hộp thư liên lạc chính của cơ quan được cấp bởi Hệ thống thư điện tử của tỉnh Thái Bình.\n"
		"- (3) Người quản lý chứng thư số là người có thẩm quyền của cơ quan, tổ chức theo quy định của pháp luật về quản lý và sử dụng con dấu.";
}

/* Mẫu 02: the person who asks. */
static void person_letter(struct build *b, json_object *req)
{
	json_object *p = jobj(req, "person");
	const char *name = jstr(p, "full_name");

	if (!name || !*name)
		name = jstr(req, "subject_name");
	title_of(b->l, req, true);
	b->l->personal = true;
	b->l->to = "Kính gửi: Sở Thông tin và Truyền thông Thái Bình";
	identity(b, p, "Họ và tên (chữ in hoa):", name, true);
	add(b, 1, "Địa chỉ thư điện tử (1):", jstr(p, "email"), 1.0);
	add(b, 1, "Cơ quan, tổ chức công tác (2):", agency_of(req, p), 1.0);
	add(b, 1, "Chức vụ:", jstr(p, "position"), 1.0);
	add(b, 1, "Địa chỉ:", jstr(p, "address"), 1.0);
	add(b, 2, "Số điện thoại:", jstr(p, "phone"), 0.5, "Fax:", jstr(p, "fax"), 0.5);
	certificate(b, req, "Số chứng thư số cũ (nếu có):");
	validity(b, req);
	reissue_reason(b, req);
	b->l->attachments =
		"Tài liệu kèm theo (3):\n"
		"a) Bản sao có công chứng giấy chứng nhận đã đăng ký mẫu con dấu hoặc xác thực bằng văn bản của cơ quan, tổ chức cấp trên trực tiếp mẫu con dấu của cơ quan, tổ chức;\n"
		"b) Bản sao có công chứng quyết định hoặc xác thực bằng văn bản của cơ quan, tổ chức quản lý trực tiếp chức danh nhà nước, người có thẩm quyền của cơ quan, tổ chức theo quy định của pháp luật về quản lý và sử dụng con dấu.";
	b->l->left_role = "XÁC NHẬN CỦA CƠ QUAN QUẢN LÝ TRỰC TIẾP";
	b->l->left_instruction = "(Ký, đóng dấu và ghi rõ họ tên)";
	b->l->right_role = "NGƯỜI KHAI";
	b->l->right_instruction = "(Ký và ghi rõ họ tên)";
	set_signer(b, name);
	b->l->notes =
		"- (1) Địa chỉ thư điện tử là địa chỉ hộp thư liên lạc chính của cá nhân được cấp bởi Hệ thống thư điện tử của tỉnh Thái Bình;\n"
		"- (2) Tên cơ quan, tổ chức quản lý trực tiếp và các cơ quan quản lý cấp trên.\n"
		"- (3) Trường hợp đề nghị cấp chứng thư số cho chức danh nhà nước, người có thẩm quyền của cơ quan, tổ chức theo quy định của pháp luật về quản lý và sử dụng con dấu.";
}

/* Mẫu 05: the subscriber, then the certificate and its token. For an
 * organization's certificate the subscriber is the organization and the
 * one who declares it is the certificate's manager, whose are the
 * personal fields. */
static void revoke_letter(struct build *b, json_object *req)
{
	bool org = !strcmp(jstr0(req, "subject_kind"), "organization");
	json_object *o = jobj(req, "organization");
	json_object *p = org ? jobj(req, "manager") : jobj(req, "person");
	const char *name = org ? jstr(o, "name") : jstr(p, "full_name");
	const char *agency = org ? jstr(o, "name") : agency_of(req, p);
	const char *email = org ? jstr(o, "email") : jstr(p, "email");

	if (!name || !*name)
		name = jstr(req, "subject_name");
	b->l->title = b->l->kind_title = "VĂN BẢN ĐỀ NGHỊ THU HỒI CHỨNG THƯ SỐ";
	b->l->personal = true;
	b->l->to = "Kính gửi: Sở Thông tin và Truyền thông";
	identity(b, p, "Họ và tên thuê bao (viết chữ in hoa):", name, false);
	add(b, 1, "Cơ quan, tổ chức công tác (1):", agency && *agency ? agency : jstr(req, "subject_name"), 1.0);
	add(b, 3, "Chức vụ:", jstr(p, "position"), 0.4, "Điện thoại:", jstr(p, "phone"), 0.35,
	    "Fax:", jstr(p, "fax"), 0.25);
	heading(b, "Đề nghị thu hồi chứng thư số:");
	add(b, 1, "Tên chứng thư số (2):", jstr(req, "certificate_subject"), 1.0);
	add(b, 1, "Địa chỉ thư điện tử (3):", email, 1.0);
	certificate(b, req, "Số hiệu chứng thư:");
	add(b, 1, "Số hiệu thiết bị lưu khóa bí mật:", jstr(req, "token_serial"), 1.0);
	add(b, 1, "Lý do thu hồi:", forms_reason_words(FORMS_REASON_REQUEST, jstr(req, "reason")), 1.0);
	b->l->left_role = "XÁC NHẬN CỦA CƠ QUAN QUẢN LÝ TRỰC TIẾP";
	b->l->left_instruction = "(Ký, đóng dấu và ghi rõ họ tên)";
	b->l->right_role = "NGƯỜI KHAI";
	b->l->right_instruction = "(Ký và ghi rõ họ tên)";
	set_signer(b, org ? jstr(p, "full_name") : name);
	b->l->notes =
		"- (1) Tên cơ quan, tổ chức quản lý trực tiếp và các cơ quan quản lý cấp trên.\n"
		"- (2) Đăng ký đầy đủ theo thông tin tại trường Subject của chứng thư số.\n"
		"- (3) Địa chỉ thư điện tử của thuê bao đã đăng ký trong đề nghị cấp chứng thư số.";
}

int letter_of(json_object *req, struct letter *l, char **error)
{
	struct build b = { .l = l };

	memset(l, 0, sizeof *l);
	if (!req || !json_object_is_type(req, json_type_object) ||
	    (l->form = forms_lifecycle_request_number(req)) < 0) {
		if (error)
			*error = strdup("not a certificate request (io.khoa.Requests.Request): kind new, renew, revoke or reissue and subject_kind person or organization are needed");
		l->form = 0;
		return -EINVAL;
	}
	l->date = jstr(req, "filed_at");
	if (l->form == 1)
		org_letter(&b, req);
	else if (l->form == 2)
		person_letter(&b, req);
	else
		revoke_letter(&b, req);
	if (b.err < 0) {
		letter_free(l);
		if (error)
			*error = strdup(b.err == -ENOMEM ? "out of memory" :
					b.err == -EINVAL ? "a name is no valid UTF-8" :
					"too many lines for the form");
		return b.err;
	}
	return 0;
}

void letter_free(struct letter *l)
{
	for (int i = 0; i < l->nlines; i++)
		for (int j = 0; j < l->lines[i].n; j++) {
			free(l->lines[i].f[j].value);
			l->lines[i].f[j].value = NULL;
		}
	free(l->signer);
	l->signer = NULL;
	l->nlines = 0;
}
