/*
 * The PostgreSQL backend: one registry for a province's workstations
 * (docs/design-notes.md "A province-wide registry"). WHERE is a libpq
 * connection string or postgresql:// URI; a password in it is refused (it
 * would sit in a configuration file or argv: ~/.pgpass or a service file
 * hold it). Statements run with PQexecParams, their parameters typed by the
 * bind calls (int8, text), their results read whole, then handed out a row
 * per step: store_rows_json() runs a second statement while it walks the
 * first. A transaction is READ COMMITTED; what must have one writer locks
 * its rows or takes store_lock(). A connection that breaks fails every
 * call with -ENOTCONN until it is made again, tried with a backoff.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "pg.h"
#include "store-private.h"
#include "translate.h"

/* Type oids (catalog/pg_type_d.h is a server header). */
enum { BOOL_OID = 16, INT8_OID = 20, INT2_OID = 21, INT4_OID = 23, TEXT_OID = 25,
       NUMERIC_OID = 1700 };

/* The waits a workstation must not exceed: a lock another workstation
 * holds, a statement, a transaction left open by a stuck khoad. No JIT:
 * khoad's statements are short, and compiling the expiry list before
 * running it cost 0.5 s of its 1.4 at a province's size (bench/province.sh). */
#define PG_OPTIONS "-c lock_timeout=5s -c statement_timeout=15s " \
		   "-c idle_in_transaction_session_timeout=60s -c jit=off"

struct store_conn {
	PGconn *pg;
	PGconn *listener;	/* LISTEN khoa_events, read by the event loop */
	char *where;		/* the connection string, to connect again */
	char *description;	/* postgresql://USER@HOST:PORT/DB, no secret */
	char *error;		/* the last failure, in the server's words */
	int failure;		/* and its class, a negative errno */
	int64_t changes;	/* rows the last INSERT/UPDATE/DELETE changed */
	bool readonly;
	bool in_transaction;	/* begun: a broken connection is not made again
				 * under it, the change would go on outside it */
	double retry_at;	/* monotonic seconds: no new connection before */
	double backoff;		/* seconds until the next try after a failure */
};

struct pg_stmt {
	struct store_stmt base;	/* first: a struct store_stmt * is one of these */
	struct store_conn *c;
	char *sql;		/* in $n */
	int map[PG_MAX_PARAMS + 1];
	int n;
	Oid types[PG_MAX_PARAMS];
	char *values[PG_MAX_PARAMS];
	PGresult *res;		/* after the first step */
	int row, rows;
};

static struct pg_stmt *
pgst(struct store_stmt *st)
{
	return (struct pg_stmt *)st;
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool
pg_version_supported(int server_version)
{
	int major = server_version / 10000;
	return major >= PG_MAJOR_MIN && major <= PG_MAJOR_MAX;
}

int
pg_sqlstate_errno(const char *state)
{
	if (!state || strlen(state) != 5)
		return -ENOTCONN;	/* no answer from the server at all */
	if (strncmp(state, "23", 2) == 0)	/* integrity: unique, foreign key, check */
		return -EEXIST;
	if (strcmp(state, "42501") == 0)	/* privilege, row-level security */
		return -EACCES;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return -EAGAIN;			/* serialization, deadlock: run again */
	if (strcmp(state, "55P03") == 0)	/* lock_timeout */
		return -EBUSY;
	if (strcmp(state, "57014") == 0)	/* statement_timeout */
		return -ETIMEDOUT;
	if (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	    strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0 ||
	    strcmp(state, "53300") == 0 || strcmp(state, "25006") == 0)
		return -ENOTCONN;	/* gone, shutting down, full, a standby */
	return -EIO;
}

/* MSG, libpq's lines and indents, as one line. */
static char *
one_line(const char *msg)
{
	char *line = strdup(msg && *msg ? msg : "no answer from the server"), *w = line;
	if (!line)
		return NULL;
	for (const char *r = line; *r; r++) {
		if (*r == '\n' || *r == '\t' || *r == ' ') {
			if (w != line && w[-1] != ' ')
				*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	while (w != line && w[-1] == ' ')
		w--;
	*w = '\0';
	return line;
}

/* Keeps MSG as the last error. */
static void
set_error(struct store_conn *c, const char *msg, int failure)
{
	free(c->error);
	c->error = one_line(msg);
	c->failure = failure;
}

/* The server's notices (a shutdown under way) go to the log, not to
 * stderr as libpq would have them. */
static void
on_notice(void *arg, const char *message)
{
	char *line = one_line(message);
	(void)arg;
	log_warning("registry: %s", line ? line : "(a notice)");
	free(line);
}

/* What RES says, as 0 or a negative errno; the error kept. Clears RES
 * unless it is wanted (KEEP) and good. */
static int
check(struct store_conn *c, PGresult *res, PGresult **keep)
{
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
		if (keep)
			*keep = res;
		else
			PQclear(res);
		return 0;
	}
	int r = res ? pg_sqlstate_errno(PQresultErrorField(res, PG_DIAG_SQLSTATE)) : -ENOMEM;
	if (PQstatus(c->pg) == CONNECTION_BAD)
		r = -ENOTCONN;
	set_error(c, res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg), r);
	PQclear(res);
	return r;
}

/* The server connected to, postgresql://USER@HOST:PORT/DB, for the log:
 * of an address naming several hosts, the one that took the connection
 * (after a failover, another). The last one is kept when out of memory. */
static int
describe(struct store_conn *c)
{
	const char *host = PQhost(c->pg), *port = PQport(c->pg);
	char *d;
	if (asprintf(&d, "postgresql://%s@%s:%s/%s", PQuser(c->pg), host ? host : "",
		     port ? port : "", PQdb(c->pg)) < 0)
		return -ENOMEM;
	free(c->description);
	c->description = d;
	return 0;
}

/* A connection that broke is made again, at most once per backoff step
 * (half a second, doubling to thirty): a call meanwhile fails at once. */
static int
usable(struct store_conn *c)
{
	if (PQstatus(c->pg) == CONNECTION_OK)
		return 0;
	double t = now_s();
	if (t < c->retry_at) {
		set_error(c, "the registry's server is not reachable (trying again)", -ENOTCONN);
		return -ENOTCONN;
	}
	PQreset(c->pg);
	if (PQstatus(c->pg) == CONNECTION_OK) {
		c->backoff = 0;
		describe(c);
		log_info("registry %s: connected again", c->description);
		return 0;
	}
	c->backoff = c->backoff ? (c->backoff * 2 > 30 ? 30 : c->backoff * 2) : 0.5;
	c->retry_at = t + c->backoff;
	set_error(c, PQerrorMessage(c->pg), -ENOTCONN);
	return -ENOTCONN;
}

static const char *
pg_error(struct store_conn *c)
{
	return c->error ? c->error : "no error";
}

static int
pg_failure(struct store_conn *c)
{
	return c->failure ? c->failure : -EIO;
}

static const char *
pg_describe(const struct store_conn *c)
{
	return c->description;
}

static int
pg_exec(struct store_conn *c, const char *sql)
{
	int r = c->in_transaction ? 0 : usable(c);
	return r < 0 ? r : check(c, PQexec(c->pg, sql), NULL);
}

static int
pg_begin(struct store_conn *c)
{
	int r = pg_exec(c, "BEGIN ISOLATION LEVEL READ COMMITTED");
	c->in_transaction = r == 0;
	return r;
}

static int
pg_begin_read(struct store_conn *c)
{
	/* a reader of the whole registry (a verification of the audit
	 * trail): a province's million rows take longer than the
	 * statement_timeout khoad's calls have */
	int r = pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; "
			"SET LOCAL statement_timeout = 0");
	c->in_transaction = r == 0;
	return r;
}

static int
pg_commit(struct store_conn *c)
{
	PGresult *res = NULL;
	int r = check(c, PQexec(c->pg, "COMMIT"), &res);
	c->in_transaction = false;
	/* The connection lost during COMMIT: the server may have committed
	 * before it went (a failover cuts it after the standby has the
	 * change). Nobody can say which: the caller is told so. */
	if (r == -ENOTCONN)
		c->failure = r = -EINPROGRESS;
	if (r < 0)
		return r;
	/* A transaction an error had ended answers COMMIT with ROLLBACK. */
	r = strcmp(PQcmdStatus(res), "COMMIT") == 0 ? 0 : -EIO;
	if (r < 0)
		set_error(c, "the transaction was rolled back", r);
	PQclear(res);
	return r;
}

static void
pg_rollback(struct store_conn *c)
{
	c->in_transaction = false;
	if (PQtransactionStatus(c->pg) != PQTRANS_IDLE &&
	    PQtransactionStatus(c->pg) != PQTRANS_UNKNOWN)
		PQclear(PQexec(c->pg, "ROLLBACK"));
}

/* SQL with $1 the number V (an int8), no rows wanted. */
static int
exec_int(struct store_conn *c, const char *sql, int64_t v)
{
	char text[24];
	const char *values[1] = { text };
	const Oid types[1] = { INT8_OID };
	snprintf(text, sizeof(text), "%" PRId64, v);
	return check(c, PQexecParams(c->pg, sql, 1, types, values, NULL, NULL, 0), NULL);
}

static int
pg_lock(struct store_conn *c, int64_t key)
{
	return exec_int(c, "SELECT pg_advisory_xact_lock($1)", key);
}

static int
pg_prepare(struct store_conn *c, const char *sql, struct store_stmt **out)
{
	struct pg_stmt *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	int r = pg_translate(sql, &st->sql, st->map, &st->n);
	if (r < 0) {
		free(st);
		set_error(c, r == -ENOMEM ? "out of memory" : "a placeholder PostgreSQL cannot "
			  "take", r == -ENOMEM ? -ENOMEM : -EIO);
		return r == -ENOMEM ? r : -EIO;
	}
	st->base.backend = &store_pg;
	st->c = c;
	st->row = -1;
	*out = &st->base;
	return 0;
}

static void
pg_reset(struct store_stmt *base)
{
	struct pg_stmt *st = pgst(base);
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->rows = 0;
}

static void
pg_finalize(struct store_stmt *base)
{
	struct pg_stmt *st = pgst(base);
	pg_reset(base);
	for (int i = 0; i < st->n; i++)
		free(st->values[i]);
	free(st->sql);
	free(st);
}

/* Parameter I (SQLite's number) as $n of TYPE with VALUE (NULL: null,
 * else taken). A parameter the text does not use is dropped. */
static int
bind(struct pg_stmt *st, int i, Oid type, char *value)
{
	int n = i > 0 && i <= PG_MAX_PARAMS ? st->map[i] : 0;
	if (n == 0) {
		free(value);
		return 0;
	}
	free(st->values[n - 1]);
	st->values[n - 1] = value;
	st->types[n - 1] = type;
	return 0;
}

static int
pg_bind_int(struct store_stmt *st, int i, int64_t v)
{
	char *text = NULL;
	if (asprintf(&text, "%" PRId64, v) < 0)
		return -ENOMEM;
	return bind(pgst(st), i, INT8_OID, text);
}

static int
pg_bind_text(struct store_stmt *st, int i, const char *v)
{
	char *copy = v ? strdup(v) : NULL;
	if (v && !copy)
		return -ENOMEM;
	return bind(pgst(st), i, TEXT_OID, copy);
}

static int
pg_bind_null(struct store_stmt *st, int i, enum store_type type)
{
	return bind(pgst(st), i, type == STORE_INT ? INT8_OID : TEXT_OID, NULL);
}

static int
pg_step(struct store_stmt *base)
{
	struct pg_stmt *st = pgst(base);
	struct store_conn *c = st->c;

	if (!st->res) {
		int r = c->in_transaction ? 0 : usable(c);
		if (r < 0)
			return r;
		r = check(c, PQexecParams(c->pg, st->sql, st->n, st->types,
					  (const char *const *)st->values, NULL, NULL, 0),
			  &st->res);
		if (r < 0)
			return r;
		const char *status = PQcmdStatus(st->res);
		if (strncmp(status, "INSERT", 6) == 0 || strncmp(status, "UPDATE", 6) == 0 ||
		    strncmp(status, "DELETE", 6) == 0)
			c->changes = strtoll(PQcmdTuples(st->res), NULL, 10);
		st->rows = PQntuples(st->res);
	}
	return ++st->row < st->rows ? STORE_ROW : STORE_DONE;
}

static enum store_type
pg_column_type(struct store_stmt *base, int i)
{
	struct pg_stmt *st = pgst(base);
	if (PQgetisnull(st->res, st->row, i))
		return STORE_NULL;
	switch (PQftype(st->res, i)) {
	case BOOL_OID:
	case INT2_OID:
	case INT4_OID:
	case INT8_OID:
		return STORE_INT;
	case NUMERIC_OID:	/* a sum: an integer unless it has a point */
		return strchr(PQgetvalue(st->res, st->row, i), '.') ? STORE_TEXT : STORE_INT;
	default:
		return STORE_TEXT;
	}
}

static int
pg_column_count(struct store_stmt *base)
{
	return PQnfields(pgst(base)->res);
}

static int64_t
pg_column_int(struct store_stmt *base, int i)
{
	struct pg_stmt *st = pgst(base);
	const char *v = PQgetvalue(st->res, st->row, i);
	if (PQftype(st->res, i) == BOOL_OID)
		return *v == 't';
	return strtoll(v, NULL, 10);
}

static const char *
pg_column_text(struct store_stmt *base, int i)
{
	struct pg_stmt *st = pgst(base);
	return PQgetisnull(st->res, st->row, i) ? NULL : PQgetvalue(st->res, st->row, i);
}

static int64_t
pg_changes(struct store_conn *c)
{
	return c->changes;
}

/* The channel the commits of events are told on; the payload is the
 * newest id, for the log only: a listener reads every event after the
 * newest it has. */
#define PG_EVENTS_CHANNEL "khoa_events"

static int
pg_notify(struct store_conn *c, int64_t id)
{
	return exec_int(c, "SELECT pg_notify('" PG_EVENTS_CHANNEL "', $1::text)", id);
}

static void
pg_listen_close(struct store_conn *c)
{
	PQfinish(c->listener);
	c->listener = NULL;
}

static int
pg_listen_fd(struct store_conn *c)
{
	const char *keys[] = { "application_name", "connect_timeout", "keepalives",
			       "keepalives_idle", "dbname", NULL };
	const char *vals[] = { "khoad-listen", "5", "1", "10", c->where, NULL };

	pg_listen_close(c);
	if (!(c->listener = PQconnectdbParams(keys, vals, 1)))
		return -ENOMEM;
	PGresult *res = PQstatus(c->listener) == CONNECTION_OK
			? PQexec(c->listener, "LISTEN " PG_EVENTS_CHANNEL) : NULL;
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK ||
	    PQsetnonblocking(c->listener, 1) < 0) {
		set_error(c, res ? PQresultErrorMessage(res) : PQerrorMessage(c->listener),
			  -ENOTCONN);
		PQclear(res);
		pg_listen_close(c);
		return -ENOTCONN;
	}
	PQclear(res);
	return PQsocket(c->listener);
}

static int
pg_listen_drain(struct store_conn *c)
{
	PGnotify *n;
	int heard = 0;

	if (!c->listener || !PQconsumeInput(c->listener) ||
	    PQstatus(c->listener) != CONNECTION_OK)
		return -ENOTCONN;
	while ((n = PQnotifies(c->listener))) {
		heard = 1;
		PQfreemem(n);
	}
	return heard;
}

static void
pg_close(struct store_conn *c)
{
	if (!c)
		return;
	pg_listen_close(c);
	PQfinish(c->pg);
	free(c->where);
	free(c->description);
	free(c->error);
	free(c);
}

/* *ERROR as printf() would, NULL when out of memory. */
static void __attribute__((format(printf, 2, 3)))
say(char **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(error, fmt, ap) < 0)
		*error = NULL;
	va_end(ap);
}

/* A password written in WHERE: refused before it is used. */
static int
refuse_password(const char *where, char **error)
{
	char *why = NULL;
	PQconninfoOption *opts = PQconninfoParse(where, &why);
	int r = 0;
	if (!opts) {
		say(error, "the registry's address is not a connection string: %s",
		    why ? why : "out of memory");
		PQfreemem(why);
		return -EINVAL;
	}
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && *o->val) {
			say(error, "the registry's address holds a password: put it in "
			    "~/.pgpass or a service file (PGSERVICEFILE), not in the address");
			r = -EINVAL;
		}
	PQconninfoFree(opts);
	return r;
}

/* After connecting: a server khoad knows, speaking UTF-8. */
static int
check_server(struct store_conn *c, char **error)
{
	int v = PQserverVersion(c->pg);
	const char *enc = PQparameterStatus(c->pg, "server_encoding");
	if (!pg_version_supported(v)) {
		say(error, "the registry %s is PostgreSQL %d.%d; this khoad works with "
		    "PostgreSQL %d to %d", c->description, v / 10000, v % 10000,
		    PG_MAJOR_MIN, PG_MAJOR_MAX);
		return -EPROTONOSUPPORT;
	}
	if (!enc || strcmp(enc, "UTF8") != 0) {
		say(error, "the registry %s stores text as %s; khoa needs a UTF8 database "
		    "(createdb -E UTF8 -T template0)", c->description, enc ? enc : "?");
		return -EPROTONOSUPPORT;
	}
	return 0;
}

static int
pg_open(const char *where, bool readonly, struct store_conn **out, char **error)
{
	/* Ours first: what WHERE says overrides them (expand_dbname). */
	const char *keys[] = { "application_name", "connect_timeout", "client_encoding",
			       "keepalives", "keepalives_idle", "options", "dbname", NULL };
	const char *vals[] = { "khoad", "5", "UTF8", "1", "10",
			       readonly ? PG_OPTIONS " -c default_transaction_read_only=on"
					: PG_OPTIONS, where, NULL };
	struct store_conn *c;
	int r;

	*out = NULL;
	if ((r = refuse_password(where, error)) < 0)
		return r;
	if (!(c = calloc(1, sizeof(*c))) || !(c->where = strdup(where))) {
		free(c);
		return -ENOMEM;
	}
	c->readonly = readonly;
	c->pg = PQconnectdbParams(keys, vals, 1);
	if (!c->pg) {
		pg_close(c);
		return -ENOMEM;
	}
	PQsetNoticeProcessor(c->pg, on_notice, NULL);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		set_error(c, PQerrorMessage(c->pg), -ENOTCONN);
		say(error, "cannot connect to the registry %s: %s", where, c->error);
		pg_close(c);
		return -ENOTCONN;
	}
	if (describe(c) < 0) {
		pg_close(c);
		return -ENOMEM;
	}
	if ((r = check_server(c, error)) < 0) {
		pg_close(c);
		return r;
	}
	*out = c;
	return 0;
}

static void
pg_info(struct store_conn *c, struct store_info *info)
{
	int v = PQserverVersion(c->pg);
	snprintf(info->server, sizeof(info->server), "PostgreSQL %d.%d", v / 10000,
		 v % 10000);
	snprintf(info->role, sizeof(info->role), "%s", PQuser(c->pg));
}

const struct store_backend store_pg = {
	.name = "postgresql",
	.dialect = STORE_DIALECT_POSTGRESQL,
	.open = pg_open,
	.close = pg_close,
	.describe = pg_describe,
	.error = pg_error,
	.failure = pg_failure,
	.info = pg_info,
	.exec = pg_exec,
	.begin = pg_begin,
	.begin_read = pg_begin_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.lock = pg_lock,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.column_type = pg_column_type,
	.column_count = pg_column_count,
	.column_int = pg_column_int,
	.column_text = pg_column_text,
	.changes = pg_changes,
	.notify = pg_notify,
	.listen_fd = pg_listen_fd,
	.listen_drain = pg_listen_drain,
	.listen_close = pg_listen_close,
};
