/*
 * Names compared as people mean them: case-folded by libunistring's
 * u8_casefold and stripped of their diacritics (decomposed, the marks
 * dropped, đ as d), so that a name typed without its accents is found. The
 * library is loaded the first time a name is
 * folded (only khoa tokens --holder compares names), so that no other
 * command pays for loading the library at start. Without it, names are
 * compared as they are, and khoa says so once.
 */
#pragma once

#include <stdbool.h>

/* TEXT folded, without marks, a new string; out of memory ends khoa. */
char *fold_text(const char *text);

/* Whether TYPED names MSGID, a name khoa translates: as it reads in the
 * user's language or in English, folded ("het han su dung" names
 * "expiry"). */
bool fold_names(const char *typed, const char *msgid);
/* Whether TYPED begins MSGID so, up to a word's end ("het han" begins
 * "hết hạn sử dụng"). */
bool fold_begins(const char *typed, const char *msgid);
