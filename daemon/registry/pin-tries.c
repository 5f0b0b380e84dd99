/* The record of PIN tries (pin-tries.h). */
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "jsonb.h"
#include "log.h"
#include "pin-tries.h"
#include "registry.h"
#include "store-tokens.h"
#include "token-json.h"

static json_object *
details_of(const struct pin_try *t)
{
	struct jsonb b = jsonb_new();

	jsonb_str(&b, "pin", pin_kind_name(t->kind));
	jsonb_str(&b, "result", pin_try_result_name(t->result));
	if (t->result == PIN_TRY_FAILED)
		jsonb_str(&b, "error", t->error);
	jsonb_int(&b, "pid", t->pid);
	/* Absent when the token does not say: "many" is not a number. */
	if (t->tries_left >= 0)
		jsonb_int(&b, "tries_left", t->tries_left);
	jsonb_int(&b, "delay", t->delay_s);
	return jsonb_finish(&b);
}

/* The PIN state T left, in T's transaction: token.pin_changed by the one
 * who presented the PIN (a wrong PIN is a person's doing, not khoad's),
 * and the flags kept, so that the scan that follows finds nothing new. A
 * token the registry does not record here (never seen, another agency's)
 * is left to the scans. */
static int
state_changed(struct khoad *d, const struct pin_try *t)
{
	struct token_state st;
	int r;

	if (!t->have_flags)
		return 0;
	if ((r = store_token_state(d->store, t->serial, &st)) < 0)
		return r;
	bool changed = st.known && !st.hidden && st.flags != t->flags;
	unsigned long previous = st.flags;
	store_token_state_clear(&st);
	if (!changed)
		return 0;
	if ((r = store_token_flags(d->store, t->serial, t->flags)) < 0)
		return r;
	struct jsonb p = jsonb_new();
	jsonb_put(&p, "flags", token_flags_json(t->flags));
	jsonb_put(&p, "previous", token_flags_json(previous));
	return events_record(d->events, "token.pin_changed", t->serial, &t->actor,
			     jsonb_finish(&p));
}

void
registry_pin_tried(struct khoad *d, const struct pin_try *t)
{
	char left[16] = "many", after[96] = "";
	json_object *details;
	int r;

	if (t->tries_left >= 0)
		snprintf(left, sizeof(left), "%d", t->tries_left);
	if (t->result != PIN_TRY_RIGHT)
		snprintf(after, sizeof(after), "; tries left: %s; next try in %u s", left, t->delay_s);
	/* The line every try leaves, whatever becomes of the event. */
	log_info("token %s: %s PIN %s%s%s, presented by %s (uid %lld, pid %ld)%s", t->serial,
		 t->kind == PIN_KIND_SO ? "SO" : "user", pin_try_result_name(t->result),
		 t->result == PIN_TRY_FAILED ? ": " : "",
		 t->result == PIN_TRY_FAILED ? t->error : "", t->actor.user,
		 (long long)t->actor.uid, (long)t->pid, after);
	if (!(details = details_of(t))) {
		log_error("token %s: out of memory: the PIN try is not in the registry", t->serial);
		return;
	}
	if ((r = registry_begin(d)) < 0)
		json_object_put(details);
	else if ((r = events_record(d->events, "pin.tried", t->serial, &t->actor, details)) < 0 ||
		 (r = state_changed(d, t)) < 0)
		registry_rollback(d);	/* DETAILS went with the event */
	else
		r = registry_commit(d);	/* which rolls back when it fails */
	if (r < 0)
		log_error("token %s: the PIN try is not in the registry: %s", t->serial, strerror(-r));
}
