/*
 * io.khoa.Handovers: handover minutes of private-key storage devices
 * (Mẫu 10, R-HANDOVER). A draft is filled from the tokens on the desk and
 * the registry; Finalize makes it immutable and moves custody of every
 * row's token to the receiving party (store_custody_move), in the same
 * transaction. A mistake is corrected by a handover that supersedes it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "errors.h"
#include "events.h"
#include "handovers.h"
#include "inventory.h"
#include "jsonb.h"
#include "khoad.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "registry.h"
#include "validate.h"

/* The reasons of io.khoa.Handovers.Row. */
static const char *const reasons[] = {
	"new-issue", "re-issue", "renewal", "revocation-return", "pin-recovery-return",
	"transfer", "damaged", "other", NULL
};

bool
handover_reason_ok(struct call *c, const char *reason, const char *field)
{
	for (const char *const *r = reasons; *r; r++)
		if (reason && strcmp(reason, *r) == 0)
			return true;
	field_ok(c, -EINVAL, field, &(const char *){
		"one of new-issue, re-issue, renewal, revocation-return, pin-recovery-return, "
		"transfer, damaged, other" });
	return false;
}

void
reply_no_such_handover(struct call *c, int64_t id)
{
	call_error(c, khoa_error_add_int(khoa_error_newf(KHOA_ERROR_NO_SUCH_HANDOVER, NULL, NULL,
		"no handover %lld in the registry", (long long)id), "id", id));
}

static void
reply_finalized(struct call *c, int64_t id)
{
	call_error(c, khoa_error_add_int(khoa_error_newf(KHOA_ERROR_FINALIZED, NULL, NULL,
		"handover %lld is finalized; supersede it with a new one", (long long)id), "id", id));
}

/* ----- parties ----- */

static const char *const party_text_keys[] = {
	"name", "agency", "address", "representative", "position", NULL
};

static bool
party_shape_ok(json_object *in)
{
	json_object_object_foreach(in, key, val) {
		bool id = strcmp(key, "person_id") == 0 || strcmp(key, "organization_id") == 0;
		bool text = false;
		for (const char *const *k = party_text_keys; *k; k++)
			text |= strcmp(key, *k) == 0;
		if (!val)
			continue;
		if (!(id && json_object_is_type(val, json_type_int)) &&
		    !(text && json_object_is_type(val, json_type_string)))
			return false;
	}
	return true;
}

/* Adds text KEY to B: the registry's REGISTRY when not NULL, else what the
 * caller typed (validated). */
static bool
party_text(struct call *c, struct jsonb *b, json_object *in, const char *key,
	   const char *registry, const char *field)
{
	const char *rule = NULL;
	char *v = NULL;

	if (registry) {
		jsonb_str(b, key, registry);
		return true;
	}
	if (!field_ok(c, validate_text(khoa_json_str(in, key), &v, &rule), field, &rule))
		return false;
	jsonb_str(b, key, v);
	free(v);
	return true;
}

bool
handover_party(struct call *c, struct khoad *d, json_object *in, const char *field,
	       json_object **out)
{
	json_object *pid = NULL, *oid = NULL, *rec = NULL;
	const char *rule = NULL;
	char *name = NULL;
	bool ok = false;
	int r;

	*out = NULL;
	json_object_object_get_ex(in, "person_id", &pid);
	json_object_object_get_ex(in, "organization_id", &oid);
	if (!party_shape_ok(in) || (pid && oid)) {
		field_ok(c, -EINVAL, field, &(const char *){
			"a party: {person_id}, {organization_id} or name, agency, address, "
			"representative, position" });
		return false;
	}
	struct jsonb b = jsonb_new();
	if (pid) {
		int64_t id = json_object_get_int64(pid);
		if ((r = store_person_get(d->store, id, &rec)) < 0) {
			if (r == -ENOENT)
				reply_no_such_person(c, id);
			else
				reply_store_error(c, r);
			goto out;
		}
		jsonb_int(&b, "person_id", id);
		jsonb_str(&b, "name", khoa_json_str(rec, "full_name"));
		ok = party_text(c, &b, in, "agency", khoa_json_str(rec, "organization_name"), field) &&
		     party_text(c, &b, in, "address", NULL, field) &&
		     party_text(c, &b, in, "representative", NULL, field) &&
		     party_text(c, &b, in, "position", khoa_json_str(rec, "position"), field);
	} else if (oid) {
		int64_t id = json_object_get_int64(oid);
		if ((r = store_org_get(d->store, id, &rec)) < 0) {
			if (r == -ENOENT)
				reply_no_such_org(c, id);
			else
				reply_store_error(c, r);
			goto out;
		}
		jsonb_int(&b, "organization_id", id);
		jsonb_str(&b, "name", khoa_json_str(rec, "name"));
		ok = party_text(c, &b, in, "agency", NULL, field) &&
		     party_text(c, &b, in, "address", khoa_json_str(rec, "address"), field) &&
		     party_text(c, &b, in, "representative", NULL, field) &&
		     party_text(c, &b, in, "position", NULL, field);
	} else {
		if (!field_ok(c, validate_name(khoa_json_str(in, "name"), &name, &rule), field, &rule))
			goto out;
		jsonb_str(&b, "name", name);
		ok = party_text(c, &b, in, "agency", NULL, field) &&
		     party_text(c, &b, in, "address", NULL, field) &&
		     party_text(c, &b, in, "representative", NULL, field) &&
		     party_text(c, &b, in, "position", NULL, field);
	}
out:
	json_object_put(rec);
	free(name);
	*out = jsonb_finish(&b);
	if (ok && !*out) {
		call_error(c, NULL);
		ok = false;
	}
	if (!ok) {
		json_object_put(*out);
		*out = NULL;
	}
	return ok;
}

/* ----- rows ----- */

/* "2026-11-24T20:28:31Z" → "2026-11-24" in BUF; NULL stays NULL. */
static const char *
iso_date(const char *t, char buf[11])
{
	if (!t)
		return NULL;
	memcpy(buf, t, 10);
	buf[strnlen(t, 10)] = '\0';
	return buf;
}

bool
handover_add_row(struct call *c, struct khoad *d, int64_t id, const char *serial,
		 const char *reason, const char *note)
{
	const struct khoa_token *t = inventory_find(d->inventory, serial);
	struct handover_row row = { .token_serial = serial, .reason = reason, .note = note };
	struct token_facts f;
	char from[11], to[11];
	int r = store_token_facts(d->store, serial, &f);

	if (r == -ENOENT && !t) {
		call_error(c, khoa_error_newf(KHOA_ERROR_NO_SUCH_TOKEN, "serial", serial,
					      "token %s is not in the registry", serial));
		return false;
	}
	if (r < 0 && r != -ENOENT) {
		reply_store_error(c, r);
		return false;
	}
	row.holder_name = f.holder_name;
	if (t) {
		/* The device says which certificate: the bound one if it carries
		 * it, else its first. */
		const struct khoa_cert *cert = t->n_certs ? &t->certs[0] : NULL;
		for (size_t i = 0; f.cert_sha256 && i < t->n_certs; i++)
			if (strcmp(t->certs[i].sha256, f.cert_sha256) == 0)
				cert = &t->certs[i];
		if (cert) {
			row.certificate_serial = cert->serial;
			row.valid_from = iso_date(cert->not_before, from);
			row.valid_to = iso_date(cert->not_after, to);
			if (!row.holder_name)
				row.holder_name = cert->subject_cn;
		}
		row.verified_on_device = true;
	} else {
		row.certificate_serial = f.cert_serial;
		row.valid_from = iso_date(f.not_before, from);
		row.valid_to = iso_date(f.not_after, to);
		if (!row.holder_name)
			row.holder_name = f.cert_cn;
	}
	r = store_handover_add_row(d->store, id, &row);
	store_token_facts_clear(&f);
	if (r == -EEXIST) {
		call_error(c, khoa_error_newf(KHOA_ERROR_INVALID_FIELD, "field", "serial",
					      "serial: token %s is in the handover already", serial));
		return false;
	}
	if (r < 0) {
		reply_store_error(c, r);
		return false;
	}
	return true;
}

/* ----- the methods ----- */

struct ho_args {
	int64_t id, number, supersedes;
	json_object *giver, *receiver, *serials;
	const char *reason, *place, *held_at, *serial, *note;
};
METHOD_ARGS_FIT(struct ho_args);

static const struct khoa_param new_params[] = {
	{ "giver", KHOA_PARAM_OBJECT, offsetof(struct ho_args, giver), true },
	{ "receiver", KHOA_PARAM_OBJECT, offsetof(struct ho_args, receiver), true },
	{ "reason", KHOA_PARAM_STRING, offsetof(struct ho_args, reason), true },
	{ "place", KHOA_PARAM_STRING, offsetof(struct ho_args, place), false },
	{ "held_at", KHOA_PARAM_STRING, offsetof(struct ho_args, held_at), false },
	{ "serials", KHOA_PARAM_ARRAY, offsetof(struct ho_args, serials), false },
	{ "supersedes", KHOA_PARAM_INT, offsetof(struct ho_args, supersedes), false },
	{ NULL }
};
static const struct khoa_param add_row_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct ho_args, id), true },
	{ "serial", KHOA_PARAM_STRING, offsetof(struct ho_args, serial), true },
	{ "reason", KHOA_PARAM_STRING, offsetof(struct ho_args, reason), true },
	{ "note", KHOA_PARAM_STRING, offsetof(struct ho_args, note), false },
	{ NULL }
};
static const struct khoa_param remove_row_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct ho_args, id), true },
	{ "number", KHOA_PARAM_INT, offsetof(struct ho_args, number), true },
	{ NULL }
};
static const struct khoa_param id_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct ho_args, id), true },
	{ NULL }
};
static const struct khoa_param list_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct ho_args, serial), false },
	{ NULL }
};

/* held_at: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]Z", a real date and time;
 * *OUT the same, seconds added. */
static int
parse_held_at(const char *in, char out[KHOA_TIME_ISO_SIZE], const char **rule)
{
	struct khoa_datetime t;

	*rule = "a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ (UTC)";
	if (khoa_date_parse(in, KHOA_DATE_ISO | KHOA_DATE_TIME_UTC, &t) < 0 || t.year < 1900)
		return -EINVAL;
	if (t.has_time)
		khoa_time_iso(&t, out);
	else
		khoa_date_iso(&t, out);
	return 0;
}

/* The serials of handover H's rows, as an array. */
static json_object *
row_serials(json_object *h)
{
	json_object *rows, *arr = json_object_new_array();
	if (!arr || !json_object_object_get_ex(h, "rows", &rows))
		return arr;
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		const char *s = khoa_json_str(json_object_array_get_idx(rows, i), "token_serial");
		if (json_object_array_add(arr, json_object_new_string(s ? s : "")) < 0) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

int
handover_event(struct khoad *d, const char *type, int64_t id, const struct actor *actor,
		json_object **handover)
{
	json_object *h;
	int r = store_handover_get(d->store, id, &h);
	if (r < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "id", id);
	jsonb_put(&b, "serials", row_serials(h));
	if ((r = events_record(d->events, type, NULL, actor, jsonb_finish(&b))) < 0) {
		json_object_put(h);
		return r;
	}
	if (handover)
		*handover = h;
	else
		json_object_put(h);
	return 0;
}

/* After a commit: the handover as Get shows it. */
static void
reply_handover(struct call *c, int64_t id)
{
	json_object *h;
	int r = store_handover_get(call_daemon(c)->store, id, &h);
	if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "handover", h);
}

static void
do_new(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	json_object *giver = NULL, *receiver = NULL;
	const char *rule = NULL;
	char *place = NULL, held_at[KHOA_TIME_ISO_SIZE];
	int64_t id;
	int r;

	if (!handover_reason_ok(c, a->reason, "reason") ||
	    !field_ok(c, validate_text(a->place, &place, &rule), "place", &rule) ||
	    (a->held_at && !field_ok(c, parse_held_at(a->held_at, held_at, &rule), "held_at", &rule)))
		goto out;
	for (size_t i = 0; a->serials && i < json_object_array_length(a->serials); i++)
		if (!json_object_is_type(json_object_array_get_idx(a->serials, i), json_type_string)) {
			field_ok(c, -EINVAL, "serials", &(const char *){ "token serials (strings)" });
			goto out;
		}
	if (!handover_party(c, d, a->giver, "giver", &giver) ||
	    !handover_party(c, d, a->receiver, "receiver", &receiver))
		goto out;
	if (a->supersedes) {
		bool finalized;
		int64_t sup, by;
		if ((r = store_handover_info(d->store, a->supersedes, &finalized, &sup, &by)) < 0) {
			if (r == -ENOENT)
				reply_no_such_handover(c, a->supersedes);
			else
				reply_store_error(c, r);
			goto out;
		}
		if (!finalized || by) {
			field_ok(c, -EINVAL, "supersedes", &(const char *){ finalized ?
				"supersedes: that handover was superseded already" :
				"supersedes: only a finalized handover is superseded; correct a draft" });
			goto out;
		}
	}
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		goto out;
	}
	struct handover_new h = {
		.place = place, .held_at = a->held_at ? held_at : NULL,
		.giver = giver, .receiver = receiver, .supersedes = a->supersedes, .creator = actor,
	};
	if ((r = store_handover_create(d->store, &h, &id)) < 0) {
		reply_store_error(c, r);
		goto fail;
	}
	if (a->serials) {
		for (size_t i = 0; i < json_object_array_length(a->serials); i++)
			if (!handover_add_row(c, d, id, json_object_get_string(
				json_object_array_get_idx(a->serials, i)), a->reason, NULL))
				goto fail;
	} else {
		for (size_t m = 0; m < inventory_n_modules(d->inventory); m++) {
			const char *error;
			const struct khoa_token_list *l = inventory_module_tokens(d->inventory, m, &error);
			for (size_t i = 0; l && i < l->n; i++)
				if (!handover_add_row(c, d, id, l->tokens[i].serial, a->reason, NULL))
					goto fail;
		}
	}
	if ((r = handover_event(d, "handover.drafted", id, &actor, NULL)) < 0 ||
	    (r = registry_commit(d)) < 0) {
		reply_store_error(c, r);
		goto fail;
	}
	reply_handover(c, id);
	goto out;
fail:
	registry_rollback(d);
out:
	json_object_put(giver);
	json_object_put(receiver);
	free(place);
}

/* Whether handover ID exists and is a draft; otherwise answers. */
static bool
draft_ok(struct call *c, int64_t id)
{
	bool finalized;
	int64_t sup, by;
	int r = store_handover_info(call_daemon(c)->store, id, &finalized, &sup, &by);
	if (r == -ENOENT)
		reply_no_such_handover(c, id);
	else if (r < 0)
		reply_store_error(c, r);
	else if (finalized)
		reply_finalized(c, id);
	return r == 0 && !finalized;
}

static void
do_add_row(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	const char *rule = NULL;
	char *note = NULL;
	int r;

	if (!draft_ok(c, a->id) || !handover_reason_ok(c, a->reason, "reason") ||
	    !field_ok(c, validate_text(a->note, &note, &rule), "note", &rule))
		goto out;
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		goto out;
	}
	if (!handover_add_row(c, d, a->id, a->serial, a->reason, note))
		goto fail;
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "id", a->id);
	jsonb_str(&b, "reason", a->reason);
	if ((r = events_record(d->events, "handover.row_added", a->serial, &actor,
			       jsonb_finish(&b))) < 0 ||
	    (r = registry_commit(d)) < 0) {
		reply_store_error(c, r);
		goto fail;
	}
	reply_handover(c, a->id);
	goto out;
fail:
	registry_rollback(d);
out:
	free(note);
}

static void
do_remove_row(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	int r;

	if (!draft_ok(c, a->id))
		return;
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		return;
	}
	if ((r = store_handover_remove_row(d->store, a->id, a->number)) == -ENOENT) {
		field_ok(c, -EINVAL, "number", &(const char *){ "number: no such row in the handover" });
		registry_rollback(d);
		return;
	}
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "id", a->id);
	jsonb_int(&b, "number", a->number);
	if (r == 0)
		r = events_record(d->events, "handover.row_removed", NULL, &actor, jsonb_finish(&b));
	else
		json_object_put(jsonb_finish(&b));
	if (r == 0 && (r = registry_commit(d)) == 0) {
		reply_handover(c, a->id);
		return;
	}
	reply_store_error(c, r);
	registry_rollback(d);
}

/* custody.moved for every row of finalized handover H. */
static int
record_moves(struct khoad *d, json_object *h, const struct actor *actor)
{
	json_object *rows, *giver, *receiver;
	int r = 0;

	if (!json_object_object_get_ex(h, "rows", &rows) ||
	    !json_object_object_get_ex(h, "giver", &giver) ||
	    !json_object_object_get_ex(h, "receiver", &receiver))
		return -EIO;
	for (size_t i = 0; r == 0 && i < json_object_array_length(rows); i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		struct jsonb b = jsonb_new();
		jsonb_put(&b, "handover_id", json_object_get(json_object_object_get(h, "id")));
		jsonb_str(&b, "from", khoa_json_str(giver, "name"));
		jsonb_str(&b, "to", khoa_json_str(receiver, "name"));
		jsonb_str(&b, "reason", khoa_json_str(row, "reason"));
		r = events_record(d->events, "custody.moved", khoa_json_str(row, "token_serial"),
				  actor, jsonb_finish(&b));
	}
	return r;
}

static void
do_finalize(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	json_object *h = NULL, *rows;
	int r;

	if (!draft_ok(c, a->id))
		return;
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		return;
	}
	if ((r = store_handover_get(d->store, a->id, &h)) < 0)
		goto fail;
	if (!json_object_object_get_ex(h, "rows", &rows) || json_object_array_length(rows) == 0) {
		field_ok(c, -EINVAL, "id", &(const char *){ "id: a handover needs at least one row" });
		goto rollback;
	}
	json_object_put(h);
	h = NULL;
	if ((r = store_handover_finalize(d->store, a->id, &actor)) < 0 ||
	    (r = store_custody_move(d->store, a->id)) < 0) {
		if (r == -EEXIST) {
			field_ok(c, -EINVAL, "supersedes",
				 &(const char *){ "supersedes: that handover was superseded already" });
			goto rollback;
		}
		goto fail;
	}
	if ((r = handover_event(d, "handover.finalized", a->id, &actor, &h)) < 0 ||
	    (r = record_moves(d, h, &actor)) < 0 || (r = registry_commit(d)) < 0)
		goto fail;
	reply_object(c, "handover", h);
	return;
fail:
	reply_store_error(c, r);
rollback:
	json_object_put(h);
	registry_rollback(d);
}

static void
do_get(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	json_object *h;
	int r = store_handover_get(call_daemon(c)->store, a->id, &h);
	if (r == -ENOENT)
		reply_no_such_handover(c, a->id);
	else if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "handover", h);
}

static void
do_list(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	json_object *arr;
	int r = store_handover_list(call_daemon(c)->store, a->serial, &arr);
	if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "handovers", arr);
}

static const struct method handovers_methods[] = {
	{
		.name = "io.khoa.Handovers.New",
		.roles = ROLE_TECHNICIAN | ROLE_CLERK,
		.snapshot = true,
		.params = new_params,
		.run = do_new,
	},
	{
		.name = "io.khoa.Handovers.AddRow",
		.roles = ROLE_TECHNICIAN | ROLE_CLERK,
		.snapshot = true,
		.params = add_row_params,
		.run = do_add_row,
	},
	{
		.name = "io.khoa.Handovers.RemoveRow",
		.roles = ROLE_TECHNICIAN | ROLE_CLERK,
		.params = remove_row_params,
		.run = do_remove_row,
	},
	{
		.name = "io.khoa.Handovers.Finalize",
		.roles = ROLE_TECHNICIAN | ROLE_CLERK,
		.params = id_params,
		.run = do_finalize,
	},
	{
		.name = "io.khoa.Handovers.Get",
		.roles = ROLES_ANYONE,
		.params = id_params,
		.run = do_get,
	},
	{
		.name = "io.khoa.Handovers.List",
		.roles = ROLES_ANYONE,
		.params = list_params,
		.run = do_list,
	},
	{ .name = NULL }
};

const struct interface api_handovers = { "io.khoa.Handovers", handovers_methods };
