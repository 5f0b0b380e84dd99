/*
 * The workflow engine's verdicts answered to a call, in the same words for
 * every kind of request: io.khoa.BadTransition naming the state and where
 * the step is possible, io.khoa.PermissionDenied naming the role (as the
 * dispatcher does), InvalidField for a missing note or a year that cannot
 * be. NOUN names the request in messages ("PIN-recovery request"). Each
 * returns as a handler does (server.h): 0 when there is nothing to say,
 * else CALL_FAILED having answered C.
 */
#pragma once

#include <stdint.h>

#include "access.h"
#include "server.h"
#include "workflow.h"

/* Always answers (BadTransition). */
int workflow_fail_transition(struct call *c, const struct workflow_kind *kind, const char *noun,
			     int64_t id, const char *state, const char *action);

/* 0 when V is WORKFLOW_OK. SUBJECT: whom request ID concerns (access.h),
 * to name the organization whose clerk a refused step needs. */
int workflow_check_verdict(struct call *c, const struct workflow_kind *kind, const char *noun,
			   enum subject_kind subject, enum workflow_verdict v,
			   const struct workflow_transition *t, int64_t id, const char *state,
			   const char *action);

/* The year of List and Count as a caller gave it: KHOA_YEAR_MIN to
 * KHOA_YEAR_MAX (khoa-limits.h). */
int workflow_check_year(struct call *c, int64_t year);
