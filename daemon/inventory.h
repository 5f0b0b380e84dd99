/*
 * The inventory: the latest scan of every module, merged into one immutable
 * snapshot that every read answers from. The replies of Tokens.List and
 * Certificates.List are serialized once per snapshot and the same bytes are
 * handed to every caller until the next one. Loop thread only.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <json-c/json.h>

#include "module.h"

struct inventory;

struct inventory_module {
	const char *name;
	const char *path;
	const char *description;	/* NULL before the first initialization */
	bool reinitialize;
	bool scanned;
	struct timespec scanned_at;
	const char *error;		/* NULL when the last scan succeeded */
	size_t n_tokens;
};

struct inventory *inventory_new(const struct khoa_module *const *modules, size_t n);
void inventory_free(struct inventory *inv);

/* Takes SCAN's contents as module I's latest; rebuilds the snapshot.
 * 0 or -ENOMEM (then the previous snapshot stays). */
int inventory_update(struct inventory *inv, size_t i, struct khoa_scan *scan);

size_t inventory_n_modules(const struct inventory *inv);
void inventory_module(const struct inventory *inv, size_t i, struct inventory_module *out);

/* Whether every module has been scanned at least once. */
bool inventory_complete(const struct inventory *inv);

size_t inventory_n_tokens(const struct inventory *inv);
size_t inventory_n_certs(const struct inventory *inv);
/* When the snapshot was last rebuilt; tv_sec == 0 before the first scan. */
struct timespec inventory_time(const struct inventory *inv);

/* Whole reply messages, NUL included: {"parameters":{"tokens":[…]}}. */
void inventory_tokens_reply(const struct inventory *inv, const char **msg, size_t *len);
void inventory_certs_reply(const struct inventory *inv, const char **msg, size_t *len);

/* A new JSON object for the token with SERIAL, NULL if absent (or ENOMEM:
 * *no_memory tells). */
json_object *inventory_token_json(const struct inventory *inv, const char *serial, bool *no_memory);
