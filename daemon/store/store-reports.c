/* The annual report's figures (Mẫu 07) and its entered rows (store.h,
 * migration 0007). Every count is one SQL statement here; the report's
 * shape is daemon/report.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonb.h"
#include "store-private.h"
#include "store-reports.h"

const char *const report_kinds[REPORT_KINDS] = { "new", "reissue", "renew", "revoke" };

/* The holders, now and before, of the tokens of the scope ?1 (an
 * organization): its own and its people's, each read through its index
 * (0013; CROSS JOIN keeps SQLite, which has no statistics, to the people
 * first). Rows found this way, not the registry searched: on a shared
 * registry each row read is one row-level security check (0011). */
#define SCOPE_HOLDERS \
	"SELECT token_serial, organization_id, person_id, valid_from, valid_to FROM holders " \
	"WHERE organization_id = ?1 UNION ALL " \
	"SELECT x.token_serial, x.organization_id, x.person_id, x.valid_from, x.valid_to " \
	"FROM people p CROSS JOIN holders x WHERE p.organization_id = ?1 AND x.person_id = p.id"

/* Certificates held by the current holders H: carried by their tokens as
 * last seen (token_certs, 0013), valid at ?2, not revoked, not replaced by
 * a renewal or re-issue already linked. */
#define HELD_BY(h) \
	"SELECT COUNT(h.organization_id), COUNT(h.person_id) FROM " h " h " \
	"JOIN token_certs tc ON tc.token_serial = h.token_serial " \
	"JOIN certificates c ON c.id = tc.certificate_id " \
	"WHERE h.valid_to IS NULL AND c.not_before <= ?2 AND c.not_after > ?2 " \
	"AND NOT EXISTS (SELECT 1 FROM certificate_revocations r " \
	"                WHERE r.certificate_serial = c.serial) " \
	"AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial)"

/* The certificate requests of the scope ?1 (an organization): its own and
 * its people's, each read through its index (0013). */
#define SCOPE_REQUESTS \
	"SELECT id, kind, subject_kind, state, filed_at, person_id, organization_id " \
	"FROM lifecycle_requests WHERE organization_id = ?1 UNION ALL " \
	"SELECT l.id, l.kind, l.subject_kind, l.state, l.filed_at, l.person_id, " \
	"l.organization_id FROM people p " \
	"CROSS JOIN lifecycle_requests l WHERE p.organization_id = ?1 AND l.person_id = p.id " \
	"AND (l.organization_id IS NULL OR l.organization_id <> ?1)"

/* The certificate requests R filed from ?2 to ?3 that reached the agency's
 * confirmation (a draft nobody confirmed was never sent) and were not
 * withdrawn (cancelled), by kind and subject kind, each subject once a
 * kind (issue 16: a request filed twice is one request of the agency). */
#define REQUESTED(r) \
	"SELECT r.kind, r.subject_kind, COUNT(DISTINCT CASE WHEN r.person_id IS NOT NULL " \
	"THEN 'p' || r.person_id ELSE 'o' || r.organization_id END) FROM " r " r " \
	"WHERE r.filed_at >= ?2 AND r.filed_at < ?3 AND r.state <> 'cancelled' " \
	"AND EXISTS (SELECT 1 FROM lifecycle_transitions t WHERE t.request_id = r.id " \
	"            AND t.to_state = 'confirmed') " \
	"GROUP BY r.kind, r.subject_kind"

/* The PIN-recovery requests filed from ?2 to ?3 that reached the agency's
 * confirmation and were not withdrawn, each token once. */
#define PIN_FILED \
	"SELECT COUNT(DISTINCT q.token_serial) FROM requests q WHERE q.kind = 'pin-recovery' " \
	"AND q.filed_at >= ?2 AND q.filed_at < ?3 AND q.state <> 'cancelled' " \
	"AND EXISTS (SELECT 1 FROM request_transitions t WHERE t.request_id = q.id " \
	"            AND t.to_state = 'confirmed')"

/* Certificates the holders H held at ?2, a time past (issue 16: rows 1 and
 * 2 of a past year are what was held at the end of its report month): the
 * holders then, the certificates their tokens carry as last seen, valid
 * then, not revoked nor replaced by then. */
#define HELD_AT(h) \
	"SELECT COUNT(h.organization_id), COUNT(h.person_id) FROM " h " h " \
	"JOIN token_certs tc ON tc.token_serial = h.token_serial " \
	"JOIN certificates c ON c.id = tc.certificate_id " \
	"WHERE h.valid_from <= ?2 AND (h.valid_to IS NULL OR h.valid_to > ?2) " \
	"AND c.not_before <= ?2 AND c.not_after > ?2 " \
	"AND NOT EXISTS (SELECT 1 FROM certificate_revocations r " \
	"                WHERE r.certificate_serial = c.serial AND r.revoked_at <= ?2) " \
	"AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = c.serial " \
	"                AND l.linked_at <= ?2)"

/* The whole registry's count: held_certificates (0015) is the join of
 * HELD_BY("holders") kept by triggers, its dates indexed. */
#define HELD_NOW \
	"SELECT COALESCE(SUM(by_organization), 0), COUNT(*) - COALESCE(SUM(by_organization), 0) " \
	"FROM held_certificates WHERE not_after > ?2 AND not_before <= ?2"

static int
count_held(struct store *s, int64_t scope, const char *as_of, struct report_figures *f)
{
	/* Certificates on registered tokens: a token has a current holder
	 * exactly while it is registered (store-tokens.c changes both
	 * together). The whole registry's every holder, or the scope's. */
	char now[21];
	store_now(now);
	bool past = strcmp(as_of, now) < 0;
	struct store_stmt *st = store_prepare(s, past ? (scope ? HELD_AT("(" SCOPE_HOLDERS ")")
							      : HELD_AT("holders"))
						     : scope ? HELD_BY("(" SCOPE_HOLDERS ")") : HELD_NOW);
	int r = 0;

	if (!st)
		return -EIO;
	store_bind_id(st, 1, scope);	/* unused by HELD_NOW, HELD_AT("holders") */
	store_bind_text(st, 2, as_of);
	if (store_step(st) == STORE_ROW) {
		f->held_org = store_column_int(st, 0);
		f->held_person = store_column_int(st, 1);
	} else {
		r = store_fail(s, "count certificates held");
	}
	store_finalize(st);
	return r;
}

/* A row (kind, subject kind, count) into the figures' requested[][]. */
static int
add_request_count(struct store *s, struct store_stmt *st, void *arg)
{
	struct report_figures *f = arg;
	const char *kind = store_column_text(st, 0);
	bool person = strcmp(store_column_text(st, 1), "person") == 0;
	for (int k = 0; k < REPORT_KINDS; k++)
		if (strcmp(kind, report_kinds[k]) == 0)
			f->requested[k][person] = store_column_int(st, 2);
	return 0;
}

static int
count_requests(struct store *s, int64_t scope, int year, struct report_figures *f)
{
	/* Filed in the year: the whole registry's, or the scope's. */
	struct store_stmt *st = store_prepare(s, scope ? REQUESTED("(" SCOPE_REQUESTS ")")
						       : REQUESTED("lifecycle_requests"));
	char from[24], to[24];
	int r;

	if (!st)
		return -EIO;
	store_year_bounds(year, from, to);
	store_bind_id(st, 1, scope);
	store_bind_text(st, 2, from);
	store_bind_text(st, 3, to);
	r = store_each_row(s, st, add_request_count, f, "count lifecycle requests");
	store_finalize(st);
	if (r < 0)
		return r;

	/* PIN recovery: its token's holder when it was filed is in scope. The
	 * scope's requests are found from its holders (the scope's tokens are
	 * few), not its holders searched for each request. */
	if (!(st = store_prepare(s, !scope ? PIN_FILED : PIN_FILED
		" AND q.id IN (SELECT w.id FROM (" SCOPE_HOLDERS ") h CROSS JOIN requests w "
		"  WHERE w.token_serial = h.token_serial "
		"  AND h.valid_from <= w.filed_at AND (h.valid_to IS NULL OR h.valid_to > w.filed_at))")))
		return -EIO;
	store_bind_id(st, 1, scope);
	store_bind_text(st, 2, from);
	store_bind_text(st, 3, to);
	if (store_step(st) == STORE_ROW)
		f->pin_recovery = store_column_int(st, 0);
	else
		r = store_fail(s, "count PIN-recovery requests");
	store_finalize(st);
	return r;
}

static int
read_entered(struct store *s, int year, int64_t scope, struct report_figures *f)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT documents_signed_org, documents_signed_person, documents_sent, "
		"entered_at, entered_by, filed_at, filed_by FROM annual_reports "
		"WHERE year = ?1 AND scope = ?2");
	bool oom = false;
	int rc, r = 0;

	if (!st)
		return -EIO;
	store_bind_int(st, 1, year);
	store_bind_int(st, 2, scope);
	if ((rc = store_step(st)) == STORE_ROW) {
		for (int i = 0; i < REPORT_ENTERED; i++)
			f->entered[i] = store_column_null(st, i)
						? -1 : store_column_int(st, i);
		f->entered_at = store_column_dup(st, 3, &oom);
		f->entered_by = store_column_dup(st, 4, &oom);
		f->filed_at = store_column_dup(st, 5, &oom);
		f->filed_by = store_column_dup(st, 6, &oom);
		if (oom)
			r = -ENOMEM;
	} else if (rc != STORE_DONE) {
		r = store_fail(s, "read annual report");
	}
	store_finalize(st);
	return r;
}

void
store_report_figures_clear(struct report_figures *f)
{
	free(f->entered_at);
	free(f->entered_by);
	free(f->filed_at);
	free(f->filed_by);
	*f = (struct report_figures){ 0 };
}

int
store_report_figures(struct store *s, int year, int64_t scope, const char *as_of,
		     struct report_figures *out)
{
	int r;

	*out = (struct report_figures){ .entered = { -1, -1, -1 } };
	if ((r = count_held(s, scope, as_of, out)) < 0 ||
	    (r = count_requests(s, scope, year, out)) < 0 ||
	    (r = read_entered(s, year, scope, out)) < 0)
		store_report_figures_clear(out);
	return r;
}

/* -EEXIST with *FILED_AT when the report of YEAR on SCOPE was filed, else
 * 0 (*FILED_AT NULL). */
static int
filed_when(struct store *s, int year, int64_t scope, char **filed_at)
{
	struct store_stmt *st = store_prepare(s, "SELECT filed_at FROM annual_reports "
					      "WHERE year = ?1 AND scope = ?2 AND filed_at IS NOT NULL");
	int r;

	*filed_at = NULL;
	if (!st)
		return -EIO;
	store_bind_int(st, 1, year);
	store_bind_int(st, 2, scope);
	r = store_step(st);
	if (r == STORE_ROW)
		r = (*filed_at = strdup(store_column_text(st, 0))) ? -EEXIST : -ENOMEM;
	else if (r < 0)
		r = store_fail(s, "read annual report");
	store_finalize(st);
	return r;
}

int
store_report_enter(struct store *s, int year, int64_t scope, const int64_t entered[3],
		   const char *user, char **filed_at)
{
	char now[21];
	int r;

	if ((r = filed_when(s, year, scope, filed_at)) != 0)
		return r;
	/* A figure not given (-1, bound as NULL) keeps what was entered. */
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO annual_reports (year, scope, documents_signed_org, "
		"documents_signed_person, documents_sent, entered_at, entered_by) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (year, scope) DO UPDATE SET "
		"documents_signed_org = COALESCE(?3, annual_reports.documents_signed_org), "
		"documents_signed_person = COALESCE(?4, annual_reports.documents_signed_person), "
		"documents_sent = COALESCE(?5, annual_reports.documents_sent), entered_at = ?6, "
		"entered_by = ?7");

	if (!st)
		return -EIO;
	store_now(now);
	store_bind_int(st, 1, year);
	store_bind_int(st, 2, scope);
	for (int i = 0; i < REPORT_ENTERED; i++) {
		if (entered[i] < 0)
			store_bind_null(st, 3 + i, STORE_INT);
		else
			store_bind_int(st, 3 + i, entered[i]);
	}
	store_bind_text(st, 6, now);
	store_bind_text(st, 7, user);
	r = store_step_done(s, st, "enter annual report figures");
	store_finalize(st);
	return r;
}

static int
copy_row(struct store *s, struct store_stmt *st, void *arg)
{
	(void)s;
	*(json_object **)arg = json_tokener_parse(store_column_text(st, 0));
	return *(json_object **)arg ? 0 : -ENOMEM;
}

int
store_report_filed_copy(struct store *s, int year, int64_t scope, json_object **out)
{
	struct store_stmt *st = store_prepare(s, "SELECT report FROM annual_report_filings "
					      "WHERE year = ?1 AND scope = ?2");
	*out = NULL;
	if (!st)
		return -EIO;
	store_bind_int(st, 1, year);
	store_bind_int(st, 2, scope);
	int r = store_first_row(s, st, copy_row, out, "annual report as filed");
	store_finalize(st);
	return r;
}

int
store_report_keep_filed(struct store *s, int year, int64_t scope, json_object *report)
{
	char now[21];
	const char *text = json_object_to_json_string_ext(report, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE);
	struct store_stmt *st = store_prepare(s, "INSERT INTO annual_report_filings "
					      "(year, scope, report, filed_at) VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return -EIO;
	if (!text) {
		store_finalize(st);
		return -ENOMEM;
	}
	store_now(now);
	store_bind_int(st, 1, year);
	store_bind_int(st, 2, scope);
	store_bind_text(st, 3, text);
	store_bind_text(st, 4, now);
	int r = store_step_done(s, st, "keep the annual report as filed");
	store_finalize(st);
	return r;
}

int
store_report_file(struct store *s, int year, int64_t scope, const char *user, char **filed_at)
{
	char now[21];
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO annual_reports (year, scope, filed_at, filed_by) "
		"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (year, scope) DO UPDATE SET "
		"filed_at = ?3, filed_by = ?4 WHERE annual_reports.filed_at IS NULL");
	int r;

	if (!st)
		return -EIO;
	store_now(now);
	store_bind_int(st, 1, year);
	store_bind_int(st, 2, scope);
	store_bind_text(st, 3, now);
	store_bind_text(st, 4, user);
	r = store_step_done(s, st, "file annual report");
	store_finalize(st);
	*filed_at = NULL;
	if (r < 0 || store_changes(s) > 0)
		return r;
	/* Filed already: say when. */
	r = filed_when(s, year, scope, filed_at);
	return r == 0 ? store_fail(s, "read annual report") : r;
}

int
store_report_take_due(struct store *s, int year, json_object **out)
{
	char now[21];
	/* Agencies holding certificates (themselves or their people) whose
	 * report of YEAR is neither filed nor reminded of yet. */
	struct store_stmt *st = store_prepare(s,
		"SELECT o.id, o.name FROM organizations o WHERE EXISTS (SELECT 1 FROM holders h "
		"  WHERE h.valid_to IS NULL AND (h.organization_id = o.id OR h.person_id IN "
		"  (SELECT id FROM people p WHERE p.organization_id = o.id))) "
		"AND NOT EXISTS (SELECT 1 FROM annual_reports a WHERE a.year = ?1 "
		"  AND a.scope = o.id AND (a.filed_at IS NOT NULL OR a.reminded_at IS NOT NULL)) "
		"ORDER BY o.id");
	static const char *const due_keys[] = { "organization_id", "organization_name" };
	json_object *due = NULL;
	int r;

	*out = NULL;
	if (!st)
		return -EIO;
	store_bind_int(st, 1, year);
	r = store_objects_json(s, st, due_keys, 2, "agencies due to report", &due);
	store_finalize(st);

	if (!r && !(st = store_prepare(s,
		"INSERT INTO annual_reports (year, scope, reminded_at) VALUES (?1, ?2, ?3) "
		"ON CONFLICT (year, scope) DO UPDATE SET reminded_at = ?3")))
		r = -EIO;
	store_now(now);
	for (size_t i = 0; !r && i < json_object_array_length(due); i++) {
		json_object *o = json_object_array_get_idx(due, i), *id;
		json_object_object_get_ex(o, "organization_id", &id);
		store_reset(st);
		store_bind_int(st, 1, year);
		store_bind_int(st, 2, json_object_get_int64(id));
		store_bind_text(st, 3, now);
		r = store_step_done(s, st, "remember a report reminder");
	}
	store_finalize(st);
	if (r < 0) {
		json_object_put(due);
		return r;
	}
	*out = due;
	return 0;
}
