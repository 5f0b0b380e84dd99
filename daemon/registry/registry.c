/* One transaction per change, with its events (registry.h). */
#include <errno.h>
#include <stdlib.h>

#include "events.h"
#include "message.h"
#include "registry.h"
#include "store-custody.h"
#include "store-reading.h"
#include "store-tokens.h"
#include "store.h"

int
registry_begin(struct khoad *d)
{
	return store_begin(d->store);
}

int
registry_commit(struct khoad *d)
{
	int r = events_seal(d->events);
	if (r == 0)
		r = store_commit(d->store);
	if (r < 0) {
		registry_rollback(d);
		return r;
	}
	events_publish(d->events);
	if (d->committed)
		d->committed(d);
	return 0;
}

void
registry_rollback(struct khoad *d)
{
	store_rollback(d->store);
	events_discard(d->events);
}

const char *
registry_read_only(struct khoad *d, const char **reason)
{
	return d->store ? store_read_only(d->store, reason) : NULL;
}

int
registry_token_registration(const char *serial, json_object **out, void *userdata)
{
	struct store *store = userdata;
	json_object *reg = NULL, *custody = NULL, *custodian;
	int r = store_token_registration(store, serial, &reg);
	if (r < 0)
		return r;
	if (store_custody_get(store, serial, &custody) == 0 &&
	    json_object_object_get_ex(custody, "holder", &custodian) && custodian &&
	    json_object_object_add(reg, "custodian", json_object_get(custodian)) < 0)
		r = -ENOMEM;
	json_object_put(custody);
	if (r < 0) {
		json_object_put(reg);
		return r;
	}
	*out = reg;
	return 0;
}

int
registry_serials_as_recorded(struct khoad *d, json_object *parameters)
{
	static const struct { const char *key, *table; } serials[] = {
		{ "serial", "tokens" },
		{ "certificate_serial", "certificates" },
	};
	for (size_t i = 0; i < sizeof(serials) / sizeof(serials[0]); i++) {
		const char *typed = khoa_json_str(parameters, serials[i].key);
		char *recorded = NULL;
		int r;
		if (!typed || !*typed)
			continue;
		if ((r = store_serial_canonical(d->store, serials[i].table, typed, &recorded)) < 0)
			return r == -ENOMEM ? r : 0;
		if (recorded &&
		    json_object_object_add(parameters, serials[i].key,
					   json_object_new_string(recorded)) < 0) {
			free(recorded);
			return -ENOMEM;
		}
		free(recorded);
	}
	return 0;
}
