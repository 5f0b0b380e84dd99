/* The event log. */
#include <errno.h>
#include <stdint.h>

#include "jsonb.h"
#include "store-events.h"
#include "store-private.h"

/* The columns of an event, and the name of the person whose login the actor
 * is (issue 17: a history says "Nguyễn Thị Hường", not "lp"); a person the
 * caller may not see (another agency's, 0012) leaves it NULL. */
#define EVENT_COLUMNS "id, time, type, token_serial, actor_uid, actor_user, details, " \
	"(SELECT p.full_name FROM person_logins l JOIN people p ON p.id = l.person_id " \
	"WHERE l.login = events.actor_user)"

/* The current row (EVENT_COLUMNS) as a protocol Event object. */
static json_object *
event_object(struct store_stmt *st)
{
	struct jsonb b = jsonb_new();
	store_column_json(&b, st, 0, "id");
	store_column_json(&b, st, 1, "time");
	store_column_json(&b, st, 2, "type");
	store_column_json(&b, st, 3, "token_serial");
	if (!store_column_null(st, 4)) {
		struct jsonb a = jsonb_new();
		store_column_json(&a, st, 4, "uid");
		store_column_json(&a, st, 5, "user");
		if (!store_column_null(st, 7))
			store_column_json(&a, st, 7, "name");
		jsonb_put(&b, "actor", jsonb_finish(&a));
	}
	json_object *details = json_tokener_parse(store_column_text(st, 6));
	jsonb_put(&b, "details", details ? details : json_object_new_object());
	return jsonb_finish(&b);
}

/* The same as a store_row_fn. */
static int
event_json(struct store *s, struct store_stmt *st, struct store_stmt *aux, json_object **out)
{
	return (*out = event_object(st)) ? 0 : -ENOMEM;
}

int
store_event_add(struct store *s, const char *type, const char *serial,
		const struct actor *actor, json_object *details, json_object **out)
{
	char now[21];
	const char *text = details ? json_object_to_json_string_ext(details,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "{}";
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO events (time, type, token_serial, actor_uid, actor_user, details) "
		"VALUES (?, ?, ?, ?, ?, ?) RETURNING " EVENT_COLUMNS);
	int r = 0;

	*out = NULL;
	if (!st)
		return -EIO;
	if (!text) {
		store_finalize(st);
		return -ENOMEM;
	}
	store_now(now);
	store_bind_text(st, 1, now);
	store_bind_text(st, 2, type);
	store_bind_text(st, 3, serial);
	if (actor) {
		store_bind_int(st, 4, actor->uid);
		store_bind_text(st, 5, actor->user);
	}
	store_bind_text(st, 6, text);
	r = store_row_json(s, st, NULL, event_json, "record event", out);
	store_finalize(st);
	if (r == 0)
		store_audit_note(s, type, actor);
	if (r < 0) {
		json_object_put(*out);
		*out = NULL;
	}
	return r;
}

int
store_events(struct store *s, int64_t since, const char *serial, size_t limit,
	     json_object **out)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT " EVENT_COLUMNS " FROM events "
		"WHERE id > ?1 AND (?2 IS NULL OR token_serial = ?2) ORDER BY id LIMIT ?3");
	*out = NULL;
	if (!st)
		return -EIO;
	store_bind_int(st, 1, since);
	store_bind_text(st, 2, serial);
	store_bind_int(st, 3, limit ? (int64_t)limit : INT64_MAX);	/* 0: every one */
	int r = store_rows_json(s, st, NULL, event_json, "events", out);
	store_finalize(st);
	return r;
}

static int
last_id(struct store *s, struct store_stmt *st, void *arg)
{
	*(int64_t *)arg = store_column_int(st, 0);
	return 0;
}

int
store_events_last(struct store *s, int64_t *id)
{
	/* Whoever may see it (a shared registry hides other agencies' events
	 * from this workstation's role, 0012). */
	struct store_stmt *st = store_prepare(s, s->backend->dialect == STORE_DIALECT_POSTGRESQL
		? "SELECT khoa_events_newest()" : "SELECT COALESCE(MAX(id), 0) FROM events");
	*id = 0;
	if (!st)
		return -EIO;
	int r = store_first_row(s, st, last_id, id, "newest event");
	store_finalize(st);
	return r;
}

int
store_events_lock(struct store *s)
{
	return store_lock(s, STORE_LOCK_EVENTS, 0);
}

int
store_events_notify(struct store *s, int64_t id)
{
	return s->backend->notify(s->conn, id) < 0 ? store_fail(s, "notify") : 0;
}
