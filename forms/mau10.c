/* Mẫu 10: BIÊN BẢN GIAO NHẬN THIẾT BỊ LƯU KHÓA BÍ MẬT (R-HANDOVER), from an
 * io.khoa.Handovers Handover, headed by the agency that draws it up.
 * Landscape, for its seven-column table, a row per token; made in two
 * copies, one per side, each marked with its holder, each with its
 * signatures on the page of its last row. */
#include "forms.h"
#include "common.h"
#include "page.h"
#include "words.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_PT 11.0	/* seven columns on a landscape page, a row per token */

static const struct fcolumn columns[] = {
	{ "STT", 0.5, FA_CENTER, false, 0 },
	{ "Họ tên", 2.2, FA_LEFT, false, 0 },
	{ "Số hiệu chứng thư số", 3.0, FA_LEFT, true, 0 },
	{ "Số hiệu thiết bị lưu khóa bí mật", 1.8, FA_LEFT, true, 0 },
	{ "Lý do giao nhận (1)", 1.4, FA_LEFT, false, 0 },
	{ "Thời điểm có hiệu lực của chứng thư số (2)", 2.6, FA_CENTER, false, 0 },
	{ "Ghi chú (3)", 1.6, FA_LEFT, false, 0 },
};
#define NCOLS (int)(sizeof columns / sizeof *columns)

/* Whether party P is an organization of the registry (not a person). */
static bool is_org(json_object *p)
{
	json_object *org_id = NULL, *person_id = NULL;
	json_object_object_get_ex(p, "organization_id", &org_id);
	json_object_object_get_ex(p, "person_id", &person_id);
	return org_id && !json_object_is_type(org_id, json_type_null) &&
	       (!person_id || json_object_is_type(person_id, json_type_null));
}

/* S, or a dotted line to fill by hand. */
static const char *or_dots(const char *s)
{
	return s && *s ? s : DOTS;
}

/* A party as the form lists it: a person by name ("Họ và tên"), their
 * agency, address, whom they represent and their position; an
 * organization by its name, address, representative and the
 * representative's position, without a "Họ và tên" of its own. The
 * introduction letter and ID card its representative showed (R-HANDOVER,
 * Điều 9: "xuất trình giấy giới thiệu và Chứng minh thư nhân dân") follow
 * when they were given. g_malloc'ed markup. */
static char *party(json_object *p, const char *heading)
{
	bool org = is_org(p);
	const char *letter = jstr(p, "introduction_letter"), *id = jstr(p, "id_number");
	char *issued = forms_date_dmy(jstr(p, "id_issued_on"));
	GString *m = g_string_new(NULL);
	char *e;

	e = g_markup_printf_escaped("<b>%s</b>", heading);
	g_string_append(m, e);
	g_free(e);
	if (!org) {
		e = g_markup_printf_escaped("\nHọ và tên: %s", or_dots(jstr(p, "name")));
		g_string_append(m, e);
		g_free(e);
	}
	/* "Đại diện" and "Chức vụ" of one person on one line, as minutes
	 * write "Ông/Bà: … Chức vụ: …": a line less for the table */
	e = g_markup_printf_escaped("\nCơ quan, tổ chức công tác: %s\nĐịa chỉ: %s\n"
				    "Đại diện: %s    Chức vụ: %s",
				    or_dots(org ? jstr(p, "name") : jstr(p, "agency")),
				    or_dots(jstr(p, "address")), or_dots(jstr(p, "representative")),
				    or_dots(jstr(p, "position")));
	g_string_append(m, e);
	g_free(e);
	if (letter && *letter) {
		e = g_markup_printf_escaped("\nGiấy giới thiệu: %s", letter);
		g_string_append(m, e);
		g_free(e);
	}
	if (id && *id) {
		e = g_markup_printf_escaped("\nSố CMND/Hộ chiếu: %s, ngày cấp: %s, nơi cấp: %s", id,
					    or_dots(issued), or_dots(jstr(p, "id_issued_by")));
		g_string_append(m, e);
		g_free(e);
	}
	free(issued);
	return g_string_free(m, FALSE);
}

/* Who signs for a party: its representative, else a person themself; an
 * organization without one is signed for by hand. */
static const char *signer(json_object *p)
{
	const char *r = jstr(p, "representative");
	if (r && *r)
		return r;
	return is_org(p) ? NULL : jstr(p, "name");
}

/* "Hôm nay, vào hồi … giờ … ngày … tháng … năm …, tại … chúng tôi gồm:", with
 * what the handover says of when and where (the place of the
 * configuration's when it says none; blanks to fill by hand otherwise). */
static void opening(struct fdoc *d, json_object *h, json_object *agency)
{
	struct forms_date when;
	bool dated = forms_parse_date(jstr(h, "held_at"), &when) == 0;
	const char *place = jstr(h, "place");
	char *day = dated ? forms_date_line(NULL, &when) : NULL;

	if (!place || !*place)
		place = jstr(agency, "place");
	place = or_dots(place);
	if (dated && when.has_time)
		fdoc_paraf(d, FA_JUSTIFY, "Hôm nay, vào hồi %02d giờ %02d %s, tại %s chúng tôi gồm:",
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
	c[4] = g_strdup(forms_reason_words(FORMS_REASON_HANDOVER, jstr(row, "reason")));
	/* note (2): "(Từ ngày…/…/… đến ngày…/…/…)" */
	if (from || to)
		c[5] = g_strdup_printf("Từ ngày %s\nđến ngày %s", from ? from : "…", to ? to : "…");
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

/* "Bên giao đã giao cho Bên nhận: 03 (bằng chữ: ba) bộ", and the table of
 * ROWS, the signatures kept on the page of its last row. */
static int rows_table(struct fdoc *d, json_object *rows, double keep)
{
	size_t n = json_object_array_length(rows);
	char *words = forms_count_words((unsigned)n), **cells;

	if (!words)
		return -ENOMEM;
	fdoc_paraf(d, FA_LEFT, "Bên giao đã giao cho Bên nhận: %02zu (bằng chữ: %s) bộ, cụ thể như sau:",
		   n, words);
	free(words);
	if (!(cells = calloc(n * NCOLS + 1, sizeof *cells)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		row_cells(json_object_array_get_idx(rows, i), i, cells + i * NCOLS);
	d->table_pt = TABLE_PT;
	d->keep = keep;
	fdoc_table(d, NCOLS, columns, (int)n, cells);
	d->keep = 0;
	d->table_pt = 0;
	for (size_t i = 0; i < n * NCOLS; i++)
		g_free(cells[i]);
	free(cells);
	return 0;
}

#define CLOSING "Biên bản giao nhận được làm thành 02 bản, Bên giao giữ 01 bản, Bên nhận giữ 01 bản."
/* the form's notes, to the columns (1) and (2) */
#define NOTES "<b><i>Ghi chú:</i></b> <i>(1) Ghi rõ lý do giao nhận (Cấp mới, Thu hồi, ...).\n" \
	"(2) Ghi rõ thời điểm có hiệu lực của chứng thư số " \
	"(Từ ngày...../...../..... đến ngày...../...../.....)</i>"
#define NOTES_PT 10.5

static int one_copy(struct fdoc *d, json_object *h, json_object *agency, const char *mark)
{
	json_object *giver = jobj(h, "giver"), *receiver = jobj(h, "receiver");
	char *parties[2];
	int r;

	fdoc_begin_copy(d, mark);
	/* minutes say when they are held in their first sentence, not under
	 * the motto (Nghị định 30/2020, Phụ lục III: biên bản) */
	fdoc_header(d, jstr(agency, "managing_agency"), jstr(agency, "agency"),
		    jstr(agency, "number"), NULL);

	fdoc_title(d, "BIÊN BẢN GIAO NHẬN THIẾT BỊ LƯU KHÓA BÍ MẬT", 14);
	if (jstr(h, "state") && !strcmp(jstr(h, "state"), "draft"))
		fdoc_para(d, "<i>(Bản dự thảo, chưa hoàn tất)</i>", FA_CENTER, 0);
	opening(d, h, agency);

	/* the two parties side by side: the landscape page has the room,
	 * shared so that they take as few lines as they can */
	parties[0] = party(giver, "I. Bên giao:");
	parties[1] = party(receiver, "II. Bên nhận:");
	fdoc_columns(d, 2, NULL, parties);
	g_free(parties[0]);
	g_free(parties[1]);

	fdoc_para(d, "Hai bên thống nhất việc giao nhận thiết bị lưu khóa bí mật như sau:", FA_LEFT, 0);
	/* the closing sentence, the signatures and the notes on the page of
	 * the last row: a row that leaves them no room goes on to the next
	 * page, under the table's titles */
	if ((r = rows_table(d, jarr(h, "rows"), FDOC_TABLE_AFTER + fdoc_para_height(d, CLOSING, 0) +
			    fdoc_signatures_height(d) + FDOC_SIGN_AFTER +
			    fdoc_para_height(d, NOTES, NOTES_PT))) < 0)
		return r;
	fdoc_para(d, CLOSING, FA_LEFT, 0);
	fdoc_signatures(d, 2, (const struct fsign[]){
		{ "ĐẠI DIỆN BÊN GIAO", "(Ký tên, đóng dấu)", signer(giver), NULL },
		{ "ĐẠI DIỆN BÊN NHẬN", "(Ký tên, đóng dấu)", signer(receiver), NULL },
	});
	fdoc_para(d, NOTES, FA_LEFT, NOTES_PT);
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
	/* a row per token, and the signatures on the page of the last: the
	 * least room FORMS.md allows to sign in, short gaps */
	d.sign_room = 25 * FORMS_MM;
	d.gap = 1.5;
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
