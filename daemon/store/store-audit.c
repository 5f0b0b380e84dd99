/* The audit trail sealed and read: store-audit.h; verified:
 * store-audit-verify.c; what both share: store-audit-shared.c; the
 * triggers that note the rows a transaction changes:
 * migrations/0016-audit.sql. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonb.h"
#include "log.h"
#include "store-audit-private.h"

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
first_int(struct store *s, struct store_stmt *st, void *arg)
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
	int r = st ? store_first_row(s, st, first_int, &s->audit_mark, "audit mark") : -EIO;
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

/* A row the transaction changed. */
struct change {
	const struct audit_table *table;
	char *key;
	const char *op;		/* "insert", "update", "delete" */
	char digest[STORE_AUDIT_HASH_LEN + 1];	/* "" once deleted */
	int64_t order;		/* its first note's id: the order of changes */
	/* the key's values as the table has them (SQLite's digest reads the
	 * row by them) */
	enum store_type type[AUDIT_KEY_MAX];
	int64_t num[AUDIT_KEY_MAX];
	char *text[AUDIT_KEY_MAX];
};

struct changes {
	struct change *v;
	size_t n, cap;
};

static void
change_clear(struct change *c)
{
	free(c->key);
	for (size_t i = 0; i < AUDIT_KEY_MAX; i++)
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
	const struct audit_table *t = audit_table(store_column_text(st, 1));
	(void)s;
	if (!t)
		return 0;	/* a table 0016 does not cover: not ours */
	struct change *c = changes_add(cs);
	if (!c || !(c->key = audit_row_key(st, 4, audit_key_len(t))))
		return -ENOMEM;
	c->table = t;
	c->order = store_column_int(st, 0);
	c->op = strcmp(store_column_text(st, 2), "insert") == 0 ? "insert"
		: strcmp(store_column_text(st, 2), "delete") == 0 ? "delete" : "update";
	snprintf(c->digest, sizeof(c->digest), "%s", store_column_text(st, 3)
		 ? store_column_text(st, 3) : "");
	for (size_t i = 0; i < audit_key_len(t); i++) {
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
	int r = strcmp(x->table->name, y->table->name);
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
		if (strcmp(merged.op, "delete") != 0)
			merged.op = strcmp(cs->v[i].op, "insert") == 0 ? "insert" : "update";
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
	return audit_row_digest(st, 0, arg);
}

/* SQLite: the digest of the row as committed, read by its key ("" and a
 * deletion when it is gone). */
static int
digest_now(struct store *s, struct change *c)
{
	char sql[256];
	int len = snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE ", c->table->name);
	size_t n = audit_key_len(c->table);
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
	struct audit_record *r = arg;
	(void)s;
	r->seq = store_column_int(st, 0);
	snprintf(r->prev, sizeof(r->prev), "%s", store_column_text(st, 1));
	return 0;
}

/* The newest record's seq and hash, in R's seq and prev. */
static int
read_head(struct store *s, struct audit_record *r)
{
	struct store_stmt *st = store_prepare(s, "SELECT seq, hash FROM audit_records "
					      "ORDER BY seq DESC LIMIT 1");
	if (!st)
		return -EIO;
	int e = store_first_row(s, st, head_row, r, "audit head");
	store_finalize(st);
	if (e == -ENOENT) {
		r->seq = 0;
		snprintf(r->prev, sizeof(r->prev), "%s", audit_zero_hash);
		e = 0;
	}
	return e;
}

/*
 * A record being appended: R's fields are set by record_open() (seq and
 * prev from the head, under the events' lock: one writer of the chain at
 * a time, in commit order, PostgreSQL's other workstations included),
 * each change by record_change(), the record itself by record_close().
 */
struct appending {
	struct audit_record r;
	struct audit_digest d;
	struct store_stmt *insert;
	int64_t n;
};

static int
record_open(struct store *s, struct appending *a)
{
	char now[21];
	int e;
	if ((e = store_lock(s, STORE_LOCK_EVENTS, 0)) < 0 || (e = read_head(s, &a->r)) < 0)
		return e;
	a->r.seq++;
	store_now(now);
	snprintf(a->r.time, sizeof(a->r.time), "%s", now);
	if ((e = audit_digest_init(&a->d)) < 0)
		return e;
	audit_hash_record(&a->d, &a->r);
	a->insert = store_prepare(s, "INSERT INTO audit_changes (seq, pos, tbl, key, op, digest) "
				  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	return a->insert ? 0 : -EIO;
}

static int
record_change(struct store *s, struct appending *a, const char *table, const char *key,
	      const char *op, const char *digest)
{
	audit_hash_change(&a->d, table, key, op, digest && *digest ? digest : NULL);
	store_reset(a->insert);
	store_bind_int(a->insert, 1, a->r.seq);
	store_bind_int(a->insert, 2, ++a->n);
	store_bind_text(a->insert, 3, table);
	store_bind_text(a->insert, 4, key);
	store_bind_text(a->insert, 5, op);
	store_bind_text(a->insert, 6, digest && *digest ? digest : NULL);
	return store_step_done(s, a->insert, "audit change");
}

static int
record_close(struct store *s, struct appending *a, int r)
{
	char hash[STORE_AUDIT_HASH_LEN + 1];
	store_finalize(a->insert);
	a->insert = NULL;
	if (!a->d.ctx)
		return r;
	audit_digest_end(&a->d, hash);
	if (r < 0)
		return r;
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO audit_records (seq, time, actor_uid, actor_user, action, changes, "
		"prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!st)
		return -EIO;
	store_bind_int(st, 1, a->r.seq);
	store_bind_text(st, 2, a->r.time);
	if (a->r.uid >= 0) {
		store_bind_int(st, 3, a->r.uid);
		store_bind_text(st, 4, a->r.user);
	} else {
		store_bind_null(st, 3, STORE_INT);
		store_bind_null(st, 4, STORE_TEXT);
	}
	store_bind_text(st, 5, a->r.action);
	store_bind_int(st, 6, a->n);
	store_bind_text(st, 7, a->r.prev);
	store_bind_text(st, 8, hash);
	r = store_step_done(s, st, "audit record");
	store_finalize(st);
	return r;
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
		struct appending a = { .r = {
			.uid = s->audit_uid,
			.user = s->audit_uid >= 0 ? s->audit_user : NULL,
			.action = s->audit_action[0] ? s->audit_action : "change",
		} };
		r = record_open(s, &a);
		for (size_t i = 0; r == 0 && i < cs.n; i++)
			r = record_change(s, &a, cs.v[i].table->name, cs.v[i].key, cs.v[i].op,
					  cs.v[i].digest);
		r = record_close(s, &a, r);
	}
out:
	changes_clear(&cs);
	return r;
}

/* ---- the first record: what was there before the trail ------------------------- */

/* Every covered row, as it is, into the record A (read a batch at a time:
 * a province's million events). */
static int
seal_rows(struct store *s, struct appending *a)
{
	int r = 0;
	for (size_t i = 0; r == 0 && i < audit_n_tables; i++) {
		const struct audit_table *t = &audit_tables[i];
		struct audit_stream q;
		char sql[AUDIT_SQL_MAX];
		audit_rows_sql(s, t, sql);
		for (r = audit_stream_open(&q, s, "khoa_audit_seal", sql); r == STORE_ROW;
		     r = audit_stream_next(&q)) {
			char *key, digest[STORE_AUDIT_HASH_LEN + 1];
			if ((r = audit_rows_row(s, t, q.st, &key, digest)) == 0)
				r = record_change(s, a, t->name, key, "insert", digest);
			free(key);
			if (r < 0)
				break;
		}
		audit_stream_close(&q);
	}
	return r;
}

/* The same on PostgreSQL, where the digests are the server's: the changes
 * written there, a table a statement (a row a round trip would be minutes
 * for a province, and khoad must be ready within systemd's start timeout),
 * then read back in order for the record's hash. */
static int
seal_rows_server(struct store *s, struct appending *a)
{
	char sql[AUDIT_SQL_MAX];
	/* once, as a migration: not held to the statement_timeout of calls */
	int r = s->backend->exec(s->conn, "SET LOCAL statement_timeout = 0") < 0
		? store_fail(s, "audit first record") : 0;
	for (size_t i = 0; r == 0 && i < audit_n_tables; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO audit_changes (seq, pos, tbl, key, op, digest) "
			 "SELECT ?1, ?2 + row_number() OVER (), '%s', key, 'insert', digest "
			 "FROM khoa_audit_digests('%s')", audit_tables[i].name, audit_tables[i].name);
		struct store_stmt *st = store_prepare(s, sql);
		if (!st)
			return -EIO;
		store_bind_int(st, 1, a->r.seq);
		store_bind_int(st, 2, a->n);
		if ((r = store_step_done(s, st, "audit first record")) == 0)
			a->n += store_changes(s);
		store_finalize(st);
	}
	struct audit_stream q = { 0 };
	bool opened = r == 0;
	snprintf(sql, sizeof(sql), "SELECT tbl, key, op, digest FROM audit_changes "
		 "WHERE seq = %" PRId64 " ORDER BY pos", a->r.seq);
	if (opened)
		r = audit_stream_open(&q, s, "khoa_audit_seal", sql);
	for (; r == STORE_ROW; r = audit_stream_next(&q))
		audit_hash_change(&a->d, store_column_text(q.st, 0), store_column_text(q.st, 1),
				  store_column_text(q.st, 2), store_column_text(q.st, 3));
	if (opened)
		audit_stream_close(&q);
	return r;
}

int
store_audit_start(struct store *s)
{
	int64_t records = 0;
	int r;

	/* A registry older than the trail: its rows as they are, sealed by a
	 * first record (audit.sealed), once, whoever starts first. */
	if ((r = store_begin(s)) < 0)
		return r;
	struct store_stmt *st = store_prepare(s, "SELECT count(*) FROM audit_records");
	if ((r = store_lock(s, STORE_LOCK_EVENTS, 0)) == 0)
		r = st ? store_first_row(s, st, first_int, &records, "audit records") : -EIO;
	store_finalize(st);
	if (r == 0 && records == 0) {
		struct appending a = { .r = { .uid = -1, .action = "audit.sealed" } };
		if ((r = record_open(s, &a)) == 0)
			r = s->backend->dialect == STORE_DIALECT_POSTGRESQL ? seal_rows_server(s, &a)
									    : seal_rows(s, &a);
		r = record_close(s, &a, r);
		s->audit_mark = INT64_MAX;	/* nothing staged is this one's */
		if (r == 0 && (r = store_commit(s)) == 0)
			log_info("registry %s: audit trail begun, its %" PRId64 " rows sealed",
				 s->backend->describe(s->conn), a.n);
		if (r == 0)
			return 0;
	}
	store_rollback(s);
	return r;
}

int
store_audit_head(struct store *s, int64_t *seq, char hash[STORE_AUDIT_HASH_LEN + 1])
{
	struct audit_record r = { 0 };
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
