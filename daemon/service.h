/*
 * khoad under a service manager (systemd, when NOTIFY_SOCKET is set; every
 * call is harmless without one): READY=1 once the socket answers, a STATUS=
 * line after each scan (tokens seen, when last scanned), WATCHDOG=1 from a
 * timer of the event loop (so a loop that stalls is restarted, not a thread
 * that keeps pinging), RELOADING=1 around a reload, STOPPING=1 at shutdown.
 * Loop thread only.
 */
#pragma once

#include "khoad.h"

/* Readiness, and the watchdog's timer when the manager asked for one. */
int service_ready(struct khoad *d);

/* STATUS= from the inventory. */
void service_status(struct khoad *d);

void service_reloading(void);
void service_reloaded(struct khoad *d);
void service_stopping(void);

/* Stops the watchdog's timer. */
void service_free(struct khoad *d);
