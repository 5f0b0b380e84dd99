/*
 * The audit trail verified (store-audit.h): in one read snapshot, the
 * chain walked record by record, then each covered table beside the last
 * digest the chain gives each of its rows, both in the order of their keys
 * (a merge, in the memory of a batch: a province's million rows do not
 * fit khoad's MemoryMax).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonb.h"
#include "store-audit-private.h"

/* The problems kept to sort and show: the first broken links (smallest
 * seq) of however many were found. */
#define PROBLEMS_KEPT 1000

struct problem {
	const char *kind;
	int64_t seq;		/* 0: none */
	const char *table;	/* a covered table's name (static), or NULL */
	char *key;
	char hash[STORE_AUDIT_HASH_LEN + 1];	/* head_mismatch: the journal's */
};

struct head {
	int64_t seq;
	const char *hash;
	bool seen;
};

struct verify {
	struct store *s;
	struct problem prob[PROBLEMS_KEPT];
	size_t n_prob;
	int64_t problems, records, rows;
	struct head *heads;
	size_t n_heads;
	int64_t head_seq;
	char head_hash[STORE_AUDIT_HASH_LEN + 1];
};

static int64_t
rank(int64_t seq)
{
	return seq ? seq : INT64_MAX;
}

static int
add_problem(struct verify *v, const char *kind, int64_t seq, const char *table,
	    const char *key, const char *hash)
{
	size_t at = v->n_prob;
	v->problems++;
	if (at == PROBLEMS_KEPT) {
		/* full: this one in place of the latest kept, if it is earlier */
		size_t worst = 0;
		for (size_t i = 1; i < PROBLEMS_KEPT; i++)
			if (rank(v->prob[i].seq) > rank(v->prob[worst].seq))
				worst = i;
		if (rank(seq) >= rank(v->prob[worst].seq))
			return 0;
		free(v->prob[worst].key);
		at = worst;
	} else {
		v->n_prob++;
	}
	struct problem *p = &v->prob[at];
	*p = (struct problem){ .kind = kind, .seq = seq, .table = table };
	if (key && !(p->key = strdup(key))) {
		if (at == v->n_prob - 1 && v->n_prob <= PROBLEMS_KEPT)
			v->n_prob--;
		return -ENOMEM;
	}
	if (hash)
		snprintf(p->hash, sizeof(p->hash), "%s", hash);
	return 0;
}

/* ---- the chain ------------------------------------------------------------------ */

static struct head *
head_at(struct verify *v, int64_t seq)
{
	size_t lo = 0, hi = v->n_heads;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v->heads[mid].seq == seq)
			return &v->heads[mid];
		if (v->heads[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Record Q is at (seq, time, actor_uid, actor_user, action, changes,
 * prev, hash), its changes from C on (seq, tbl, key, op, digest). */
static int
chain_record(struct verify *v, struct audit_stream *q, struct audit_stream *c,
	     int64_t *prev_seq, char prev_hash[STORE_AUDIT_HASH_LEN + 1])
{
	struct store_stmt *st = q->st;
	struct audit_record r = {
		.seq = store_column_int(st, 0),
		.uid = store_column_null(st, 2) ? -1 : store_column_int(st, 2),
		.user = store_column_text(st, 3),
		.action = store_column_text(st, 4),
	};
	const char *hash = store_column_text(st, 7) ? store_column_text(st, 7) : "";
	int64_t n_changes = store_column_int(st, 5), seen = 0;
	struct audit_digest d;
	char again[STORE_AUDIT_HASH_LEN + 1];
	int e = 0;

	snprintf(r.time, sizeof(r.time), "%s", store_column_text(st, 1));
	snprintf(r.prev, sizeof(r.prev), "%s", store_column_text(st, 6));
	v->records++;
	/* its place: the one after the last, linked to it */
	if (r.seq != *prev_seq + 1)
		e = add_problem(v, "record_missing", *prev_seq + 1, NULL, NULL, NULL);
	else if (strcmp(r.prev, prev_hash) != 0)
		e = add_problem(v, "link_broken", r.seq, NULL, NULL, NULL);
	if (e < 0 || (e = audit_digest_init(&d)) < 0)
		return e;
	/* its own hash, over its changes (those of a missing record before
	 * it are passed over: its gap is named) */
	audit_hash_record(&d, &r);
	while (c->state == STORE_ROW && store_column_int(c->st, 0) <= r.seq) {
		if (store_column_int(c->st, 0) == r.seq) {
			audit_hash_change(&d, store_column_text(c->st, 1), store_column_text(c->st, 2),
					  store_column_text(c->st, 3), store_column_text(c->st, 4));
			seen++;
		}
		audit_stream_next(c);
	}
	audit_digest_end(&d, again);
	if (c->state < 0)
		return c->state;
	if ((strcmp(again, hash) != 0 || seen != n_changes) &&
	    (e = add_problem(v, "record_altered", r.seq, NULL, NULL, NULL)) < 0)
		return e;
	/* what the journal saw of it */
	struct head *h = head_at(v, r.seq);
	if (h) {
		h->seen = true;
		if (strcasecmp(h->hash, hash) != 0 &&
		    (e = add_problem(v, "head_mismatch", r.seq, NULL, NULL, h->hash)) < 0)
			return e;
	}
	*prev_seq = r.seq;
	snprintf(prev_hash, STORE_AUDIT_HASH_LEN + 1, "%s", hash);
	return 0;
}

static int
walk_chain(struct verify *v)
{
	struct audit_stream q, c;
	char prev_hash[STORE_AUDIT_HASH_LEN + 1];
	int64_t prev_seq = 0;
	int r;

	snprintf(prev_hash, sizeof(prev_hash), "%s", audit_zero_hash);
	audit_stream_open(&c, v->s, "khoa_audit_changes", "SELECT seq, tbl, key, op, digest "
			  "FROM audit_changes ORDER BY seq, pos");
	bool opened = c.state >= 0;
	r = !opened ? c.state : audit_stream_open(&q, v->s, "khoa_audit_records",
		"SELECT seq, time, actor_uid, actor_user, action, changes, prev, hash "
		"FROM audit_records ORDER BY seq");
	for (; r == STORE_ROW; r = audit_stream_next(&q))
		if ((r = chain_record(v, &q, &c, &prev_seq, prev_hash)) < 0)
			break;
	if (opened)
		audit_stream_close(&q);
	/* changes after the last record: that record is missing */
	if (r == 0 && c.state == STORE_ROW)
		r = add_problem(v, "record_missing", store_column_int(c.st, 0), NULL, NULL, NULL);
	audit_stream_close(&c);
	for (size_t i = 0; r == 0 && i < v->n_heads; i++)
		if (!v->heads[i].seen)
			r = add_problem(v, "head_mismatch", v->heads[i].seq, NULL, NULL,
					v->heads[i].hash);
	v->head_seq = prev_seq;
	snprintf(v->head_hash, sizeof(v->head_hash), "%s", prev_seq ? prev_hash : "");
	return r < 0 ? r : 0;
}

/* ---- the rows ----------------------------------------------------------------- */

/* What the chain last sealed of each row of a table, a row at a time:
 * its changes by key and seq (the index's order), the last of each key. */
struct sealed {
	struct audit_stream q;
	char *key;		/* NULL: no more */
	int64_t seq;
	char digest[STORE_AUDIT_HASH_LEN + 1];	/* "": its deletion */
};

static int
sealed_next(struct sealed *w)
{
	free(w->key);
	w->key = NULL;
	if (w->q.state != STORE_ROW)
		return w->q.state < 0 ? w->q.state : 0;
	if (!(w->key = store_column_dup(w->q.st, 0, NULL)))
		return -ENOMEM;
	for (;;) {
		const char *digest = store_column_text(w->q.st, 2);
		w->seq = store_column_int(w->q.st, 1);
		snprintf(w->digest, sizeof(w->digest), "%s", digest ? digest : "");
		int r = audit_stream_next(&w->q);
		if (r < 0)
			return r;
		if (r != STORE_ROW || strcmp(store_column_text(w->q.st, 0), w->key) != 0)
			return 0;
	}
}

/* Table T beside what the chain last sealed of each of its rows, both in
 * the order of their keys. */
static int
check_table(struct verify *v, const struct audit_table *t)
{
	struct store *s = v->s;
	struct sealed want = { 0 };
	struct audit_stream have;
	char sql[AUDIT_SQL_MAX], *key = NULL, digest[STORE_AUDIT_HASH_LEN + 1];
	int r;

	snprintf(sql, sizeof(sql), "SELECT key, seq, digest FROM audit_changes WHERE tbl = '%s' "
		 "ORDER BY key, seq", t->name);
	if ((r = audit_stream_open(&want.q, s, "khoa_audit_want", sql)) < 0)
		return r;
	audit_rows_sql(s, t, sql);
	if ((r = audit_stream_open(&have, s, "khoa_audit_have", sql)) < 0) {
		audit_stream_close(&want.q);
		return r;
	}
	if ((r = sealed_next(&want)) == 0 && have.state == STORE_ROW)
		r = audit_rows_row(s, t, have.st, &key, digest);
	while (r >= 0 && (want.key || key)) {
		int cmp = !want.key ? 1 : !key ? -1 : strcmp(want.key, key);

		if (cmp < 0 && want.digest[0])		/* sealed, and not there */
			r = add_problem(v, "row_deleted", want.seq, t->name, want.key, NULL);
		else if (cmp > 0)			/* there, and sealed by none */
			r = add_problem(v, "row_unrecorded", 0, t->name, key, NULL);
		else if (cmp == 0 && !want.digest[0])	/* its deletion sealed, and back */
			r = add_problem(v, "row_unrecorded", want.seq, t->name, key, NULL);
		else if (cmp == 0 && strcmp(want.digest, digest) != 0)
			r = add_problem(v, "row_changed", want.seq, t->name, key, NULL);
		if (r < 0)
			break;
		if (cmp <= 0 && (r = sealed_next(&want)) < 0)
			break;
		if (cmp >= 0) {
			v->rows++;
			free(key);
			key = NULL;
			if ((r = audit_stream_next(&have)) == STORE_ROW)
				r = audit_rows_row(s, t, have.st, &key, digest);
		}
	}
	free(key);
	free(want.key);
	audit_stream_close(&have);
	audit_stream_close(&want.q);
	return r < 0 ? r : 0;
}

/* Notes no commit of khoad's took out: changes made around it whose
 * triggers ran (on PostgreSQL, in transactions that committed). */
static int
outside_notes(struct verify *v)
{
	struct audit_stream q;
	int r;
	for (r = audit_stream_open(&q, v->s, "khoa_audit_outside",
				   "SELECT tbl, k1, k2, k3 FROM audit_staged ORDER BY id");
	     r == STORE_ROW; r = audit_stream_next(&q)) {
		const struct audit_table *t = audit_table(store_column_text(q.st, 0));
		if (!t)
			continue;
		char *key = audit_row_key(q.st, 1, audit_key_len(t));
		r = key ? add_problem(v, "change_outside", 0, t->name, key, NULL) : -ENOMEM;
		free(key);
		if (r < 0)
			break;
	}
	audit_stream_close(&q);
	return r < 0 ? r : 0;
}

/* ---- the answer ------------------------------------------------------------------ */

static int
by_seq(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	int64_t p = rank(x->seq), q = rank(y->seq);
	return (p > q) - (p < q);
}

static int
record_fields(struct store *s, struct store_stmt *st, void *arg)
{
	struct jsonb *b = arg;
	(void)s;
	store_column_json(b, st, 0, "time");
	store_column_json(b, st, 1, "action");
	store_column_json(b, st, 2, "actor");
	return 0;
}

static json_object *
problem_json(struct verify *v, struct store_stmt *rec, const struct problem *p)
{
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "kind", p->kind);
	if (p->seq)
		jsonb_int(&b, "seq", p->seq);
	jsonb_str(&b, "table", p->table);
	jsonb_str(&b, "key", p->key);
	if (p->hash[0])
		jsonb_str(&b, "hash", p->hash);
	/* the record it concerns: when, what, who */
	if (rec && p->seq && strcmp(p->kind, "record_missing") != 0) {
		store_reset(rec);
		store_bind_int(rec, 1, p->seq);
		store_first_row(v->s, rec, record_fields, &b, "audit record");
	}
	return jsonb_finish(&b);
}

static int
by_head_seq(const void *a, const void *b)
{
	const struct head *x = a, *y = b;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* HEADS ([{seq, hash}], checked by the caller) sorted by seq. */
static int
read_heads(struct verify *v, json_object *heads)
{
	size_t n = heads ? json_object_array_length(heads) : 0;
	if (n == 0)
		return 0;
	if (!(v->heads = calloc(n, sizeof(*v->heads))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *h = json_object_array_get_idx(heads, i), *seq, *hash;
		if (!json_object_object_get_ex(h, "seq", &seq) ||
		    !json_object_object_get_ex(h, "hash", &hash))
			continue;
		v->heads[v->n_heads++] = (struct head){ json_object_get_int64(seq),
							json_object_get_string(hash), false };
	}
	qsort(v->heads, v->n_heads, sizeof(*v->heads), by_head_seq);
	return 0;
}

static json_object *
answer(struct verify *v)
{
	struct jsonb b = jsonb_new();
	json_object *problems = json_object_new_array();
	struct store_stmt *rec = store_prepare(v->s, "SELECT time, action, actor_user "
					       "FROM audit_records WHERE seq = ?1");
	char now[21];

	qsort(v->prob, v->n_prob, sizeof(*v->prob), by_seq);
	jsonb_bool(&b, "intact", v->problems == 0);
	jsonb_int(&b, "records", v->records);
	jsonb_int(&b, "rows", v->rows);
	if (v->head_seq) {
		struct jsonb h = jsonb_new();
		jsonb_int(&h, "seq", v->head_seq);
		jsonb_str(&h, "hash", v->head_hash);
		jsonb_put(&b, "head", jsonb_finish(&h));
	}
	jsonb_put(&b, "problems", problems);
	for (size_t i = 0; b.ok && i < v->n_prob && i < STORE_AUDIT_PROBLEMS; i++)
		jsonb_append(&b, problems, problem_json(v, rec, &v->prob[i]));
	jsonb_int(&b, "problem_count", v->problems);
	store_now(now);
	jsonb_str(&b, "checked_at", now);
	store_finalize(rec);
	return jsonb_finish(&b);
}

int
store_audit_verify(struct store *s, json_object *heads, json_object **out)
{
	struct verify *v = calloc(1, sizeof(*v));
	int r;

	*out = NULL;
	if (!v)
		return -ENOMEM;
	v->s = s;
	/* One state of the registry from the first read to the last. */
	if ((r = read_heads(v, heads)) == 0 && s->backend->begin_read(s->conn) < 0)
		r = store_fail(s, "audit snapshot");
	else if (r == 0) {
		r = walk_chain(v);
		for (size_t i = 0; r == 0 && i < audit_n_tables; i++)
			r = check_table(v, &audit_tables[i]);
		if (r == 0)
			r = outside_notes(v);
		if (r == 0 && !(*out = answer(v)))
			r = -ENOMEM;
		store_rollback(s);
	}
	for (size_t i = 0; i < v->n_prob; i++)
		free(v->prob[i].key);
	free(v->heads);
	free(v);
	return r;
}
