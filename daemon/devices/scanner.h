/*
 * The scanner drives the token workers: a scan of every module at start,
 * then every INTERVAL seconds, and on demand. Each result is handed to the
 * daemon's callback.
 * A caller of scanner_rescan() is called back once every module has
 * finished a scan that started after the request, or when TIMEOUT passes.
 * Loop thread only.
 */
#pragma once

#include <stdbool.h>
#include <event2/event.h>

#include "module.h"

struct scanner;

/* COMPLETE is false when the timeout passed first. */
typedef void (*scanner_rescan_fn)(bool complete, void *userdata);

/* A finished scan of module I (the index in the array given to
 * scanner_new); the callee takes SCAN's contents. */
typedef void (*scanner_result_fn)(size_t i, struct khoa_scan *scan, void *userdata);

/* Takes the modules; each gets its worker thread. */
struct scanner *scanner_new(struct event_base *base, struct khoa_module **modules,
			    size_t n, unsigned interval_s, scanner_result_fn result,
			    void *userdata);

/* Scan every module soon (a hint from hot-plug); nobody waits for it. */
void scanner_request(struct scanner *s);

/* Scan every module now; call DONE as above. -ENOMEM if it cannot. */
int scanner_rescan(struct scanner *s, unsigned timeout_s, scanner_rescan_fn done,
		   void *userdata);

/* Calls DONE once every module has finished its first scan (at once if that
 * is already so), or when TIMEOUT passes. -ENOMEM if it cannot. */
int scanner_when_ready(struct scanner *s, unsigned timeout_s, scanner_rescan_fn done,
		       void *userdata);

/* The worker of module I, for jobs on its tokens. */
struct worker *scanner_worker(struct scanner *s, size_t i);

/* Stops every worker (waiting a little for scans in progress). */
void scanner_free(struct scanner *s);
