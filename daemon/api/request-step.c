/* Steps and readings of requests, for every kind (request-step.h). */
#include <errno.h>
#include <stdlib.h>

#include "events.h"
#include "jsonb.h"
#include "khoad.h"
#include "method-util.h"
#include "registry.h"
#include "request-step.h"
#include "roles.h"
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

void
request_step(struct call *c, const struct request_book *book, int64_t id, const char *note_in,
	     const char *action)
{
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	const struct workflow_transition *t = NULL;
	const struct workflow_kind *kind;
	struct request_info ri = { 0 };
	const char *rule = NULL;
	char *note = NULL;
	int r;

	if (!field_ok(c, validate_text(note_in, &note, &rule), "note", &rule))
		return;
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		free(note);
		return;
	}
	if ((r = book->info(d->store, id, &ri)) < 0) {
		if (r == -ENOENT)
			workflow_reply_no_such(c, book->noun, id);
		else
			reply_store_error(c, r);
		goto fail;
	}
	if (!(kind = workflow_kind_named(ri.kind))) {
		reply_store_error(c, -EIO);	/* a kind no table knows: a damaged registry */
		goto fail;
	}
	const struct peer *p = call_peer(c);
	struct workflow_caller who = {
		.roles = roles_of(d->roles, p),
		.filer = (int64_t)p->uid == ri.filed_by_uid,
	};
	enum workflow_verdict v = workflow_check(kind, action, ri.state, &who, note, &t);
	if (!workflow_reply_verdict(c, book->words, book->noun, v, t, id, ri.state, action))
		goto fail;
	if ((r = book->move(d->store, id, t->action, t->from, t->to, &actor, note)) == 0)
		r = events_record(d->events, t->event, ri.token_serial, &actor,
				  request_event_details(id, kind->kind, t->to, "note", note));
	if (r == 0 && book->after)
		r = book->after(d, id, &ri, t);
	if (r == 0 && (r = registry_commit(d)) == 0) {
		request_reply(c, book, id);
		goto out;
	}
	reply_store_error(c, r);
fail:
	registry_rollback(d);
out:
	store_request_info_clear(&ri);
	free(note);
}

void
request_reply(struct call *c, const struct request_book *book, int64_t id)
{
	json_object *req;
	int r = book->get(call_daemon(c)->store, id, &req);
	if (r == -ENOENT)
		workflow_reply_no_such(c, book->noun, id);
	else if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "request", req);
}

void
request_list(struct call *c, const struct request_book *book, const char *kind,
	     const char *state, int64_t year)
{
	json_object *requests;
	int r;

	if (state && !workflow_is_state(book->words, state)) {
		field_ok(c, -EINVAL, "state", &book->states);
		return;
	}
	if (year != INT64_MIN && !workflow_reply_year_ok(c, year))
		return;
	r = book->list(call_daemon(c)->store, kind, state, year == INT64_MIN ? 0 : (int)year,
		       &requests);
	if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "requests", requests);
}
