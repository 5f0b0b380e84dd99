/*
 * The record of PIN tries: every PIN that reached a token, right or wrong,
 * becomes a "pin.tried" event (who: uid and login as the actor, and the
 * pid; which PIN; what the token answered; the tries it says are left; the
 * delay before the next) and a line of khoad's log; the PIN state it left,
 * when it changed, becomes token.pin_changed by the same actor in the same
 * transaction (not the next scan's, by khoad). Never the PIN. Loop
 * thread only; outside any transaction (it commits its own).
 */
#pragma once

#include "khoad.h"
#include "pin-try.h"

/* khoad.pin_tried: records T. A registry that fails is logged; the try
 * happened all the same, and the log line says so. */
void registry_pin_tried(struct khoad *d, const struct pin_try *t);
