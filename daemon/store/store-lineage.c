/* Certificate lineage and revocations (store.h, migration 0006): which
 * certificate a renewal or re-issue brought, and which the CA revoked. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-lineage.h"
#include "store-private.h"

void
store_lineage_waiting_free(struct lineage_wait *w, size_t n)
{
	for (size_t i = 0; w && i < n; i++)
		free(w[i].certificate_serial);
	free(w);
}

/* The requests read so far. */
struct waits {
	struct lineage_wait *v;
	size_t n;
};

static int
add_wait(struct store *s, struct store_stmt *st, void *arg)
{
	struct waits *ws = arg;
	struct lineage_wait *grown = realloc(ws->v, (ws->n + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	ws->v = grown;
	struct lineage_wait *w = &ws->v[ws->n++];
	const char *cert = store_column_text(st, 3);
	*w = (struct lineage_wait){ .id = store_column_int(st, 0) };
	snprintf(w->kind, sizeof(w->kind), "%s", store_column_text(st, 1));
	snprintf(w->state, sizeof(w->state), "%s", store_column_text(st, 2));
	snprintf(w->filed_on, sizeof(w->filed_on), "%s", store_column_text(st, 4));
	w->requested_years = store_column_int(st, 5);
	snprintf(w->not_before, sizeof(w->not_before), "%s",
		 store_column_text(st, 6) ? store_column_text(st, 6) : "");
	return cert && !(w->certificate_serial = strdup(cert)) ? -ENOMEM : 0;
}

int
store_lineage_waiting(struct store *s, const char *token_serial, struct lineage_wait **out,
		      size_t *n)
{
	/* The request's own token, or, when it named none or is a re-issue
	 * (the old token went back; the new certificate may come on another),
	 * a token its subject holds now; those naming this token first. */
	struct store_stmt *st = store_prepare(s,
		"SELECT r.id, r.kind, r.state, r.certificate_serial, substr(r.filed_at, 1, 10), "
		"COALESCE(r.requested_years, 0), r.certificate_not_before "
		"FROM lifecycle_requests r WHERE r.kind IN ('renew', 'reissue') "
		"AND r.new_certificate_serial IS NULL AND r.state NOT IN ('rejected', 'cancelled') "
		"AND (r.token_serial = ?1 OR ((r.token_serial IS NULL OR r.kind = 'reissue') AND EXISTS ("
		"  SELECT 1 FROM holders h WHERE h.token_serial = ?1 AND h.valid_to IS NULL "
		"  AND (h.person_id = r.person_id OR h.organization_id = r.organization_id)))) "
		"ORDER BY CASE WHEN r.token_serial = ?1 THEN 0 ELSE 1 END, r.id");
	struct waits w = { 0 };

	*out = NULL;
	*n = 0;
	if (!st)
		return -EIO;
	store_bind_text(st, 1, token_serial);
	int r = store_each_row(s, st, add_wait, &w, "requests waiting for a certificate");
	store_finalize(st);
	if (r < 0) {
		store_lineage_waiting_free(w.v, w.n);
		return r;
	}
	*out = w.v;
	*n = w.n;
	return 0;
}

int
store_lineage_known(struct store *s, const char *serial, bool *known)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT EXISTS (SELECT 1 FROM certificate_lineage "
		"WHERE certificate_serial = ?1 OR previous_serial = ?1)");
	int r = 0;

	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	if (store_step(st) == STORE_ROW)
		*known = store_column_int(st, 0) != 0;
	else
		r = store_fail(s, "certificate lineage");
	store_finalize(st);
	return r;
}

int
store_lineage_link(struct store *s, int64_t request_id, const char *serial,
		   const char *not_before)
{
	char now[21];
	/* The line goes on from the request's certificate: a renewal adds one
	 * to its renewals; the line began where the old one's began, else with
	 * the old one, else (a re-issue of nothing on record) with this one. */
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO certificate_lineage (certificate_serial, previous_serial, request_id, "
		"kind, renewals, first_issued, linked_at) "
		"SELECT ?2, r.certificate_serial, r.id, r.kind, "
		"COALESCE(l.renewals, 0) + CASE WHEN r.kind = 'renew' THEN 1 ELSE 0 END, "
		"COALESCE(l.first_issued, r.certificate_not_before, ?3), ?4 "
		"FROM lifecycle_requests r LEFT JOIN certificate_lineage l "
		"ON l.certificate_serial = r.certificate_serial WHERE r.id = ?1");
	int r;

	if (!st)
		return -EIO;
	store_now(now);
	store_bind_int(st, 1, request_id);
	store_bind_text(st, 2, serial);
	store_bind_text(st, 3, not_before);
	store_bind_text(st, 4, now);
	r = store_step_done(s, st, "link a certificate to its request");
	store_finalize(st);
	if (r < 0)
		return r;
	if (!(st = store_prepare(s,
		"UPDATE lifecycle_requests SET new_certificate_serial = ?2 WHERE id = ?1")))
		return -EIO;
	store_bind_int(st, 1, request_id);
	store_bind_text(st, 2, serial);
	r = store_step_done(s, st, "link a request to its certificate");
	store_finalize(st);
	return r;
}

int
store_lineage_of(struct store *s, const char *serial, int64_t *renewals, char **first_issued)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT renewals, first_issued FROM certificate_lineage WHERE certificate_serial = ?1");
	int rc, r = 0;

	*renewals = 0;
	if (first_issued)
		*first_issued = NULL;
	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	if ((rc = store_step(st)) == STORE_ROW) {
		*renewals = store_column_int(st, 0);
		if (first_issued &&
		    !(*first_issued = strdup(store_column_text(st, 1))))
			r = -ENOMEM;
	} else if (rc != STORE_DONE) {
		r = store_fail(s, "certificate lineage");
	}
	store_finalize(st);
	return r;
}

int
store_revocation_record(struct store *s, int64_t request_id, bool *recorded)
{
	char now[21];
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO certificate_revocations (certificate_serial, request_id, "
		"reason, revoked_at) SELECT certificate_serial, id, reason, ?2 "
		"FROM lifecycle_requests WHERE id = ?1 AND certificate_serial IS NOT NULL "
		"ON CONFLICT DO NOTHING");
	int r;

	*recorded = false;
	if (!st)
		return -EIO;
	store_now(now);
	store_bind_int(st, 1, request_id);
	store_bind_text(st, 2, now);
	if ((r = store_step_done(s, st, "mark a certificate revoked")) == 0)
		*recorded = store_changes(s) > 0;
	store_finalize(st);
	return r;
}
