/* Requests (PIN recovery, Mẫu 09, and later kinds) and their steps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonb.h"
#include "store-private.h"
#include "store-requests.h"

#define REQUEST_COLUMNS \
	"id, state, token_serial, reason, form, filed_at, filed_by_user"

void
store_request_info_clear(struct request_info *ri)
{
	free(ri->state);
	free(ri->token_serial);
	*ri = (struct request_info){ 0 };
}

int
store_request_create(struct store *s, const struct request_new *r, int64_t *id)
{
	const char *form = json_object_to_json_string_ext(r->form,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!form)
		return -ENOMEM;
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO requests (kind, state, token_serial, reason, form, filed_at, "
		"filed_by_uid, filed_by_user) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return -EIO;
	store_bind_text(st, 1, r->kind);
	store_bind_text(st, 2, r->state);
	store_bind_text(st, 3, r->token_serial);
	store_bind_text(st, 4, r->reason);
	store_bind_text(st, 5, form);
	store_bind_stamp(st, 6, &r->filer);
	int rc = store_insert_id(s, st, "file request", id);
	store_finalize(st);
	return rc;
}

int
store_request_last_actor(struct store *s, int64_t id, store_step_pick *pick, const void *arg,
			 struct request_person *out)
{
	return store_steps_last_actor(s, STORE_STEPS_PIN, id, pick, arg, out);
}

int
store_request_info(struct store *s, const char *kind, int64_t id, struct request_info *out)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT state, token_serial, filed_by_uid, filed_by_user FROM requests "
		"WHERE id = ?1 AND kind = ?2");
	int r = 0;

	*out = (struct request_info){ 0 };
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	store_bind_text(st, 2, kind);
	int rc = store_step(st);
	if (rc == STORE_ROW) {
		snprintf(out->kind, sizeof(out->kind), "%s", kind);
		out->state = strdup(store_column_text(st, 0));
		out->token_serial = strdup(store_column_text(st, 1));
		store_column_person(st, 2, &out->filed_by);
		if (!out->state || !out->token_serial) {
			store_request_info_clear(out);
			r = -ENOMEM;
		}
	} else {
		r = rc == STORE_DONE ? -ENOENT : store_fail(s, "read request");
	}
	store_finalize(st);
	return r;
}

/* The current row of ST (REQUEST_COLUMNS) as a Request with its history. */
static int
request_json(struct store *s, struct store_stmt *st, struct store_stmt *hist, json_object **out)
{
	int64_t id = store_column_int(st, 0);
	const char *form_text = store_column_text(st, 4);
	json_object *form = form_text ? json_tokener_parse(form_text) : NULL;
	json_object *history;
	int r;

	*out = NULL;
	if (!form || !json_object_is_type(form, json_type_object)) {
		/* Only khoad writes this column: a form that does not parse is
		 * a damaged registry, not a client's mistake. */
		json_object_put(form);
		return store_fail(s, "request form is not a JSON object");
	}
	if ((r = store_steps_json(s, hist, id, &history)) < 0) {
		json_object_put(form);
		return r;
	}
	struct jsonb b = jsonb_new();
	store_column_json(&b, st, 0, "id");
	store_column_json(&b, st, 1, "state");
	store_column_json(&b, st, 2, "token_serial");
	store_column_json(&b, st, 3, "reason");
	jsonb_put(&b, "form", form);
	store_column_json(&b, st, 5, "filed_at");
	store_column_json(&b, st, 6, "filed_by");
	jsonb_put(&b, "history", history);
	return (*out = jsonb_finish(&b)) ? 0 : -ENOMEM;
}

/* The list, ?5 of them; AFTER the condition that starts a page after a
 * key (struct request_query). */
#define LIST_SQL(after) \
	"SELECT " REQUEST_COLUMNS " FROM requests WHERE kind = ?1 " \
	"AND (?2 IS NULL OR state = ?2) " \
	"AND (?3 IS NULL OR (filed_at >= ?3 AND filed_at < ?4)) " after \
	"ORDER BY filed_at DESC, id DESC LIMIT ?5"

static const struct request_query query = {
	.steps = STORE_STEPS_PIN,
	.get_sql = "SELECT " REQUEST_COLUMNS " FROM requests WHERE id = ?1 AND kind = ?2",
	.list_sql = LIST_SQL(""),
	.list_after_sql = LIST_SQL("AND (filed_at, id) < (?6, ?7) "),
	.key = { "ti", { 5, 0 } },	/* filed_at, id */
	.row = request_json,
	.what = "read requests",
};

int
store_request_get(struct store *s, const char *kind, int64_t id, json_object **out)
{
	return store_requests_get(s, &query, id, kind, out);
}

int
store_request_list(struct store *s, const char *kind, const char *state, int year,
		   struct store_page *page, json_object **out)
{
	return store_requests_list(s, &query, kind, state, year, page, out);
}

int
store_request_count(struct store *s, const char *kind, int year, int64_t *count)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT COUNT(*) FROM requests WHERE kind = ?1 AND filed_at >= ?2 AND filed_at < ?3");
	char from[24], to[24];
	int r = 0;

	if (!st)
		return -EIO;
	store_year_bounds(year, from, to);
	store_bind_text(st, 1, kind);
	store_bind_text(st, 2, from);
	store_bind_text(st, 3, to);
	if (store_step(st) == STORE_ROW)
		*count = store_column_int(st, 0);
	else
		r = store_fail(s, "count requests");
	store_finalize(st);
	return r;
}

int
store_request_transition(struct store *s, int64_t id, const char *action, const char *from,
			 const char *to, const struct actor *actor, const char *note)
{
	return store_step_record(s, STORE_STEPS_PIN, id, action, from, to, actor, note);
}
