/* The event log. */
#include <errno.h>

#include "jsonb.h"
#include "store-private.h"

#define EVENT_COLUMNS "id, time, type, token_serial, actor_uid, actor_user, details"

/* The current row (EVENT_COLUMNS) as a protocol Event object. */
static json_object *
event_json(sqlite3_stmt *st)
{
	struct jsonb b = jsonb_new();
	store_column_json(&b, st, 0, "id");
	store_column_json(&b, st, 1, "time");
	store_column_json(&b, st, 2, "type");
	store_column_json(&b, st, 3, "token_serial");
	if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
		struct jsonb a = jsonb_new();
		store_column_json(&a, st, 4, "uid");
		store_column_json(&a, st, 5, "user");
		jsonb_put(&b, "actor", jsonb_finish(&a));
	}
	json_object *details = json_tokener_parse((const char *)sqlite3_column_text(st, 6));
	jsonb_put(&b, "details", details ? details : json_object_new_object());
	return jsonb_finish(&b);
}

int
store_event_add(struct store *s, const char *type, const char *serial,
		const struct actor *actor, json_object *details, json_object **out)
{
	char now[21];
	const char *text = details ? json_object_to_json_string_ext(details,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "{}";
	sqlite3_stmt *st = store_prepare(s,
		"INSERT INTO events (time, type, token_serial, actor_uid, actor_user, details) "
		"VALUES (?, ?, ?, ?, ?, ?) RETURNING " EVENT_COLUMNS);
	int r = 0;

	*out = NULL;
	if (!st)
		return -EIO;
	if (!text) {
		sqlite3_finalize(st);
		return -ENOMEM;
	}
	store_now(now);
	store_bind_text(st, 1, now);
	store_bind_text(st, 2, type);
	store_bind_text(st, 3, serial);
	if (actor) {
		sqlite3_bind_int64(st, 4, actor->uid);
		store_bind_text(st, 5, actor->user);
	}
	store_bind_text(st, 6, text);
	if (sqlite3_step(st) == SQLITE_ROW)
		r = (*out = event_json(st)) ? 0 : -ENOMEM;
	else
		r = store_fail(s, "record event");
	if (r == 0 && sqlite3_step(st) != SQLITE_DONE)
		r = store_fail(s, "record event");
	sqlite3_finalize(st);
	if (r < 0) {
		json_object_put(*out);
		*out = NULL;
	}
	return r;
}

int
store_events(struct store *s, int64_t since, const char *serial, json_object **out)
{
	sqlite3_stmt *st = store_prepare(s,
		"SELECT " EVENT_COLUMNS " FROM events "
		"WHERE id > ?1 AND (?2 IS NULL OR token_serial = ?2) ORDER BY id");
	json_object *arr = json_object_new_array();
	int rc, r = 0;

	*out = NULL;
	if (!st || !arr) {
		sqlite3_finalize(st);
		json_object_put(arr);
		return st ? -ENOMEM : -EIO;
	}
	sqlite3_bind_int64(st, 1, since);
	store_bind_text(st, 2, serial);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_object *e = event_json(st);
		if (!e || json_object_array_add(arr, e) < 0) {
			json_object_put(e);
			r = -ENOMEM;
			break;
		}
	}
	if (!r && rc != SQLITE_DONE)
		r = store_fail(s, "events");
	sqlite3_finalize(st);
	if (r < 0) {
		json_object_put(arr);
		return r;
	}
	*out = arr;
	return 0;
}
