/* Placeholders from SQLite's words to PostgreSQL's: translate.h. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translate.h"

/* Where the text at P stops being a literal, a quoted name or a comment
 * that begins there; P itself when none begins there. */
static const char *
skip_quoted(const char *p)
{
	if (*p == '\'' || *p == '"') {
		char q = *p++;
		for (; *p; p++)
			if (*p == q) {
				if (p[1] != q)	/* '' and "" are the quote itself */
					return p + 1;
				p++;
			}
		return p;
	}
	if (p[0] == '-' && p[1] == '-') {
		const char *nl = strchr(p, '\n');
		return nl ? nl + 1 : p + strlen(p);
	}
	if (p[0] == '/' && p[1] == '*') {
		const char *end = strstr(p + 2, "*/");
		return end ? end + 2 : p + strlen(p);
	}
	return p;
}

/* Walks SQL once: with OUT NULL, marks the numbers used in USED; with OUT,
 * writes the text with MAP's numbers. 0 or -EINVAL. */
static int
walk(const char *sql, bool used[PG_MAX_PARAMS + 1], const int *map, FILE *out)
{
	int last = 0;

	for (const char *p = sql; *p;) {
		const char *q = skip_quoted(p);
		if (q != p) {
			if (out)
				fwrite(p, 1, (size_t)(q - p), out);
			p = q;
			continue;
		}
		if (*p == '$')
			return -EINVAL;
		if (*p != '?') {
			if (out)
				fputc(*p, out);
			p++;
			continue;
		}
		int num = 0;
		for (p++; isdigit((unsigned char)*p); p++)
			if ((num = num * 10 + (*p - '0')) > PG_MAX_PARAMS)
				return -EINVAL;
		if (num == 0)	/* a bare "?": one more than the largest so far */
			num = last + 1;
		if (num > PG_MAX_PARAMS)
			return -EINVAL;
		if (num > last)
			last = num;
		if (out)
			fprintf(out, "$%d", map[num]);
		else
			used[num] = true;
	}
	return 0;
}

int
pg_translate(const char *sql, char **out, int map[PG_MAX_PARAMS + 1], int *n)
{
	bool used[PG_MAX_PARAMS + 1] = { false };
	char *text = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	*n = 0;
	if ((r = walk(sql, used, NULL, NULL)) < 0)
		return r;
	for (int i = 0; i <= PG_MAX_PARAMS; i++)
		map[i] = used[i] ? ++*n : 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return -ENOMEM;
	r = walk(sql, used, map, f);
	if (fclose(f) != 0 && r == 0)
		r = -ENOMEM;
	if (r < 0) {
		free(text);
		return r;
	}
	*out = text;
	return 0;
}
