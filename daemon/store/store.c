/* The store over its backend: opening and migrations, transactions, and the
 * statement helpers of the area files (store-private.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "jsonb.h"
#include "log.h"
#include "store-private.h"
#include "store-schema.h"

/* The engines, by name (store_open()). */
static const struct store_backend *const backends[] = { &store_sqlite, NULL };

int
store_fail(struct store *s, const char *what)
{
	log_error("registry %s: %s: %s", s->backend->describe(s->conn), what,
		  s->backend->error(s->conn));
	return -EIO;
}

/* ---- statements ---------------------------------------------------------- */

struct store_stmt *
store_prepare(struct store *s, const char *sql)
{
	struct store_stmt *st = NULL;
	int r = s->backend->prepare(s->conn, sql, &st);
	if (r == -ENOMEM)
		log_error("out of memory preparing a statement");
	else if (r < 0)
		store_fail(s, "prepare");
	return r < 0 ? NULL : st;
}

void
store_finalize(struct store_stmt *st)
{
	if (st)
		st->backend->finalize(st);
}

void
store_reset(struct store_stmt *st)
{
	st->backend->reset(st);
}

void
store_bind_int(struct store_stmt *st, int idx, int64_t value)
{
	st->backend->bind_int(st, idx, value);
}

void
store_bind_text(struct store_stmt *st, int idx, const char *text)
{
	st->backend->bind_text(st, idx, text);
}

void
store_bind_stamp(struct store_stmt *st, int idx, const struct actor *actor)
{
	char now[21];
	store_now(now);
	st->backend->bind_text(st, idx, now);
	st->backend->bind_int(st, idx + 1, actor->uid);
	st->backend->bind_text(st, idx + 2, actor->user);
}

void
store_bind_text_len(struct store_stmt *st, int idx, const char *text, size_t len)
{
	char *copy = strndup(text, len);
	/* out of memory: bound as null, which matches nothing */
	st->backend->bind_text(st, idx, copy);
	free(copy);
}

int
store_step(struct store_stmt *st)
{
	return st->backend->step(st);
}

void
store_bind_id(struct store_stmt *st, int idx, int64_t id)
{
	if (id)
		st->backend->bind_int(st, idx, id);
	else
		st->backend->bind_text(st, idx, NULL);
}

enum store_type
store_column_type(struct store_stmt *st, int i)
{
	return st->backend->column_type(st, i);
}

int64_t
store_column_int(struct store_stmt *st, int i)
{
	return st->backend->column_int(st, i);
}

const char *
store_column_text(struct store_stmt *st, int i)
{
	return st->backend->column_text(st, i);
}

bool
store_column_null(struct store_stmt *st, int i)
{
	return st->backend->column_type(st, i) == STORE_NULL;
}

char *
store_column_dup(struct store_stmt *st, int i, bool *oom)
{
	const char *t = st->backend->column_text(st, i);
	char *copy = t ? strdup(t) : NULL;
	if (t && !copy && oom)
		*oom = true;
	return copy;
}

int64_t
store_changes(struct store *s)
{
	return s->backend->changes(s->conn);
}

int64_t
store_last_id(struct store *s)
{
	return s->backend->last_id(s->conn);
}

int
store_step_done(struct store *s, struct store_stmt *st, const char *what)
{
	int r = st->backend->step(st);
	if (r == STORE_DONE || r == -EEXIST || r == -ENOMEM)
		return r == STORE_DONE ? 0 : r;
	return store_fail(s, what);
}

/* ---- rows ---------------------------------------------------------------- */

int
store_each_row(struct store *s, struct store_stmt *st, store_each_fn row, void *arg,
	       const char *what)
{
	int rc, r = 0;
	while ((rc = st->backend->step(st)) == STORE_ROW)
		if ((r = row(s, st, arg)) != 0)
			return r < 0 ? r : 0;
	if (rc == STORE_DONE)
		return 0;
	return rc == -ENOMEM ? rc : store_fail(s, what);
}

/* Stops at the first row: store_first_row()'s. */
struct first {
	store_each_fn row;
	void *arg;
	int r;
	bool found;
};

static int
take_first(struct store *s, struct store_stmt *st, void *arg)
{
	struct first *f = arg;
	f->found = true;
	f->r = f->row(s, st, f->arg);
	return 1;
}

int
store_first_row(struct store *s, struct store_stmt *st, store_each_fn row, void *arg,
		const char *what)
{
	struct first f = { .row = row, .arg = arg };
	int r = store_each_row(s, st, take_first, &f, what);
	if (r < 0)
		return r;
	if (!f.found)
		return -ENOENT;
	return f.r < 0 ? f.r : 0;
}

void
store_column_json(struct jsonb *b, struct store_stmt *st, int i, const char *key)
{
	switch (store_column_type(st, i)) {
	case STORE_NULL:
		break;
	case STORE_INT:
		jsonb_int(b, key, store_column_int(st, i));
		break;
	case STORE_TEXT:
		jsonb_str(b, key, store_column_text(st, i));
		break;
	}
}

json_object *
store_row_object(struct store_stmt *st, const char *const *keys, size_t n)
{
	struct jsonb b = jsonb_new();
	for (size_t i = 0; i < n; i++)
		store_column_json(&b, st, (int)i, keys[i]);
	return jsonb_finish(&b);
}

/* Appends records to an array: the row functions of the JSON helpers. */
struct records {
	json_object *arr;
	store_row_fn row;
	struct store_stmt *aux;
	const char *const *keys;
	size_t n;
};

static int
append_record(struct store *s, struct store_stmt *st, void *arg)
{
	struct records *rs = arg;
	json_object *rec = NULL;
	int r = rs->row ? rs->row(s, st, rs->aux, &rec)
			: (rec = store_row_object(st, rs->keys, rs->n)) ? 0 : -ENOMEM;
	if (r < 0)
		return r;
	if (json_object_array_add(rs->arr, rec) < 0) {
		json_object_put(rec);
		return -ENOMEM;
	}
	return 0;
}

static int
records(struct store *s, struct store_stmt *st, struct records *rs, const char *what,
	json_object **out)
{
	*out = NULL;
	if (!(rs->arr = json_object_new_array()))
		return -ENOMEM;
	int r = store_each_row(s, st, append_record, rs, what);
	if (r < 0) {
		json_object_put(rs->arr);
		return r;
	}
	*out = rs->arr;
	return 0;
}

int
store_rows_json(struct store *s, struct store_stmt *st, struct store_stmt *aux,
		store_row_fn row, const char *what, json_object **out)
{
	return records(s, st, &(struct records){ .row = row, .aux = aux }, what, out);
}

int
store_objects_json(struct store *s, struct store_stmt *st, const char *const *keys, size_t n,
		   const char *what, json_object **out)
{
	return records(s, st, &(struct records){ .keys = keys, .n = n }, what, out);
}

/* The one record of store_row_json(). */
struct record {
	store_row_fn row;
	struct store_stmt *aux;
	json_object **out;
};

static int
one_record(struct store *s, struct store_stmt *st, void *arg)
{
	struct record *rec = arg;
	return rec->row(s, st, rec->aux, rec->out);
}

int
store_row_json(struct store *s, struct store_stmt *st, struct store_stmt *aux,
	       store_row_fn row, const char *what, json_object **out)
{
	*out = NULL;
	return store_first_row(s, st, one_record, &(struct record){ row, aux, out }, what);
}

void
store_now(char buf[21])
{
	khoa_time_iso_at(time(NULL), buf);
}

void
store_year_bounds(int year, char from[24], char to[24])
{
	snprintf(from, 24, "%04d-01-01", year);
	snprintf(to, 24, "%04d-01-01", year + 1);
}

/* ---- transactions ---------------------------------------------------------- */

int
store_begin(struct store *s)
{
	return s->backend->begin(s->conn) < 0 ? store_fail(s, "begin") : 0;
}

int
store_commit(struct store *s)
{
	if (s->backend->commit(s->conn) < 0)
		return store_fail(s, "commit");
	s->commits++;
	return 0;
}

void
store_rollback(struct store *s)
{
	s->backend->rollback(s->conn);
}

/* ---- the schema -------------------------------------------------------------- */

static int
schema_version_row(struct store *s, struct store_stmt *st, void *arg)
{
	*(int *)arg = (int)store_column_int(st, 0);
	return 0;
}

int
store_schema_version(struct store *s)
{
	struct store_stmt *st = store_prepare(s, "SELECT COALESCE(MAX(version), 0) "
						 "FROM schema_migrations");
	int v = 0;
	int r = st ? store_first_row(s, st, schema_version_row, &v, "schema version") : -EIO;
	store_finalize(st);
	return r < 0 ? r : v;
}

/* Migration M in its own transaction, recorded in schema_migrations. */
static int
apply(struct store *s, const struct store_migration *m)
{
	struct store_stmt *st = NULL;
	char now[21];
	int r;

	store_now(now);
	if ((r = store_begin(s)) < 0)
		return r;
	if ((r = s->backend->exec(s->conn, m->sql)) < 0)
		r = store_fail(s, m->name);
	else if (!(st = store_prepare(s, "INSERT INTO schema_migrations VALUES (?, ?, ?)")))
		r = -EIO;
	if (r == 0) {
		store_bind_int(st, 1, m->version);
		store_bind_text(st, 2, m->name);
		store_bind_text(st, 3, now);
		r = store_step_done(s, st, "record migration");
	}
	store_finalize(st);
	if (r < 0 || (r = store_commit(s)) < 0) {
		store_rollback(s);
		return r;
	}
	log_info("registry %s: applied migration %s", s->backend->describe(s->conn), m->name);
	return 0;
}

static int
migrate(struct store *s, char **error)
{
	int latest = 0, current, r;

	for (const struct store_migration *m = store_migrations; m->sql; m++)
		latest = m->version;
	if (s->backend->exec(s->conn, "CREATE TABLE IF NOT EXISTS schema_migrations ("
				"version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
				"applied_at TEXT NOT NULL)") < 0)
		return store_fail(s, "create schema_migrations");
	if ((current = store_schema_version(s)) < 0)
		return current;
	if (current > latest) {
		if (asprintf(error, "the registry %s has schema version %d, newer than the %d "
			     "this khoad knows: run a khoad at least as new as the one that wrote it",
			     s->backend->describe(s->conn), current, latest) < 0)
			*error = NULL;
		return -EPROTO;
	}
	for (const struct store_migration *m = store_migrations; m->sql; m++)
		if (m->version > current && (r = apply(s, m)) < 0)
			return r;
	return 0;
}

static int
open_store(const char *backend, const char *where, bool readonly, struct store **out,
	   char **error)
{
	struct store *s = calloc(1, sizeof(*s));
	int r;

	*out = NULL;
	*error = NULL;
	if (!s)
		return -ENOMEM;
	for (const struct store_backend *const *b = backends; *b; b++)
		if (strcmp((*b)->name, backend) == 0)
			s->backend = *b;
	if (!s->backend) {
		free(s);
		if (asprintf(error, "no registry backend %s (there is sqlite)", backend) < 0)
			*error = NULL;
		return -ENOENT;
	}
	if ((r = s->backend->open(where, readonly, &s->conn, error)) < 0) {
		free(s);
		if (!*error && asprintf(error, "cannot use the registry in %s", where) < 0)
			*error = NULL;
		return r;
	}
	if (!readonly && (r = migrate(s, error)) < 0) {
		if (!*error && asprintf(error, "cannot use the registry %s",
					s->backend->describe(s->conn)) < 0)
			*error = NULL;
		store_close(s);
		return r;
	}
	*out = s;
	return 0;
}

int
store_open(const char *backend, const char *where, struct store **out, char **error)
{
	return open_store(backend, where, false, out, error);
}

int
store_open_readonly(const char *backend, const char *where, struct store **out, char **error)
{
	return open_store(backend, where, true, out, error);
}

void
store_close(struct store *s)
{
	if (!s)
		return;
	s->backend->close(s->conn);
	free(s);
}
