/* Case folding with libunistring loaded at run time (fold.h). */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>

#include "client.h"
#include "fold.h"
#include "i18n.h"
#include "table.h"	/* die_oom */
#include "unistring-lazy.h"

/* What is taken from the library: u8_casefold, typed by the header's own
 * prototype, and its NFD form (UNINORM_NFD is the address of its data):
 * decomposed, the marks come apart from their letters. */
static struct {
	bool tried;
	__typeof__(u8_casefold) *casefold;
	uninorm_t nfd;
} lib;

static bool
load(void)
{
	if (lib.tried)
		return lib.casefold != NULL;
	lib.tried = true;
	void *h = unistring_lazy_library();
	void *fn = h ? dlsym(h, "u8_casefold") : NULL;
	lib.nfd = h ? dlsym(h, "uninorm_nfd") : NULL;
	if (!fn || !lib.nfd) {
		/* TRANSLATORS: %s is the library's file name, libunistring.so.2. */
		fprintf(stderr, _("khoa: %s cannot be loaded: names are compared as typed, "
				  "capitals and all\n"), UNISTRING_LAZY_FILE);
		return false;
	}
	*(void **)&lib.casefold = fn;	/* a function pointer as dlsym gives it (POSIX) */
	return true;
}

char *
fold_text(const char *text)
{
	size_t len = 0;
	uint8_t *f = NULL;
	char *s;

	if (!load()) {
		if (!(s = strdup(text)))
			die_oom();
		return s;
	}
	f = lib.casefold((const uint8_t *)text, strlen(text), NULL, lib.nfd, NULL, &len);
	if (!f || !(s = realloc(f, len + 1))) {
		free(f);
		die_oom();
	}
	/* Without the marks: the combining diacritics U+0300–U+036F (UTF-8 CC 80
	 * to CD AF) dropped, đ (C4 91, what Đ folds to) read as d, so that
	 * "nguyen thi huong" finds Nguyễn Thị Hường (issue 17). */
	size_t w = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i], next = i + 1 < len ? (unsigned char)s[i + 1] : 0;
		if ((c == 0xCC && next >= 0x80 && next <= 0xBF) ||
		    (c == 0xCD && next >= 0x80 && next <= 0xAF)) {
			i++;
			continue;
		}
		if (c == 0xC4 && next == 0x91) {
			s[w++] = 'd';
			i++;
			continue;
		}
		s[w++] = s[i];
	}
	s[w] = '\0';
	return s;
}

bool
fold_names(const char *typed, const char *msgid)
{
	char *want = fold_text(typed), *a = fold_text(_(msgid)), *b = fold_text(msgid);
	bool same = strcmp(a, want) == 0 || strcmp(b, want) == 0;
	free(want);
	free(a);
	free(b);
	return same;
}

/* Whether folded WANT begins folded NAME up to a word's end. */
static bool
begins(const char *want, const char *name)
{
	size_t n = strlen(want);
	return n && strncmp(name, want, n) == 0 && (name[n] == '\0' || name[n] == ' ');
}

bool
fold_begins(const char *typed, const char *msgid)
{
	char *want = fold_text(typed), *a = fold_text(_(msgid)), *b = fold_text(msgid);
	bool same = begins(want, a) || begins(want, b);
	free(want);
	free(a);
	free(b);
	return same;
}
