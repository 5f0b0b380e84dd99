/* What the audit trail's sealing (store-audit.c) and verifying
 * (store-audit-verify.c) share: the covered tables, the digests of rows and
 * the hash of a record, long queries a batch at a time
 * (internal/store-audit-private.h). */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-audit-private.h"

/* The tables the trail covers, with their keys: those 0016 (and a later
 * migration, for a table of its own) puts triggers on. Not covered: what
 * triggers derive from them (held_certificates, org_parents), the
 * sightings of tokens and the workstations (presence, not record), the
 * import's map, and who may use a shared registry (registry_roles, the
 * province's administrators' own). */
const struct audit_table audit_tables[] = {
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
	{ "annual_report_filings", { "year", "scope" } },	/* 0017 */
	{ "token_states", { "token_serial" } },			/* 0018 */
	{ "revocations_due", { "certificate_serial" } },	/* 0019 */
	{ "return_notices", { "request_id" } },			/* 0019 */
	{ "person_details", { "person_id" } },			/* 0020 */
	{ "organization_details", { "organization_id" } },	/* 0020 */
	{ "events", { "id" } },
};
const size_t audit_n_tables = sizeof(audit_tables) / sizeof(audit_tables[0]);

const char audit_zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

const struct audit_table *
audit_table(const char *name)
{
	for (size_t i = 0; name && i < audit_n_tables; i++)
		if (strcmp(audit_tables[i].name, name) == 0)
			return &audit_tables[i];
	return NULL;
}

size_t
audit_key_len(const struct audit_table *t)
{
	size_t n = 0;
	while (n < AUDIT_KEY_MAX && t->key[n])
		n++;
	return n;
}

/* ---- digests ------------------------------------------------------------------ */

static EVP_MD *sha256;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void
fetch_sha256(void)
{
	sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

int
audit_digest_init(struct audit_digest *d)
{
	/* fetched once (by whichever thread is first): OpenSSL 3 looks an
	 * algorithm up at each init given EVP_sha256(), a tenth of a
	 * verification's time */
	pthread_once(&sha256_once, fetch_sha256);
	if (!sha256)
		return -ENOMEM;
	d->ctx = EVP_MD_CTX_new();
	if (!d->ctx || EVP_DigestInit_ex(d->ctx, sha256, NULL) != 1) {
		EVP_MD_CTX_free(d->ctx);
		d->ctx = NULL;
		return -ENOMEM;
	}
	return 0;
}

void
audit_digest_add(struct audit_digest *d, const char *text, size_t len)
{
	EVP_DigestUpdate(d->ctx, text, len);
}

void
audit_digest_str(struct audit_digest *d, const char *text)
{
	if (text)
		audit_digest_add(d, text, strlen(text));
	audit_digest_add(d, "\n", 1);
}

void
audit_digest_int(struct audit_digest *d, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	audit_digest_str(d, buf);
}

void
audit_digest_end(struct audit_digest *d, char out[STORE_AUDIT_HASH_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(d->ctx, md, &len);
	EVP_MD_CTX_free(d->ctx);
	d->ctx = NULL;
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 0xf];
	}
	out[64] = '\0';
}

/* "I<n>\n", "T<len>:" without printf (a verification's rows by the million). */
static size_t
tagged(char *buf, char tag, uint64_t n, bool negative, char end)
{
	char digits[24];
	size_t k = 0, len = 0;
	do
		digits[k++] = (char)('0' + n % 10);
	while ((n /= 10));
	buf[len++] = tag;
	if (negative)
		buf[len++] = '-';
	while (k)
		buf[len++] = digits[--k];
	buf[len++] = end;
	return len;
}

int
audit_row_digest(struct store_stmt *st, int first, char out[STORE_AUDIT_HASH_LEN + 1])
{
	struct audit_digest d;
	if (audit_digest_init(&d) < 0)
		return -ENOMEM;
	int n = st->backend->column_count(st);
	for (int i = first; i < n; i++) {
		char head[32];
		const char *text;
		int64_t v;
		size_t len;
		switch (store_column_type(st, i)) {
		case STORE_NULL:
			audit_digest_add(&d, "N\n", 2);
			continue;
		case STORE_INT:
			v = store_column_int(st, i);
			audit_digest_add(&d, head, tagged(head, 'I', v < 0 ? 0 - (uint64_t)v
							   : (uint64_t)v, v < 0, '\n'));
			continue;
		case STORE_TEXT:
			text = store_column_text(st, i);
			len = strlen(text);
			audit_digest_add(&d, head, tagged(head, 'T', len, false, ':'));
			audit_digest_add(&d, text, len);
			audit_digest_add(&d, "\n", 1);
			continue;
		}
	}
	audit_digest_end(&d, out);
	return 0;
}

char *
audit_row_key(struct store_stmt *st, int first, size_t n)
{
	const char *part[AUDIT_KEY_MAX];
	size_t len = 0;
	for (size_t i = 0; i < n && i < AUDIT_KEY_MAX; i++) {
		part[i] = store_column_text(st, first + (int)i);
		if (!part[i])
			part[i] = "";
		len += strlen(part[i]) + 1;
	}
	char *key = malloc(len ? len : 1), *p = key;
	if (!key)
		return NULL;
	*p = '\0';
	for (size_t i = 0; i < n && i < AUDIT_KEY_MAX; i++) {
		size_t l = strlen(part[i]);
		if (i)
			*p++ = '/';
		memcpy(p, part[i], l + 1);
		p += l;
	}
	return key;
}

void
audit_rows_sql(struct store *s, const struct audit_table *t, char sql[AUDIT_SQL_MAX])
{
	if (s->backend->dialect == STORE_DIALECT_POSTGRESQL) {
		snprintf(sql, AUDIT_SQL_MAX, "SELECT key, digest FROM khoa_audit_digests('%s') "
			 "ORDER BY key COLLATE \"C\"", t->name);
		return;
	}
	/* the key as text first, the row's own columns after it */
	int len = snprintf(sql, AUDIT_SQL_MAX, "SELECT ");
	for (size_t i = 0; i < audit_key_len(t); i++)
		len += snprintf(sql + len, AUDIT_SQL_MAX - (size_t)len, "%sCAST(%s AS TEXT)",
				i ? " || '/' || " : "", t->key[i]);
	snprintf(sql + len, AUDIT_SQL_MAX - (size_t)len, ", * FROM %s ORDER BY 1", t->name);
}

int
audit_rows_row(struct store *s, const struct audit_table *t, struct store_stmt *st,
	       char **key, char digest[STORE_AUDIT_HASH_LEN + 1])
{
	(void)t;
	if (!(*key = store_column_dup(st, 0, NULL)))
		return -ENOMEM;
	if (s->backend->dialect == STORE_DIALECT_POSTGRESQL) {
		snprintf(digest, STORE_AUDIT_HASH_LEN + 1, "%s", store_column_text(st, 1));
		return 0;
	}
	return audit_row_digest(st, 1, digest);
}

/* ---- long queries ---------------------------------------------------------------- */

#define AUDIT_BATCH 5000

int
audit_stream_open(struct audit_stream *q, struct store *s, const char *name, const char *sql)
{
	*q = (struct audit_stream){ .s = s, .name = name,
				    .cursor = s->backend->dialect == STORE_DIALECT_POSTGRESQL };
	if (q->cursor) {
		char *declare = NULL, fetch[96];
		if (asprintf(&declare, "DECLARE %s NO SCROLL CURSOR FOR %s", name, sql) < 0)
			return q->state = -ENOMEM;
		int r = s->backend->exec(s->conn, declare);
		free(declare);
		if (r < 0)
			return q->state = store_fail(s, name);
		snprintf(fetch, sizeof(fetch), "FETCH %d FROM %s", AUDIT_BATCH, name);
		q->st = store_prepare(s, fetch);
	} else {
		q->st = store_prepare(s, sql);
	}
	if (!q->st)
		return q->state = -EIO;
	return audit_stream_next(q);
}

int
audit_stream_next(struct audit_stream *q)
{
	if (q->state < 0)
		return q->state;
	q->state = store_step(q->st);
	if (q->state == STORE_DONE && q->cursor && q->in_batch == AUDIT_BATCH) {
		q->in_batch = 0;	/* the next batch */
		store_reset(q->st);
		q->state = store_step(q->st);
	}
	if (q->state == STORE_ROW)
		q->in_batch++;
	else if (q->state < 0)
		q->state = store_fail(q->s, q->name);
	return q->state;
}

void
audit_stream_close(struct audit_stream *q)
{
	store_finalize(q->st);
	q->st = NULL;
	if (q->cursor && q->state != -ENOMEM) {
		char close[64];
		snprintf(close, sizeof(close), "CLOSE %s", q->name);
		q->s->backend->exec(q->s->conn, close);
	}
}

void
audit_hash_record(struct audit_digest *d, const struct audit_record *r)
{
	audit_digest_str(d, "khoa audit 1");
	audit_digest_int(d, r->seq);
	audit_digest_str(d, r->prev);
	audit_digest_str(d, r->time);
	if (r->uid >= 0)
		audit_digest_int(d, r->uid);
	else
		audit_digest_str(d, "");
	audit_digest_str(d, r->user);
	audit_digest_str(d, r->action);
}

void
audit_hash_change(struct audit_digest *d, const char *table, const char *key, const char *op,
		  const char *digest)
{
	audit_digest_add(d, table, strlen(table));
	audit_digest_add(d, "\t", 1);
	audit_digest_add(d, key, strlen(key));
	audit_digest_add(d, "\t", 1);
	audit_digest_add(d, op, strlen(op));
	audit_digest_add(d, "\t", 1);
	audit_digest_str(d, digest);
}
