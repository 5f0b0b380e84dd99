/* Opening the registry, migrations, transactions, statement helpers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "date.h"
#include "jsonb.h"
#include "log.h"
#include "store-private.h"
#include "store-schema.h"

int
store_fail(struct store *s, const char *what)
{
	log_error("registry %s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	return -EIO;
}

sqlite3_stmt *
store_prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, "prepare");
		return NULL;
	}
	return st;
}

int
store_step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return -EEXIST;
	return store_fail(s, what);
}

void
store_bind_text(sqlite3_stmt *st, int idx, const char *text)
{
	if (text)
		sqlite3_bind_text(st, idx, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, idx);
}

void
store_bind_id(sqlite3_stmt *st, int idx, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, idx, id);
	else
		sqlite3_bind_null(st, idx);
}

void
store_now(char buf[21])
{
	khoa_time_iso_at(time(NULL), buf);
}

void
store_column_json(struct jsonb *b, sqlite3_stmt *st, int i, const char *key)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		break;
	case SQLITE_INTEGER:
		jsonb_int(b, key, sqlite3_column_int64(st, i));
		break;
	default:
		jsonb_str(b, key, (const char *)sqlite3_column_text(st, i));
		break;
	}
}

int
store_rows_json(struct store *s, sqlite3_stmt *st, sqlite3_stmt *aux, store_row_fn row,
		const char *what, json_object **out)
{
	json_object *arr = json_object_new_array();
	int rc = SQLITE_DONE, r = 0;

	*out = NULL;
	if (!arr)
		return -ENOMEM;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_object *rec;
		if ((r = row(s, st, aux, &rec)) < 0)
			break;
		if (json_object_array_add(arr, rec) < 0) {
			json_object_put(rec);
			r = -ENOMEM;
			break;
		}
	}
	if (!r && rc != SQLITE_DONE)
		r = store_fail(s, what);
	if (r < 0) {
		json_object_put(arr);
		return r;
	}
	*out = arr;
	return 0;
}

int
store_row_json(struct store *s, sqlite3_stmt *st, sqlite3_stmt *aux, store_row_fn row,
	       const char *what, json_object **out)
{
	*out = NULL;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return row(s, st, aux, out);
	return rc == SQLITE_DONE ? -ENOENT : store_fail(s, what);
}

void
store_year_bounds(int year, char from[24], char to[24])
{
	snprintf(from, 24, "%04d-01-01", year);
	snprintf(to, 24, "%04d-01-01", year + 1);
}

static int
exec(struct store *s, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	log_error("registry %s: %s: %s", s->path, what, msg ? msg : sqlite3_errmsg(s->db));
	sqlite3_free(msg);
	return -EIO;
}

int
store_begin(struct store *s)
{
	return exec(s, "BEGIN IMMEDIATE", "begin");
}

int
store_commit(struct store *s)
{
	return exec(s, "COMMIT", "commit");
}

void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		exec(s, "ROLLBACK", "rollback");
}

int
store_schema_version(struct store *s)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
	int v = -EIO;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
migrate(struct store *s, char **error)
{
	int latest = 0, current, r;

	for (const struct store_migration *m = store_migrations; m->sql; m++)
		latest = m->version;
	if ((r = exec(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			 "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
		      "create schema_migrations")) < 0)
		return r;
	if ((current = store_schema_version(s)) < 0)
		return current;
	if (current > latest) {
		if (asprintf(error, "the registry %s has schema version %d, newer than the %d "
			     "this khoad knows: run a khoad at least as new as the one that wrote it",
			     s->path, current, latest) < 0)
			*error = NULL;
		return -EPROTO;
	}

	for (const struct store_migration *m = store_migrations; m->sql; m++) {
		if (m->version <= current)
			continue;
		char now[21];
		store_now(now);
		if ((r = store_begin(s)) < 0)
			return r;
		sqlite3_stmt *st = NULL;
		if ((r = exec(s, m->sql, m->name)) < 0 ||
		    !(st = store_prepare(s, "INSERT INTO schema_migrations VALUES (?, ?, ?)"))) {
			store_rollback(s);
			return r < 0 ? r : -EIO;
		}
		sqlite3_bind_int(st, 1, m->version);
		sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
		r = store_step_done(s, st, "record migration");
		sqlite3_finalize(st);
		if (r < 0 || (r = store_commit(s)) < 0) {
			store_rollback(s);
			return r;
		}
		log_info("registry %s: applied migration %s", s->path, m->name);
	}
	return 0;
}

/* SQLite would let two daemons share the file; their reconciliations would
 * then contradict each other. A registry shared by many workstations is
 * PostgreSQL's job, not this. */
static int
lock_dir(const char *dir, int *fd, char **error)
{
	char *path = NULL;
	if (asprintf(&path, "%s/khoad.lock", dir) < 0)
		return -ENOMEM;
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	int r = 0;
	if (*fd < 0 || flock(*fd, LOCK_EX | LOCK_NB) < 0) {
		r = -errno;
		if (asprintf(error, r == -EWOULDBLOCK ? "another khoad uses the registry in %s"
			     : "cannot lock %s: %s", r == -EWOULDBLOCK ? dir : path,
			     strerror(-r)) < 0)
			*error = NULL;
	}
	free(path);
	return r;
}

int
store_open(const char *dir, struct store **out, char **error)
{
	struct store *s = calloc(1, sizeof(*s));
	int r = -ENOMEM;

	*out = NULL;
	*error = NULL;
	if (!s || asprintf(&s->path, "%s/registry.db", dir) < 0) {
		free(s);
		return -ENOMEM;
	}
	s->lock_fd = -1;
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		r = -errno;
		if (asprintf(error, "cannot create %s: %s", dir, strerror(errno)) < 0)
			*error = NULL;
		goto fail;
	}
	if ((r = lock_dir(dir, &s->lock_fd, error)) < 0)
		goto fail;
	if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		if (asprintf(error, "cannot open %s: %s", s->path,
			     s->db ? sqlite3_errmsg(s->db) : "out of memory") < 0)
			*error = NULL;
		r = -EIO;
		goto fail;
	}
	/* WAL, and a commit reaches the disk before it is answered: the record
	 * survives a crash of khoad and of the machine. */
	sqlite3_busy_timeout(s->db, 5000);
	if ((r = exec(s, "PRAGMA journal_mode = WAL", "WAL")) < 0 ||
	    (r = exec(s, "PRAGMA synchronous = FULL", "synchronous")) < 0 ||
	    (r = exec(s, "PRAGMA foreign_keys = ON", "foreign keys")) < 0)
		goto fail;
	if ((r = migrate(s, error)) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	if (!*error && asprintf(error, "cannot use the registry %s", s->path) < 0)
		*error = NULL;
	store_close(s);
	return r;
}

void
store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->path);
	free(s);
}
