/* The registers a clerk prints and files beside the Mẫu forms: a token's
 * history, its chain of custody, and the seal register of the organization
 * token (R-CUSTODY, Điều 13.2). They are not forms of the regulation, so
 * they take the administrative layout of every paper (FORMS.md: the
 * national header, the title, a ruled table, the signatures): one model
 * per register, rendered as PDF and as text. */
#include "forms.h"
#include "common.h"
#include "date.h"
#include "page.h"
#include "reasons.h"
#include "text.h"
#include "words.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REGISTER_LINES 6
#define REGISTER_TABLE_PT 11.0
#define SERIAL_PT 9.5	/* a serial on one line in a narrow column */

/* A register as the PDF and the text lay it out. */
struct reg {
	const char *title;
	char *lines[REGISTER_LINES];	/* under the title, malloc'ed */
	int nlines;
	bool centered;			/* the lines under the title, as a subtitle */
	bool landscape;
	int ncols;
	const struct fcolumn *cols;
	char **cells;			/* nrows * ncols, malloc'ed (NULL: empty) */
	size_t nrows;
	const char *none;		/* said under the titles of an empty table */
	const char *maker;		/* the left signature: who keeps the register */
	int err;
};

static void reg_free(struct reg *g)
{
	for (int i = 0; i < g->nlines; i++)
		free(g->lines[i]);
	for (size_t i = 0; g->cells && i < g->nrows * (size_t)g->ncols; i++)
		free(g->cells[i]);
	free(g->cells);
}

/* A line under the title, printf-style; an allocation that fails is kept
 * in G->err. */
static void line(struct reg *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(struct reg *g, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (g->nlines >= REGISTER_LINES)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		s = NULL;
		g->err = -ENOMEM;
	}
	va_end(ap);
	if (s)
		g->lines[g->nlines++] = s;
}

static int rows_alloc(struct reg *g, size_t n)
{
	g->nrows = n;
	if (!(g->cells = calloc(n * (size_t)g->ncols + 1, sizeof *g->cells)))
		g->err = -ENOMEM;
	return g->err;
}

/* Cell C of row R: VALUE (copied; NULL or "" stays empty). */
static void cell(struct reg *g, size_t r, int c, const char *value)
{
	if (!value || !*value)
		return;
	if (!(g->cells[r * (size_t)g->ncols + c] = strdup(value)))
		g->err = -ENOMEM;
}

static void cell_take(struct reg *g, size_t r, int c, char *value)
{
	g->cells[r * (size_t)g->ncols + c] = value;
}

/* An ISO 8601 time of the protocol (UTC) as people read it, in local time:
 * "05/12/2026 09:30" (the day alone unless WITH_TIME); a calendar date as
 * "05/12/2026"; anything else as given; NULL for none. Malloc'ed. */
static char *when(struct reg *g, const char *iso, bool with_time)
{
	struct khoa_datetime t;
	struct tm tm;
	char buf[32], *s;

	if (!iso || !*iso)
		return NULL;
	if (khoa_date_parse(iso, KHOA_DATE_TIME | KHOA_DATE_TIME_UTC, &t) == 0) {
		time_t at = khoa_datetime_time(&t);
		if (localtime_r(&at, &tm))
			strftime(buf, sizeof buf, with_time ? "%d/%m/%Y %H:%M" : "%d/%m/%Y", &tm);
		else
			snprintf(buf, sizeof buf, "%s", iso);
	} else if (khoa_date_parse(iso, KHOA_DATE_ISO, &t) == 0) {
		snprintf(buf, sizeof buf, "%02d/%02d/%04d", t.day, t.month, t.year);
	} else {
		snprintf(buf, sizeof buf, "%s", iso);
	}
	if (!(s = strdup(buf)))
		g->err = -ENOMEM;
	return s;
}

static char *number(struct reg *g, size_t n)
{
	char *s;
	if (asprintf(&s, "%zu", n) < 0) {
		g->err = -ENOMEM;
		return NULL;
	}
	return s;
}

/* A token's state as a device (io.khoa.Incidents), in the regulation's words. */
static const char *device_state_vi(const char *state)
{
	static const struct { const char *k, *v; } map[] = {
		{ "lost", "đã báo mất" },
		{ "damaged", "đã báo hỏng" },
		{ "found", "đã báo mất, nay tìm thấy, chờ kỹ thuật viên xác nhận" },
		{ "returned", "đã nộp lại Sở Thông tin và Truyền thông" },
		{ "retired", "đã ngừng sử dụng" },
	};
	for (size_t i = 0; state && i < sizeof map / sizeof *map; i++)
		if (!strcmp(map[i].k, state))
			return map[i].v;
	return state ? state : "";
}

/* "Số hiệu thiết bị: 1A2B3C (nhãn: …)" */
static void token_line(struct reg *g, json_object *rec)
{
	const char *serial = jstr0(rec, "serial"), *label = jstr(rec, "label");
	if (label && *label)
		line(g, "Số hiệu thiết bị lưu khóa bí mật: %s (nhãn: %s)", serial, label);
	else
		line(g, "Số hiệu thiết bị lưu khóa bí mật: %s", serial);
}

/* ----- a token's history: its events, a sentence each ----- */

static const struct fcolumn history_cols[] = {
	{ "STT", 0.6, FA_CENTER, false, 0 },
	{ "Thời gian", 1.3, FA_CENTER, true, 0 },
	{ "Nội dung", 7.0, FA_LEFT, false, 0 },
};

static int history_of(json_object *rec, struct reg *g)
{
	json_object *events = jarr(rec, "events");
	size_t n = events ? json_object_array_length(events) : 0;
	const char *holder = jstr(rec, "holder"), *custodian = jstr(rec, "custodian");

	if (!events)
		return -EINVAL;
	*g = (struct reg){ .title = "LỊCH SỬ THIẾT BỊ LƯU KHÓA BÍ MẬT", .ncols = 3,
			   .cols = history_cols, .none = "Chưa có sự việc nào được ghi nhận.",
			   .maker = "NGƯỜI LẬP" };
	token_line(g, rec);
	if (holder && *holder)
		line(g, "Đăng ký cho: %s", holder);
	if (custodian && *custodian)
		line(g, "Đơn vị, cá nhân đang quản lý: %s", custodian);
	line(g, "Số sự việc được ghi nhận: %zu", n);
	if (rows_alloc(g, n) < 0)
		return g->err;
	for (size_t i = 0; i < n; i++) {
		json_object *ev = json_object_array_get_idx(events, i);
		cell_take(g, i, 0, number(g, i + 1));
		cell_take(g, i, 1, when(g, jstr(ev, "time"), true));
		/* the sentence khoa says it with (client/event.c), or its type */
		const char *said = jstr(ev, "sentence");
		cell(g, i, 2, said && *said ? said : jstr(ev, "type"));
	}
	return g->err;
}

/* ----- a token's chain of custody (io.khoa.Custody.Get) ----- */

static const struct fcolumn custody_cols[] = {
	{ "STT", 0.6, FA_CENTER, false, 0 },
	{ "Thời gian giao nhận", 1.4, FA_CENTER, true, 0 },
	{ "Bên giao", 2.4, FA_LEFT, false, 0 },
	{ "Bên nhận", 2.4, FA_LEFT, false, 0 },
	{ "Lý do", 1.4, FA_LEFT, false, 0 },
	{ "Biên bản giao nhận số", 1.0, FA_CENTER, false, 0 },
};

static int custody_of(json_object *rec, struct reg *g)
{
	json_object *chain = jarr(rec, "chain"), *out = jobj(rec, "seal_out");
	json_object *dev = jobj(rec, "device_state");
	size_t n = chain ? json_object_array_length(chain) : 0;
	const char *holder = jstr(rec, "holder");

	if (!chain)
		return -EINVAL;
	*g = (struct reg){ .title = "QUÁ TRÌNH GIAO NHẬN, QUẢN LÝ THIẾT BỊ LƯU KHÓA BÍ MẬT",
			   .ncols = 6, .cols = custody_cols,
			   .none = "Chưa có biên bản giao nhận nào đã hoàn tất ghi tên thiết bị này.",
			   .maker = "NGƯỜI LẬP" };
	token_line(g, rec);
	line(g, "Đơn vị, cá nhân đang quản lý: %s",
	     holder && *holder ? holder : "chưa có (chưa có biên bản giao nhận hoàn tất)");
	if (out) {
		char *since = when(g, jstr(out, "out_at"), true), *due = when(g, jstr(out, "due_at"), true);
		line(g, "Đang giao sử dụng theo sổ theo dõi: cho %s, để “%s”, từ %s, hạn trả %s",
		     jstr0(out, "person_name"), jstr0(out, "purpose"), since ? since : "…",
		     due ? due : "…");
		free(since);
		free(due);
	}
	if (dev) {
		const char *state = jstr(dev, "state");
		char *since = when(g, jstr(dev, "since"), true);
		bool found = state && !strcmp(state, "lost") && jstr(dev, "seen_at");
		line(g, "Tình trạng thiết bị: %s, từ %s", device_state_vi(found ? "found" : state),
		     since ? since : "…");
		free(since);
	}
	if (rows_alloc(g, n) < 0)
		return g->err;
	for (size_t i = 0; i < n; i++) {
		json_object *l = json_object_array_get_idx(chain, i);
		json_object *id;
		cell_take(g, i, 0, number(g, i + 1));
		cell_take(g, i, 1, when(g, jstr(l, "at"), true));
		cell(g, i, 2, jstr(l, "from"));
		cell(g, i, 3, jstr(l, "to"));
		cell(g, i, 4, forms_reason_words(FORMS_REASON_HANDOVER, jstr(l, "reason")));
		if (json_object_object_get_ex(l, "handover_id", &id) && id)
			cell_take(g, i, 5, number(g, (size_t)json_object_get_int64(id)));
	}
	return g->err;
}

/* ----- the seal register (io.khoa.Custody.SealLog) ----- */

static const struct fcolumn seal_cols[] = {
	{ "STT", 0.55, FA_CENTER, false, 0 },
	{ "Số hiệu thiết bị", 1.0, FA_LEFT, true, SERIAL_PT },
	{ "Ngày giờ nhận", 1.0, FA_CENTER, true, 0 },
	{ "Người nhận", 1.6, FA_LEFT, false, 0 },
	{ "Mục đích sử dụng", 2.4, FA_LEFT, false, 0 },
	{ "Hạn trả", 1.0, FA_CENTER, true, 0 },
	{ "Ngày giờ trả", 1.0, FA_CENTER, true, 0 },
	{ "Văn thư giao / nhận lại", 1.1, FA_LEFT, false, 0 },
	{ "Ghi chú", 1.8, FA_LEFT, false, 0 },
};

/* Ghi chú: late, not back, the note given when it came back. */
static char *seal_note(struct reg *g, json_object *e)
{
	const char *note = jstr(e, "in_note"), *in = jstr(e, "in_at");
	bool overdue = json_object_get_boolean(json_object_object_get(e, "overdue"));
	const char *state = in && *in ? (overdue ? "Trả muộn" : NULL)
				      : (overdue ? "Quá hạn, chưa trả" : "Chưa trả");
	char *s;

	if (!state && !(note && *note))
		return NULL;
	if (asprintf(&s, "%s%s%s", state ? state : "", state && note && *note ? "; " : "",
		     note ? note : "") < 0) {
		g->err = -ENOMEM;
		return NULL;
	}
	return s;
}

static int seal_register_of(json_object *rec, struct reg *g)
{
	json_object *entries = jarr(rec, "entries");
	size_t n = entries ? json_object_array_length(entries) : 0;

	if (!entries)
		return -EINVAL;
	*g = (struct reg){ .title = "SỔ THEO DÕI SỬ DỤNG CHỨNG THƯ SỐ CHUYÊN DÙNG CỦA TỔ CHỨC",
			   .centered = true, .landscape = true, .ncols = 9, .cols = seal_cols,
			   .none = "Không có lượt giao, nhận nào trong thời gian này.",
			   .maker = "VĂN THƯ" };
	/* Điều 13.2: kept like the agency's seal */
	line(g, "(Quản lý, sử dụng như đối với con dấu của cơ quan theo khoản 2 Điều 13 Quy chế)");
	{
		char *from = when(g, jstr(rec, "from"), false), *to = when(g, jstr(rec, "to"), false);
		if (from && to)
			line(g, "Từ ngày %s đến ngày %s", from, to);
		else if (from)
			line(g, "Từ ngày %s", from);
		else if (to)
			line(g, "Đến ngày %s", to);
		free(from);
		free(to);
	}
	if (rows_alloc(g, n) < 0)
		return g->err;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(entries, i);
		const char *out_by = jstr(e, "out_by"), *in_by = jstr(e, "in_by");
		char *by = NULL;
		cell_take(g, i, 0, number(g, i + 1));
		cell(g, i, 1, jstr(e, "token_serial"));
		cell_take(g, i, 2, when(g, jstr(e, "out_at"), true));
		cell(g, i, 3, jstr(e, "person_name"));
		cell(g, i, 4, jstr(e, "purpose"));
		cell_take(g, i, 5, when(g, jstr(e, "due_at"), true));
		cell_take(g, i, 6, when(g, jstr(e, "in_at"), true));
		if (asprintf(&by, "%s%s%s", out_by ? out_by : "", in_by && *in_by ? " / " : "",
			     in_by ? in_by : "") < 0) {
			by = NULL;
			g->err = -ENOMEM;
		}
		cell_take(g, i, 7, by);
		cell_take(g, i, 8, seal_note(g, e));
	}
	return g->err;
}

/* ----- the paper and the text ----- */

static int fail(char **error, const char *what, int r)
{
	if (error)
		*error = strdup(what);
	return r;
}

static int reg_pdf(const struct reg *g, json_object *agency, const char *path, char **error)
{
	struct forms_date today;
	const char *number = jstr(agency, "number");
	char *date_line, *m;
	struct fdoc d;
	int r;

	if ((r = forms_today(&today)) < 0)
		return fail(error, "no date for the register", r);
	if (!(date_line = forms_date_line(jstr(agency, "place"), &today)))
		return fail(error, "out of memory", -ENOMEM);
	if ((r = fdoc_open(&d, path, g->landscape, error)) < 0) {
		free(date_line);
		return r;
	}
	d.table_pt = REGISTER_TABLE_PT;
	fdoc_begin_copy(&d, NULL);
	/* a register has no number of its own unless the clerk gives one */
	if (number && *number)
		fdoc_header(&d, jstr(agency, "managing_agency"), jstr(agency, "agency"), number,
			    date_line);
	else
		fdoc_header_unnumbered(&d, jstr(agency, "managing_agency"), jstr(agency, "agency"),
				       date_line);
	m = g_markup_printf_escaped("<b>%s</b>", g->title);
	fdoc_para(&d, m, FA_CENTER, 14);
	g_free(m);
	fdoc_space(&d, 4);
	for (int i = 0; i < g->nlines; i++) {
		m = g_markup_printf_escaped(g->centered ? "<i>%s</i>" : "%s", g->lines[i]);
		fdoc_para(&d, m, g->centered ? FA_CENTER : FA_LEFT, 0);
		g_free(m);
	}
	fdoc_space(&d, 4);
	d.keep = fdoc_signatures_height(&d);
	fdoc_table(&d, g->ncols, g->cols, (int)g->nrows, g->cells);
	d.keep = 0;
	if (g->nrows == 0)
		fdoc_paraf(&d, FA_CENTER, "%s", g->none);
	fdoc_signatures(&d, 2, (const struct fsign[]){
		{ g->maker, "(Ký, ghi rõ họ tên)", NULL, NULL },
		{ "THỦ TRƯỞNG ĐƠN VỊ", "(Ký tên và đóng dấu)", jstr(agency, "signer"), NULL },
	});
	free(date_line);
	return fdoc_close(&d, error);
}

/* A row of cells separated by " | ". */
static void text_row(FILE *out, int n, const char *const *cells)
{
	for (int c = 0; c < n; c++)
		fprintf(out, "%s%s", c ? " | " : "", cells[c] ? cells[c] : "");
	fputc('\n', out);
}

static int reg_text(const struct reg *g, json_object *agency, FILE *out)
{
	struct forms_date today;
	const char *number = jstr(agency, "number");
	const char *titles[16];

	if (forms_today(&today) < 0)
		return -EINVAL;
	text_header(agency, NULL, &today, number && *number, out);
	fprintf(out, "%s\n", g->title);
	for (int i = 0; i < g->nlines; i++)
		fprintf(out, "%s\n", g->lines[i]);
	fputc('\n', out);
	for (int c = 0; c < g->ncols && c < 16; c++)
		titles[c] = g->cols[c].title;
	text_row(out, g->ncols, titles);
	for (size_t i = 0; i < g->nrows; i++)
		text_row(out, g->ncols, (const char *const *)g->cells + i * (size_t)g->ncols);
	if (g->nrows == 0)
		fprintf(out, "%s\n", g->none);
	fprintf(out, "\n%s | THỦ TRƯỞNG ĐƠN VỊ%s%s\n", g->maker, jstr(agency, "signer") ? ": " : "",
		jstr0(agency, "signer"));
	return ferror(out) ? -EIO : 0;
}

/* REC as register OF builds it, then as a PDF or as text. */
static int as_pdf(int (*of)(json_object *, struct reg *), json_object *rec, json_object *agency,
		  const char *path, char **error)
{
	struct reg g = { 0 };
	int r = of(rec, &g);
	if (r == 0)
		r = reg_pdf(&g, agency, path, error);
	else
		fail(error, r == -ENOMEM ? "out of memory" : "not the record of this register", r);
	reg_free(&g);
	return r;
}

static int as_text(int (*of)(json_object *, struct reg *), json_object *rec, json_object *agency,
		   FILE *out)
{
	struct reg g = { 0 };
	int r = of(rec, &g);
	if (r == 0)
		r = reg_text(&g, agency, out);
	reg_free(&g);
	return r;
}

int forms_history_pdf(json_object *history, json_object *agency, const char *path, char **error)
{
	return as_pdf(history_of, history, agency, path, error);
}

int forms_history_text(json_object *history, json_object *agency, FILE *out)
{
	return as_text(history_of, history, agency, out);
}

int forms_custody_pdf(json_object *custody, json_object *agency, const char *path, char **error)
{
	return as_pdf(custody_of, custody, agency, path, error);
}

int forms_custody_text(json_object *custody, json_object *agency, FILE *out)
{
	return as_text(custody_of, custody, agency, out);
}

int forms_seal_register_pdf(json_object *seal_register, json_object *agency, const char *path,
			    char **error)
{
	return as_pdf(seal_register_of, seal_register, agency, path, error);
}

int forms_seal_register_text(json_object *seal_register, json_object *agency, FILE *out)
{
	return as_text(seal_register_of, seal_register, agency, out);
}
