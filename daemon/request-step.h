/*
 * One step of a request (confirm, submit, forward, done, reject, cancel),
 * the same for every kind: the note checked, the request read in a
 * transaction, the engine asked (role, state, note), the step recorded with
 * its event, committed, and the request answered. A request book says
 * where requests of one table are and how they are answered.
 */
#pragma once

#include <stdint.h>

#include "server.h"
#include "store.h"
#include "workflow.h"

struct khoad;

struct request_book {
	const char *noun;		/* "PIN-recovery request", in messages */
	const struct workflow_kind *words;	/* whose states name a refusal */
	int (*info)(struct store *s, int64_t id, struct request_info *out);
	int (*move)(struct store *s, int64_t id, const char *action, const char *from,
		    const char *to, const struct actor *actor, const char *note);
	void (*reply)(struct call *c, int64_t id);
	/* What the step sets off in the registry, in its transaction; NULL:
	 * nothing. */
	int (*after)(struct khoad *d, int64_t id, const struct request_info *ri,
		     const struct workflow_transition *t);
};

/* Answers C: request ID moved by ACTION with NOTE (NULL: none), or why not. */
void request_step(struct call *c, const struct request_book *book, int64_t id,
		  const char *note, const char *action);

/* The details of a request's event: its id, kind, new state and KEY: TEXT. */
json_object *request_event_details(int64_t id, const char *kind, const char *state,
				   const char *key, const char *text);
