/* The registry's last reading of a token (store-reading.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-private.h"
#include "store-reading.h"

static char *
dup_column(struct store_stmt *st, int i, bool *nomem)
{
	const char *v = store_column_text(st, i);
	char *copy = v ? strdup(v) : NULL;
	if (v && !copy)
		*nomem = true;
	return copy;
}

static int
token_fields(struct store *s, struct store_stmt *st, void *arg)
{
	struct khoa_token *t = arg;
	bool nomem = false;
	(void)s;
	t->serial = dup_column(st, 0, &nomem);
	t->label = dup_column(st, 1, &nomem);
	t->manufacturer = dup_column(st, 2, &nomem);
	t->model = dup_column(st, 3, &nomem);
	t->module = dup_column(st, 4, &nomem);
	t->flags = (unsigned long)store_column_int(st, 5);
	/* not kept: what a device says of its slot */
	if (!(t->slot_description = strdup("")))
		nomem = true;
	return nomem ? -ENOMEM : 0;
}

static int
token_row(struct store *s, const char *serial, struct khoa_token *t)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT serial, label, manufacturer, model, module, flags FROM tokens "
		"WHERE serial = ?1");

	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	int r = store_first_row(s, st, token_fields, t, "read a token");
	store_finalize(st);
	return r;
}

static int
cert_rows(struct store *s, const char *serial, struct khoa_token *t)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT c.serial, c.subject, c.subject_cn, c.issuer, c.not_before, c.not_after, "
		"c.sha256 FROM token_certs tc JOIN certificates c ON c.id = tc.certificate_id "
		"WHERE tc.token_serial = ?1 ORDER BY c.not_after, c.serial");
	bool nomem = false;
	int rc;

	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	while (!nomem && (rc = store_step(st)) == STORE_ROW) {
		struct khoa_cert *more = realloc(t->certs, (t->n_certs + 1) * sizeof(*more));
		if (!more) {
			nomem = true;
			break;
		}
		t->certs = more;
		struct khoa_cert *c = &t->certs[t->n_certs++];
		*c = (struct khoa_cert){ 0 };
		c->serial = dup_column(st, 0, &nomem);
		c->subject = dup_column(st, 1, &nomem);
		c->subject_cn = dup_column(st, 2, &nomem);
		c->issuer = dup_column(st, 3, &nomem);
		snprintf(c->not_before, sizeof(c->not_before), "%s", store_column_text(st, 4));
		snprintf(c->not_after, sizeof(c->not_after), "%s", store_column_text(st, 5));
		snprintf(c->sha256, sizeof(c->sha256), "%s", store_column_text(st, 6));
		/* not kept: the key and the object's attributes */
		c->key_algorithm = strdup("");
		c->id = strdup("");
		c->label = strdup("");
		if (!c->key_algorithm || !c->id || !c->label)
			nomem = true;
	}
	int r = nomem ? -ENOMEM : rc == STORE_DONE ? 0 : store_fail(s, "read a token's certificates");
	store_finalize(st);
	return r;
}

static int
sighting_row(struct store *s, struct store_stmt *st, void *arg)
{
	struct token_sighting *seen = arg;
	(void)s;
	snprintf(seen->workstation, sizeof(seen->workstation), "%s", store_column_text(st, 0));
	snprintf(seen->last_seen, sizeof(seen->last_seen), "%s", store_column_text(st, 1));
	seen->present = store_column_int(st, 2) != 0;
	return 0;
}

static int
sighting(struct store *s, const char *serial, struct token_sighting *seen)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT workstation, last_seen, present FROM token_sightings WHERE token_serial = ?1 "
		"ORDER BY present DESC, last_seen DESC LIMIT 1");

	*seen = (struct token_sighting){ 0 };
	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	int r = store_first_row(s, st, sighting_row, seen, "read a token's sightings");
	store_finalize(st);
	return r == -ENOENT ? 0 : r;
}

int
store_token_recorded(struct store *s, const char *serial, struct khoa_token *out,
		     struct token_sighting *seen)
{
	int r;

	*out = (struct khoa_token){ 0 };
	if ((r = token_row(s, serial, out)) < 0 || (r = cert_rows(s, serial, out)) < 0 ||
	    (r = sighting(s, serial, seen)) < 0)
		khoa_token_clear(out);
	return r;
}

int
store_certificate_token(struct store *s, const char *certificate_serial, char **token_serial)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT tc.token_serial FROM certificates c "
		"JOIN token_certs tc ON tc.certificate_id = c.id "
		"JOIN tokens t ON t.serial = tc.token_serial "
		"WHERE c.serial = ?1 ORDER BY t.last_seen DESC LIMIT 1");
	int r = 0;

	*token_serial = NULL;
	if (!st)
		return -EIO;
	store_bind_text(st, 1, certificate_serial);
	int rc = store_step(st);
	if (rc == STORE_ROW)
		r = (*token_serial = strdup(store_column_text(st, 0))) ? 0 : -ENOMEM;
	else
		r = rc == STORE_DONE ? -ENOENT : store_fail(s, "find a certificate's token");
	store_finalize(st);
	return r;
}

int
store_subject_certificates(struct store *s, int64_t person_id, int64_t organization_id,
			   json_object **out)
{
	static const char *const keys[] = { "certificate_serial", "token_serial" };
	struct store_stmt *st = store_prepare(s,
		"SELECT c.serial, h.token_serial FROM holders h "
		"JOIN token_certs tc ON tc.token_serial = h.token_serial "
		"JOIN certificates c ON c.id = tc.certificate_id "
		"WHERE h.valid_to IS NULL AND ((?1 IS NOT NULL AND h.person_id = ?1) "
		"OR (?2 IS NOT NULL AND h.organization_id = ?2)) "
		"AND NOT EXISTS (SELECT 1 FROM certificate_revocations v "
		"                WHERE v.certificate_serial = c.serial) "
		"AND NOT EXISTS (SELECT 1 FROM lifecycle_requests q WHERE q.kind = 'revoke' "
		"                AND q.certificate_serial = c.serial "
		"                AND q.state NOT IN ('rejected', 'cancelled')) "
		"ORDER BY c.not_after, c.serial");
	int r;

	*out = NULL;
	if (!st)
		return -EIO;
	store_bind_id(st, 1, person_id);
	store_bind_id(st, 2, organization_id);
	r = store_objects_json(s, st, keys, 2, "list a subject's certificates", out);
	store_finalize(st);
	return r;
}

static int
serial_row(struct store *s, struct store_stmt *st, void *arg)
{
	json_object *rows = arg;
	(void)s;
	return json_object_array_add(rows, json_object_new_string(store_column_text(st, 0))) < 0
		       ? -ENOMEM : 0;
}

int
store_serial_canonical(struct store *s, const char *table, const char *serial, char **out)
{
	bool tokens = strcmp(table, "tokens") == 0;
	struct store_stmt *st;
	json_object *rows = NULL;
	int r;

	*out = NULL;
	/* as typed first: the index answers, and most are */
	if (!(st = store_prepare(s, tokens ? "SELECT serial FROM tokens WHERE serial = ?1"
					    : "SELECT serial FROM certificates WHERE serial = ?1 "
					      "LIMIT 1")))
		return -EIO;
	store_bind_text(st, 1, serial);
	int rc = store_step(st);
	store_finalize(st);
	if (rc == STORE_ROW)
		return 0;
	if (rc != STORE_DONE)
		return store_fail(s, "look up a serial");
	/* then in any case: the serials are ASCII, lower() is enough */
	if (!(st = store_prepare(s, tokens
			? "SELECT serial FROM tokens WHERE lower(serial) = lower(?1) LIMIT 2"
			: "SELECT DISTINCT serial FROM certificates WHERE lower(serial) = lower(?1) "
			  "LIMIT 2")))
		return -EIO;
	if (!(rows = json_object_new_array())) {
		store_finalize(st);
		return -ENOMEM;
	}
	store_bind_text(st, 1, serial);
	r = store_each_row(s, st, serial_row, rows, "look up a serial in any case");
	store_finalize(st);
	if (r == 0 && json_object_array_length(rows) == 1 &&
	    !(*out = strdup(json_object_get_string(json_object_array_get_idx(rows, 0)))))
		r = -ENOMEM;
	json_object_put(rows);
	return r;
}
