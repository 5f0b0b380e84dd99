/* Organizations and people. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonb.h"
#include "store-access.h"
#include "store-private.h"
#include "store-registry.h"

#define ORG_COLUMNS \
	"o.id, o.name, o.parent_id, o.tax_code, o.address, o.email, o.created_at, o.updated_at"
static const char *const org_keys[] = {
	"id", "name", "parent_id", "tax_code", "address", "email", "created_at", "updated_at",
};

#define PERSON_COLUMNS \
	"p.id, p.full_name, p.id_number, p.birth_date, p.position, p.organization_id, " \
	"o.name, p.email, p.phone, p.created_at, p.updated_at"
static const char *const person_keys[] = {
	"id", "full_name", "id_number", "birth_date", "position", "organization_id",
	"organization_name", "email", "phone", "created_at", "updated_at",
};

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
	return r;
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
	return update_done(s, st, "update organization");
}

int
store_org_get(struct store *s, int64_t id, json_object **out)
{
	return get_one(s, "SELECT " ORG_COLUMNS " FROM organizations o WHERE o.id = ?1", id,
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
		? "SELECT " ORG_COLUMNS " FROM organizations o WHERE o.id > ?2 ORDER BY o.id LIMIT ?1"
		: "SELECT " ORG_COLUMNS " FROM organizations o ORDER BY o.id LIMIT ?1");
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
	return r;
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
	return update_done(s, st, "update person");
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
	return with_access(s, get_one(s, "SELECT " PERSON_COLUMNS " FROM people p "
				      "LEFT JOIN organizations o ON o.id = p.organization_id "
				      "WHERE p.id = ?1", id, person_keys,
				      sizeof(person_keys) / sizeof(*person_keys), out), out);
}

/* The people of the list, ?2 of them; AFTER the condition that starts a
 * page after a key. */
#define PERSON_LIST(after) \
	"SELECT " PERSON_COLUMNS " FROM people p " \
	"LEFT JOIN organizations o ON o.id = p.organization_id " \
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
