/*
 * The audit trail's watch (issue 15; the trail: store-audit.h). khoad
 * verifies the trail at start and once a day, keeps what it found for
 * io.khoa.Daemon.Status, raises audit.broken (an error in the journal, with
 * its MESSAGE_ID) when a verification finds a break other than the one it
 * last reported, and writes the trail's head to the journal (audit.head) at
 * start, after each verification and every hour the trail has grown.
 * khoad keeps serving whatever is found.
 *
 * A verification reads the whole registry (seconds at a province's size):
 * it runs in a thread of its own on a connection of its own, read only, in
 * one snapshot, never on the event loop; one at a time, the calls that ask
 * meanwhile waiting their turn. Loop thread only, but for that thread.
 */
#pragma once

#include <json-c/json.h>

#include "khoad.h"

/* Starts the watch on the registry ENGINE at WHERE (as store_open() takes
 * them; copied): a verification now, then the hourly timer. 0 or -ENOMEM. */
int audit_watch_start(struct khoad *d, const char *engine, const char *where);

/* Verifies against HEADS ([{seq, hash}] from the journal; NULL: none; a
 * reference is taken), then DONE(R, ANSWER, ARG) on the loop: R 0 and
 * ANSWER io.khoa.Audit.Verify's (borrowed), or a negative errno. 0, or
 * -ENOMEM (DONE is not called). */
typedef void audit_done_fn(int r, json_object *answer, void *arg);
int audit_watch_verify(struct khoad *d, json_object *heads, audit_done_fn *done, void *arg);

/* The last verification as io.khoa.Daemon's AuditState; NULL before the
 * first (or out of memory). */
json_object *audit_watch_state(struct khoad *d);

/* Waits for a verification under way, answers the calls waiting, frees
 * what is kept (at exit). */
void audit_watch_free(struct khoad *d);
