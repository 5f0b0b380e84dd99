/*
 * io.khoa.Tokens: the tokens present, from the latest snapshot (List, Get,
 * Rescan), and the registry's record of a token (Register, Unregister,
 * ConfirmBinding, History).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "events.h"
#include "inventory.h"
#include "jsonb.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "registry.h"
#include "scanner.h"
#include "validate.h"

static void
list(struct call *c, const void *args)
{
	const char *msg;
	size_t len;
	inventory_tokens_reply(call_daemon(c)->inventory, &msg, &len);
	call_reply_message(c, msg, len);
}

struct get_args {
	const char *serial;
};
METHOD_ARGS_FIT(struct get_args);

static const struct khoa_param get_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct get_args, serial), true },
	{ NULL }
};

static void
get(struct call *c, const void *args)
{
	const struct get_args *a = args;
	json_object *token;
	int r = inventory_token_json(call_daemon(c)->inventory, a->serial, &token);

	if (r == -ENOENT)
		call_error(c, khoa_error_newf(KHOA_ERROR_NO_SUCH_TOKEN, "serial", a->serial,
					      "no token with serial %s is present", a->serial));
	else if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "token", token);
}

static void
rescan_done(bool complete, void *userdata)
{
	struct call *c = userdata;
	unsigned timeout = call_daemon(c)->rescan_timeout_s;

	if (!complete) {
		call_error(c, khoa_error_add_int(
			khoa_error_newf(KHOA_ERROR_TIMEOUT, NULL, NULL,
					"a module did not finish its scan within %u seconds", timeout),
			"seconds", timeout));
		return;
	}
	list(c, NULL);
}

static void
rescan(struct call *c, const void *args)
{
	struct khoad *d = call_daemon(c);
	struct call *later = call_defer(c);
	if (!later) {
		call_error(c, NULL);
		return;
	}
	log_debug("rescan asked by uid %u", (unsigned)call_peer(c)->uid);
	if (scanner_rescan(d->scanner, d->rescan_timeout_s, rescan_done, later) < 0)
		call_error(later, NULL);
}

/* Reading the devices again changes nothing in them: any reader may ask. */

/* ---- the registry's record of a token ---- */

struct reg_args {
	const char *serial;
	int64_t person_id, organization_id;
	const char *reason;
};
METHOD_ARGS_FIT(struct reg_args);

static const struct khoa_param register_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct reg_args, serial), true },
	{ "person_id", KHOA_PARAM_INT, offsetof(struct reg_args, person_id), false },
	{ "organization_id", KHOA_PARAM_INT, offsetof(struct reg_args, organization_id), false },
	{ NULL }
};
static const struct khoa_param unregister_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct reg_args, serial), true },
	{ "reason", KHOA_PARAM_STRING, offsetof(struct reg_args, reason), false },
	{ NULL }
};
static const struct khoa_param serial_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct reg_args, serial), true },
	{ NULL }
};

static void
token_error(struct call *c, const char *error, const char *serial, const char *what)
{
	call_error(c, khoa_error_newf(error, "serial", serial, "token %s %s", serial, what));
}

static void
no_such_token(struct call *c, const char *serial)
{
	token_error(c, KHOA_ERROR_NO_SUCH_TOKEN, serial, "is not present");
}

/* After a commit: the token as Tokens.Get shows it. */
static void
reply_token(struct call *c, const char *serial)
{
	json_object *token;
	int r = inventory_token_json(call_daemon(c)->inventory, serial, &token);
	if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "token", token);
}

static json_object *
cert_serials(const struct khoa_token *t)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; arr && i < t->n_certs; i++)
		if (json_object_array_add(arr, json_object_new_string(t->certs[i].serial)) < 0) {
			json_object_put(arr);
			return NULL;
		}
	return arr;
}

/* The holder as recorded in the event: kind, id, name. */
static int
holder_details(struct khoad *d, const struct reg_args *a, json_object **out)
{
	bool person = a->person_id > 0;
	json_object *rec;
	int r = person ? store_person_get(d->store, a->person_id, &rec)
		       : store_org_get(d->store, a->organization_id, &rec);
	if (r < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "kind", person ? "person" : "organization");
	jsonb_int(&b, "id", person ? a->person_id : a->organization_id);
	jsonb_str(&b, "name", khoa_json_str(rec, person ? "full_name" : "name"));
	json_object_put(rec);
	return (*out = jsonb_finish(&b)) ? 0 : -ENOMEM;
}

static void
do_register(struct call *c, const void *args)
{
	const struct reg_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	const struct khoa_token *t = inventory_find(d->inventory, a->serial);
	json_object *holder = NULL;
	int r;

	if ((a->person_id > 0) == (a->organization_id > 0)) {
		field_ok(c, -EINVAL, "holder",
			 &(const char *){ "holder: exactly one of person_id and organization_id" });
		return;
	}
	if (!t) {
		no_such_token(c, a->serial);
		return;
	}
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		return;
	}
	r = holder_details(d, a, &holder);
	if (r == -ENOENT) {
		if (a->person_id > 0)
			reply_no_such_person(c, a->person_id);
		else
			reply_no_such_org(c, a->organization_id);
		goto fail;
	}
	if (r == 0)
		r = store_token_register(d->store, a->serial, a->person_id, a->organization_id);
	if (r == -EEXIST) {
		token_error(c, KHOA_ERROR_ALREADY_REGISTERED, a->serial, "is registered already");
		goto fail;
	}
	if (r == -ENOENT) {
		no_such_token(c, a->serial);	/* not recorded yet: the next scan will */
		goto fail;
	}
	struct jsonb b = jsonb_new();
	jsonb_put(&b, "holder", holder);
	holder = NULL;
	jsonb_put(&b, "certificates", cert_serials(t));
	if (r == 0)
		r = events_record(d->events, "token.registered", a->serial, &actor, jsonb_finish(&b));
	else
		json_object_put(jsonb_finish(&b));
	if (r == 0 && (r = registry_commit(d)) == 0) {
		reply_token(c, a->serial);
		return;
	}
	reply_store_error(c, r);
fail:
	json_object_put(holder);
	registry_rollback(d);
}

static void
do_unregister(struct call *c, const void *args)
{
	const struct reg_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	const char *rule = NULL;
	char *reason = NULL;
	struct token_state st;
	int r;

	if (!field_ok(c, validate_text(a->reason, &reason, &rule), "reason", &rule))
		return;
	if ((r = registry_begin(d)) < 0 || (r = store_token_state(d->store, a->serial, &st)) < 0) {
		reply_store_error(c, r);
		goto fail;
	}
	bool known = st.known, registered = st.registered;
	store_token_state_clear(&st);
	if (!known) {
		token_error(c, KHOA_ERROR_NO_SUCH_TOKEN, a->serial, "is not in the registry");
		goto fail;
	}
	if (!registered) {
		token_error(c, KHOA_ERROR_NOT_REGISTERED, a->serial, "is not registered");
		goto fail;
	}
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "reason", reason);
	if ((r = store_token_unregister(d->store, a->serial)) == 0)
		r = events_record(d->events, "token.unregistered", a->serial, &actor, jsonb_finish(&b));
	else
		json_object_put(jsonb_finish(&b));
	if (r == 0 && (r = registry_commit(d)) == 0) {
		call_reply(c, json_object_new_object());
		free(reason);
		return;
	}
	reply_store_error(c, r);
fail:
	registry_rollback(d);
	free(reason);
}

static void
do_confirm(struct call *c, const void *args)
{
	const struct reg_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	const struct khoa_token *t = inventory_find(d->inventory, a->serial);
	struct token_state st;
	int r;

	if (!t) {
		no_such_token(c, a->serial);
		return;
	}
	if ((r = registry_begin(d)) < 0 || (r = store_token_state(d->store, a->serial, &st)) < 0) {
		reply_store_error(c, r);
		registry_rollback(d);
		return;
	}
	bool registered = st.registered;
	bool mismatch = registered && strcmp(st.bound_certs, st.seen_certs) != 0;
	store_token_state_clear(&st);
	if (!registered)
		token_error(c, KHOA_ERROR_NOT_REGISTERED, a->serial, "is not registered");
	else if (!mismatch)
		token_error(c, KHOA_ERROR_NO_MISMATCH, a->serial,
			    "carries the certificates it is bound to");
	if (!mismatch) {
		registry_rollback(d);
		return;
	}
	struct jsonb b = jsonb_new();
	jsonb_put(&b, "certificates", cert_serials(t));
	if ((r = store_token_confirm(d->store, a->serial)) == 0)
		r = events_record(d->events, "token.binding_confirmed", a->serial, &actor,
				  jsonb_finish(&b));
	else
		json_object_put(jsonb_finish(&b));
	if (r == 0 && (r = registry_commit(d)) == 0) {
		reply_token(c, a->serial);
		return;
	}
	registry_rollback(d);
	reply_store_error(c, r);
}

static void
history(struct call *c, const void *args)
{
	const struct reg_args *a = args;
	struct khoad *d = call_daemon(c);
	struct token_state st;
	json_object *events;
	int r;

	if ((r = store_token_state(d->store, a->serial, &st)) < 0) {
		reply_store_error(c, r);
		return;
	}
	bool known = st.known;
	store_token_state_clear(&st);
	if (!known) {
		token_error(c, KHOA_ERROR_NO_SUCH_TOKEN, a->serial, "was never seen");
		return;
	}
	if ((r = store_events(d->store, 0, a->serial, &events)) < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "events", events);
}

static const struct method tokens_methods[] = {
	{
		.name = "io.khoa.Tokens.List",
		.roles = ROLES_ANYONE,
		.snapshot = true,
		.run = list,
	},
	{
		.name = "io.khoa.Tokens.Get",
		.roles = ROLES_ANYONE,
		.snapshot = true,
		.params = get_params,
		.run = get,
	},
	{
		.name = "io.khoa.Tokens.Rescan",
		.roles = ROLES_ANYONE,
		.run = rescan,
	},
	{
		.name = "io.khoa.Tokens.Register",
		.roles = ROLE_TECHNICIAN,
		.snapshot = true,
		.params = register_params,
		.run = do_register,
	},
	{
		.name = "io.khoa.Tokens.Unregister",
		.roles = ROLE_TECHNICIAN,
		.params = unregister_params,
		.run = do_unregister,
	},
	{
		.name = "io.khoa.Tokens.ConfirmBinding",
		.roles = ROLE_TECHNICIAN,
		.snapshot = true,
		.params = serial_params,
		.run = do_confirm,
	},
	{
		.name = "io.khoa.Tokens.History",
		.roles = ROLES_ANYONE,
		.params = serial_params,
		.run = history,
	},
	{ .name = NULL }
};

const struct interface api_tokens = { "io.khoa.Tokens", tokens_methods };
