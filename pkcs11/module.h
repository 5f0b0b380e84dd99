/*
 * PKCS#11 modules: loading them (those registered with p11-kit, or exactly
 * the paths given) and scanning one for its tokens.
 *
 * Loading happens once, on the main thread, before any worker starts. After
 * that a module belongs to one thread: only that thread calls
 * khoa_module_scan() or khoa_module_free() on it. Name and path may be read
 * from any thread; they never change.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "token.h"

struct khoa_module;

/* The result of one scan. */
struct khoa_scan {
	struct khoa_token_list tokens;
	char *description;	/* C_GetInfo: "SoftHSM … 2.6" (NULL until initialized) */
	bool reinitialize;	/* whether scans finalize and initialize again */
	char *error;		/* NULL on success */
};

void khoa_scan_clear(struct khoa_scan *scan);

/*
 * With N_PATHS == 0 every module registered with p11-kit except trust-policy
 * modules (they hold CA anchors, not tokens); otherwise exactly PATHS. *out is
 * a malloc'd array of *n_out modules. 0, or a negative errno with *error set.
 */
int khoa_modules_load(const char *const *paths, size_t n_paths,
		      struct khoa_module ***out, size_t *n_out, char **error);

const char *khoa_module_name(const struct khoa_module *m);
const char *khoa_module_path(const struct khoa_module *m);

/*
 * Initializes the module on first use (and again on every scan for modules
 * that only find new tokens that way), then reads every token. Fills OUT,
 * which the caller clears. 0, or a negative errno with OUT->error set.
 */
int khoa_module_scan(struct khoa_module *m, struct khoa_scan *out);

/* Finalizes (if initialized) and unloads. */
void khoa_module_free(struct khoa_module *m);
