/*
 * What khoa handover, custody, seal, manager-change and print share: the
 * words of handovers (Mẫu 10, R-HANDOVER) as io.khoa.Handovers names them,
 * translated, and dates as people write them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* "new issue", "re-issue"… for a row's or a link's REASON; REASON itself
 * when it is not one khoa knows. */
const char *handover_reason_text(const char *reason);

/* The io.khoa.Handovers reason IN names, by its code or its name (without
 * diacritics, any case); NULL when none. */
const char *handover_reason_code(const char *in);

/* The reasons, one a line, indented, with their meaning (for messages). */
void handover_reasons_list(FILE *out);

/* "draft", "finalized" (a handover's state), translated. */
const char *handover_state_text(const char *state);

/* An ISO 8601 time ("2026-11-24T20:28:31Z") as "24/11/2026 20:28" (or the
 * day alone unless WITH_TIME), a calendar date as "24/11/2026", anything
 * else as given; "—" when empty. */
const char *handover_when(const char *text, bool with_time, char *buf, size_t size);
