/* Organizations and people. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonb.h"
#include "store-access.h"
#include "store-private.h"
#include "store-registry.h"

/* An organization with its details (0020) and its manager's name. */
#define ORG_COLUMNS \
	"o.id, o.name, o.parent_id, od.managing_body, o.tax_code, o.address, o.email, " \
	"od.manager_id, m.full_name, o.created_at, o.updated_at"
#define ORG_FROM \
	"organizations o LEFT JOIN organization_details od ON od.organization_id = o.id " \
	"LEFT JOIN people m ON m.id = od.manager_id"
static const char *const org_keys[] = {
	"id", "name", "parent_id", "managing_body", "tax_code", "address", "email",
	"manager_id", "manager_name", "created_at", "updated_at",
};

/* A person with their details (0020) and their organization's name. */
#define PERSON_COLUMNS \
	"p.id, p.full_name, d.sex, p.id_number, d.id_issued_on, d.id_issued_by, " \
	"p.birth_date, d.birth_place, p.position, p.organization_id, o.name, d.address, " \
	"p.email, p.phone, d.fax, p.created_at, p.updated_at"
#define PERSON_FROM \
	"people p LEFT JOIN person_details d ON d.person_id = p.id " \
	"LEFT JOIN organizations o ON o.id = p.organization_id"
static const char *const person_keys[] = {
	"id", "full_name", "sex", "id_number", "id_issued_on", "id_issued_by", "birth_date",
	"birth_place", "position", "organization_id", "organization_name", "address", "email",
	"phone", "fax", "created_at", "updated_at",
};

/* The fields of person_details and organization_details. */
#define PERSON_DETAILS (FIELD_SEX | FIELD_BIRTH_PLACE | FIELD_ID_ISSUED_ON | \
			FIELD_ID_ISSUED_BY | FIELD_ADDRESS | FIELD_FAX)
#define ORG_DETAILS (FIELD_MANAGING_BODY | FIELD_MANAGER)

/* One row of SQL (with ID bound to ?1) as an object with KEYS; -ENOENT
 * when none. */
struct one {
	const char *const *keys;
	size_t n;
	json_object **out;
};

static int
one_object(struct store *s, struct store_stmt *st, void *arg)
{
	struct one *o = arg;
	return (*o->out = store_row_object(st, o->keys, o->n)) ? 0 : -ENOMEM;
}

static int
get_one(struct store *s, const char *sql, int64_t id, const char *const *keys, size_t n,
	json_object **out)
{
	struct store_stmt *st = store_prepare(s, sql);
	*out = NULL;
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	int r = store_first_row(s, st, one_object, &(struct one){ keys, n, out }, "read");
	store_finalize(st);
	return r;
}

/* A list's key: the id, its first column. */
static const struct store_key id_key = { "i", { 0 } };

/* PAGE of the rows of ST (finalized here; ordered by id_key) as an array
 * of objects with KEYS. */
static int
get_page(struct store *s, struct store_stmt *st, const char *const *keys, size_t n,
	 struct store_page *page, json_object **out)
{
	int r = store_objects_page(s, st, keys, n, &id_key, page, "list", out);
	store_finalize(st);
	return r;
}

/* Runs an UPDATE of one row; -ENOENT if no row had ID. */
static int
update_done(struct store *s, struct store_stmt *st, const char *what)
{
	int r = store_step_done(s, st, what);
	store_finalize(st);
	if (r == 0 && store_changes(s) == 0)
		return -ENOENT;
	return r;
}

/* Runs the upsert ST of a details row, finalized here. */
static int
details_done(struct store *s, struct store_stmt *st, const char *what)
{
	int r = store_step_done(s, st, what);
	store_finalize(st);
	return r;
}

/* Organization ID's details of F, those given (none: nothing written). */
static int
org_details(struct store *s, int64_t id, const struct org_fields *f)
{
	if (!(f->set & ORG_DETAILS))
		return 0;
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO organization_details (organization_id, managing_body, manager_id) "
		"VALUES (?1, ?3, ?5) ON CONFLICT (organization_id) DO UPDATE SET "
		"managing_body = CASE WHEN ?2 <> 0 THEN excluded.managing_body "
		"ELSE organization_details.managing_body END, "
		"manager_id = CASE WHEN ?4 <> 0 THEN excluded.manager_id "
		"ELSE organization_details.manager_id END");
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, !!(f->set & FIELD_MANAGING_BODY));
	store_bind_text(st, 3, f->managing_body);
	store_bind_int(st, 4, !!(f->set & FIELD_MANAGER));
	store_bind_id(st, 5, f->manager_id);
	return details_done(s, st, "organization details");
}

int
store_org_create(struct store *s, const struct org_fields *f, int64_t *id)
{
	char now[21];
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO organizations (name, parent_id, tax_code, address, email, "
		"created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return -EIO;
	store_now(now);
	store_bind_text(st, 1, f->name);
	store_bind_id(st, 2, f->parent_id);
	store_bind_text(st, 3, f->tax_code);
	store_bind_text(st, 4, f->address);
	store_bind_text(st, 5, f->email);
	store_bind_text(st, 6, now);
	store_bind_text(st, 7, now);
	int r = store_insert_id(s, st, "create organization", id);
	store_finalize(st);
	return r < 0 ? r : org_details(s, *id, f);
}

/* UPDATE … SET col = CASE WHEN ?n <> 0 THEN ?m ELSE col END: one statement for
 * any subset of fields. */
int
store_org_update(struct store *s, int64_t id, const struct org_fields *f)
{
	char now[21];
	struct store_stmt *st = store_prepare(s,
		"UPDATE organizations SET "
		"name = CASE WHEN ?1 <> 0 THEN ?2 ELSE name END, "
		"parent_id = CASE WHEN ?3 <> 0 THEN ?4 ELSE parent_id END, "
		"tax_code = CASE WHEN ?5 <> 0 THEN ?6 ELSE tax_code END, "
		"address = CASE WHEN ?7 <> 0 THEN ?8 ELSE address END, "
		"email = CASE WHEN ?9 <> 0 THEN ?10 ELSE email END, "
		"updated_at = ?11 WHERE id = ?12");
	if (!st)
		return -EIO;
	store_now(now);
	store_bind_int(st, 1, !!(f->set & FIELD_NAME));
	store_bind_text(st, 2, f->name);
	store_bind_int(st, 3, !!(f->set & FIELD_PARENT));
	store_bind_id(st, 4, f->parent_id);
	store_bind_int(st, 5, !!(f->set & FIELD_TAX_CODE));
	store_bind_text(st, 6, f->tax_code);
	store_bind_int(st, 7, !!(f->set & FIELD_ADDRESS));
	store_bind_text(st, 8, f->address);
	store_bind_int(st, 9, !!(f->set & FIELD_EMAIL));
	store_bind_text(st, 10, f->email);
	store_bind_text(st, 11, now);
	store_bind_int(st, 12, id);
	int r = update_done(s, st, "update organization");
	return r < 0 ? r : org_details(s, id, f);
}

int
store_org_get(struct store *s, int64_t id, json_object **out)
{
	return get_one(s, "SELECT " ORG_COLUMNS " FROM " ORG_FROM " WHERE o.id = ?1", id,
		       org_keys, sizeof(org_keys) / sizeof(*org_keys), out);
}

int
store_org_list(struct store *s, struct store_page *page, json_object **out)
{
	json_object *after;
	int r;

	*out = NULL;
	if ((r = store_page_after(page, &id_key, &after)) < 0)
		return r;
	struct store_stmt *st = store_prepare(s, after
		? "SELECT " ORG_COLUMNS " FROM " ORG_FROM " WHERE o.id > ?2 ORDER BY o.id LIMIT ?1"
		: "SELECT " ORG_COLUMNS " FROM " ORG_FROM " ORDER BY o.id LIMIT ?1");
	if (st) {
		store_bind_page(st, page, 1, after, 2);
		r = get_page(s, st, org_keys, sizeof(org_keys) / sizeof(*org_keys), page, out);
	}
	json_object_put(after);
	return st ? r : -EIO;
}

int
store_org_would_cycle(struct store *s, int64_t id, int64_t parent, bool *cycle)
{
	struct store_stmt *st = store_prepare(s,
		"WITH RECURSIVE up(id) AS (SELECT ?1 UNION "
		"SELECT o.parent_id FROM organizations o JOIN up ON o.id = up.id "
		"WHERE o.parent_id IS NOT NULL) SELECT 1 FROM up WHERE id = ?2");
	if (!st)
		return -EIO;
	store_bind_int(st, 1, parent);
	store_bind_int(st, 2, id);
	int rc = store_step(st);
	store_finalize(st);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return store_fail(s, "organization tree");
	*cycle = rc == STORE_ROW;
	return 0;
}

/* Person ID's details of F, those given (none: nothing written). */
static int
person_details(struct store *s, int64_t id, const struct person_fields *f)
{
	if (!(f->set & PERSON_DETAILS))
		return 0;
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO person_details (person_id, sex, birth_place, id_issued_on, "
		"id_issued_by, address, fax) VALUES (?1, ?3, ?5, ?7, ?9, ?11, ?13) "
		"ON CONFLICT (person_id) DO UPDATE SET "
		"sex = CASE WHEN ?2 <> 0 THEN excluded.sex ELSE person_details.sex END, "
		"birth_place = CASE WHEN ?4 <> 0 THEN excluded.birth_place "
		"ELSE person_details.birth_place END, "
		"id_issued_on = CASE WHEN ?6 <> 0 THEN excluded.id_issued_on "
		"ELSE person_details.id_issued_on END, "
		"id_issued_by = CASE WHEN ?8 <> 0 THEN excluded.id_issued_by "
		"ELSE person_details.id_issued_by END, "
		"address = CASE WHEN ?10 <> 0 THEN excluded.address ELSE person_details.address END, "
		"fax = CASE WHEN ?12 <> 0 THEN excluded.fax ELSE person_details.fax END");
	if (!st)
		return -EIO;
	const struct {
		unsigned bit;
		const char *value;
	} v[] = {
		{ FIELD_SEX, f->sex }, { FIELD_BIRTH_PLACE, f->birth_place },
		{ FIELD_ID_ISSUED_ON, f->id_issued_on }, { FIELD_ID_ISSUED_BY, f->id_issued_by },
		{ FIELD_ADDRESS, f->address }, { FIELD_FAX, f->fax },
	};
	store_bind_int(st, 1, id);
	for (int i = 0; i < (int)(sizeof(v) / sizeof(*v)); i++) {
		store_bind_int(st, 2 + 2 * i, !!(f->set & v[i].bit));
		store_bind_text(st, 3 + 2 * i, v[i].value);
	}
	return details_done(s, st, "person details");
}

int
store_person_create(struct store *s, const struct person_fields *f, int64_t *id)
{
	char now[21];
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO people (full_name, id_number, birth_date, position, organization_id, "
		"email, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return -EIO;
	store_now(now);
	store_bind_text(st, 1, f->full_name);
	store_bind_text(st, 2, f->id_number);
	store_bind_text(st, 3, f->birth_date);
	store_bind_text(st, 4, f->position);
	store_bind_id(st, 5, f->organization_id);
	store_bind_text(st, 6, f->email);
	store_bind_text(st, 7, f->phone);
	store_bind_text(st, 8, now);
	store_bind_text(st, 9, now);
	int r = store_insert_id(s, st, "create person", id);
	store_finalize(st);
	return r < 0 ? r : person_details(s, *id, f);
}

int
store_person_update(struct store *s, int64_t id, const struct person_fields *f)
{
	char now[21];
	struct store_stmt *st = store_prepare(s,
		"UPDATE people SET "
		"full_name = CASE WHEN ?1 <> 0 THEN ?2 ELSE full_name END, "
		"id_number = CASE WHEN ?3 <> 0 THEN ?4 ELSE id_number END, "
		"birth_date = CASE WHEN ?5 <> 0 THEN ?6 ELSE birth_date END, "
		"position = CASE WHEN ?7 <> 0 THEN ?8 ELSE position END, "
		"organization_id = CASE WHEN ?9 <> 0 THEN ?10 ELSE organization_id END, "
		"email = CASE WHEN ?11 <> 0 THEN ?12 ELSE email END, "
		"phone = CASE WHEN ?13 <> 0 THEN ?14 ELSE phone END, "
		"updated_at = ?15 WHERE id = ?16");
	if (!st)
		return -EIO;
	store_now(now);
	store_bind_int(st, 1, !!(f->set & FIELD_NAME));
	store_bind_text(st, 2, f->full_name);
	store_bind_int(st, 3, !!(f->set & FIELD_ID_NUMBER));
	store_bind_text(st, 4, f->id_number);
	store_bind_int(st, 5, !!(f->set & FIELD_BIRTH_DATE));
	store_bind_text(st, 6, f->birth_date);
	store_bind_int(st, 7, !!(f->set & FIELD_POSITION));
	store_bind_text(st, 8, f->position);
	store_bind_int(st, 9, !!(f->set & FIELD_ORGANIZATION));
	store_bind_id(st, 10, f->organization_id);
	store_bind_int(st, 11, !!(f->set & FIELD_EMAIL));
	store_bind_text(st, 12, f->email);
	store_bind_int(st, 13, !!(f->set & FIELD_PHONE));
	store_bind_text(st, 14, f->phone);
	store_bind_text(st, 15, now);
	store_bind_int(st, 16, id);
	int r = update_done(s, st, "update person");
	return r < 0 ? r : person_details(s, id, f);
}

/* A person read, or the people listed, with their logins (store-access.h). */
static int
with_access(struct store *s, int r, json_object **out)
{
	if (r == 0 && (r = store_people_add_access(s, *out)) < 0) {
		json_object_put(*out);
		*out = NULL;
	}
	return r;
}

int
store_person_get(struct store *s, int64_t id, json_object **out)
{
	return with_access(s, get_one(s, "SELECT " PERSON_COLUMNS " FROM " PERSON_FROM
				      " WHERE p.id = ?1", id, person_keys,
				      sizeof(person_keys) / sizeof(*person_keys), out), out);
}

/* The people of the list, ?2 of them; AFTER the condition that starts a
 * page after a key. */
#define PERSON_LIST(after) \
	"SELECT " PERSON_COLUMNS " FROM " PERSON_FROM " " \
	"WHERE (?1 = 0 OR p.organization_id = ?1) " after "ORDER BY p.id LIMIT ?2"

int
store_person_list(struct store *s, int64_t org, struct store_page *page, json_object **out)
{
	json_object *after;
	int r;

	*out = NULL;
	if ((r = store_page_after(page, &id_key, &after)) < 0)
		return r;
	struct store_stmt *st = store_prepare(s, after ? PERSON_LIST("AND p.id > ?3 ")
						       : PERSON_LIST(""));
	if (st) {
		store_bind_int(st, 1, org);
		store_bind_page(st, page, 2, after, 3);
		r = with_access(s, get_page(s, st, person_keys,
					    sizeof(person_keys) / sizeof(*person_keys), page, out),
				out);
		if (r < 0 && page) {
			free(page->next);
			page->next = NULL;
		}
	}
	json_object_put(after);
	return st ? r : -EIO;
}
