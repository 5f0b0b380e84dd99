/*
 * The scanner drives the token workers: a scan of every module at start,
 * then every INTERVAL seconds, and on demand. Results go into the inventory.
 * A caller of scanner_rescan() is called back once every module has
 * finished a scan that started after the request, or when TIMEOUT passes.
 * Loop thread only.
 */
#pragma once

#include <stdbool.h>
#include <event2/event.h>

#include "inventory.h"
#include "module.h"

struct scanner;

/* COMPLETE is false when the timeout passed first. */
typedef void (*scanner_rescan_fn)(bool complete, void *userdata);

/* Takes the modules; each gets its worker thread. */
struct scanner *scanner_new(struct event_base *base, struct khoa_module **modules,
			    size_t n, struct inventory *inv, unsigned interval_s);

/* Scan every module now; call DONE as above. -ENOMEM if it cannot. */
int scanner_rescan(struct scanner *s, unsigned timeout_s, scanner_rescan_fn done,
		   void *userdata);

/* Calls DONE once every module has finished its first scan (at once if that
 * is already so), or when TIMEOUT passes. -ENOMEM if it cannot. */
int scanner_when_ready(struct scanner *s, unsigned timeout_s, scanner_rescan_fn done,
		       void *userdata);

/* Stops every worker (waiting a little for scans in progress). */
void scanner_free(struct scanner *s);
