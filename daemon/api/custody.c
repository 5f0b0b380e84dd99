/*
 * io.khoa.Custody: who holds a token (from finalized handovers), and the
 * register of the organization token kept like the agency's seal (R-CUSTODY,
 * Điều 13.2): checked out to a person for a purpose, due back after some
 * hours, checked in; seal-watch.c raises seal.overdue for one not back.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "device-state.h"
#include "errors.h"
#include "events.h"
#include "jsonb.h"
#include "khoa-limits.h"
#include "khoad.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "registry.h"
#include "seal-watch.h"
#include "store-custody.h"
#include "store-device-states.h"
#include "store-registry.h"
#include "store-tokens.h"
#include "validate.h"

struct custody_args {
	const char *serial, *purpose, *note;
	int64_t person_id, hours;
	bool open;
	bool another_agency;	/* SealOut: lent outside the agency, said so */
	struct page_args page;	/* SealLog */
};
METHOD_ARGS_FIT(struct custody_args);

static void
custody_args_init(void *args)
{
	struct custody_args *a = args;
	a->hours = -1;	/* not given */
	page_args_init(&a->page);
}

static const struct khoa_param serial_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct custody_args, serial), true },
	{ NULL }
};
static const struct khoa_param seal_out_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct custody_args, serial), true },
	{ "person_id", KHOA_PARAM_INT, offsetof(struct custody_args, person_id), true },
	{ "purpose", KHOA_PARAM_STRING, offsetof(struct custody_args, purpose), true },
	{ "hours", KHOA_PARAM_INT, offsetof(struct custody_args, hours), false },
	{ "another_agency", KHOA_PARAM_BOOL, offsetof(struct custody_args, another_agency), false },
	{ NULL }
};
static const struct khoa_param seal_in_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct custody_args, serial), true },
	{ "note", KHOA_PARAM_STRING, offsetof(struct custody_args, note), false },
	{ NULL }
};
static const struct khoa_param seal_log_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct custody_args, serial), false },
	{ "open", KHOA_PARAM_BOOL, offsetof(struct custody_args, open), false },
	PAGE_PARAMS(struct custody_args, page),
	{ NULL }
};

static int
do_get(struct call *c, const void *args)
{
	const struct custody_args *a = args;
	struct store *st = call_daemon(c)->store;
	json_object *out, *entry = NULL, *state = NULL;
	int64_t id;
	int r = store_custody_get(st, a->serial, &out);
	if (r == -ENOENT)
		return call_fail(c, khoa_err_unknown_token(a->serial));
	if (r < 0)
		return r;
	/* out on the seal register, and the device's state: custody says
	 * where the token is now, not only who answers for it (issue 16) */
	if ((r = store_seal_open(st, a->serial, &id)) == 0 &&
	    (r = store_seal_get(st, id, &entry)) == 0 &&
	    json_object_object_add(out, "seal_out", entry) < 0) {
		json_object_put(entry);
		r = -ENOMEM;
	}
	if ((r == 0 || r == -ENOENT) && (r = store_device_state_json(st, a->serial, &state)) == 0 &&
	    state && json_object_object_add(out, "device_state", state) < 0) {
		json_object_put(state);
		r = -ENOMEM;
	}
	if (r < 0) {
		json_object_put(out);
		return r;
	}
	return call_reply(c, out);
}

/* Seal entry ID as SealLog shows it: the event's details (with
 * "another_agency" when ANOTHER_AGENCY), and the reply. */
static int
record_entry(struct khoad *d, const char *type, const char *serial, int64_t id,
	     const struct actor *actor, bool another_agency, json_object **reply)
{
	json_object *e, *details = NULL;
	int r = store_seal_get(d->store, id, &e);
	if (r < 0)
		return r;
	if (another_agency && (json_object_deep_copy(e, &details, NULL) < 0 ||
			       json_object_object_add(details, "another_agency",
						      json_object_new_boolean(true)) < 0)) {
		json_object_put(details);
		json_object_put(e);
		return -ENOMEM;
	}
	if (!(*reply = reply_with("entry", json_object_get(e)))) {
		json_object_put(details);
		json_object_put(e);
		return -ENOMEM;
	}
	if (details)
		json_object_put(e);
	return events_record(d->events, type, serial, actor, details ? details : e);
}

/* A seal entry's change: the call's arguments, validated. */
struct seal_change {
	const struct custody_args *a;
	const char *text;	/* the purpose, the note */
	int64_t hours;
};

static int
seal_out(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct seal_change *o = arg;
	const struct custody_args *a = o->a;
	struct actor actor = call_actor(c);
	json_object *reg = NULL, *holder, *person, *v, *frozen;
	int64_t id, person_org = 0, seal_org = 0;
	int r;

	/* a lost or damaged seal is not lent (issue 16) */
	if ((r = device_state_guard(d, a->serial, "seal", NULL, &frozen)) != 0)
		return r > 0 ? call_fail(c, frozen) : r;
	if ((r = store_person_get(d->store, a->person_id, &person)) == -ENOENT)
		return call_fail(c, khoa_err_no_such_person(a->person_id));
	if (r == 0 && json_object_object_get_ex(person, "organization_id", &v) && v)
		person_org = json_object_get_int64(v);
	json_object_put(person);
	if (r < 0 || (r = store_token_registration(d->store, a->serial, &reg)) < 0)
		return r;
	bool organization = json_object_object_get_ex(reg, "holder", &holder) &&
			    strcmp(khoa_json_str(holder, "kind"), "organization") == 0;
	if (organization && json_object_object_get_ex(holder, "id", &v) && v)
		seal_org = json_object_get_int64(v);
	json_object_put(reg);
	if (!organization)
		return invalid_field(c, "serial", KR(SEAL_ORGANIZATION));
	/* The seal stays in its agency (R-CUSTODY, Điều 13.2; issue 16): lent
	 * to a person of it or of a unit below it, or elsewhere only when the
	 * clerk says so, which the event records. */
	bool ours = false;
	if (person_org && (r = store_org_would_cycle(d->store, seal_org, person_org, &ours)) < 0)
		return r;
	if (!ours && !a->another_agency)
		return call_fail(c, khoa_err_rule_violation("R-CUSTODY", KR(SEAL_ELSEWHERE), NULL, 0));
	if ((r = store_seal_open(d->store, a->serial, &id)) == 0)
		return call_fail(c, khoa_err_seal_out(a->serial));
	if (r != -ENOENT)
		return r;
	/* Another workstation checked it out meanwhile: seal_log_open (0010). */
	if ((r = store_seal_out(d->store, a->serial, a->person_id, o->text, o->hours, &actor,
				&id)) == -EEXIST)
		return call_fail(c, khoa_err_seal_out(a->serial));
	if (r < 0)
		return r;
	return record_entry(d, "seal.out", a->serial, id, &actor, !ours, reply);
}

static int
do_seal_out(struct call *c, const void *args)
{
	struct seal_change o = { .a = args };
	struct khoad *d = call_daemon(c);
	const char *rule = NULL;
	char *purpose = NULL;
	int r;

	o.hours = o.a->hours == -1 ? (int64_t)d->seal_due_hours : o.a->hours;
	if ((r = validate_text(o.a->purpose, &purpose, &rule)) < 0)
		return field_fail(c, r, "purpose", rule);
	o.text = purpose;
	if (!purpose)
		r = invalid_field(c, "purpose", KR(REQUIRED));
	else if (o.hours < 0 || o.hours > KHOA_SEAL_HOURS_MAX)
		r = invalid_fieldv(c, "hours", KR(RANGE), 2, "0", KHOA_STR(KHOA_SEAL_HOURS_MAX));
	else if ((r = registry_mutate(c, seal_out, &o)) == 0 && o.hours == 0)
		seal_watch_check(d);	/* due at once: say so now, not in a minute */
	free(purpose);
	return r;
}

static int
seal_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct seal_change *o = arg;
	const struct custody_args *a = o->a;
	struct actor actor = call_actor(c);
	int64_t id;
	int r;

	if ((r = store_seal_open(d->store, a->serial, &id)) == -ENOENT)
		return call_fail(c, khoa_err_seal_in(a->serial));
	if (r < 0 || (r = store_seal_in(d->store, id, &actor, o->text)) < 0)
		return r;
	return record_entry(d, "seal.in", a->serial, id, &actor, false, reply);
}

static int
do_seal_in(struct call *c, const void *args)
{
	struct seal_change o = { .a = args };
	const char *rule = NULL;
	char *note = NULL;
	int r;

	if ((r = validate_text(o.a->note, &note, &rule)) < 0)
		return field_fail(c, r, "note", rule);
	o.text = note;
	r = registry_mutate(c, seal_in, &o);
	free(note);
	return r;
}

static int
do_seal_log(struct call *c, const void *args)
{
	const struct custody_args *a = args;
	struct store_page p;
	json_object *arr;
	int r = page_limit(c, &a->page, &p);
	if (r != 0)
		return r;
	if ((r = store_seal_log(call_daemon(c)->store, a->serial, a->open, &p, &arr)) < 0)
		return page_fail(c, r);
	return page_reply(c, "entries", arr, &p);
}

static const struct method custody_methods[] = {
	{
		.name = "io.khoa.Custody.Get",
		.admit = ADMIT_ANYONE,
		.params = serial_params,
		.run = do_get,
	},
	{
		.name = "io.khoa.Custody.SealOut",
		.admit = ADMIT_CLERK,
		.subject = SUBJECT_TOKEN,
		.key = offsetof(struct custody_args, serial),
		.params = seal_out_params,
		.run = do_seal_out,
		.init = custody_args_init,
	},
	{
		.name = "io.khoa.Custody.SealIn",
		.admit = ADMIT_CLERK,
		.subject = SUBJECT_TOKEN,
		.key = offsetof(struct custody_args, serial),
		.params = seal_in_params,
		.run = do_seal_in,
	},
	{
		.name = "io.khoa.Custody.SealLog",
		.admit = ADMIT_ANYONE,
		.params = seal_log_params,
		.run = do_seal_log,
		.init = custody_args_init,
	},
	{ .name = NULL }
};

const struct interface api_custody = { "io.khoa.Custody", custody_methods };
