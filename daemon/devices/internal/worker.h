/*
 * Token workers: one thread per PKCS#11 module, the only code that calls a
 * module. The loop asks for a scan; the worker scans when it can (requests
 * made while it is busy fold into one more scan) and hands the result back
 * to the loop through a libevent event, so a slow or hung module stalls
 * nobody but itself.
 *
 * Once a module has been scanned and stays initialized between scans, a
 * second thread blocks in its C_WaitForSlotEvent and asks for a scan on each
 * slot event (a reader or token plugged or pulled), so such changes show
 * before the next periodic scan. Modules without blocking waits, or whose
 * waits keep failing, are left to the periodic and requested scans.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <event2/event.h>

#include "module.h"

struct worker;

/* Called on the loop thread with each finished scan of generation GEN; the
 * callee takes SCAN's contents. */
typedef void (*worker_done_fn)(struct worker *w, struct khoa_scan *scan,
			       uint64_t gen, void *userdata);

/* Starts a thread that owns MODULE from now on. NULL on failure. */
struct worker *worker_start(struct event_base *base, struct khoa_module *module,
			    worker_done_fn done, void *userdata);

/* A job: RUN on the worker thread with the module, then DONE on the loop
 * thread (RAN false when the worker stopped before running it). */
typedef void (*worker_job_fn)(struct khoa_module *m, void *arg);
typedef void (*worker_job_done_fn)(void *arg, bool ran);

/* Queues a job, run before any pending scan. 0 or -ENOMEM. */
int worker_submit(struct worker *w, worker_job_fn run, worker_job_done_fn done, void *arg);

/* Asks for a scan; returns the generation whose result will answer it. */
uint64_t worker_request_scan(struct worker *w);

/* The module, for its name and path (both immutable). */
const struct khoa_module *worker_module(const struct worker *w);

/* Stops the threads, waiting at most TIMEOUT_MS for a scan in progress and
 * as long again for a wait for slot events to end once the module is
 * finalized; a thread stuck in its module is abandoned, with its module, at
 * exit. */
void worker_stop(struct worker *w, unsigned timeout_ms);
