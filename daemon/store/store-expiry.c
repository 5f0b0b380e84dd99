/* Certificates coming to the end of their validity, and the expiry
 * warnings already raised (migration 0004). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store-expiry.h"
#include "store-private.h"

void
store_cert_expiry_free(struct cert_expiry *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].serial);
		free(v[i].subject_cn);
		free(v[i].not_after);
		free(v[i].token_serial);
		free(v[i].holder);
	}
	free(v);
}

/* The list's key, in the order of certificates_expiry (0015): not_after,
 * serial, id (columns of EXPIRY_LIST's rows). */
static const struct store_key expiry_key = { "tti", { 3, 1, 0 } };

/* The certificates read so far, of a page P (NULL: every one). */
struct certs {
	struct cert_expiry *v;
	size_t len, cap;
	struct store_page *p;
	char *last;	/* the cursor of the page's last row */
};

static int
add_cert(struct store *s, struct store_stmt *st, void *arg)
{
	struct certs *c = arg;
	bool oom = false;

	if (c->p && c->p->limit && c->len == c->p->limit) {	/* one more: a page follows */
		c->p->next = c->last;
		c->last = NULL;
		return 1;
	}
	if (c->len == c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 16;
		struct cert_expiry *nv = realloc(c->v, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		c->v = nv;
		c->cap = ncap;
	}
	struct cert_expiry *e = &c->v[c->len++];
	e->id = store_column_int(st, 0);
	e->serial = store_column_dup(st, 1, &oom);
	e->subject_cn = store_column_dup(st, 2, &oom);
	e->not_after = store_column_dup(st, 3, &oom);
	e->token_serial = store_column_dup(st, 4, &oom);
	e->holder = store_column_dup(st, 5, &oom);
	e->renewals = store_column_int(st, 6);
	e->expired_notice = store_column_null(st, 7) ? -1 : store_column_int(st, 7);
	e->expiring_notice = store_column_null(st, 8) ? -1 : store_column_int(st, 8);
	if (!oom && c->p && c->p->limit && c->len == c->p->limit &&
	    !(c->last = store_row_cursor(st, &expiry_key)))
		oom = true;
	return oom ? -ENOMEM : 0;
}

/* The list's query; AFTER the condition that starts a page after a key. */
#define EXPIRY_LIST(after) \
	"WITH c AS MATERIALIZED (SELECT c.id, c.serial, c.subject_cn, c.not_after " \
	"  FROM certificates c WHERE c.not_after < ?1 " after " AND NOT EXISTS " \
	"  (SELECT 1 FROM certificate_revocations r WHERE r.certificate_serial = c.serial) " \
	"  ORDER BY c.not_after, c.serial, c.id LIMIT ?5), " \
	"k AS (SELECT tc.certificate_id, MIN(tc.token_serial) AS token_serial, COUNT(*) AS n " \
	"  FROM c JOIN token_certs tc ON tc.certificate_id = c.id GROUP BY tc.certificate_id), " \
	"ct AS MATERIALIZED (SELECT c.id, c.serial, c.subject_cn, c.not_after, " \
	"  CASE WHEN k.n = 1 THEN k.token_serial ELSE COALESCE(" \
	"  (SELECT t.serial FROM token_certs tc JOIN tokens t ON t.serial = tc.token_serial " \
	"   WHERE tc.certificate_id = c.id " \
	"   ORDER BY EXISTS (SELECT 1 FROM token_sightings s WHERE s.token_serial = t.serial " \
	"   AND s.present = 1) DESC, t.last_seen DESC, t.serial LIMIT 1), " \
	"  (SELECT b.token_serial FROM bindings b WHERE b.certificate_id = c.id " \
	"   ORDER BY b.valid_from DESC, b.id DESC LIMIT 1)) END AS token_serial " \
	"  FROM c LEFT JOIN k ON k.certificate_id = c.id) " \
	"SELECT ct.id, ct.serial, ct.subject_cn, ct.not_after, ct.token_serial, " \
	"COALESCE(p.full_name, o.name), COALESCE(l.renewals, 0), " \
	"(SELECT MIN(x.threshold) FROM expiry_notices x WHERE x.certificate_id = ct.id " \
	" AND x.kind = 'expired'), " \
	"(SELECT MIN(x.threshold) FROM expiry_notices x WHERE x.certificate_id = ct.id " \
	" AND x.kind = 'expiring') FROM ct " \
	"LEFT JOIN certificate_lineage l ON l.certificate_serial = ct.serial " \
	"LEFT JOIN holders h ON h.token_serial = ct.token_serial AND h.valid_to IS NULL " \
	"LEFT JOIN people p ON p.id = h.person_id " \
	"LEFT JOIN organizations o ON o.id = h.organization_id " \
	"ORDER BY ct.not_after, ct.serial, ct.id"

int
store_cert_expiry_list(struct store *s, const char *until, struct store_page *p,
		       struct cert_expiry **out, size_t *n)
{
	/* A revoked certificate expires no more: it is gone already.
	 * The token of a certificate: the one that carried it when last seen
	 * (on a desk now first, then most recently seen), else the one it was
	 * last bound to. token_certs: a token's certificates (0013); most are
	 * on one token, which needs no looking for. A page is the first rows
	 * in the order of certificates_expiry (0015) after its key: the rest
	 * of the query reads only those. */
	json_object *after;
	struct certs c = { .p = p };
	int r = store_page_after(p, &expiry_key, &after);

	*out = NULL;
	*n = 0;
	if (r < 0)
		return r;
	struct store_stmt *st = store_prepare(s, after
		? EXPIRY_LIST("AND (c.not_after, c.serial, c.id) > (?2, ?3, ?4)") : EXPIRY_LIST(""));
	if (!st) {
		json_object_put(after);
		return -EIO;
	}
	store_bind_text(st, 1, until);
	store_bind_page(st, p, 5, after, 2);
	json_object_put(after);
	r = store_each_row(s, st, add_cert, &c, "certificates by expiry");
	store_finalize(st);
	free(c.last);
	if (r < 0) {
		if (p) {
			free(p->next);
			p->next = NULL;
		}
		store_cert_expiry_free(c.v, c.len);
		return r;
	}
	*out = c.v;
	*n = c.len;
	return 0;
}

int
store_expiry_notice_add(struct store *s, int64_t id, const char *kind, int threshold,
			int days_left)
{
	char now[21];
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO expiry_notices (certificate_id, kind, threshold, days_left, raised_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (certificate_id, kind, threshold) "
		"DO NOTHING");

	if (!st)
		return -EIO;
	store_now(now);
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, kind);
	store_bind_int(st, 3, threshold);
	store_bind_int(st, 4, days_left);
	store_bind_text(st, 5, now);
	int r = store_step_done(s, st, "record expiry notice");
	store_finalize(st);
	/* Raised already (by another workstation, maybe): not a failure that
	 * would end a PostgreSQL transaction. */
	return r == 0 && store_changes(s) == 0 ? -EEXIST : r;
}

int64_t
store_write_count(struct store *s)
{
	return s->commits;
}
