/*
 * A PIN presented to a token, as the record keeps it: which token and which
 * of its PINs, what the token answered, who presented it and what the token
 * says is left — never the PIN. Plain data: the device layer
 * (devices/pin-ops.c), which alone sees a try happen, hands it up to the
 * record (registry/pin-tries.c) through the upcall khoad.pin_tried.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "peer.h"

enum pin_kind {
	PIN_KIND_USER,		/* C_Login(CKU_USER): a change */
	PIN_KIND_SO,		/* C_Login(CKU_SO): a reset */
};

enum pin_try_result {
	PIN_TRY_RIGHT,		/* the token took it */
	PIN_TRY_WRONG,		/* CKR_PIN_INCORRECT */
	PIN_TRY_LOCKED,		/* wrong, and the PIN is locked now (or was) */
	/* C_Login answered something else. Paced as a wrong PIN: some tokens
	 * answer a wrong PIN with CKR_GENERAL_ERROR (OpenSC #871). */
	PIN_TRY_FAILED,
};

struct pin_try {
	const char *serial;
	enum pin_kind kind;
	enum pin_try_result result;
	const char *error;	/* PIN_TRY_FAILED: what the token answered */
	/* 1 at the final try, 0 when locked, as the token's flags say after
	 * the try; -1: more, or the token does not say. */
	int tries_left;
	unsigned delay_s;	/* before this PIN's next try (0 after a right one) */
	struct actor actor;	/* who presented it */
	pid_t pid;		/* from the caller's process, when it connected */
	/* The token's flags (CK_TOKEN_INFO) read right after the try, when
	 * HAVE_FLAGS: the PIN state the try left, which the record
	 * attributes to ACTOR rather than to the next scan. */
	bool have_flags;
	unsigned long flags;
};

/* The words the record and the log use for them. */
static inline const char *
pin_kind_name(enum pin_kind k)
{
	return k == PIN_KIND_SO ? "so" : "user";
}

static inline const char *
pin_try_result_name(enum pin_try_result r)
{
	switch (r) {
	case PIN_TRY_RIGHT:
		return "right";
	case PIN_TRY_WRONG:
		return "wrong";
	case PIN_TRY_LOCKED:
		return "locked";
	case PIN_TRY_FAILED:
		break;
	}
	return "failed";
}
