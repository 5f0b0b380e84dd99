/*
 * Inside the store: the statements the area files (store-*.c) compose SQL
 * with, over one backend interface, as OpenSMTPD's queue_backend.c stands
 * over queue_fs.c and queue_ram.c. A backend (sqlite/sqlite.c; PostgreSQL
 * next) only opens a connection and runs what it is given; all SQL is the
 * area files', the same for every engine, with '?' placeholders numbered in
 * order. Every row is read through store_each_row() (or one of the JSON
 * helpers built on it), so a backend has one way to hand rows out.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <json-c/json.h>

#include "store.h"
#include "store-requests.h"	/* the steps of requests, store-steps.c */

struct jsonb;
struct store_conn;	/* a backend's connection */
struct store_backend;

/* A prepared statement: a backend's own begins with this. */
struct store_stmt {
	const struct store_backend *backend;
};

/* What store_step() says of a statement. */
enum { STORE_DONE = 0, STORE_ROW = 1 };

/* What store_column_type() says of a column of the current row. */
enum store_type { STORE_NULL, STORE_INT, STORE_TEXT };

/* Whose words a backend speaks, where SQL must differ (the migrations'
 * types, the catalog). */
enum store_dialect { STORE_DIALECT_SQLITE, STORE_DIALECT_POSTGRESQL };

/* What a transaction locks for itself beyond the rows it changes
 * (store_lock()): with many writers, a number handed out as MAX + 1 or an
 * order that must be the commit's order needs one writer at a time. */
enum store_lock {
	STORE_LOCK_MIGRATIONS = 1,	/* the schema, while it is brought up to date */
	STORE_LOCK_EVENTS,		/* the events' ids, in commit order */
	STORE_LOCK_HANDOVER,		/* the rows of one handover (its id) */
	STORE_LOCK_IMPORT,		/* the map of imported rows (store-import.c) */
	STORE_LOCK_SUBJECT,		/* what records share (store-duplicates.c) */
};

/*
 * An engine. Every function but open() is given what open() made. Errors:
 * negative errno, -EEXIST for a constraint, -EIO for anything the engine
 * refused, with its words in error().
 */
struct store_backend {
	const char *name;		/* "sqlite" */
	enum store_dialect dialect;
	/* WHERE: the engine's own (a directory for SQLite); *ERROR: why not.
	 * READONLY: to look, beside a running khoad (no lock, nothing
	 * created, no migration). */
	int (*open)(const char *where, bool readonly, struct store_conn **out, char **error);
	void (*close)(struct store_conn *c);
	const char *(*describe)(const struct store_conn *c);	/* for the log */
	const char *(*error)(struct store_conn *c);		/* the last one */
	int (*failure)(struct store_conn *c);	/* and its class: -EIO, -ENOTCONN, … */
	void (*info)(struct store_conn *c, struct store_info *out);	/* server, role */
	/* SQL without results, possibly several statements (a migration). */
	int (*exec)(struct store_conn *c, const char *sql);
	int (*begin)(struct store_conn *c);
	/* A transaction that only reads, and reads one state of the whole
	 * registry from its first statement to its rollback. */
	int (*begin_read)(struct store_conn *c);
	int (*commit)(struct store_conn *c);
	void (*rollback)(struct store_conn *c);	/* harmless outside a transaction */
	/* Holds KEY (a store_lock() key) until the transaction ends; a no-op
	 * where a transaction already has the whole database (SQLite). */
	int (*lock)(struct store_conn *c, int64_t key);
	int (*prepare)(struct store_conn *c, const char *sql, struct store_stmt **out);
	void (*finalize)(struct store_stmt *st);
	void (*reset)(struct store_stmt *st);	/* to run again; bindings stay */
	int (*bind_int)(struct store_stmt *st, int i, int64_t v);
	int (*bind_text)(struct store_stmt *st, int i, const char *v);	/* NULL: null */
	/* A null of TYPE: an engine that types its parameters needs to know
	 * that an absent id is a missing number, not a missing text. */
	int (*bind_null)(struct store_stmt *st, int i, enum store_type type);
	int (*step)(struct store_stmt *st);	/* STORE_ROW, STORE_DONE, or an error */
	enum store_type (*column_type)(struct store_stmt *st, int i);
	int (*column_count)(struct store_stmt *st);	/* of the current row */
	int64_t (*column_int)(struct store_stmt *st, int i);
	const char *(*column_text)(struct store_stmt *st, int i);	/* NULL: null */
	int64_t (*changes)(struct store_conn *c);	/* rows the last statement changed */
	/* Events across workstations (store.h, store_listen()): ID committed
	 * by this transaction told to the listeners at its commit; a second
	 * connection that listens. SQLite: 0, and -ENOTSUP. */
	int (*notify)(struct store_conn *c, int64_t id);
	int (*listen_fd)(struct store_conn *c);
	int (*listen_drain)(struct store_conn *c);
	void (*listen_close)(struct store_conn *c);
	/* A disk that takes no write (issue 15; NULL for an engine whose disk
	 * is a server's). open() returns 1 when it opened the registry to read
	 * only for that reason, *ERROR saying why; writable() says so later:
	 * -ENOSPC (full) or -EROFS (mounted read-only), 0 when it writes.
	 * space(): the bytes free where it writes (-EROFS: none, mounted
	 * read-only). reopen(): the connection
	 * made again for writing, its lock kept; else *ERROR says why. */
	int (*writable)(struct store_conn *c);
	int (*space)(struct store_conn *c, uint64_t *avail);
	int (*reopen)(struct store_conn *c, char **error);
};

extern const struct store_backend store_sqlite;
extern const struct store_backend store_pg;

struct store {
	const struct store_backend *backend;
	struct store_conn *conn;
	int64_t commits;	/* since opened: store_write_count() */
	char *workstation;	/* whose desk the presence of tokens is ("" until named) */
	/* Why it takes no change now (NULL: it does) and the kind of it,
	 * "disk-full", "read-only" or "low-space"; FLOOR, the bytes a disk
	 * must have free for a change to begin (0: none). store_begin(). */
	char *read_only;
	const char *read_only_reason;
	uint64_t floor;
	time_t reopened;	/* when a change last tried to reopen it */
	bool reader;		/* opened to read only (store_open_readonly()) */
	/* The audit trail (store-audit.c), once the schema has it: where
	 * this transaction's notes begin (SQLite's), who did what in it (from
	 * its events; uid -1: nobody, khoad's own). */
	bool audited;
	int64_t audit_mark;
	int64_t audit_uid;
	char audit_user[64];
	char audit_action[256];
};

/* The audit trail, inside the store (store-audit.c): store_begin() marks
 * where the transaction's notes begin, store_event_add() tells who did
 * what, store_commit() seals the transaction with its record first.
 * store_audit_start(): once the schema is up to date, the first record of
 * a registry that had none (its rows as they are). */
int store_audit_begin(struct store *s);
void store_audit_note(struct store *s, const char *type, const struct actor *actor);
int store_audit_seal(struct store *s);
int store_audit_start(struct store *s);

/* Logs the engine's error for WHAT once and returns its class: -EIO, or
 * -ENOTCONN, -EBUSY, -EACCES, … (store.h). */
int store_fail(struct store *s, const char *what);

/* A prepared statement for SQL; NULL after logging on failure. Statements
 * belong to S: store_finalize() each (NULL is fine). */
struct store_stmt *store_prepare(struct store *s, const char *sql);
void store_finalize(struct store_stmt *st);
void store_reset(struct store_stmt *st);

/* Binds parameter IDX (from 1). TEXT NULL binds null; an ID of 0 binds a
 * null number. */
void store_bind_int(struct store_stmt *st, int idx, int64_t value);
void store_bind_text(struct store_stmt *st, int idx, const char *text);
void store_bind_id(struct store_stmt *st, int idx, int64_t id);
void store_bind_null(struct store_stmt *st, int idx, enum store_type type);
/* A change's stamp: the time now at IDX, ACTOR's uid and login at IDX + 1
 * and IDX + 2. */
void store_bind_stamp(struct store_stmt *st, int idx, const struct actor *actor);
/* The first LEN bytes of TEXT (a part of a longer string). */
void store_bind_text_len(struct store_stmt *st, int idx, const char *text, size_t len);

/* One step of ST: STORE_ROW, STORE_DONE, or a negative errno (not logged:
 * for a statement read once; loops use store_each_row()). */
int store_step(struct store_stmt *st);

/* Column I of the current row. */
enum store_type store_column_type(struct store_stmt *st, int i);
int64_t store_column_int(struct store_stmt *st, int i);
const char *store_column_text(struct store_stmt *st, int i);	/* NULL: null */
bool store_column_null(struct store_stmt *st, int i);
/* Column I as a new string; NULL when it is null, or when the copy failed
 * (then *OOM is set, if OOM is not NULL). */
char *store_column_dup(struct store_stmt *st, int i, bool *oom);

/* Rows the last statement changed. */
int64_t store_changes(struct store *s);

/* In a transaction: waits until no other transaction holds what NS and ID
 * name, and holds it until this one ends (0, or an error logged). */
int store_lock(struct store *s, enum store_lock ns, int64_t id);

/* Runs ST, an INSERT … RETURNING id, and sets *ID to the new row's id:
 * 0, -EEXIST on a constraint, -EIO (every engine says RETURNING; none
 * shares SQLite's last_insert_rowid, which a second writer would move). */
int store_insert_id(struct store *s, struct store_stmt *st, const char *what, int64_t *id);

/* Runs a statement without results: 0, -EEXIST on a constraint, -EIO. */
int store_step_done(struct store *s, struct store_stmt *st, const char *what);

/*
 * The one row loop: ROW(S, ST, ARG) for every row of ST, which returns 0 to
 * go on, 1 to stop there, or a negative errno. 0, or the first error
 * (the engine's logged as WHAT's). ST stays the caller's.
 */
typedef int (*store_each_fn)(struct store *s, struct store_stmt *st, void *arg);
int store_each_row(struct store *s, struct store_stmt *st, store_each_fn row, void *arg,
		   const char *what);

/* The first row of ST to ROW: 0, -ENOENT when there is none, or an error. */
int store_first_row(struct store *s, struct store_stmt *st, store_each_fn row, void *arg,
		    const char *what);

/* The current time, ISO 8601 UTC. */
void store_now(char buf[21]);

/* Adds column I of the current row to the object being built under KEY:
 * text as a string, integers as ints; NULL columns are left out. */
void store_column_json(struct jsonb *b, struct store_stmt *st, int i, const char *key);

/* The current row as an object, column I under KEYS[I] (I < N); NULL when
 * out of memory. */
json_object *store_row_object(struct store_stmt *st, const char *const *keys, size_t n);

/* One record as JSON from the current row of ST; AUX is a second prepared
 * statement the record needs (its history, its rows). */
typedef int (*store_row_fn)(struct store *s, struct store_stmt *st, struct store_stmt *aux,
			    json_object **out);

/* Every row of ST as a JSON array of ROW's records, or the one row
 * (-ENOENT when none). WHAT names the read in a failure's log line. ST and
 * AUX stay the caller's to finalize. */
int store_rows_json(struct store *s, struct store_stmt *st, struct store_stmt *aux,
		    store_row_fn row, const char *what, json_object **out);
int store_row_json(struct store *s, struct store_stmt *st, struct store_stmt *aux,
		   store_row_fn row, const char *what, json_object **out);

/* The disk (store-disk.c): S takes no change from now on, for REASON
 * ("disk-full", "read-only", "low-space"), WHY (taken; NULL: no room); said
 * once. And whether a change may begin: 0, or -EROFS (read-only now, or
 * from now on: less free than the floor). */
void store_disk_refuses(struct store *s, const char *reason, char *why);
int store_room_for_change(struct store *s);

/* Every row of ST as an object with KEYS, an array (store_row_object). */
int store_objects_json(struct store *s, struct store_stmt *st, const char *const *keys,
		       size_t n, const char *what, json_object **out);

/*
 * A page of a list (store.h, struct store_page), read by keyset: the list's
 * statement orders its rows by a key that no two rows share, and a page
 * after a cursor asks for the rows past that key with a row-value
 * comparison, "(a, b) < (?x, ?y)" (the same in every engine), and for
 * LIMIT + 1 of them, the one more saying that another page follows. The
 * key's columns and their types: SHAPE, a letter a column, 'i' an integer
 * and 't' a text, never null (a column that may be is COALESCEd to '', in
 * the ORDER BY as in the key); COLS, where they are in a row of the
 * statement. The cursor is the key's values as a JSON array.
 */
#define STORE_KEY_MAX 4
struct store_key {
	const char *shape;
	int cols[STORE_KEY_MAX];
};

/* P's AFTER as the values of KEY: 0 and *OUT (NULL when P or its AFTER is
 * NULL: from the first row; json_object_put() it), or -EINVAL when it is
 * no cursor of KEY. Clears P's NEXT. */
int store_page_after(struct store_page *p, const struct store_key *key, json_object **out);

/* The cursor of ST's current row: KEY's columns as a JSON array (malloc'd;
 * NULL when out of memory). For a list read into structs, not JSON. */
char *store_row_cursor(struct store_stmt *st, const struct store_key *key);

/* Binds a page: at LIMIT_IDX, the rows to ask for (P's LIMIT + 1; every
 * one when P is NULL or its LIMIT 0), and AFTER's values (from
 * store_page_after(); none when NULL) from KEY_IDX on. */
void store_bind_page(struct store_stmt *st, const struct store_page *p, int limit_idx,
		     json_object *after, int key_idx);

/* As store_rows_json() and store_objects_json(), P's page of ST's rows:
 * LIMIT of them at most, and P's NEXT, the KEY of the last of them, when
 * ST has one more. P NULL: every row. */
int store_rows_page(struct store *s, struct store_stmt *st, struct store_stmt *aux,
		    store_row_fn row, const struct store_key *key, struct store_page *p,
		    const char *what, json_object **out);
int store_objects_page(struct store *s, struct store_stmt *st, const char *const *keys,
		       size_t n, const struct store_key *key, struct store_page *p,
		       const char *what, json_object **out);

/* The bounds of YEAR as ISO 8601 text: filed_at >= FROM AND filed_at < TO
 * is the same comparison in every SQL engine (and can use the index). */
void store_year_bounds(int year, char from[24], char to[24]);

/* The two request tables and their steps (store-steps.c). */
enum store_steps { STORE_STEPS_PIN, STORE_STEPS_LIFECYCLE };

/* A statement reading the steps of one request, for store_steps_json(). */
struct store_stmt *store_steps_prepare(struct store *s, enum store_steps t);

/* The steps of request ID, oldest first, as an array of Transition; HIST
 * (from store_steps_prepare) is reset and reused for each request. */
int store_steps_json(struct store *s, struct store_stmt *hist, int64_t id, json_object **out);

/* Moves request ID from FROM to TO by ACTION and records the step with
 * ACTOR and NOTE (NULL: none); -ENOENT when it is not in FROM (any more). */
int store_step_record(struct store *s, enum store_steps t, int64_t id, const char *action,
		      const char *from, const char *to, const struct actor *actor,
		      const char *note);

/* Columns I and I + 1 of the current row, a uid and a login, as *OUT. */
void store_column_person(struct store_stmt *st, int i, struct request_person *out);

/* Who took the newest step of request ID whose action PICK accepts: 0 and
 * *OUT, or -ENOENT when none did. */
int store_steps_last_actor(struct store *s, enum store_steps t, int64_t id,
			   store_step_pick *pick, const void *arg, struct request_person *out);

/* How a table of requests is read: GET_SQL selects one record (?1 its id,
 * ?2 its kind, NULL: any), LIST_SQL the records of ?1 kind and ?2 state
 * (NULL: any) filed from ?3 to before ?4 (NULL: ever), newest first, ?5
 * of them; LIST_AFTER_SQL the same, those after the KEY (filed_at, id) in
 * ?6 and ?7; ROW makes the JSON of a row with the steps' statement; WHAT
 * names the read. */
struct request_query {
	enum store_steps steps;
	const char *get_sql, *list_sql, *list_after_sql;
	struct store_key key;
	store_row_fn row;
	const char *what;
};

/* The request ID as JSON (-ENOENT when none, or not of KIND). */
int store_requests_get(struct store *s, const struct request_query *q, int64_t id,
		       const char *kind, json_object **out);

/* The requests of KIND in STATE filed in YEAR (each NULL / 0: any), PAGE
 * of them (store.h). */
int store_requests_list(struct store *s, const struct request_query *q, const char *kind,
			const char *state, int year, struct store_page *page,
			json_object **out);
