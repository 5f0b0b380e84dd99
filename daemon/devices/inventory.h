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
	const char *manufacturer;	/* NULL before it, too */
	const char *version;		/* "" before it */
	size_t n_slots;
	bool reinitialize;
	bool scanned;
	struct timespec scanned_at;
	const char *error;		/* NULL when the last scan succeeded */
	size_t n_tokens;
};

/* The "registration" member a token is shown with (a new object in *OUT;
 * 0 or a negative errno), from the registry: the device layer knows nothing
 * of it. */
typedef int (*inventory_registration_fn)(const char *serial, json_object **out,
					 void *userdata);

struct inventory *inventory_new(const struct khoa_module *const *modules, size_t n,
				inventory_registration_fn registration, void *userdata);
void inventory_free(struct inventory *inv);

/* Takes SCAN's contents as module I's latest. */
void inventory_update(struct inventory *inv, size_t i, struct khoa_scan *scan);

/* Rebuilds the snapshot's replies: after a scan, and after the registry
 * changed. 0 or a negative errno (then the previous replies stay). */
int inventory_rebuild(struct inventory *inv);

/* The tokens module I read in its latest scan, and its error (NULL if it
 * succeeded). */
const struct khoa_token_list *inventory_module_tokens(const struct inventory *inv, size_t i,
						      const char **error);

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

/* The token with SERIAL from the latest scans, or NULL; *MODULE (when not
 * NULL) is the index of the module that read it. */
const struct khoa_token *inventory_find(const struct inventory *inv, const char *serial);
const struct khoa_token *inventory_find_in(const struct inventory *inv, const char *serial,
					   size_t *module);

/* What a PIN operation just read of the token's flags, so that the next
 * call sees them before the next scan does. False if SERIAL is absent. */
bool inventory_set_flags(struct inventory *inv, const char *serial, unsigned long flags);

/* A new JSON object for the token with SERIAL, with its registration: 0,
 * -ENOENT when it is not present, or another negative errno. */
int inventory_token_json(const struct inventory *inv, const char *serial, json_object **out);
