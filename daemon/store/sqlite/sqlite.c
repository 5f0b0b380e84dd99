/*
 * The SQLite backend: DIR/registry.db in WAL mode, a commit on disk before
 * it is answered, foreign keys on, and a lock file so that one khoad at a
 * time writes it (a registry shared by many workstations is PostgreSQL's
 * job, not a shared file's).
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store-private.h"

/* (3.31: a symbolic link anywhere in the path is refused) */
#ifndef SQLITE_OPEN_NOFOLLOW
#error "SQLite 3.31 or later is needed: SQLITE_OPEN_NOFOLLOW"
#endif

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

/* *ERROR from FMT; R returned. */
__attribute__((format(printf, 3, 4))) static int
refuse(char **error, int r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(error, fmt, ap) < 0)
		*error = NULL;
	va_end(ap);
	return r;
}

/*
 * The state directory DIR, made (0700) when it is missing, opened without
 * following a symbolic link and checked on that descriptor: it is khoad's
 * (its effective uid's) and nobody else may write in it, so no other user
 * can plant or move a file there. Else -EPERM (or the errno), *ERROR
 * naming the path and the reason.
 */
static int
open_state_dir(const char *dir, int *dfd, char **error)
{
	struct stat st;
	int e;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return refuse(error, -errno, "cannot create the state directory %s: %s", dir,
			      strerror(errno));
	if ((*dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		e = errno;
		if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
			return refuse(error, -EPERM, "the state directory %s is a symbolic link; "
				      "khoad keeps its registry only in a directory of its own", dir);
		return refuse(error, -e, "cannot open the state directory %s: %s", dir, strerror(e));
	}
	if (fstat(*dfd, &st) < 0)
		return refuse(error, -errno, "cannot open the state directory %s: %s", dir,
			      strerror(errno));
	if (st.st_uid != geteuid())
		return refuse(error, -EPERM, "the state directory %s belongs to uid %u, not to "
			      "khoad's user (uid %u); refusing to keep the registry there", dir,
			      (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return refuse(error, -EPERM, "the state directory %s is writable by %s (mode "
			      "%04o); khoad keeps its registry only where its user alone may "
			      "write (chmod go-w %s)", dir,
			      st.st_mode & S_IWOTH ? "others" : "its group",
			      (unsigned)(st.st_mode & 07777), dir);
	return 0;
}

/*
 * NAME in the state directory DFD opened with FLAGS, never through a
 * symbolic link (which would put it in another's directory): a regular
 * file's descriptor, -ENOENT when it is not there (and FLAGS do not create
 * it), or a refusal in *ERROR.
 */
static int
open_in_dir(int dfd, const char *dir, const char *name, int flags, char **error)
{
	struct stat st;
	int fd = openat(dfd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600), e;

	if (fd < 0) {
		e = errno;
		if (e == ENOENT && !(flags & O_CREAT))
			return -ENOENT;
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
			return refuse(error, -EPERM, "%s/%s is a symbolic link; refusing to open it",
				      dir, name);
		return refuse(error, -e, "cannot open %s/%s: %s", dir, name, strerror(e));
	}
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		return refuse(error, -e, "cannot open %s/%s: %s", dir, name, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return refuse(error, -EPERM, "%s/%s is not a regular file; refusing to open it",
			      dir, name);
	}
	return fd;
}

/* Two daemons sharing the file would contradict each other's reconciliations. */
static int
lock_dir(int dfd, const char *dir, int *fd, char **error)
{
	if ((*fd = open_in_dir(dfd, dir, "khoad.lock", O_RDWR | O_CREAT, error)) < 0)
		return *fd;
	if (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
		int r = -errno;
		return r == -EWOULDBLOCK ? refuse(error, r, "another khoad uses the registry in %s",
						  dir)
					 : refuse(error, r, "cannot lock %s/khoad.lock: %s", dir,
						  strerror(-r));
	}
	return 0;
}

/*
 * The registry's files in DFD: registry.db made here (0600) when it is
 * missing, so that SQLite opens a file of khoad's alone whatever the umask
 * (the -wal and -shm it makes take its mode); each of them that is there a
 * regular file, not a link, and readable by khoad alone (a file left
 * readable by others is made so).
 */
static int
check_registry_files(int dfd, const char *dir, char **error)
{
	/* registry.db last: not made beside a planted -wal or -shm */
	static const char *const names[] = { "registry.db-wal", "registry.db-shm",
					      "registry.db" };
	const size_t n = sizeof(names) / sizeof(*names);
	struct stat st;

	for (size_t i = 0; i < n; i++) {
		bool db = i == n - 1;
		int fd = open_in_dir(dfd, dir, names[i], db ? O_RDWR | O_CREAT : O_RDONLY, error);
		if (fd == -ENOENT && !db)
			continue;	/* SQLite makes it, of registry.db's mode */
		if (fd < 0)
			return fd;
		int r = fstat(fd, &st) < 0 ? -errno : 0;
		if (r == 0 && (st.st_mode & 077) && fchmod(fd, st.st_mode & 0700) < 0)
			r = -errno;
		close(fd);
		if (r < 0)
			return refuse(error, r, "cannot make %s/%s readable by khoad alone: %s", dir,
				      names[i], strerror(-r));
	}
	return 0;
}

/*
 * Where SQLite is to open the registry: in the directory DFD, by a path with
 * no symbolic link (the directory's real path, checked to be DFD's), so that
 * SQLITE_OPEN_NOFOLLOW, which refuses a link anywhere in the path, holds it
 * to the directory checked.
 */
static int
registry_real_path(int dfd, const char *dir, char **path, char **error)
{
	struct stat at, st;
	char *real = realpath(dir, NULL);
	int r = 0;

	if (!real)
		return refuse(error, -errno, "cannot resolve the state directory %s: %s", dir,
			      strerror(errno));
	if (fstat(dfd, &at) < 0 || stat(real, &st) < 0 || at.st_dev != st.st_dev ||
	    at.st_ino != st.st_ino)
		r = refuse(error, -EAGAIN, "the state directory %s changed while khoad opened it",
			   dir);
	else if (asprintf(path, "%s/registry.db", strcmp(real, "/") == 0 ? "" : real) < 0)
		r = -ENOMEM;
	free(real);
	return r;
}

/* DIR without its trailing slashes ("/" stays): "link/" would follow a
 * symbolic link that O_NOFOLLOW is there to refuse. */
static char *
without_trailing_slashes(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strndup(dir, n);
}

/* The read-write registry in DIR (see open_state_dir and the rest above):
 * c->db open on it, c->lock_fd holding its lock. */
static int
open_writable(struct store_conn *c, const char *given, char **error)
{
	char *dir = without_trailing_slashes(given), *real = NULL;
	int dfd = -1, r;

	if (!dir)
		return -ENOMEM;
	if ((r = open_state_dir(dir, &dfd, error)) < 0 ||
	    (r = lock_dir(dfd, dir, &c->lock_fd, error)) < 0 ||
	    (r = check_registry_files(dfd, dir, error)) < 0 ||
	    (r = registry_real_path(dfd, dir, &real, error)) < 0)
		goto out;
	if (sqlite3_open_v2(real, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		r = refuse(error, -EIO, "cannot open %s: %s", c->path,
			   c->db ? sqlite3_errmsg(c->db) : "out of memory");
		goto out;
	}
out:
	if (dfd >= 0)
		close(dfd);
	free(real);
	free(dir);
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
	if ((r = open_writable(c, dir, error)) < 0)
		goto fail;
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
