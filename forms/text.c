/* Plain-text renderings of the forms, for a terminal: the same fields and
 * words as the PDFs, without the page. */
#include "forms.h"
#include "common.h"
#include "text.h"
#include "words.h"

#include <errno.h>
#include <stdlib.h>

static const char *v(json_object *o, const char *key)
{
	const char *s = jstr(o, key);
	return s && *s ? s : "…";
}

void text_header(json_object *agency, const char *name, const struct forms_date *date,
		 bool numbered, FILE *out)
{
	const char *m = jstr(agency, "managing_agency"), *a = jstr(agency, "agency");

	char *um, *ua;

	if (!a || !*a)
		a = name;
	/* in capitals, as on the paper (as they are when that cannot be done) */
	um = m && *m ? forms_upper_vi(m) : NULL;
	ua = a && *a ? forms_upper_vi(a) : NULL;
	if (m && *m)
		fprintf(out, "%s\n", um ? um : m);
	if (a && *a)
		fprintf(out, "%s\n", ua ? ua : a);
	free(um);
	free(ua);
	if (numbered)
		fprintf(out, "Số: %s\n", jstr(agency, "number") ? jstr(agency, "number") : "…/…");
	fprintf(out, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n");
	if (date) {
		char *line = forms_date_line(jstr(agency, "place"), date);
		if (line)
			fprintf(out, "%s\n", line);
		free(line);
	}
	fputc('\n', out);
}

static void header(json_object *agency, const char *date_iso, FILE *out)
{
	struct forms_date d;
	text_header(agency, NULL, forms_parse_date(date_iso, &d) == 0 ? &d : NULL, true, out);
}

static int done(FILE *out)
{
	return ferror(out) ? -EIO : 0;
}

/* A party of a handover as Mẫu 10 lists it (mau10.c): an organization
 * without a "Họ và tên" of its own. */
static void handover_party_text(json_object *p, const char *heading, FILE *out)
{
	const char *letter = jstr(p, "introduction_letter"), *id = jstr(p, "id_number");
	json_object *org_id = NULL, *person_id = NULL;
	bool org;

	json_object_object_get_ex(p, "organization_id", &org_id);
	json_object_object_get_ex(p, "person_id", &person_id);
	org = org_id && !json_object_is_type(org_id, json_type_null) &&
	      (!person_id || json_object_is_type(person_id, json_type_null));
	fprintf(out, "%s\n", heading);
	if (!org)
		fprintf(out, "  Họ và tên: %s\n", v(p, "name"));
	fprintf(out, "  Cơ quan, tổ chức công tác: %s\n  Địa chỉ: %s\n  Đại diện: %s\n  Chức vụ: %s\n",
		org ? v(p, "name") : v(p, "agency"), v(p, "address"), v(p, "representative"),
		v(p, "position"));
	if (letter && *letter)
		fprintf(out, "  Giấy giới thiệu: %s\n", letter);
	if (id && *id) {
		char *issued = forms_date_dmy(jstr(p, "id_issued_on"));
		fprintf(out, "  Số CMND/Hộ chiếu: %s, ngày cấp: %s, nơi cấp: %s\n", id,
			issued ? issued : "…", v(p, "id_issued_by"));
		free(issued);
	}
}

int forms_handover_text(json_object *h, json_object *agency, FILE *out)
{
	json_object *rows = jarr(h, "rows"), *g = jobj(h, "giver"), *r = jobj(h, "receiver");
	const char *place = jstr(h, "place");
	struct forms_date when;
	size_t n;
	char *words;

	if (!rows || !g || !r)
		return -EINVAL;
	n = json_object_array_length(rows);
	text_header(agency, NULL, NULL, true, out);
	fprintf(out, "BIÊN BẢN GIAO NHẬN THIẾT BỊ LƯU KHÓA BÍ MẬT\n\n");
	if (forms_parse_date(jstr(h, "held_at"), &when) == 0) {
		char *day = forms_date_line(NULL, &when);
		if (when.has_time)
			fprintf(out, "Hôm nay, vào hồi %02d giờ %02d %s", when.hour, when.minute, day ? day : "");
		else
			fprintf(out, "Hôm nay, vào hồi … giờ … %s", day ? day : "");
		free(day);
	} else {
		fprintf(out, "Hôm nay, vào hồi … giờ … ngày … tháng … năm …");
	}
	fprintf(out, ", tại %s chúng tôi gồm:\n", place && *place ? place : v(agency, "place"));
	handover_party_text(g, "I. Bên giao:", out);
	handover_party_text(r, "II. Bên nhận:", out);
	if (!(words = forms_count_words((unsigned)n)))
		return -ENOMEM;
	fprintf(out, "Hai bên thống nhất việc giao nhận thiết bị lưu khóa bí mật như sau:\n"
		"Bên giao đã giao cho Bên nhận: %02zu (bằng chữ: %s) bộ, cụ thể như sau:\n", n, words);
	free(words);
	for (size_t i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		char *from = forms_date_dmy(jstr(row, "valid_from"));
		char *to = forms_date_dmy(jstr(row, "valid_to"));
		const char *reason = forms_reason_words(FORMS_REASON_HANDOVER, jstr(row, "reason"));
		json_object *ver;
		bool verified = !json_object_object_get_ex(row, "verified_on_device", &ver) ||
				json_object_get_boolean(ver);
		fprintf(out, "%zu. %s | Số hiệu chứng thư số: %s | Số hiệu thiết bị: %s | %s | Từ ngày %s đến ngày %s%s%s%s\n",
			i + 1, v(row, "holder_name"), v(row, "certificate_serial"), v(row, "token_serial"),
			reason ? reason : "…", from ? from : "…", to ? to : "…",
			jstr(row, "note") ? " | " : "", jstr(row, "note") ? jstr(row, "note") : "",
			verified ? "" : " | Chưa đối chiếu trên thiết bị");
		free(from);
		free(to);
	}
	fprintf(out, "Biên bản giao nhận được làm thành 02 bản, Bên giao giữ 01 bản, Bên nhận giữ 01 bản.\n");
	return done(out);
}

int forms_pin_request_text(json_object *req, json_object *agency, FILE *out)
{
	json_object *f = jobj(req, "form");
	char *name, *a, *b, *c, *e;

	if (!f || !jstr(f, "subscriber_name"))
		return -EINVAL;
	if (!(name = forms_upper_vi(jstr(f, "subscriber_name"))))
		return -EINVAL;
	a = forms_date_dmy(jstr(f, "birth_date"));
	b = forms_date_dmy(jstr(f, "id_issued_on"));
	c = forms_date_dmy(jstr(f, "certificate_not_before"));
	e = forms_date_dmy(jstr(f, "certificate_not_after"));
	header(agency, jstr(req, "filed_at"), out);
	fprintf(out, "VĂN BẢN ĐỀ NGHỊ KHÔI PHỤC MẬT KHẨU THIẾT BỊ LƯU KHÓA BÍ MẬT\n"
		"Kính gửi: Sở Thông tin và Truyền thông\n\n"
		"Họ và tên thuê bao (viết chữ in hoa): %s   Giới tính: %s\n"
		"Ngày sinh: %s   Nơi sinh: %s\n"
		"Số CMND/Hộ chiếu: %s   Ngày cấp: %s   Nơi cấp: %s\n"
		"Cơ quan, tổ chức công tác (1): %s\n"
		"Chức vụ: %s   Điện thoại: %s   Fax: %s\n"
		"Đề nghị khôi phục thiết bị lưu khóa bí mật:\n"
		"Số hiệu thiết bị lưu khóa bí mật: %s\n"
		"Tên chứng thư số (2): %s\n"
		"Địa chỉ thư điện tử (3): %s\n"
		"Số hiệu chứng thư số: %s   Ngày cấp: %s   Ngày hết hạn: %s\n"
		"Số điện thoại liên hệ của cán bộ quản lý thiết bị: %s\n",
		name, sex_vi(v(f, "sex")), a ? a : "…", v(f, "birth_place"), v(f, "id_number"), b ? b : "…",
		v(f, "id_issued_by"), v(f, "agency"), v(f, "position"), v(f, "phone"), v(f, "fax"),
		v(f, "token_serial"), v(f, "certificate_subject"), v(f, "email"),
		v(f, "certificate_serial"), c ? c : "…", e ? e : "…", v(f, "manager_phone"));
	free(name);
	free(a);
	free(b);
	free(c);
	free(e);
	return done(out);
}

int forms_manager_change_text(json_object *ch, json_object *agency, FILE *out)
{
	const char *op = jstr(ch, "old_position"), *np = jstr(ch, "new_position");

	if (!jstr(ch, "organization_name") || !jstr(ch, "old_manager") || !jstr(ch, "new_manager"))
		return -EINVAL;
	header(agency, jstr(ch, "effective_on"), out);
	fprintf(out, "QUYẾT ĐỊNH\nVề việc thay đổi người quản lý chứng thư số\n\n"
		"Điều 1. Thay đổi người quản lý chứng thư số của %s như sau:\n"
		"1. Đối với chứng thư số %s có tên đăng ký là %s%s%s%s:\n"
		"Thay đổi người quản lý chứng thư số từ ông (bà) %s%s%s sang người quản lý mới là ông (bà) %s%s%s.\n",
		jstr(ch, "organization_name"), kind_vi(jstr(ch, "certificate_kind")), v(ch, "registered_name"),
		jstr(ch, "token_serial") ? " (số hiệu thiết bị lưu khóa bí mật: " : "",
		jstr(ch, "token_serial") ? jstr(ch, "token_serial") : "", jstr(ch, "token_serial") ? ")" : "",
		jstr(ch, "old_manager"), op ? ", " : "", op ? op : "",
		jstr(ch, "new_manager"), np ? ", " : "", np ? np : "");
	if (jstr(ch, "decision_number"))
		fprintf(out, "Số quyết định: %s\n", jstr(ch, "decision_number"));
	return done(out);
}
