/* Mẫu 03, 04, 06 as CSV (RFC 4180: CRLF line ends, a field with a comma,
 * a quote or a line break in quotes, quotes doubled; UTF-8 with its byte
 * order mark, without which Excel reads the file in the Windows code page
 * and garbles every Vietnamese letter: issue 17): the titles of the form's
 * columns, then a row per request, the columns of the PDF. */
#include "forms.h"
#include "requests.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void record(FILE *out, int n, const char *const *fields)
{
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		field(out, fields[i] ? fields[i] : "");
	}
	fputs("\r\n", out);
}

int forms_request_list_csv(const char *list, json_object *requests, FILE *out)
{
	const struct list_form *f = list_form_of(list);
	const char **titles;
	char **cells;
	size_t n;
	int r;

	if (!f)
		return -EINVAL;
	if ((r = list_cells(f, requests, NULL, "", &cells, &n)) < 0)
		return r;
	if (!(titles = calloc((size_t)f->ncols, sizeof *titles))) {
		list_cells_free(f, cells, n);
		return -ENOMEM;
	}
	for (int c = 0; c < f->ncols; c++)
		titles[c] = f->cols[c].title;
	fputs("\xEF\xBB\xBF", out);
	record(out, f->ncols, titles);
	for (size_t i = 0; i < n; i++)
		record(out, f->ncols, (const char *const *)cells + i * (size_t)f->ncols);
	free(titles);
	list_cells_free(f, cells, n);
	return ferror(out) ? -EIO : 0;
}
