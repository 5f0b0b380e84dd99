/* io.khoa.Organizations: agencies in the registry. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "errors.h"
#include "events.h"
#include "jsonb.h"
#include "khoad.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "registry.h"
#include "validate.h"

struct org_args {
	int64_t id;
	const char *name, *tax_code, *address, *email;
	int64_t parent_id;	/* -1: not given */
};
METHOD_ARGS_FIT(struct org_args);

static void
org_args_init(void *args)
{
	((struct org_args *)args)->parent_id = -1;
}

#define ORG_FIELDS(required) \
	{ "name", KHOA_PARAM_STRING, offsetof(struct org_args, name), required }, \
	{ "parent_id", KHOA_PARAM_INT, offsetof(struct org_args, parent_id), false }, \
	{ "tax_code", KHOA_PARAM_STRING, offsetof(struct org_args, tax_code), false }, \
	{ "address", KHOA_PARAM_STRING, offsetof(struct org_args, address), false }, \
	{ "email", KHOA_PARAM_STRING, offsetof(struct org_args, email), false }

static const struct khoa_param create_params[] = { ORG_FIELDS(true), { NULL } };
static const struct khoa_param update_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct org_args, id), true },
	ORG_FIELDS(false),
	{ NULL }
};
static const struct khoa_param id_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct org_args, id), true },
	{ NULL }
};

/* Validated copies of the given fields. */
struct org_values {
	struct org_fields f;
	char *name, *tax_code, *address, *email;
};

static void
org_values_clear(struct org_values *v)
{
	free(v->name);
	free(v->tax_code);
	free(v->address);
	free(v->email);
}

/* Validates A into V; false when the call was answered with an error. */
static bool
validate(struct call *c, const struct org_args *a, struct org_values *v)
{
	const char *rule = NULL;

	if (a->name) {
		v->f.set |= FIELD_NAME;
		if (!field_ok(c, validate_name(a->name, &v->name, &rule), "name", &rule))
			return false;
	}
	if (a->tax_code) {
		v->f.set |= FIELD_TAX_CODE;
		if (!field_ok(c, validate_tax_code(a->tax_code, &v->tax_code, &rule), "tax_code", &rule))
			return false;
	}
	if (a->address) {
		v->f.set |= FIELD_ADDRESS;
		if (!field_ok(c, validate_text(a->address, &v->address, &rule), "address", &rule))
			return false;
	}
	if (a->email) {
		v->f.set |= FIELD_EMAIL;
		if (!field_ok(c, validate_email(a->email, &v->email, &rule), "email", &rule))
			return false;
	}
	if (a->parent_id >= 0)
		v->f.set |= FIELD_PARENT;
	v->f.name = v->name;
	v->f.tax_code = v->tax_code;
	v->f.address = v->address;
	v->f.email = v->email;
	v->f.parent_id = a->parent_id > 0 ? a->parent_id : 0;
	return true;
}

/* The parent must exist and must not be the organization or below it. */
static bool
parent_ok(struct call *c, struct khoad *d, int64_t id, int64_t parent)
{
	json_object *o = NULL;
	bool cycle = false;
	int r;

	if (parent <= 0)
		return true;
	if ((r = store_org_get(d->store, parent, &o)) == -ENOENT) {
		reply_no_such_org(c, parent);
		return false;
	}
	json_object_put(o);
	if (r == 0 && id > 0)
		r = store_org_would_cycle(d->store, id, parent, &cycle);
	if (r < 0) {
		reply_store_error(c, r);
		return false;
	}
	if (cycle)
		return field_ok(c, -EINVAL, "parent_id",
				&(const char *){ "parent: an organization cannot be placed below itself" });
	return true;
}

static void
save(struct call *c, const struct org_args *a, bool create)
{
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	struct org_values v = { 0 };
	json_object *org = NULL;
	int64_t id = a->id;
	int r;

	if (!validate(c, a, &v))
		goto out;
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		goto out;
	}
	if (!parent_ok(c, d, id, a->parent_id)) {
		registry_rollback(d);
		goto out;
	}
	r = create ? store_org_create(d->store, &v.f, &id) : store_org_update(d->store, id, &v.f);
	if (r == 0)
		r = store_org_get(d->store, id, &org);
	if (r == 0)
		r = events_record(d->events, create ? "organization.created" : "organization.updated",
				  NULL, &actor, json_object_get(org));
	if (r == 0)
		r = registry_commit(d);
	else
		registry_rollback(d);

	if (r == -ENOENT)
		reply_no_such_org(c, id);
	else if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "organization", json_object_get(org));
	json_object_put(org);
out:
	org_values_clear(&v);
}

static void
create(struct call *c, const void *args)
{
	save(c, args, true);
}

static void
update(struct call *c, const void *args)
{
	save(c, args, false);
}

static void
list(struct call *c, const void *args)
{
	json_object *orgs;
	int r = store_org_list(call_daemon(c)->store, &orgs);
	if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "organizations", orgs);
}

static void
get(struct call *c, const void *args)
{
	const struct org_args *a = args;
	json_object *org;
	int r = store_org_get(call_daemon(c)->store, a->id, &org);
	if (r == -ENOENT)
		reply_no_such_org(c, a->id);
	else if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "organization", org);
}

static const struct method organizations_methods[] = {
	{
		.name = "io.khoa.Organizations.Create",
		.roles = ROLE_TECHNICIAN,
		.params = create_params,
		.run = create,
		.init = org_args_init,
	},
	{
		.name = "io.khoa.Organizations.Update",
		.roles = ROLE_TECHNICIAN,
		.params = update_params,
		.run = update,
		.init = org_args_init,
	},
	{
		.name = "io.khoa.Organizations.List",
		.roles = ROLES_ANYONE,
		.run = list,
	},
	{
		.name = "io.khoa.Organizations.Get",
		.roles = ROLES_ANYONE,
		.params = id_params,
		.run = get,
	},
	{ .name = NULL }
};

const struct interface api_organizations = { "io.khoa.Organizations", organizations_methods };
