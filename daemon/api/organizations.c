/* io.khoa.Organizations: agencies in the registry. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "events.h"
#include "jsonb.h"
#include "khoad.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "registry.h"
#include "store-duplicates.h"
#include "store-registry.h"
#include "store-revocation-due.h"
#include "validate.h"

struct org_args {
	int64_t id;
	const char *name, *tax_code, *address, *email, *managing_body;
	const char *reorganized;	/* Update: split, merge, consolidation, dissolution */
	int64_t parent_id;	/* -1: not given */
	int64_t manager_id;	/* -1: not given */
	struct page_args page;	/* List */
};
METHOD_ARGS_FIT(struct org_args);

static void
org_args_init(void *args)
{
	struct org_args *a = args;
	a->parent_id = -1;
	a->manager_id = -1;
	page_args_init(&a->page);
}

#define ORG_FIELDS(required) \
	{ "name", KHOA_PARAM_STRING, offsetof(struct org_args, name), required }, \
	{ "parent_id", KHOA_PARAM_INT, offsetof(struct org_args, parent_id), false }, \
	{ "tax_code", KHOA_PARAM_STRING, offsetof(struct org_args, tax_code), false }, \
	{ "address", KHOA_PARAM_STRING, offsetof(struct org_args, address), false }, \
	{ "email", KHOA_PARAM_STRING, offsetof(struct org_args, email), false }, \
	{ "managing_body", KHOA_PARAM_STRING, offsetof(struct org_args, managing_body), false }

static const struct khoa_param create_params[] = { ORG_FIELDS(true), { NULL } };
static const struct khoa_param update_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct org_args, id), true },
	ORG_FIELDS(false),
	{ "manager_id", KHOA_PARAM_INT, offsetof(struct org_args, manager_id), false },
	{ "reorganized", KHOA_PARAM_STRING, offsetof(struct org_args, reorganized), false },
	{ NULL }
};
static const struct khoa_param id_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct org_args, id), true },
	{ NULL }
};
static const struct khoa_param list_params[] = {
	PAGE_PARAMS(struct org_args, page),
	{ NULL }
};

/* Validated copies of the given fields. */
struct org_values {
	struct org_fields f;
	char *name, *tax_code, *address, *email, *managing_body;
};

static void
org_values_clear(struct org_values *v)
{
	free(v->name);
	free(v->tax_code);
	free(v->address);
	free(v->email);
	free(v->managing_body);
}

#define TEXT(name, bit, fn) \
	{ #name, bit, fn, offsetof(struct org_args, name), offsetof(struct org_values, name) }
static const struct text_field org_texts[] = {
	TEXT(name, FIELD_NAME, validate_name),
	TEXT(tax_code, FIELD_TAX_CODE, validate_tax_code),
	TEXT(address, FIELD_ADDRESS, validate_text),
	TEXT(email, FIELD_EMAIL, validate_email),
	TEXT(managing_body, FIELD_MANAGING_BODY, validate_text),
	{ NULL }
};
#undef TEXT

/* Validates A into V: 0, or what a handler returns (answered, or an errno). */
static int
validate(struct call *c, const struct org_args *a, struct org_values *v)
{
	int r = validate_fields(c, org_texts, a, v, &v->f.set);
	if (r != 0)
		return r;
	if (a->parent_id >= 0)
		v->f.set |= FIELD_PARENT;
	if (a->manager_id >= 0)
		v->f.set |= FIELD_MANAGER;
	v->f.managing_body = v->managing_body;
	v->f.manager_id = a->manager_id > 0 ? a->manager_id : 0;
	v->f.name = v->name;
	v->f.tax_code = v->tax_code;
	v->f.address = v->address;
	v->f.email = v->email;
	v->f.parent_id = a->parent_id > 0 ? a->parent_id : 0;
	return 0;
}

/* The parent must exist and must not be the organization or below it. */
static int
check_parent(struct call *c, struct khoad *d, int64_t id, int64_t parent)
{
	json_object *o = NULL;
	bool cycle = false;
	int r;

	if (parent <= 0)
		return 0;
	if ((r = store_org_get(d->store, parent, &o)) == -ENOENT)
		return call_fail(c, khoa_err_no_such_organization(parent));
	json_object_put(o);
	if (r == 0 && id > 0)
		r = store_org_would_cycle(d->store, id, parent, &cycle);
	if (r == 0 && cycle)
		return invalid_field(c, "parent_id", KR(PARENT_SELF));
	return r;
}

/* The manager of organization ID's certificate must exist and work for it
 * or for a unit below it (the person with authority over its seal, Mẫu 01
 * note 3): so only an Update names one, once the organization has people. */
static int
check_manager(struct call *c, struct khoad *d, int64_t id, int64_t manager)
{
	json_object *p = NULL;
	bool ours = false;
	int r;

	if (manager <= 0)
		return 0;
	/* an organization that is not there is the update's to say */
	if ((r = store_org_get(d->store, id, &p)) < 0)
		return r == -ENOENT ? 0 : r;
	json_object_put(p);
	if ((r = store_person_get(d->store, manager, &p)) == -ENOENT)
		return call_fail(c, khoa_err_no_such_person(manager));
	int64_t org = r == 0 ? khoa_json_int(p, "organization_id") : 0;
	json_object_put(p);
	/* ID is ORG or above it: a loop would close were ID placed below ORG */
	if (r == 0 && org > 0)
		r = store_org_would_cycle(d->store, id, org, &ours);
	if (r == 0 && !ours)
		return invalid_field(c, "manager_id",
				     "manager: a person of this organization or of a unit of it");
	return r;
}

struct org_save {
	const struct org_args *a;
	struct org_values v;
	bool create;
};

/* R-REVOKE-ORG (Điều 6.1a): an organization's certificate is revoked when
 * it is renamed, split, merged, consolidated or dissolved. Organization
 * ID's update O makes one (WAS_NAME: its name before): each certificate it
 * holds becomes due for revocation, certificate.revocation_due (issue 16).
 * 0, or a negative errno. */
static int
org_changed(struct call *c, struct khoad *d, int64_t id, const char *was_name,
	    const struct org_save *o)
{
	struct actor actor = call_actor(c);
	const char *reason = o->a->reorganized;
	json_object *marked = NULL;
	int r;

	if (!reason && (o->v.f.set & FIELD_NAME) && was_name && strcmp(o->v.f.name, was_name) != 0)
		reason = "rename";
	if (!reason)
		return 0;
	if ((r = store_due_mark(d->store, 0, id, reason, "R-REVOKE-ORG", &actor, &marked)) < 0)
		return r;
	r = due_events(d, marked, reason, "R-REVOKE-ORG", &actor);
	json_object_put(marked);
	return r;
}

static int
save_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	struct org_save *o = arg;
	struct actor actor = call_actor(c);
	int64_t id = o->a->id;
	json_object *org;
	int r;

	if ((r = check_parent(c, d, id, o->a->parent_id)) != 0 ||
	    (r = check_manager(c, d, id, o->a->manager_id)) != 0)
		return r;
	/* its name as it was: a rename is a reason to revoke (R-REVOKE-ORG) */
	char *was_name = NULL;
	if (!o->create && (r = store_org_get(d->store, id, &org)) == 0) {
		const char *n = khoa_json_str(org, "name");
		was_name = n ? strdup(n) : NULL;
		json_object_put(org);
		if (n && !was_name)
			return -ENOMEM;
	}
	r = o->create ? store_org_create(d->store, &o->v.f, &id)
		      : store_org_update(d->store, id, &o->v.f);
	if (r == 0 && !o->create)
		r = org_changed(c, d, id, was_name, o);
	free(was_name);
	if (r == -ENOENT)
		return call_fail(c, khoa_err_no_such_organization(id));
	/* unique by tax code, and by name under one parent (issue 16) */
	struct store_duplicate dup;
	if (r == 0 && (r = store_org_duplicate(d->store, id, &dup)) > 0)
		return call_fail(c, khoa_err_duplicate("organization", dup.id, dup.field, NULL));
	if (r < 0 || (r = store_org_get(d->store, id, &org)) < 0)
		return r;
	if (!(*reply = reply_with("organization", json_object_get(org)))) {
		json_object_put(org);
		return -ENOMEM;
	}
	return events_record(d->events, o->create ? "organization.created" : "organization.updated",
			     NULL, &actor, org);
}

static int
save(struct call *c, const struct org_args *a, bool create)
{
	static const char *const reorganizations[] = {
		"split", "merge", "consolidation", "dissolution", NULL,
	};
	struct org_save o = { .a = a, .create = create };
	bool known = !a->reorganized;
	for (const char *const *x = reorganizations; !known && *x; x++)
		known = strcmp(*x, a->reorganized) == 0;
	if (!known)
		return invalid_fieldv(c, "reorganized", KR(ONE_OF), 1,
				      "split,merge,consolidation,dissolution");
	int r = validate(c, a, &o.v);
	if (r == 0)
		r = registry_mutate(c, save_in, &o);
	org_values_clear(&o.v);
	return r;
}

static int
create(struct call *c, const void *args)
{
	return save(c, args, true);
}

static int
update(struct call *c, const void *args)
{
	return save(c, args, false);
}

static int
list(struct call *c, const void *args)
{
	const struct org_args *a = args;
	struct store_page p;
	json_object *orgs;
	int r = page_limit(c, &a->page, &p);
	if (r != 0)
		return r;
	if ((r = store_org_list(call_daemon(c)->store, &p, &orgs)) < 0)
		return page_fail(c, r);
	return page_reply(c, "organizations", orgs, &p);
}

static int
get(struct call *c, const void *args)
{
	const struct org_args *a = args;
	json_object *org;
	int r = store_org_get(call_daemon(c)->store, a->id, &org);
	if (r == -ENOENT)
		return call_fail(c, khoa_err_no_such_organization(a->id));
	return r < 0 ? r : call_reply_object(c, "organization", org);
}

static const struct method organizations_methods[] = {
	{
		.name = "io.khoa.Organizations.Create",
		.admit = ADMIT_TECHNICIAN,
		.params = create_params,
		.run = create,
		.init = org_args_init,
	},
	{
		.name = "io.khoa.Organizations.Update",
		.admit = ADMIT_TECHNICIAN,
		.params = update_params,
		.run = update,
		.init = org_args_init,
	},
	{
		.name = "io.khoa.Organizations.List",
		.admit = ADMIT_ANYONE,
		.params = list_params,
		.run = list,
		.init = org_args_init,
	},
	{
		.name = "io.khoa.Organizations.Get",
		.admit = ADMIT_ANYONE,
		.params = id_params,
		.run = get,
	},
	{ .name = NULL }
};

const struct interface api_organizations = { "io.khoa.Organizations", organizations_methods };
