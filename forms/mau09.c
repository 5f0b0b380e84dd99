/* Mẫu 09: VĂN BẢN ĐỀ NGHỊ KHÔI PHỤC MẬT KHẨU THIẾT BỊ LƯU KHÓA BÍ MẬT
 * (R-PIN-RECOVERY), from an io.khoa.PinRequests Request. Portrait. */
#include "forms.h"
#include "common.h"
#include "page.h"
#include "words.h"

#include <errno.h>
#include <stdlib.h>

static const char *v(json_object *f, const char *key)
{
	const char *s = jstr(f, key);
	return s && *s ? s : DOTS;
}

/* one line of two or three labelled fields */
static void fields(struct fdoc *d, int n, const double *w, const char *const *label,
		   const char *const *value)
{
	char *m[3];
	for (int i = 0; i < n; i++)
		m[i] = g_markup_printf_escaped("%s %s", label[i], value[i]);
	fdoc_columns(d, n, w, m);
	for (int i = 0; i < n; i++)
		g_free(m[i]);
}

/* Who files it: the subscriber (NAME in capitals) as the form says. */
static void subscriber(struct fdoc *d, json_object *f, const char *name)
{
	char *born = forms_date_dmy(jstr(f, "birth_date"));
	char *issued = forms_date_dmy(jstr(f, "id_issued_on"));

	fields(d, 2, (const double[]){ 0.68, 0.32 },
	       (const char *const[]){ "Họ và tên thuê bao (viết chữ in hoa):", "Giới tính:" },
	       (const char *const[]){ name, sex_vi(v(f, "sex")) });
	fields(d, 2, (const double[]){ 0.4, 0.6 },
	       (const char *const[]){ "Ngày sinh:", "Nơi sinh:" },
	       (const char *const[]){ born ? born : DOTS, v(f, "birth_place") });
	fields(d, 3, (const double[]){ 0.40, 0.28, 0.32 },
	       (const char *const[]){ "Số CMND/Hộ chiếu:", "Ngày cấp:", "Nơi cấp:" },
	       (const char *const[]){ v(f, "id_number"), issued ? issued : DOTS,
				      v(f, "id_issued_by") });
	free(born);
	free(issued);
	fdoc_paraf(d, FA_LEFT, "Cơ quan, tổ chức công tác (1): %s", v(f, "agency"));
	fields(d, 3, (const double[]){ 0.36, 0.36, 0.28 },
	       (const char *const[]){ "Chức vụ:", "Điện thoại:", "Fax:" },
	       (const char *const[]){ v(f, "position"), v(f, "phone"), v(f, "fax") });
}

/* What is to be recovered: the device and its certificate. */
static void device(struct fdoc *d, json_object *f)
{
	char *cells[3];

	fdoc_space(d, 4);
	fdoc_para(d, "<b>Đề nghị khôi phục thiết bị lưu khóa bí mật:</b>", FA_LEFT, 0);
	fdoc_paraf(d, FA_LEFT, "Số hiệu thiết bị lưu khóa bí mật: %s", v(f, "token_serial"));
	fdoc_paraf(d, FA_LEFT, "Tên chứng thư số (2): %s", v(f, "certificate_subject"));
	fdoc_paraf(d, FA_LEFT, "Địa chỉ thư điện tử (3): %s", v(f, "email"));
	fdoc_space(d, 2);
	cells[0] = (char *)jstr0(f, "certificate_serial");
	cells[1] = forms_date_dmy(jstr(f, "certificate_not_before"));
	cells[2] = forms_date_dmy(jstr(f, "certificate_not_after"));
	/* the serial's column as wide as the serial: on one line, unbroken */
	fdoc_table(d, 3, (const struct fcolumn[]){
		{ "Số hiệu chứng thư số", 2.2, FA_CENTER, true, 0 },
		{ "Ngày cấp", 1, FA_CENTER, false, 0 },
		{ "Ngày hết hạn", 1, FA_CENTER, false, 0 },
	}, 1, cells);
	free(cells[1]);
	free(cells[2]);
}

int forms_pin_request_pdf(json_object *req, json_object *agency, const char *path, char **error)
{
	json_object *f = jobj(req, "form");
	struct forms_date filed;
	char *date_line = NULL, *name;
	struct fdoc d;
	int r;

	if (!f || !jstr(f, "subscriber_name") || !jstr(f, "token_serial")) {
		if (error)
			*error = strdup("not a PIN-recovery request (io.khoa.PinRequests.Request): form with subscriber_name and token_serial is needed");
		return -EINVAL;
	}
	name = forms_upper_vi(jstr(f, "subscriber_name"));
	if (!name) {
		if (error)
			*error = strdup("subscriber_name: invalid UTF-8");
		return -EINVAL;
	}
	if ((r = fdoc_open(&d, path, false, error)) < 0) {
		free(name);
		return r;
	}
	fdoc_begin_copy(&d, NULL);
	/* filed by the agency (Điều 10.3): its header, numbered; dated where
	 * it is signed, as the form has it */
	date_line = forms_date_line_or_blank(jstr(agency, "place"),
					     forms_parse_date(jstr(req, "filed_at"), &filed) == 0 ? &filed : NULL);
	fdoc_header(&d, jstr(agency, "managing_agency"), jstr(agency, "agency"),
		    jstr(agency, "number"), NULL);

	fdoc_title(&d, "VĂN BẢN ĐỀ NGHỊ KHÔI PHỤC MẬT KHẨU THIẾT BỊ LƯU KHÓA BÍ MẬT", 14);
	fdoc_space(&d, 4);
	fdoc_para(&d, "Kính gửi: Sở Thông tin và Truyền thông", FA_CENTER, 0);
	fdoc_space(&d, 8);

	subscriber(&d, f, name);
	device(&d, f);
	fdoc_paraf(&d, FA_LEFT, "Số điện thoại liên hệ của cán bộ quản lý thiết bị: %s",
		   v(f, "manager_phone"));
	fdoc_space(&d, 8);
	fdoc_signatures_dated(&d, 2, (const struct fsign[]){
		{ "XÁC NHẬN CỦA CƠ QUAN QUẢN LÝ TRỰC TIẾP", "(Ký, đóng dấu và ghi rõ họ tên)", NULL, NULL },
		{ "NGƯỜI KHAI", "(Ký và ghi rõ họ, tên)", name, NULL },
	}, (const char *const[]){ NULL, date_line });
	free(date_line);
	fdoc_para(&d, "<b><i>Ghi chú:</i></b>\n"
		  "<i>- (1) Tên cơ quan, tổ chức quản lý trực tiếp và các cơ quan quản lý cấp trên.\n"
		  "- (2) Đăng ký đầy đủ theo thông tin tại trường Subject của chứng thư số.\n"
		  "- (3) Địa chỉ thư điện tử của thuê bao đã đăng ký trong đề nghị cấp chứng thư số.</i>",
		  FA_LEFT, 11);
	free(name);
	return fdoc_close(&d, error);
}
