/* Steps and readings of requests, for every kind (request-step.h). */
#include <errno.h>
#include <stdlib.h>

#include "errors.h"
#include "events.h"
#include "jsonb.h"
#include "khoad.h"
#include "log.h"
#include "method-util.h"
#include "registry.h"
#include "request-step.h"
#include "roles.h"
#include "store-access.h"
#include "store-requests.h"
#include "validate.h"
#include "workflow-reply.h"

json_object *
request_event_details(int64_t id, const char *kind, const char *state, const char *key,
		      const char *text)
{
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "id", id);
	jsonb_str(&b, "kind", kind);
	jsonb_str(&b, "state", state);
	jsonb_str(&b, key, text);
	return jsonb_finish(&b);
}

/* The store's question for the workflow: is ACTION an approval of KIND? */
static bool
is_approval(const char *action, const void *kind)
{
	return workflow_is_approval(kind, action);
}

int
request_caller(struct call *c, const struct request_book *book,
	       const struct workflow_kind *kind, int64_t id, const struct request_info *ri,
	       struct request_person *approver, struct workflow_caller *who)
{
	int r = book->last_actor(call_daemon(c)->store, id, is_approval, kind, approver);
	unsigned roles;

	if (r < 0 && r != -ENOENT)
		return r;
	/* A clerk's role counts on the requests of their organization only. */
	int rr = call_roles_on(c, book->subject, id, &roles);
	if (rr < 0)
		return rr;
	*who = (struct workflow_caller){
		.self_person = call_caller(c)->person,
		.roles = roles,
		.self = call_actor(c),
		.filer = { ri->filed_by.uid, ri->filed_by.user },
		.approver = { approver->uid, approver->user },
		.approved = r == 0,
	};
	/* Whose logins the filer's and the approver's are, now. */
	struct store *st = call_daemon(c)->store;
	if ((rr = store_login_owner(st, ri->filed_by.user, &who->filer_person)) < 0 ||
	    (who->approved &&
	     (rr = store_login_owner(st, approver->user, &who->approver_person)) < 0))
		return rr;
	return 0;
}

/* The rules of the book asked again before transition T of request ID:
 * 0, or as a handler returns (a RuleViolation). */
static int
recheck(struct call *c, struct khoad *d, const struct request_book *book, int64_t id,
	const struct workflow_transition *t)
{
	struct rule_why why = { 0 };
	bool ok = true;
	int r;

	if (!book->recheck)
		return 0;
	if ((r = book->recheck(d, id, t->to, &why, &ok)) < 0 || ok)
		return r;
	return call_rule_violation(c, &why);
}

/* A step: its arguments, the note validated. */
struct step {
	const struct request_book *book;
	int64_t id;
	const char *note, *action;
};

static int
step_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct step *st = arg;
	const struct request_book *book = st->book;
	struct actor actor = call_actor(c);
	const struct workflow_transition *t = NULL;
	const struct workflow_kind *kind;
	struct request_info ri = { 0 };
	int r;

	if ((r = book->info(d->store, st->id, &ri)) == -ENOENT)
		return call_fail(c, khoa_err_no_such_request(book->noun, st->id));
	if (r < 0)
		return r;
	if (!(kind = workflow_kind_named(ri.kind))) {
		store_request_info_clear(&ri);
		return -EIO;	/* a kind no table knows: a damaged registry */
	}
	struct request_person approver;
	struct workflow_caller who;
	enum workflow_verdict v = WORKFLOW_OK;
	if ((r = request_caller(c, book, kind, st->id, &ri, &approver, &who)) == 0)
		v = workflow_check(kind, st->action, ri.state, &who, st->note, &t);
	if (r == 0 &&
	    (r = workflow_check_verdict(c, book->words, book->noun, book->subject, v, t, st->id,
					ri.state, st->action)) == 0 &&
	    (r = recheck(c, d, book, st->id, t)) == 0 &&
	    (r = book->move(d->store, st->id, t->action, t->from, t->to, &actor, st->note)) == 0 &&
	    (r = events_record(d->events, t->event, ri.token_serial, &actor,
			       request_event_details(st->id, kind->kind, t->to, "note",
						     st->note))) == 0 &&
	    book->after)
		r = book->after(d, st->id, &ri, t, &actor);
	store_request_info_clear(&ri);
	return r != 0 ? r : request_get(c, book, st->id, reply);
}

int
request_step(struct call *c, const struct request_book *book, int64_t id, const char *note_in,
	     const char *action)
{
	const char *rule = NULL;
	char *note = NULL;
	int r;

	if ((r = validate_text(note_in, &note, &rule)) < 0)
		return field_fail(c, r, "note", rule);
	r = registry_mutate(c, step_in, &(struct step){ book, id, note, action });
	free(note);
	return r;
}

int
request_get(struct call *c, const struct request_book *book, int64_t id, json_object **reply)
{
	json_object *req;
	int r = book->get(call_daemon(c)->store, id, &req);
	if (r == 0 && book->personal && (r = call_personal(c, req, book->personal)) < 0)
		json_object_put(req);
	if (r < 0)
		return r;
	return (*reply = reply_with("request", req)) ? 0 : -ENOMEM;
}

int
request_reply(struct call *c, const struct request_book *book, int64_t id)
{
	json_object *reply;
	int r = request_get(c, book, id, &reply);
	if (r == -ENOENT)
		return call_fail(c, khoa_err_no_such_request(book->noun, id));
	return r < 0 ? r : call_reply(c, reply);
}

int
request_list(struct call *c, const struct request_book *book, const char *kind,
	     const char *state, int64_t year, const struct page_args *page)
{
	struct store_page p;
	json_object *requests;
	int r;

	if (state && !workflow_is_state(book->words, state))
		return invalid_fieldv(c, "state", KR(ONE_OF), 1, book->states);
	if (year != INT64_MIN && (r = workflow_check_year(c, year)) != 0)
		return r;
	if ((r = page_limit(c, page, &p)) != 0)
		return r;
	/* The page first, then what of it the caller may see. */
	r = book->list(call_daemon(c)->store, kind, state, year == INT64_MIN ? 0 : (int)year,
		       &p, &requests);
	if (r < 0)
		return page_fail(c, r);
	if (book->personal && (r = call_personal_each(c, requests, book->personal)) < 0) {
		json_object_put(requests);
		free(p.next);
		return r;
	}
	return page_reply(c, "requests", requests, &p);
}
