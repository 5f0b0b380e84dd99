/* io.khoa.Pin: the user PIN of the tokens present. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <p11-kit/pkcs11.h>

#include "device-state.h"
#include "errors.h"
#include "events.h"
#include "inventory.h"
#include "jsonb.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "access.h"
#include "api.h"
#include "methods.h"
#include "pin-ops.h"
#include "registry.h"

struct pin_args {
	const char *serial;
	const char *old_pin, *new_pin;	/* parsed for presence; taken as secrets */
	bool final_try;
};
METHOD_ARGS_FIT(struct pin_args);

static const struct khoa_param status_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct pin_args, serial), false },
	{ NULL }
};
static const struct khoa_param change_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct pin_args, serial), true },
	{ "old_pin", KHOA_PARAM_STRING, offsetof(struct pin_args, old_pin), true },
	{ "new_pin", KHOA_PARAM_STRING, offsetof(struct pin_args, new_pin), true },
	{ "final_try", KHOA_PARAM_BOOL, offsetof(struct pin_args, final_try), false },
	{ NULL }
};

/* The most urgent state first. */
static const char *
state_of(unsigned long f)
{
	if (!(f & CKF_USER_PIN_INITIALIZED))
		return "not_initialized";
	if (f & CKF_USER_PIN_LOCKED)
		return "locked";
	if (f & CKF_USER_PIN_FINAL_TRY)
		return "final_try";
	if (f & CKF_USER_PIN_COUNT_LOW)
		return "count_low";
	if (f & CKF_USER_PIN_TO_BE_CHANGED)
		return "to_be_changed";
	return "ok";
}

static json_object *
pin_state_json(const struct khoa_token *t)
{
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "serial", t->serial);
	jsonb_str(&b, "label", t->label);
	jsonb_str(&b, "state", state_of(t->flags));
	jsonb_bool(&b, "count_low", t->flags & CKF_USER_PIN_COUNT_LOW);
	jsonb_bool(&b, "final_try", t->flags & CKF_USER_PIN_FINAL_TRY);
	jsonb_bool(&b, "locked", t->flags & CKF_USER_PIN_LOCKED);
	jsonb_bool(&b, "to_be_changed", t->flags & CKF_USER_PIN_TO_BE_CHANGED);
	jsonb_int(&b, "min_length", t->min_pin_len > 4096 ? 0 : (int64_t)t->min_pin_len);
	jsonb_int(&b, "max_length", t->max_pin_len > 4096 ? 0 : (int64_t)t->max_pin_len);
	return jsonb_finish(&b);
}

static int
status(struct call *c, const void *args)
{
	const struct pin_args *a = args;
	struct inventory *inv = call_daemon(c)->inventory;
	struct jsonb b = jsonb_new();
	json_object *arr = json_object_new_array();

	jsonb_put(&b, "tokens", arr);
	if (a->serial) {
		const struct khoa_token *t = inventory_find(inv, a->serial);
		if (!t) {
			json_object_put(jsonb_finish(&b));
			return call_fail(c, khoa_err_no_such_token(a->serial));
		}
		jsonb_append(&b, arr, pin_state_json(t));
	} else {
		for (size_t m = 0; b.ok && m < inventory_n_modules(inv); m++) {
			const char *error;
			const struct khoa_token_list *l = inventory_module_tokens(inv, m, &error);
			for (size_t i = 0; b.ok && i < l->n; i++)
				jsonb_append(&b, arr, pin_state_json(&l->tokens[i]));
		}
	}
	return call_reply(c, jsonb_finish(&b));
}

struct change {
	struct call *call;
	struct actor actor;
	char user[64];
	char serial[];
};

static void
changed(const struct pin_outcome *o, void *userdata)
{
	struct change *ch = userdata;
	struct khoad *d = call_daemon(ch->call);

	if (o->result != PIN_OK) {
		call_fail(ch->call, pin_outcome_error(o, ch->serial));
		free(ch);
		return;
	}
	/* The record of who changed a PIN, never the PIN. */
	if (registry_begin(d) == 0 &&
	    events_record(d->events, "pin.changed", ch->serial, &ch->actor, NULL) == 0)
		registry_commit(d);
	else
		registry_rollback(d);
	call_reply(ch->call, json_object_new_object());
	free(ch);
}

/* The last try that locks the token is the holder's to spend (or a
 * technician's): not the custodian's, nor the seat's. 0, or as a handler
 * returns. */
static int
may_spend_final_try(struct call *c, const char *serial)
{
	struct scope s;
	int r = access_subject_token(call_daemon(c), serial, &s);
	if (r < 0 || access_admits(call_caller(c), ADMIT_SELF | ADMIT_TECHNICIAN, &s))
		return r;
	return methods_refuse(c, ADMIT_SELF, &s, ": final_try is accepted only from the holder "
			      "or a technician");
}

static int
change(struct call *c, const void *args)
{
	const struct pin_args *a = args;
	json_object *frozen;
	int r;

	/* a lost token plugged in again is no one's to try a PIN on until a
	 * technician clears it (issue 16) */
	if ((r = device_state_guard(call_daemon(c), a->serial, "pin", NULL, &frozen)) != 0)
		return r > 0 ? call_fail(c, frozen) : r;
	if (a->final_try && (r = may_spend_final_try(c, a->serial)) != 0)
		return r;
	json_object *params = call_parameters(c);
	bool enomem1, enomem2;
	struct secret *old_pin = secret_take(params, "old_pin", &enomem1);
	struct secret *new_pin = secret_take(params, "new_pin", &enomem2);
	size_t n = strlen(a->serial) + 1;
	struct change *ch = old_pin && new_pin ? calloc(1, sizeof(*ch) + n) : NULL;

	if (!ch || !(ch->call = call_defer(c))) {
		secret_free(old_pin);
		secret_free(new_pin);
		free(ch);
		return -ENOMEM;
	}
	memcpy(ch->serial, a->serial, n);
	ch->actor = call_actor(ch->call);
	snprintf(ch->user, sizeof(ch->user), "%s", ch->actor.user);
	ch->actor.user = ch->user;
	pin_change(call_daemon(ch->call), ch->serial, old_pin, new_pin, a->final_try,
		   call_peer(ch->call), changed, ch);
	return 0;
}

/* A PIN is presented by the holder, the custodian or a technician (or, for
 * a token nobody holds, the user at the seat): the table admits them. */

static const struct method pin_methods[] = {
	{
		.name = "io.khoa.Pin.Status",
		.admit = ADMIT_ANYONE,
		.snapshot = true,
		.params = status_params,
		.run = status,
	},
	{
		.name = "io.khoa.Pin.Change",
		.admit = ADMIT_SELF | ADMIT_CUSTODIAN | ADMIT_TECHNICIAN | ADMIT_SEAT,
		.subject = SUBJECT_TOKEN,
		.key = offsetof(struct pin_args, serial),
		.snapshot = true,
		.params = change_params,
		.run = change,
	},
	{ .name = NULL }
};

const struct interface api_pin = { "io.khoa.Pin", pin_methods };
