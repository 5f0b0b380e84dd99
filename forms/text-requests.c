/* Plain-text renderings of the forms of certificate requests (Mẫu 01–07),
 * for a terminal: the models of lifecycle.c, lists.c and report.c, which
 * the PDFs lay out, as lines. */
#include "forms.h"
#include "common.h"
#include "requests.h"
#include "text.h"
#include "words.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int done(FILE *out)
{
	return ferror(out) ? -EIO : 0;
}

int forms_lifecycle_request_text(json_object *req, json_object *agency, FILE *out)
{
	struct forms_date filed;
	struct letter l;
	int r;

	if ((r = letter_of(req, &l, NULL)) < 0)
		return r;
	if (l.personal)
		fprintf(out, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n");
	else
		text_header(agency, NULL, forms_parse_date(l.date, &filed) == 0 ? &filed : NULL,
			    true, out);
	fprintf(out, "%s\n%s\n\n", l.kind_title, l.to);
	for (int i = 0; i < l.nlines; i++) {
		const struct letter_line *ln = &l.lines[i];
		if (ln->heading) {
			fprintf(out, "%s\n", ln->heading);
			continue;
		}
		for (int j = 0; j < ln->n; j++) {
			const char *v = ln->f[j].value ? ln->f[j].value : "…";
			/* the word struck on paper left out: "Nữ" of "Nam Nữ" */
			const char *at = ln->f[j].struck ? strstr(v, ln->f[j].struck) : NULL;
			if (at) {
				const char *rest = at + strlen(ln->f[j].struck);
				fprintf(out, "%s%s %.*s%s", j ? "   " : "", ln->f[j].label,
					(int)(at - v), v, rest + strspn(rest, " "));
			} else {
				fprintf(out, "%s%s %s", j ? "   " : "", ln->f[j].label, v);
			}
		}
		fputc('\n', out);
	}
	if (l.personal && forms_parse_date(l.date, &filed) == 0) {
		char *line = forms_date_line(jstr(agency, "place"), &filed);
		if (line)
			fprintf(out, "\n%s", line);
		free(line);
	}
	if (l.attachments)
		fprintf(out, "%s\n", l.attachments);
	fprintf(out, "\n%s: %s\n", l.right_role, l.signer ? l.signer : "…");
	letter_free(&l);
	return done(out);
}

/* A row of cells separated by " | ". */
static void row(FILE *out, int n, const char *const *cells)
{
	for (int c = 0; c < n; c++)
		fprintf(out, "%s%s", c ? " | " : "", cells[c] ? cells[c] : "");
	fputc('\n', out);
}

int forms_request_list_text(const char *list, json_object *requests, json_object *agency,
			    FILE *out)
{
	const struct list_form *f = list_form_of(list);
	char **cells, *cover = NULL, *count = NULL;
	const char **titles = NULL;
	struct forms_date day;
	bool dated;
	size_t n;
	int r;

	if (!f)
		return -EINVAL;
	if ((r = list_cells(f, requests, agency, "…", &cells, &n)) < 0)
		return r;
	dated = list_date(agency, &day) == 0;
	cover = list_cover_line(agency, dated ? &day : NULL);
	count = forms_count((unsigned)n, "chứng thư");
	titles = calloc((size_t)f->ncols, sizeof *titles);
	if (!cover || !count || !titles) {
		r = -ENOMEM;
		goto out;
	}
	text_header(agency, NULL, dated ? &day : NULL, false, out);
	fprintf(out, "%s\n%s\nKính gửi: Sở Thông tin và Truyền thông\n\n", f->title, cover);
	if (f->purpose)
		fprintf(out, "Mục đích sử dụng: …\n");
	fprintf(out, "%s %s\n%s\n", f->count_label, count, f->rows_label);
	for (int c = 0; c < f->ncols; c++)
		titles[c] = f->cols[c].title;
	row(out, f->ncols, titles);
	for (size_t i = 0; i < n; i++)
		row(out, f->ncols, (const char *const *)cells + i * (size_t)f->ncols);
	r = done(out);
out:
	free(titles);
	free(cover);
	free(count);
	list_cells_free(f, cells, n);
	return r;
}

int forms_annual_report_text(json_object *report, json_object *agency, FILE *out)
{
	char **cells, *subject = NULL, *intro = NULL, *upper_org = NULL;
	const char *org = jstr(report, "organization_name");
	const char *titles[REPORT_COLS];
	struct forms_date when;
	bool dated;
	size_t n;
	int r;

	if ((r = report_cells(report, &cells, &n)) < 0)
		return r;
	subject = report_subject(report);
	intro = report_intro(report, agency);
	if (org && *org && !(upper_org = forms_upper_vi(org))) {
		r = -EINVAL;
		goto out;
	}
	if (!subject || !intro) {
		r = -ENOMEM;
		goto out;
	}
	dated = forms_parse_date(jstr(report, "as_of"), &when) == 0;
	text_header(agency, upper_org, dated ? &when : NULL, true, out);
	fprintf(out, "BÁO CÁO\n%s\n\n%s\n", subject, intro);
	for (int c = 0; c < REPORT_COLS; c++)
		titles[c] = report_columns[c].title;
	row(out, REPORT_COLS, titles);
	for (size_t i = 0; i < n; i++)
		row(out, REPORT_COLS, (const char *const *)cells + i * REPORT_COLS);
	fprintf(out, "Kiến nghị đề xuất (nếu có)\n\nTHỦ TRƯỞNG ĐƠN VỊ: %s\n",
		jstr(agency, "signer") && *jstr(agency, "signer") ? jstr(agency, "signer") : "…");
	r = done(out);
out:
	free(subject);
	free(intro);
	free(upper_org);
	report_cells_free(cells, n);
	return r;
}
