/*
 * Building a JSON object field by field without checking each allocation:
 * the first failure makes the builder fail, and jsonb_finish() then frees
 * what was built and returns NULL.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

struct jsonb {
	json_object *obj;
	bool ok;
};

struct jsonb jsonb_new(void);
/* Adds KEY=VAL, taking VAL (NULL VAL counts as a failed allocation). */
void jsonb_put(struct jsonb *b, const char *key, json_object *val);
/* A NULL string is an absent optional field (varlink "?string"). */
void jsonb_str(struct jsonb *b, const char *key, const char *val);
void jsonb_int(struct jsonb *b, const char *key, int64_t val);
void jsonb_bool(struct jsonb *b, const char *key, bool val);
/* Appends ITEM (taken) to the array ARRAY; false on failure. */
bool jsonb_append(struct jsonb *b, json_object *array, json_object *item);
/* The object, or NULL if anything failed. */
json_object *jsonb_finish(struct jsonb *b);
