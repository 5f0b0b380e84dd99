/* Moving in: what both registries hold, matched or in conflict
 * (store-import-private.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store-import-private.h"
#include "store-import.h"
#include "store-private.h"

/* ---- conflicts ---------------------------------------------------------------- */

int
conflict(struct import *im, enum store_import_clash clash, const char *key, int64_t here_id,
	 const char *here, int64_t there_id, const char *there)
{
	struct store_import *out = im->out;
	struct store_import_conflict *c = reallocarray(out->conflicts, out->n_conflicts + 1,
						       sizeof(*c));
	if (!c)
		return -ENOMEM;
	out->conflicts = c;
	c = &c[out->n_conflicts];
	*c = (struct store_import_conflict){ .clash = clash, .here_id = here_id,
					     .there_id = there_id };
	if ((key && !(c->key = strdup(key))) || !(c->here = strdup(here ? here : "")) ||
	    !(c->there = strdup(there ? there : ""))) {
		free(c->key);
		free(c->here);
		return -ENOMEM;
	}
	out->n_conflicts++;
	return 0;
}

/* One row of SQL (?1 = TEXT) in the shared registry: its first column in
 * *ID, its second copied to *NAME; 0 when there is none. */
int
there(struct import *im, const char *sql, const char *text, int64_t *id, char **name)
{
	struct store_stmt *st = store_prepare(im->dst, sql);
	int r;

	*id = 0;
	*name = NULL;
	if (!st)
		return -EIO;
	store_bind_text(st, 1, text);
	if ((r = store_step(st)) == STORE_ROW) {
		bool oom = false;
		*id = store_column_int(st, 0);
		*name = store_column_dup(st, 1, &oom);
		r = oom ? -ENOMEM : 1;
	} else if (r == STORE_DONE) {
		r = 0;
	} else {
		r = store_fail(im->dst, "look up");
	}
	store_finalize(st);
	return r;
}


/* ---- matches ----------------------------------------------------------------------- */


/* An organization with the tax code of one there, a person with the ID
 * number of one there: the same if named the same (NFC, as both store
 * names), else a conflict. */
int
match_named(struct import *im, struct store_stmt *row, const struct columns *c,
	    const char *by, const char *name_col, const char *sql, enum store_import_clash clash,
	    int64_t *id, enum fate *fate)
{
	int k = column_index(c, by, strlen(by)), n = column_index(c, name_col, strlen(name_col));
	const char *value = store_column_text(row, k), *name = store_column_text(row, n);
	char *their = NULL;
	int r;

	if (!value || !*value)
		return 0;
	if ((r = there(im, sql, value, id, &their)) <= 0)
		return r;
	if (strcmp(their, name) == 0)
		*fate = MATCHED;
	else {
		*fate = CLASH;
		r = conflict(im, clash, clash == STORE_CLASH_TAX_CODE ? value : NULL,
			     store_column_int(row, c->key[0]), name, *id, their);
	}
	free(their);
	return r < 0 ? r : 0;
}

struct holder {
	int64_t person, organization;
	char *name;
};

/* Who holds token SERIAL now in registry S: its ids there and its name. */
static int
holder_of(struct store *s, const char *serial, struct holder *h)
{
	struct store_stmt *st = store_prepare(s,
		"SELECT h.person_id, h.organization_id, COALESCE(p.full_name, o.name) FROM holders h "
		"LEFT JOIN people p ON p.id = h.person_id "
		"LEFT JOIN organizations o ON o.id = h.organization_id "
		"WHERE h.token_serial = ?1 AND h.valid_to IS NULL");
	int r;

	memset(h, 0, sizeof(*h));
	if (!st)
		return -EIO;
	store_bind_text(st, 1, serial);
	if ((r = store_step(st)) == STORE_ROW) {
		bool oom = false;
		h->person = store_column_int(st, 0);
		h->organization = store_column_int(st, 1);
		h->name = store_column_dup(st, 2, &oom);
		r = oom ? -ENOMEM : 1;
	} else {
		r = r == STORE_DONE ? 0 : store_fail(s, "holders");
	}
	store_finalize(st);
	return r;
}

/* The source's holder, by the ids it has in the shared registry. */
static int
source_holder(struct import *im, const char *serial, struct holder *h)
{
	int r = holder_of(im->src, serial, h);
	if (r > 0 && h->person)
		r = map_id(im, "people", h->person, &h->person);
	if (r >= 0 && h->organization)
		r = map_id(im, "organizations", h->organization, &h->organization);
	return r < 0 ? r : h->name != NULL;
}

/* A token both registries know: the shared registry's record stands when
 * the source has not registered it, or registered it to the same holder
 * (*FATE MATCHED, *KEEP 0: its holders and bindings here are not copied);
 * the source's registration is taken when the shared registry has none
 * (the token row brought up to the source's, *KEEP 1); else a conflict. */
int
match_token(struct import *im, struct store_stmt *row, const struct columns *c,
	    int64_t *keep, enum fate *fate)
{
	const char *serial = store_column_text(row, c->key[0]);
	struct holder here, their;
	int64_t id;
	char *status = NULL;
	int r;

	if ((r = there(im, "SELECT 0, status FROM tokens WHERE serial = ?1", serial, &id,
		       &status)) <= 0)
		return r;
	free(status);
	*fate = MATCHED;
	*keep = 0;
	if ((r = source_holder(im, serial, &here)) <= 0) {
		free(here.name);
		return r;
	}
	if ((r = holder_of(im->dst, serial, &their)) == 0) {
		*keep = 1;
		struct store_stmt *st = store_prepare(im->dst,
			"UPDATE tokens SET label = ?2, status = ?3, bound_certs = ?4, "
			"registered_at = ?5 WHERE serial = ?1");
		if (!st)
			r = -EIO;
		else {
			int l = column_index(c, "label", 5), s = column_index(c, "status", 6);
			int b = column_index(c, "bound_certs", 11);
			int a = column_index(c, "registered_at", 13);
			store_bind_text(st, 1, serial);
			store_bind_text(st, 2, store_column_text(row, l));
			store_bind_text(st, 3, store_column_text(row, s));
			store_bind_text(st, 4, store_column_text(row, b));
			store_bind_text(st, 5, store_column_text(row, a));
			r = store_step_done(im->dst, st, "take the registration");
			store_finalize(st);
		}
	} else if (r > 0) {
		r = 0;
		if (here.person != their.person || here.organization != their.organization) {
			*fate = CLASH;
			r = conflict(im, STORE_CLASH_HOLDER, serial, 0, here.name, 0, their.name);
		}
	}
	free(here.name);
	free(their.name);
	return r;
}

int
match_login(struct import *im, struct store_stmt *row, const struct columns *c,
	    enum fate *fate)
{
	const char *login = store_column_text(row, c->key[0]);
	int64_t person = 0, their;
	char *name = NULL;
	int r = map_id(im, "people",
		       store_column_int(row, column_index(c, "person_id", 9)), &person);

	if (r < 0 || (r = there(im, "SELECT l.person_id, p.full_name FROM person_logins l "
				    "JOIN people p ON p.id = l.person_id WHERE l.login = ?1",
				login, &their, &name)) <= 0)
		return r;
	*fate = MATCHED;
	if (their != person) {
		*fate = CLASH;
		struct store_stmt *st = store_prepare(im->src,
			"SELECT p.id, p.full_name FROM person_logins l JOIN people p "
			"ON p.id = l.person_id WHERE l.login = ?1");
		r = st ? 0 : -EIO;
		if (r == 0) {
			store_bind_text(st, 1, login);
			r = store_step(st) == STORE_ROW
				? conflict(im, STORE_CLASH_LOGIN, login, store_column_int(st, 0),
					   store_column_text(st, 1), their, name)
				: store_fail(im->src, "logins");
		}
		store_finalize(st);
	}
	free(name);
	return r;
}
