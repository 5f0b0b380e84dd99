/* What changed on the devices since the registry last saw them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "jsonb.h"
#include "lineage.h"
#include "log.h"
#include "reconcile.h"
#include "registry.h"
#include "store-device-states.h"
#include "store-tokens.h"
#include "store.h"
#include "token-json.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The token's certificates as a key: SHA-256 fingerprints, sorted,
 * comma-joined ("" for none). */
static char *
cert_key(const struct khoa_token *t)
{
	const char **v = calloc(t->n_certs + 1, sizeof(*v));
	size_t len = 1;
	if (!v)
		return NULL;
	for (size_t i = 0; i < t->n_certs; i++) {
		v[i] = t->certs[i].sha256;
		len += strlen(v[i]) + 1;
	}
	qsort(v, t->n_certs, sizeof(*v), cmp_str);
	char *key = malloc(len);
	if (key) {
		key[0] = '\0';
		for (size_t i = 0; i < t->n_certs; i++) {
			if (i)
				strcat(key, ",");
			strcat(key, v[i]);
		}
	}
	free(v);
	return key;
}

static json_object *
serials_of(const struct khoa_token *t)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; arr && i < t->n_certs; i++) {
		json_object *s = json_object_new_string(t->certs[i].serial);
		if (!s || json_object_array_add(arr, s) < 0) {
			json_object_put(s);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

/* Details of certificate events: what was expected, what is there. */
static json_object *
cert_details(struct khoad *d, const char *before_key, const char *before_name,
	     const struct khoa_token *t)
{
	json_object *before = NULL;
	struct jsonb b = jsonb_new();
	if (store_cert_serials(d->store, before_key, &before) < 0)
		b.ok = false;
	jsonb_put(&b, before_name, before);
	jsonb_put(&b, "found", serials_of(t));
	return jsonb_finish(&b);
}

static int
record(struct khoad *d, const char *type, const char *serial, json_object *details)
{
	return events_record(d->events, type, serial, NULL, details);
}

/* One token present in the scan. */
static int
token_present(struct khoad *d, const struct khoa_token *t, bool *changed)
{
	struct token_state st;
	int r;
	char *seen = cert_key(t);

	if (!seen)
		return -ENOMEM;
	if ((r = store_token_state(d->store, t->serial, &st)) < 0) {
		free(seen);
		return r;
	}
	/* Another agency's token on this desk: where it is, nothing more. */
	if (st.hidden) {
		*changed = false;
		free(seen);
		store_token_state_clear(&st);
		return store_token_sighted(d->store, t);
	}

	bool certs_changed = st.known && strcmp(st.seen_certs, seen) != 0;
	bool appeared = !st.known || !st.present;
	bool pin_changed = st.known && st.flags != t->flags;
	bool was_mismatch = st.registered && strcmp(st.bound_certs, st.seen_certs) != 0;
	bool mismatch = st.registered && strcmp(st.bound_certs, seen) != 0;
	bool module_changed = st.known && strcmp(st.module, t->module) != 0;

	*changed = appeared || certs_changed || pin_changed || module_changed;
	if (*changed && (r = store_token_seen(d->store, t, seen)) == 0) {
		if (appeared) {
			struct jsonb b = jsonb_new();
			jsonb_str(&b, "label", t->label);
			jsonb_bool(&b, "first_seen", !st.known);
			r = record(d, "token.appeared", t->serial, jsonb_finish(&b));
		}
		if (r == 0 && pin_changed) {
			struct jsonb p = jsonb_new();
			jsonb_put(&p, "flags", token_flags_json(t->flags));
			jsonb_put(&p, "previous", token_flags_json(st.flags));
			r = record(d, "token.pin_changed", t->serial, jsonb_finish(&p));
		}
		if (r == 0 && certs_changed)
			r = record(d, "token.certificates_changed", t->serial,
				   cert_details(d, st.seen_certs, "previous", t));
	}
	/* A token reported lost, plugged in: token.found at once, an alert;
	 * it stays frozen until a technician clears it (device-state.h). */
	if (r == 0 && appeared) {
		bool first = false;
		if ((r = store_device_state_seen(d->store, t->serial, &first)) == 0 && first) {
			struct jsonb f = jsonb_new();
			jsonb_str(&f, "label", t->label);
			jsonb_str(&f, "module", t->module);
			r = record(d, "token.found", t->serial, jsonb_finish(&f));
			*changed = true;
		}
	}
	/* A token back from the CA with the certificate a request waited
	 * for: an expected change, bound at once (lineage.c), no mismatch. */
	bool linked = false;
	if (r == 0 && (appeared || certs_changed) &&
	    (r = lineage_on_token(d, t, st.registered, &linked)) == 0 && linked)
		*changed = true;
	/* Raised when a registered token starts differing from its binding,
	 * or differs anew; not again at every scan. */
	if (r == 0 && *changed && !linked && mismatch && (!was_mismatch || certs_changed))
		r = record(d, "token.mismatch", t->serial,
			   cert_details(d, st.bound_certs, "expected", t));
	store_token_state_clear(&st);
	free(seen);
	return r;
}

static bool
in_scan(const struct khoa_token_list *l, const char *serial)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->tokens[i].serial, serial) == 0)
			return true;
	return false;
}

int
reconcile_module(struct khoad *d, const char *module, const struct khoa_token_list *l)
{
	char **present = NULL;
	bool changed = false;
	int r;

	if ((r = registry_begin(d)) < 0)
		return r;
	for (size_t i = 0; i < l->n && r == 0; i++) {
		bool c = false;
		r = token_present(d, &l->tokens[i], &c);
		changed |= c;
	}
	if (r == 0)
		r = store_tokens_present(d->store, module, &present);
	for (size_t i = 0; r == 0 && present[i]; i++) {
		if (in_scan(l, present[i]))
			continue;
		changed = true;
		if ((r = store_token_gone(d->store, present[i])) == 0)
			r = record(d, "token.removed", present[i], NULL);
	}
	for (size_t i = 0; present && present[i]; i++)
		free(present[i]);
	free(present);

	if (r < 0 || !changed) {
		registry_rollback(d);
		if (r < 0)
			log_error("module %s: could not record what it read", module);
		return r;
	}
	return (r = registry_commit(d)) < 0 ? r : 1;
}
