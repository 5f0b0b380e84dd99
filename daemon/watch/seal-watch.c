/* seal.overdue: the organization token not back when due. */
#include "events.h"
#include "log.h"
#include "registry.h"
#include "seal-watch.h"
#include "store-custody.h"

#define SEAL_WATCH_INTERVAL_S 60

void
seal_watch_check(struct khoad *d)
{
	json_object *due = NULL;
	int r;

	if (d->stopping || (r = registry_begin(d)) < 0)
		return;
	if ((r = store_seal_take_overdue(d->store, &due)) < 0)
		goto fail;
	for (size_t i = 0; i < json_object_array_length(due); i++) {
		json_object *e = json_object_array_get_idx(due, i), *serial;
		json_object_object_get_ex(e, "token_serial", &serial);
		if ((r = events_record(d->events, "seal.overdue", json_object_get_string(serial),
				       NULL, json_object_get(e))) < 0)
			goto fail;
	}
	if (json_object_array_length(due) == 0) {
		registry_rollback(d);
		json_object_put(due);
		return;
	}
	if ((r = registry_commit(d)) < 0)
		goto fail;
	json_object_put(due);
	return;
fail:
	log_error("cannot record overdue seal entries");
	json_object_put(due);
	registry_rollback(d);
}

int
seal_watch_start(struct khoad *d)
{
	d->seal_watch = (struct periodic){ d, SEAL_WATCH_INTERVAL_S, seal_watch_check,
					   "the seal register's check" };
	return periodic_start(&d->seal_watch);
}
