/*
 * A change of the registry: one transaction and the events it records.
 * registry_commit() makes both durable, then sends the events to watchers
 * and refreshes the snapshot's replies (they show registrations);
 * registry_rollback() forgets both. Loop thread only.
 */
#pragma once

#include "khoad.h"

int registry_begin(struct khoad *d);
int registry_commit(struct khoad *d);
void registry_rollback(struct khoad *d);
