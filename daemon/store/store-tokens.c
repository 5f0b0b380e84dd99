/* Tokens, their certificates, holders and bindings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonb.h"
#include "store-private.h"
#include "store-tokens.h"

void
store_token_state_clear(struct token_state *st)
{
	free(st->module);
	free(st->seen_certs);
	free(st->bound_certs);
	memset(st, 0, sizeof(*st));
}

int
store_token_state(struct store *s, const char *serial, struct token_state *out)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT status, EXISTS (SELECT 1 FROM token_sightings WHERE token_serial = ?1 "
		"AND workstation = ?2 AND present = 1), flags, module, seen_certs, bound_certs "
		"FROM tokens WHERE serial = ?1");
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	store_bind_text(st, 2, s->workstation);
	int rc = store_step(st);
	if (rc == STORE_ROW) {
		out->known = true;
		out->registered = strcmp(store_column_text(st, 0), "registered") == 0;
		out->present = store_column_int(st, 1);
		out->flags = (unsigned long)store_column_int(st, 2);
		out->module = store_column_dup(st, 3, NULL);
		out->seen_certs = store_column_dup(st, 4, NULL);
		out->bound_certs = store_column_dup(st, 5, NULL);
		if (!out->module || !out->seen_certs || (!out->bound_certs && out->registered))
			r = -ENOMEM;
	} else if (rc != STORE_DONE) {
		r = store_fail(s, "token state");
	}
	store_finalize(st);
	/* No row: a token never seen, or one a shared registry keeps from this
	 * workstation's role (another agency's, 0011), which the registry
	 * says exists (0012) and whose sighting on this desk is still ours to
	 * record. SQLite has one agency: nothing is kept from it. */
	if (r == 0 && rc == STORE_DONE && s->backend->dialect == STORE_DIALECT_POSTGRESQL) {
		if (!(st = store_prepare(s, "SELECT khoa_token_known(?1)")))
			r = -EIO;
		else {
			store_bind_text(st, 1, serial);
			if ((rc = store_step(st)) == STORE_ROW)
				out->hidden = store_column_int(st, 0) != 0;
			else
				r = store_fail(s, "token known");
			store_finalize(st);
		}
	}
	if (r < 0)
		store_token_state_clear(out);
	return r;
}

static int
cert_seen(struct store *s, const struct khoa_cert *c, const char *now)
{
	struct store_stmt *st = store_prepare(s,
		"INSERT INTO certificates (sha256, serial, subject, subject_cn, issuer, "
		"not_before, not_after, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT (sha256) DO NOTHING");
	if (!st)
		return -EIO;
	store_bind_text(st, 1, c->sha256);
	store_bind_text(st, 2, c->serial);
	store_bind_text(st, 3, c->subject);
	store_bind_text(st, 4, c->subject_cn);
	store_bind_text(st, 5, c->issuer);
	store_bind_text(st, 6, c->not_before);
	store_bind_text(st, 7, c->not_after);
	store_bind_text(st, 8, now);
	int r = store_step_done(s, st, "record certificate");
	store_finalize(st);
	return r;
}

static int sighted(struct store *s, const struct khoa_token *t, const char *now);

/* token_certs (0013): the certificates of SEEN, the token's certificate
 * key, one row each, for the joins of the reports and the expiry list:
 * the rows of those it no longer carries out, the new ones in. */
static int
carried(struct store *s, const char *serial, const char *seen)
{
	struct store_stmt *st = store_prepare(s,
		"DELETE FROM token_certs WHERE token_serial = ?1 AND NOT EXISTS "
		"(SELECT 1 FROM certificates c WHERE c.id = token_certs.certificate_id "
		" AND ',' || ?2 || ',' LIKE '%,' || c.sha256 || ',%')");
	int r;

	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	store_bind_text(st, 2, seen);
	r = store_step_done(s, st, "record token certificates");
	store_finalize(st);
	if (r < 0 || !*seen)
		return r;
	if (!(st = store_prepare(s, "INSERT INTO token_certs (token_serial, certificate_id) "
				 "SELECT ?1, id FROM certificates WHERE sha256 = ?2 "
				 "ON CONFLICT (token_serial, certificate_id) DO NOTHING")))
		return -EIO;
	for (const char *p = seen; *p && r == 0;) {
		size_t len = strcspn(p, ",");
		store_reset(st);
		store_bind_text(st, 1, serial);
		store_bind_text_len(st, 2, p, len);
		r = store_step_done(s, st, "record token certificates");
		p += len + (p[len] == ',');
	}
	store_finalize(st);
	return r;
}

int
store_token_seen(struct store *s, const struct khoa_token *t, const char *seen)
{
	char now[21];
	int r;

	store_now(now);
	for (size_t i = 0; i < t->n_certs; i++)
		if ((r = cert_seen(s, &t->certs[i], now)) < 0)
			return r;

	struct store_stmt *st = store_prepare(s,
		"INSERT INTO tokens (serial, label, manufacturer, model, module, status, "
		"flags, seen_certs, first_seen, last_seen) "
		"VALUES (?1, ?2, ?3, ?4, ?5, 'unregistered', ?6, ?7, ?8, ?8) "
		"ON CONFLICT (serial) DO UPDATE SET label = excluded.label, "
		"manufacturer = excluded.manufacturer, model = excluded.model, "
		"module = excluded.module, flags = excluded.flags, "
		"seen_certs = excluded.seen_certs, last_seen = excluded.last_seen");
	if (!st)
		return -EIO;
	store_bind_text(st, 1, t->serial);
	store_bind_text(st, 2, t->label);
	store_bind_text(st, 3, t->manufacturer);
	store_bind_text(st, 4, t->model);
	store_bind_text(st, 5, t->module);
	store_bind_int(st, 6, (int64_t)t->flags);
	store_bind_text(st, 7, seen);
	store_bind_text(st, 8, now);
	r = store_step_done(s, st, "record token");
	store_finalize(st);
	if (r == 0)
		r = carried(s, t->serial, seen);
	return r < 0 ? r : sighted(s, t, now);
}

int
store_token_flags(struct store *s, const char *serial, unsigned long flags)
{
	struct store_stmt *st = store_prepare(s, "UPDATE tokens SET flags = ?2 WHERE serial = ?1");
	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	store_bind_int(st, 2, (int64_t)flags);
	int r = store_step_done(s, st, "record token flags");
	store_finalize(st);
	return r;
}

int
store_token_sighted(struct store *s, const struct khoa_token *t)
{
	char now[21];
	store_now(now);
	return sighted(s, t, now);
}

static int
sighted(struct store *s, const struct khoa_token *t, const char *now)
{
	struct store_stmt *st;
	int r;

	/* where: on this desk, through that module, now */
	if (!(st = store_prepare(s,
		"INSERT INTO token_sightings (token_serial, workstation, module, present, "
		"first_seen, last_seen) VALUES (?1, ?2, ?3, 1, ?4, ?4) "
		"ON CONFLICT (token_serial, workstation) DO UPDATE SET module = excluded.module, "
		"present = 1, last_seen = excluded.last_seen")))
		return -EIO;
	store_bind_text(st, 1, t->serial);
	store_bind_text(st, 2, s->workstation);
	store_bind_text(st, 3, t->module);
	store_bind_text(st, 4, now);
	r = store_step_done(s, st, "record sighting");
	store_finalize(st);
	return r;
}

/* Runs SQL with ?1 = SERIAL and ?2 = now (when SQL uses it); -ENOENT when
 * no row changed. */
static int
token_exec(struct store *s, const char *sql, const char *serial, const char *what)
{
	char now[21];
	struct store_stmt *st = store_prepare(s, sql);
	if (!st)
		return -EIO;
	store_now(now);
	store_bind_text(st, 1, serial);
	store_bind_text(st, 2, now);
	int r = store_step_done(s, st, what);
	store_finalize(st);
	return r == 0 && store_changes(s) == 0 ? -ENOENT : r;
}

int
store_token_gone(struct store *s, const char *serial)
{
	char now[21];
	struct store_stmt *st = store_prepare(s,
		"UPDATE token_sightings SET present = 0, last_seen = ?2 "
		"WHERE token_serial = ?1 AND workstation = ?3 AND present = 1");
	if (!st)
		return -EIO;
	store_now(now);
	store_bind_text(st, 1, serial);
	store_bind_text(st, 2, now);
	store_bind_text(st, 3, s->workstation);
	int r = store_step_done(s, st, "token removed");
	store_finalize(st);
	if (r == 0 && store_changes(s) == 0)
		return -ENOENT;
	if (r < 0)
		return r;
	/* (another agency's token has no row this role may change) */
	r = token_exec(s, "UPDATE tokens SET last_seen = ?2 WHERE serial = ?1", serial,
		       "token removed");
	return r == -ENOENT ? 0 : r;
}

/* The serials read so far, NULL-terminated. */
struct serials {
	char **v;
	size_t n;
};

static int
add_serial(struct store *s, struct store_stmt *st, void *arg)
{
	struct serials *ss = arg;
	char **grown = realloc(ss->v, (ss->n + 2) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	ss->v = grown;
	ss->v[ss->n] = NULL;
	if (!(ss->v[ss->n] = store_column_dup(st, 0, NULL)))
		return -ENOMEM;
	ss->v[++ss->n] = NULL;
	return 0;
}

int
store_tokens_present(struct store *s, const char *module, char ***out)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT token_serial FROM token_sightings WHERE workstation = ?1 AND present = 1 "
		"AND module = ?2 ORDER BY token_serial");
	struct serials ss = { 0 };
	int r;

	if (!st)
		return -EIO;
	store_bind_text(st, 1, s->workstation);
	store_bind_text(st, 2, module);
	r = store_each_row(s, st, add_serial, &ss, "present tokens");
	store_finalize(st);
	if (!r && !ss.v && !(ss.v = calloc(1, sizeof(*ss.v))))
		r = -ENOMEM;
	if (r < 0) {
		for (size_t i = 0; ss.v && i < ss.n; i++)
			free(ss.v[i]);
		free(ss.v);
		return r;
	}
	*out = ss.v;
	return 0;
}

/* Binds SERIAL to each certificate of its comma-joined SEEN key. */
static int
bind_seen(struct store *s, const char *serial, const char *seen)
{
	char now[21];
	int r = 0;

	store_now(now);
	for (const char *p = seen; *p && r == 0;) {
		size_t len = strcspn(p, ",");
		struct store_stmt *st = store_prepare(s,
			"INSERT INTO bindings (token_serial, certificate_id, valid_from) "
			"SELECT ?1, id, ?2 FROM certificates WHERE sha256 = ?3");
		if (!st)
			return -EIO;
		store_bind_text(st, 1, serial);
		store_bind_text(st, 2, now);
		store_bind_text_len(st, 3, p, len);
		r = store_step_done(s, st, "bind certificate");
		store_finalize(st);
		p += len + (p[len] == ',');
	}
	return r;
}

static int
end_bindings(struct store *s, const char *serial)
{
	int r = token_exec(s, "UPDATE bindings SET valid_to = ?2 "
			   "WHERE token_serial = ?1 AND valid_to IS NULL", serial, "end bindings");
	return r == -ENOENT ? 0 : r;
}

int
store_token_register(struct store *s, const char *serial, int64_t person, int64_t org)
{
	struct token_state ts;
	char now[21];
	int r;

	if ((r = store_token_state(s, serial, &ts)) < 0)
		return r;
	r = !ts.known ? -ENOENT : ts.registered ? -EEXIST : 0;
	char *seen = ts.seen_certs;
	ts.seen_certs = NULL;
	store_token_state_clear(&ts);
	if (r < 0)
		goto out;

	if ((r = token_exec(s, "UPDATE tokens SET status = 'registered', "
			    "bound_certs = seen_certs, registered_at = ?2 WHERE serial = ?1",
			    serial, "register token")) < 0 ||
	    (r = bind_seen(s, serial, seen)) < 0)
		goto out;

	struct store_stmt *st = store_prepare(s,
		"INSERT INTO holders (token_serial, person_id, organization_id, valid_from) "
		"VALUES (?, ?, ?, ?)");
	if (!st) {
		r = -EIO;
		goto out;
	}
	store_now(now);
	store_bind_text(st, 1, serial);
	store_bind_id(st, 2, person);
	store_bind_id(st, 3, org);
	store_bind_text(st, 4, now);
	r = store_step_done(s, st, "record holder");
	store_finalize(st);
out:
	free(seen);
	return r;
}

int
store_token_unregister(struct store *s, const char *serial)
{
	int r = token_exec(s, "UPDATE tokens SET status = 'unregistered', bound_certs = NULL, "
			   "registered_at = NULL WHERE serial = ?1 AND status = 'registered'",
			   serial, "unregister token");
	if (r < 0)
		return r;
	if ((r = token_exec(s, "UPDATE holders SET valid_to = ?2 "
			    "WHERE token_serial = ?1 AND valid_to IS NULL", serial, "end holder")) < 0 &&
	    r != -ENOENT)
		return r;
	return end_bindings(s, serial);
}

int
store_token_confirm(struct store *s, const char *serial)
{
	struct token_state ts;
	int r;

	if ((r = store_token_state(s, serial, &ts)) < 0)
		return r;
	if (!ts.registered) {
		store_token_state_clear(&ts);
		return -ENOENT;
	}
	if ((r = end_bindings(s, serial)) == 0 &&
	    (r = bind_seen(s, serial, ts.seen_certs)) == 0)
		r = token_exec(s, "UPDATE tokens SET bound_certs = seen_certs WHERE serial = ?1",
			       serial, "confirm binding");
	store_token_state_clear(&ts);
	return r;
}

int
store_token_registration(struct store *s, const char *serial, json_object **out)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT t.status, t.registered_at, t.seen_certs, t.bound_certs, "
		"h.person_id, h.organization_id, p.full_name, po.name, o.name, "
		"CASE WHEN ts.state = 'lost' AND ts.seen_at IS NOT NULL THEN 'found' "
		"ELSE ts.state END, ts.since "
		"FROM tokens t "
		"LEFT JOIN token_states ts ON ts.token_serial = t.serial "
		"LEFT JOIN holders h ON h.token_serial = t.serial AND h.valid_to IS NULL "
		"LEFT JOIN people p ON p.id = h.person_id "
		"LEFT JOIN organizations po ON po.id = p.organization_id "
		"LEFT JOIN organizations o ON o.id = h.organization_id "
		"WHERE t.serial = ?");
	struct jsonb b = jsonb_new();
	int r = 0;

	*out = NULL;
	if (!st) {
		jsonb_finish(&b);
		return -EIO;
	}
	store_bind_text(st, 1, serial);
	int rc = store_step(st);
	if (rc == STORE_ROW) {
		const char *status = store_column_text(st, 0);
		const char *seen = store_column_text(st, 2);
		const char *bound = store_column_text(st, 3);
		bool person = !store_column_null(st, 4);
		bool org = !store_column_null(st, 5);

		jsonb_str(&b, "status", status);
		store_column_json(&b, st, 1, "registered_at");
		jsonb_bool(&b, "mismatch", bound && seen && strcmp(seen, bound) != 0);
		store_column_json(&b, st, 9, "device_state");
		store_column_json(&b, st, 10, "device_state_since");
		if (person || org) {
			struct jsonb h = jsonb_new();
			jsonb_str(&h, "kind", person ? "person" : "organization");
			jsonb_int(&h, "id", store_column_int(st, person ? 4 : 5));
			store_column_json(&h, st, person ? 6 : 8, "name");
			store_column_json(&h, st, person ? 7 : 8, "organization");
			jsonb_put(&b, "holder", jsonb_finish(&h));
		}
	} else if (rc == STORE_DONE) {
		jsonb_str(&b, "status", "unregistered");
		jsonb_bool(&b, "mismatch", false);
	} else {
		r = store_fail(s, "registration");
	}
	store_finalize(st);
	*out = jsonb_finish(&b);
	if (r == 0 && !*out)
		r = -ENOMEM;
	if (r < 0) {
		json_object_put(*out);
		*out = NULL;
	}
	return r;
}

int
store_cert_serials(struct store *s, const char *key, json_object **out)
{
	json_object *arr = json_object_new_array();
	int r = 0;

	*out = NULL;
	if (!arr)
		return -ENOMEM;
	for (const char *p = key ? key : ""; *p && r == 0;) {
		size_t len = strcspn(p, ",");
		struct store_stmt *st = store_prepare(s, "SELECT serial FROM certificates WHERE sha256 = ?");
		if (!st) {
			r = -EIO;
			break;
		}
		store_bind_text_len(st, 1, p, len);
		if (store_step(st) == STORE_ROW) {
			json_object *v = json_object_new_string(store_column_text(st, 0));
			if (!v || json_object_array_add(arr, v) < 0) {
				json_object_put(v);
				r = -ENOMEM;
			}
		}
		store_finalize(st);
		p += len + (p[len] == ',');
	}
	if (r < 0) {
		json_object_put(arr);
		return r;
	}
	*out = arr;
	return 0;
}

int
store_set_workstation(struct store *s, const char *name, int64_t organization)
{
	char now[21];
	char *copy = strdup(name);
	struct store_stmt *st;
	int r;

	if (!copy)
		return -ENOMEM;
	free(s->workstation);
	s->workstation = copy;
	store_now(now);
	if ((r = store_begin(s)) < 0)
		return r;
	if (!(st = store_prepare(s,
		"INSERT INTO workstations (name, organization_id, first_seen, last_seen) "
		"VALUES (?1, ?2, ?3, ?3) ON CONFLICT (name) DO UPDATE SET "
		"organization_id = excluded.organization_id, last_seen = excluded.last_seen"))) {
		store_rollback(s);
		return -EIO;
	}
	store_bind_text(st, 1, name);
	store_bind_id(st, 2, organization);
	store_bind_text(st, 3, now);
	r = store_step_done(s, st, "record workstation");
	store_finalize(st);
	/* The sightings from before workstations had names: this desk's. */
	if (r == 0 && !(st = store_prepare(s, "UPDATE token_sightings SET workstation = ?1 "
					     "WHERE workstation = ''")))
		r = -EIO;
	if (r == 0) {
		store_bind_text(st, 1, name);
		r = store_step_done(s, st, "name the sightings");
		store_finalize(st);
	}
	if (r < 0 || (r = store_commit(s)) < 0) {
		store_rollback(s);
		return r;
	}
	return 0;
}

/* One RegisteredToken from a row of store_tokens_registered(). */
static int
registered_json(struct store *s, struct store_stmt *st, struct store_stmt *aux,
		json_object **out)
{
	struct jsonb b = jsonb_new(), h = jsonb_new();
	bool person = !store_column_null(st, 3);
	(void)s;
	(void)aux;

	store_column_json(&b, st, 0, "serial");
	store_column_json(&b, st, 1, "label");
	jsonb_str(&h, "kind", person ? "person" : "organization");
	jsonb_int(&h, "id", store_column_int(st, person ? 3 : 4));
	store_column_json(&h, st, person ? 5 : 6, "name");
	store_column_json(&h, st, 6, "organization");
	jsonb_put(&b, "holder", jsonb_finish(&h));
	store_column_json(&b, st, 7, "custodian");
	store_column_json(&b, st, 8, "workstation");
	store_column_json(&b, st, 9, "last_seen");
	jsonb_bool(&b, "present", store_column_int(st, 10) != 0);
	return (*out = jsonb_finish(&b)) ? 0 : -ENOMEM;
}

int
store_tokens_registered(struct store *s, const int64_t *orgs, size_t n,
			struct store_page *page, json_object **out)
{
	/* By agency, then holder, then serial: the key's columns (11, 12, 0)
	 * never null, so that the order is the same on every engine (SQLite
	 * puts nulls first, PostgreSQL last) and rows compare by it. */
	static const struct store_key key = { "tts", { 11, 12, 0 } };
	char sql[2560], list[512] = "";
	size_t used = 0;
	json_object *after;
	int r;

	*out = NULL;
	if ((r = store_page_after(page, &key, &after)) < 0)
		return r;
	/* The organizations in scope: those given and every one below them
	 * (a clerk keeps the papers of the sub-units too). */
	for (size_t i = 0; orgs && i < n && used + 24 < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%lld",
					 i ? ", " : "", (long long)orgs[i]);
	snprintf(sql, sizeof(sql),
		"WITH RECURSIVE scope (id) AS (SELECT id FROM organizations WHERE id IN (%s) "
		"UNION SELECT o.id FROM organizations o JOIN scope ON o.parent_id = scope.id) "
		"SELECT t.serial, t.label, t.status, h.person_id, h.organization_id, p.full_name, "
		"COALESCE(o.name, po.name), "
		"(SELECT c.to_party FROM custody_links c WHERE c.token_serial = t.serial "
		" AND c.superseded_by IS NULL ORDER BY c.id DESC LIMIT 1), "
		"w.workstation, w.last_seen, w.present, "
		"COALESCE(o.name, po.name, ''), COALESCE(p.full_name, '') "
		"FROM tokens t "
		"JOIN holders h ON h.token_serial = t.serial AND h.valid_to IS NULL "
		"LEFT JOIN people p ON p.id = h.person_id "
		"LEFT JOIN organizations po ON po.id = p.organization_id "
		"LEFT JOIN organizations o ON o.id = h.organization_id "
		"LEFT JOIN token_sightings w ON w.token_serial = t.serial AND w.workstation = "
		" (SELECT x.workstation FROM token_sightings x WHERE x.token_serial = t.serial "
		"  ORDER BY x.present DESC, x.last_seen DESC LIMIT 1) "
		"WHERE t.status = 'registered' AND (?1 = 0 OR "
		" COALESCE(h.organization_id, p.organization_id) IN (SELECT id FROM scope)) %s"
		"ORDER BY COALESCE(o.name, po.name, ''), COALESCE(p.full_name, ''), t.serial "
		"LIMIT ?2",
		used ? list : "0",
		after ? "AND (COALESCE(o.name, po.name, ''), COALESCE(p.full_name, ''), t.serial) "
			"> (?3, ?4, ?5) " : "");
	struct store_stmt *st = store_prepare(s, sql);
	if (st) {
		store_bind_int(st, 1, orgs ? 1 : 0);
		store_bind_page(st, page, 2, after, 3);
		r = store_rows_page(s, st, NULL, registered_json, &key, page, "registered tokens",
				    out);
		store_finalize(st);
	}
	json_object_put(after);
	return st ? r : -EIO;
}
