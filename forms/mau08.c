/* Mẫu 08: QUYẾT ĐỊNH Về việc thay đổi người quản lý chứng thư số, from an
 * io.khoa.Managers Change. Portrait. */
#include "forms.h"
#include "common.h"
#include "page.h"
#include "words.h"

#include <errno.h>
#include <stdlib.h>

/* <CHỨC DANH NGƯỜI CÓ THẨM QUYỀN>: AGENCY's "authority", else the head of
 * organization ORG; in capitals, malloc'd (NULL: not UTF-8, or no memory). */
static char *authority_of(json_object *agency, const char *org)
{
	const char *auth = jstr(agency, "authority");
	if (auth && *auth)
		return forms_upper_vi(auth);
	char *t = g_strdup_printf("Thủ trưởng %s", org), *upper = forms_upper_vi(t);
	g_free(t);
	return upper;
}

/* The header, the title, who decides and on what grounds. */
static void heading(struct fdoc *d, json_object *c, json_object *agency, const char *authority)
{
	const char *number = jstr(c, "decision_number"), *a = jstr(agency, "agency");
	char *date_line = NULL, *upper_org = forms_upper_vi(jstr(c, "organization_name")), *m;
	struct forms_date eff;

	if (forms_parse_date(jstr(c, "effective_on"), &eff) == 0)
		date_line = forms_date_line(jstr(agency, "place"), &eff);
	if (!number || !*number)
		number = jstr(agency, "number");
	fdoc_header(d, jstr(agency, "managing_agency"), a && *a ? a : upper_org, number, date_line);
	free(upper_org);
	free(date_line);

	fdoc_para(d, "<b>QUYẾT ĐỊNH</b>", FA_CENTER, 14);
	fdoc_para(d, "<b>Về việc thay đổi người quản lý chứng thư số</b>", FA_CENTER, 0);
	fdoc_space(d, 8);
	m = g_markup_printf_escaped("<b>%s</b>", authority);
	fdoc_para(d, m, FA_CENTER, 0);
	g_free(m);
	fdoc_space(d, 6);

	fdoc_para(d, "<i>Căn cứ Thông tư số 08/2016/TT-BQP ngày 01/02/2016 của Bộ Quốc phòng quy định về cung cấp, quản lý, sử dụng dịch vụ chứng thực chữ ký số chuyên dùng phục vụ các cơ quan Đảng, Nhà nước, tổ chức chính trị - xã hội;</i>", FA_JUSTIFY, 0);
	fdoc_para(d, "<i>Căn cứ Quyết định số...../2016/QĐ-UBND, ngày...../8/2016 của UBND tỉnh Thái Bình về việc ban hành Quy chế quản lý, sử dụng chứng thư số chuyên dùng trong các cơ quan nhà nước của tỉnh Thái Bình;</i>", FA_JUSTIFY, 0);
	fdoc_para(d, "<i>Căn cứ Quyết định điều động, bổ nhiệm, nghỉ hưu, thôi việc, ...;</i>", FA_JUSTIFY, 0);
	fdoc_para(d, "<i>Căn cứ...,</i>", FA_JUSTIFY, 0);
	fdoc_space(d, 6);
	fdoc_para(d, "<b>QUYẾT ĐỊNH:</b>", FA_CENTER, 0);
	fdoc_space(d, 4);
}

/* Điều 1: the change itself. */
static void article_1(struct fdoc *d, json_object *c)
{
	const char *old_pos = jstr(c, "old_position"), *new_pos = jstr(c, "new_position");
	const char *token = jstr(c, "token_serial");
	char *m = g_markup_printf_escaped("<b>Điều 1.</b> Thay đổi người quản lý chứng thư số của %s như sau:",
					  jstr(c, "organization_name"));
	fdoc_para(d, m, FA_JUSTIFY, 0);
	g_free(m);
	if (token && *token)
		m = g_markup_printf_escaped("1. Đối với chứng thư số %s có tên đăng ký là %s (số hiệu thiết bị lưu khóa bí mật: %s):",
					    kind_vi(jstr(c, "certificate_kind")), jstr(c, "registered_name"),
					    token);
	else
		m = g_markup_printf_escaped("1. Đối với chứng thư số %s có tên đăng ký là %s:",
					    kind_vi(jstr(c, "certificate_kind")), jstr(c, "registered_name"));
	fdoc_para(d, m, FA_JUSTIFY, 0);
	g_free(m);
	/* "…, < chức vụ >": a position the change does not say, to fill */
	m = g_markup_printf_escaped("Thay đổi người quản lý chứng thư số từ ông (bà) %s%s%s sang người quản lý mới là ông (bà) %s%s%s.",
				    jstr(c, "old_manager"), ", ", old_pos && *old_pos ? old_pos : DOTS,
				    jstr(c, "new_manager"), ", ", new_pos && *new_pos ? new_pos : DOTS);
	fdoc_para(d, m, FA_JUSTIFY, 0);
	g_free(m);
}

int forms_manager_change_pdf(json_object *c, json_object *agency, const char *path, char **error)
{
	const char *org = jstr(c, "organization_name");
	char *authority;
	struct fdoc d;
	int r;

	if (!org || !jstr(c, "old_manager") || !jstr(c, "new_manager") || !jstr(c, "registered_name")) {
		if (error)
			*error = strdup("not a change of manager (io.khoa.Managers.Change): organization_name, registered_name, old_manager and new_manager are needed");
		return -EINVAL;
	}
	if (!(authority = authority_of(agency, org))) {
		if (error)
			*error = strdup("invalid UTF-8");
		return -EINVAL;
	}
	if ((r = fdoc_open(&d, path, false, error)) < 0) {
		free(authority);
		return r;
	}
	fdoc_begin_copy(&d, NULL);
	heading(&d, c, agency, authority);
	article_1(&d, c);
	fdoc_para(&d, "<b>Điều 2.</b> Tổ chức thực hiện", FA_JUSTIFY, 0);
	fdoc_para(&d, "1. Các đồng chí có tên tại Điều 1 có trách nhiệm tổ chức bàn giao và lập biên bản bàn giao quản lý chứng thư số.", FA_JUSTIFY, 0);
	fdoc_para(&d, "2. Các đồng chí được giao quản lý chứng thư số có trách nhiệm kiểm tra tiếp nhận các chứng thư số, thiết bị lưu khóa bí mật theo biên bản bàn giao và chịu trách nhiệm quản lý các chứng thư số nêu trên kể từ thời điểm bàn giao được ghi trong biên bản.", FA_JUSTIFY, 0);
	fdoc_para(&d, "<b>Điều 3.</b> Hiệu lực thi hành", FA_JUSTIFY, 0);
	fdoc_para(&d, "Quyết định này có hiệu lực kể từ ngày ký.", FA_JUSTIFY, 0);
	fdoc_para(&d, "Thủ trưởng các cơ quan, tổ chức và các cá nhân có liên quan tại Điều 1 chịu trách nhiệm tổ chức thi hành Quyết định này./.", FA_JUSTIFY, 0);
	fdoc_space(&d, 8);
	fdoc_need(&d, fdoc_signatures_height(&d));
	fdoc_signatures(&d, 2, (const struct fsign[]){
		{ NULL, NULL, NULL,
		  "<b><i>Nơi nhận:</i></b>\n<span size=\"11pt\">- Như Điều 3;\n- Sở Thông tin và Truyền thông;\n- Lưu: VT, ...</span>" },
		{ authority, "(Ký tên, đóng dấu)", jstr(agency, "signer"), NULL },
	});
	free(authority);
	return fdoc_close(&d, error);
}
