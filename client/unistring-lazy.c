/* libunistring loaded the first time an answer is checked
 * (unistring-lazy.h). */
#include "unistring-lazy.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "i18n.h"

/* The stand-ins validate.c names: UNINORM_NFC is the address of this one
 * (its type, opaque in the header, completed here: any tag will do, only
 * its address is compared), UC_SPACE_SEPARATOR this category by its mask. */
struct unicode_normalization_form {
	char tag;
};
const struct unicode_normalization_form khoa_lazy_uninorm_nfc = { 0 };
const uc_general_category_t khoa_lazy_UC_CATEGORY_Zs = {
	UC_CATEGORY_MASK_Zs, 1, { .lookup_fn = NULL }
};

/* The real ones, typed by the headers' own prototypes (the names are the
 * renamed ones here, their types the library's). */
static struct {
	bool tried, loaded;
	__typeof__(u8_check) *check;
	__typeof__(u8_mbsnlen) *mbsnlen;
	__typeof__(u8_mbtouc_aux) *mbtouc_aux;
	__typeof__(u8_normalize) *normalize;
	__typeof__(u8_tolower) *tolower;
	__typeof__(uc_is_general_category_withtable) *withtable;
	uninorm_t nfc;
} lib;

/* SYMBOL of H into *FN; false when it is not there. */
static bool
take(void *h, const char *symbol, void *fn)
{
	void *p = dlsym(h, symbol);
	/* a function pointer as dlsym gives it (POSIX) */
	memcpy(fn, &p, sizeof(p));
	return p != NULL;
}

void *
unistring_lazy_library(void)
{
	static bool tried;
	static void *h;
	if (!tried) {
		tried = true;
		h = dlopen(UNISTRING_LAZY_FILE, RTLD_NOW | RTLD_LOCAL);
	}
	return h;
}

bool
unistring_lazy_load(void)
{
	if (lib.tried)
		return lib.loaded;
	lib.tried = true;
	void *h = unistring_lazy_library();
	lib.nfc = h ? dlsym(h, "uninorm_nfc") : NULL;
	lib.loaded = h && lib.nfc && take(h, "u8_check", &lib.check) &&
		     take(h, "u8_mbsnlen", &lib.mbsnlen) &&
		     take(h, "u8_mbtouc_aux", &lib.mbtouc_aux) &&
		     take(h, "u8_normalize", &lib.normalize) && take(h, "u8_tolower", &lib.tolower) &&
		     take(h, "uc_is_general_category_withtable", &lib.withtable);
	if (!lib.loaded)
		/* TRANSLATORS: %s is the library's file name, libunistring.so.2. */
		fprintf(stderr, _("khoa: %s cannot be loaded: khoad checks the answers when "
				  "the request is filed\n"), UNISTRING_LAZY_FILE);
	return lib.loaded;
}

/* Every function below is called by validate.c only after
 * unistring_lazy_load() said yes; a call before is a bug of khoa's. */
static void
loaded(void)
{
	if (!lib.loaded)
		abort();
}

/* The library's own normalization form for NF (the stand-in, or NULL). */
static uninorm_t
real_form(uninorm_t nf)
{
	return nf == &khoa_lazy_uninorm_nfc ? lib.nfc : nf;
}

const uint8_t *
u8_check(const uint8_t *s, size_t n)
{
	loaded();
	return lib.check(s, n);
}

size_t
u8_mbsnlen(const uint8_t *s, size_t n)
{
	loaded();
	return lib.mbsnlen(s, n);
}

int
u8_mbtouc_aux(ucs4_t *puc, const uint8_t *s, size_t n)
{
	loaded();
	return lib.mbtouc_aux(puc, s, n);
}

uint8_t *
u8_normalize(uninorm_t nf, const uint8_t *s, size_t n, uint8_t *resultbuf, size_t *lengthp)
{
	loaded();
	return lib.normalize(real_form(nf), s, n, resultbuf, lengthp);
}

uint8_t *
u8_tolower(const uint8_t *s, size_t n, const char *iso639_language, uninorm_t nf,
	   uint8_t *resultbuf, size_t *lengthp)
{
	loaded();
	return lib.tolower(s, n, iso639_language, real_form(nf), resultbuf, lengthp);
}

bool
uc_is_general_category_withtable(ucs4_t uc, uint32_t bitmask)
{
	loaded();
	return lib.withtable(uc, bitmask);
}

/* A category of the predefined ones, by its mask (the stand-in's). */
bool
uc_is_general_category(ucs4_t uc, uc_general_category_t category)
{
	loaded();
	return lib.withtable(uc, category.bitmask);
}
