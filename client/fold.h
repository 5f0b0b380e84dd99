/*
 * Names compared as people mean them: case-folded and NFC-normalized by
 * libunistring's u8_casefold, which is loaded the first time a name is
 * folded (only khoa tokens --holder compares names), so that no other
 * command pays for loading the library at start. Without it, names are
 * compared as they are, and khoa says so once.
 */
#pragma once

/* TEXT folded, a new string; out of memory ends khoa. */
char *fold_text(const char *text);
