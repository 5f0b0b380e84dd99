/*
 * Events: recorded in the registry inside the transaction that caused them,
 * and sent to every watcher once that transaction commits (never before:
 * a watcher sees only what is on disk). Each event is serialized once for
 * all watchers. A watcher that falls more than the backlog behind is dropped
 * with io.khoa.TooSlow; the daemon never waits for one. Loop thread only.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "server.h"
#include "store.h"

struct events;

struct events *events_new(struct store *store, size_t backlog);
void events_free(struct events *ev);

/* Records an event in the current transaction; it is sent at
 * events_publish(). DETAILS is taken (NULL: {}). 0 or a negative errno. */
int events_record(struct events *ev, const char *type, const char *serial,
		  const struct actor *actor, json_object *details);

/* After a commit: sends what was recorded. After a rollback: forgets it. */
void events_publish(struct events *ev);
void events_discard(struct events *ev);

/* Makes the deferred call C a watcher: first the stored events after SINCE
 * (when SINCE >= 0), then every new one; only SERIAL's when non-NULL. */
int events_watch(struct events *ev, struct call *c, int64_t since, const char *serial);

size_t events_n_watchers(const struct events *ev);
