/* Revocation due (store-revocation-due.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "store-private.h"
#include "store-revocation-due.h"

/* Neither revoked nor with a revoke request standing, nor replaced. */
#define STILL_HELD(serial) \
	"NOT EXISTS (SELECT 1 FROM certificate_revocations v " \
	"            WHERE v.certificate_serial = " serial ") " \
	"AND NOT EXISTS (SELECT 1 FROM lifecycle_requests q WHERE q.kind = 'revoke' " \
	"                AND q.certificate_serial = " serial " " \
	"                AND q.state NOT IN ('rejected', 'cancelled')) " \
	"AND NOT EXISTS (SELECT 1 FROM certificate_lineage l WHERE l.previous_serial = " serial ")"

/* The certificates on the tokens holders H hold now. */
#define HELD_CERTS \
	"FROM holders h JOIN token_certs tc ON tc.token_serial = h.token_serial " \
	"JOIN certificates c ON c.id = tc.certificate_id WHERE h.valid_to IS NULL "

int
store_due_mark(struct store *s, int64_t person_id, int64_t organization_id, const char *reason,
	       const char *rule, const struct actor *actor, json_object **marked)
{
	static const char *const keys[] = { "certificate_serial", "token_serial" };
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO revocations_due (certificate_serial, token_serial, reason, rule, since, "
		"by_uid, by_user) SELECT DISTINCT c.serial, h.token_serial, ?3, ?4, ?5, ?6, ?7 "
		HELD_CERTS "AND ((?1 IS NOT NULL AND h.person_id = ?1) "
		"OR (?2 IS NOT NULL AND h.organization_id = ?2)) AND c.not_after > ?5 AND "
		STILL_HELD("c.serial") " "
		"ON CONFLICT (certificate_serial) DO NOTHING "
		"RETURNING certificate_serial, token_serial");
	int r;

	*marked = NULL;
	if (!st)
		return -EIO;
	store_bind_id(st, 1, person_id);
	store_bind_id(st, 2, organization_id);
	store_bind_text(st, 3, reason);
	store_bind_text(st, 4, rule);
	store_bind_stamp(st, 5, actor);
	r = store_objects_json(s, st, keys, 2, "note revocations due", marked);
	store_finalize(st);
	return r;
}

int
store_due_list(struct store *s, json_object **out)
{
	static const char *const keys[] = {
		"certificate_serial", "token_serial", "reason", "rule", "since", "holder",
	};
	struct store_stmt *st = store_prepare(s,
		"SELECT d.certificate_serial, d.token_serial, d.reason, d.rule, d.since, "
		"COALESCE(p.full_name, o.name) FROM revocations_due d "
		"LEFT JOIN holders h ON h.token_serial = d.token_serial AND h.valid_to IS NULL "
		"LEFT JOIN people p ON p.id = h.person_id "
		"LEFT JOIN organizations o ON o.id = h.organization_id "
		"WHERE " STILL_HELD("d.certificate_serial") " "
		"UNION ALL "
		"SELECT c.serial, h.token_serial, 'expired', CASE WHEN h.person_id IS NULL "
		"THEN 'R-REVOKE-ORG' ELSE 'R-REVOKE-PERSON' END, c.not_after, "
		"COALESCE(p.full_name, o.name) FROM holders h "
		"JOIN token_certs tc ON tc.token_serial = h.token_serial "
		"JOIN certificates c ON c.id = tc.certificate_id "
		"LEFT JOIN people p ON p.id = h.person_id "
		"LEFT JOIN organizations o ON o.id = h.organization_id "
		"WHERE h.valid_to IS NULL AND c.not_after <= ?1 AND " STILL_HELD("c.serial") " "
		"AND NOT EXISTS (SELECT 1 FROM revocations_due x "
		"                WHERE x.certificate_serial = c.serial) "
		"ORDER BY 5, 1");
	char now[21];

	*out = NULL;
	if (!st)
		return -EIO;
	store_now(now);
	store_bind_text(st, 1, now);
	int r = store_objects_json(s, st, keys, 6, "list revocations due", out);
	store_finalize(st);
	return r;
}

/* Whole days from ISO time WHEN to now. */
static int64_t
days_since(const char *when)
{
	struct khoa_datetime t;
	if (!when || khoa_date_parse(when, KHOA_DATE_TIME, &t) < 0)
		return 0;
	return (int64_t)(time(NULL) - khoa_datetime_time(&t)) / 86400;
}

int
store_unreturned(struct store *s, json_object **out)
{
	static const char *const keys[] = {
		"request_id", "token_serial", "certificate_serial", "holder", "revoked_at",
	};
	struct store_stmt *st = store_prepare(s,
		"SELECT r.id, r.token_serial, r.certificate_serial, r.subject_name, v.revoked_at "
		"FROM lifecycle_requests r JOIN certificate_revocations v ON v.request_id = r.id "
		"WHERE r.kind = 'revoke' AND r.token_serial IS NOT NULL "
		"AND NOT EXISTS (SELECT 1 FROM handover_rows hr "
		"  JOIN handovers h ON h.id = hr.handover_id "
		"  WHERE hr.token_serial = r.token_serial AND hr.reason = 'revocation-return' "
		"  AND h.state = 'finalized' AND h.superseded_by IS NULL AND h.created_at >= r.filed_at) "
		"ORDER BY v.revoked_at, r.id");
	int r;

	*out = NULL;
	if (!st)
		return -EIO;
	r = store_objects_json(s, st, keys, 5, "list unreturned tokens", out);
	store_finalize(st);
	for (size_t i = 0; r == 0 && i < json_object_array_length(*out); i++) {
		json_object *u = json_object_array_get_idx(*out, i), *at;
		json_object_object_get_ex(u, "revoked_at", &at);
		if (json_object_object_add(u, "days",
					   json_object_new_int64(days_since(json_object_get_string(at)))) < 0)
			r = -ENOMEM;
	}
	if (r < 0) {
		json_object_put(*out);
		*out = NULL;
	}
	return r;
}

int
store_return_overdue_take(struct store *s, int days, json_object **out)
{
	json_object *all = NULL;
	int r = store_unreturned(s, &all);

	*out = NULL;
	if (r < 0)
		return r;
	if (!(*out = json_object_new_array())) {
		json_object_put(all);
		return -ENOMEM;
	}
	for (size_t i = 0; r == 0 && i < json_object_array_length(all); i++) {
		json_object *u = json_object_array_get_idx(all, i), *v;
		json_object_object_get_ex(u, "days", &v);
		if (json_object_get_int64(v) < days)
			continue;
		json_object_object_get_ex(u, "request_id", &v);
		struct store_stmt *st = store_prepare(s,
			"INSERT INTO return_notices (request_id, notified_at) VALUES (?1, ?2) "
			"ON CONFLICT (request_id) DO NOTHING");
		char now[21];
		if (!st) {
			r = -EIO;
			break;
		}
		store_now(now);
		store_bind_int(st, 1, json_object_get_int64(v));
		store_bind_text(st, 2, now);
		if ((r = store_step_done(s, st, "note an unreturned token")) == 0 &&
		    store_changes(s) > 0 && json_object_array_add(*out, json_object_get(u)) < 0)
			r = -ENOMEM;
		store_finalize(st);
	}
	json_object_put(all);
	if (r < 0) {
		json_object_put(*out);
		*out = NULL;
	}
	return r;
}
