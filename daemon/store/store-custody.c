/* Custody moved by finalized handovers, and the seal register of the
 * organization token (R-CUSTODY). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "jsonb.h"
#include "store-custody.h"
#include "store-private.h"

/* Runs SQL with ?1 = ID (and ?2 = TEXT); *CHANGED: the rows changed. */
static int
exec_id(struct store *s, const char *sql, int64_t id, const char *text, const char *what,
	int *changed)
{
	struct store_stmt *st = store_prepare(s, sql);
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	if (text)
		store_bind_text(st, 2, text);
	int r = store_step_done(s, st, what);
	store_finalize(st);
	if (changed)
		*changed = store_changes(s);
	return r;
}

int
store_custody_move(struct store *s, int64_t id)
{
	int changed, r;

	if ((r = exec_id(s,
		"INSERT INTO custody_links (token_serial, handover_id, at, from_party, to_party, reason) "
		"SELECT r.token_serial, h.id, h.held_at, h.giver_name, h.receiver_name, r.reason "
		"FROM handover_rows r JOIN handovers h ON h.id = r.handover_id "
		"WHERE h.id = ?1 AND h.state = 'finalized' ORDER BY r.number",
		id, NULL, "move custody", NULL)) < 0)
		return r;
	/* What it corrects, if anything: once only. */
	if ((r = exec_id(s,
		"UPDATE handovers SET superseded_by = ?1 WHERE superseded_by IS NULL AND id = "
		"(SELECT supersedes FROM handovers WHERE id = ?1)",
		id, NULL, "supersede handover", &changed)) < 0)
		return r;
	bool supersedes;
	struct store_stmt *st = store_prepare(s, "SELECT supersedes IS NOT NULL FROM handovers WHERE id = ?1");
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	if (store_step(st) != STORE_ROW) {
		store_finalize(st);
		return store_fail(s, "read handover");
	}
	supersedes = store_column_int(st, 0);
	store_finalize(st);
	if (!supersedes)
		return 0;
	if (changed == 0)
		return -EEXIST;
	return exec_id(s, "UPDATE custody_links SET superseded_by = ?1 WHERE handover_id = "
		       "(SELECT supersedes FROM handovers WHERE id = ?1)",
		       id, NULL, "supersede custody", NULL);
}

int
store_custody_get(struct store *s, const char *serial, json_object **out)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT handover_id, at, from_party, to_party, reason FROM custody_links "
		"WHERE token_serial = ?1 AND superseded_by IS NULL ORDER BY id");
	static const char *const link_keys[] = { "handover_id", "at", "from", "to", "reason" };
	json_object *chain = NULL;
	const char *holder = NULL;
	char *last = NULL;
	int rc, r;

	*out = NULL;
	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	r = store_objects_json(s, st, link_keys, 5, "custody chain", &chain);
	store_finalize(st);
	st = NULL;
	if (r < 0)
		goto out;
	size_t n = json_object_array_length(chain);
	if (n == 0) {
		/* Nothing moved: is it a token the registry knows at all? */
		if (!(st = store_prepare(s, "SELECT 1 FROM tokens WHERE serial = ?1"))) {
			r = -EIO;
			goto out;
		}
		store_bind_text(st, 1, serial);
		rc = store_step(st);
		if (rc != STORE_ROW)
			r = rc == STORE_DONE ? -ENOENT : store_fail(s, "read token");
		if (r < 0)
			goto out;
	} else {
		json_object *to;
		if (json_object_object_get_ex(json_object_array_get_idx(chain, n - 1), "to", &to) &&
		    !(last = strdup(json_object_get_string(to)))) {
			r = -ENOMEM;
			goto out;
		}
		holder = last;
	}
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "serial", serial);
	jsonb_str(&b, "holder", holder);
	jsonb_put(&b, "chain", chain);
	chain = NULL;
	if (!(*out = jsonb_finish(&b)))
		r = -ENOMEM;
out:
	store_finalize(st);
	json_object_put(chain);
	free(last);
	return r;
}

/* ----- the seal register ----- */

#define SEAL_COLUMNS \
	"e.id, e.token_serial, e.person_id, p.full_name, e.purpose, e.out_at, e.out_by_user, " \
	"e.due_at, e.in_at, e.in_by_user, " \
	"CASE WHEN e.in_at IS NULL THEN e.due_at <= ?9 ELSE e.in_at > e.due_at END, e.in_note"
#define SEAL_FROM " FROM seal_log e JOIN people p ON p.id = e.person_id "

static int
seal_json(struct store *s, struct store_stmt *st, struct store_stmt *aux, json_object **out)
{
	static const char *const keys[] = {
		"id", "token_serial", "person_id", "person_name", "purpose", "out_at", "out_by",
		"due_at", "in_at", "in_by",
	};
	json_object *e = store_row_object(st, keys, sizeof(keys) / sizeof(*keys));
	if (e && json_object_object_add(e, "overdue",
					json_object_new_boolean(store_column_int(st, 10) != 0)) < 0) {
		json_object_put(e);
		e = NULL;
	}
	/* the note said when it came back (issue 16: it was kept, not shown) */
	if (e && !store_column_null(st, 11) &&
	    json_object_object_add(e, "in_note", json_object_new_string(store_column_text(st, 11))) < 0) {
		json_object_put(e);
		e = NULL;
	}
	return (*out = e) ? 0 : -ENOMEM;
}

/* The register's key: the entry's id. */
static const struct store_key seal_key = { "i", { 0 } };

/* PAGE of the rows of ST (SEAL_COLUMNS, ?9 bound here to now; finalized
 * here; ordered by seal_key) as an array; NULL: every row. */
static int
seal_page(struct store *s, struct store_stmt *st, struct store_page *page, json_object **out)
{
	char now[21];
	store_now(now);
	store_bind_text(st, 9, now);
	int r = store_rows_page(s, st, NULL, seal_json, &seal_key, page, "seal register", out);
	store_finalize(st);
	return r;
}

/* Every row of ST, as seal_page(). */
static int
seal_all(struct store *s, struct store_stmt *st, json_object **out)
{
	return seal_page(s, st, NULL, out);
}

int
store_seal_open(struct store *s, const char *serial, int64_t *id)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT id FROM seal_log WHERE token_serial = ?1 AND in_at IS NULL ORDER BY id DESC");
	int r = 0;

	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	int rc = store_step(st);
	if (rc == STORE_ROW)
		*id = store_column_int(st, 0);
	else
		r = rc == STORE_DONE ? -ENOENT : store_fail(s, "seal register");
	store_finalize(st);
	return r;
}

int
store_seal_out(struct store *s, const char *serial, int64_t person, const char *purpose,
	       int64_t hours, const struct actor *actor, int64_t *id)
{
	char now[21], due[21];
	time_t t = time(NULL) + (time_t)hours * 3600;
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO seal_log (token_serial, person_id, purpose, out_at, out_by_uid, "
		"out_by_user, due_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return -EIO;
	store_now(now);
	khoa_time_iso_at(t, due);
	store_bind_text(st, 1, serial);
	store_bind_int(st, 2, person);
	store_bind_text(st, 3, purpose);
	store_bind_stamp(st, 4, actor);
	store_bind_text(st, 7, due);
	int r = store_insert_id(s, st, "seal out", id);
	store_finalize(st);
	return r;
}

int
store_seal_in(struct store *s, int64_t id, const struct actor *actor, const char *note)
{
	struct store_stmt *st = store_prepare(s,
		"UPDATE seal_log SET in_at = ?2, in_by_uid = ?3, in_by_user = ?4, in_note = ?5 "
		"WHERE id = ?1 AND in_at IS NULL");
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	store_bind_stamp(st, 2, actor);
	store_bind_text(st, 5, note);
	int r = store_step_done(s, st, "seal in");
	store_finalize(st);
	return r == 0 && store_changes(s) == 0 ? -ENOENT : r;
}

int
store_seal_get(struct store *s, int64_t id, json_object **out)
{
	struct store_stmt *st = store_prepare(s, "SELECT " SEAL_COLUMNS SEAL_FROM "WHERE e.id = ?1");
	json_object *arr;
	int r;

	*out = NULL;
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	if ((r = seal_all(s, st, &arr)) < 0)
		return r;
	if (json_object_array_length(arr) == 0)
		r = -ENOENT;
	else
		*out = json_object_get(json_object_array_get_idx(arr, 0));
	json_object_put(arr);
	return r;
}

/* The register, ?3 entries of it; AFTER the condition that starts a page
 * after a key. */
#define SEAL_LOG(after) \
	"SELECT " SEAL_COLUMNS SEAL_FROM \
	"WHERE (?1 IS NULL OR e.token_serial = ?1) AND (?2 = 0 OR e.in_at IS NULL) " after \
	"ORDER BY e.id DESC LIMIT ?3"

int
store_seal_log(struct store *s, const char *serial, bool open, struct store_page *page,
	       json_object **out)
{
	json_object *after;
	int r;

	*out = NULL;
	if ((r = store_page_after(page, &seal_key, &after)) < 0)
		return r;
	struct store_stmt *st = store_prepare(s, after ? SEAL_LOG("AND e.id < ?4 ") : SEAL_LOG(""));
	if (st) {
		store_bind_text(st, 1, serial);
		store_bind_int(st, 2, open);
		store_bind_page(st, page, 3, after, 4);
		r = seal_page(s, st, page, out);
	}
	json_object_put(after);
	return st ? r : -EIO;
}

int
store_seal_take_overdue(struct store *s, json_object **out)
{
	struct store_stmt *st = store_prepare(s, "SELECT " SEAL_COLUMNS SEAL_FROM
		"WHERE e.in_at IS NULL AND e.overdue_notified = 0 AND e.due_at <= ?9 ORDER BY e.id");
	json_object *arr;
	int r;

	*out = NULL;
	if (!st)
		return -EIO;
	if ((r = seal_all(s, st, &arr)) < 0)
		return r;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *id;
		json_object_object_get_ex(json_object_array_get_idx(arr, i), "id", &id);
		if ((r = exec_id(s, "UPDATE seal_log SET overdue_notified = 1 WHERE id = ?1",
				 json_object_get_int64(id), NULL, "seal overdue", NULL)) < 0) {
			json_object_put(arr);
			return r;
		}
	}
	*out = arr;
	return 0;
}
