/*
 * The audit trail's watch (issue 15; the trail: store-audit.h). khoad
 * verifies the trail at start and once a day, keeps what it found for
 * io.khoa.Daemon.Status, raises audit.broken (an error in the journal, with
 * its MESSAGE_ID) when a verification finds a break other than the one it
 * last reported, and writes the trail's head to the journal (audit.head) at
 * start and every hour the trail has grown. khoad keeps serving whatever
 * is found. Loop thread only.
 */
#pragma once

#include <json-c/json.h>

#include "khoad.h"

/* Verifies once now and starts the hourly timer (the loop owns it). */
int audit_watch_start(struct khoad *d);

/* Verifies now, against HEADS ([{seq, hash}] from the journal; NULL:
 * none): *OUT the answer (io.khoa.Audit.Verify's), kept as the state and
 * reported as above. 0 or a negative errno (the store's). */
int audit_watch_verify(struct khoad *d, json_object *heads, json_object **out);

/* The last verification as io.khoa.Daemon's AuditState; NULL before the
 * first (or out of memory). */
json_object *audit_watch_state(struct khoad *d);

/* Frees what is kept (at exit). */
void audit_watch_free(struct khoad *d);
