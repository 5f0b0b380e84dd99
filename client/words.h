/*
 * The codes of the protocol as people say them (issue 17): the reasons a
 * certificate is revoked or re-issued, the kinds of requests and of
 * certificates, reorganizations and incidents, each with its display name
 * through gettext. A command takes the code or the name (without
 * diacritics, in any case: "het han" is "expired"), shows the name, and
 * lists both in --help and in its errors.
 */
#pragma once

#include <stdio.h>

/* The display name of the request reason CODE ("expired" → "hết hạn sử
 * dụng"), or CODE itself when khoa does not know it. */
const char *reason_text(const char *code);

/* The display name of any code khoa knows (a reason, a request or handover
 * reason, a kind, a state, a role), or CODE itself: for the codes inside
 * an error's arguments. */
const char *code_text(const char *code);

/* The reason code IN names, by its code, its display name (folded), or the
 * first words of one name alone; NULL when it names none or several. */
const char *reason_code(const char *in);

/* The reasons, one a line, code and name, indented (for --help and errors). */
void reasons_list(FILE *out);

/* The same of the reasons of a handover's row (io.khoa.Handovers: Mẫu 10's
 * "Lý do"): "new issue" for "new-issue", REASON itself when khoa does not
 * know it; the code IN names by its code or its name (no first words: the
 * names are short); the list. */
const char *handover_reason_text(const char *reason);
const char *handover_reason_code(const char *in);
void handover_reasons_list(FILE *out);
