/*
 * Inside the import (store-import.c, store-import-match.c): the run's
 * state, a table's columns, the map of copied rows, and the matches of
 * what both registries hold.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store-import.h"
#include "store-private.h"

#define MAX_COLUMNS 32

/* A self reference not copied yet (a handover superseded by a later one):
 * set once the whole table is in. */
struct later {
	int64_t row, old;
	const char *column;
};

struct import {
	struct store *dst, *src;
	struct store_import *out;
	struct store_stmt *map_get, *map_put;
	int64_t last_event;
};

/* One table's columns, as the source has them, and what each is. */
struct columns {
	size_t n;
	char *name[MAX_COLUMNS];
	bool integer[MAX_COLUMNS];
	const char *ref[MAX_COLUMNS];	/* the table its ids are of, or NULL */
	int key[4];			/* the key's columns */
	size_t n_key;
	int token;			/* the token column of plan->token, or -1 */
};

/* What becomes of a row before it is copied. */
enum fate { COPY, MATCHED, SKIPPED, CLASH };

/* The index of the column NAME (LEN bytes) in C, -1 when none. */
int column_index(const struct columns *c, const char *name, size_t len);

/* The new id of TABLE's row KEY (1: copied, 0: the shared registry's record
 * stands, for keys that are not ids), in *ID: 1, or 0 when not copied;
 * map_id() for a key that is an id. */
int map_get(struct import *im, const char *table, const char *key, int64_t *id);
int map_id(struct import *im, const char *table, int64_t old, int64_t *id);

/* A conflict in IM's report. */
int conflict(struct import *im, enum store_import_clash clash, const char *key, int64_t here_id,
	     const char *here, int64_t there_id, const char *there);
/* One row of SQL (?1 = TEXT) in the shared registry: its first column in
 * *ID, its second copied to *NAME; 0 when there is none. */
int there(struct import *im, const char *sql, const char *text, int64_t *id, char **name);

/* ROW (of columns C) matched against the shared registry: *FATE MATCHED
 * (with the id there in *ID), CLASH (a conflict recorded) or left COPY.
 * Organizations by tax code, people by ID number (match_named(): BY, the
 * column; NAME_COL, the name both must have); tokens by serial and holder
 * (*KEEP: 0, the shared registry's registration stands; 1, the source's is
 * taken); logins by login and person. */
int match_named(struct import *im, struct store_stmt *row, const struct columns *c,
		const char *by, const char *name_col, const char *sql,
		enum store_import_clash clash, int64_t *id, enum fate *fate);
int match_token(struct import *im, struct store_stmt *row, const struct columns *c,
		int64_t *keep, enum fate *fate);
int match_login(struct import *im, struct store_stmt *row, const struct columns *c,
		enum fate *fate);
