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
