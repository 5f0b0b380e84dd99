/*
 * Turning protocol values into what a person reads: dates as dd/mm/yyyy in
 * local time, PIN state and certificate validity as translated words, and
 * the JSON accessors the commands share.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <json-c/json.h>

/* ISO 8601 UTC ("2026-11-24T20:28:31Z") to seconds; false if not one. */
bool format_parse_iso(const char *iso, time_t *out);

/* "24/11/2026", or "24/11/2026 20:28" WITH_TIME, in local time; "?" if ISO
 * is not a date. */
const char *format_date(const char *iso, bool with_time, char *buf, size_t size);

/* A calendar date "1985-03-07" as "07/03/1985"; YMD itself if it is not one. */
const char *format_day(const char *ymd, char *buf, size_t size);

/* The PIN state of a token's "flags" object, translated: "ok", "locked"… */
const char *format_pin_state(json_object *flags, char *buf, size_t size);

/* "valid", "expired", "not yet valid" (translated), as of NOW. */
const char *format_validity(json_object *cert, time_t now);

/* When REPLY says it was made from the registry's record (its "reading":
 * the token is on no desk of this khoad), one line saying so to stdout:
 * "Not present now: last read from the device on 04/12/2026 14:30 at
 * WORKSTATION."; true when it did. */
bool format_print_reading(json_object *reply);

/* A token's state as a device (io.khoa.Incidents), translated: "reported
 * lost", …; STATE itself when it is none of them. */
const char *format_device_state(const char *state);

/* A person's sex as people write it ("Nam", "Nữ" in Vietnamese) for its
 * code ("male", "female"); the text itself when it is no code (a form
 * filed before the codes); "" for "". */
const char *format_sex(const char *code);

/* TEXT, or "—" when it is empty: a field that is not filled in. */
const char *format_optional(const char *text);

/* Whether REC's "withheld" names KEY: khoad left that personal field out,
 * the caller may not see it (not that it is empty). */
bool format_withheld(json_object *rec, const char *key);

/* "(not shown to you)" (translated) when REC's KEY is withheld, else
 * format_optional(TEXT). */
const char *format_personal(json_object *rec, const char *key, const char *text);

/* A string member, or "" when absent. */
const char *jstr(json_object *obj, const char *key);
int64_t jint(json_object *obj, const char *key);
bool jbool(json_object *obj, const char *key);
json_object *jarr(json_object *obj, const char *key);
/* An object member, or NULL when absent or not an object. */
json_object *jobj(json_object *obj, const char *key);
