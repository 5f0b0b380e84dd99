/*
 * PKCS#11 modules: loading them (those registered with p11-kit, or exactly
 * the paths given) and scanning one for its tokens.
 *
 * Loading happens once, on the main thread, before any worker starts. After
 * that a module belongs to one thread, its owner: only that thread calls
 * khoa_module_scan(), khoa_module_watchable(), khoa_module_finalize() or
 * khoa_module_free() on it. Name and path may be read from any thread; they
 * never change.
 *
 * The one exception is khoa_module_wait_slot_event(): it may run on a second
 * thread, concurrently with the owner's scans. PKCS#11 allows that for a
 * module initialized with CKF_OS_LOCKING_OK, and p11-kit initializes the
 * managed modules it loads that way (its C_Initialize passes init args with
 * CKF_OS_LOCKING_OK and its mutex callbacks). The waiting thread must be
 * joined before khoa_module_free() unloads the module.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <p11-kit/pkcs11.h>

#include "token.h"

struct khoa_module;

/* The result of one scan. */
struct khoa_scan {
	struct khoa_token_list tokens;
	char *description;	/* C_GetInfo: "SoftHSM … 2.6" (NULL until initialized) */
	char *manufacturer;	/* C_GetInfo's manufacturerID: "SoftHSM" */
	char version[16];	/* C_GetInfo's libraryVersion: "2.6"; "" before */
	size_t n_slots;		/* C_GetSlotList: every slot, with a token or not */
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

/*
 * Whether khoa_module_wait_slot_event() may be used: the module is initialized
 * and stays so between scans. A module re-initialized on every scan (SoftHSM2)
 * is not: each scan's C_Finalize would end the wait, and SoftHSM2 reports no
 * slot events anyway. Owner thread only.
 */
bool khoa_module_watchable(const struct khoa_module *m);

/*
 * Blocks in C_WaitForSlotEvent until a slot changes (a reader or token comes
 * or goes). 1 on an event; 0 when the module does not support blocking waits;
 * -ESHUTDOWN once the module has been finalized (C_Finalize from the owner
 * ends a wait in progress); another negative errno on any other failure.
 * May run on a second thread (see above); only for a watchable module.
 */
int khoa_module_wait_slot_event(struct khoa_module *m);

/* Finalizes the module if it is initialized, which ends a wait for slot
 * events in progress (in a module that keeps to PKCS#11); the module stays
 * loaded until khoa_module_free(). */
void khoa_module_finalize(struct khoa_module *m);

/* The module's functions, initializing it first if needed (owner thread
 * only; for pin.c). NULL with *rv set when it cannot be initialized. */
CK_FUNCTION_LIST *khoa_module_functions(struct khoa_module *m, CK_RV *rv);

/* Finalizes (if initialized) and unloads. */
void khoa_module_free(struct khoa_module *m);
