/*
 * khoa-fault.so's internal contract: what its pieces share.  None of it is
 * exported; the module is built with hidden visibility and only
 * C_GetFunctionList leaves the .so.
 *
 *   khoa-fault.c   the replaced C_* functions, loading the real module,
 *                  C_GetFunctionList;
 *   fault-files.c  the control directory: paths, counts read and replaced
 *                  atomically, the per-token lock, calls.log and hangs.log,
 *                  the user-PIN counter (max tries, wrong tries, flags);
 *   fault-state.c  the in-process maps (slot -> serial, session -> slot),
 *                  removal, hangs, and the prologues every call runs.
 *
 * The protocol is described in tests/fault/README.md.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <p11-kit/pkcs11.h>

#define SERIAL_MAX 17			/* CK_TOKEN_INFO.serialNumber + NUL */

/* The token a call is about; serial[0] == '\0' when unknown (no faults). */
struct target {
	CK_SLOT_ID slot;
	char serial[SERIAL_MAX];
};

/* khoa-fault.c: set once, by the first C_GetFunctionList. */
extern CK_FUNCTION_LIST *real;		/* the real module's list */
extern const char *fault_dir;		/* KHOA_FAULT_DIR, NULL: pass-through */

/* fault-files.c: the control directory. */
bool fault_path(char *buf, size_t size, const char *key, const char *suffix);
bool fault_exists(const char *key, const char *suffix);
void write_long(const char *key, const char *suffix, long value);
int token_lock(const char *serial);
void token_unlock(int fd);
void log_call(const char *fn, const struct target *t, CK_RV rv, const char *who,
	      bool forwarded);
void log_hang(const char *what, const char *fn, const char *key, const char *how);

/*
 * fault-files.c: the user-PIN counter.
 *
 * A user-PIN check (C_Login as user or context-specific, C_SetPIN outside an
 * SO session) against the counter.  CHECK runs the real call; it does not run
 * at all once the token is locked.  The token's lock file is held throughout,
 * so two processes trying PINs at once count both tries, as a card would.
 */
struct pin_call {
	CK_SESSION_HANDLE h;
	CK_USER_TYPE who;
	CK_UTF8CHAR_PTR pin, new_pin;
	CK_ULONG pin_len, new_len;
	bool set_pin;
};

long max_tries(const char *serial);
void apply_pin_flags(const char *serial, CK_FLAGS *flags);
CK_RV pin_check(const struct target *t, const struct pin_call *c, bool *forwarded);

/* fault-state.c: slots and sessions. */
void trim_serial(const unsigned char raw[16], char out[SERIAL_MAX]);
void slot_remember(CK_SLOT_ID slot, const char *serial);
void slot_forget(CK_SLOT_ID slot);
void slot_target(CK_SLOT_ID slot, struct target *t);
bool slot_take_logout(CK_SLOT_ID slot);
void session_add(CK_SESSION_HANDLE h, CK_SLOT_ID slot);
void session_drop(CK_SESSION_HANDLE h);
void sessions_drop_slot(CK_SLOT_ID slot);
void maps_clear(void);

/* fault-state.c: removal, hangs, call prologues. */
bool token_removed(const struct target *t);
bool hang(const char *fn, const struct target *t);
CK_RV enter_slot(const char *fn, CK_SLOT_ID slot, struct target *t);
CK_RV enter_session(const char *fn, CK_SESSION_HANDLE h, struct target *t);
