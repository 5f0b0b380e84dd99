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
#include <sys/statvfs.h>
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
	char *dir;		/* the state directory, as given */
	/* Opened read-only for a disk that takes no write (issue 15): -ENOSPC
	 * full, -EROFS mounted read-only; 0 read-write. */
	int read_only;
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

/* A failure of DB that is its disk's: -ENOSPC (full, or over a quota),
 * -EROFS (mounted read-only), else 0. */
static int
disk_failure(sqlite3 *db)
{
	int rc = sqlite3_errcode(db) & 0xff, e = sqlite3_system_errno(db);
	if (rc == SQLITE_FULL || e == ENOSPC || e == EDQUOT)
		return -ENOSPC;
	if (rc == SQLITE_READONLY || e == EROFS)
		return -EROFS;
	return 0;
}

static int
sq_failure(struct store_conn *c)
{
	int rc = sqlite3_errcode(c->db) & 0xff, disk = disk_failure(c->db);
	if (disk)
		return disk;
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
sq_begin_read(struct store_conn *c)
{
	/* Deferred: a reader's snapshot (WAL) from its first read. */
	return sq_exec(c, "BEGIN DEFERRED");
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

static int
sq_column_count(struct store_stmt *st)
{
	return sqlite3_column_count(sq(st));
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
	free(c->dir);
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
lock_dir(int dfd, const char *dir, bool writable, int *fd, char **error)
{
	/* (flock takes a descriptor open for reading: on a disk mounted
	 * read-only the file made at the first start still locks) */
	if ((*fd = open_in_dir(dfd, dir, "khoad.lock", writable ? O_RDWR | O_CREAT : O_RDONLY,
			       error)) < 0)
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
check_registry_files(int dfd, const char *dir, bool writable, char **error)
{
	/* registry.db last: not made beside a planted -wal or -shm */
	static const char *const names[] = { "registry.db-wal", "registry.db-shm",
					      "registry.db" };
	const size_t n = sizeof(names) / sizeof(*names);
	struct stat st;

	for (size_t i = 0; i < n; i++) {
		bool db = i == n - 1;
		int fd = open_in_dir(dfd, dir, names[i], db && writable ? O_RDWR | O_CREAT
								       : O_RDONLY, error);
		if (fd == -ENOENT && !db)
			continue;	/* SQLite makes it, of registry.db's mode */
		if (fd < 0)
			return fd;
		int r = fstat(fd, &st) < 0 ? -errno : 0;
		if (r == 0 && (st.st_mode & 077) && fchmod(fd, st.st_mode & 0700) < 0 &&
		    (writable || errno != EROFS))
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

/*
 * The registry's files in C's directory checked (see open_state_dir and the
 * rest above), locked once (c->lock_fd), and *REAL the path SQLite is to
 * open. WRITABLE false: on a disk that takes no write, where nothing can be
 * made and the registry must be there already.
 */
static int
prepare_dir(struct store_conn *c, bool writable, char **real, char **error)
{
	char *dir = without_trailing_slashes(c->dir);
	int dfd = -1, r;

	if (!dir)
		return -ENOMEM;
	if ((r = open_state_dir(dir, &dfd, error)) == 0 &&
	    (c->lock_fd >= 0 || (r = lock_dir(dfd, dir, writable, &c->lock_fd, error)) == 0) &&
	    (r = check_registry_files(dfd, dir, writable, error)) == 0)
		r = registry_real_path(dfd, dir, real, error);
	if (dfd >= 0)
		close(dfd);
	free(dir);
	return r;
}

/* Whether the disk of C's directory takes no write: -EROFS mounted
 * read-only, -ENOSPC (nearly) full, else 0. */
#define DISK_NEARLY_FULL (1u << 20)
static int
disk_state(struct store_conn *c)
{
	struct statvfs v;
	if (statvfs(c->dir, &v) < 0)
		return 0;
	if (v.f_flag & ST_RDONLY)
		return -EROFS;
	return (uint64_t)v.f_bavail * v.f_frsize < DISK_NEARLY_FULL ? -ENOSPC : 0;
}

/* *OUT opened on REAL for writing: WAL, and a commit reaches the disk before
 * it is answered (the record survives a crash of khoad and of the machine).
 * A disk that cannot take it is -ENOSPC or -EROFS; *ERROR says why. */
static int
open_db_writable(struct store_conn *c, const char *real, sqlite3 **out, char **error)
{
	sqlite3 *db = NULL;
	char *msg = NULL;
	int r = 0, rc = sqlite3_open_v2(real, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
				  "PRAGMA foreign_keys = ON", NULL, NULL, &msg);
	}
	if (rc == SQLITE_OK) {
		*out = db;
		return 0;
	}
	/* (a -shm that cannot grow is "disk I/O error", with no errno kept) */
	if (!db || !(r = disk_failure(db)))
		r = disk_state(c);
	refuse(error, r ? r : db ? -EIO : -ENOMEM, "cannot open %s for writing: %s", c->path,
	       msg ? msg : db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_free(msg);
	sqlite3_close(db);
	return r ? r : -EIO;
}

/* PATH as a URI's path: what a URI would read otherwise escaped. */
static char *
uri_path(const char *path, const char *query)
{
	size_t n = strlen(path), len = 0;
	char *uri = malloc(5 + 3 * n + strlen(query) + 1);
	if (!uri)
		return NULL;
	len += (size_t)sprintf(uri, "file:");
	for (const char *p = path; *p; p++)
		len += (size_t)(strchr("?#%", *p) ? sprintf(uri + len, "%%%02X", (unsigned char)*p)
						  : sprintf(uri + len, "%c", *p));
	strcpy(uri + len, query);
	return uri;
}

/* Opens URI read-only and reads it once: SQLite opens the file (and a WAL
 * with its index) only when it is first read. */
static int
open_uri_read_only(const char *uri, sqlite3 **out)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				 SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK) {
		*out = db;
		return 0;
	}
	sqlite3_close(db);
	return -EIO;
}

/*
 * *OUT opened on REAL to read only, on a disk that takes no write. SQLite
 * reads a WAL-mode file through its -shm index, which it cannot make on a
 * full disk (nor on one mounted read-only): then, when the -wal holds no
 * commit (khoad stopped cleanly), the file is read as immutable, which needs
 * neither. This khoad holds the lock and writes nothing while so: nothing
 * changes it under its feet.
 */
static int
open_db_read_only(struct store_conn *c, const char *real, sqlite3 **out, char **error)
{
	char *uri = uri_path(real, "?mode=ro"), *wal = NULL;
	struct stat st;
	int r;

	if (!uri)
		return -ENOMEM;
	if ((r = open_uri_read_only(uri, out)) < 0 && asprintf(&wal, "%s-wal", real) > 0 &&
	    (stat(wal, &st) < 0 ? errno == ENOENT : st.st_size == 0)) {
		free(uri);
		if (!(uri = uri_path(real, "?immutable=1")))
			r = -ENOMEM;
		else
			r = open_uri_read_only(uri, out);
	}
	if (r == -EIO)
		refuse(error, r, "cannot read the registry %s: its disk takes no write, and its "
		       "write-ahead log holds changes that need one to be read", c->path);
	free(wal);
	free(uri);
	return r;
}

static int
sq_writable(struct store_conn *c)
{
	return c->read_only;
}

static int
sq_space(struct store_conn *c, uint64_t *avail)
{
	struct statvfs v;
	if (statvfs(c->dir, &v) < 0)
		return -errno;
	*avail = (uint64_t)v.f_bavail * v.f_frsize;
	return v.f_flag & ST_RDONLY ? -EROFS : 0;
}

/* The connection made again for writing, the lock kept: 0, or the reason
 * in *ERROR and the read-only one left as it was. */
static int
sq_reopen(struct store_conn *c, char **error)
{
	sqlite3 *db = NULL;
	char *real = NULL;
	int r = prepare_dir(c, true, &real, error);

	if (r == 0)
		r = open_db_writable(c, real, &db, error);
	free(real);
	if (r < 0)
		return r;
	sqlite3_close_v2(c->db);
	c->db = db;
	c->read_only = 0;
	return 0;
}

/*
 * The registry in DIR for writing. When its disk takes no write (full, or
 * mounted read-only: issue 15) it is opened to read only instead, and 1
 * returned with *ERROR saying why: khoad serves what it holds, refuses
 * changes, and opens it again for writing once there is room (sq_reopen).
 */
static int
open_writable(struct store_conn *c, char **error)
{
	char *real = NULL, *why = NULL;
	int r = prepare_dir(c, true, &real, error);

	if (r == 0)
		r = open_db_writable(c, real, &c->db, error);
	if (r != -ENOSPC && r != -EROFS)
		goto out;
	/* full, or read-only: to read, with what was refused as the reason */
	why = *error;
	*error = NULL;
	free(real);
	real = NULL;
	c->read_only = r;
	if ((r = prepare_dir(c, false, &real, error)) == 0 &&
	    (r = open_db_read_only(c, real, &c->db, error)) == 0) {
		*error = why;
		why = NULL;
		r = 1;
	}
	if (r < 0 && !*error) {		/* (no registry there to read) */
		*error = why;
		why = NULL;
	}
out:
	free(why);
	free(real);
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
	if (!(c->dir = strdup(dir)))
		goto fail;
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
	if ((r = open_writable(c, error)) < 0)
		goto fail;
	*out = c;
	return r;
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
	.begin_read = sq_begin_read,
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
	.column_count = sq_column_count,
	.column_int = sq_column_int,
	.column_text = sq_column_text,
	.changes = sq_changes,
	.notify = sq_notify,
	.listen_fd = sq_listen_fd,
	.listen_drain = sq_listen_drain,
	.listen_close = sq_listen_close,
	.writable = sq_writable,
	.space = sq_space,
	.reopen = sq_reopen,
};
