/*
 * io.khoa.PinRequests: PIN-recovery requests (Mẫu 09, R-PIN-RECOVERY),
 * filed pre-filled from the token and the registry (the form:
 * daemon/pin-request-form.c), moved through their states by the workflow
 * engine (daemon/workflow.c, which decides who may take which step), and
 * completed by a technician who resets the PIN on the device with the SO
 * PIN.
 *
 * The step methods admit anyone in the method table: the role a step needs
 * depends on the request's state, so the engine checks it and refuses
 * exactly as the dispatcher would (io.khoa.PermissionDenied naming the
 * role).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "events.h"
#include "inventory.h"
#include "jsonb.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "pin-ops.h"
#include "pin-request-form.h"
#include "registry.h"
#include "request-step.h"
#include "scanner.h"
#include "secret.h"
#include "validate.h"
#include "workflow-reply.h"
#include "workflow.h"

static const struct workflow_kind *const kind = &workflow_pin_recovery;
#define NOUN "PIN-recovery request"

#define YEAR_NOT_GIVEN INT64_MIN

struct req_args {
	int64_t id;
	const char *serial, *reason, *note, *state;
	json_object *fields;
	const char *so_pin, *new_pin;	/* parsed for presence; taken as secrets */
	int64_t year;
};
METHOD_ARGS_FIT(struct req_args);

static void
req_args_init(void *args)
{
	((struct req_args *)args)->year = YEAR_NOT_GIVEN;
}

static const struct khoa_param new_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct req_args, serial), true },
	{ "reason", KHOA_PARAM_STRING, offsetof(struct req_args, reason), false },
	{ "fields", KHOA_PARAM_OBJECT, offsetof(struct req_args, fields), false },
	{ NULL }
};
static const struct khoa_param step_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct req_args, id), true },
	{ "note", KHOA_PARAM_STRING, offsetof(struct req_args, note), false },
	{ NULL }
};
/* Reject and Cancel: the interface makes the note required. */
static const struct khoa_param step_note_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct req_args, id), true },
	{ "note", KHOA_PARAM_STRING, offsetof(struct req_args, note), true },
	{ NULL }
};
static const struct khoa_param complete_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct req_args, id), true },
	{ "so_pin", KHOA_PARAM_STRING, offsetof(struct req_args, so_pin), true },
	{ "new_pin", KHOA_PARAM_STRING, offsetof(struct req_args, new_pin), true },
	{ NULL }
};
static const struct khoa_param list_params[] = {
	{ "state", KHOA_PARAM_STRING, offsetof(struct req_args, state), false },
	{ "year", KHOA_PARAM_INT, offsetof(struct req_args, year), false },
	{ NULL }
};
static const struct khoa_param id_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct req_args, id), true },
	{ NULL }
};
static const struct khoa_param count_params[] = {
	{ "year", KHOA_PARAM_INT, offsetof(struct req_args, year), true },
	{ NULL }
};

/* ----- errors ----- */

static void
no_such_token(struct call *c, const char *serial)
{
	call_error(c, khoa_error_newf(KHOA_ERROR_NO_SUCH_TOKEN, "serial", serial,
				      "no token with serial %s is present", serial));
}

static struct workflow_caller
caller_of(const struct call *c, const struct request_info *ri)
{
	const struct peer *p = call_peer(c);
	return (struct workflow_caller){
		.roles = roles_of(call_daemon(c)->roles, p),
		.filer = (int64_t)p->uid == ri->filed_by_uid,
	};
}

/* ----- the book: where these requests are ----- */

static int
info(struct store *s, int64_t id, struct request_info *out)
{
	return store_request_info(s, kind->kind, id, out);
}

static int
get_one(struct store *s, int64_t id, json_object **out)
{
	return store_request_get(s, kind->kind, id, out);
}

/* The book lists the kind of its table whatever the caller names. */
static int
list_all(struct store *s, const char *k, const char *state, int year, json_object **out)
{
	(void)k;
	return store_request_list(s, kind->kind, state, year, out);
}

static const struct request_book book = {
	.noun = NOUN,
	.words = &workflow_pin_recovery,
	.info = info,
	.move = store_request_transition,
	.get = get_one,
	.list = list_all,
	.states = "one of filed, confirmed, submitted, forwarded, completed, rejected, cancelled",
};

/* ----- methods ----- */

static void
file_request(struct call *c, const void *args)
{
	const struct req_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	const struct khoa_token *t = inventory_find(d->inventory, a->serial);
	const char *rule = NULL;
	char *reason = NULL;
	json_object *form = NULL;
	int64_t id = 0;
	int r;

	if (!t) {
		no_such_token(c, a->serial);
		return;
	}
	if (!field_ok(c, validate_text(a->reason, &reason, &rule), "reason", &rule))
		return;
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		free(reason);
		return;
	}
	if (!(form = json_object_new_object()))
		r = -ENOMEM;
	else
		r = pin_form_prefill(d, form, t);
	if (r < 0) {
		reply_store_error(c, r);
		goto fail;
	}
	if (!pin_form_apply(c, form, a->fields))
		goto fail;

	struct request_new rn = {
		.kind = kind->kind,
		.state = kind->initial,
		.token_serial = t->serial,
		.reason = reason,
		.form = form,
		.filer = actor,
	};
	if ((r = store_request_create(d->store, &rn, &id)) == 0)
		r = events_record(d->events, kind->filed_event, t->serial, &actor,
				  request_event_details(id, kind->kind, kind->initial, "reason", reason));
	if (r == 0 && (r = registry_commit(d)) == 0) {
		log_info("%s (uid %u) filed PIN-recovery request %lld for token %s",
			 actor.user, (unsigned)actor.uid, (long long)id, a->serial);
		request_reply(c, &book, id);
		goto out;
	}
	reply_store_error(c, r);
fail:
	registry_rollback(d);
out:
	json_object_put(form);
	free(reason);
}

/* Confirm, Submit, Forward, Reject, Cancel: one step of the engine. */
static void
step(struct call *c, const struct req_args *a, const char *action)
{
	request_step(c, &book, a->id, a->note, action);
}

static void
confirm(struct call *c, const void *args)
{
	step(c, args, "confirm");
}

static void
submit(struct call *c, const void *args)
{
	step(c, args, "submit");
}

static void
forward(struct call *c, const void *args)
{
	step(c, args, "forward");
}

static void
reject(struct call *c, const void *args)
{
	step(c, args, "reject");
}

static void
cancel(struct call *c, const void *args)
{
	step(c, args, "cancel");
}

/* ----- Complete: the PIN reset on the device, then the last step ----- */

struct completion {
	struct call *call;		/* deferred */
	int64_t id;
	const struct workflow_transition *t;	/* forwarded → completed */
	struct secret *so_pin, *new_pin;
	struct actor actor;
	char user[64];
	char serial[];
};

static void
completion_free(struct completion *job)
{
	secret_free(job->so_pin);
	secret_free(job->new_pin);
	free(job);
}

static void
reset_done(const struct pin_outcome *o, void *userdata)
{
	struct completion *job = userdata;
	struct khoad *d = call_daemon(job->call);
	const struct workflow_transition *t = job->t;
	struct request_info ri = { 0 };
	int r;

	if (o->result != PIN_OK) {
		/* The request stays forwarded: the technician may try again. */
		call_error(job->call, pin_outcome_error(o, job->serial));
		completion_free(job);
		return;
	}
	log_info("%s (uid %u) reset the PIN of token %s for PIN-recovery request %lld",
		 job->actor.user, (unsigned)job->actor.uid, job->serial, (long long)job->id);
	if ((r = registry_begin(d)) < 0)
		goto fail;
	r = store_request_transition(d->store, job->id, t->action, t->from, t->to, &job->actor, NULL);
	if (r == -ENOENT) {
		/* Moved (rejected) by someone else while the token worked. */
		if (store_request_info(d->store, kind->kind, job->id, &ri) == 0) {
			log_warning("the PIN of token %s was reset, but request %lld is %s meanwhile",
				    job->serial, (long long)job->id, ri.state);
			workflow_reply_bad_transition(job->call, kind, NOUN, job->id, ri.state, t->action);
		} else {
			workflow_reply_no_such(job->call, NOUN, job->id);
		}
		store_request_info_clear(&ri);
		registry_rollback(d);
		completion_free(job);
		return;
	}
	if (r == 0)
		r = events_record(d->events, t->event, job->serial, &job->actor,
				  request_event_details(job->id, kind->kind, t->to, "note", NULL));
	if (r == 0 && (r = registry_commit(d)) == 0) {
		request_reply(job->call, &book, job->id);
		completion_free(job);
		return;
	}
fail:
	registry_rollback(d);
	reply_store_error(job->call, r);
	completion_free(job);
}

static void
start_reset(struct completion *job)
{
	struct khoad *d = call_daemon(job->call);

	if (!inventory_find(d->inventory, job->serial)) {
		no_such_token(job->call, job->serial);
		completion_free(job);
		return;
	}
	struct secret *so = job->so_pin, *np = job->new_pin;
	job->so_pin = job->new_pin = NULL;
	pin_reset(d, job->serial, so, np, reset_done, job);	/* takes both */
}

static void
on_snapshot(bool complete, void *userdata)
{
	struct completion *job = userdata;
	unsigned timeout = call_daemon(job->call)->rescan_timeout_s;

	if (complete) {
		start_reset(job);
		return;
	}
	call_error(job->call, khoa_error_add_int(
		khoa_error_newf(KHOA_ERROR_TIMEOUT, NULL, NULL,
				"the tokens were not read within %u seconds", timeout),
		"seconds", timeout));
	completion_free(job);
}

/*
 * Not a snapshot method in the table, on purpose: the dispatcher would
 * keep the message, PINs included, while it waits for the first scan (and
 * a deferred call has no parameters to take them from). Here the PINs are
 * taken out of the message (and it is wiped) before anything else, on
 * every path, and the wait for the first scan comes after.
 */
static void
complete(struct call *c, const void *args)
{
	const struct req_args *a = args;
	struct khoad *d = call_daemon(c);
	json_object *params = call_parameters(c);
	bool enomem1 = false, enomem2 = false;
	struct secret *so_pin = secret_take(params, "so_pin", &enomem1);
	struct secret *new_pin = secret_take(params, "new_pin", &enomem2);
	const struct workflow_transition *t = NULL;
	struct request_info ri = { 0 };
	struct completion *job = NULL;
	int r;

	if (!so_pin || !new_pin) {
		call_error(c, NULL);	/* present and strings (the table said so): ENOMEM */
		goto fail;
	}
	if ((r = store_request_info(d->store, kind->kind, a->id, &ri)) < 0) {
		if (r == -ENOENT)
			workflow_reply_no_such(c, NOUN, a->id);
		else
			reply_store_error(c, r);
		goto fail;
	}
	struct workflow_caller who = caller_of(c, &ri);
	enum workflow_verdict v = workflow_check(kind, "complete", ri.state, &who, NULL, &t);
	if (!workflow_reply_verdict(c, kind, NOUN, v, t, a->id, ri.state, "complete"))
		goto fail;

	size_t n = strlen(ri.token_serial) + 1;
	if (!(job = calloc(1, sizeof(*job) + n)) || !(job->call = call_defer(c))) {
		call_error(c, NULL);
		goto fail;
	}
	memcpy(job->serial, ri.token_serial, n);
	job->id = a->id;
	job->t = t;
	job->so_pin = so_pin;
	job->new_pin = new_pin;
	job->actor = call_actor(job->call);
	snprintf(job->user, sizeof(job->user), "%s", job->actor.user);
	job->actor.user = job->user;
	store_request_info_clear(&ri);

	if (inventory_complete(d->inventory))
		start_reset(job);
	else if (scanner_when_ready(d->scanner, d->rescan_timeout_s, on_snapshot, job) < 0) {
		call_error(job->call, NULL);
		completion_free(job);
	}
	return;
fail:
	free(job);
	secret_free(so_pin);
	secret_free(new_pin);
	store_request_info_clear(&ri);
}

/* ----- reading ----- */

static void
list(struct call *c, const void *args)
{
	const struct req_args *a = args;
	request_list(c, &book, NULL, a->state, a->year);
}

static void
get(struct call *c, const void *args)
{
	request_reply(c, &book, ((const struct req_args *)args)->id);
}

static void
count(struct call *c, const void *args)
{
	const struct req_args *a = args;
	int64_t n = 0;
	int r;

	if (!workflow_reply_year_ok(c, a->year))
		return;
	if ((r = store_request_count(call_daemon(c)->store, kind->kind, (int)a->year, &n)) < 0) {
		reply_store_error(c, r);
		return;
	}
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "count", n);
	call_reply(c, jsonb_finish(&b));
}

/* Filing changes no device: anyone may file, and is recorded as the filer. */
/* The steps: the engine checks the role, which depends on the state. */

static const struct method pin_requests_methods[] = {
	{
		.name = "io.khoa.PinRequests.New",
		.roles = ROLES_ANYONE,
		.snapshot = true,
		.params = new_params,
		.run = file_request,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Confirm",
		.roles = ROLES_ANYONE,
		.params = step_params,
		.run = confirm,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Submit",
		.roles = ROLES_ANYONE,
		.params = step_params,
		.run = submit,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Forward",
		.roles = ROLES_ANYONE,
		.params = step_params,
		.run = forward,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Reject",
		.roles = ROLES_ANYONE,
		.params = step_note_params,
		.run = reject,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Cancel",
		.roles = ROLES_ANYONE,
		.params = step_note_params,
		.run = cancel,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Complete",
		.roles = ROLES_ANYONE,
		.params = complete_params,
		.run = complete,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.List",
		.roles = ROLES_ANYONE,
		.params = list_params,
		.run = list,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Get",
		.roles = ROLES_ANYONE,
		.params = id_params,
		.run = get,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Count",
		.roles = ROLES_ANYONE,
		.params = count_params,
		.run = count,
		.init = req_args_init,
	},
	{ .name = NULL }
};

const struct interface api_pin_requests = { "io.khoa.PinRequests", pin_requests_methods };
