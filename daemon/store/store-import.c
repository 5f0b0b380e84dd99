/* Moving a standalone registry into a shared one: see store-import.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-events.h"
#include "store-import.h"
#include "store-import-private.h"
#include "store-private.h"

enum row_kind {
	ROW_PLAIN,	/* copied; with a natural key, matched when there already */
	ROW_ORG,	/* matched by tax code */
	ROW_PERSON,	/* matched by ID number */
	ROW_CERT,	/* matched by fingerprint */
	ROW_TOKEN,	/* matched by serial and holder */
	ROW_LOGIN,	/* matched by login and person */
	ROW_REPORT,	/* the whole registry's (scope 0) is not the province's */
	ROW_EVENT,	/* the ids in its details follow their rows */
};

/* A table, in the order they are copied (a row's references first). */
struct plan {
	const char *table;
	const char *key;	/* its key's columns; "id": generated, a new one given */
	const char *refs[4][2];	/* columns holding another table's id: column, table */
	const char *token;	/* the column naming the token whose registration it is */
	enum row_kind kind;
};

static const struct plan plans[] = {
	{ "organizations", "id", { { "parent_id", "organizations" } }, NULL, ROW_ORG },
	{ "people", "id", { { "organization_id", "organizations" } }, NULL, ROW_PERSON },
	{ "person_logins", "login", { { "person_id", "people" } }, NULL, ROW_LOGIN },
	/* 0020: a record's details follow it (one already in the shared
	 * registry keeps its own) */
	{ "person_details", "person_id", { { "person_id", "people" } }, NULL, ROW_PLAIN },
	{ "organization_details", "organization_id", { { "organization_id", "organizations" },
						       { "manager_id", "people" } }, NULL,
	  ROW_PLAIN },
	{ "workstations", "name", { { "organization_id", "organizations" } }, NULL, ROW_PLAIN },
	{ "certificates", "id", { { NULL } }, NULL, ROW_CERT },
	{ "tokens", "serial", { { NULL } }, NULL, ROW_TOKEN },
	{ "token_sightings", "token_serial, workstation", { { NULL } }, NULL, ROW_PLAIN },
	{ "token_certs", "token_serial, certificate_id", { { "certificate_id", "certificates" } },
	  "token_serial", ROW_PLAIN },
	{ "bindings", "id", { { "certificate_id", "certificates" } }, "token_serial", ROW_PLAIN },
	{ "holders", "id", { { "person_id", "people" }, { "organization_id", "organizations" } },
	  "token_serial", ROW_PLAIN },
	{ "expiry_notices", "certificate_id, kind, threshold",
	  { { "certificate_id", "certificates" } }, NULL, ROW_PLAIN },
	{ "requests", "id", { { NULL } }, NULL, ROW_PLAIN },
	{ "request_transitions", "id", { { "request_id", "requests" } }, NULL, ROW_PLAIN },
	{ "handovers", "id", { { "supersedes", "handovers" }, { "superseded_by", "handovers" } },
	  NULL, ROW_PLAIN },
	{ "handover_rows", "id", { { "handover_id", "handovers" } }, NULL, ROW_PLAIN },
	{ "custody_links", "id", { { "handover_id", "handovers" },
				   { "superseded_by", "handovers" } }, NULL, ROW_PLAIN },
	{ "seal_log", "id", { { "person_id", "people" } }, NULL, ROW_PLAIN },
	{ "manager_changes", "id", { { "organization_id", "organizations" },
				     { "old_person_id", "people" }, { "new_person_id", "people" },
				     { "handover_id", "handovers" } }, NULL, ROW_PLAIN },
	{ "lifecycle_requests", "id", { { "person_id", "people" },
					{ "organization_id", "organizations" } }, NULL, ROW_PLAIN },
	{ "lifecycle_transitions", "id", { { "request_id", "lifecycle_requests" } }, NULL,
	  ROW_PLAIN },
	{ "certificate_lineage", "certificate_serial", { { "request_id", "lifecycle_requests" } },
	  NULL, ROW_PLAIN },
	{ "certificate_revocations", "certificate_serial",
	  { { "request_id", "lifecycle_requests" } }, NULL, ROW_PLAIN },
	{ "annual_reports", "year, scope", { { "scope", "organizations" } }, NULL, ROW_REPORT },
	{ "annual_report_filings", "year, scope", { { "scope", "organizations" } }, NULL,
	  ROW_REPORT },
	{ "token_states", "token_serial", { { NULL } }, "token_serial", ROW_PLAIN },
	{ "revocations_due", "certificate_serial", { { NULL } }, "token_serial", ROW_PLAIN },
	{ "return_notices", "request_id", { { "request_id", "lifecycle_requests" } }, NULL,
	  ROW_PLAIN },
	{ "events", "id", { { NULL } }, NULL, ROW_EVENT },
};
#define N_PLANS (sizeof(plans) / sizeof(plans[0]))

static void
columns_clear(struct columns *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->name[i]);
}

int
column_index(const struct columns *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->n; i++)
		if (strlen(c->name[i]) == len && strncmp(c->name[i], name, len) == 0)
			return (int)i;
	return -1;
}

/* The source's columns of P's table (its schema is this khoad's: it was
 * migrated), with the plan's keys and references found among them. */
static int
read_columns(struct import *im, const struct plan *p, struct columns *c)
{
	struct store_stmt *st = store_prepare(im->src,
		"SELECT name, type FROM pragma_table_info(?1) ORDER BY cid");
	int r = 0, rc;

	memset(c, 0, sizeof(*c));
	c->token = -1;
	if (!st)
		return -EIO;
	store_bind_text(st, 1, p->table);
	while (r == 0 && (rc = store_step(st)) == STORE_ROW) {
		if (c->n == MAX_COLUMNS) {
			r = -E2BIG;
			break;
		}
		if (!(c->name[c->n] = strdup(store_column_text(st, 0))))
			r = -ENOMEM;
		c->integer[c->n] = strcmp(store_column_text(st, 1), "INTEGER") == 0;
		c->n++;
	}
	if (r == 0 && rc != STORE_DONE)
		r = store_fail(im->src, p->table);
	store_finalize(st);
	for (size_t i = 0; r == 0 && i < 4 && p->refs[i][0]; i++) {
		int k = column_index(c, p->refs[i][0], strlen(p->refs[i][0]));
		if (k < 0)
			r = -EINVAL;
		else
			c->ref[k] = p->refs[i][1];
	}
	for (const char *k = p->key; r == 0 && *k;) {
		size_t len = strcspn(k, ", ");
		int i = column_index(c, k, len);
		if (i < 0 || c->n_key == 4)
			r = -EINVAL;
		else
			c->key[c->n_key++] = i;
		k += len;
		k += strspn(k, ", ");
	}
	if (r == 0 && p->token && (c->token = column_index(c, p->token, strlen(p->token))) < 0)
		r = -EINVAL;
	if (r < 0)
		columns_clear(c);
	return r;
}

/* ---- the map of copied rows ------------------------------------------------ */

/* The new id of TABLE's row KEY (1: copied, 0: the shared registry's record
 * stands, for keys that are not ids), in *ID: 1, or 0 when not copied. */
int
map_get(struct import *im, const char *table, const char *key, int64_t *id)
{
	struct store_stmt *st = im->map_get;
	store_reset(st);
	store_bind_text(st, 1, im->out->source);
	store_bind_text(st, 2, table);
	store_bind_text(st, 3, key);
	int r = store_step(st);
	if (r == STORE_ROW) {
		*id = store_column_int(st, 0);
		return 1;
	}
	return r == STORE_DONE ? 0 : store_fail(im->dst, "imported rows");
}

int
map_id(struct import *im, const char *table, int64_t old, int64_t *id)
{
	char key[24];
	snprintf(key, sizeof(key), "%" PRId64, old);
	*id = 0;
	int r = map_get(im, table, key, id);
	return r;
}

static int
map_put(struct import *im, const char *table, const char *key, int64_t id)
{
	struct store_stmt *st = im->map_put;
	store_reset(st);
	store_bind_text(st, 1, im->out->source);
	store_bind_text(st, 2, table);
	store_bind_text(st, 3, key);
	store_bind_int(st, 4, id);
	return store_step_done(im->dst, st, "imported rows");
}

/* ---- one row --------------------------------------------------------------------- */

/* The details of an event, with the ids of rows that moved: by key, and
 * "id" by the kind of event (person.created: a person's). */
static const char *const id_tables[][2] = {
	{ "person.", "people" }, { "organization.", "organizations" },
	{ "pin_request.", "requests" }, { "lifecycle_request.", "lifecycle_requests" },
	{ "certificate.", "lifecycle_requests" }, { "handover.", "handovers" },
	{ "manager.", "manager_changes" }, { "seal.", "seal_log" },
};
static const char *const key_tables[][2] = {
	{ "person_id", "people" }, { "old_person_id", "people" }, { "new_person_id", "people" },
	{ "organization_id", "organizations" }, { "handover_id", "handovers" },
};

static int
remap_object(struct import *im, json_object *o, const char *id_table)
{
	json_object_object_foreach(o, key, v) {
		const char *table = NULL;
		if (json_object_is_type(v, json_type_object)) {
			json_object *kind;
			const char *k = json_object_object_get_ex(v, "kind", &kind)
				? json_object_get_string(kind) : NULL;
			int r = remap_object(im, v, !k ? NULL : strcmp(k, "person") == 0 ? "people"
				: strcmp(k, "organization") == 0 ? "organizations" : NULL);
			if (r < 0)
				return r;
			continue;
		}
		if (!json_object_is_type(v, json_type_int))
			continue;
		if (strcmp(key, "id") == 0)
			table = id_table;
		for (size_t i = 0; !table && i < sizeof(key_tables) / sizeof(key_tables[0]); i++)
			if (strcmp(key, key_tables[i][0]) == 0)
				table = key_tables[i][1];
		int64_t id = 0, old = json_object_get_int64(v);
		int r;
		if (!table || old <= 0)
			continue;
		if ((r = map_id(im, table, old, &id)) < 0)
			return r;
		if (r > 0 && json_object_set_int64(v, id) == 0)
			return -ENOMEM;
	}
	return 0;
}

static int
bind_details(struct import *im, struct store_stmt *ins, int i, const char *type,
	     const char *text)
{
	json_object *o = json_tokener_parse(text);
	const char *table = NULL;
	int r = 0;

	if (!json_object_is_type(o, json_type_object)) {	/* kept as it was */
		json_object_put(o);
		store_bind_text(ins, i, text);
		return 0;
	}
	for (size_t k = 0; k < sizeof(id_tables) / sizeof(id_tables[0]); k++)
		if (strncmp(type, id_tables[k][0], strlen(id_tables[k][0])) == 0)
			table = id_tables[k][1];
	if ((r = remap_object(im, o, table)) == 0) {
		const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
								  JSON_C_TO_STRING_NOSLASHESCAPE);
		if (!s)
			r = -ENOMEM;
		else
			store_bind_text(ins, i, s);	/* copied by the bind */
	}
	json_object_put(o);
	return r;
}

/* The key of ROW as text: one value, or several joined by '|'. */
static int
row_key(struct store_stmt *row, const struct columns *c, char **out)
{
	size_t len = 0;
	char *k = NULL;
	FILE *f = open_memstream(&k, &len);

	if (!f)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_key; i++) {
		const char *v = store_column_text(row, c->key[i]);
		fprintf(f, "%s%s", i ? "|" : "", v ? v : "");
	}
	if (fclose(f) != 0) {
		free(k);
		return -ENOMEM;
	}
	*out = k;
	return 0;
}

/* ---- one table -------------------------------------------------------------------- */

static char *
insert_sql(const struct plan *p, const struct columns *c, bool generated)
{
	size_t len = 0;
	char *sql = NULL;
	FILE *f = open_memstream(&sql, &len);
	int n = 0;

	if (!f)
		return NULL;
	fprintf(f, "INSERT INTO %s (", p->table);
	for (size_t i = generated; i < c->n; i++)
		fprintf(f, "%s%s", i > generated ? ", " : "", c->name[i]);
	fputs(") VALUES (", f);
	for (size_t i = generated; i < c->n; i++)
		fprintf(f, "%s?%d", i > generated ? ", " : "", ++n);
	fputs(generated ? ") RETURNING id" : ") ON CONFLICT DO NOTHING", f);
	if (fclose(f) != 0) {
		free(sql);
		return NULL;
	}
	return sql;
}

static char *
select_sql(const struct plan *p, const struct columns *c)
{
	size_t len = 0;
	char *sql = NULL;
	FILE *f = open_memstream(&sql, &len);

	if (!f)
		return NULL;
	fputs("SELECT ", f);
	for (size_t i = 0; i < c->n; i++)
		fprintf(f, "%s%s", i ? ", " : "", c->name[i]);
	fprintf(f, " FROM %s ORDER BY %s", p->table, p->key);
	if (fclose(f) != 0) {
		free(sql);
		return NULL;
	}
	return sql;
}

struct table_run {
	struct import *im;
	const struct plan *p;
	struct columns c;
	struct store_import_count *count;
	struct store_stmt *ins;
	bool generated;
	struct later *later;
	size_t n_later;
};

/* Binds ROW's column I to INS's parameter N, a reference through the map.
 * 1: a reference to a row not copied (because of a conflict, or one later
 * in this table: then remembered). */
static int
bind_column(struct table_run *t, struct store_stmt *row, size_t i, int n)
{
	struct store_stmt *ins = t->ins;
	const struct columns *c = &t->c;

	if (store_column_null(row, i)) {
		store_bind_null(ins, n, c->integer[i] ? STORE_INT : STORE_TEXT);
		return 0;
	}
	if (!c->ref[i]) {
		if (store_column_type(row, i) == STORE_INT)
			store_bind_int(ins, n, store_column_int(row, i));
		else
			store_bind_text(ins, n, store_column_text(row, i));
		return 0;
	}
	int64_t id = 0, old = store_column_int(row, i);
	int r = map_id(t->im, c->ref[i], old, &id);
	if (r < 0)
		return r;
	if (r == 0) {
		store_bind_null(ins, n, STORE_INT);
		return 1;
	}
	store_bind_int(ins, n, id);
	return 0;
}

static int
copy_row(struct table_run *t, struct store_stmt *row)
{
	struct import *im = t->im;
	const struct plan *p = t->p;
	const struct columns *c = &t->c;
	enum fate fate = COPY;
	int64_t id = 0, keep = 1;
	char *key = NULL;
	int r;

	if ((r = row_key(row, c, &key)) < 0)
		return r;
	if ((r = map_get(im, p->table, key, &id)) != 0) {
		if (r > 0)
			t->count->before++;
		free(key);
		return r < 0 ? r : 0;
	}
	switch (p->kind) {
	case ROW_ORG:
		r = match_named(im, row, c, "tax_code", "name",
				"SELECT id, name FROM organizations WHERE tax_code = ?1",
				STORE_CLASH_TAX_CODE, &id, &fate);
		break;
	case ROW_PERSON:
		r = match_named(im, row, c, "id_number", "full_name",
				"SELECT id, full_name FROM people WHERE id_number = ?1",
				STORE_CLASH_ID_NUMBER, &id, &fate);
		break;
	case ROW_CERT: {
		char *sha256 = NULL;
		r = there(im, "SELECT id, sha256 FROM certificates WHERE sha256 = ?1",
			  store_column_text(row, column_index(c, "sha256", 6)), &id, &sha256);
		free(sha256);
		break;
	}
	case ROW_TOKEN:
		r = match_token(im, row, c, &keep, &fate);
		id = keep;
		break;
	case ROW_LOGIN:
		r = match_login(im, row, c, &fate);
		break;
	case ROW_REPORT:
		if (store_column_int(row, column_index(c, "scope", 5)) == 0)
			fate = SKIPPED;
		break;
	default:
		break;
	}
	if (p->kind == ROW_CERT && r > 0) {
		fate = MATCHED;
		r = 0;
	}
	/* a row of a token whose registration in the shared registry stands */
	if (r == 0 && fate == COPY && c->token >= 0) {
		int64_t mine = 1;
		if ((r = map_get(im, "tokens", store_column_text(row, c->token), &mine)) > 0 &&
		    mine == 0)
			fate = MATCHED;
		r = r < 0 ? r : 0;
	}
	if (r < 0 || fate == CLASH)
		goto done;
	if (fate == SKIPPED) {
		t->count->skipped++;
		goto done;	/* not remembered: a later khoad may copy it */
	}
	if (fate == MATCHED) {
		t->count->matched++;
		r = map_put(im, p->table, key, t->generated || p->kind == ROW_TOKEN ? id : 0);
		goto done;
	}

	/* copied */
	bool missing = false;
	int n = 0;
	store_reset(t->ins);
	for (size_t i = t->generated; r >= 0 && i < c->n; i++) {
		n++;
		if (p->kind == ROW_EVENT && strcmp(c->name[i], "details") == 0)
			r = bind_details(im, t->ins, n,
					 store_column_text(row, column_index(c, "type", 4)),
					 store_column_text(row, i));
		else if ((r = bind_column(t, row, i, n)) > 0) {
			/* a row later in this very table: set once it is in */
			if (strcmp(c->ref[i], p->table) == 0 && im->out->n_conflicts == 0)
				r = 0;
			else
				missing = true;
		}
	}
	if (r < 0)
		goto done;
	if (missing) {	/* it hangs on a row a conflict kept out: nothing is written anyway */
		r = 0;
		goto done;
	}
	if (t->generated)
		r = store_insert_id(im->dst, t->ins, p->table, &id);
	else if ((r = store_step_done(im->dst, t->ins, p->table)) == 0)
		id = p->kind == ROW_TOKEN ? 1 : 0;
	if (r < 0)
		goto done;
	if (!t->generated && p->kind != ROW_TOKEN && store_changes(im->dst) == 0)
		t->count->matched++;
	else
		t->count->copied++;
	if (p->kind == ROW_EVENT && id > im->last_event)
		im->last_event = id;
	/* self references to rows not in yet */
	for (size_t i = 0; t->generated && i < c->n; i++) {
		if (!c->ref[i] || strcmp(c->ref[i], p->table) != 0 || store_column_null(row, i))
			continue;
		int64_t mapped;
		int m = map_id(im, p->table, store_column_int(row, i), &mapped);
		if (m < 0) {
			r = m;
			goto done;
		}
		if (m == 0) {
			struct later *l = reallocarray(t->later, t->n_later + 1, sizeof(*l));
			if (!l) {
				r = -ENOMEM;
				goto done;
			}
			t->later = l;
			l[t->n_later++] = (struct later){ id, store_column_int(row, i), c->name[i] };
		}
	}
	r = map_put(im, p->table, key, id);
done:
	free(key);
	return r;
}

/* The self references left for the end: every row of the table is in. */
static int
set_later(struct table_run *t)
{
	for (size_t i = 0; i < t->n_later; i++) {
		char sql[128];
		int64_t id;
		int r = map_id(t->im, t->p->table, t->later[i].old, &id);
		if (r <= 0)
			return r < 0 ? r : -EINVAL;
		snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ?2 WHERE id = ?1", t->p->table,
			 t->later[i].column);
		struct store_stmt *st = store_prepare(t->im->dst, sql);
		if (!st)
			return -EIO;
		store_bind_int(st, 1, t->later[i].row);
		store_bind_int(st, 2, id);
		r = store_step_done(t->im->dst, st, t->p->table);
		store_finalize(st);
		if (r < 0)
			return r;
	}
	return 0;
}

static int
copy_table(struct import *im, const struct plan *p, struct store_import_count *count)
{
	struct table_run t = { .im = im, .p = p, .count = count,
			       .generated = strcmp(p->key, "id") == 0 };
	struct store_stmt *rows = NULL;
	char *sql = NULL;
	int r, rc;

	count->table = p->table;
	if ((r = read_columns(im, p, &t.c)) < 0)
		return r;
	if (p->kind == ROW_EVENT && (r = store_events_lock(im->dst)) < 0)
		goto out;
	if (!(sql = insert_sql(p, &t.c, t.generated))) {
		r = -ENOMEM;
		goto out;
	}
	if (!(t.ins = store_prepare(im->dst, sql))) {
		r = -EIO;
		goto out;
	}
	free(sql);
	if (!(sql = select_sql(p, &t.c))) {
		r = -ENOMEM;
		goto out;
	}
	if (!(rows = store_prepare(im->src, sql))) {
		r = -EIO;
		goto out;
	}
	while ((rc = store_step(rows)) == STORE_ROW)
		if ((r = copy_row(&t, rows)) < 0)
			goto out;
	if (rc != STORE_DONE)
		r = store_fail(im->src, p->table);
	else if (im->out->n_conflicts == 0)
		r = set_later(&t);
out:
	free(sql);
	store_finalize(rows);
	store_finalize(t.ins);
	free(t.later);
	columns_clear(&t.c);
	return r;
}

/* ---- the whole -------------------------------------------------------------------- */

/* The source's identity: when its schema was first built, which no other
 * registry shares and no use of it changes. */
static int
source_identity(struct store *src, char **out)
{
	struct store_stmt *st = store_prepare(src,
		"SELECT applied_at FROM schema_migrations WHERE version = 1");
	int r;

	if (!st)
		return -EIO;
	if ((r = store_step(st)) == STORE_ROW)
		r = asprintf(out, "sqlite:%s", store_column_text(st, 0)) < 0 ? -ENOMEM : 0;
	else
		r = r == STORE_DONE ? -ENOENT : store_fail(src, "schema_migrations");
	store_finalize(st);
	return r;
}

int
store_import(struct store *dst, struct store *src, struct store_import *out)
{
	struct import im = { .dst = dst, .src = src, .out = out };
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = source_identity(src, &out->source)) < 0)
		return r;
	if (!(out->counts = calloc(N_PLANS, sizeof(*out->counts))))
		return -ENOMEM;
	out->n_counts = N_PLANS;
	if ((r = store_begin(dst)) < 0)
		return r;
	/* one import at a time: the map is read and written whole */
	if ((r = store_lock(dst, STORE_LOCK_IMPORT, 0)) < 0)
		goto fail;
	if (!(im.map_get = store_prepare(dst, "SELECT new_id FROM imported_rows "
					       "WHERE source = ?1 AND table_name = ?2 AND old_key = ?3")) ||
	    !(im.map_put = store_prepare(dst, "INSERT INTO imported_rows (source, table_name, "
					       "old_key, new_id) VALUES (?1, ?2, ?3, ?4)"))) {
		r = -EIO;
		goto fail;
	}
	for (size_t i = 0; i < N_PLANS; i++)
		if ((r = copy_table(&im, &plans[i], &out->counts[i])) < 0)
			goto fail;
	if (out->n_conflicts) {
		r = -EEXIST;
		goto fail;
	}
	if (im.last_event && (r = store_events_notify(dst, im.last_event)) < 0)
		goto fail;
	store_finalize(im.map_get);
	store_finalize(im.map_put);
	return store_commit(dst);
fail:
	store_finalize(im.map_get);
	store_finalize(im.map_put);
	store_rollback(dst);
	return r;
}

void
store_import_clear(struct store_import *im)
{
	for (size_t i = 0; i < im->n_conflicts; i++) {
		free(im->conflicts[i].key);
		free(im->conflicts[i].here);
		free(im->conflicts[i].there);
	}
	free(im->conflicts);
	free(im->counts);
	free(im->source);
	memset(im, 0, sizeof(*im));
}
