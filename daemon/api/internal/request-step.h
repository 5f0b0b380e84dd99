/*
 * What every kind of request does the same way. A step (confirm, submit,
 * forward, done, reject, cancel): the note checked, the request read in a
 * transaction, the engine asked (role, state, note), the step recorded with
 * its event, committed, and the request answered. A reading: one request,
 * or a list by kind, state and year. A request book says where the
 * requests of one table are and in which words they are refused.
 */
#pragma once

#include <stdint.h>

#include "access.h"
#include "method-util.h"
#include "personal.h"
#include "rules.h"
#include "server.h"
#include "store-requests.h"
#include "store.h"
#include "workflow.h"

struct khoad;

struct request_book {
	const char *noun;		/* "PIN-recovery request", in messages */
	enum subject_kind subject;	/* whom its requests concern (access.h) */
	const struct workflow_kind *words;	/* whose states name a refusal */
	int (*info)(struct store *s, int64_t id, struct request_info *out);
	int (*move)(struct store *s, int64_t id, const char *action, const char *from,
		    const char *to, const struct actor *actor, const char *note);
	/* Who took the newest step PICK accepts (four eyes). */
	int (*last_actor)(struct store *s, int64_t id, store_step_pick *pick, const void *arg,
			  struct request_person *out);
	int (*get)(struct store *s, int64_t id, json_object **out);
	int (*list)(struct store *s, const char *kind, const char *state, int year,
		    struct store_page *page, json_object **out);
	const char *states;		/* "one of filed, confirmed, …", for a bad filter */
	/* A request as the caller may see it (personal.h); NULL: its
	 * requests carry nothing personal. */
	int (*personal)(struct personal_view *v, json_object *request);
	/* What the step ACTOR took sets off in the registry, in its
	 * transaction; NULL: nothing. */
	int (*after)(struct khoad *d, int64_t id, const struct request_info *ri,
		     const struct workflow_transition *t, const struct actor *actor);
	/* The rules asked again before the step to state TO (issue 16): *OK
	 * false with *WHY filled refuses it as a RuleViolation; NULL: the
	 * kind has no rules. 0, or a negative errno. */
	int (*recheck)(struct khoad *d, int64_t id, const char *to, struct rule_why *why,
		       bool *ok);
};

/* Who asks C to step request ID of KIND (RI, read from BOOK) as the engine
 * weighs them: their roles; who they are, who filed it and who took its
 * latest approval step (read into *APPROVER, which WHO borrows from, as it
 * does from RI and C). 0, or a negative errno. */
int request_caller(struct call *c, const struct request_book *book,
		   const struct workflow_kind *kind, int64_t id, const struct request_info *ri,
		   struct request_person *approver, struct workflow_caller *who);

/* Moves request ID by ACTION with NOTE (NULL: none) and answers C with it,
 * or says why not; returns as a handler does (server.h). */
int request_step(struct call *c, const struct request_book *book, int64_t id,
		 const char *note, const char *action);

/* Request ID as a reply to C, {"request": …}, in *REPLY, as the caller may
 * see it: 0 or a negative errno (-ENOENT: none). */
int request_get(struct call *c, const struct request_book *book, int64_t id,
		json_object **reply);

/* Answers C with request ID, or NoSuchRequest. */
int request_reply(struct call *c, const struct request_book *book, int64_t id);

/* Answers C with the requests of KIND (NULL: every kind of the book) in
 * STATE (NULL: any) filed in YEAR (INT64_MIN: any), newest first, a PAGE
 * of them (method-util.h); a state, a year or a page that cannot be is
 * answered with InvalidField. */
int request_list(struct call *c, const struct request_book *book, const char *kind,
		 const char *state, int64_t year, const struct page_args *page);

/* The details of a request's event: its id, kind, new state and KEY: TEXT. */
json_object *request_event_details(int64_t id, const char *kind, const char *state,
				   const char *key, const char *text);
