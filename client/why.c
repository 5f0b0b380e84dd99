/* Why khoad refused, in the user's language (why.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "i18n.h"
#include "reasons.h"
#include "table.h"
#include "why.h"
#include "words.h"

/* ARG of KIND as people read it, into BUF (BUF may go unused). */
static const char *
shown(char kind, const char *arg, char *buf, size_t size)
{
	switch (kind) {
	case KHOA_ARG_DATE:
		return format_day(arg, buf, size);
	case KHOA_ARG_CODE:
		return code_text(arg);
	case KHOA_ARG_CODES: {
		/* "rename,split" → "renaming, split" in words */
		size_t n = 0;
		char *list = strdup(arg);
		if (!list)
			die_oom();
		buf[0] = '\0';
		for (char *save = NULL, *c = strtok_r(list, ",", &save); c && n < size;
		     c = strtok_r(NULL, ",", &save)) {
			int w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", code_text(c));
			n += w > 0 ? (size_t)w : 0;
		}
		free(list);
		return buf;
	}
	default:
		return arg;
	}
}

char *
why_text(const char *code, json_object *args)
{
	const struct khoa_reason *r = khoa_reason_find(code);
	if (!r)
		return NULL;
	size_t n = strlen(r->args);
	char bufs[KHOA_REASON_ARGS_MAX][512];
	const char *shown_args[KHOA_REASON_ARGS_MAX];
	for (size_t i = 0; i < n; i++) {
		json_object *a = args ? json_object_array_get_idx(args, i) : NULL;
		const char *s = a ? json_object_get_string(a) : "";
		shown_args[i] = shown(r->args[i], s ? s : "", bufs[i], sizeof(bufs[i]));
	}
	const char *text = _(r->text);
	if (r->plural) {
		const char *count = r->count <= n ? shown_args[r->count - 1] : "";
		text = ngettext(r->text, r->plural, strtoul(count, NULL, 10));
	}
	char *out = khoa_reason_expand(text, shown_args, n);
	if (!out)
		die_oom();
	return out;
}
