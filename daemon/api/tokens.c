/*
 * io.khoa.Tokens: the tokens present, from the latest snapshot (List, Get,
 * Rescan), and the registry's record of a token (Register, Unregister,
 * ConfirmBinding, History) and of every registered one (Registered). A history's events carry no more personal data
 * than the caller may see (personal.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
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
#include "roles.h"
#include "scanner.h"
#include "store-events.h"
#include "store-registry.h"
#include "store-reading.h"
#include "store-tokens.h"
#include "token-json.h"
#include "validate.h"

static int
list(struct call *c, const void *args)
{
	const char *msg;
	size_t len;
	inventory_tokens_reply(call_daemon(c)->inventory, &msg, &len);
	return call_reply_message(c, msg, len);
}

struct get_args {
	const char *serial;
};
METHOD_ARGS_FIT(struct get_args);

static const struct khoa_param get_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct get_args, serial), true },
	{ NULL }
};

/* Token SERIAL as the registry last read it, for a reply (issue 16). */
static int
recorded_reply(struct khoad *d, const char *serial, json_object **reply)
{
	struct khoa_token t;
	struct token_sighting seen;
	json_object *token, *reg = NULL;
	int r = store_token_recorded(d->store, serial, &t, &seen);

	if (r < 0)
		return r;
	token = token_json(&t);
	khoa_token_clear(&t);
	if (!token)
		return -ENOMEM;
	if ((r = store_token_registration(d->store, serial, &reg)) < 0 ||
	    json_object_object_add(token, "registration", reg) < 0) {
		json_object_put(token);
		json_object_put(reg);
		return r < 0 ? r : -ENOMEM;
	}
	if (!(*reply = reply_with("token", token)))
		return -ENOMEM;
	return reply_reading(*reply, &seen);
}

static int
get(struct call *c, const void *args)
{
	const struct get_args *a = args;
	json_object *token, *reply = NULL;
	int r = inventory_token_json(call_daemon(c)->inventory, a->serial, &token);
	if (r == 0)
		return call_reply_object(c, "token", token);
	if (r == -ENOENT && (r = recorded_reply(call_daemon(c), a->serial, &reply)) == 0)
		return call_reply(c, reply);
	json_object_put(reply);
	if (r == -ENOENT)
		return call_fail(c, khoa_err_no_such_token(a->serial));
	return r;
}

static void
rescan_done(bool complete, void *userdata)
{
	struct call *c = userdata;
	unsigned timeout = call_daemon(c)->rescan_timeout_s;

	if (complete)
		list(c, NULL);
	else
		call_fail(c, khoa_err_timeout(timeout, "a module did not finish its scan within "
					      "%u seconds", timeout));
}

static int
rescan(struct call *c, const void *args)
{
	struct khoad *d = call_daemon(c);
	struct call *later = call_defer(c);
	if (!later)
		return -ENOMEM;
	log_debug("rescan asked by uid %u", (unsigned)call_peer(c)->uid);
	if (scanner_rescan(d->scanner, d->rescan_timeout_s, rescan_done, later) < 0)
		return call_fail_errno(later, -ENOMEM);
	return 0;
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

/* The token as Tokens.Get shows it, registration and all, as a reply. */
static int
reply_token(struct khoad *d, const char *serial, json_object **reply)
{
	json_object *token;
	int r = inventory_token_json(d->inventory, serial, &token);
	if (r < 0)
		return r;
	return (*reply = reply_with("token", token)) ? 0 : -ENOMEM;
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

static int
register_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct reg_args *a = arg;
	const struct khoa_token *t = inventory_find(d->inventory, a->serial);
	struct actor actor = call_actor(c);
	json_object *holder = NULL;
	int r;

	if (!t)
		return call_fail(c, khoa_err_no_such_token(a->serial));
	if ((r = holder_details(d, a, &holder)) == -ENOENT)
		return call_fail(c, a->person_id > 0 ? khoa_err_no_such_person(a->person_id)
						     : khoa_err_no_such_organization(a->organization_id));
	if (r == 0)
		r = store_token_register(d->store, a->serial, a->person_id, a->organization_id);
	if (r < 0)
		json_object_put(holder);
	if (r == -EEXIST)
		return call_fail(c, khoa_err_already_registered(a->serial));
	if (r == -ENOENT)	/* not recorded yet: the next scan will */
		return call_fail(c, khoa_err_no_such_token(a->serial));
	if (r < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_put(&b, "holder", holder);
	jsonb_put(&b, "certificates", cert_serials(t));
	if ((r = events_record(d->events, "token.registered", a->serial, &actor,
			       jsonb_finish(&b))) < 0)
		return r;
	return reply_token(d, a->serial, reply);
}

static int
do_register(struct call *c, const void *args)
{
	const struct reg_args *a = args;

	if ((a->person_id > 0) == (a->organization_id > 0))
		return invalid_field(c, "holder", KR(HOLDER_ONE));
	if (!inventory_find(call_daemon(c)->inventory, a->serial))
		return call_fail(c, khoa_err_no_such_token(a->serial));
	return registry_mutate(c, register_in, (void *)a);
}

struct unregister {
	const char *serial;
	const char *reason;
};

static int
unregister_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct unregister *u = arg;
	struct actor actor = call_actor(c);
	struct token_state st;
	int r;

	if ((r = store_token_state(d->store, u->serial, &st)) < 0)
		return r;
	bool known = st.known, registered = st.registered;
	store_token_state_clear(&st);
	if (!known)
		return call_fail(c, khoa_err_unknown_token(u->serial));
	if (!registered)
		return call_fail(c, khoa_err_not_registered(u->serial));
	if ((r = store_token_unregister(d->store, u->serial)) < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "reason", u->reason);
	return events_record(d->events, "token.unregistered", u->serial, &actor, jsonb_finish(&b));
}

static int
do_unregister(struct call *c, const void *args)
{
	const struct reg_args *a = args;
	const char *rule = NULL;
	char *reason = NULL;
	int r;

	if ((r = validate_text(a->reason, &reason, &rule)) < 0)
		return field_fail(c, r, "reason", rule);
	r = registry_mutate(c, unregister_in, &(struct unregister){ a->serial, reason });
	free(reason);
	return r;
}

static int
confirm_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct khoa_token *t = arg;
	struct actor actor = call_actor(c);
	struct token_state st;
	int r;

	if ((r = store_token_state(d->store, t->serial, &st)) < 0)
		return r;
	bool registered = st.registered;
	bool mismatch = registered && strcmp(st.bound_certs, st.seen_certs) != 0;
	store_token_state_clear(&st);
	if (!registered)
		return call_fail(c, khoa_err_not_registered(t->serial));
	if (!mismatch)
		return call_fail(c, khoa_err_no_mismatch(t->serial));
	if ((r = store_token_confirm(d->store, t->serial)) < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_put(&b, "certificates", cert_serials(t));
	if ((r = events_record(d->events, "token.binding_confirmed", t->serial, &actor,
			       jsonb_finish(&b))) < 0)
		return r;
	return reply_token(d, t->serial, reply);
}

static int
do_confirm(struct call *c, const void *args)
{
	const struct reg_args *a = args;
	const struct khoa_token *t = inventory_find(call_daemon(c)->inventory, a->serial);

	if (!t)
		return call_fail(c, khoa_err_no_such_token(a->serial));
	return registry_mutate(c, confirm_in, (void *)t);
}

static int
history(struct call *c, const void *args)
{
	const struct reg_args *a = args;
	struct khoad *d = call_daemon(c);
	struct token_state st;
	json_object *events = NULL;
	int r;

	if ((r = store_token_state(d->store, a->serial, &st)) < 0)
		return r;
	bool known = st.known;
	store_token_state_clear(&st);
	if (!known)
		return call_fail(c, khoa_err_unknown_token(a->serial));
	if ((r = store_events(d->store, 0, a->serial, 0, &events)) < 0 ||
	    (r = call_personal_each(c, events, personal_event)) < 0) {
		json_object_put(events);
		return r;
	}
	return call_reply_object(c, "events", events);
}

struct registered_args {
	struct page_args page;
};
METHOD_ARGS_FIT(struct registered_args);

static void
registered_args_init(void *args)
{
	page_args_init(&((struct registered_args *)args)->page);
}

static const struct khoa_param registered_params[] = {
	PAGE_PARAMS(struct registered_args, page),
	{ NULL }
};

/* Tokens.Registered: the province's to a technician or an admin, a
 * clerk's organizations to a clerk (a clerk of none named in [clerks]
 * keeps every organization's papers, as access.c has it). */
static int
registered(struct call *c, const void *args)
{
	const struct registered_args *a = args;
	const struct caller *who = call_caller(c);
	bool all = (who->roles & (ROLE_TECHNICIAN | ROLE_ADMIN)) || who->n_clerk_of == 0;
	struct store_page p;
	json_object *tokens = NULL;
	int r = page_limit(c, &a->page, &p);

	if (r != 0)
		return r;
	if ((r = store_tokens_registered(call_daemon(c)->store, all ? NULL : who->clerk_of,
					 who->n_clerk_of, &p, &tokens)) < 0)
		return page_fail(c, r);
	return page_reply(c, "tokens", tokens, &p);
}

static const struct method tokens_methods[] = {
	{
		.name = "io.khoa.Tokens.List",
		.admit = ADMIT_ANYONE,
		.snapshot = true,
		.run = list,
	},
	{
		.name = "io.khoa.Tokens.Registered",
		.admit = ADMIT_CLERK | ADMIT_TECHNICIAN | ADMIT_ADMIN,
		.params = registered_params,
		.run = registered,
		.init = registered_args_init,
	},
	{
		.name = "io.khoa.Tokens.Get",
		.admit = ADMIT_ANYONE,
		.snapshot = true,
		.params = get_params,
		.run = get,
	},
	{
		.name = "io.khoa.Tokens.Rescan",
		.admit = ADMIT_ANYONE,
		.run = rescan,
	},
	{
		.name = "io.khoa.Tokens.Register",
		.admit = ADMIT_TECHNICIAN,
		.snapshot = true,
		.params = register_params,
		.run = do_register,
	},
	{
		.name = "io.khoa.Tokens.Unregister",
		.admit = ADMIT_TECHNICIAN,
		.params = unregister_params,
		.run = do_unregister,
	},
	{
		.name = "io.khoa.Tokens.ConfirmBinding",
		.admit = ADMIT_TECHNICIAN,
		.snapshot = true,
		.params = serial_params,
		.run = do_confirm,
	},
	{
		.name = "io.khoa.Tokens.History",
		.admit = ADMIT_ANYONE,
		.params = serial_params,
		.run = history,
	},
	{ .name = NULL }
};

const struct interface api_tokens = { "io.khoa.Tokens", tokens_methods };
