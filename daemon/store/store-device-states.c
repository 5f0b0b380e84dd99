/* The state of a token as a device (store-device-states.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jsonb.h"
#include "store-device-states.h"
#include "store-private.h"

#define COPY(dst, st, i) \
	snprintf((dst), sizeof(dst), "%s", store_column_text((st), (i)) ? store_column_text((st), (i)) : "")

static int
state_row(struct store *s, struct store_stmt *st, void *arg)
{
	struct device_state *out = arg;
	(void)s;
	COPY(out->state, st, 0);
	COPY(out->since, st, 1);
	COPY(out->happened_on, st, 2);
	COPY(out->seen_at, st, 3);
	COPY(out->seen_on, st, 4);
	return 0;
}

int
store_device_state(struct store *s, const char *serial, struct device_state *out)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT state, since, happened_on, seen_at, seen_on FROM token_states "
		"WHERE token_serial = ?1");

	*out = (struct device_state){ .state = "in-use" };
	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	int r = store_first_row(s, st, state_row, out, "read a token's state");
	store_finalize(st);
	return r == -ENOENT ? 0 : r;
}

int
store_device_state_set(struct store *s, const char *serial, const char *state,
		       const char *happened_on, const char *note, const struct actor *actor)
{
	struct store_stmt *st;

	if (strcmp(state, "in-use") == 0) {
		if (!(st = store_prepare(s, "DELETE FROM token_states WHERE token_serial = ?1")))
			return -EIO;
		store_bind_text(st, 1, serial);
	} else {
		if (!(st = store_prepare(s,
			"INSERT INTO token_states (token_serial, state, happened_on, note, since, "
			"by_uid, by_user) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
			"ON CONFLICT (token_serial) DO UPDATE SET state = excluded.state, "
			"since = excluded.since, happened_on = excluded.happened_on, "
			"note = excluded.note, by_uid = excluded.by_uid, by_user = excluded.by_user, "
			"seen_at = NULL, seen_on = NULL")))
			return -EIO;
		store_bind_text(st, 1, serial);
		store_bind_text(st, 2, state);
		store_bind_text(st, 3, happened_on);
		store_bind_text(st, 4, note);
		store_bind_stamp(st, 5, actor);
	}
	int r = store_step_done(s, st, "record a token's state");
	store_finalize(st);
	return r;
}

int
store_device_state_seen(struct store *s, const char *serial, bool *first)
{
	struct store_stmt *st = store_prepare(s,
		"UPDATE token_states SET seen_at = ?2, seen_on = ?3 "
		"WHERE token_serial = ?1 AND state = 'lost' AND seen_at IS NULL");
	char now[21];
	int r;

	*first = false;
	if (!st)
		return -EIO;
	store_now(now);
	store_bind_text(st, 1, serial);
	store_bind_text(st, 2, now);
	store_bind_text(st, 3, s->workstation);
	if ((r = store_step_done(s, st, "record a lost token seen")) == 0)
		*first = store_changes(s) > 0;
	store_finalize(st);
	return r;
}

static int
state_json_row(struct store *s, struct store_stmt *st, void *arg)
{
	static const char *const keys[] = {
		"state", "since", "happened_on", "note", "by", "seen_at", "seen_on",
	};
	json_object **out = arg;
	struct jsonb b = jsonb_new();
	(void)s;
	for (int i = 0; i < 7; i++)
		store_column_json(&b, st, i, keys[i]);
	return (*out = jsonb_finish(&b)) ? 0 : -ENOMEM;
}

int
store_device_state_json(struct store *s, const char *serial, json_object **out)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT state, since, happened_on, note, by_user, seen_at, seen_on FROM token_states "
		"WHERE token_serial = ?1");

	*out = NULL;
	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	int r = store_first_row(s, st, state_json_row, out, "read a token's state");
	store_finalize(st);
	return r == -ENOENT ? 0 : r;
}
