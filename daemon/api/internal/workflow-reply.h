/*
 * The workflow engine's verdicts answered to a call, in the same words for
 * every kind of request: io.khoa.BadTransition naming the state and where
 * the step is possible, io.khoa.PermissionDenied naming the role (as the
 * dispatcher does), InvalidField for a missing note, NoSuchRequest. NOUN
 * names the request in messages ("PIN-recovery request").
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "server.h"
#include "workflow.h"

void workflow_reply_no_such(struct call *c, const char *noun, int64_t id);

void workflow_reply_bad_transition(struct call *c, const struct workflow_kind *kind,
				   const char *noun, int64_t id, const char *state,
				   const char *action);

/* True when V is WORKFLOW_OK; otherwise C is answered and false returned. */
bool workflow_reply_verdict(struct call *c, const struct workflow_kind *kind, const char *noun,
			    enum workflow_verdict v, const struct workflow_transition *t,
			    int64_t id, const char *state, const char *action);

/* The year of List and Count as a caller gave it: 1 to 9998 (an ISO 8601
 * year the next of which is still four digits); otherwise C is answered
 * with InvalidField "year" and false returned. */
bool workflow_reply_year_ok(struct call *c, int64_t year);
