/*
 * What khoa handover, custody, seal, manager-change and print share: a
 * handover's state as io.khoa.Handovers names it, translated, and dates as
 * people write them (the reasons of its rows: words.h).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* "draft", "finalized" (a handover's state), translated. */
const char *handover_state_text(const char *state);

/* An ISO 8601 time ("2026-11-24T20:28:31Z") as "24/11/2026 20:28" (or the
 * day alone unless WITH_TIME), a calendar date as "24/11/2026", anything
 * else as given; "—" when empty. */
const char *handover_when(const char *text, bool with_time, char *buf, size_t size);
