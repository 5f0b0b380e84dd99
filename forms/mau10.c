/* Mẫu 10: BIÊN BẢN GIAO NHẬN THIẾT BỊ LƯU KHÓA BÍ MẬT (R-HANDOVER), from an
 * io.khoa.Handovers Handover. Landscape, for its seven-column table; made in
 * two copies, one per side, each marked with its holder. */
#include "forms.h"
#include "common.h"
#include "page.h"
#include "words.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static const struct fcolumn columns[] = {
	{ "STT", 0.6, FA_CENTER, false, 0 },
	{ "Họ tên", 1.9, FA_LEFT, false, 0 },
	{ "Số hiệu chứng thư số", 3.0, FA_LEFT, true, 0 },
	{ "Số hiệu thiết bị lưu khóa bí mật", 1.8, FA_LEFT, true, 0 },
	{ "Lý do giao nhận (1)", 1.4, FA_LEFT, false, 0 },
	{ "Thời điểm có hiệu lực của chứng thư số (2)", 1.8, FA_CENTER, false, 0 },
	{ "Ghi chú (3)", 1.3, FA_LEFT, false, 0 },
};
#define NCOLS (int)(sizeof columns / sizeof *columns)

/* An organization party is written as its representative (Họ và tên) of the
 * organization (Cơ quan); a person as themself of their agency. */
static void party(struct fdoc *d, json_object *p, const char *heading, char **out)
{
	json_object *org_id = NULL, *person_id = NULL;
	json_object_object_get_ex(p, "organization_id", &org_id);
	json_object_object_get_ex(p, "person_id", &person_id);
	bool org = org_id && !person_id;	/* (absent and null alike) */
	const char *who = org ? jstr(p, "representative") : jstr(p, "name");
	const char *agency = org ? jstr(p, "name") : jstr(p, "agency");
	*out = g_markup_printf_escaped(
		"<b>%s</b>\n"
		"Họ và tên: %s\n"
		"Cơ quan, tổ chức công tác: %s\n"
		"Địa chỉ: %s\n"
		"Đại diện: %s\n"
		"Chức vụ: %s",
		heading, who && *who ? who : DOTS,
		agency && *agency ? agency : DOTS,
		jstr(p, "address") ? jstr(p, "address") : DOTS,
		jstr(p, "representative") ? jstr(p, "representative") : DOTS,
		jstr(p, "position") ? jstr(p, "position") : DOTS);
}

/* Who signs for a party: its representative, else the party itself. */
static const char *signer(json_object *p)
{
	const char *r = jstr(p, "representative");
	return r && *r ? r : jstr(p, "name");
}

/* "Hôm nay, vào hồi … giờ … phút ngày … tại … chúng tôi gồm:", with what
 * the handover says of when and where (blanks to fill by hand otherwise). */
static void opening(struct fdoc *d, json_object *h, json_object *agency)
{
	struct forms_date when;
	bool dated = forms_parse_date(jstr(h, "held_at"), &when) == 0;
	const char *place = jstr(h, "place");
	char *day = dated ? forms_date_line(NULL, &when) : NULL;

	if (!place || !*place)
		place = jstr(agency, "place");
	if (!place)
		place = DOTS;
	if (dated && when.has_time)
		fdoc_paraf(d, FA_JUSTIFY, "Hôm nay, vào hồi %02d giờ %02d phút %s, tại %s chúng tôi gồm:",
			   when.hour, when.minute, day ? day : "", place);
	else if (dated)
		fdoc_paraf(d, FA_JUSTIFY, "Hôm nay, vào hồi … giờ … %s, tại %s chúng tôi gồm:",
			   day ? day : "", place);
	else
		fdoc_paraf(d, FA_JUSTIFY, "Hôm nay, vào hồi … giờ … ngày … tháng … năm …, tại %s chúng tôi gồm:",
			   place);
	free(day);
}

/* The seven cells of ROW, the Ith, into C (g_malloc'd). */
static void row_cells(json_object *row, size_t i, char **c)
{
	char *from = forms_date_dmy(jstr(row, "valid_from"));
	char *to = forms_date_dmy(jstr(row, "valid_to"));
	const char *note = jstr(row, "note");
	json_object *ver, *num;
	bool verified = !json_object_object_get_ex(row, "verified_on_device", &ver) ||
			json_object_get_boolean(ver);

	if (json_object_object_get_ex(row, "number", &num))
		c[0] = g_strdup_printf("%d", json_object_get_int(num));
	else
		c[0] = g_strdup_printf("%zu", i + 1);
	c[1] = g_strdup(jstr0(row, "holder_name"));
	c[2] = g_strdup(jstr0(row, "certificate_serial"));
	c[3] = g_strdup(jstr0(row, "token_serial"));
	c[4] = g_strdup(reason_vi(jstr(row, "reason")));
	if (from || to)
		c[5] = g_strdup_printf("Từ %s\nđến %s", from ? from : "…", to ? to : "…");
	else
		c[5] = g_strdup("");
	free(from);
	free(to);
	/* a token added by serial, not seen on the desk */
	if (!verified)
		c[6] = g_strdup_printf("%s%sChưa đối chiếu trên thiết bị", note ? note : "",
				       note && *note ? "; " : "");
	else
		c[6] = g_strdup(note ? note : "");
}

/* "Bên giao đã giao cho Bên nhận: 03 (ba) bộ", and the table of ROWS. */
static int rows_table(struct fdoc *d, json_object *rows)
{
	size_t n = json_object_array_length(rows);
	char *count = forms_count((unsigned)n, "bộ"), **cells;

	if (!count)
		return -ENOMEM;
	fdoc_paraf(d, FA_LEFT, "Bên giao đã giao cho Bên nhận: %s, cụ thể như sau:", count);
	free(count);
	if (!(cells = calloc(n * NCOLS + 1, sizeof *cells)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		row_cells(json_object_array_get_idx(rows, i), i, cells + i * NCOLS);
	fdoc_table(d, NCOLS, columns, (int)n, cells);
	for (size_t i = 0; i < n * NCOLS; i++)
		g_free(cells[i]);
	free(cells);
	return 0;
}

static int one_copy(struct fdoc *d, json_object *h, json_object *agency, const char *mark)
{
	json_object *giver = jobj(h, "giver"), *receiver = jobj(h, "receiver");
	struct forms_date when;
	char *date_line = NULL, *parties[2];
	int r;

	fdoc_begin_copy(d, mark);
	if (forms_parse_date(jstr(h, "held_at"), &when) == 0)
		date_line = forms_date_line(jstr(agency, "place"), &when);
	fdoc_header(d, jstr(agency, "managing_agency"), jstr(agency, "agency"),
		    jstr(agency, "number"), date_line);
	free(date_line);

	fdoc_para(d, "<b>BIÊN BẢN GIAO NHẬN THIẾT BỊ LƯU KHÓA BÍ MẬT</b>", FA_CENTER, 14);
	if (jstr(h, "state") && !strcmp(jstr(h, "state"), "draft"))
		fdoc_para(d, "<i>(Bản dự thảo, chưa hoàn tất)</i>", FA_CENTER, 0);
	fdoc_space(d, 6);
	opening(d, h, agency);

	/* the two parties side by side: the landscape page has the room */
	party(d, giver, "I. Bên giao:", &parties[0]);
	party(d, receiver, "II. Bên nhận:", &parties[1]);
	fdoc_columns(d, 2, (const double[]){ 1, 1 }, parties);
	g_free(parties[0]);
	g_free(parties[1]);

	fdoc_para(d, "Hai bên thống nhất việc giao nhận thiết bị lưu khóa bí mật như sau:", FA_LEFT, 0);
	if ((r = rows_table(d, jarr(h, "rows"))) < 0)
		return r;

	/* the signatures never stand alone on a page: the closing sentence
	 * goes with them */
	fdoc_need(d, 24 + fdoc_signatures_height(d));
	fdoc_para(d, "Biên bản giao nhận được làm thành 02 bản, Bên giao giữ 01 bản, Bên nhận giữ 01 bản.",
		  FA_LEFT, 0);
	fdoc_space(d, 6);
	fdoc_signatures(d, 2, (const struct fsign[]){
		{ "ĐẠI DIỆN BÊN GIAO", "(Ký tên, đóng dấu)", signer(giver), NULL },
		{ "ĐẠI DIỆN BÊN NHẬN", "(Ký tên, đóng dấu)", signer(receiver), NULL },
	});
	fdoc_para(d, "<b><i>Ghi chú:</i></b>\n<i>(1) Ghi rõ lý do giao nhận (Cấp mới, Thu hồi, ...).</i>",
		  FA_LEFT, 11);
	return 0;
}

static int check(json_object *h, char **error)
{
	if (!h || !json_object_is_type(h, json_type_object) || !jobj(h, "giver") ||
	    !jobj(h, "receiver") || !jarr(h, "rows")) {
		if (error)
			*error = strdup("not a handover (io.khoa.Handovers.Handover): giver, receiver and rows are needed");
		return -EINVAL;
	}
	return 0;
}

int forms_handover_pdf(json_object *h, json_object *agency, const char *path, char **error)
{
	struct fdoc d;
	int r;

	if ((r = check(h, error)) < 0)
		return r;
	if ((r = fdoc_open(&d, path, true, error)) < 0)
		return r;
	/* R-HANDOVER: two copies, one for each side */
	r = one_copy(&d, h, agency, "Bản của bên giao");
	if (r == 0)
		r = one_copy(&d, h, agency, "Bản của bên nhận");
	if (r < 0) {
		fdoc_close(&d, NULL);
		if (error)
			*error = strdup("out of memory");
		return r;
	}
	return fdoc_close(&d, error);
}
