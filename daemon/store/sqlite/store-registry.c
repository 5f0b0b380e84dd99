/* Organizations and people. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jsonb.h"
#include "store-private.h"

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

/* The current row as an object with KEYS for its columns. */
static json_object *
row_json(sqlite3_stmt *st, const char *const *keys, size_t n)
{
	struct jsonb b = jsonb_new();
	for (size_t i = 0; i < n; i++)
		store_column_json(&b, st, (int)i, keys[i]);
	return jsonb_finish(&b);
}

/* One row of SQL (with ID bound to ?1) as JSON; -ENOENT when none. */
static int
get_one(struct store *s, const char *sql, int64_t id, const char *const *keys, size_t n,
	json_object **out)
{
	sqlite3_stmt *st = store_prepare(s, sql);
	int r;
	*out = NULL;
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = (*out = row_json(st, keys, n)) ? 0 : -ENOMEM;
	else
		r = rc == SQLITE_DONE ? -ENOENT : store_fail(s, "read");
	sqlite3_finalize(st);
	return r;
}

/* Every row of ST as a JSON array. */
static int
get_all(struct store *s, sqlite3_stmt *st, const char *const *keys, size_t n, json_object **out)
{
	json_object *arr = json_object_new_array();
	int rc, r = 0;
	while (arr && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_object *row = row_json(st, keys, n);
		if (!row || json_object_array_add(arr, row) < 0) {
			json_object_put(row);
			r = -ENOMEM;
			break;
		}
	}
	if (!arr)
		r = -ENOMEM;
	else if (!r && rc != SQLITE_DONE)
		r = store_fail(s, "list");
	sqlite3_finalize(st);
	if (r < 0) {
		json_object_put(arr);
		return r;
	}
	*out = arr;
	return 0;
}

/* Runs an UPDATE of one row; -ENOENT if no row had ID. */
static int
update_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int r = store_step_done(s, st, what);
	sqlite3_finalize(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	return r;
}

int
store_org_create(struct store *s, const struct org_fields *f, int64_t *id)
{
	char now[21];
	sqlite3_stmt *st = store_prepare(s,
		"INSERT INTO organizations (name, parent_id, tax_code, address, email, "
		"created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
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
	int r = store_step_done(s, st, "create organization");
	sqlite3_finalize(st);
	if (r == 0)
		*id = sqlite3_last_insert_rowid(s->db);
	return r;
}

/* UPDATE … SET col = CASE WHEN ?n THEN ?m ELSE col END: one statement for
 * any subset of fields. */
int
store_org_update(struct store *s, int64_t id, const struct org_fields *f)
{
	char now[21];
	sqlite3_stmt *st = store_prepare(s,
		"UPDATE organizations SET "
		"name = CASE WHEN ?1 THEN ?2 ELSE name END, "
		"parent_id = CASE WHEN ?3 THEN ?4 ELSE parent_id END, "
		"tax_code = CASE WHEN ?5 THEN ?6 ELSE tax_code END, "
		"address = CASE WHEN ?7 THEN ?8 ELSE address END, "
		"email = CASE WHEN ?9 THEN ?10 ELSE email END, "
		"updated_at = ?11 WHERE id = ?12");
	if (!st)
		return -EIO;
	store_now(now);
	sqlite3_bind_int(st, 1, !!(f->set & FIELD_NAME));
	store_bind_text(st, 2, f->name);
	sqlite3_bind_int(st, 3, !!(f->set & FIELD_PARENT));
	store_bind_id(st, 4, f->parent_id);
	sqlite3_bind_int(st, 5, !!(f->set & FIELD_TAX_CODE));
	store_bind_text(st, 6, f->tax_code);
	sqlite3_bind_int(st, 7, !!(f->set & FIELD_ADDRESS));
	store_bind_text(st, 8, f->address);
	sqlite3_bind_int(st, 9, !!(f->set & FIELD_EMAIL));
	store_bind_text(st, 10, f->email);
	store_bind_text(st, 11, now);
	sqlite3_bind_int64(st, 12, id);
	return update_done(s, st, "update organization");
}

int
store_org_get(struct store *s, int64_t id, json_object **out)
{
	return get_one(s, "SELECT " ORG_COLUMNS " FROM organizations o WHERE o.id = ?1", id,
		       org_keys, sizeof(org_keys) / sizeof(*org_keys), out);
}

int
store_org_list(struct store *s, json_object **out)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT " ORG_COLUMNS " FROM organizations o ORDER BY o.id");
	return st ? get_all(s, st, org_keys, sizeof(org_keys) / sizeof(*org_keys), out) : -EIO;
}

int
store_org_would_cycle(struct store *s, int64_t id, int64_t parent, bool *cycle)
{
	sqlite3_stmt *st = store_prepare(s,
		"WITH RECURSIVE up(id) AS (SELECT ?1 UNION "
		"SELECT o.parent_id FROM organizations o JOIN up ON o.id = up.id "
		"WHERE o.parent_id IS NOT NULL) SELECT 1 FROM up WHERE id = ?2");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, parent);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, "organization tree");
	*cycle = rc == SQLITE_ROW;
	return 0;
}

int
store_person_create(struct store *s, const struct person_fields *f, int64_t *id)
{
	char now[21];
	sqlite3_stmt *st = store_prepare(s,
		"INSERT INTO people (full_name, id_number, birth_date, position, organization_id, "
		"email, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
	int r = store_step_done(s, st, "create person");
	sqlite3_finalize(st);
	if (r == 0)
		*id = sqlite3_last_insert_rowid(s->db);
	return r;
}

int
store_person_update(struct store *s, int64_t id, const struct person_fields *f)
{
	char now[21];
	sqlite3_stmt *st = store_prepare(s,
		"UPDATE people SET "
		"full_name = CASE WHEN ?1 THEN ?2 ELSE full_name END, "
		"id_number = CASE WHEN ?3 THEN ?4 ELSE id_number END, "
		"birth_date = CASE WHEN ?5 THEN ?6 ELSE birth_date END, "
		"position = CASE WHEN ?7 THEN ?8 ELSE position END, "
		"organization_id = CASE WHEN ?9 THEN ?10 ELSE organization_id END, "
		"email = CASE WHEN ?11 THEN ?12 ELSE email END, "
		"phone = CASE WHEN ?13 THEN ?14 ELSE phone END, "
		"updated_at = ?15 WHERE id = ?16");
	if (!st)
		return -EIO;
	store_now(now);
	sqlite3_bind_int(st, 1, !!(f->set & FIELD_NAME));
	store_bind_text(st, 2, f->full_name);
	sqlite3_bind_int(st, 3, !!(f->set & FIELD_ID_NUMBER));
	store_bind_text(st, 4, f->id_number);
	sqlite3_bind_int(st, 5, !!(f->set & FIELD_BIRTH_DATE));
	store_bind_text(st, 6, f->birth_date);
	sqlite3_bind_int(st, 7, !!(f->set & FIELD_POSITION));
	store_bind_text(st, 8, f->position);
	sqlite3_bind_int(st, 9, !!(f->set & FIELD_ORGANIZATION));
	store_bind_id(st, 10, f->organization_id);
	sqlite3_bind_int(st, 11, !!(f->set & FIELD_EMAIL));
	store_bind_text(st, 12, f->email);
	sqlite3_bind_int(st, 13, !!(f->set & FIELD_PHONE));
	store_bind_text(st, 14, f->phone);
	store_bind_text(st, 15, now);
	sqlite3_bind_int64(st, 16, id);
	return update_done(s, st, "update person");
}

int
store_person_get(struct store *s, int64_t id, json_object **out)
{
	return get_one(s, "SELECT " PERSON_COLUMNS " FROM people p "
		       "LEFT JOIN organizations o ON o.id = p.organization_id WHERE p.id = ?1", id,
		       person_keys, sizeof(person_keys) / sizeof(*person_keys), out);
}

int
store_person_list(struct store *s, int64_t org, json_object **out)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT " PERSON_COLUMNS " FROM people p "
		"LEFT JOIN organizations o ON o.id = p.organization_id "
		"WHERE ?1 = 0 OR p.organization_id = ?1 ORDER BY p.id");
	if (!st)
		return -EIO;
	sqlite3_bind_int64(st, 1, org);
	return get_all(s, st, person_keys, sizeof(person_keys) / sizeof(*person_keys), out);
}
