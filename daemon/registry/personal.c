/* Personal data, left out for whom may not see it (personal.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "personal.h"
#include "store-access.h"

#define PERSON (1u << PERSONAL_PERSON)
#define FORM (1u << PERSONAL_FORM)
#define PARTY (1u << PERSONAL_PARTY)
#define REPRESENTATIVE (1u << PERSONAL_REPRESENTATIVE)

/*
 * The personal fields, and the records that carry them. The identity block
 * of a person and of Mẫu 09 (sex, birth, the ID card and its issue), every
 * phone and fax number (the device manager's on the form is a person's
 * too) and a person's address. A party's address is
 * personal unless the party is an organization (personal_handover); an ID
 * card shown at a handover always is, an organization's representative's
 * too (PERSONAL_REPRESENTATIVE: the part of a Party that is). A new
 * personal field of a record goes here and nowhere else; test-personal holds
 * this table to the interface files (each such field optional there).
 */
static const struct {
	const char *name;
	unsigned in;
} fields[] = {
	{ "id_number", PERSON | FORM },
	{ "id_issued_on", PERSON | FORM },
	{ "id_issued_by", PERSON | FORM },
	{ "sex", PERSON | FORM },
	{ "birth_date", PERSON | FORM },
	{ "birth_place", PERSON | FORM },
	{ "phone", PERSON | FORM },
	{ "fax", PERSON | FORM },
	{ "manager_phone", FORM },
	{ "address", PERSON | PARTY },
	/* the ID card of a handover's party, or of an organization's
	 * representative (R-HANDOVER) */
	{ "id_number", PARTY | REPRESENTATIVE },
	{ "id_issued_on", PARTY | REPRESENTATIVE },
	{ "id_issued_by", PARTY | REPRESENTATIVE },
};
#define N_FIELDS (sizeof(fields) / sizeof(*fields))

bool
personal_field(enum personal_record kind, const char *name)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if ((fields[i].in & (1u << kind)) && strcmp(fields[i].name, name) == 0)
			return true;
	return false;
}

const char *
personal_field_name(enum personal_record kind, size_t i)
{
	for (size_t j = 0; j < N_FIELDS; j++)
		if ((fields[j].in & (1u << kind)) && i-- == 0)
			return fields[j].name;
	return NULL;
}

int
personal_withhold(json_object *rec, enum personal_record kind)
{
	json_object *names;
	const char *name;

	/* First out, which cannot fail: a failure below loses only the list. */
	for (size_t i = 0; (name = personal_field_name(kind, i)); i++)
		json_object_object_del(rec, name);
	if (!(names = json_object_new_array()))
		return -ENOMEM;
	for (size_t i = 0; (name = personal_field_name(kind, i)); i++) {
		json_object *s = json_object_new_string(name);
		if (!s || json_object_array_add(names, s) < 0) {
			json_object_put(s);
			json_object_put(names);
			return -ENOMEM;
		}
	}
	if (json_object_object_add(rec, "withheld", names) < 0) {
		json_object_put(names);
		return -ENOMEM;
	}
	return 0;
}

/* ----- the view ----- */

void
personal_view_init(struct personal_view *v, struct khoad *d, const struct caller *c)
{
	*v = (struct personal_view){ .d = d, .caller = c, .all = access_sees_personal(c, NULL) };
}

void
personal_view_end(struct personal_view *v)
{
	json_object_put(v->seen);
	v->seen = NULL;
}

/* The verdict kept under KEY: 1 (*YES set), or 0 when none yet. */
static int
recall(struct personal_view *v, const char *key, bool *yes)
{
	json_object *b;
	if (!v->seen || !json_object_object_get_ex(v->seen, key, &b))
		return 0;
	*yes = json_object_get_boolean(b);
	return 1;
}

/* Keeps YES under KEY. Only a saving: out of memory it is made again. */
static void
keep(struct personal_view *v, const char *key, bool yes)
{
	json_object *b;
	if (!v->seen && !(v->seen = json_object_new_object()))
		return;
	if ((b = json_object_new_boolean(yes)) && json_object_object_add(v->seen, key, b) < 0)
		json_object_put(b);
}

/* Whether the caller sees what concerns the scope of KIND named by ID or
 * TEXT (access_subject), kept under KEY. */
static int
sees_subject(struct personal_view *v, const char *key, enum subject_kind kind, int64_t id,
	     const char *text, bool *yes)
{
	struct scope s;
	int r;

	if (recall(v, key, yes))
		return 0;
	if ((r = access_subject(v->d, kind, id, 0, text, &s)) < 0)
		return r;
	*yes = access_sees_personal(v->caller, &s);
	keep(v, key, *yes);
	return 0;
}

/*
 * Whether the caller sees PERSON's, of organization ORG (-1: as the
 * registry says). The person themself needs no look-up; the organizations
 * above theirs matter only to a clerk of some organization, and are looked
 * up once per organization.
 */
static int
sees_person(struct personal_view *v, int64_t person, int64_t org, bool *yes)
{
	struct scope self = { .known = true, .person = person };
	char key[32];
	int r;

	*yes = v->all || access_sees_personal(v->caller, &self);
	if (*yes || v->caller->n_clerk_of == 0)
		return 0;
	if (org < 0 && (r = store_person_org(v->d->store, person, &org)) < 0)
		return r == -ENOENT ? 0 : r;
	if (org <= 0)
		return 0;
	snprintf(key, sizeof(key), "o%" PRId64, org);
	return sees_subject(v, key, SUBJECT_ORG, org, NULL, yes);
}

/* Whether the caller sees what concerns token SERIAL's holder. */
static int
sees_token(struct personal_view *v, const char *serial, bool *yes)
{
	char key[80];

	*yes = v->all;
	/* Neither a person nor a clerk: nobody's but everyone's sees it. */
	if (*yes || (!v->caller->person && v->caller->n_clerk_of == 0) || !serial)
		return 0;
	snprintf(key, sizeof(key), "t%s", serial);
	return sees_subject(v, key, SUBJECT_TOKEN, 0, serial, yes);
}

/* Whether the caller sees what concerns handover ID's parties: a clerk of
 * one of their organizations (a handover's scope names no person). */
static int
sees_handover(struct personal_view *v, int64_t id, bool *yes)
{
	char key[32];

	*yes = v->all;
	if (*yes || v->caller->n_clerk_of == 0)
		return 0;
	snprintf(key, sizeof(key), "h%" PRId64, id);
	return sees_subject(v, key, SUBJECT_HANDOVER, id, NULL, yes);
}

/* An int member, or DEF when absent. */
static int64_t
int_of(json_object *obj, const char *key, int64_t def)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_int))
		return def;
	return json_object_get_int64(v);
}

int
personal_person(struct personal_view *v, json_object *person)
{
	bool yes;
	int r = sees_person(v, int_of(person, "id", 0), int_of(person, "organization_id", 0),
			    &yes);
	return r < 0 || yes ? r : personal_withhold(person, PERSONAL_PERSON);
}

int
personal_pin_request(struct personal_view *v, json_object *request)
{
	json_object *form, *serial;
	bool yes;
	int r;

	if (!json_object_object_get_ex(request, "form", &form))
		return 0;
	json_object_object_get_ex(request, "token_serial", &serial);
	if ((r = sees_token(v, serial ? json_object_get_string(serial) : NULL, &yes)) < 0)
		return r;
	return yes ? 0 : personal_withhold(form, PERSONAL_FORM);
}

/* PARTY of handover ID: an organization's has nothing personal but its
 * representative's ID card, seen as a party typed in full is. */
static int
personal_party(struct personal_view *v, int64_t id, json_object *party)
{
	int64_t person = int_of(party, "person_id", 0);
	bool org = int_of(party, "organization_id", 0) > 0, yes;
	int r;

	if (!party)
		return 0;
	r = person > 0 && !org ? sees_person(v, person, -1, &yes) : sees_handover(v, id, &yes);
	if (r < 0 || yes)
		return r;
	return personal_withhold(party, org ? PERSONAL_REPRESENTATIVE : PERSONAL_PARTY);
}

int
personal_handover(struct personal_view *v, json_object *handover)
{
	int64_t id = int_of(handover, "id", 0);
	int r = personal_party(v, id, json_object_object_get(handover, "giver"));
	return r < 0 ? r : personal_party(v, id, json_object_object_get(handover, "receiver"));
}

int
personal_each(struct personal_view *v, json_object *list,
	      int (*fn)(struct personal_view *v, json_object *rec))
{
	int r = 0;
	for (size_t i = 0; r == 0 && list && i < json_object_array_length(list); i++)
		r = fn(v, json_object_array_get_idx(list, i));
	return r;
}

/* ----- events ----- */

/* The person record an event's details are, or NULL. */
static json_object *
event_person(json_object *event)
{
	json_object *type, *details;
	if (!json_object_object_get_ex(event, "type", &type) ||
	    !json_object_is_type(type, json_type_string) ||
	    strncmp(json_object_get_string(type), "person.", 7) != 0 ||
	    !json_object_object_get_ex(event, "details", &details) ||
	    !json_object_is_type(details, json_type_object))
		return NULL;
	return details;
}

bool
personal_in_event(json_object *event)
{
	return event_person(event) != NULL;
}

int
personal_event_scope(struct khoad *d, json_object *event, struct scope *out)
{
	json_object *person = event_person(event);
	memset(out, 0, sizeof(*out));
	return person ? access_subject_person(d, int_of(person, "id", 0), out) : 0;
}

json_object *
personal_event_withheld(json_object *event)
{
	json_object *copy = NULL, *person;
	if (json_object_deep_copy(event, &copy, NULL) < 0)
		return NULL;
	if ((person = event_person(copy)) && personal_withhold(person, PERSONAL_PERSON) < 0) {
		json_object_put(copy);
		return NULL;
	}
	return copy;
}

int
personal_event(struct personal_view *v, json_object *event)
{
	json_object *person = event_person(event);
	bool yes = true;
	int r;

	/* The person as the registry says now: the record may be older. */
	if (person && (r = sees_person(v, int_of(person, "id", 0), -1, &yes)) < 0)
		return r;
	return yes ? 0 : personal_withhold(person, PERSONAL_PERSON);
}
