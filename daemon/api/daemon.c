/* io.khoa.Daemon: version, modules, snapshot age, counts, the forms' place. */
#include <stdio.h>

#include "audit-watch.h"
#include "config.h"
#include "date.h"
#include "inventory.h"
#include "jsonb.h"
#include "khoad.h"
#include "api.h"
#include "methods.h"

/* ISO 8601 UTC, seconds. */
static json_object *
iso_time(struct timespec ts)
{
	char buf[KHOA_TIME_ISO_SIZE];
	khoa_time_iso_at(ts.tv_sec, buf);
	return json_object_new_string(buf);
}

static json_object *
module_json(const struct inventory_module *m)
{
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "name", m->name);
	jsonb_str(&b, "path", m->path);
	jsonb_str(&b, "description", m->description);
	jsonb_str(&b, "manufacturer", m->manufacturer);
	if (*m->version)
		jsonb_str(&b, "version", m->version);
	jsonb_int(&b, "slots", (int64_t)m->n_slots);
	jsonb_bool(&b, "reinitialize", m->reinitialize);
	jsonb_int(&b, "tokens", (int64_t)m->n_tokens);
	if (m->scanned)
		jsonb_put(&b, "scanned_at", iso_time(m->scanned_at));
	jsonb_str(&b, "error", m->error);
	return jsonb_finish(&b);
}

static int
status(struct call *c, const void *args)
{
	struct khoad *d = call_daemon(c);
	struct inventory *inv = d->inventory;
	struct jsonb b = jsonb_new();
	json_object *mods = json_object_new_array();

	jsonb_str(&b, "version", VERSION);
	jsonb_put(&b, "modules", mods);
	for (size_t i = 0; b.ok && i < inventory_n_modules(inv); i++) {
		struct inventory_module m;
		inventory_module(inv, i, &m);
		jsonb_append(&b, mods, module_json(&m));
	}

	struct timespec snap = inventory_time(inv), now;
	if (snap.tv_sec) {
		clock_gettime(CLOCK_REALTIME, &now);
		double age = (double)(now.tv_sec - snap.tv_sec) +
			     (double)(now.tv_nsec - snap.tv_nsec) / 1e9;
		jsonb_put(&b, "snapshot_time", iso_time(snap));
		jsonb_put(&b, "snapshot_age_seconds", json_object_new_double(age < 0 ? 0 : age));
	}
	jsonb_int(&b, "tokens", (int64_t)inventory_n_tokens(inv));
	jsonb_int(&b, "certificates", (int64_t)inventory_n_certs(inv));
	jsonb_int(&b, "clients", server_n_clients(d->server));
	json_object *audit = audit_watch_state(d);
	if (audit)
		jsonb_put(&b, "audit", audit);
	jsonb_str(&b, "place", d->forms_place);
	return call_reply(c, jsonb_finish(&b));
}

static const struct method daemon_methods[] = {
	{
		.name = "io.khoa.Daemon.Status",
		.admit = ADMIT_ANYONE,
		.run = status,
	},
	{ .name = NULL }
};

const struct interface api_daemon = { "io.khoa.Daemon", daemon_methods };
