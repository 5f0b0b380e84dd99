/*
 * Inside the audit trail (store-audit.c seals and reads it,
 * store-audit-verify.c verifies it), kept in store-audit-shared.c: the
 * tables it covers, the digests of rows and the hash of a record, and long
 * queries read a batch at a time.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

#include "store-audit.h"
#include "store-private.h"

/* A covered table and its key's columns (0016 puts its triggers on it). */
#define AUDIT_KEY_MAX 3
struct audit_table {
	const char *name;
	const char *key[AUDIT_KEY_MAX];
};
extern const struct audit_table audit_tables[];
extern const size_t audit_n_tables;

const struct audit_table *audit_table(const char *name);	/* NULL: not covered */
size_t audit_key_len(const struct audit_table *t);

/* The prev of the first record. */
extern const char audit_zero_hash[];

/* SHA-256 of what is fed, as hex at the end; text fields end with "\n". */
struct audit_digest {
	EVP_MD_CTX *ctx;
};
int audit_digest_init(struct audit_digest *d);	/* 0 or -ENOMEM */
void audit_digest_add(struct audit_digest *d, const char *text, size_t len);
void audit_digest_str(struct audit_digest *d, const char *text);	/* NULL: "" */
void audit_digest_int(struct audit_digest *d, int64_t v);
void audit_digest_end(struct audit_digest *d, char out[STORE_AUDIT_HASH_LEN + 1]);

/* A record's fields, as hashed. */
struct audit_record {
	int64_t seq;
	char time[32];
	int64_t uid;		/* -1: khoad's own */
	const char *user;
	const char *action;
	char prev[STORE_AUDIT_HASH_LEN + 1];
};
/* A record's hash: its fields first, then each change in order. */
void audit_hash_record(struct audit_digest *d, const struct audit_record *r);
void audit_hash_change(struct audit_digest *d, const char *table, const char *key,
		       const char *op, const char *digest);

/*
 * Every row of covered table T with its key, in the byte order of the keys
 * as the trail writes them (the values joined by '/'): the SQL
 * (AUDIT_SQL_MAX bytes), and the key and digest of a row of it
 * (*KEY malloc'd). SQLite's rows are digested here, over their typed
 * values; PostgreSQL's by khoa_audit_digests() (0016), which sees every
 * agency's rows and gives out only keys and digests.
 */
#define AUDIT_SQL_MAX 512
void audit_rows_sql(struct store *s, const struct audit_table *t, char sql[AUDIT_SQL_MAX]);
int audit_rows_row(struct store *s, const struct audit_table *t, struct store_stmt *st,
		   char **key, char digest[STORE_AUDIT_HASH_LEN + 1]);

/* The digest of the row ST is at, columns FIRST on (SQLite's); a key
 * from the N columns at FIRST (malloc'd; NULL: out of memory). */
int audit_row_digest(struct store_stmt *st, int first, char out[STORE_AUDIT_HASH_LEN + 1]);
char *audit_row_key(struct store_stmt *st, int first, size_t n);

/*
 * A long query, read a row at a time in a transaction: SQLite steps
 * through it; PostgreSQL's answer would be in memory whole (a province's
 * million events), so it is read through a cursor NAME, a batch at a time.
 * audit_stream_open() and audit_stream_next() leave the row in ->st and
 * return STORE_ROW, STORE_DONE or a negative errno (logged).
 */
struct audit_stream {
	struct store *s;
	struct store_stmt *st;
	const char *name;
	bool cursor;
	size_t in_batch;
	int state;
};
int audit_stream_open(struct audit_stream *q, struct store *s, const char *name,
		      const char *sql);
int audit_stream_next(struct audit_stream *q);
void audit_stream_close(struct audit_stream *q);
