/* Certificate lifecycle requests (new, renew, revoke, re-issue; Mẫu 01–06)
 * and their steps (store.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonb.h"
#include "store-lifecycle.h"
#include "store-private.h"
#include "store-requests.h"

/* The finalized handover (not corrected since) that brought request R's
 * token back for revocation (R-AGENCY-DUTIES: tokens to be revoked are
 * returned), drafted after R was filed. */
#define RETURN_HANDOVER \
	"(SELECT h.id FROM handover_rows hr JOIN handovers h ON h.id = hr.handover_id " \
	"WHERE hr.token_serial = r.token_serial AND hr.reason = 'revocation-return' " \
	"AND h.state = 'finalized' AND h.superseded_by IS NULL AND h.created_at >= r.filed_at " \
	"ORDER BY h.id LIMIT 1)"
#define REVOKED_AT \
	"(SELECT v.revoked_at FROM certificate_revocations v WHERE v.request_id = r.id)"

#define LIFECYCLE_COLUMNS \
	"r.id, r.kind, r.subject_kind, r.person_id, r.organization_id, r.subject_name, " \
	"r.token_serial, r.certificate_serial, r.certificate_not_before, " \
	"r.certificate_not_after, r.reason, r.requested_years, r.state, r.filed_at, " \
	"r.filed_by_user, r.new_certificate_serial, " REVOKED_AT ", " RETURN_HANDOVER ", " \
	"CASE WHEN r.token_serial IS NOT NULL AND " REVOKED_AT " IS NOT NULL THEN " \
	"CASE WHEN " RETURN_HANDOVER " IS NULL THEN 'awaited' ELSE 'returned' END END"

static const char *const lifecycle_keys[] = {
	"id", "kind", "subject_kind", "person_id", "organization_id", "subject_name",
	"token_serial", "certificate_serial", "certificate_not_before", "certificate_not_after",
	"reason", "requested_years", "state", "filed_at", "filed_by", "new_certificate_serial",
	"revoked_at", "return_handover_id", "token_return",
};
#define N_LIFECYCLE_KEYS (sizeof(lifecycle_keys) / sizeof(*lifecycle_keys))

int
store_lifecycle_create(struct store *s, const struct lifecycle_new *r, int64_t *id)
{
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO lifecycle_requests (kind, subject_kind, person_id, organization_id, "
		"subject_name, token_serial, certificate_serial, certificate_not_before, "
		"certificate_not_after, reason, requested_years, state, filed_at, filed_by_uid, "
		"filed_by_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return -EIO;
	store_bind_text(st, 1, r->kind);
	store_bind_text(st, 2, r->subject_kind);
	store_bind_id(st, 3, r->person_id);
	store_bind_id(st, 4, r->organization_id);
	store_bind_text(st, 5, r->subject_name);
	store_bind_text(st, 6, r->token_serial);
	store_bind_text(st, 7, r->certificate_serial);
	store_bind_text(st, 8, r->certificate_not_before);
	store_bind_text(st, 9, r->certificate_not_after);
	store_bind_text(st, 10, r->reason);
	store_bind_id(st, 11, r->requested_years);
	store_bind_text(st, 12, r->state);
	store_bind_stamp(st, 13, &r->filer);
	int rc = store_insert_id(s, st, "file lifecycle request", id);
	store_finalize(st);
	return rc;
}

int
store_lifecycle_info(struct store *s, int64_t id, struct request_info *out)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT kind, state, token_serial, filed_by_uid, filed_by_user FROM lifecycle_requests "
		"WHERE id = ?1");
	int r = 0;

	*out = (struct request_info){ 0 };
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	int rc = store_step(st);
	if (rc == STORE_ROW) {
		const char *kind = store_column_text(st, 0);
		const char *serial = store_column_text(st, 2);
		snprintf(out->kind, sizeof(out->kind), "%s", kind ? kind : "");
		out->state = strdup(store_column_text(st, 1));
		out->token_serial = serial ? strdup(serial) : NULL;
		store_column_person(st, 3, &out->filed_by);
		if (!out->state || (serial && !out->token_serial)) {
			store_request_info_clear(out);
			r = -ENOMEM;
		}
	} else {
		r = rc == STORE_DONE ? -ENOENT : store_fail(s, "read lifecycle request");
	}
	store_finalize(st);
	return r;
}

static int
request_json(struct store *s, struct store_stmt *st, struct store_stmt *hist, json_object **out)
{
	json_object *history;
	int r;

	*out = NULL;
	if ((r = store_steps_json(s, hist, store_column_int(st, 0), &history)) < 0)
		return r;
	struct jsonb b = jsonb_new();
	for (size_t i = 0; i < N_LIFECYCLE_KEYS; i++)
		store_column_json(&b, st, (int)i, lifecycle_keys[i]);
	jsonb_put(&b, "history", history);
	return (*out = jsonb_finish(&b)) ? 0 : -ENOMEM;
}

/* The list, ?5 of them; AFTER the condition that starts a page after a
 * key (struct request_query). */
#define LIST_SQL(after) \
	"SELECT " LIFECYCLE_COLUMNS " FROM lifecycle_requests r " \
	"WHERE (?1 IS NULL OR r.kind = ?1) AND (?2 IS NULL OR r.state = ?2) " \
	"AND (?3 IS NULL OR (r.filed_at >= ?3 AND r.filed_at < ?4)) " after \
	"ORDER BY r.filed_at DESC, r.id DESC LIMIT ?5"

static const struct request_query query = {
	.steps = STORE_STEPS_LIFECYCLE,
	.get_sql = "SELECT " LIFECYCLE_COLUMNS " FROM lifecycle_requests r WHERE r.id = ?1 "
		   "AND (?2 IS NULL OR r.kind = ?2)",
	.list_sql = LIST_SQL(""),
	.list_after_sql = LIST_SQL("AND (r.filed_at, r.id) < (?6, ?7) "),
	.key = { "ti", { 13, 0 } },	/* filed_at, id */
	.row = request_json,
	.what = "read lifecycle requests",
};

int
store_lifecycle_get(struct store *s, int64_t id, json_object **out)
{
	return store_requests_get(s, &query, id, NULL, out);
}

int
store_lifecycle_list(struct store *s, const char *kind, const char *state, int year,
		     struct store_page *page, json_object **out)
{
	return store_requests_list(s, &query, kind, state, year, page, out);
}

int
store_lifecycle_count(struct store *s, int year, const char *kind, const char *subject_kind,
		      int64_t *count)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT COUNT(*) FROM lifecycle_requests WHERE filed_at >= ?1 AND filed_at < ?2 "
		"AND (?3 IS NULL OR kind = ?3) AND (?4 IS NULL OR subject_kind = ?4)");
	char from[24], to[24];
	int r = 0;

	if (!st)
		return -EIO;
	store_year_bounds(year, from, to);
	store_bind_text(st, 1, from);
	store_bind_text(st, 2, to);
	store_bind_text(st, 3, kind);
	store_bind_text(st, 4, subject_kind);
	if (store_step(st) == STORE_ROW)
		*count = store_column_int(st, 0);
	else
		r = store_fail(s, "count lifecycle requests");
	store_finalize(st);
	return r;
}

/* A request that still counts: not turned down or withdrawn. */
#define STANDING "state NOT IN ('rejected', 'cancelled')"

/* One number of a query binding a certificate serial (?1) and a request to
 * leave out (?2). */
static int
count_of(struct store *s, const char *sql, const char *certificate_serial, int64_t exclude,
	 int64_t *out, const char *what)
{
	struct store_stmt *st = store_prepare(s, sql);
	int r = 0;

	*out = 0;
	if (!st)
		return -EIO;
	store_bind_text(st, 1, certificate_serial);
	store_bind_int(st, 2, exclude);
	int rc = store_step(st);
	if (rc == STORE_ROW)
		*out = store_column_int(st, 0);
	else if (rc != STORE_DONE)
		r = store_fail(s, what);
	store_finalize(st);
	return r;
}

int
store_lifecycle_renewals(struct store *s, const char *certificate_serial, int64_t exclude,
			 int64_t *count)
{
	return count_of(s, "SELECT COUNT(*) FROM lifecycle_requests WHERE kind = 'renew' "
			"AND certificate_serial = ?1 AND id <> ?2 AND " STANDING,
			certificate_serial, exclude, count, "count renewals");
}

int
store_lifecycle_reissue_of(struct store *s, const char *certificate_serial, int64_t exclude,
			   int64_t *id)
{
	return count_of(s, "SELECT id FROM lifecycle_requests WHERE kind = 'reissue' "
			"AND certificate_serial = ?1 AND id <> ?2 AND " STANDING " ORDER BY id LIMIT 1",
			certificate_serial, exclude, id, "find a re-issue");
}

int
store_revocation_of(struct store *s, const char *certificate_serial, bool *revoked,
		    char **reason)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT reason FROM certificate_revocations WHERE certificate_serial = ?1");
	int r = 0;

	*revoked = false;
	*reason = NULL;
	if (!st)
		return -EIO;
	store_bind_text(st, 1, certificate_serial);
	int rc = store_step(st);
	if (rc == STORE_ROW) {
		const char *why = store_column_text(st, 0);
		*revoked = true;
		if (why && !(*reason = strdup(why)))
			r = -ENOMEM;
	} else if (rc != STORE_DONE) {
		r = store_fail(s, "read a revocation");
	}
	store_finalize(st);
	return r;
}

int
store_revoked_unreissued(struct store *s, int64_t person_id, int64_t organization_id,
			 json_object **out)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT v.certificate_serial FROM certificate_revocations v "
		"JOIN lifecycle_requests r ON r.id = v.request_id "
		"WHERE ((?1 IS NOT NULL AND r.person_id = ?1) "
		"OR (?2 IS NOT NULL AND r.organization_id = ?2)) "
		"AND NOT EXISTS (SELECT 1 FROM lifecycle_requests i WHERE i.kind = 'reissue' "
		"AND i.certificate_serial = v.certificate_serial "
		"AND i.state NOT IN ('rejected', 'cancelled')) "
		"ORDER BY v.revoked_at, v.certificate_serial");
	int r = 0, rc;

	if (!st)
		return -EIO;
	if (!(*out = json_object_new_array())) {
		store_finalize(st);
		return -ENOMEM;
	}
	store_bind_id(st, 1, person_id);
	store_bind_id(st, 2, organization_id);
	while ((rc = store_step(st)) == STORE_ROW)
		if (json_object_array_add(*out, json_object_new_string(store_column_text(st, 0))) < 0) {
			r = -ENOMEM;
			break;
		}
	if (r == 0 && rc != STORE_DONE)
		r = store_fail(s, "list revoked certificates");
	store_finalize(st);
	if (r < 0) {
		json_object_put(*out);
		*out = NULL;
	}
	return r;
}

int
store_lifecycle_transition(struct store *s, int64_t id, const char *action, const char *from,
			   const char *to, const struct actor *actor, const char *note)
{
	return store_step_record(s, STORE_STEPS_LIFECYCLE, id, action, from, to, actor, note);
}

int
store_lifecycle_last_actor(struct store *s, int64_t id, store_step_pick *pick, const void *arg,
			   struct request_person *out)
{
	return store_steps_last_actor(s, STORE_STEPS_LIFECYCLE, id, pick, arg, out);
}
