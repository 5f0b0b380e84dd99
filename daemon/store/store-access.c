/* Who a caller is and whom a record concerns (store-access.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-access.h"
#include "store-private.h"

/* The integer columns of the first row of SQL (?1 = ID, or TEXT when not
 * NULL) into OUT[0..N): 0, -ENOENT when no row. */
struct ints {
	int64_t *out;
	int n;
};

static int
read_ints(struct store *s, struct store_stmt *st, void *arg)
{
	struct ints *v = arg;
	(void)s;
	for (int i = 0; i < v->n; i++)
		v->out[i] = store_column_null(st, i) ? 0 : store_column_int(st, i);
	return 0;
}

static int
first_ints(struct store *s, const char *sql, int64_t id, const char *text, int64_t *out,
	   int n, const char *what)
{
	struct store_stmt *st = store_prepare(s, sql);
	if (!st)
		return -EIO;
	if (text)
		store_bind_text(st, 1, text);
	else
		store_bind_int(st, 1, id);
	int r = store_first_row(s, st, read_ints, &(struct ints){ out, n }, what);
	store_finalize(st);
	return r;
}

int
store_login_person(struct store *s, const char *login, int64_t *person, int64_t *organization,
		   bool *clerk)
{
	int64_t v[3];
	int r = first_ints(s, "SELECT p.id, p.organization_id, p.clerk FROM person_logins l "
			   "JOIN people p ON p.id = l.person_id WHERE l.login = ?1",
			   0, login, v, 3, "read login");
	if (r < 0)
		return r;
	*person = v[0];
	*organization = v[1];
	*clerk = v[2] != 0;
	return 0;
}

int
store_login_owner(struct store *s, const char *login, int64_t *person)
{
	int r = first_ints(s, "SELECT person_id FROM person_logins WHERE login = ?1", 0, login,
			   person, 1, "read login");
	if (r == -ENOENT) {
		*person = 0;
		return 0;
	}
	return r;
}

int
store_logins_set(struct store *s, int64_t person, const char *const *logins, size_t n)
{
	struct store_stmt *st = store_prepare(s, "DELETE FROM person_logins WHERE person_id = ?1");
	int r;

	if (!st)
		return -EIO;
	store_bind_int(st, 1, person);
	r = store_step_done(s, st, "clear logins");
	store_finalize(st);
	if (r < 0 || n == 0)
		return r;
	if (!(st = store_prepare(s, "INSERT INTO person_logins (login, person_id) VALUES (?1, ?2)")))
		return -EIO;
	for (size_t i = 0; r == 0 && i < n; i++) {
		store_reset(st);
		store_bind_text(st, 1, logins[i]);
		store_bind_int(st, 2, person);
		r = store_step_done(s, st, "add login");
	}
	store_finalize(st);
	return r;
}

int
store_person_set_clerk(struct store *s, int64_t person, bool clerk)
{
	struct store_stmt *st = store_prepare(s, "UPDATE people SET clerk = ?2 WHERE id = ?1");
	if (!st)
		return -EIO;
	store_bind_int(st, 1, person);
	store_bind_int(st, 2, clerk);
	int r = store_step_done(s, st, "set clerk");
	store_finalize(st);
	return r;
}

/* ----- logins and the clerk flag beside a person's fields ----- */

/* The person object of ID in PEOPLE (an object or an array). */
static json_object *
person_in(json_object *people, int64_t id)
{
	json_object *v;
	if (!json_object_is_type(people, json_type_array))
		return json_object_object_get_ex(people, "id", &v) &&
		       json_object_get_int64(v) == id ? people : NULL;
	for (size_t i = 0; i < json_object_array_length(people); i++) {
		json_object *p = json_object_array_get_idx(people, i);
		if (json_object_object_get_ex(p, "id", &v) && json_object_get_int64(v) == id)
			return p;
	}
	return NULL;
}

static int
add_access_row(struct store *s, struct store_stmt *st, void *arg)
{
	json_object *p = person_in(arg, store_column_int(st, 0)), *logins, *v;
	(void)s;
	if (!p)
		return 0;
	if (!json_object_object_get_ex(p, "logins", &logins)) {
		if (!(logins = json_object_new_array()) ||
		    json_object_object_add(p, "logins", logins) < 0 ||
		    json_object_object_add(p, "clerk",
					   json_object_new_boolean(store_column_int(st, 1))) < 0)
			return -ENOMEM;
	}
	const char *login = store_column_text(st, 2);
	if (login && (!(v = json_object_new_string(login)) ||
		      json_object_array_add(logins, v) < 0))
		return -ENOMEM;
	return 0;
}

int
store_people_add_access(struct store *s, json_object *people)
{
	/* One read for the whole list: a list of 1,000 people is one query. */
	bool one = !json_object_is_type(people, json_type_array);
	json_object *v;
	int64_t id = one && json_object_object_get_ex(people, "id", &v) ? json_object_get_int64(v) : 0;
	struct store_stmt *st = store_prepare(s,
		"SELECT p.id, p.clerk, l.login FROM people p "
		"LEFT JOIN person_logins l ON l.person_id = p.id "
		"WHERE ?1 = 0 OR p.id = ?1 ORDER BY p.id, l.login");
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	int r = store_each_row(s, st, add_access_row, people, "read logins");
	store_finalize(st);
	return r;
}

/* ----- organizations ----- */

int
store_org_find(struct store *s, const char *text, int64_t *id)
{
	char *end;
	long long n = strtoll(text, &end, 10);
	/* An id is short; a tax code is 10 or 13 digits (with a dash). */
	if (*text && !*end && strlen(text) < 10)
		return first_ints(s, "SELECT id FROM organizations WHERE id = ?1", n, NULL, id, 1,
				  "read organization");
	return first_ints(s, "SELECT id FROM organizations WHERE tax_code = ?1 ORDER BY id", 0,
			  text, id, 1, "read organization");
}

int
store_org_chain(struct store *s, int64_t org, int64_t *ids, size_t max, size_t *n)
{
	struct store_stmt *st = store_prepare(s, "SELECT parent_id FROM organizations WHERE id = ?1");
	int r = 0;

	*n = 0;
	if (!st)
		return -EIO;
	while (org && *n < max) {
		int64_t parent;
		store_reset(st);
		store_bind_int(st, 1, org);
		r = store_first_row(s, st, read_ints, &(struct ints){ &parent, 1 }, "read organization");
		if (r == -ENOENT) {
			r = 0;
			break;
		}
		if (r < 0)
			break;
		ids[(*n)++] = org;
		org = parent;
	}
	store_finalize(st);
	return r;
}

/* Column 0 of the first row, copied into a caller's buffer ("" for null). */
struct text_out {
	char *buf;
	size_t size;
};

static int
read_text(struct store *s, struct store_stmt *st, void *arg)
{
	struct text_out *t = arg;
	const char *text = store_column_text(st, 0);
	(void)s;
	snprintf(t->buf, t->size, "%s", text ? text : "");
	return 0;
}

static int
first_text(struct store *s, const char *sql, int64_t id, char *buf, size_t size, const char *what)
{
	struct store_stmt *st = store_prepare(s, sql);

	buf[0] = '\0';
	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	int r = store_first_row(s, st, read_text, &(struct text_out){ buf, size }, what);
	store_finalize(st);
	return r;
}

int
store_org_name(struct store *s, int64_t id, char *buf, size_t size)
{
	int r = first_text(s, "SELECT name FROM organizations WHERE id = ?1", id, buf, size,
			   "read organization");
	return r == -ENOENT ? 0 : r;
}

int
store_person_org(struct store *s, int64_t person, int64_t *organization)
{
	return first_ints(s, "SELECT organization_id FROM people WHERE id = ?1", person, NULL,
			  organization, 1, "read person");
}

/* ----- whom a record concerns ----- */

/* The person_id of a party's JSON text (0: none). */
static int64_t
party_person(const char *text, int64_t *organization)
{
	json_object *party = text ? json_tokener_parse(text) : NULL, *v;
	int64_t person = 0;

	*organization = 0;
	if (party && json_object_object_get_ex(party, "person_id", &v))
		person = json_object_get_int64(v);
	if (party && json_object_object_get_ex(party, "organization_id", &v))
		*organization = json_object_get_int64(v);
	json_object_put(party);
	return person;
}

static int
read_receiver(struct store *s, struct store_stmt *st, void *arg)
{
	int64_t organization;
	(void)s;
	*(int64_t *)arg = party_person(store_column_text(st, 0), &organization);
	return 0;
}

int
store_token_parties(struct store *s, const char *serial, struct token_parties *out)
{
	int64_t v[3];
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = first_ints(s, "SELECT h.id, h.person_id, COALESCE(h.organization_id, "
			    "p.organization_id) FROM tokens t "
			    "LEFT JOIN holders h ON h.token_serial = t.serial AND h.valid_to IS NULL "
			    "LEFT JOIN people p ON p.id = h.person_id WHERE t.serial = ?1",
			    0, serial, v, 3, "read holder")) < 0)
		return r;
	out->registered = v[0] != 0;
	out->person = v[1];
	out->organization = v[2];
	/* Custody: an open check-out of the seal register, else the last move. */
	r = first_ints(s, "SELECT person_id FROM seal_log WHERE token_serial = ?1 AND in_at IS NULL "
		       "ORDER BY id DESC", 0, serial, &out->custodian, 1, "read seal register");
	if (r != -ENOENT)
		return r;
	struct store_stmt *st = store_prepare(s,
		"SELECT h.receiver FROM custody_links c JOIN handovers h ON h.id = c.handover_id "
		"WHERE c.token_serial = ?1 AND c.superseded_by IS NULL ORDER BY c.id DESC");
	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	r = store_first_row(s, st, read_receiver, &out->custodian, "read custody");
	store_finalize(st);
	return r == -ENOENT ? 0 : r;
}

int
store_pin_request_serial(struct store *s, int64_t id, char *buf, size_t size)
{
	return first_text(s, "SELECT token_serial FROM requests WHERE id = ?1", id, buf, size,
			  "read request");
}

int
store_request_subject(struct store *s, int64_t id, int64_t *person, int64_t *organization)
{
	int64_t v[2];
	int r = first_ints(s, "SELECT r.person_id, COALESCE(r.organization_id, p.organization_id) "
			   "FROM lifecycle_requests r LEFT JOIN people p ON p.id = r.person_id "
			   "WHERE r.id = ?1", id, NULL, v, 2, "read request");
	if (r < 0)
		return r;
	*person = v[0];
	*organization = v[1];
	return 0;
}

static int
read_parties(struct store *s, struct store_stmt *st, void *arg)
{
	int64_t *v = arg;
	(void)s;
	v[0] = party_person(store_column_text(st, 0), &v[2]);
	v[1] = party_person(store_column_text(st, 1), &v[3]);
	return 0;
}

int
store_handover_parties(struct store *s, int64_t id, int64_t persons[2], int64_t organizations[2])
{
	struct store_stmt *st = store_prepare(s, "SELECT giver, receiver FROM handovers WHERE id = ?1");
	int64_t v[4] = { 0 };

	if (!st)
		return -EIO;
	store_bind_int(st, 1, id);
	int r = store_first_row(s, st, read_parties, v, "read handover");
	store_finalize(st);
	persons[0] = v[0];
	persons[1] = v[1];
	organizations[0] = v[2];
	organizations[1] = v[3];
	return r;
}
