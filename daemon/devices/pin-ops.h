/*
 * PIN operations on a token present: run by the worker of the token's
 * module (the only code that calls a module), answered on the loop thread.
 * The loop never waits: a token that does not answer within the timeout
 * gives PIN_TIMEOUT and stays marked busy until its call returns; a second
 * operation on a busy token gives PIN_BUSY at once.
 *
 * Before a PIN reaches the token it is checked against what the token can
 * accept (printable ASCII, ulMinPinLen..ulMaxPinLen): PIN_INVALID costs no
 * try. A change on a token at its final try is refused (PIN_FINAL_TRY)
 * unless the caller allowed it. A PIN of a token whose last try of that PIN
 * was wrong waits out the delay of pin-pace.h (PIN_TRY_LATER, no try).
 *
 * Every PIN that reaches a token, right or wrong, is handed to the record
 * (khoad.pin_tried, core/pin-try.h) naming the caller, also when it comes
 * back after its caller had PIN_TIMEOUT. Pacing and the record are here,
 * where the PIN meets the token, so that no way to present a PIN can miss
 * them.
 */
#pragma once

#include <stdbool.h>

#include "khoad.h"
#include "peer.h"
#include "secret.h"

enum pin_result {
	PIN_OK,
	PIN_INCORRECT,		/* wrong PIN; see final_try / locked */
	PIN_LOCKED,		/* the user PIN is locked */
	PIN_FINAL_TRY,		/* refused: the last try was not allowed */
	PIN_INVALID,		/* the token could never accept it; see rule */
	PIN_NO_TOKEN,		/* not present (or removed during the call) */
	PIN_BUSY,		/* another operation runs on the token */
	PIN_TIMEOUT,		/* the token did not answer in time */
	PIN_TRY_LATER,		/* paced: not tried; see wait_s */
	PIN_FAILED,		/* anything else; see error */
};

struct pin_outcome {
	enum pin_result result;
	bool final_try, locked;	/* after a PIN_INCORRECT */
	bool so;		/* the PIN was the SO PIN (a reset), not the user's */
	const char *rule;	/* PIN_INVALID: which rule */
	const char *error;	/* PIN_FAILED: what the module said */
	unsigned timeout_s;	/* PIN_TIMEOUT */
	unsigned wait_s;	/* PIN_TRY_LATER: seconds before the next try */
};

typedef void (*pin_done_fn)(const struct pin_outcome *o, void *userdata);

/* C_Login(USER, OLD) then C_SetPIN(OLD, NEW), for the caller WHO (copied:
 * the record names it). Takes both secrets. DONE is always called,
 * possibly before this returns. */
void pin_change(struct khoad *d, const char *serial, struct secret *old_pin,
		struct secret *new_pin, bool allow_final_try, const struct peer *who,
		pin_done_fn done, void *userdata);

/* C_Login(SO, SO_PIN) on a read/write session, then C_InitPIN(NEW): the reset
 * a technician does to close a PIN-recovery request. Takes both secrets.
 * Once the token took the new PIN its holder's tries are no longer paced. */
void pin_reset(struct khoad *d, const char *serial, struct secret *so_pin,
	       struct secret *new_pin, const struct peer *who, pin_done_fn done,
	       void *userdata);

/* The typed error for an outcome that is not PIN_OK (a new message), for
 * any method to answer with. */
json_object *pin_outcome_error(const struct pin_outcome *o, const char *serial);
