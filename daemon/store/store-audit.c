/* The audit trail: store-audit.h; the triggers that note the rows a
 * transaction changes, migrations/0016-audit.sql. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/evp.h>

#include "jsonb.h"
#include "log.h"
#include "store-audit.h"
#include "store-private.h"

/* The tables the trail covers, with their keys: those 0016 puts triggers
 * on. Not covered: what triggers derive from them (held_certificates,
 * org_parents), the sightings of tokens and the workstations (presence,
 * not record), the import's map, and who may use a shared registry
 * (registry_roles, the province's administrators' own). */
#define KEY_MAX 3
struct covered {
	const char *table;
	const char *key[KEY_MAX];
};
static const struct covered covered[] = {
	{ "organizations", { "id" } },
	{ "people", { "id" } },
	{ "person_logins", { "login" } },
	{ "certificates", { "id" } },
	{ "tokens", { "serial" } },
	{ "token_certs", { "token_serial", "certificate_id" } },
	{ "bindings", { "id" } },
	{ "holders", { "id" } },
	{ "expiry_notices", { "certificate_id", "kind", "threshold" } },
	{ "requests", { "id" } },
	{ "request_transitions", { "id" } },
	{ "handovers", { "id" } },
	{ "handover_rows", { "id" } },
	{ "custody_links", { "id" } },
	{ "seal_log", { "id" } },
	{ "manager_changes", { "id" } },
	{ "lifecycle_requests", { "id" } },
	{ "lifecycle_transitions", { "id" } },
	{ "certificate_lineage", { "certificate_serial" } },
	{ "certificate_revocations", { "certificate_serial" } },
	{ "annual_reports", { "year", "scope" } },
	{ "events", { "id" } },
};
#define N_COVERED (sizeof(covered) / sizeof(covered[0]))

static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static const struct covered *
covered_table(const char *name)
{
	for (size_t i = 0; name && i < N_COVERED; i++)
		if (strcmp(covered[i].table, name) == 0)
			return &covered[i];
	return NULL;
}

static size_t
key_len(const struct covered *t)
{
	size_t n = 0;
	while (n < KEY_MAX && t->key[n])
		n++;
	return n;
}

static void
hex(const unsigned char *md, char out[STORE_AUDIT_HASH_LEN + 1])
{
	for (size_t i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* ---- digests ------------------------------------------------------------------ */

/* SHA-256 over what is fed, as hex. */
struct digest {
	EVP_MD_CTX *ctx;
};

static int
digest_init(struct digest *d)
{
	d->ctx = EVP_MD_CTX_new();
	if (!d->ctx || EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(d->ctx);
		d->ctx = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void
digest_add(struct digest *d, const char *text, size_t len)
{
	EVP_DigestUpdate(d->ctx, text, len);
}

static void
digest_str(struct digest *d, const char *text)
{
	if (text)
		digest_add(d, text, strlen(text));
	digest_add(d, "\n", 1);
}

static void
digest_int(struct digest *d, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	digest_str(d, buf);
}

static void
digest_end(struct digest *d, char out[STORE_AUDIT_HASH_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(d->ctx, md, &len);
	EVP_MD_CTX_free(d->ctx);
	d->ctx = NULL;
	hex(md, out);
}

/* SQLite's digest of a row: the values of ST's columns from FIRST on,
 * each with its type (PostgreSQL's is the server's, 0016). */
static int
row_digest(struct store_stmt *st, int first, char out[STORE_AUDIT_HASH_LEN + 1])
{
	struct digest d;
	if (digest_init(&d) < 0)
		return -ENOMEM;
	int n = st->backend->column_count(st);
	for (int i = first; i < n; i++) {
		char head[32];
		const char *text = store_column_text(st, i);
		switch (store_column_type(st, i)) {
		case STORE_NULL:
			digest_add(&d, "N\n", 2);
			continue;
		case STORE_INT:
			snprintf(head, sizeof(head), "I%" PRId64 "\n", store_column_int(st, i));
			digest_add(&d, head, strlen(head));
			continue;
		case STORE_TEXT:
			snprintf(head, sizeof(head), "T%zu:", strlen(text));
			digest_add(&d, head, strlen(head));
			digest_add(&d, text, strlen(text));
			digest_add(&d, "\n", 1);
			continue;
		}
	}
	digest_end(&d, out);
	return 0;
}

/* A row's key as the trail names it: its key's values joined by '/'. */
static char *
row_key(struct store_stmt *st, int first, size_t n)
{
	char *key = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&key, &len);
	if (!f)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *v = store_column_text(st, first + (int)i);
		fprintf(f, "%s%s", i ? "/" : "", v ? v : "");
	}
	if (fclose(f) != 0) {
		free(key);
		return NULL;
	}
	return key;
}

/* A record's hash: the record before it, its own fields, its changes. */
struct change {
	const struct covered *table;
	char *key;
	const char *op;		/* "insert", "update", "delete" */
	char digest[STORE_AUDIT_HASH_LEN + 1];	/* "" once deleted */
	int64_t order;		/* the first note's: the order of changes */
	int64_t last;		/* the last note's id */
	/* the key's values as the table has them (SQLite's digest reads the
	 * row by them) */
	enum store_type type[KEY_MAX];
	int64_t num[KEY_MAX];
	char *text[KEY_MAX];
};

struct record {
	int64_t seq;
	char time[32];
	int64_t uid;		/* -1: khoad's own */
	char *user;
	char *action;
	char prev[STORE_AUDIT_HASH_LEN + 1];
	char hash[STORE_AUDIT_HASH_LEN + 1];	/* as stored (verifying) */
};

static void
record_hash_begin(struct digest *d, const struct record *r)
{
	digest_str(d, "khoa audit 1");
	digest_int(d, r->seq);
	digest_str(d, r->prev);
	digest_str(d, r->time);
	if (r->uid >= 0)
		digest_int(d, r->uid);
	else
		digest_str(d, "");
	digest_str(d, r->user ? r->user : "");
	digest_str(d, r->action);
}

static void
record_hash_change(struct digest *d, const char *table, const char *key, const char *op,
		   const char *digest)
{
	digest_add(d, table, strlen(table));
	digest_add(d, "\t", 1);
	digest_add(d, key, strlen(key));
	digest_add(d, "\t", 1);
	digest_add(d, op, strlen(op));
	digest_add(d, "\t", 1);
	digest_str(d, digest ? digest : "");
}

/* ---- sealing a transaction ----------------------------------------------------- */

void
store_audit_note(struct store *s, const char *type, const struct actor *actor)
{
	if (actor && s->audit_uid < 0) {
		s->audit_uid = actor->uid;
		snprintf(s->audit_user, sizeof(s->audit_user), "%s", actor->user ? actor->user : "");
	}
	size_t len = strlen(s->audit_action), n = strlen(type);
	/* each type once, in the order they happened */
	for (const char *p = s->audit_action; (p = strstr(p, type)); p += n)
		if ((p == s->audit_action || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return;
	if (len + n + 2 < sizeof(s->audit_action))
		snprintf(s->audit_action + len, sizeof(s->audit_action) - len, "%s%s",
			 len ? " " : "", type);
}

static int
max_row(struct store *s, struct store_stmt *st, void *arg)
{
	(void)s;
	*(int64_t *)arg = store_column_int(st, 0);
	return 0;
}

int
store_audit_begin(struct store *s)
{
	s->audit_uid = -1;
	s->audit_user[0] = s->audit_action[0] = '\0';
	if (s->backend->dialect != STORE_DIALECT_SQLITE)
		return 0;	/* PostgreSQL's notes carry their transaction */
	/* The notes after this are this transaction's: those before, changes
	 * made around khoad, are left for the verification to name. */
	struct store_stmt *st = store_prepare(s, "SELECT COALESCE(MAX(id), 0) FROM audit_staged");
	int r = st ? store_first_row(s, st, max_row, &s->audit_mark, "audit mark") : -EIO;
	store_finalize(st);
	return r;
}

static const char *const staged_sql[] = {
	[STORE_DIALECT_SQLITE] = "SELECT id, tbl, op, digest, k1, k2, k3 FROM audit_staged "
				 "WHERE id > ?1 ORDER BY id",
	[STORE_DIALECT_POSTGRESQL] = "SELECT id, tbl, op, digest, k1, k2, k3 FROM audit_staged "
				     "WHERE tx = txid_current() ORDER BY id",
};
static const char *const unstage_sql[] = {
	[STORE_DIALECT_SQLITE] = "DELETE FROM audit_staged WHERE id > ?1",
	[STORE_DIALECT_POSTGRESQL] = "DELETE FROM audit_staged WHERE tx = txid_current()",
};

struct changes {
	struct change *v;
	size_t n, cap;
	bool oom;
};

static void
change_clear(struct change *c)
{
	free(c->key);
	for (size_t i = 0; i < KEY_MAX; i++)
		free(c->text[i]);
}

static void
changes_clear(struct changes *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		change_clear(&cs->v[i]);
	free(cs->v);
	*cs = (struct changes){ 0 };
}

static struct change *
changes_add(struct changes *cs)
{
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 64;
		struct change *v = realloc(cs->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		cs->v = v;
		cs->cap = cap;
	}
	struct change *c = &cs->v[cs->n++];
	*c = (struct change){ 0 };
	return c;
}

/* A note of audit_staged (staged_sql's columns). */
static int
staged_row(struct store *s, struct store_stmt *st, void *arg)
{
	struct changes *cs = arg;
	const struct covered *t = covered_table(store_column_text(st, 1));
	(void)s;
	if (!t)
		return 0;	/* a table 0016 does not cover: not ours */
	struct change *c = changes_add(cs);
	if (!c || !(c->key = row_key(st, 4, key_len(t))))
		return -ENOMEM;
	c->table = t;
	c->order = c->last = store_column_int(st, 0);
	c->op = strcmp(store_column_text(st, 2), "insert") == 0 ? "insert"
		: strcmp(store_column_text(st, 2), "delete") == 0 ? "delete" : "update";
	snprintf(c->digest, sizeof(c->digest), "%s", store_column_text(st, 3)
		 ? store_column_text(st, 3) : "");
	for (size_t i = 0; i < key_len(t); i++) {
		c->type[i] = store_column_type(st, 4 + (int)i);
		c->num[i] = store_column_int(st, 4 + (int)i);
		if (c->type[i] == STORE_TEXT &&
		    !(c->text[i] = strdup(store_column_text(st, 4 + (int)i))))
			return -ENOMEM;
	}
	return 0;
}

static int
by_row_then_note(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	int r = strcmp(x->table->table, y->table->table);
	if (!r)
		r = strcmp(x->key, y->key);
	return r ? r : (x->order > y->order) - (x->order < y->order);
}

static int
by_order(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	return (x->order > y->order) - (x->order < y->order);
}

/* The notes of one row made one change: its first note's place, its last
 * note's state ("insert" when it did not exist before, "delete" when it
 * does not now). */
static void
merge_notes(struct changes *cs)
{
	size_t out = 0;
	qsort(cs->v, cs->n, sizeof(*cs->v), by_row_then_note);
	for (size_t i = 0; i < cs->n;) {
		size_t j = i + 1;
		while (j < cs->n && cs->v[j].table == cs->v[i].table &&
		       strcmp(cs->v[j].key, cs->v[i].key) == 0)
			j++;
		struct change merged = cs->v[j - 1];
		merged.order = cs->v[i].order;
		if (strcmp(merged.op, "delete") != 0 && strcmp(cs->v[i].op, "insert") == 0)
			merged.op = "insert";
		else if (strcmp(merged.op, "delete") != 0)
			merged.op = "update";
		for (size_t k = i; k < j - 1; k++)
			change_clear(&cs->v[k]);
		cs->v[out++] = merged;
		i = j;
	}
	cs->n = out;
	qsort(cs->v, cs->n, sizeof(*cs->v), by_order);
}

static int
digest_first(struct store *s, struct store_stmt *st, void *arg)
{
	(void)s;
	return row_digest(st, 0, arg);
}

/* SQLite: C's digest of the row as committed, read by its key ("" when
 * it is gone). */
static int
digest_now(struct store *s, struct change *c)
{
	char sql[256];
	int len = snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE ", c->table->table);
	size_t n = key_len(c->table);
	for (size_t i = 0; i < n; i++)
		len += snprintf(sql + len, sizeof(sql) - (size_t)len, "%s%s = ?%zu",
				i ? " AND " : "", c->table->key[i], i + 1);
	struct store_stmt *st = store_prepare(s, sql);
	if (!st)
		return -EIO;
	for (size_t i = 0; i < n; i++) {
		if (c->type[i] == STORE_INT)
			store_bind_int(st, (int)i + 1, c->num[i]);
		else
			store_bind_text(st, (int)i + 1, c->text[i]);
	}
	int r = store_first_row(s, st, digest_first, c->digest, "audit digest");
	store_finalize(st);
	if (r == -ENOENT) {
		c->digest[0] = '\0';
		c->op = "delete";
		return 0;
	}
	return r;
}

static int
head_row(struct store *s, struct store_stmt *st, void *arg)
{
	struct record *r = arg;
	(void)s;
	r->seq = store_column_int(st, 0);
	snprintf(r->prev, sizeof(r->prev), "%s", store_column_text(st, 1));
	return 0;
}

/* The newest record's seq and hash into R (its next one's seq and prev). */
static int
read_head(struct store *s, struct record *r)
{
	struct store_stmt *st = store_prepare(s, "SELECT seq, hash FROM audit_records "
					      "ORDER BY seq DESC LIMIT 1");
	if (!st)
		return -EIO;
	int e = store_first_row(s, st, head_row, r, "audit head");
	store_finalize(st);
	if (e == -ENOENT) {
		r->seq = 0;
		snprintf(r->prev, sizeof(r->prev), "%s", zero_hash);
		e = 0;
	}
	return e;
}

/* Appends the record of CS (merged), as R says who and what. */
static int
append_record(struct store *s, struct record *r, struct changes *cs)
{
	char hash[STORE_AUDIT_HASH_LEN + 1], now[21];
	struct digest d;
	int e;

	/* One writer of the chain at a time, in commit order (PostgreSQL's
	 * other workstations): the lock of the events. */
	if ((e = store_lock(s, STORE_LOCK_EVENTS, 0)) < 0 || (e = read_head(s, r)) < 0)
		return e;
	r->seq++;
	store_now(now);
	snprintf(r->time, sizeof(r->time), "%s", now);
	if ((e = digest_init(&d)) < 0)
		return e;
	record_hash_begin(&d, r);
	for (size_t i = 0; i < cs->n; i++)
		record_hash_change(&d, cs->v[i].table->table, cs->v[i].key, cs->v[i].op,
				   cs->v[i].digest);
	digest_end(&d, hash);

	struct store_stmt *st = store_prepare(s,
		"INSERT INTO audit_records (seq, time, actor_uid, actor_user, action, changes, "
		"prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!st)
		return -EIO;
	store_bind_int(st, 1, r->seq);
	store_bind_text(st, 2, r->time);
	if (r->uid >= 0) {
		store_bind_int(st, 3, r->uid);
		store_bind_text(st, 4, r->user);
	} else {
		store_bind_null(st, 3, STORE_INT);
		store_bind_null(st, 4, STORE_TEXT);
	}
	store_bind_text(st, 5, r->action);
	store_bind_int(st, 6, (int64_t)cs->n);
	store_bind_text(st, 7, r->prev);
	store_bind_text(st, 8, hash);
	e = store_step_done(s, st, "audit record");
	store_finalize(st);
	if (e < 0)
		return e;
	if (!(st = store_prepare(s, "INSERT INTO audit_changes (seq, pos, tbl, key, op, digest) "
				    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")))
		return -EIO;
	for (size_t i = 0; e == 0 && i < cs->n; i++) {
		store_reset(st);
		store_bind_int(st, 1, r->seq);
		store_bind_int(st, 2, (int64_t)i + 1);
		store_bind_text(st, 3, cs->v[i].table->table);
		store_bind_text(st, 4, cs->v[i].key);
		store_bind_text(st, 5, cs->v[i].op);
		store_bind_text(st, 6, cs->v[i].digest[0] ? cs->v[i].digest : NULL);
		e = store_step_done(s, st, "audit change");
	}
	store_finalize(st);
	return e;
}

int
store_audit_seal(struct store *s)
{
	struct changes cs = { 0 };
	enum store_dialect dialect = s->backend->dialect;
	struct store_stmt *st = store_prepare(s, staged_sql[dialect]);
	int r;

	if (!st)
		return -EIO;
	store_bind_int(st, 1, s->audit_mark);
	r = store_each_row(s, st, staged_row, &cs, "audit notes");
	store_finalize(st);
	if (r < 0 || cs.n == 0)
		goto out;
	if (!(st = store_prepare(s, unstage_sql[dialect]))) {
		r = -EIO;
		goto out;
	}
	store_bind_int(st, 1, s->audit_mark);
	r = store_step_done(s, st, "audit notes taken");
	store_finalize(st);
	merge_notes(&cs);
	for (size_t i = 0; r == 0 && i < cs.n; i++) {
		if (strcmp(cs.v[i].op, "delete") == 0)
			cs.v[i].digest[0] = '\0';
		else if (dialect == STORE_DIALECT_SQLITE)
			r = digest_now(s, &cs.v[i]);
	}
	if (r == 0) {
		struct record rec = {
			.uid = s->audit_uid,
			.user = s->audit_uid >= 0 ? s->audit_user : NULL,
			.action = s->audit_action[0] ? s->audit_action : "change",
		};
		r = append_record(s, &rec, &cs);
	}
out:
	changes_clear(&cs);
	return r;
}

/* Every row of covered table T, as ROW(key, digest, ARG) (SQLite: digested
 * here; PostgreSQL: by khoa_audit_digests(), which sees every agency's). */
typedef int (*row_digest_fn)(const struct covered *t, const char *key, const char *digest,
			     void *arg);

struct table_walk {
	const struct covered *t;
	row_digest_fn fn;
	void *arg;
};

static int
walk_row(struct store *s, struct store_stmt *st, void *arg)
{
	struct table_walk *w = arg;
	(void)s;
	if (s->backend->dialect == STORE_DIALECT_POSTGRESQL)
		return w->fn(w->t, store_column_text(st, 0), store_column_text(st, 1), w->arg);
	char digest[STORE_AUDIT_HASH_LEN + 1];
	char *key = row_key(st, 0, key_len(w->t));
	int r = key ? row_digest(st, (int)key_len(w->t), digest) : -ENOMEM;
	if (r == 0)
		r = w->fn(w->t, key, digest, w->arg);
	free(key);
	return r;
}

static int
walk_table(struct store *s, const struct covered *t, row_digest_fn fn, void *arg)
{
	struct table_walk w = { t, fn, arg };
	char sql[256];
	if (s->backend->dialect == STORE_DIALECT_POSTGRESQL) {
		snprintf(sql, sizeof(sql), "SELECT key, digest FROM khoa_audit_digests('%s')",
			 t->table);
	} else {
		int len = snprintf(sql, sizeof(sql), "SELECT ");
		for (size_t i = 0; i < key_len(t); i++)
			len += snprintf(sql + len, sizeof(sql) - (size_t)len, "%s, ", t->key[i]);
		snprintf(sql + len, sizeof(sql) - (size_t)len, "* FROM %s", t->table);
	}
	struct store_stmt *st = store_prepare(s, sql);
	if (!st)
		return -EIO;
	int r = store_each_row(s, st, walk_row, &w, "audit rows");
	store_finalize(st);
	return r;
}

/* ---- the first record: what was there before the trail ------------------------- */

static int
stage_row(const struct covered *t, const char *key, const char *digest, void *arg)
{
	struct changes *cs = arg;
	struct change *c = changes_add(cs);
	if (!c || !(c->key = strdup(key)))
		return -ENOMEM;
	c->table = t;
	c->op = "insert";
	c->order = (int64_t)cs->n;
	snprintf(c->digest, sizeof(c->digest), "%s", digest);
	return 0;
}

static int
count_records(struct store *s, struct store_stmt *st, void *arg)
{
	(void)s;
	*(int64_t *)arg = store_column_int(st, 0);
	return 0;
}

int
store_audit_start(struct store *s)
{
	struct changes cs = { 0 };
	int64_t records = 0;
	int r;

	/* A registry older than the trail: its rows as they are, sealed by a
	 * first record (audit.sealed), once, whoever starts first. */
	if ((r = store_begin(s)) < 0)
		return r;
	struct store_stmt *st = store_prepare(s, "SELECT count(*) FROM audit_records");
	if ((r = store_lock(s, STORE_LOCK_EVENTS, 0)) < 0)
		goto out;
	r = st ? store_first_row(s, st, count_records, &records, "audit records") : -EIO;
	if (r < 0 || records > 0)
		goto out;
	for (size_t i = 0; r == 0 && i < N_COVERED; i++)
		r = walk_table(s, &covered[i], stage_row, &cs);
	if (r == 0) {
		struct record rec = { .uid = -1, .action = "audit.sealed" };
		r = append_record(s, &rec, &cs);
	}
	if (r == 0) {
		store_finalize(st);
		st = NULL;
		changes_clear(&cs);
		s->audit_mark = INT64_MAX;	/* nothing staged is this one's */
		r = store_commit(s);
		if (r == 0)
			log_info("registry %s: audit trail begun, its rows sealed",
				 s->backend->describe(s->conn));
		return r;
	}
out:
	store_finalize(st);
	changes_clear(&cs);
	store_rollback(s);
	return r;
}

/* ---- verifying ----------------------------------------------------------------- */

/* What the chain says of a row: the last record that changed it. */
struct expected {
	const struct covered *table;
	char *key;
	int64_t seq;
	char digest[STORE_AUDIT_HASH_LEN + 1];	/* "" deleted */
	bool seen;
};

struct problem {
	const char *kind;
	int64_t seq;		/* 0: none */
	const struct covered *table;
	char *key;
	char hash[STORE_AUDIT_HASH_LEN + 1];	/* head_mismatch: the journal's */
};

struct verify {
	struct store *s;
	/* the chain, as read */
	struct record *rec;
	size_t n_rec, cap_rec;
	struct expected *exp;
	size_t n_exp, cap_exp;
	int64_t n_changes_seen;	/* of the record being read */
	struct problem *prob;
	size_t n_prob, cap_prob;
	int64_t rows;
	bool oom;
};

static int
add_problem(struct verify *v, const char *kind, int64_t seq, const struct covered *t,
	    const char *key, const char *hash)
{
	if (v->n_prob == v->cap_prob) {
		size_t cap = v->cap_prob ? 2 * v->cap_prob : 16;
		struct problem *p = realloc(v->prob, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		v->prob = p;
		v->cap_prob = cap;
	}
	struct problem *p = &v->prob[v->n_prob];
	*p = (struct problem){ .kind = kind, .seq = seq, .table = t };
	if (key && !(p->key = strdup(key)))
		return -ENOMEM;
	if (hash)
		snprintf(p->hash, sizeof(p->hash), "%s", hash);
	v->n_prob++;
	return 0;
}

/* The records, oldest first, each with its changes (read in step). */
struct chain_walk {
	struct verify *v;
	struct store_stmt *changes;	/* seq, pos, tbl, key, op, digest by (seq, pos) */
	int changes_state;		/* STORE_ROW: a change is at hand */
	char prev_hash[STORE_AUDIT_HASH_LEN + 1];
	int64_t prev_seq;
};

static int
add_expected(struct verify *v, const struct covered *t, const char *key, int64_t seq,
	     const char *digest)
{
	if (v->n_exp == v->cap_exp) {
		size_t cap = v->cap_exp ? 2 * v->cap_exp : 256;
		struct expected *e = realloc(v->exp, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		v->exp = e;
		v->cap_exp = cap;
	}
	struct expected *e = &v->exp[v->n_exp];
	*e = (struct expected){ .table = t, .seq = seq };
	if (!(e->key = strdup(key)))
		return -ENOMEM;
	snprintf(e->digest, sizeof(e->digest), "%s", digest ? digest : "");
	v->n_exp++;
	return 0;
}

static int
chain_record(struct store *s, struct store_stmt *st, void *arg)
{
	struct chain_walk *w = arg;
	struct verify *v = w->v;
	struct record r = { .seq = store_column_int(st, 0) };
	const char *hash = store_column_text(st, 7);
	int64_t n_changes = store_column_int(st, 5), seen = 0;
	struct digest d;
	char again[STORE_AUDIT_HASH_LEN + 1];
	int e;

	snprintf(r.time, sizeof(r.time), "%s", store_column_text(st, 1));
	r.uid = store_column_null(st, 2) ? -1 : store_column_int(st, 2);
	r.user = store_column_dup(st, 3, &v->oom);
	r.action = store_column_dup(st, 4, &v->oom);
	snprintf(r.prev, sizeof(r.prev), "%s", store_column_text(st, 6));
	snprintf(r.hash, sizeof(r.hash), "%s", hash ? hash : "");
	if (v->oom || !r.action) {
		free(r.user);
		free(r.action);
		return -ENOMEM;
	}
	if (v->n_rec == v->cap_rec) {
		size_t cap = v->cap_rec ? 2 * v->cap_rec : 256;
		struct record *p = realloc(v->rec, cap * sizeof(*p));
		if (!p) {
			free(r.user);
			free(r.action);
			return -ENOMEM;
		}
		v->rec = p;
		v->cap_rec = cap;
	}
	v->rec[v->n_rec++] = r;

	/* Its place in the chain: the one after the last, linked to it. */
	if (r.seq != w->prev_seq + 1 &&
	    (e = add_problem(v, "record_missing", w->prev_seq + 1, NULL, NULL, NULL)) < 0)
		return e;
	else if (r.seq == w->prev_seq + 1 && strcmp(r.prev, w->prev_hash) != 0 &&
		 (e = add_problem(v, "link_broken", r.seq, NULL, NULL, NULL)) < 0)
		return e;
	/* Its own hash, over its changes. */
	if ((e = digest_init(&d)) < 0)
		return e;
	record_hash_begin(&d, &r);
	struct store_stmt *c = w->changes;
	while (w->changes_state == STORE_ROW && store_column_int(c, 0) <= r.seq) {
		if (store_column_int(c, 0) == r.seq) {
			const char *table = store_column_text(c, 2), *key = store_column_text(c, 3);
			const char *digest = store_column_text(c, 5);
			const struct covered *t = covered_table(table);
			record_hash_change(&d, table, key, store_column_text(c, 4), digest);
			seen++;
			if (t && (e = add_expected(v, t, key, r.seq, digest)) < 0) {
				digest_end(&d, again);
				return e;
			}
		}
		w->changes_state = store_step(c);
	}
	digest_end(&d, again);
	if (w->changes_state < 0)
		return store_fail(s, "audit changes");
	if ((strcmp(again, hash ? hash : "") != 0 || seen != n_changes) &&
	    (e = add_problem(v, "record_altered", r.seq, NULL, NULL, NULL)) < 0)
		return e;
	w->prev_seq = r.seq;
	snprintf(w->prev_hash, sizeof(w->prev_hash), "%s", hash ? hash : "");
	return 0;
}

static int
walk_chain(struct verify *v)
{
	struct store *s = v->s;
	struct chain_walk w = { .v = v };
	struct store_stmt *st = store_prepare(s, "SELECT seq, time, actor_uid, actor_user, "
					      "action, changes, prev, hash FROM audit_records "
					      "ORDER BY seq");
	int r = -EIO;

	snprintf(w.prev_hash, sizeof(w.prev_hash), "%s", zero_hash);
	w.changes = store_prepare(s, "SELECT seq, pos, tbl, key, op, digest FROM audit_changes "
				  "ORDER BY seq, pos");
	if (st && w.changes) {
		w.changes_state = store_step(w.changes);
		r = w.changes_state < 0 ? store_fail(s, "audit changes")
					: store_each_row(s, st, chain_record, &w, "audit records");
	}
	/* changes after the last record (or a record deleted with them)
	 * are orphans: the record they belonged to is missing */
	if (r == 0 && w.changes_state == STORE_ROW)
		r = add_problem(v, "record_missing", store_column_int(w.changes, 0), NULL, NULL,
				NULL);
	store_finalize(w.changes);
	store_finalize(st);
	return r;
}

static int
by_expected_row(const void *a, const void *b)
{
	const struct expected *x = a, *y = b;
	int r = strcmp(x->table->table, y->table->table);
	if (!r)
		r = strcmp(x->key, y->key);
	return r ? r : (x->seq > y->seq) - (x->seq < y->seq);
}

/* The last record of each row only. */
static void
last_expected(struct verify *v)
{
	size_t out = 0;
	qsort(v->exp, v->n_exp, sizeof(*v->exp), by_expected_row);
	for (size_t i = 0; i < v->n_exp; i++) {
		if (i + 1 < v->n_exp && v->exp[i + 1].table == v->exp[i].table &&
		    strcmp(v->exp[i + 1].key, v->exp[i].key) == 0) {
			free(v->exp[i].key);
			continue;
		}
		v->exp[out++] = v->exp[i];
	}
	v->n_exp = out;
}

static int
check_row(const struct covered *t, const char *key, const char *digest, void *arg)
{
	struct verify *v = arg;
	struct expected probe = { .table = t, .key = (char *)key, .seq = INT64_MAX };
	v->rows++;
	/* the last entry of the row: the first past (t, key, ∞), one back */
	size_t lo = 0, hi = v->n_exp;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (by_expected_row(&v->exp[mid], &probe) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	struct expected *e = lo > 0 ? &v->exp[lo - 1] : NULL;
	if (!e || e->table != t || strcmp(e->key, key) != 0)
		return add_problem(v, "row_unrecorded", 0, t, key, NULL);
	e->seen = true;
	if (!e->digest[0])
		return add_problem(v, "row_unrecorded", e->seq, t, key, NULL);
	if (strcmp(e->digest, digest ? digest : "") != 0)
		return add_problem(v, "row_changed", e->seq, t, key, NULL);
	return 0;
}

static int
outside_note(struct store *s, struct store_stmt *st, void *arg)
{
	struct verify *v = arg;
	const struct covered *t = covered_table(store_column_text(st, 0));
	(void)s;
	if (!t)
		return 0;
	char *key = row_key(st, 1, key_len(t));
	int r = key ? add_problem(v, "change_outside", 0, t, key, NULL) : -ENOMEM;
	free(key);
	return r;
}

static int
check_rows(struct verify *v)
{
	struct store *s = v->s;
	int r = 0;

	last_expected(v);
	for (size_t i = 0; r == 0 && i < N_COVERED; i++)
		r = walk_table(s, &covered[i], check_row, v);
	for (size_t i = 0; r == 0 && i < v->n_exp; i++)
		if (!v->exp[i].seen && v->exp[i].digest[0])
			r = add_problem(v, "row_deleted", v->exp[i].seq, v->exp[i].table,
					v->exp[i].key, NULL);
	/* Notes no commit of khoad's took out: changes made around it whose
	 * triggers ran (on PostgreSQL, in transactions that committed). */
	struct store_stmt *st = r == 0 ? store_prepare(s, "SELECT tbl, k1, k2, k3 FROM audit_staged "
							 "ORDER BY id") : NULL;
	if (r == 0)
		r = st ? store_each_row(s, st, outside_note, v, "audit notes") : -EIO;
	store_finalize(st);
	return r;
}

static struct record *
record_at(struct verify *v, int64_t seq)
{
	size_t lo = 0, hi = v->n_rec;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v->rec[mid].seq == seq)
			return &v->rec[mid];
		if (v->rec[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The heads the journal kept ([{seq, hash}]) against the records. */
static int
check_heads(struct verify *v, json_object *heads)
{
	for (size_t i = 0; heads && i < json_object_array_length(heads); i++) {
		json_object *h = json_object_array_get_idx(heads, i), *seq, *hash;
		if (!json_object_object_get_ex(h, "seq", &seq) ||
		    !json_object_object_get_ex(h, "hash", &hash))
			continue;
		int64_t n = json_object_get_int64(seq);
		const char *want = json_object_get_string(hash);
		struct record *r = record_at(v, n);
		if (!r || strcasecmp(r->hash, want) != 0) {
			int e = add_problem(v, "head_mismatch", n, NULL, NULL, want);
			if (e < 0)
				return e;
		}
	}
	return 0;
}

static int
by_seq(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	int64_t p = x->seq ? x->seq : INT64_MAX, q = y->seq ? y->seq : INT64_MAX;
	return (p > q) - (p < q);
}

static json_object *
problem_json(struct verify *v, const struct problem *p)
{
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "kind", p->kind);
	if (p->seq)
		jsonb_int(&b, "seq", p->seq);
	if (p->table)
		jsonb_str(&b, "table", p->table->table);
	jsonb_str(&b, "key", p->key);
	if (p->hash[0])
		jsonb_str(&b, "hash", p->hash);
	/* the record it concerns: when, what, who */
	struct record *r = p->seq && strcmp(p->kind, "record_missing") != 0
		? record_at(v, p->seq) : NULL;
	if (r) {
		jsonb_str(&b, "time", r->time);
		jsonb_str(&b, "action", r->action);
		if (r->user)
			jsonb_str(&b, "actor", r->user);
	}
	return jsonb_finish(&b);
}

static void
verify_clear(struct verify *v)
{
	for (size_t i = 0; i < v->n_rec; i++) {
		free(v->rec[i].user);
		free(v->rec[i].action);
	}
	free(v->rec);
	for (size_t i = 0; i < v->n_exp; i++)
		free(v->exp[i].key);
	free(v->exp);
	for (size_t i = 0; i < v->n_prob; i++)
		free(v->prob[i].key);
	free(v->prob);
}

int
store_audit_verify(struct store *s, json_object *heads, json_object **out)
{
	struct verify v = { .s = s };
	char now[21], head[STORE_AUDIT_HASH_LEN + 1] = "";
	int64_t head_seq = 0;
	int r;

	*out = NULL;
	/* One state of the registry from the first read to the last. */
	if (s->backend->begin_read(s->conn) < 0)
		return store_fail(s, "audit snapshot");
	r = walk_chain(&v);
	if (r == 0 && v.n_rec) {
		head_seq = v.rec[v.n_rec - 1].seq;
		snprintf(head, sizeof(head), "%s", v.rec[v.n_rec - 1].hash);
	}
	if (r == 0)
		r = check_heads(&v, heads);
	if (r == 0)
		r = check_rows(&v);
	store_rollback(s);
	if (r < 0) {
		verify_clear(&v);
		return r;
	}
	qsort(v.prob, v.n_prob, sizeof(*v.prob), by_seq);

	struct jsonb b = jsonb_new();
	json_object *problems = json_object_new_array();
	jsonb_bool(&b, "intact", v.n_prob == 0);
	jsonb_int(&b, "records", (int64_t)v.n_rec);
	jsonb_int(&b, "rows", v.rows);
	if (head_seq) {
		struct jsonb h = jsonb_new();
		jsonb_int(&h, "seq", head_seq);
		jsonb_str(&h, "hash", head);
		jsonb_put(&b, "head", jsonb_finish(&h));
	}
	jsonb_put(&b, "problems", problems);
	for (size_t i = 0; b.ok && i < v.n_prob && i < STORE_AUDIT_PROBLEMS; i++)
		jsonb_append(&b, problems, problem_json(&v, &v.prob[i]));
	jsonb_int(&b, "problem_count", (int64_t)v.n_prob);
	store_now(now);
	jsonb_str(&b, "checked_at", now);
	verify_clear(&v);
	return (*out = jsonb_finish(&b)) ? 0 : -ENOMEM;
}

int
store_audit_head(struct store *s, int64_t *seq, char hash[STORE_AUDIT_HASH_LEN + 1])
{
	struct record r = { 0 };
	int e = read_head(s, &r);
	*seq = e == 0 ? r.seq : 0;
	snprintf(hash, STORE_AUDIT_HASH_LEN + 1, "%s", e == 0 && r.seq ? r.prev : "");
	return e;
}

/* ---- the trail, to read ------------------------------------------------------ */

static const struct store_key log_key = { "i", { 0 } };

static int
log_record(struct store *s, struct store_stmt *st, struct store_stmt *aux, json_object **out)
{
	static const char *const change_keys[] = { "table", "key", "op", "digest" };
	struct jsonb b = jsonb_new();
	json_object *changes = NULL;
	int r;

	store_column_json(&b, st, 0, "seq");
	store_column_json(&b, st, 1, "time");
	if (!store_column_null(st, 2)) {
		struct jsonb a = jsonb_new();
		store_column_json(&a, st, 2, "uid");
		store_column_json(&a, st, 3, "user");
		jsonb_put(&b, "actor", jsonb_finish(&a));
	}
	store_column_json(&b, st, 4, "action");
	store_column_json(&b, st, 5, "change_count");
	store_column_json(&b, st, 6, "prev");
	store_column_json(&b, st, 7, "hash");
	store_reset(aux);
	store_bind_int(aux, 1, store_column_int(st, 0));
	if ((r = store_objects_json(s, aux, change_keys, 4, "audit changes", &changes)) < 0) {
		json_object_put(jsonb_finish(&b));
		return r;
	}
	jsonb_put(&b, "changes", changes);
	return (*out = jsonb_finish(&b)) ? 0 : -ENOMEM;
}

#define LOG_SQL(after) \
	"SELECT seq, time, actor_uid, actor_user, action, changes, prev, hash " \
	"FROM audit_records " after "ORDER BY seq DESC LIMIT ?1"

int
store_audit_log(struct store *s, struct store_page *page, json_object **out)
{
	json_object *after;
	int r;

	*out = NULL;
	if ((r = store_page_after(page, &log_key, &after)) < 0)
		return r;
	struct store_stmt *st = store_prepare(s, after ? LOG_SQL("WHERE seq < ?2 ") : LOG_SQL(""));
	/* the changes of a record: at most a page of them (the first record
	 * of an old registry seals every row) */
	struct store_stmt *aux = store_prepare(s, "SELECT tbl, key, op, digest FROM audit_changes "
					       "WHERE seq = ?1 ORDER BY pos LIMIT 100");
	r = -EIO;
	if (st && aux) {
		store_bind_page(st, page, 1, after, 2);
		r = store_rows_page(s, st, aux, log_record, &log_key, page, "audit trail", out);
	}
	store_finalize(aux);
	store_finalize(st);
	json_object_put(after);
	return r;
}
