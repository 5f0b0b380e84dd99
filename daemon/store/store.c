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
static const struct store_backend *const backends[] = { &store_sqlite, &store_pg, NULL };

int
store_fail(struct store *s, const char *what)
{
	log_error("registry %s: %s: %s", s->backend->describe(s->conn), what,
		  s->backend->error(s->conn));
	int r = s->backend->failure(s->conn);
	if (r == -ENOSPC || r == -EROFS)	/* the disk filled, or went read-only */
		store_disk_refuses(s, r == -EROFS ? "read-only" : "disk-full",
			  strdup(s->backend->error(s->conn)));
	return r;
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
		st->backend->bind_null(st, idx, STORE_INT);
}

void
store_bind_null(struct store_stmt *st, int idx, enum store_type type)
{
	st->backend->bind_null(st, idx, type);
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

int
store_insert_id(struct store *s, struct store_stmt *st, const char *what, int64_t *id)
{
	int r = st->backend->step(st);
	if (r == STORE_ROW) {
		*id = st->backend->column_int(st, 0);
		r = st->backend->step(st);
	}
	if (r == STORE_DONE || r == -EEXIST || r == -ENOMEM)
		return r == STORE_DONE ? 0 : r;
	return store_fail(s, what);
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

/* Appends records to an array: the row functions of the JSON helpers. A
 * page (PAGE not NULL, its limit not 0) stops at the row after its
 * LIMIT-th, the NEXT kept from the LIMIT-th row's KEY. */
struct records {
	json_object *arr;
	store_row_fn row;
	struct store_stmt *aux;
	const char *const *keys;
	size_t n;
	const struct store_key *key;
	struct store_page *page;
	size_t count;
	char *last;		/* the cursor of the LIMIT-th row */
};

/* The cursor of the current row of ST: KEY's columns, a JSON array. */
char *
store_row_cursor(struct store_stmt *st, const struct store_key *key)
{
	json_object *arr = json_object_new_array();
	char *text = NULL;
	bool oom = !arr;

	for (size_t i = 0; !oom && key->shape[i]; i++) {
		json_object *v = key->shape[i] == 'i'
			? json_object_new_int64(store_column_int(st, key->cols[i]))
			: json_object_new_string(store_column_text(st, key->cols[i]) ?
						 store_column_text(st, key->cols[i]) : "");
		if (!v || json_object_array_add(arr, v) < 0) {
			json_object_put(v);
			oom = true;
		}
	}
	if (!oom)
		text = strdup(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	return text;
}

static int
append_record(struct store *s, struct store_stmt *st, void *arg)
{
	struct records *rs = arg;
	json_object *rec = NULL;
	bool paged = rs->page && rs->page->limit;

	if (paged && rs->count == rs->page->limit) {	/* one more: a page follows */
		rs->page->next = rs->last;
		rs->last = NULL;
		return 1;
	}
	int r = rs->row ? rs->row(s, st, rs->aux, &rec)
			: (rec = store_row_object(st, rs->keys, rs->n)) ? 0 : -ENOMEM;
	if (r < 0)
		return r;
	if (json_object_array_add(rs->arr, rec) < 0) {
		json_object_put(rec);
		return -ENOMEM;
	}
	if (paged && ++rs->count == rs->page->limit && !(rs->last = store_row_cursor(st, rs->key)))
		return -ENOMEM;
	return 0;
}

static int
records(struct store *s, struct store_stmt *st, struct records *rs, const char *what,
	json_object **out)
{
	*out = NULL;
	if (rs->page)
		rs->page->next = NULL;
	if (!(rs->arr = json_object_new_array()))
		return -ENOMEM;
	int r = store_each_row(s, st, append_record, rs, what);
	free(rs->last);
	if (r < 0) {
		if (rs->page) {
			free(rs->page->next);
			rs->page->next = NULL;
		}
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

int
store_rows_page(struct store *s, struct store_stmt *st, struct store_stmt *aux,
		store_row_fn row, const struct store_key *key, struct store_page *p,
		const char *what, json_object **out)
{
	return records(s, st, &(struct records){ .row = row, .aux = aux, .key = key, .page = p },
		       what, out);
}

int
store_objects_page(struct store *s, struct store_stmt *st, const char *const *keys, size_t n,
		   const struct store_key *key, struct store_page *p, const char *what,
		   json_object **out)
{
	return records(s, st, &(struct records){ .keys = keys, .n = n, .key = key, .page = p },
		       what, out);
}

/* A cursor longer than this is none: a key of two names and a serial is
 * far shorter. */
#define CURSOR_MAX 4096

int
store_page_after(struct store_page *p, const struct store_key *key, json_object **out)
{
	size_t len, n = strlen(key->shape);
	json_tokener *tok;
	json_object *arr;

	*out = NULL;
	if (!p)
		return 0;
	p->next = NULL;
	if (!p->after)
		return 0;
	if ((len = strlen(p->after)) > CURSOR_MAX)
		return -EINVAL;
	if (!(tok = json_tokener_new()))
		return -ENOMEM;
	arr = json_tokener_parse_ex(tok, p->after, (int)len);
	/* the whole text, one array */
	bool whole = arr && json_tokener_get_error(tok) == json_tokener_success &&
		     (size_t)json_tokener_get_parse_end(tok) == len;
	json_tokener_free(tok);
	if (!whole || !json_object_is_type(arr, json_type_array) ||
	    json_object_array_length(arr) != n) {
		json_object_put(arr);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, key->shape[i] == 'i' ? json_type_int
								 : json_type_string)) {
			json_object_put(arr);
			return -EINVAL;
		}
	}
	*out = arr;
	return 0;
}

void
store_bind_page(struct store_stmt *st, const struct store_page *p, int limit_idx,
		json_object *after, int key_idx)
{
	/* One more than the page: whether another follows. */
	store_bind_int(st, limit_idx, p && p->limit && p->limit < (size_t)INT64_MAX
		       ? (int64_t)p->limit + 1 : INT64_MAX);
	for (size_t i = 0; after && i < json_object_array_length(after); i++) {
		json_object *v = json_object_array_get_idx(after, i);
		if (json_object_is_type(v, json_type_int))
			store_bind_int(st, key_idx + (int)i, json_object_get_int64(v));
		else
			store_bind_text(st, key_idx + (int)i, json_object_get_string(v));
	}
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
	int r = store_room_for_change(s);
	if (r < 0)
		return r;
	if (s->backend->begin(s->conn) < 0)
		return store_fail(s, "begin");
	if (s->audited && (r = store_audit_begin(s)) < 0)
		store_rollback(s);
	return r;
}

int
store_commit(struct store *s)
{
	int r;
	if (s->audited && (r = store_audit_seal(s)) < 0)
		return r;
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

/* The version recorded in schema_migrations. */
static int
recorded_version(struct store *s)
{
	struct store_stmt *st = store_prepare(s, "SELECT COALESCE(MAX(version), 0) "
						 "FROM schema_migrations");
	int v = 0;
	int r = st ? store_first_row(s, st, schema_version_row, &v, "schema version") : -EIO;
	store_finalize(st);
	return r < 0 ? r : v;
}

int
store_schema_too_new(struct store *s, int version, char **error)
{
	if (asprintf(error, "the registry %s has schema version %d, newer than the %d this "
		     "khoad knows: run a khoad at least as new as the one that wrote it",
		     s->backend->describe(s->conn), version, store_schema_known()) < 0)
		*error = NULL;
	return -EPROTO;
}

int
store_schema_known(void)
{
	int latest = 0;
	for (const struct store_migration *m = store_migrations; m->sql; m++)
		latest = m->version;
	return latest;
}

int
store_lock(struct store *s, enum store_lock ns, int64_t id)
{
	/* One 64-bit key: "k" in the top byte (a namespace of khoa's among
	 * whatever else shares the server), NS, then the id. */
	int64_t key = (int64_t)((uint64_t)0x6b << 56 | (uint64_t)ns << 48 |
				((uint64_t)id & 0xffffffffffffULL));
	return s->backend->lock(s->conn, key) < 0 ? store_fail(s, "lock") : 0;
}

/* Whether the table of migrations is there: asked of the catalog, since a
 * failed SELECT would end a PostgreSQL transaction, and a role that may not
 * create tables may not even try CREATE TABLE IF NOT EXISTS. */
static const char *const migrations_table_sql[] = {
	[STORE_DIALECT_SQLITE] = "SELECT count(*) FROM sqlite_master "
				 "WHERE type = 'table' AND name = 'schema_migrations'",
	[STORE_DIALECT_POSTGRESQL] = "SELECT count(*) FROM pg_catalog.pg_tables "
				     "WHERE tablename = 'schema_migrations' "
				     "AND schemaname = current_schema()",
};

static int
count_row(struct store *s, struct store_stmt *st, void *arg)
{
	(void)s;
	*(int64_t *)arg = store_column_int(st, 0);
	return 0;
}

/* The schema's version inside a migration's transaction, the table of
 * migrations created when there is none. */
static int
has_migrations_table(struct store *s)
{
	struct store_stmt *st = store_prepare(s, migrations_table_sql[s->backend->dialect]);
	int64_t tables = 0;
	int r = st ? store_first_row(s, st, count_row, &tables, "find schema_migrations") : -EIO;
	store_finalize(st);
	return r < 0 ? r : tables > 0;
}

static int
locked_version(struct store *s)
{
	int r = has_migrations_table(s);
	if (r < 0)
		return r;
	if (r == 0 && s->backend->exec(s->conn, "CREATE TABLE schema_migrations ("
					    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
					    "applied_at TEXT NOT NULL)") < 0)
		return store_fail(s, "create schema_migrations");
	return recorded_version(s);
}

int
store_schema_version(struct store *s)
{
	int r = has_migrations_table(s);
	return r <= 0 ? r : recorded_version(s);	/* none yet: 0 */
}

/* Records migration M as applied. */
static int
record(struct store *s, const struct store_migration *m)
{
	struct store_stmt *st = store_prepare(s, "INSERT INTO schema_migrations VALUES (?, ?, ?)");
	char now[21];
	if (!st)
		return -EIO;
	store_now(now);
	store_bind_int(st, 1, m->version);
	store_bind_text(st, 2, m->name);
	store_bind_text(st, 3, now);
	int r = store_step_done(s, st, "record migration");
	store_finalize(st);
	return r;
}

/*
 * Brings the schema up to date, one migration per transaction. Each
 * transaction first takes the migrations' lock and reads the version
 * again: several khoad starting at once on a new shared registry apply
 * each migration once, the others wait and then find it done.
 */
static int
migrate(struct store *s, char **error)
{
	int latest = store_schema_known(), current, r;

	for (;;) {
		if ((r = store_begin(s)) < 0)
			return r;
		if ((r = store_lock(s, STORE_LOCK_MIGRATIONS, 0)) < 0 ||
		    (r = current = locked_version(s)) < 0)
			goto fail;
		if (current > latest) {
			r = store_schema_too_new(s, current, error);
			goto fail;
		}
		if (current == latest)
			break;
		const struct store_migration *m = &store_migrations[current];
		const char *sql = s->backend->dialect == STORE_DIALECT_POSTGRESQL ? m->sql_pg
										     : m->sql;
		if ((r = s->backend->exec(s->conn, sql)) < 0) {
			r = store_fail(s, m->name);
			goto fail;
		}
		if ((r = record(s, m)) < 0 || (r = store_commit(s)) < 0)
			goto fail;
		log_info("registry %s: applied migration %s", s->backend->describe(s->conn),
			 m->name);
	}
	store_rollback(s);	/* nothing was changed in the last one */
	return 0;
fail:
	store_rollback(s);
	return r;
}

static int
open_store(const char *backend, const char *where, bool readonly, struct store **out,
	   char **error)
{
	struct store *s = calloc(1, sizeof(*s));
	int r;

	*out = NULL;
	*error = NULL;
	if (!s || !(s->workstation = strdup(""))) {
		free(s);
		return -ENOMEM;
	}
	for (const struct store_backend *const *b = backends; *b; b++)
		if (strcmp((*b)->name, backend) == 0)
			s->backend = *b;
	if (!s->backend) {
		free(s->workstation);
		free(s);
		if (asprintf(error, "no registry backend %s (there are sqlite and postgresql)",
			     backend) < 0)
			*error = NULL;
		return -ENOENT;
	}
	s->reader = readonly;
	if ((r = s->backend->open(where, readonly, &s->conn, error)) < 0) {
		free(s->workstation);
		free(s);
		if (!*error && asprintf(error, "cannot use the registry in %s", where) < 0)
			*error = NULL;
		return r;
	}
	if (r == 1) {	/* its disk takes no write: read only, if it is up to date */
		store_disk_refuses(s, s->backend->writable(s->conn) == -EROFS ? "read-only" : "disk-full",
			  *error);
		*error = NULL;
		if ((r = store_schema_version(s)) >= 0 && r != store_schema_known() &&
		    asprintf(error, "the registry %s has schema version %d and this khoad "
			     "needs %d, a change its disk cannot take now: %s",
			     s->backend->describe(s->conn), r, store_schema_known(),
			     s->read_only) < 0)
			*error = NULL;
		if (r < 0 || r != store_schema_known()) {
			store_close(s);
			return r < 0 ? r : -EROFS;
		}
		readonly = true;	/* nothing to migrate */
	}
	if (!readonly && (r = migrate(s, error)) < 0) {
		if (!*error && asprintf(error, "cannot use the registry %s",
					s->backend->describe(s->conn)) < 0)
			*error = NULL;
		store_close(s);
		return r;
	}
	s->audited = true;	/* up to date: the schema has the trail */
	if (!readonly && !s->read_only && (r = store_audit_start(s)) < 0) {
		if (asprintf(error, "cannot begin the audit trail of the registry %s",
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

int
store_listen(struct store *s)
{
	int r = s->backend->listen_fd(s->conn);
	if (r < 0 && r != -ENOTSUP)
		log_warning("registry %s: cannot listen for other workstations' events: %s",
			    s->backend->describe(s->conn), s->backend->error(s->conn));
	return r;
}

int
store_listen_drain(struct store *s)
{
	return s->backend->listen_drain(s->conn);
}

void
store_listen_close(struct store *s)
{
	s->backend->listen_close(s->conn);
}

void
store_info(struct store *s, struct store_info *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->engine, sizeof(out->engine), "%s", s->backend->name);
	out->where = s->backend->describe(s->conn);
	s->backend->info(s->conn, out);
}

void
store_close(struct store *s)
{
	if (!s)
		return;
	s->backend->close(s->conn);
	free(s->workstation);
	free(s->read_only);
	free(s);
}
