/* Shared by the store*.c files only: the connection and statement helpers. */
#pragma once

#include <sqlite3.h>

#include "store.h"

struct store {
	sqlite3 *db;
	char *path;
	int lock_fd;	/* flock on DIR/khoad.lock: one daemon per registry */
};

/* Logs the database's error for WHAT once and returns -EIO. */
int store_fail(struct store *s, const char *what);

/* A prepared statement for SQL; NULL after logging on failure. */
sqlite3_stmt *store_prepare(struct store *s, const char *sql);

/* Runs a statement without results: 0, -EEXIST on a constraint, -EIO. */
int store_step_done(struct store *s, sqlite3_stmt *st, const char *what);

/* Binds TEXT, or NULL when TEXT is NULL; an id of 0 binds NULL. */
void store_bind_text(sqlite3_stmt *st, int idx, const char *text);
void store_bind_id(sqlite3_stmt *st, int idx, int64_t id);

/* The current time, ISO 8601 UTC. */
void store_now(char buf[21]);

/* Adds column I of the current row to the object being built under KEY:
 * text as a string, integers as ints; NULL columns are left out. */
struct jsonb;
void store_column_json(struct jsonb *b, sqlite3_stmt *st, int i, const char *key);

/* One record as JSON from the current row of ST; AUX is a second prepared
 * statement the record needs (its history, its rows). */
typedef int (*store_row_fn)(struct store *s, sqlite3_stmt *st, sqlite3_stmt *aux,
			    json_object **out);

/* Every row of ST as a JSON array of ROW's records, or the one row
 * (-ENOENT when none). WHAT names the read in a failure's log line. ST and
 * AUX stay the caller's to finalize. */
int store_rows_json(struct store *s, sqlite3_stmt *st, sqlite3_stmt *aux, store_row_fn row,
		    const char *what, json_object **out);
int store_row_json(struct store *s, sqlite3_stmt *st, sqlite3_stmt *aux, store_row_fn row,
		   const char *what, json_object **out);

/* The bounds of YEAR as ISO 8601 text: filed_at >= FROM AND filed_at < TO
 * is the same comparison in every SQL engine (and can use the index). */
void store_year_bounds(int year, char from[24], char to[24]);

/* The two request tables and their steps (store-steps.c). */
enum store_steps { STORE_STEPS_PIN, STORE_STEPS_LIFECYCLE };

/* A statement reading the steps of one request, for store_steps_json(). */
sqlite3_stmt *store_steps_prepare(struct store *s, enum store_steps t);

/* The steps of request ID, oldest first, as an array of Transition; HIST
 * (from store_steps_prepare) is reset and reused for each request. */
int store_steps_json(struct store *s, sqlite3_stmt *hist, int64_t id, json_object **out);

/* Moves request ID from FROM to TO by ACTION and records the step with
 * ACTOR and NOTE (NULL: none); -ENOENT when it is not in FROM (any more). */
int store_step_record(struct store *s, enum store_steps t, int64_t id, const char *action,
		      const char *from, const char *to, const struct actor *actor,
		      const char *note);

/* How a table of requests is read: GET_SQL selects one record (?1 its id,
 * ?2 its kind, NULL: any), LIST_SQL the records of ?1 kind and ?2 state
 * (NULL: any) filed from ?3 to before ?4 (NULL: ever), newest first; ROW
 * makes the JSON of a row with the steps' statement; WHAT names the read. */
struct request_query {
	enum store_steps steps;
	const char *get_sql, *list_sql;
	store_row_fn row;
	const char *what;
};

/* The request ID as JSON (-ENOENT when none, or not of KIND). */
int store_requests_get(struct store *s, const struct request_query *q, int64_t id,
		       const char *kind, json_object **out);

/* The requests of KIND in STATE filed in YEAR (each NULL / 0: any). */
int store_requests_list(struct store *s, const struct request_query *q, const char *kind,
			const char *state, int year, json_object **out);
