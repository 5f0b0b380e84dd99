/*
 * io.khoa.Handovers: handover minutes of private-key storage devices
 * (Mẫu 10, R-HANDOVER). A draft is filled from the tokens on the desk and
 * the registry; Finalize makes it immutable and moves custody of every
 * row's token to the receiving party (store_custody_move), in the same
 * transaction. A mistake is corrected by a handover that supersedes it.
 * The address of a party that is not an organization goes only to whom may
 * see it (personal.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "access.h"
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
#include "store-custody.h"
#include "store-handovers.h"
#include "store-registry.h"
#include "validate.h"

/* The reasons of io.khoa.Handovers.Row. */
static const char *const reasons[] = {
	"new-issue", "re-issue", "renewal", "revocation-return", "pin-recovery-return",
	"transfer", "damaged", "other", NULL
};

int
handover_check_reason(struct call *c, const char *reason, const char *field)
{
	for (const char *const *r = reasons; *r; r++)
		if (reason && strcmp(reason, *r) == 0)
			return 0;
	return invalid_fieldv(c, field, KR(ONE_OF), 1, "new-issue,re-issue,renewal,revocation-return,"
			      "pin-recovery-return,transfer,damaged,other");
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


int
handover_add_row(struct call *c, struct khoad *d, int64_t id, const char *serial,
		 const char *reason, const char *note)
{
	const struct khoa_token *t = inventory_find(d->inventory, serial);
	struct handover_row row = { .token_serial = serial, .reason = reason, .note = note };
	struct token_facts f;
	json_object *frozen;
	char from[11], to[11];
	int r;

	/* a lost or damaged token is not handed over, nor one given by
	 * someone else than who holds it (issue 16) */
	if ((r = handover_may_give(d, id, serial, reason, &frozen)) != 0)
		return r > 0 ? call_fail(c, frozen) : r;
	if ((r = store_token_facts(d->store, serial, &f)) == -ENOENT && !t)
		return call_fail(c, khoa_err_unknown_token(serial));
	if (r < 0 && r != -ENOENT)
		return r;
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
	if (r == -EEXIST)
		return invalid_field(c, "serial", KR(IN_HANDOVER));
	return r;
}

/* ----- the methods ----- */

struct ho_args {
	int64_t id, number, supersedes;
	json_object *giver, *receiver, *serials;
	const char *reason, *place, *held_at, *serial, *note;
	struct page_args page;
};
METHOD_ARGS_FIT(struct ho_args);

static void
list_args_init(void *args)
{
	page_args_init(&((struct ho_args *)args)->page);
}

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
static const struct khoa_param cancel_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct ho_args, id), true },
	{ "note", KHOA_PARAM_STRING, offsetof(struct ho_args, note), true },
	{ NULL }
};
static const struct khoa_param id_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct ho_args, id), true },
	{ NULL }
};
static const struct khoa_param list_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct ho_args, serial), false },
	PAGE_PARAMS(struct ho_args, page),
	{ NULL }
};

/* held_at: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]Z", a real date and time;
 * *OUT the same, seconds added. */
static int
parse_held_at(const char *in, char out[KHOA_TIME_ISO_SIZE], const char **rule)
{
	struct khoa_datetime t;

	*rule = KR(DATE_OR_TIME);
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

/* The parties of handover H as its events name them: "from" the giver,
 * "to" the receiver (as custody.moved does), so that a history says who
 * handed what to whom without another call. */
static void
parties(struct jsonb *b, json_object *h)
{
	json_object *giver = NULL, *receiver = NULL;
	json_object_object_get_ex(h, "giver", &giver);
	json_object_object_get_ex(h, "receiver", &receiver);
	jsonb_str(b, "from", khoa_json_str(giver, "name"));
	jsonb_str(b, "to", khoa_json_str(receiver, "name"));
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
	parties(&b, h);
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

/* Handover H (taken) as a reply to C, as its caller may see the parties
 * (personal.h). */
static int
handover_reply(struct call *c, json_object *h, json_object **reply)
{
	int r = call_personal(c, h, personal_handover);
	if (r < 0) {
		json_object_put(h);
		return r;
	}
	return (*reply = reply_with("handover", h)) ? 0 : -ENOMEM;
}

/* The handover as Get shows it, as a reply. */
static int
reply_handover(struct call *c, int64_t id, json_object **reply)
{
	json_object *h;
	int r = store_handover_get(call_daemon(c)->store, id, &h);
	return r < 0 ? r : handover_reply(c, h, reply);
}

/* Handover New, its parameters validated. */
struct draft {
	const struct ho_args *a;
	const char *place, *held_at;
	json_object *giver, *receiver;
};

/* The rows of draft ID: the serials given, else every token on the desk
 * that may be handed over. */
static int
add_rows(struct call *c, struct khoad *d, int64_t id, const struct ho_args *a)
{
	int r = 0;
	for (size_t i = 0; r == 0 && a->serials && i < json_object_array_length(a->serials); i++)
		r = handover_add_row(c, d, id, json_object_get_string(
			json_object_array_get_idx(a->serials, i)), a->reason, NULL);
	for (size_t m = 0; !a->serials && m < inventory_n_modules(d->inventory); m++) {
		const char *error;
		const struct khoa_token_list *l = inventory_module_tokens(d->inventory, m, &error);
		for (size_t i = 0; r == 0 && l && i < l->n; i++) {
			/* a token on the desk that may not be handed over (found,
			 * not cleared; held by another than the giver) is left
			 * out; named, it is refused */
			json_object *frozen = NULL;
			r = handover_may_give(d, id, l->tokens[i].serial, a->reason, &frozen);
			json_object_put(frozen);
			if (r == 0)
				r = handover_add_row(c, d, id, l->tokens[i].serial, a->reason, NULL);
			else if (r > 0)
				r = 0;
		}
	}
	return r;
}

static int
new_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct draft *dr = arg;
	struct actor actor = call_actor(c);
	struct handover_new h = {
		.place = dr->place, .held_at = dr->held_at, .giver = dr->giver,
		.receiver = dr->receiver, .supersedes = dr->a->supersedes, .creator = actor,
	};
	int64_t id;
	int r;

	if ((r = store_handover_create(d->store, &h, &id)) < 0 ||
	    (r = add_rows(c, d, id, dr->a)) != 0 ||
	    (r = handover_event(d, "handover.drafted", id, &actor, NULL)) < 0)
		return r;
	return reply_handover(c, id, reply);
}

/* The handover to supersede must be finalized and not superseded yet. */
static int
check_supersedes(struct call *c, struct khoad *d, int64_t id)
{
	bool finalized;
	int64_t sup, by;
	int r;

	if (!id)
		return 0;
	if ((r = store_handover_info(d->store, id, &finalized, &sup, &by)) == -ENOENT)
		return call_fail(c, khoa_err_no_such_handover(id));
	if (r == 0 && (!finalized || by))
		return invalid_field(c, "supersedes", finalized ? KR(SUPERSEDED_ALREADY)
								: KR(SUPERSEDE_FINALIZED));
	return r;
}

/* The serials, if given, are strings. */
static int
check_serials(struct call *c, json_object *serials)
{
	for (size_t i = 0; serials && i < json_object_array_length(serials); i++)
		if (!json_object_is_type(json_object_array_get_idx(serials, i), json_type_string))
			return invalid_field(c, "serials", KR(SERIALS_STRINGS));
	return 0;
}

/* The organization (with those above it) a party given as {person_id} or
 * {organization_id} belongs to, added to S. */
static int
party_scope(struct khoad *d, json_object *party, struct scope *s)
{
	json_object *v;
	struct scope one;
	int r = 0;

	if (json_object_object_get_ex(party, "person_id", &v))
		r = access_subject_person(d, json_object_get_int64(v), &one);
	else if (json_object_object_get_ex(party, "organization_id", &v))
		r = access_subject_org(d, json_object_get_int64(v), &one);
	else
		return 0;	/* typed in full: no organization of the registry */
	for (size_t i = 0; r == 0 && i < one.n_orgs && s->n_orgs < ACCESS_ORGS_MAX; i++)
		s->orgs[s->n_orgs++] = one.orgs[i];
	if (!s->org)
		s->org = one.org;
	return r;
}

/* A clerk drafts the handovers of their organization: one of the parties
 * must be it (or below it); technicians and admins draft any. 0, or what a
 * handler returns. */
static int
may_draft(struct call *c, const struct ho_args *a)
{
	struct scope s = { .known = true };	/* the parties' organizations */
	int r;

	if ((r = party_scope(call_daemon(c), a->giver, &s)) < 0 ||
	    (r = party_scope(call_daemon(c), a->receiver, &s)) < 0 ||
	    access_admits(call_caller(c), ADMIT_CLERK | ADMIT_TECHNICIAN, &s))
		return r;
	return methods_refuse(c, ADMIT_CLERK | ADMIT_TECHNICIAN, &s,
			      ": a clerk drafts the handovers of their own organization");
}

static int
do_new(struct call *c, const void *args)
{
	struct draft dr = { .a = args };
	const struct ho_args *a = dr.a;
	struct khoad *d = call_daemon(c);
	const char *rule = NULL;
	char *place = NULL, held_at[KHOA_TIME_ISO_SIZE];
	int r;

	if ((r = may_draft(c, a)) != 0 || (r = handover_check_reason(c, a->reason, "reason")) != 0)
		return r;
	if ((r = validate_text(a->place, &place, &rule)) < 0)
		return field_fail(c, r, "place", rule);
	if (a->held_at && (r = parse_held_at(a->held_at, held_at, &rule)) < 0)
		r = field_fail(c, r, "held_at", rule);
	if (r == 0 && (r = check_serials(c, a->serials)) == 0 &&
	    (r = handover_party(c, d, a->giver, "giver", &dr.giver)) == 0 &&
	    (r = handover_party(c, d, a->receiver, "receiver", &dr.receiver)) == 0 &&
	    (r = check_supersedes(c, d, a->supersedes)) == 0) {
		dr.place = place;
		dr.held_at = a->held_at ? held_at : NULL;
		r = registry_mutate(c, new_in, &dr);
	}
	json_object_put(dr.giver);
	json_object_put(dr.receiver);
	free(place);
	return r;
}

/* Whether handover ID exists and is a draft: 0, or what a handler returns. */
static int
check_draft(struct call *c, int64_t id)
{
	bool finalized;
	int64_t sup, by;
	int r = store_handover_info(call_daemon(c)->store, id, &finalized, &sup, &by);
	if (r == -ENOENT)
		return call_fail(c, khoa_err_no_such_handover(id));
	if (r == 0 && finalized)
		return call_fail(c, khoa_err_finalized(id));
	return r;
}

struct row_change {
	const struct ho_args *a;
	const char *note;
};

static int
add_row_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct row_change *rc = arg;
	const struct ho_args *a = rc->a;
	struct actor actor = call_actor(c);
	int r;

	json_object *h;

	if ((r = handover_add_row(c, d, a->id, a->serial, a->reason, rc->note)) != 0 ||
	    (r = store_handover_get(d->store, a->id, &h)) < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "id", a->id);
	parties(&b, h);
	json_object_put(h);
	jsonb_str(&b, "reason", a->reason);
	if ((r = events_record(d->events, "handover.row_added", a->serial, &actor,
			       jsonb_finish(&b))) < 0)
		return r;
	return reply_handover(c, a->id, reply);
}

static int
do_add_row(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	const char *rule = NULL;
	char *note = NULL;
	int r;

	if ((r = check_draft(c, a->id)) != 0 ||
	    (r = handover_check_reason(c, a->reason, "reason")) != 0)
		return r;
	if ((r = validate_text(a->note, &note, &rule)) < 0)
		return field_fail(c, r, "note", rule);
	r = registry_mutate(c, add_row_in, &(struct row_change){ a, note });
	free(note);
	return r;
}

static int
remove_row_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct ho_args *a = arg;
	struct actor actor = call_actor(c);
	int r;

	if ((r = store_handover_remove_row(d->store, a->id, a->number)) == -ENOENT)
		return invalid_field(c, "number", KR(NO_SUCH_ROW));
	if (r < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "id", a->id);
	jsonb_int(&b, "number", a->number);
	if ((r = events_record(d->events, "handover.row_removed", NULL, &actor,
			       jsonb_finish(&b))) < 0)
		return r;
	return reply_handover(c, a->id, reply);
}

/* A draft drawn by mistake is cancelled (issue 17), with a note: deleted,
 * the event and the audit trail keep that it was and why. */
static int
cancel_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct row_change *rc = arg;
	struct actor actor = call_actor(c);
	int64_t by;
	int r;

	(void)reply;
	if ((r = store_handover_cancel(d->store, rc->a->id, &by)) == -EBUSY) {
		char change[24];
		snprintf(change, sizeof(change), "%lld", (long long)by);
		return invalid_fieldv(c, "id", KR(DRAFT_OF_CHANGE), 1, change);
	}
	if (r == -ENOENT)
		return call_fail(c, khoa_err_no_such_handover(rc->a->id));
	if (r < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "id", rc->a->id);
	jsonb_str(&b, "note", rc->note);
	return events_record(d->events, "handover.cancelled", NULL, &actor, jsonb_finish(&b));
}

static int
do_cancel(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	const char *rule = NULL;
	char *note = NULL;
	int r;

	if ((r = check_draft(c, a->id)) != 0)
		return r;
	if ((r = validate_text(a->note, &note, &rule)) < 0)
		return field_fail(c, r, "note", rule);
	if (!note)
		return invalid_field(c, "note", KR(CANCEL_NOTE));
	r = registry_mutate(c, cancel_in, &(struct row_change){ a, note });
	free(note);
	return r;
}

static int
do_remove_row(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	int r = check_draft(c, a->id);
	return r != 0 ? r : registry_mutate(c, remove_row_in, (void *)a);
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

static int
finalize_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct ho_args *a = arg;
	struct actor actor = call_actor(c);
	json_object *h, *rows;
	int r;

	if ((r = store_handover_get(d->store, a->id, &h)) < 0)
		return r;
	bool empty = !json_object_object_get_ex(h, "rows", &rows) ||
		     json_object_array_length(rows) == 0;
	/* a token out on the seal register is not handed over until it is
	 * back (issue 16): custody would tell a history that did not happen */
	for (size_t i = 0; r == 0 && !empty && i < json_object_array_length(rows); i++) {
		json_object *row = json_object_array_get_idx(rows, i), *serial, *refusal = NULL;
		int64_t entry;
		if (!json_object_object_get_ex(row, "token_serial", &serial))
			continue;
		const char *token = json_object_get_string(serial);
		if ((r = store_seal_open(d->store, token, &entry)) == 0) {
			r = call_fail(c, khoa_err_seal_out(token));
			break;
		}
		if (r != -ENOENT)
			break;
		/* nor a lost or damaged one (device-state.h), nor one its giver
		 * does not hold, asked again here inside the transaction: it may
		 * have changed since the row was added */
		if ((r = handover_may_give(d, a->id, token, khoa_json_str(row, "reason"),
					   &refusal)) > 0)
			r = call_fail(c, refusal);
	}
	json_object_put(h);
	if (r != 0)
		return r;
	if (empty)
		return invalid_field(c, "id", KR(HANDOVER_EMPTY));
	if ((r = store_handover_finalize(d->store, a->id, &actor)) < 0 ||
	    (r = store_custody_move(d->store, a->id)) < 0)
		return r != -EEXIST ? r : invalid_field(c, "supersedes", KR(SUPERSEDED_ALREADY));
	if ((r = handover_event(d, "handover.finalized", a->id, &actor, &h)) < 0)
		return r;
	if ((r = record_moves(d, h, &actor)) < 0) {
		json_object_put(h);
		return r;
	}
	return handover_reply(c, h, reply);
}

static int
do_finalize(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	int r = check_draft(c, a->id);
	return r != 0 ? r : registry_mutate(c, finalize_in, (void *)a);
}

static int
do_get(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	json_object *h;
	int r = store_handover_get(call_daemon(c)->store, a->id, &h);
	if (r == -ENOENT)
		return call_fail(c, khoa_err_no_such_handover(a->id));
	if (r == 0 && (r = call_personal(c, h, personal_handover)) < 0)
		json_object_put(h);
	return r < 0 ? r : call_reply_object(c, "handover", h);
}

static int
do_list(struct call *c, const void *args)
{
	const struct ho_args *a = args;
	struct store_page p;
	json_object *arr;
	int r = page_limit(c, &a->page, &p);
	if (r != 0)
		return r;
	/* The page first, then what of it the caller may see. */
	if ((r = store_handover_list(call_daemon(c)->store, a->serial, &p, &arr)) < 0)
		return page_fail(c, r);
	if ((r = call_personal_each(c, arr, personal_handover)) < 0) {
		json_object_put(arr);
		free(p.next);
		return r;
	}
	return page_reply(c, "handovers", arr, &p);
}

static const struct method handovers_methods[] = {
	{
		.name = "io.khoa.Handovers.New",
		.admit = ADMIT_TECHNICIAN | ADMIT_CLERK,
		.snapshot = true,
		.params = new_params,
		.run = do_new,
	},
	{
		.name = "io.khoa.Handovers.AddRow",
		.admit = ADMIT_TECHNICIAN | ADMIT_CLERK,
		.subject = SUBJECT_HANDOVER,
		.key = offsetof(struct ho_args, id),
		.snapshot = true,
		.params = add_row_params,
		.run = do_add_row,
	},
	{
		.name = "io.khoa.Handovers.RemoveRow",
		.admit = ADMIT_TECHNICIAN | ADMIT_CLERK,
		.subject = SUBJECT_HANDOVER,
		.key = offsetof(struct ho_args, id),
		.params = remove_row_params,
		.run = do_remove_row,
	},
	{
		.name = "io.khoa.Handovers.Cancel",
		.admit = ADMIT_TECHNICIAN | ADMIT_CLERK,
		.subject = SUBJECT_HANDOVER,
		.key = offsetof(struct ho_args, id),
		.params = cancel_params,
		.run = do_cancel,
	},
	{
		.name = "io.khoa.Handovers.Finalize",
		.admit = ADMIT_TECHNICIAN | ADMIT_CLERK,
		.subject = SUBJECT_HANDOVER,
		.key = offsetof(struct ho_args, id),
		.params = id_params,
		.run = do_finalize,
	},
	{
		.name = "io.khoa.Handovers.Get",
		.admit = ADMIT_ANYONE,
		.params = id_params,
		.run = do_get,
	},
	{
		.name = "io.khoa.Handovers.List",
		.admit = ADMIT_ANYONE,
		.params = list_params,
		.run = do_list,
		.init = list_args_init,
	},
	{ .name = NULL }
};

const struct interface api_handovers = { "io.khoa.Handovers", handovers_methods };
