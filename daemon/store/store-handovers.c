/* Handovers (Mẫu 10), their rows, and decisions changing a certificate's
 * manager (Mẫu 08). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jsonb.h"
#include "store-handovers.h"
#include "store-private.h"

#define HANDOVER_COLUMNS \
	"id, state, place, held_at, giver, receiver, supersedes, superseded_by, " \
	"created_at, created_by_user, finalized_at, finalized_by_user"

#define ROW_COLUMNS \
	"number, token_serial, holder_name, certificate_serial, valid_from, valid_to, " \
	"reason, note, verified_on_device"

static const char *
json_text(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

static const char *
party_name(json_object *party)
{
	json_object *v;
	return json_object_object_get_ex(party, "name", &v) ? json_object_get_string(v) : NULL;
}

void
store_token_facts_clear(struct token_facts *f)
{
	free(f->holder_name);
	free(f->cert_sha256);
	free(f->cert_serial);
	free(f->cert_cn);
	free(f->not_before);
	free(f->not_after);
	memset(f, 0, sizeof(*f));
}

/* The certificate columns of the first row of ST (sha256, serial,
 * subject_cn, not_before, not_after) into F; BOUND keeps the fingerprint. */
static int
facts_cert(struct store *s, struct store_stmt *st, bool bound, struct token_facts *f, bool *found)
{
	int rc = store_step(st);
	*found = false;
	if (rc == STORE_DONE)
		return 0;
	if (rc != STORE_ROW)
		return store_fail(s, "token certificate");
	*found = true;
	if (bound && !(f->cert_sha256 = store_column_dup(st, 0, NULL)))
		return -ENOMEM;
	f->cert_serial = store_column_dup(st, 1, NULL);
	f->cert_cn = store_column_dup(st, 2, NULL);
	f->not_before = store_column_dup(st, 3, NULL);
	f->not_after = store_column_dup(st, 4, NULL);
	return f->cert_serial && f->not_before && f->not_after ? 0 : -ENOMEM;
}

int
store_token_facts(struct store *s, const char *serial, struct token_facts *out)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT t.seen_certs, COALESCE(p.full_name, o.name) FROM tokens t "
		"LEFT JOIN holders h ON h.token_serial = t.serial AND h.valid_to IS NULL "
		"LEFT JOIN people p ON p.id = h.person_id "
		"LEFT JOIN organizations o ON o.id = h.organization_id "
		"WHERE t.serial = ?1");
	char *seen = NULL;
	bool found = false;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	int rc = store_step(st);
	if (rc == STORE_ROW) {
		seen = store_column_dup(st, 0, NULL);
		if (!store_column_null(st, 1) && !(out->holder_name = store_column_dup(st, 1, NULL)))
			r = -ENOMEM;
	} else {
		r = rc == STORE_DONE ? -ENOENT : store_fail(s, "token facts");
	}
	store_finalize(st);
	if (r < 0)
		goto out;

	/* The bound certificate first, */
	if (!(st = store_prepare(s,
		"SELECT c.sha256, c.serial, c.subject_cn, c.not_before, c.not_after "
		"FROM bindings b JOIN certificates c ON c.id = b.certificate_id "
		"WHERE b.token_serial = ?1 AND b.valid_to IS NULL ORDER BY b.id LIMIT 1"))) {
		r = -EIO;
		goto out;
	}
	store_bind_text(st, 1, serial);
	r = facts_cert(s, st, true, out, &found);
	store_finalize(st);
	if (r < 0 || found || !seen || !*seen)
		goto out;
	/* else the first it was last seen with. */
	if (!(st = store_prepare(s,
		"SELECT sha256, serial, subject_cn, not_before, not_after FROM certificates "
		"WHERE sha256 = ?1"))) {
		r = -EIO;
		goto out;
	}
	store_bind_text_len(st, 1, seen, strcspn(seen, ","));
	r = facts_cert(s, st, false, out, &found);
	store_finalize(st);
out:
	free(seen);
	if (r < 0)
		store_token_facts_clear(out);
	return r;
}

int
store_handover_create(struct store *s, const struct handover_new *h, int64_t *id)
{
	const char *giver = json_text(h->giver), *receiver = json_text(h->receiver);
	const char *gname = party_name(h->giver), *rname = party_name(h->receiver);

	if (!giver || !receiver || !gname || !rname)
		return -ENOMEM;
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO handovers (state, place, held_at, giver, giver_name, receiver, "
		"receiver_name, supersedes, created_at, created_by_uid, created_by_user) "
		"VALUES ('draft', ?1, COALESCE(?2, ?8), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id");
	if (!st)
		return -EIO;
	store_bind_text(st, 1, h->place);
	store_bind_text(st, 2, h->held_at);
	store_bind_text(st, 3, giver);
	store_bind_text(st, 4, gname);
	store_bind_text(st, 5, receiver);
	store_bind_text(st, 6, rname);
	store_bind_id(st, 7, h->supersedes);
	store_bind_stamp(st, 8, &h->creator);
	int r = store_insert_id(s, st, "draft handover", id);
	store_finalize(st);
	return r;
}

int
store_handover_info(struct store *s, int64_t id, bool *finalized, int64_t *supersedes,
		    int64_t *superseded_by)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT state, supersedes, superseded_by FROM handovers WHERE id = ?1");
	int r = 0;

	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	int rc = store_step(st);
	if (rc == STORE_ROW) {
		*finalized = strcmp(store_column_text(st, 0), "finalized") == 0;
		*supersedes = store_column_int(st, 1);	/* NULL reads 0 */
		*superseded_by = store_column_int(st, 2);
	} else {
		r = rc == STORE_DONE ? -ENOENT : store_fail(s, "read handover");
	}
	store_finalize(st);
	return r;
}

int
store_handover_add_row(struct store *s, int64_t id, const struct handover_row *row)
{
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO handover_rows (handover_id, number, token_serial, holder_name, "
		"certificate_serial, valid_from, valid_to, reason, note, verified_on_device) "
		"SELECT ?1, COALESCE(MAX(number), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 "
		"FROM handover_rows WHERE handover_id = ?1");
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, row->token_serial);
	store_bind_text(st, 3, row->holder_name);
	store_bind_text(st, 4, row->certificate_serial);
	store_bind_text(st, 5, row->valid_from);
	store_bind_text(st, 6, row->valid_to);
	store_bind_text(st, 7, row->reason);
	store_bind_text(st, 8, row->note);
	store_bind_int(st, 9, row->verified_on_device);
	int r = store_step_done(s, st, "add handover row");
	store_finalize(st);
	return r;
}

/* Runs SQL with ?1 = ID and ?2 = NUMBER; the rows it changed in *CHANGED. */
static int
exec_id_number(struct store *s, const char *sql, int64_t id, int64_t number, const char *what,
	       int *changed)
{
	struct store_stmt *st = store_prepare(s, sql);
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, number);
	int r = store_step_done(s, st, what);
	store_finalize(st);
	if (changed)
		*changed = store_changes(s);
	return r;
}

int
store_handover_remove_row(struct store *s, int64_t id, int64_t number)
{
	int changed, r;

	if ((r = exec_id_number(s, "DELETE FROM handover_rows WHERE handover_id = ?1 AND number = ?2",
				id, number, "remove handover row", &changed)) < 0)
		return r;
	if (changed == 0)
		return -ENOENT;
	return exec_id_number(s, "UPDATE handover_rows SET number = number - 1 "
			      "WHERE handover_id = ?1 AND number > ?2", id, number,
			      "renumber handover rows", NULL);
}

static int
first_id(struct store *s, struct store_stmt *st, void *arg)
{
	(void)s;
	*(int64_t *)arg = store_column_int(st, 0);
	return 0;
}

int
store_handover_cancel(struct store *s, int64_t id, int64_t *by)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT id FROM manager_changes WHERE handover_id = ?1 ORDER BY id LIMIT 1");
	int changed, r;

	*by = 0;
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	r = store_first_row(s, st, first_id, by, "read a handover's manager change");
	store_finalize(st);
	if (r == 0)
		return -EBUSY;
	if (r != -ENOENT)
		return r;
	if ((r = exec_id_number(s, "DELETE FROM handover_rows WHERE handover_id = ?1 "
				"AND EXISTS (SELECT 1 FROM handovers h WHERE h.id = ?1 "
				"AND h.state = 'draft')", id, 0, "cancel handover rows", NULL)) < 0 ||
	    (r = exec_id_number(s, "DELETE FROM handovers WHERE id = ?1 "
				"AND state = 'draft'", id, 0, "cancel handover", &changed)) < 0)
		return r;
	return changed ? 0 : -ENOENT;
}

int
store_handover_finalize(struct store *s, int64_t id, const struct actor *actor)
{
	struct store_stmt *st = store_prepare(s,
		"UPDATE handovers SET state = 'finalized', finalized_at = ?2, finalized_by_uid = ?3, "
		"finalized_by_user = ?4 WHERE id = ?1 AND state = 'draft'");
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	store_bind_stamp(st, 2, actor);
	int r = store_step_done(s, st, "finalize handover");
	store_finalize(st);
	return r == 0 && store_changes(s) == 0 ? -ENOENT : r;
}

/* A row of a handover as the protocol's Row. */
static int
row_json(struct store *s, struct store_stmt *rows, struct store_stmt *aux, json_object **out)
{
	struct jsonb b = jsonb_new();
	store_column_json(&b, rows, 0, "number");
	store_column_json(&b, rows, 1, "token_serial");
	store_column_json(&b, rows, 2, "holder_name");
	store_column_json(&b, rows, 3, "certificate_serial");
	store_column_json(&b, rows, 4, "valid_from");
	store_column_json(&b, rows, 5, "valid_to");
	store_column_json(&b, rows, 6, "reason");
	store_column_json(&b, rows, 7, "note");
	jsonb_bool(&b, "verified_on_device", store_column_int(rows, 8) != 0);
	return (*out = jsonb_finish(&b)) ? 0 : -ENOMEM;
}

/* The rows of handover ID as an array of Row; ROWS is reset and reused. */
static int
rows_json(struct store *s, struct store_stmt *rows, int64_t id, json_object **out)
{
	store_reset(rows);
	store_bind_int(rows, 1, id);
	return store_rows_json(s, rows, NULL, row_json, "handover rows", out);
}

/* A party column: only khoad writes it, so one that does not parse is a
 * damaged registry. */
static int
party_json(struct store *s, struct store_stmt *st, int i, json_object **out)
{
	const char *text = store_column_text(st, i);
	*out = text ? json_tokener_parse(text) : NULL;
	if (!*out || !json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		return store_fail(s, "handover party is not a JSON object");
	}
	return 0;
}

/* The current row of ST (HANDOVER_COLUMNS) as a Handover with its rows. */
static int
handover_json(struct store *s, struct store_stmt *st, struct store_stmt *rows, json_object **out)
{
	json_object *giver = NULL, *receiver = NULL, *arr = NULL;
	int r;

	*out = NULL;
	if ((r = party_json(s, st, 4, &giver)) < 0 || (r = party_json(s, st, 5, &receiver)) < 0 ||
	    (r = rows_json(s, rows, store_column_int(st, 0), &arr)) < 0) {
		json_object_put(giver);
		json_object_put(receiver);
		return r;
	}
	struct jsonb b = jsonb_new();
	store_column_json(&b, st, 0, "id");
	store_column_json(&b, st, 1, "state");
	store_column_json(&b, st, 2, "place");
	store_column_json(&b, st, 3, "held_at");
	jsonb_put(&b, "giver", giver);
	jsonb_put(&b, "receiver", receiver);
	jsonb_put(&b, "rows", arr);
	store_column_json(&b, st, 6, "supersedes");
	store_column_json(&b, st, 7, "superseded_by");
	store_column_json(&b, st, 8, "created_at");
	store_column_json(&b, st, 9, "created_by");
	store_column_json(&b, st, 10, "finalized_at");
	store_column_json(&b, st, 11, "finalized_by");
	return (*out = jsonb_finish(&b)) ? 0 : -ENOMEM;
}

static struct store_stmt *
prepare_rows(struct store *s)
{
	return store_prepare(s, "SELECT " ROW_COLUMNS " FROM handover_rows "
			     "WHERE handover_id = ?1 ORDER BY number");
}

int
store_handover_get(struct store *s, int64_t id, json_object **out)
{
	struct store_stmt *st = store_prepare(s, "SELECT " HANDOVER_COLUMNS " FROM handovers WHERE id = ?1");
	struct store_stmt *rows = st ? prepare_rows(s) : NULL;
	int r;

	*out = NULL;
	if (!rows) {
		store_finalize(st);
		return -EIO;
	}
	store_bind_int(st, 1, id);
	r = store_row_json(s, st, rows, handover_json, "read handover", out);
	store_finalize(rows);
	store_finalize(st);
	return r;
}

/* The handovers of the list, ?2 of them; AFTER the condition that starts a
 * page after a key. */
#define HANDOVER_LIST(after) \
	"SELECT " HANDOVER_COLUMNS " FROM handovers h WHERE (?1 IS NULL OR EXISTS " \
	"(SELECT 1 FROM handover_rows r WHERE r.handover_id = h.id AND r.token_serial = ?1)) " \
	after "ORDER BY id DESC LIMIT ?2"

int
store_handover_list(struct store *s, const char *serial, struct store_page *page,
		    json_object **out)
{
	static const struct store_key key = { "i", { 0 } };	/* id */
	struct store_stmt *st, *rows;
	json_object *after;
	int r;

	*out = NULL;
	if ((r = store_page_after(page, &key, &after)) < 0)
		return r;
	st = store_prepare(s, after ? HANDOVER_LIST("AND h.id < ?3 ") : HANDOVER_LIST(""));
	rows = st ? prepare_rows(s) : NULL;
	if (!rows) {
		store_finalize(st);
		json_object_put(after);
		return -EIO;
	}
	store_bind_text(st, 1, serial);
	store_bind_page(st, page, 2, after, 3);
	r = store_rows_page(s, st, rows, handover_json, &key, page, "list handovers", out);
	store_finalize(rows);
	store_finalize(st);
	json_object_put(after);
	return r;
}

/* ----- manager changes ----- */

#define CHANGE_COLUMNS \
	"m.id, m.organization_id, o.name, m.certificate_kind, m.registered_name, " \
	"m.token_serial, m.old_person_id, op.full_name, m.old_position, m.new_person_id, " \
	"np.full_name, m.new_position, m.effective_on, m.decision_number, m.handover_id, " \
	"m.created_at, m.created_by_user"
static const char *const change_keys[] = {
	"id", "organization_id", "organization_name", "certificate_kind", "registered_name",
	"token_serial", "old_person_id", "old_manager", "old_position", "new_person_id",
	"new_manager", "new_position", "effective_on", "decision_number", "handover_id",
	"created_at", "created_by",
};
#define CHANGE_FROM \
	" FROM manager_changes m JOIN organizations o ON o.id = m.organization_id " \
	"JOIN people op ON op.id = m.old_person_id JOIN people np ON np.id = m.new_person_id "

int
store_manager_change_create(struct store *s, const struct manager_change_new *m, int64_t *id)
{
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO manager_changes (organization_id, certificate_kind, registered_name, "
		"token_serial, old_person_id, old_position, new_person_id, new_position, "
		"effective_on, decision_number, handover_id, created_at, created_by_uid, "
		"created_by_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return -EIO;
	store_bind_int(st, 1, m->organization_id);
	store_bind_text(st, 2, m->certificate_kind);
	store_bind_text(st, 3, m->registered_name);
	store_bind_text(st, 4, m->token_serial);
	store_bind_int(st, 5, m->old_person_id);
	store_bind_text(st, 6, m->old_position);
	store_bind_int(st, 7, m->new_person_id);
	store_bind_text(st, 8, m->new_position);
	store_bind_text(st, 9, m->effective_on);
	store_bind_text(st, 10, m->decision_number);
	store_bind_int(st, 11, m->handover_id);
	store_bind_stamp(st, 12, &m->creator);
	int r = store_insert_id(s, st, "record manager change", id);
	store_finalize(st);
	return r;
}

static int
change_json(struct store *s, struct store_stmt *st, struct store_stmt *aux, json_object **out)
{
	*out = store_row_object(st, change_keys, sizeof(change_keys) / sizeof(*change_keys));
	return *out ? 0 : -ENOMEM;
}

int
store_manager_change_get(struct store *s, int64_t id, json_object **out)
{
	struct store_stmt *st = store_prepare(s, "SELECT " CHANGE_COLUMNS CHANGE_FROM
						 "WHERE m.id = ?1");
	*out = NULL;
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	int r = store_row_json(s, st, NULL, change_json, "read manager change", out);
	store_finalize(st);
	return r;
}

int
store_manager_change_list(struct store *s, struct store_page *page, json_object **out)
{
	static const struct store_key key = { "i", { 0 } };	/* m.id */
	json_object *after;
	int r;

	*out = NULL;
	if ((r = store_page_after(page, &key, &after)) < 0)
		return r;
	struct store_stmt *st = store_prepare(s, after
		? "SELECT " CHANGE_COLUMNS CHANGE_FROM "WHERE m.id < ?2 ORDER BY m.id DESC LIMIT ?1"
		: "SELECT " CHANGE_COLUMNS CHANGE_FROM "ORDER BY m.id DESC LIMIT ?1");
	if (!st) {
		json_object_put(after);
		return -EIO;
	}
	store_bind_page(st, page, 1, after, 2);
	r = store_rows_page(s, st, NULL, change_json, &key, page, "list manager changes", out);
	store_finalize(st);
	json_object_put(after);
	return r;
}
