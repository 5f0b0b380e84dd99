/* What a new record would repeat: store-duplicates.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "store-duplicates.h"
#include "store-private.h"

/* The lock of what records share: a 48-bit FNV-1a of its words (two
 * subjects that collide only wait for each other). */
static int
lock_subject(struct store *s, const char *a, const char *b, int64_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char num[24];
	snprintf(num, sizeof(num), "%lld", (long long)n);
	const char *parts[] = { a ? a : "", "\x1f", b ? b : "", "\x1f", num };
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
			h = (h ^ *p) * 0x100000001b3ULL;
	return store_lock(s, STORE_LOCK_SUBJECT, (int64_t)(h & 0xffffffffffffULL));
}

static int
found(struct store *s, struct store_stmt *st, void *arg)
{
	struct store_duplicate *d = arg;
	const char *since = store_column_text(st, 1);
	(void)s;
	d->id = store_column_int(st, 0);
	snprintf(d->since, sizeof(d->since), "%s", since ? since : "");
	if (store_column_text(st, 2))
		d->field = strcmp(store_column_text(st, 2), "tax_code") == 0 ? "tax_code" : "name";
	return 0;
}

/* The first row of ST (id, since, field), then ST finalized. */
static int
first(struct store *s, struct store_stmt *st, struct store_duplicate *out, const char *what)
{
	if (!st)
		return -EIO;
	int r = store_first_row(s, st, found, out, what);
	store_finalize(st);
	return r == -ENOENT ? 0 : r < 0 ? r : 1;
}

int
store_pin_request_open(struct store *s, const char *kind, const char *serial,
		       struct store_duplicate *out)
{
	int r = lock_subject(s, "requests", serial, 0);
	if (r < 0)
		return r;
	*out = (struct store_duplicate){ .field = "token_serial" };
	struct store_stmt *st = store_prepare(s, "SELECT id, filed_at, NULL FROM requests "
		"WHERE kind = ?1 AND token_serial = ?2 "
		"AND state NOT IN ('completed', 'rejected', 'cancelled') ORDER BY id LIMIT 1");
	if (st) {
		store_bind_text(st, 1, kind);
		store_bind_text(st, 2, serial);
	}
	return first(s, st, out, "open PIN-recovery request");
}

int
store_lifecycle_open(struct store *s, const struct lifecycle_new *r, struct store_duplicate *out)
{
	bool by_cert = r->certificate_serial && *r->certificate_serial;
	int e = lock_subject(s, "lifecycle_requests", by_cert ? r->certificate_serial : r->kind,
			     by_cert ? 0 : r->person_id ? r->person_id : -r->organization_id);
	if (e < 0)
		return e;
	*out = (struct store_duplicate){
		.field = by_cert ? "certificate_serial"
			 : r->person_id ? "person_id" : "organization_id",
	};
	struct store_stmt *st = store_prepare(s, "SELECT id, filed_at, NULL FROM lifecycle_requests "
		"WHERE kind = ?1 AND state NOT IN ('done', 'rejected', 'cancelled') AND "
		"(CASE WHEN ?2 IS NOT NULL THEN certificate_serial = ?2 "
		"WHEN ?3 <> 0 THEN person_id = ?3 ELSE organization_id = ?4 END) "
		"ORDER BY id LIMIT 1");
	if (st) {
		store_bind_text(st, 1, r->kind);
		store_bind_text(st, 2, by_cert ? r->certificate_serial : NULL);
		store_bind_int(st, 3, r->person_id);
		store_bind_int(st, 4, r->organization_id);
	}
	return first(s, st, out, "open certificate request");
}

int
store_org_duplicate(struct store *s, int64_t id, struct store_duplicate *out)
{
	/* one writer of organizations at a time: names are compared whole */
	int r = lock_subject(s, "organizations", NULL, 0);
	if (r < 0)
		return r;
	*out = (struct store_duplicate){ .field = "name" };
	struct store_stmt *st = store_prepare(s, "SELECT o.id, NULL, "
		"CASE WHEN o.tax_code = me.tax_code THEN 'tax_code' ELSE 'name' END "
		"FROM organizations o, organizations me WHERE me.id = ?1 AND o.id <> me.id AND "
		"((me.tax_code IS NOT NULL AND me.tax_code <> '' AND o.tax_code = me.tax_code) OR "
		"(o.name = me.name AND COALESCE(o.parent_id, 0) = COALESCE(me.parent_id, 0))) "
		"ORDER BY o.id LIMIT 1");
	if (st)
		store_bind_int(st, 1, id);
	return first(s, st, out, "organization with the same name or tax code");
}
