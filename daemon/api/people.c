/* io.khoa.People: holders of personal tokens and officials on the forms. */
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

struct person_args {
	int64_t id;
	const char *full_name, *id_number, *birth_date, *position, *email, *phone;
	int64_t organization_id;	/* -1: not given */
};
METHOD_ARGS_FIT(struct person_args);

static void
person_args_init(void *args)
{
	((struct person_args *)args)->organization_id = -1;
}

#define PERSON_FIELDS(required) \
	{ "full_name", KHOA_PARAM_STRING, offsetof(struct person_args, full_name), required }, \
	{ "id_number", KHOA_PARAM_STRING, offsetof(struct person_args, id_number), required }, \
	{ "birth_date", KHOA_PARAM_STRING, offsetof(struct person_args, birth_date), false }, \
	{ "position", KHOA_PARAM_STRING, offsetof(struct person_args, position), false }, \
	{ "organization_id", KHOA_PARAM_INT, offsetof(struct person_args, organization_id), false }, \
	{ "email", KHOA_PARAM_STRING, offsetof(struct person_args, email), false }, \
	{ "phone", KHOA_PARAM_STRING, offsetof(struct person_args, phone), false }

static const struct khoa_param create_params[] = { PERSON_FIELDS(true), { NULL } };
static const struct khoa_param update_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct person_args, id), true },
	PERSON_FIELDS(false),
	{ NULL }
};
static const struct khoa_param id_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct person_args, id), true },
	{ NULL }
};
static const struct khoa_param list_params[] = {
	{ "organization_id", KHOA_PARAM_INT, offsetof(struct person_args, organization_id), false },
	{ NULL }
};

struct person_values {
	struct person_fields f;
	char *full_name, *id_number, *birth_date, *position, *email, *phone;
};

static void
person_values_clear(struct person_values *v)
{
	free(v->full_name);
	free(v->id_number);
	free(v->birth_date);
	free(v->position);
	free(v->email);
	free(v->phone);
}

/* One optional text field: validated when given. */
#define CHECK(field, bit, fn, member)							\
	do {										\
		if (a->member) {							\
			v->f.set |= (bit);						\
			if (!field_ok(c, fn(a->member, &v->member, &rule), field, &rule))\
				return false;						\
		}									\
	} while (0)

/* Validates A into V. The CCCD's year is checked against the birth date
 * given now, or against the stored one when only one of them changes. */
static bool
validate(struct call *c, const struct person_args *a, const char *stored_birth,
	 struct person_values *v)
{
	const char *rule = NULL;

	CHECK("full_name", FIELD_NAME, validate_name, full_name);
	CHECK("birth_date", FIELD_BIRTH_DATE, validate_birth_date, birth_date);
	if (a->id_number) {
		const char *birth = a->birth_date ? v->birth_date : stored_birth;
		v->f.set |= FIELD_ID_NUMBER;
		if (!field_ok(c, validate_id_number(a->id_number, birth, &v->id_number, &rule),
			      "id_number", &rule))
			return false;
	}
	CHECK("position", FIELD_POSITION, validate_text, position);
	CHECK("email", FIELD_EMAIL, validate_email, email);
	CHECK("phone", FIELD_PHONE, validate_phone, phone);
	if (a->organization_id >= 0)
		v->f.set |= FIELD_ORGANIZATION;
	v->f.full_name = v->full_name;
	v->f.id_number = v->id_number;
	v->f.birth_date = v->birth_date;
	v->f.position = v->position;
	v->f.email = v->email;
	v->f.phone = v->phone;
	v->f.organization_id = a->organization_id > 0 ? a->organization_id : 0;
	return true;
}

/* A new birth date must still agree with the stored CCCD. */
static bool
stored_id_ok(struct call *c, json_object *stored, const struct person_values *v)
{
	const char *rule = NULL;
	char *out = NULL;
	const char *id = khoa_json_str(stored, "id_number");
	if (!(v->f.set & FIELD_BIRTH_DATE) || (v->f.set & FIELD_ID_NUMBER) || !id)
		return true;
	int r = validate_id_number(id, v->birth_date, &out, &rule);
	free(out);
	return field_ok(c, r, "birth_date", &rule);
}

static void
save(struct call *c, const struct person_args *a, bool create)
{
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	struct person_values v = { 0 };
	json_object *person = NULL, *stored = NULL, *org = NULL;
	int64_t id = a->id;
	int r;

	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		return;
	}
	if (!create && (r = store_person_get(d->store, id, &stored)) < 0) {
		if (r == -ENOENT)
			reply_no_such_person(c, id);
		else
			reply_store_error(c, r);
		goto fail;
	}
	if (!validate(c, a, khoa_json_str(stored, "birth_date"), &v) || !stored_id_ok(c, stored, &v))
		goto fail;
	if (a->organization_id > 0 &&
	    (r = store_org_get(d->store, a->organization_id, &org)) < 0) {
		if (r == -ENOENT)
			reply_no_such_org(c, a->organization_id);
		else
			reply_store_error(c, r);
		goto fail;
	}

	r = create ? store_person_create(d->store, &v.f, &id)
		   : store_person_update(d->store, id, &v.f);
	if (r == -EEXIST) {
		field_ok(c, -EINVAL, "id_number",
			 &(const char *){ "id_number: another person is registered with this CMND/CCCD" });
		goto fail;
	}
	if (r == 0)
		r = store_person_get(d->store, id, &person);
	if (r == 0)
		r = events_record(d->events, create ? "person.created" : "person.updated", NULL,
				  &actor, json_object_get(person));
	if (r == 0 && (r = registry_commit(d)) == 0) {
		reply_object(c, "person", json_object_get(person));
		goto out;
	}
	reply_store_error(c, r);
fail:
	registry_rollback(d);
out:
	json_object_put(person);
	json_object_put(stored);
	json_object_put(org);
	person_values_clear(&v);
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
	const struct person_args *a = args;
	json_object *people;
	int r = store_person_list(call_daemon(c)->store,
				  a->organization_id > 0 ? a->organization_id : 0, &people);
	if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "people", people);
}

static void
get(struct call *c, const void *args)
{
	const struct person_args *a = args;
	json_object *person;
	int r = store_person_get(call_daemon(c)->store, a->id, &person);
	if (r == -ENOENT)
		reply_no_such_person(c, a->id);
	else if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "person", person);
}

static const struct method people_methods[] = {
	{
		.name = "io.khoa.People.Create",
		.roles = ROLE_TECHNICIAN,
		.params = create_params,
		.run = create,
		.init = person_args_init,
	},
	{
		.name = "io.khoa.People.Update",
		.roles = ROLE_TECHNICIAN,
		.params = update_params,
		.run = update,
		.init = person_args_init,
	},
	{
		.name = "io.khoa.People.List",
		.roles = ROLES_ANYONE,
		.params = list_params,
		.run = list,
		.init = person_args_init,
	},
	{
		.name = "io.khoa.People.Get",
		.roles = ROLES_ANYONE,
		.params = id_params,
		.run = get,
	},
	{ .name = NULL }
};

const struct interface api_people = { "io.khoa.People", people_methods };
