/*
 * The SQLite backend: DIR/registry.db in WAL mode, a commit on disk before
 * it is answered, foreign keys on, and a lock file so that one khoad at a
 * time writes it (a registry shared by many workstations is PostgreSQL's
 * job, not a shared file's).
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store-private.h"

struct store_conn {
	sqlite3 *db;
	char *path;
	int lock_fd;		/* flock on DIR/khoad.lock: one daemon per registry */
	char *exec_error;	/* sqlite3_exec()'s own message, else the db's */
};

struct sq_stmt {
	struct store_stmt base;	/* first: a struct store_stmt * is one of these */
	sqlite3_stmt *st;
};

static sqlite3_stmt *
sq(struct store_stmt *st)
{
	return ((struct sq_stmt *)st)->st;
}

static const char *
sq_error(struct store_conn *c)
{
	return c->exec_error ? c->exec_error : sqlite3_errmsg(c->db);
}

static int
sq_failure(struct store_conn *c)
{
	int rc = sqlite3_errcode(c->db) & 0xff;
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? -EBUSY : -EIO;
}

static void
sq_info(struct store_conn *c, struct store_info *out)
{
	(void)c;
	snprintf(out->server, sizeof(out->server), "SQLite %s", sqlite3_libversion());
}

static const char *
sq_describe(const struct store_conn *c)
{
	return c->path;
}

static int
sq_exec(struct store_conn *c, const char *sql)
{
	char *msg = NULL;
	sqlite3_free(c->exec_error);
	c->exec_error = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
	c->exec_error = msg;
	if (rc == SQLITE_OK)
		return 0;
	return (rc & 0xff) == SQLITE_CONSTRAINT ? -EEXIST : -EIO;
}

static int
sq_begin(struct store_conn *c)
{
	/* IMMEDIATE: the writer's lock now, not at the first write. */
	return sq_exec(c, "BEGIN IMMEDIATE");
}

static int
sq_commit(struct store_conn *c)
{
	return sq_exec(c, "COMMIT");
}

static void
sq_rollback(struct store_conn *c)
{
	if (!sqlite3_get_autocommit(c->db))
		sq_exec(c, "ROLLBACK");
}

static int
sq_lock(struct store_conn *c, int64_t key)
{
	(void)c;	/* BEGIN IMMEDIATE has the whole file, and the flock the */
	(void)key;	/* directory: there is no other writer to wait for */
	return 0;
}

static int
sq_prepare(struct store_conn *c, const char *sql, struct store_stmt **out)
{
	struct sq_stmt *st = calloc(1, sizeof(*st));
	sqlite3_free(c->exec_error);
	c->exec_error = NULL;
	if (!st)
		return -ENOMEM;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st->st, NULL) != SQLITE_OK) {
		free(st);
		return -EIO;
	}
	st->base.backend = &store_sqlite;
	*out = &st->base;
	return 0;
}

static void
sq_finalize(struct store_stmt *st)
{
	sqlite3_finalize(sq(st));
	free(st);
}

static void
sq_reset(struct store_stmt *st)
{
	sqlite3_reset(sq(st));
}

static int
sq_bind_int(struct store_stmt *st, int i, int64_t v)
{
	return sqlite3_bind_int64(sq(st), i, v) == SQLITE_OK ? 0 : -EIO;
}

static int
sq_bind_text(struct store_stmt *st, int i, const char *v)
{
	int rc = v ? sqlite3_bind_text(sq(st), i, v, -1, SQLITE_TRANSIENT)
		   : sqlite3_bind_null(sq(st), i);
	return rc == SQLITE_OK ? 0 : rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
}

static int
sq_bind_null(struct store_stmt *st, int i, enum store_type type)
{
	(void)type;	/* SQLite's null has no type */
	return sqlite3_bind_null(sq(st), i) == SQLITE_OK ? 0 : -EIO;
}

static int
sq_step(struct store_stmt *st)
{
	int rc = sqlite3_step(sq(st));
	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	return (rc & 0xff) == SQLITE_CONSTRAINT ? -EEXIST : rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
}

static enum store_type
sq_column_type(struct store_stmt *st, int i)
{
	switch (sqlite3_column_type(sq(st), i)) {
	case SQLITE_NULL:
		return STORE_NULL;
	case SQLITE_INTEGER:
		return STORE_INT;
	default:
		return STORE_TEXT;
	}
}

static int64_t
sq_column_int(struct store_stmt *st, int i)
{
	return sqlite3_column_int64(sq(st), i);
}

static const char *
sq_column_text(struct store_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(sq(st), i);
}

static int64_t
sq_changes(struct store_conn *c)
{
	return sqlite3_changes(c->db);
}

/* The only writer of a SQLite registry is this khoad: nobody to tell, and
 * nobody to hear. */
static int
sq_notify(struct store_conn *c, int64_t id)
{
	(void)c;
	(void)id;
	return 0;
}

static int
sq_listen_fd(struct store_conn *c)
{
	(void)c;
	return -ENOTSUP;
}

static int
sq_listen_drain(struct store_conn *c)
{
	(void)c;
	return 0;
}

static void
sq_listen_close(struct store_conn *c)
{
	(void)c;
}

static void
sq_close(struct store_conn *c)
{
	if (!c)
		return;
	sqlite3_close(c->db);
	sqlite3_free(c->exec_error);
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	free(c->path);
	free(c);
}

/* Two daemons sharing the file would contradict each other's reconciliations. */
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

static int
sq_open(const char *dir, bool readonly, struct store_conn **out, char **error)
{
	struct store_conn *c = calloc(1, sizeof(*c));
	int r = -ENOMEM;

	*out = NULL;
	if (!c || asprintf(&c->path, "%s/registry.db", dir) < 0) {
		free(c);
		return -ENOMEM;
	}
	c->lock_fd = -1;
	if (readonly) {
		if (sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
			sqlite3_busy_timeout(c->db, 5000);
			*out = c;
			return 0;
		}
		if (asprintf(error, "cannot read the registry %s: %s", c->path,
			     c->db ? sqlite3_errmsg(c->db) : "out of memory") < 0)
			*error = NULL;
		r = -ENOENT;
		goto fail;
	}
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		r = -errno;
		if (asprintf(error, "cannot create %s: %s", dir, strerror(errno)) < 0)
			*error = NULL;
		goto fail;
	}
	if ((r = lock_dir(dir, &c->lock_fd, error)) < 0)
		goto fail;
	if (sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		if (asprintf(error, "cannot open %s: %s", c->path,
			     c->db ? sqlite3_errmsg(c->db) : "out of memory") < 0)
			*error = NULL;
		r = -EIO;
		goto fail;
	}
	/* WAL, and a commit reaches the disk before it is answered: the record
	 * survives a crash of khoad and of the machine. */
	sqlite3_busy_timeout(c->db, 5000);
	if ((r = sq_exec(c, "PRAGMA journal_mode = WAL")) < 0 ||
	    (r = sq_exec(c, "PRAGMA synchronous = FULL")) < 0 ||
	    (r = sq_exec(c, "PRAGMA foreign_keys = ON")) < 0) {
		if (asprintf(error, "%s: %s", c->path, sq_error(c)) < 0)
			*error = NULL;
		goto fail;
	}
	*out = c;
	return 0;
fail:
	sq_close(c);
	return r;
}

const struct store_backend store_sqlite = {
	.name = "sqlite",
	.dialect = STORE_DIALECT_SQLITE,
	.open = sq_open,
	.close = sq_close,
	.describe = sq_describe,
	.error = sq_error,
	.failure = sq_failure,
	.info = sq_info,
	.exec = sq_exec,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.lock = sq_lock,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.column_type = sq_column_type,
	.column_int = sq_column_int,
	.column_text = sq_column_text,
	.changes = sq_changes,
	.notify = sq_notify,
	.listen_fd = sq_listen_fd,
	.listen_drain = sq_listen_drain,
	.listen_close = sq_listen_close,
};
