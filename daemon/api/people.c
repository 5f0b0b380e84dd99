/*
 * io.khoa.People: holders of personal tokens and officials on the forms.
 * A person's ID number, birth date and phone go only to whom may see them
 * (personal.h); the others get the record without them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "khoa-limits.h"
#include "events.h"
#include "jsonb.h"
#include "khoad.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "registry.h"
#include "store-access.h"
#include "store-registry.h"
#include "store-revocation-due.h"
#include "validate.h"

struct person_args {
	int64_t id;
	const char *full_name, *id_number, *birth_date, *position, *email, *phone;
	const char *sex, *birth_place, *id_issued_on, *id_issued_by, *address, *fax;
	int64_t organization_id;	/* -1: not given */
	json_object *logins;		/* Update: the person's logins, all of them */
	bool clerk;			/* Update: given when "clerk" is present */
	struct page_args page;		/* List */
};
METHOD_ARGS_FIT(struct person_args);

static void
person_args_init(void *args)
{
	struct person_args *a = args;
	a->organization_id = -1;
	page_args_init(&a->page);
}

#define PERSON_FIELDS(required) \
	{ "full_name", KHOA_PARAM_STRING, offsetof(struct person_args, full_name), required }, \
	{ "id_number", KHOA_PARAM_STRING, offsetof(struct person_args, id_number), required }, \
	{ "birth_date", KHOA_PARAM_STRING, offsetof(struct person_args, birth_date), false }, \
	{ "position", KHOA_PARAM_STRING, offsetof(struct person_args, position), false }, \
	{ "organization_id", KHOA_PARAM_INT, offsetof(struct person_args, organization_id), false }, \
	{ "email", KHOA_PARAM_STRING, offsetof(struct person_args, email), false }, \
	{ "phone", KHOA_PARAM_STRING, offsetof(struct person_args, phone), false }, \
	{ "sex", KHOA_PARAM_STRING, offsetof(struct person_args, sex), false }, \
	{ "birth_place", KHOA_PARAM_STRING, offsetof(struct person_args, birth_place), false }, \
	{ "id_issued_on", KHOA_PARAM_STRING, offsetof(struct person_args, id_issued_on), false }, \
	{ "id_issued_by", KHOA_PARAM_STRING, offsetof(struct person_args, id_issued_by), false }, \
	{ "address", KHOA_PARAM_STRING, offsetof(struct person_args, address), false }, \
	{ "fax", KHOA_PARAM_STRING, offsetof(struct person_args, fax), false }

static const struct khoa_param create_params[] = { PERSON_FIELDS(true), { NULL } };
static const struct khoa_param update_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct person_args, id), true },
	PERSON_FIELDS(false),
	{ "logins", KHOA_PARAM_ARRAY, offsetof(struct person_args, logins), false },
	{ "clerk", KHOA_PARAM_BOOL, offsetof(struct person_args, clerk), false },
	{ NULL }
};
static const struct khoa_param id_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct person_args, id), true },
	{ NULL }
};
static const struct khoa_param list_params[] = {
	{ "organization_id", KHOA_PARAM_INT, offsetof(struct person_args, organization_id), false },
	PAGE_PARAMS(struct person_args, page),
	{ NULL }
};

struct person_values {
	struct person_fields f;
	char *full_name, *id_number, *birth_date, *position, *email, *phone;
	char *sex, *birth_place, *id_issued_on, *id_issued_by, *address, *fax;
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
	free(v->sex);
	free(v->birth_place);
	free(v->id_issued_on);
	free(v->id_issued_by);
	free(v->address);
	free(v->fax);
}

#define TEXT(name, bit, fn) \
	{ #name, bit, fn, offsetof(struct person_args, name), offsetof(struct person_values, name) }
static const struct text_field person_texts[] = {
	TEXT(full_name, FIELD_NAME, validate_name),
	TEXT(birth_date, FIELD_BIRTH_DATE, validate_birth_date),
	TEXT(position, FIELD_POSITION, validate_text),
	TEXT(email, FIELD_EMAIL, validate_email),
	TEXT(phone, FIELD_PHONE, validate_phone),
	TEXT(sex, FIELD_SEX, validate_sex),
	TEXT(birth_place, FIELD_BIRTH_PLACE, validate_text),
	TEXT(id_issued_on, FIELD_ID_ISSUED_ON, validate_issue_date),
	TEXT(id_issued_by, FIELD_ID_ISSUED_BY, validate_text),
	TEXT(address, FIELD_ADDRESS, validate_text),
	TEXT(fax, FIELD_FAX, validate_phone),
	{ NULL }
};
#undef TEXT

/* Validates A into V: 0, or what a handler returns. The CCCD's year is
 * checked against the birth date given now, or against the stored one when
 * only one of them changes; a new birth date must still agree with the
 * stored CCCD. The ID card was not issued before its holder was born:
 * the day of issue and the birth date, given or stored, are held to each
 * other the same way. */
static int
validate(struct call *c, const struct person_args *a, json_object *stored,
	 struct person_values *v)
{
	const char *rule = NULL, *id = khoa_json_str(stored, "id_number");
	char *checked = NULL;
	int r;

	if ((r = validate_fields(c, person_texts, a, v, &v->f.set)) != 0)
		return r;
	if (a->id_number) {
		const char *birth = a->birth_date ? v->birth_date : khoa_json_str(stored,
										  "birth_date");
		v->f.set |= FIELD_ID_NUMBER;
		if ((r = validate_id_number(a->id_number, birth, &v->id_number, &rule)) < 0)
			return field_fail(c, r, "id_number", rule);
	} else if (a->birth_date && id) {
		r = validate_id_number(id, v->birth_date, &checked, &rule);
		free(checked);
		if (r < 0)
			return field_fail(c, r, "birth_date", rule);
	}
	const char *birth = a->birth_date ? v->birth_date : khoa_json_str(stored, "birth_date");
	const char *issued = a->id_issued_on ? v->id_issued_on
					     : khoa_json_str(stored, "id_issued_on");
	if ((a->birth_date || a->id_issued_on) && birth && issued) {
		r = validate_id_issued_on(issued, birth, &checked, &rule);
		free(checked);
		if (r < 0)
			return field_fail(c, r, a->id_issued_on ? "id_issued_on" : "birth_date", rule);
	}
	if (a->organization_id >= 0)
		v->f.set |= FIELD_ORGANIZATION;
	v->f.full_name = v->full_name;
	v->f.id_number = v->id_number;
	v->f.birth_date = v->birth_date;
	v->f.position = v->position;
	v->f.email = v->email;
	v->f.phone = v->phone;
	v->f.sex = v->sex;
	v->f.birth_place = v->birth_place;
	v->f.id_issued_on = v->id_issued_on;
	v->f.id_issued_by = v->id_issued_by;
	v->f.address = v->address;
	v->f.fax = v->fax;
	v->f.organization_id = a->organization_id > 0 ? a->organization_id : 0;
	return 0;
}

struct person_save {
	const struct person_args *a;
	struct person_values v;
	bool create;
};

#define LOGINS_MAX 8

/* The logins of an Update, each a user of this system that no other
 * person has: into LOGINS (N of them), or what a handler returns. */
static int
check_logins(struct call *c, struct khoad *d, const struct person_args *a,
	     const char *logins[LOGINS_MAX], size_t *n)
{
	size_t len = json_object_array_length(a->logins);
	int r;

	*n = 0;
	if (len > LOGINS_MAX)
		return invalid_fieldv(c, "logins", KR(LOGINS_MAX), 1, KHOA_STR(LOGINS_MAX));
	for (size_t i = 0; i < len; i++) {
		json_object *v = json_object_array_get_idx(a->logins, i);
		const char *login = json_object_get_string(v);
		int64_t owner;
		if (!json_object_is_type(v, json_type_string) || (r = validate_login(login)) == -EINVAL) {
			return invalid_fieldv(c, "logins", KR(NO_SUCH_USER), 1,
					      json_object_is_type(v, json_type_string) ? login : "");
		}
		if (r < 0 || (r = store_login_owner(d->store, login, &owner)) < 0)
			return r;
		if (owner && owner != a->id) {
			char person[24];
			snprintf(person, sizeof(person), "%lld", (long long)owner);
			return invalid_fieldv(c, "logins", KR(LOGIN_TAKEN), 2, login, person);
		}
		logins[(*n)++] = login;
	}
	return 0;
}

/* What only an Update sets: the logins and the clerk flag, given or not. */
static int
save_access(struct call *c, struct khoad *d, const struct person_args *a)
{
	const char *logins[LOGINS_MAX];
	json_object *clerk;
	size_t n;
	int r;

	if (a->logins && ((r = check_logins(c, d, a, logins, &n)) != 0 ||
			  (r = store_logins_set(d->store, a->id, logins, n)) < 0))
		return r;
	if (json_object_object_get_ex(call_parameters(c), "clerk", &clerk) &&
	    (r = store_person_set_clerk(d->store, a->id, a->clerk)) < 0)
		return r;
	return 0;
}

/* The reply {"person": PERSON} as the caller may see it, in *REPLY; PERSON
 * itself goes to the event whole (each watcher sees what it may). */
static int
shown_person(struct call *c, json_object *person, json_object **reply)
{
	json_object *shown = NULL;
	int r;

	if (json_object_deep_copy(person, &shown, NULL) < 0)
		return -ENOMEM;
	if ((r = call_personal(c, shown, personal_person)) < 0) {
		json_object_put(shown);
		return r;
	}
	return (*reply = reply_with("person", shown)) ? 0 : -ENOMEM;
}

/* R-REVOKE-PERSON (Điều 6.1b): a personal certificate is revoked before a
 * transfer to another agency or a change of position. Person ID's update V
 * makes one (WAS_ORG, WAS_POSITION: before): each certificate the person
 * holds becomes due for revocation, certificate.revocation_due (issue 16).
 * 0, or as a handler returns. */
static int
person_moved(struct call *c, struct khoad *d, int64_t id, int64_t was_org,
	     const char *was_position, const struct person_values *v)
{
	struct actor actor = call_actor(c);
	const char *reason = NULL;
	json_object *marked = NULL;
	int r;

	if ((v->f.set & FIELD_ORGANIZATION) && v->f.organization_id != was_org)
		reason = "transfer";
	else if ((v->f.set & FIELD_POSITION) && was_position &&
		 (!v->position || strcmp(v->position, was_position) != 0))
		reason = "title-change";
	if (!reason)
		return 0;
	if ((r = store_due_mark(d->store, id, 0, reason, "R-REVOKE-PERSON", &actor, &marked)) < 0)
		return r;
	r = due_events(d, marked, reason, "R-REVOKE-PERSON", &actor);
	json_object_put(marked);
	return r;
}

static int
save_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	struct person_save *p = arg;
	const struct person_args *a = p->a;
	struct actor actor = call_actor(c);
	json_object *person = NULL, *stored = NULL, *org = NULL;
	int64_t id = a->id;
	int r;

	if (!p->create && (r = store_person_get(d->store, id, &stored)) < 0)
		return r == -ENOENT ? call_fail(c, khoa_err_no_such_person(id)) : r;
	/* what R-REVOKE-PERSON watches, as it was */
	int64_t was_org = khoa_json_int(stored, "organization_id");
	char *was_position = khoa_json_str(stored, "position") ?
			     strdup(khoa_json_str(stored, "position")) : NULL;
	r = validate(c, a, stored, &p->v);
	json_object_put(stored);
	if (r == 0 && !p->create)
		r = person_moved(c, d, id, was_org, was_position, &p->v);
	free(was_position);
	if (r != 0)
		return r;
	if (a->organization_id > 0 &&
	    (r = store_org_get(d->store, a->organization_id, &org)) < 0)
		return r == -ENOENT ? call_fail(c, khoa_err_no_such_organization(a->organization_id))
				    : r;
	json_object_put(org);
	r = p->create ? store_person_create(d->store, &p->v.f, &id)
		      : store_person_update(d->store, id, &p->v.f);
	if (r == -EEXIST)
		return invalid_field(c, "id_number", KR(ID_NUMBER_TAKEN));
	if (r < 0 || (!p->create && (r = save_access(c, d, a)) != 0) ||
	    (r = store_person_get(d->store, id, &person)) < 0)
		return r;
	if ((r = shown_person(c, person, reply)) < 0) {
		json_object_put(person);
		return r;
	}
	return events_record(d->events, p->create ? "person.created" : "person.updated", NULL,
			     &actor, person);
}

static int
save(struct call *c, const struct person_args *a, bool create)
{
	struct person_save p = { .a = a, .create = create };
	int r = registry_mutate(c, save_in, &p);
	person_values_clear(&p.v);
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
	const struct person_args *a = args;
	struct store_page p;
	json_object *people;
	int r = page_limit(c, &a->page, &p);
	if (r != 0)
		return r;
	/* The page first, then what of it the caller may see. */
	if ((r = store_person_list(call_daemon(c)->store,
				   a->organization_id > 0 ? a->organization_id : 0, &p,
				   &people)) < 0)
		return page_fail(c, r);
	if ((r = call_personal_each(c, people, personal_person)) < 0) {
		json_object_put(people);
		free(p.next);
		return r;
	}
	return page_reply(c, "people", people, &p);
}

/* Who may change a person: the row of Update, which Get answers for its
 * caller (may_update). */
#define UPDATE_ADMIT ADMIT_TECHNICIAN

static int
get(struct call *c, const void *args)
{
	const struct person_args *a = args;
	struct scope scope;
	json_object *person, *reply = NULL;
	int r = store_person_get(call_daemon(c)->store, a->id, &person);
	if (r == -ENOENT)
		return call_fail(c, khoa_err_no_such_person(a->id));
	if (r == 0 && (r = access_subject_person(call_daemon(c), a->id, &scope)) == 0 &&
	    (r = call_personal(c, person, personal_person)) == 0 &&
	    !(reply = reply_with("person", person)))
		r = -ENOMEM;
	else if (r < 0)
		json_object_put(person);
	if (r < 0)
		return r;
	json_object *may = json_object_new_boolean(access_admits(call_caller(c), UPDATE_ADMIT,
								 &scope));
	if (!may || json_object_object_add(reply, "may_update", may) < 0) {
		json_object_put(may);
		json_object_put(reply);
		return -ENOMEM;
	}
	return call_reply(c, reply);
}

static const struct method people_methods[] = {
	{
		.name = "io.khoa.People.Create",
		.admit = ADMIT_TECHNICIAN,
		.params = create_params,
		.run = create,
		.init = person_args_init,
	},
	{
		.name = "io.khoa.People.Update",
		.admit = UPDATE_ADMIT,
		.params = update_params,
		.run = update,
		.init = person_args_init,
	},
	{
		.name = "io.khoa.People.List",
		.admit = ADMIT_ANYONE,
		.params = list_params,
		.run = list,
		.init = person_args_init,
	},
	{
		.name = "io.khoa.People.Get",
		.admit = ADMIT_ANYONE,
		.params = id_params,
		.run = get,
	},
	{ .name = NULL }
};

const struct interface api_people = { "io.khoa.People", people_methods };
