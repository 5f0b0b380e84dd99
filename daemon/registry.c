/* One transaction per change, with its events. */
#include "events.h"
#include "inventory.h"
#include "log.h"
#include "registry.h"
#include "store.h"

int
registry_begin(struct khoad *d)
{
	return store_begin(d->store);
}

int
registry_commit(struct khoad *d)
{
	int r = store_commit(d->store);
	if (r < 0) {
		registry_rollback(d);
		return r;
	}
	events_publish(d->events);
	if (inventory_rebuild(d->inventory) < 0)
		log_error("cannot rebuild the token list; serving the previous one");
	return 0;
}

void
registry_rollback(struct khoad *d)
{
	store_rollback(d->store);
	events_discard(d->events);
}
