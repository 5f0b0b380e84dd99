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
#include "validate.h"

struct custody_args {
	const char *serial, *purpose, *note;
	int64_t person_id, hours;
	bool open;
};
METHOD_ARGS_FIT(struct custody_args);

static void
custody_args_init(void *args)
{
	((struct custody_args *)args)->hours = -1;	/* not given */
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
	{ NULL }
};

static void
no_such_token(struct call *c, const char *serial)
{
	call_error(c, khoa_error_newf(KHOA_ERROR_NO_SUCH_TOKEN, "serial", serial,
				      "token %s is not in the registry", serial));
}

static void
do_get(struct call *c, const void *args)
{
	const struct custody_args *a = args;
	json_object *out;
	int r = store_custody_get(call_daemon(c)->store, a->serial, &out);
	if (r == -ENOENT)
		no_such_token(c, a->serial);
	else if (r < 0)
		reply_store_error(c, r);
	else
		call_reply(c, out);
}

/* Answers with the entry ID after a commit. */
static void
reply_entry(struct call *c, int64_t id)
{
	json_object *e;
	int r = store_seal_get(call_daemon(c)->store, id, &e);
	if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "entry", e);
}

/* An event about seal entry ID: the entry as SealLog shows it. */
static int
record_entry(struct khoad *d, const char *type, const char *serial, int64_t id,
	     const struct actor *actor)
{
	json_object *e;
	int r = store_seal_get(d->store, id, &e);
	return r < 0 ? r : events_record(d->events, type, serial, actor, e);
}

static void
do_seal_out(struct call *c, const void *args)
{
	const struct custody_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	json_object *reg = NULL, *holder, *person = NULL;
	const char *rule = NULL;
	char *purpose = NULL;
	int64_t id;
	int r;

	if (!field_ok(c, validate_text(a->purpose, &purpose, &rule), "purpose", &rule))
		return;
	if (!purpose) {
		field_ok(c, -EINVAL, "purpose", &(const char *){ "purpose: required" });
		return;
	}
	int64_t hours = a->hours == -1 ? (int64_t)d->seal_due_hours : a->hours;
	if (hours < 0 || hours > KHOA_SEAL_HOURS_MAX) {
		field_ok(c, -EINVAL, "hours",
			 &(const char *){ "hours: 0 to " KHOA_STR(KHOA_SEAL_HOURS_MAX) });
		goto out;
	}
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		goto out;
	}
	if ((r = store_token_registration(d->store, a->serial, &reg)) < 0 ||
	    (r = store_person_get(d->store, a->person_id, &person)) < 0) {
		if (r == -ENOENT)
			reply_no_such_person(c, a->person_id);
		else
			reply_store_error(c, r);
		goto fail;
	}
	if (!json_object_object_get_ex(reg, "holder", &holder) ||
	    strcmp(khoa_json_str(holder, "kind"), "organization") != 0) {
		field_ok(c, -EINVAL, "serial", &(const char *){
			"seal: only an organization's token is kept like the seal" });
		goto fail;
	}
	if ((r = store_seal_open(d->store, a->serial, &id)) == 0) {
		call_error(c, khoa_error_newf(KHOA_ERROR_SEAL_OUT, "serial", a->serial,
					      "token %s is out already", a->serial));
		goto fail;
	}
	if ((r != -ENOENT) ||
	    (r = store_seal_out(d->store, a->serial, a->person_id, purpose, hours, &actor,
				&id)) < 0 ||
	    (r = record_entry(d, "seal.out", a->serial, id, &actor)) < 0 ||
	    (r = registry_commit(d)) < 0) {
		reply_store_error(c, r);
		goto fail;
	}
	reply_entry(c, id);
	if (hours == 0)
		seal_watch_check(d);	/* due at once: say so now, not in a minute */
	goto out;
fail:
	registry_rollback(d);
out:
	json_object_put(reg);
	json_object_put(person);
	free(purpose);
}

static void
do_seal_in(struct call *c, const void *args)
{
	const struct custody_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	const char *rule = NULL;
	char *note = NULL;
	int64_t id;
	int r;

	if (!field_ok(c, validate_text(a->note, &note, &rule), "note", &rule))
		return;
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		goto out;
	}
	if ((r = store_seal_open(d->store, a->serial, &id)) == -ENOENT) {
		call_error(c, khoa_error_newf(KHOA_ERROR_SEAL_IN, "serial", a->serial,
					      "token %s is not out", a->serial));
		goto fail;
	}
	if (r < 0 || (r = store_seal_in(d->store, id, &actor, note)) < 0 ||
	    (r = record_entry(d, "seal.in", a->serial, id, &actor)) < 0 ||
	    (r = registry_commit(d)) < 0) {
		reply_store_error(c, r);
		goto fail;
	}
	reply_entry(c, id);
	goto out;
fail:
	registry_rollback(d);
out:
	free(note);
}

static void
do_seal_log(struct call *c, const void *args)
{
	const struct custody_args *a = args;
	json_object *arr;
	int r = store_seal_log(call_daemon(c)->store, a->serial, a->open, &arr);
	if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "entries", arr);
}

static const struct method custody_methods[] = {
	{
		.name = "io.khoa.Custody.Get",
		.roles = ROLES_ANYONE,
		.params = serial_params,
		.run = do_get,
	},
	{
		.name = "io.khoa.Custody.SealOut",
		.roles = ROLE_CLERK,
		.params = seal_out_params,
		.run = do_seal_out,
		.init = custody_args_init,
	},
	{
		.name = "io.khoa.Custody.SealIn",
		.roles = ROLE_CLERK,
		.params = seal_in_params,
		.run = do_seal_in,
	},
	{
		.name = "io.khoa.Custody.SealLog",
		.roles = ROLES_ANYONE,
		.params = seal_log_params,
		.run = do_seal_log,
	},
	{ .name = NULL }
};

const struct interface api_custody = { "io.khoa.Custody", custody_methods };
