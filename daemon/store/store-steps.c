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

struct store_stmt *
store_steps_prepare(struct store *s, enum store_steps t)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT action, from_state, to_state, done_at, actor_uid, "
		 "actor_user, note FROM %s WHERE request_id = ?1 ORDER BY id", tables[t].steps);
	return store_prepare(s, sql);
}

int
store_steps_json(struct store *s, struct store_stmt *hist, int64_t id, json_object **out)
{
	static const char *const keys[] = { "action", "from", "to", "at", "uid", "user", "note" };

	store_reset(hist);
	store_bind_int(hist, 1, id);
	return store_objects_json(s, hist, keys, sizeof(keys) / sizeof(*keys), "request history",
				  out);
}

int
store_step_record(struct store *s, enum store_steps t, int64_t id, const char *action,
		  const char *from, const char *to, const struct actor *actor, const char *note)
{
	char sql[256], now[21];
	struct store_stmt *st;
	int r;

	snprintf(sql, sizeof(sql), "UPDATE %s SET state = ?3 WHERE id = ?1 AND state = ?2",
		 tables[t].requests);
	if (!(st = store_prepare(s, sql)))
		return -EIO;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, from);
	store_bind_text(st, 3, to);
	r = store_step_done(s, st, "move request");
	store_finalize(st);
	if (r < 0)
		return r;
	if (store_changes(s) == 0)
		return -ENOENT;

	snprintf(sql, sizeof(sql), "INSERT INTO %s (request_id, action, from_state, to_state, "
		 "done_at, actor_uid, actor_user, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		 tables[t].steps);
	if (!(st = store_prepare(s, sql)))
		return -EIO;
	store_now(now);
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, action);
	store_bind_text(st, 3, from);
	store_bind_text(st, 4, to);
	store_bind_stamp(st, 5, actor);
	store_bind_text(st, 8, note);
	r = store_step_done(s, st, "record request step");
	store_finalize(st);
	return r;
}

void
store_column_person(struct store_stmt *st, int i, struct request_person *out)
{
	const char *user = store_column_text(st, i + 1);

	out->uid = store_column_int(st, i);
	snprintf(out->user, sizeof(out->user), "%s", user ? user : "");
}

/* A reading of the newest step PICK accepts. */
struct last_actor {
	store_step_pick *pick;
	const void *arg;
	struct request_person *out;
	bool found;
};

static int
last_actor_row(struct store *s, struct store_stmt *st, void *arg)
{
	struct last_actor *la = arg;
	const char *action = store_column_text(st, 0);

	(void)s;
	if (!action || !la->pick(action, la->arg))
		return 0;
	store_column_person(st, 1, la->out);
	la->found = true;
	return 1;
}

int
store_steps_last_actor(struct store *s, enum store_steps t, int64_t id, store_step_pick *pick,
		       const void *arg, struct request_person *out)
{
	struct last_actor la = { pick, arg, out, false };
	char sql[256];
	struct store_stmt *st;
	int r;

	/* Newest first, and the caller's PICK decides: which actions count is
	 * the workflow's to say, not the SQL's. A request has a handful of
	 * steps. */
	*out = (struct request_person){ 0 };
	snprintf(sql, sizeof(sql), "SELECT action, actor_uid, actor_user FROM %s "
		 "WHERE request_id = ?1 ORDER BY id DESC", tables[t].steps);
	if (!(st = store_prepare(s, sql)))
		return -EIO;
	store_bind_int(st, 1, id);
	r = store_each_row(s, st, last_actor_row, &la, "read request steps");
	store_finalize(st);
	return r < 0 ? r : la.found ? 0 : -ENOENT;
}

/* The records QUERY selects, bound by BIND, with their steps: the one,
 * or PAGE of them (NULL: all). */
static int
read_requests(struct store *s, const struct request_query *q, const char *sql, bool one,
	      void (*bind)(struct store_stmt *st, const void *arg), const void *arg,
	      struct store_page *page, json_object **out)
{
	struct store_stmt *st = store_prepare(s, sql);
	struct store_stmt *hist = st ? store_steps_prepare(s, q->steps) : NULL;
	int r;

	*out = NULL;
	if (!hist) {
		store_finalize(st);
		return -EIO;
	}
	bind(st, arg);
	r = one ? store_row_json(s, st, hist, q->row, q->what, out)
		: store_rows_page(s, st, hist, q->row, &q->key, page, q->what, out);
	store_finalize(hist);
	store_finalize(st);
	return r;
}

struct get_args {
	int64_t id;
	const char *kind;
};

static void
bind_get(struct store_stmt *st, const void *arg)
{
	const struct get_args *a = arg;
	store_bind_int(st, 1, a->id);
	store_bind_text(st, 2, a->kind);
}

int
store_requests_get(struct store *s, const struct request_query *q, int64_t id,
		   const char *kind, json_object **out)
{
	return read_requests(s, q, q->get_sql, true, bind_get,
			     &(const struct get_args){ id, kind }, NULL, out);
}

struct list_args {
	const char *kind, *state;
	int year;
	const struct store_page *page;
	json_object *after;
};

static void
bind_list(struct store_stmt *st, const void *arg)
{
	const struct list_args *a = arg;
	char from[24], to[24];

	store_bind_text(st, 1, a->kind);
	store_bind_text(st, 2, a->state);
	if (a->year) {
		store_year_bounds(a->year, from, to);
		store_bind_text(st, 3, from);
		store_bind_text(st, 4, to);
	} else {
		store_bind_null(st, 3, STORE_TEXT);
		store_bind_null(st, 4, STORE_TEXT);
	}
	store_bind_page(st, a->page, 5, a->after, 6);
}

int
store_requests_list(struct store *s, const struct request_query *q, const char *kind,
		    const char *state, int year, struct store_page *page, json_object **out)
{
	json_object *after;
	int r;

	*out = NULL;
	if ((r = store_page_after(page, &q->key, &after)) < 0)
		return r;
	r = read_requests(s, q, after ? q->list_after_sql : q->list_sql, false, bind_list,
			  &(const struct list_args){ kind, state, year, page, after }, page, out);
	json_object_put(after);
	return r;
}
