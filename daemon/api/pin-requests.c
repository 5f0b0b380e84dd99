/*
 * io.khoa.PinRequests: PIN-recovery requests (Mẫu 09, R-PIN-RECOVERY),
 * filed pre-filled from the token and the registry (the form:
 * daemon/pin-request-form.c), moved through their states by the workflow
 * engine (daemon/workflow.c, which decides who may take which step), and
 * completed by a technician who resets the PIN on the device with the SO
 * PIN. A form's personal fields go only to whom may see the token holder's
 * (personal.h).
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

#include "device-state.h"
#include "errors.h"
#include "events.h"
#include "inventory.h"
#include "jsonb.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "access.h"
#include "api.h"
#include "methods.h"
#include "pin-ops.h"
#include "pin-request-form.h"
#include "registry.h"
#include "request-step.h"
#include "scanner.h"
#include "secret.h"
#include "store-duplicates.h"
#include "store-reading.h"
#include "store-requests.h"
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
	struct page_args page;
};
METHOD_ARGS_FIT(struct req_args);

static void
req_args_init(void *args)
{
	struct req_args *a = args;
	a->year = YEAR_NOT_GIVEN;
	page_args_init(&a->page);
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
	PAGE_PARAMS(struct req_args, page),
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
list_all(struct store *s, const char *k, const char *state, int year, struct store_page *page,
	 json_object **out)
{
	(void)k;
	return store_request_list(s, kind->kind, state, year, page, out);
}

static const struct request_book book = {
	.noun = NOUN,
	.subject = SUBJECT_PIN_REQUEST,
	.words = &workflow_pin_recovery,
	.info = info,
	.move = store_request_transition,
	.last_actor = store_request_last_actor,
	.get = get_one,
	.list = list_all,
	.states = "filed,confirmed,submitted,forwarded,completed,rejected,cancelled",
	/* The form is the token's holder's: withheld from whom may not see
	 * theirs (personal.h). */
	.personal = personal_pin_request,
};

/* ----- methods ----- */

/* New: the call's arguments, the reason validated, the token present. */
struct filing {
	const struct req_args *a;
	const struct khoa_token *t;
	const char *reason;
	/* the token as the registry last read it, when it is on no desk of
	 * this khoad's (issue 16): T points here */
	struct khoa_token recorded;
	struct token_sighting seen;
	bool from_record;
};

/* The fields of FIELDS that change what the registry put on FORM, into
 * *OUT (an array; NULL when none). */
static int
overrides_of(json_object *form, json_object *fields, json_object **out)
{
	*out = NULL;
	if (!fields)
		return 0;
	json_object_object_foreach(fields, key, given) {
		json_object *had, *name;
		if (!json_object_object_get_ex(form, key, &had) || !had ||
		    (given && json_object_equal(had, given)))
			continue;
		if ((!*out && !(*out = json_object_new_array())) ||
		    !(name = json_object_new_string(key)) || json_object_array_add(*out, name) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* What the registry says of the subscriber is theirs and their clerk's to
 * correct, not any filer's: 0 when the caller may, or as a handler returns. */
static int
may_override(struct call *c, const char *serial, json_object *overrides)
{
	struct scope s;
	char why[512];
	int r;

	if (!overrides)
		return 0;
	if ((r = access_subject_token(call_daemon(c), serial, &s)) < 0 ||
	    access_admits(call_caller(c), ADMIT_SELF | ADMIT_CLERK, &s))
		return r;
	snprintf(why, sizeof(why), ": what the registry says of the subscriber (%s) is corrected "
		 "only by the person or the clerk of their organization",
		 json_object_to_json_string(overrides));
	return methods_refuse(c, ADMIT_CLERK, &s, why);
}

/* Mẫu 09 says why (issue 16): 0, or as a handler returns. */
static int
reason_given(struct call *c, const char *reason)
{
	return reason && *reason ? 0 : invalid_field(c, "reason", KR(PIN_REASON));
}

/* One open request a token (issue 16): 0 when none is, else as a handler
 * returns. */
static int
none_open(struct call *c, struct khoad *d, const char *serial)
{
	struct store_duplicate dup;
	int r = store_pin_request_open(d->store, kind->kind, serial, &dup);
	return r > 0 ? call_fail(c, khoa_err_duplicate("pin_request", dup.id, dup.field, dup.since))
		     : r;
}

static int
file_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct filing *f = arg;
	struct actor actor = call_actor(c);
	json_object *form = json_object_new_object(), *overrides = NULL, *details;
	int64_t id = 0;
	int r = form ? pin_form_prefill(d, form, f->t) : -ENOMEM;

	if (r == 0 && (r = overrides_of(form, f->a->fields, &overrides)) == 0 &&
	    (r = may_override(c, f->t->serial, overrides)) == 0 &&
	    (r = pin_form_apply(c, form, f->a->fields)) == 0 &&
	    (r = reason_given(c, f->reason)) == 0 && (r = none_open(c, d, f->t->serial)) == 0) {
		struct request_new rn = {
			.kind = kind->kind,
			.state = kind->initial,
			.token_serial = f->t->serial,
			.reason = f->reason,
			.form = form,
			.filer = actor,
		};
		/* Who typed over the registry is kept with the filing. */
		if ((r = store_request_create(d->store, &rn, &id)) == 0 &&
		    !(details = request_event_details(id, kind->kind, kind->initial, "reason",
						      f->reason)))
			r = -ENOMEM;
		if (r == 0 && overrides &&
		    json_object_object_add(details, "typed_over_registry",
					   json_object_get(overrides)) < 0) {
			json_object_put(details);
			r = -ENOMEM;
		}
		if (r == 0)
			r = events_record(d->events, kind->filed_event, f->t->serial, &actor,
					  details);
	}
	json_object_put(form);
	json_object_put(overrides);
	if (r != 0)
		return r;
	log_info("%s (uid %u) filed PIN-recovery request %lld for token %s%s",
		 actor.user, (unsigned)actor.uid, (long long)id, f->t->serial,
		 f->from_record ? " from the registry's last reading" : "");
	if ((r = request_get(c, &book, id, reply)) == 0 && f->from_record)
		r = reply_reading(*reply, &f->seen);
	return r;
}

static int
file_request(struct call *c, const void *args)
{
	struct filing f = { .a = args };
	struct khoad *d = call_daemon(c);
	const char *rule = NULL;
	json_object *frozen;
	char *reason = NULL;
	int r;

	/* no PIN recovery for a lost or damaged token (issue 16) */
	if ((r = device_state_guard(d, f.a->serial, "pin", NULL, &frozen)) != 0)
		return r > 0 ? call_fail(c, frozen) : r;
	/* on the desk, else as the registry last read it: a PIN is forgotten
	 * at home too (the technician resets it with the device, later) */
	if ((r = token_or_record(d, f.a->serial, &f.recorded, &f.seen, &f.t)) == -ENOENT)
		return call_fail(c, khoa_err_no_such_token(f.a->serial));
	if (r < 0)
		return r;
	f.from_record = r == 1;
	if ((r = validate_text(f.a->reason, &reason, &rule)) < 0) {
		khoa_token_clear(&f.recorded);
		return field_fail(c, r, "reason", rule);
	}
	f.reason = reason;
	r = registry_mutate(c, file_in, &f);
	khoa_token_clear(&f.recorded);
	free(reason);
	return r;
}

/* Confirm, Submit, Forward, Reject, Cancel: one step of the engine. */
static int
step(struct call *c, const void *args, const char *action)
{
	const struct req_args *a = args;
	return request_step(c, &book, a->id, a->note, action);
}

static int
confirm(struct call *c, const void *args)
{
	return step(c, args, "confirm");
}

static int
submit(struct call *c, const void *args)
{
	return step(c, args, "submit");
}

static int
forward(struct call *c, const void *args)
{
	return step(c, args, "forward");
}

static int
reject(struct call *c, const void *args)
{
	return step(c, args, "reject");
}

static int
cancel(struct call *c, const void *args)
{
	return step(c, args, "cancel");
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

/* The last step, once the token took the new PIN. */
static int
complete_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct completion *job = arg;
	const struct workflow_transition *t = job->t;
	struct request_info ri = { 0 };
	int r = store_request_transition(d->store, job->id, t->action, t->from, t->to, &job->actor,
					 NULL);

	if (r == -ENOENT) {
		/* Moved (rejected) by someone else while the token worked. */
		if ((r = store_request_info(d->store, kind->kind, job->id, &ri)) == 0) {
			log_warning("the PIN of token %s was reset, but request %lld is %s meanwhile",
				    job->serial, (long long)job->id, ri.state);
			r = workflow_fail_transition(c, kind, NOUN, job->id, ri.state, t->action);
		} else if (r == -ENOENT) {
			r = call_fail(c, khoa_err_no_such_request(NOUN, job->id));
		}
		store_request_info_clear(&ri);
		return r;
	}
	if (r < 0 || (r = events_record(d->events, t->event, job->serial, &job->actor,
					request_event_details(job->id, kind->kind, t->to, "note",
							      NULL))) < 0)
		return r;
	return request_get(c, &book, job->id, reply);
}

static void
reset_done(const struct pin_outcome *o, void *userdata)
{
	struct completion *job = userdata;
	int r;

	if (o->result != PIN_OK) {
		/* The request stays forwarded: the technician may try again. */
		call_fail(job->call, pin_outcome_error(o, job->serial));
	} else {
		log_info("%s (uid %u) reset the PIN of token %s for PIN-recovery request %lld",
			 job->actor.user, (unsigned)job->actor.uid, job->serial,
			 (long long)job->id);
		if ((r = registry_mutate(job->call, complete_in, job)) < 0)
			call_fail_errno(job->call, r);
	}
	completion_free(job);
}

static void
start_reset(struct completion *job)
{
	struct khoad *d = call_daemon(job->call);

	json_object *frozen = NULL;
	int r;

	if (!inventory_find(d->inventory, job->serial)) {
		call_fail(job->call, khoa_err_no_such_token(job->serial));
		completion_free(job);
		return;
	}
	/* a token reported lost, plugged in again: not until it is cleared */
	if ((r = device_state_guard(d, job->serial, "pin", NULL, &frozen)) != 0) {
		if (r > 0)
			call_fail(job->call, frozen);
		else
			call_fail_errno(job->call, r);
		completion_free(job);
		return;
	}
	struct secret *so = job->so_pin, *np = job->new_pin;
	job->so_pin = job->new_pin = NULL;
	pin_reset(d, job->serial, so, np, call_peer(job->call), reset_done, job);	/* takes both */
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
	call_fail(job->call, khoa_err_timeout(timeout, "the tokens were not read within %u "
					      "seconds", timeout));
	completion_free(job);
}

/* Whether the caller may complete request ID now: 0 with the step in *T
 * and the token's serial in *SERIAL (malloc'd), or as a handler returns. */
static int
check_complete(struct call *c, int64_t id, const struct workflow_transition **t, char **serial)
{
	struct request_info ri = { 0 };
	int r = store_request_info(call_daemon(c)->store, kind->kind, id, &ri);

	if (r == -ENOENT)
		return call_fail(c, khoa_err_no_such_request(NOUN, id));
	struct request_person approver;
	struct workflow_caller who;
	if (r == 0 && (r = request_caller(c, &book, kind, id, &ri, &approver, &who)) == 0) {
		enum workflow_verdict v = workflow_check(kind, "complete", ri.state, &who, NULL, t);
		if ((r = workflow_check_verdict(c, kind, NOUN, SUBJECT_PIN_REQUEST, v, *t, id,
						ri.state, "complete")) == 0 &&
		    !(*serial = strdup(ri.token_serial)))
			r = -ENOMEM;
	}
	store_request_info_clear(&ri);
	return r;
}

/*
 * Not a snapshot method in the table, on purpose: the dispatcher would
 * keep the message, PINs included, while it waits for the first scan (and
 * a deferred call has no parameters to take them from). Here the PINs are
 * taken out of the message (and it is wiped) before anything else, on
 * every path, and the wait for the first scan comes after.
 */
static int
complete(struct call *c, const void *args)
{
	const struct req_args *a = args;
	struct khoad *d = call_daemon(c);
	json_object *params = call_parameters(c);
	bool enomem1 = false, enomem2 = false;
	struct secret *so_pin = secret_take(params, "so_pin", &enomem1);
	struct secret *new_pin = secret_take(params, "new_pin", &enomem2);
	const struct workflow_transition *t = NULL;
	struct completion *job = NULL;
	char *serial = NULL;
	int r;

	if (!so_pin || !new_pin)
		r = -ENOMEM;	/* present and strings (the table said so) */
	else if ((r = check_complete(c, a->id, &t, &serial)) == 0 &&
		 (!(job = calloc(1, sizeof(*job) + strlen(serial) + 1)) ||
		  !(job->call = call_defer(c))))
		r = -ENOMEM;
	if (r != 0) {
		free(job);
		free(serial);
		secret_free(so_pin);
		secret_free(new_pin);
		return r;
	}
	strcpy(job->serial, serial);
	free(serial);
	job->id = a->id;
	job->t = t;
	job->so_pin = so_pin;
	job->new_pin = new_pin;
	job->actor = call_actor(job->call);
	snprintf(job->user, sizeof(job->user), "%s", job->actor.user);
	job->actor.user = job->user;

	if (inventory_complete(d->inventory))
		start_reset(job);
	else if (scanner_when_ready(d->scanner, d->rescan_timeout_s, on_snapshot, job) < 0) {
		call_fail_errno(job->call, -ENOMEM);
		completion_free(job);
	}
	return 0;
}

/* ----- reading ----- */

static int
list(struct call *c, const void *args)
{
	const struct req_args *a = args;
	return request_list(c, &book, NULL, a->state, a->year, &a->page);
}

static int
get(struct call *c, const void *args)
{
	return request_reply(c, &book, ((const struct req_args *)args)->id);
}

static int
count(struct call *c, const void *args)
{
	const struct req_args *a = args;
	int64_t n = 0;
	int r;

	if ((r = workflow_check_year(c, a->year)) != 0 ||
	    (r = store_request_count(call_daemon(c)->store, kind->kind, (int)a->year, &n)) < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "count", n);
	return call_reply(c, jsonb_finish(&b));
}

/* Filing changes no device: anyone may file, and is recorded as the filer. */
/* The steps: the engine checks the role, which depends on the state. */

static const struct method pin_requests_methods[] = {
	{
		.name = "io.khoa.PinRequests.New",
		.admit = ADMIT_SELF | ADMIT_CUSTODIAN | ADMIT_CLERK | ADMIT_TECHNICIAN | ADMIT_SEAT,
		.subject = SUBJECT_TOKEN,
		.key = offsetof(struct req_args, serial),
		.snapshot = true,
		.params = new_params,
		.run = file_request,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Confirm",
		.admit = ADMIT_ANYONE,
		.params = step_params,
		.run = confirm,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Submit",
		.admit = ADMIT_ANYONE,
		.params = step_params,
		.run = submit,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Forward",
		.admit = ADMIT_ANYONE,
		.params = step_params,
		.run = forward,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Reject",
		.admit = ADMIT_ANYONE,
		.params = step_note_params,
		.run = reject,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Cancel",
		.admit = ADMIT_ANYONE,
		.params = step_note_params,
		.run = cancel,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Complete",
		.admit = ADMIT_ANYONE,
		.params = complete_params,
		.run = complete,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.List",
		.admit = ADMIT_ANYONE,
		.params = list_params,
		.run = list,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Get",
		.admit = ADMIT_ANYONE,
		.params = id_params,
		.run = get,
		.init = req_args_init,
	},
	{
		.name = "io.khoa.PinRequests.Count",
		.admit = ADMIT_ANYONE,
		.params = count_params,
		.run = count,
		.init = req_args_init,
	},
	{ .name = NULL }
};

const struct interface api_pin_requests = { "io.khoa.PinRequests", pin_requests_methods };
