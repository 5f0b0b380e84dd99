/* Requests and their steps (store-private.h): both request tables, the PIN
 * recovery requests' (0002) and the lifecycle requests' (0005), keep their
 * steps in a table of the same shape and are read the same way; one piece
 * of code moves and reads them. */
#include <errno.h>
#include <stdio.h>

#include "jsonb.h"
#include "store-private.h"

static const struct {
	const char *requests;
	const char *steps;
} tables[] = {
	[STORE_STEPS_PIN] = { "requests", "request_transitions" },
	[STORE_STEPS_LIFECYCLE] = { "lifecycle_requests", "lifecycle_transitions" },
};

sqlite3_stmt *
store_steps_prepare(struct store *s, enum store_steps t)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT action, from_state, to_state, done_at, actor_uid, "
		 "actor_user, note FROM %s WHERE request_id = ?1 ORDER BY id", tables[t].steps);
	return store_prepare(s, sql);
}

int
store_steps_json(struct store *s, sqlite3_stmt *hist, int64_t id, json_object **out)
{
	static const char *const keys[] = { "action", "from", "to", "at", "uid", "user", "note" };
	json_object *arr = json_object_new_array();
	int rc, r = 0;

	*out = NULL;
	if (!arr)
		return -ENOMEM;
	sqlite3_reset(hist);
	sqlite3_bind_int64(hist, 1, id);
	while ((rc = sqlite3_step(hist)) == SQLITE_ROW) {
		struct jsonb b = jsonb_new();
		for (int i = 0; i < (int)(sizeof(keys) / sizeof(*keys)); i++)
			store_column_json(&b, hist, i, keys[i]);
		json_object *t = jsonb_finish(&b);
		if (!t || json_object_array_add(arr, t) < 0) {
			json_object_put(t);
			r = -ENOMEM;
			break;
		}
	}
	if (!r && rc != SQLITE_DONE)
		r = store_fail(s, "request history");
	if (r < 0) {
		json_object_put(arr);
		return r;
	}
	*out = arr;
	return 0;
}

int
store_step_record(struct store *s, enum store_steps t, int64_t id, const char *action,
		  const char *from, const char *to, const struct actor *actor, const char *note)
{
	char sql[256], now[21];
	sqlite3_stmt *st;
	int r;

	snprintf(sql, sizeof(sql), "UPDATE %s SET state = ?3 WHERE id = ?1 AND state = ?2",
		 tables[t].requests);
	if (!(st = store_prepare(s, sql)))
		return -EIO;
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, from);
	store_bind_text(st, 3, to);
	r = store_step_done(s, st, "move request");
	sqlite3_finalize(st);
	if (r < 0)
		return r;
	if (sqlite3_changes(s->db) == 0)
		return -ENOENT;

	snprintf(sql, sizeof(sql), "INSERT INTO %s (request_id, action, from_state, to_state, "
		 "done_at, actor_uid, actor_user, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		 tables[t].steps);
	if (!(st = store_prepare(s, sql)))
		return -EIO;
	store_now(now);
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, action);
	store_bind_text(st, 3, from);
	store_bind_text(st, 4, to);
	store_bind_text(st, 5, now);
	sqlite3_bind_int64(st, 6, actor->uid);
	store_bind_text(st, 7, actor->user);
	store_bind_text(st, 8, note);
	r = store_step_done(s, st, "record request step");
	sqlite3_finalize(st);
	return r;
}

/* The records QUERY selects, bound by BIND, with their steps. */
static int
read_requests(struct store *s, const struct request_query *q, const char *sql, bool one,
	      void (*bind)(sqlite3_stmt *st, const void *arg), const void *arg, json_object **out)
{
	sqlite3_stmt *st = store_prepare(s, sql);
	sqlite3_stmt *hist = st ? store_steps_prepare(s, q->steps) : NULL;
	int r;

	*out = NULL;
	if (!hist) {
		sqlite3_finalize(st);
		return -EIO;
	}
	bind(st, arg);
	r = one ? store_row_json(s, st, hist, q->row, q->what, out)
		: store_rows_json(s, st, hist, q->row, q->what, out);
	sqlite3_finalize(hist);
	sqlite3_finalize(st);
	return r;
}

struct get_args {
	int64_t id;
	const char *kind;
};

static void
bind_get(sqlite3_stmt *st, const void *arg)
{
	const struct get_args *a = arg;
	sqlite3_bind_int64(st, 1, a->id);
	store_bind_text(st, 2, a->kind);
}

int
store_requests_get(struct store *s, const struct request_query *q, int64_t id,
		   const char *kind, json_object **out)
{
	return read_requests(s, q, q->get_sql, true, bind_get,
			     &(const struct get_args){ id, kind }, out);
}

struct list_args {
	const char *kind, *state;
	int year;
};

static void
bind_list(sqlite3_stmt *st, const void *arg)
{
	const struct list_args *a = arg;
	char from[24], to[24];

	store_bind_text(st, 1, a->kind);
	store_bind_text(st, 2, a->state);
	if (a->year) {
		store_year_bounds(a->year, from, to);
		store_bind_text(st, 3, from);
		store_bind_text(st, 4, to);
	}
}

int
store_requests_list(struct store *s, const struct request_query *q, const char *kind,
		    const char *state, int year, json_object **out)
{
	return read_requests(s, q, q->list_sql, false, bind_list,
			     &(const struct list_args){ kind, state, year }, out);
}
