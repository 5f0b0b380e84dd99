/*
 * libunistring for khoad's rules of what people type (daemon/registry/
 * validate.c), which khoa checks the answers to its prompts with
 * (cmd-pin-request.c). khoa does not link the library, so that no command
 * pays for it at start (tests/install/links.sh): it is loaded the first time
 * an answer is checked, as fold.c loads it to compare names.
 *
 * This header is forced in before validate.c's own (-include, see
 * meson.build): it renames the entry points of the library that validate.c
 * uses, so that the library's headers declare them under the new names with
 * their own prototypes, and unistring-lazy.c defines them: each loads the
 * library (once) and calls the real one. The data validate.c names
 * (UNINORM_NFC, UC_SPACE_SEPARATOR) become stand-ins of unistring-lazy.c
 * that the functions translate. A new libunistring call in validate.c that
 * khoa links shows at once: tests/install/links.sh fails on libunistring.
 */
#pragma once

#define u8_check khoa_lazy_u8_check
#define u8_mbsnlen khoa_lazy_u8_mbsnlen
#define u8_mbtouc_aux khoa_lazy_u8_mbtouc_aux
#define u8_normalize khoa_lazy_u8_normalize
#define u8_tolower khoa_lazy_u8_tolower
#define uc_is_general_category khoa_lazy_uc_is_general_category
#define uc_is_general_category_withtable khoa_lazy_uc_is_general_category_withtable
#define uninorm_nfc khoa_lazy_uninorm_nfc
#define UC_CATEGORY_Zs khoa_lazy_UC_CATEGORY_Zs

/* Whether the library could be loaded (tried once; said once when not).
 * Call it before any of validate.c's functions: they need it. */
_Bool unistring_lazy_load(void);

/* The library, opened the first time it is asked for (also by fold.c, which
 * takes its own functions from it), or NULL when it cannot be; says nothing. */
#define UNISTRING_LAZY_FILE "libunistring.so.2"
void *unistring_lazy_library(void);
