/*
 * Why khoad refused, in the user's language: a reason's code and its
 * arguments (proto/reasons.h; io.khoa.InvalidField's rule, RuleViolation's
 * fact, PinInvalid's rule, and events that carry "fact" and "args") said
 * through gettext, each argument shown by its kind: a date as dd/mm/yyyy, a
 * code by its display name (words.h), a number as it is.
 */
#pragma once

#include <json-c/json.h>

/* The sentence for CODE with ARGS (an array of strings, or NULL), a new
 * string; NULL when khoa does not know CODE. Out of memory ends khoa. */
char *why_text(const char *code, json_object *args);
