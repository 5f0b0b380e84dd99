/* The engine's verdicts as answers (workflow-reply.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "errors.h"
#include "khoa-limits.h"
#include "log.h"
#include "method-util.h"
#include "methods.h"
#include "roles.h"
#include "workflow-reply.h"

/* "filed, confirmed or submitted": the states ACTION may start from. */
static void
states_from(const struct workflow_kind *kind, const char *action, char *buf, size_t size)
{
	size_t n = 0, len = 0;
	const struct workflow_transition *t;

	buf[0] = '\0';
	for (t = kind->transitions; t->action; t++)
		n += strcmp(t->action, action) == 0;
	for (t = kind->transitions; t->action && len < size; t++) {
		if (strcmp(t->action, action) != 0)
			continue;
		n--;
		int w = snprintf(buf + len, size - len, "%s%s", t->from,
				 n > 1 ? ", " : n == 1 ? " or " : "");
		len += w > 0 ? (size_t)w : 0;
	}
}

int
workflow_fail_transition(struct call *c, const struct workflow_kind *kind, const char *noun,
			 int64_t id, const char *state, const char *action)
{
	char from[128];
	states_from(kind, action, from, sizeof(from));
	return call_fail(c, khoa_err_bad_transition(noun, id, state, action, from));
}

/* As the dispatcher refuses a method the caller's roles do not admit; a
 * clerk's step names the organization whose clerk it needs (request ID, of
 * SUBJECT's kind). */
static int
permission_denied(struct call *c, const struct workflow_transition *t,
		  enum subject_kind subject, int64_t id)
{
	/* The step's role as the table's relation, in the order roles_needed()
	 * names them: a clerk's is scoped to the request's organization. */
	unsigned admit = t->roles & ROLE_CLERK ? ADMIT_CLERK
			 : t->roles & ROLE_TECHNICIAN ? ADMIT_TECHNICIAN : ADMIT_ADMIN;
	struct scope s = { 0 };
	int r;

	if (admit == ADMIT_CLERK && (r = access_subject(call_daemon(c), subject, id, 0, NULL,
							 &s)) < 0)
		return r;
	return methods_refuse(c, admit, &s, t->flags & WORKFLOW_FILER
			      ? " (or to have filed the request)" : "");
}

/* Four eyes (R-RENEW-APPROVE): the caller may take such a step, but not of
 * this request, whatever their roles. ROLE stays the role the step needs,
 * so that a client which knows no reason still says something true. */
static int
four_eyes(struct call *c, enum workflow_verdict v, const struct workflow_transition *t,
	  const char *noun, int64_t id)
{
	const struct peer *p = call_peer(c);
	const char *method = call_method(c);
	bool own = v == WORKFLOW_OWN_REQUEST;

	log_info("%s (uid %u) refused %s of %s %lld: %s (four eyes, R-RENEW-APPROVE)", p->user,
		 (unsigned)p->uid, method, noun, (long long)id,
		 own ? "they filed it" : "they took its previous approval step");
	if (own)
		return call_fail(c, khoa_err_permission_denied(workflow_role_needed(t), NULL,
			"four-eyes", "%s: %s filed %s %lld, and whoever files a request neither "
			"confirms nor forwards it (R-RENEW-APPROVE)", method, p->user, noun,
			(long long)id));
	return call_fail(c, khoa_err_permission_denied(workflow_role_needed(t), NULL, "four-eyes",
		"%s: %s took the previous approval step of %s %lld, and two successive approval "
		"steps need two different people (R-RENEW-APPROVE)", method, p->user, noun,
		(long long)id));
}

int
workflow_check_verdict(struct call *c, const struct workflow_kind *kind, const char *noun,
		       enum subject_kind subject, enum workflow_verdict v,
		       const struct workflow_transition *t, int64_t id, const char *state,
		       const char *action)
{
	switch (v) {
	case WORKFLOW_OK:
		return 0;
	case WORKFLOW_BAD_TRANSITION:
		return workflow_fail_transition(c, kind, noun, id, state, action);
	case WORKFLOW_DENIED:
		return permission_denied(c, t, subject, id);
	case WORKFLOW_OWN_REQUEST:
	case WORKFLOW_SUCCESSIVE:
		return four_eyes(c, v, t, noun, id);
	case WORKFLOW_NOTE_MISSING:
		return invalid_field(c, "note", KR(NOTE_REQUIRED));
	}
	return -EINVAL;
}

int
workflow_check_year(struct call *c, int64_t year)
{
	if (year >= KHOA_YEAR_MIN && year <= KHOA_YEAR_MAX)
		return 0;
	return invalid_fieldv(c, "year", KR(RANGE), 2, KHOA_STR(KHOA_YEAR_MIN),
			      KHOA_STR(KHOA_YEAR_MAX));
}
