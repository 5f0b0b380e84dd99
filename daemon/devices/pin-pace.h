/*
 * The pace of PIN tries. After the n-th wrong try in a row of one PIN (the
 * user PIN or the SO PIN) of one token, that PIN's next try is accepted
 * only min(2^(n-1), 60) seconds after the token answered; a right PIN
 * starts over. A person who mistyped waits a second or two; a brute force
 * against a token that never locks (SoftHSM2, and real tokens that answer a
 * wrong PIN without counting it) costs an hour per 60 tries.
 *
 * Kept by token serial and PIN, so that a technician's wrong SO PIN does not
 * hold up the holder, nor the holder's typing the technician. In memory
 * only: restarting khoad (root's) starts over. Times are CLOCK_MONOTONIC
 * nanoseconds, passed in so that the rule can be tested without waiting.
 *
 * Bounded: a count is forgotten once an hour has passed since its delay ran
 * out with no wrong try (a burst after such an hour is slower than tries
 * at the 60 s cap), and at most PIN_PACE_MAX are kept: beyond, the one
 * whose delay ran out first is dropped (in practice one long run out).
 *
 * Refusing a try costs the token nothing and does not lengthen the delay:
 * only what the token answered counts. Loop thread only.
 */
#pragma once

#include <stdint.h>

#include "pin-try.h"

#define PIN_PACE_CAP_S		60
#define PIN_PACE_FORGET_S	3600
#define PIN_PACE_MAX		4096

struct pin_pace;

struct pin_pace *pin_pace_new(void);
void pin_pace_free(struct pin_pace *p);

/* Seconds (rounded up) before KIND's next try on SERIAL is accepted at
 * NOW; 0: at once. */
unsigned pin_pace_wait(struct pin_pace *p, const char *serial, enum pin_kind kind, int64_t now);

/* The token answered a wrong PIN (or not a right one) at NOW: the delay
 * now set, in seconds, or -ENOMEM (the next try is not paced). */
int pin_pace_wrong(struct pin_pace *p, const char *serial, enum pin_kind kind, int64_t now);

/* The token took KIND's PIN (or a reset set a new user PIN): no delay. */
void pin_pace_right(struct pin_pace *p, const char *serial, enum pin_kind kind);

/* How many counts are kept (for tests of the bound). */
unsigned pin_pace_count(const struct pin_pace *p);

/* The delay after N wrong tries in a row, in seconds: 0, 1, 2, 4 … 60. */
unsigned pin_pace_delay(unsigned n);
