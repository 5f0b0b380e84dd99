/*
 * The seal register's clock: an entry still out past its due time raises
 * seal.overdue once. Checked every minute, and at once when asked (a seal
 * checked out already due). Loop thread only.
 */
#pragma once

#include "khoad.h"

/* Starts the periodic check; the event loop owns it (freed with the base). */
int seal_watch_start(struct khoad *d);

/* Checks now: seal.overdue for every entry newly past due. */
void seal_watch_check(struct khoad *d);
