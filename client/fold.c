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

#define LIBUNISTRING "libunistring.so.2"

/* What is taken from the library: u8_casefold, typed by the header's own
 * prototype, and its NFC form (UNINORM_NFC is the address of its data). */
static struct {
	bool tried;
	__typeof__(u8_casefold) *casefold;
	uninorm_t nfc;
} lib;

static bool
load(void)
{
	if (lib.tried)
		return lib.casefold != NULL;
	lib.tried = true;
	void *h = dlopen(LIBUNISTRING, RTLD_NOW | RTLD_LOCAL);
	void *fn = h ? dlsym(h, "u8_casefold") : NULL;
	lib.nfc = h ? dlsym(h, "uninorm_nfc") : NULL;
	if (!fn || !lib.nfc) {
		/* TRANSLATORS: %s is the library's file name, libunistring.so.2. */
		fprintf(stderr, _("khoa: %s cannot be loaded: names are compared as typed, "
				  "capitals and all\n"), LIBUNISTRING);
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
	f = lib.casefold((const uint8_t *)text, strlen(text), NULL, lib.nfc, NULL, &len);
	if (!f || !(s = realloc(f, len + 1))) {
		free(f);
		die_oom();
	}
	s[len] = '\0';
	return s;
}
