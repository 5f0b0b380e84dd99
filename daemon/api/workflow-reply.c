/* The engine's verdicts as answers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "khoa-limits.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "workflow-reply.h"

void
workflow_reply_no_such(struct call *c, const char *noun, int64_t id)
{
	call_error(c, khoa_error_add_int(khoa_error_newf(KHOA_ERROR_NO_SUCH_REQUEST, NULL, NULL,
		"no %s %lld", noun, (long long)id), "id", id));
}

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

void
workflow_reply_bad_transition(struct call *c, const struct workflow_kind *kind,
			      const char *noun, int64_t id, const char *state, const char *action)
{
	char from[128];
	json_object *e, *params;

	states_from(kind, action, from, sizeof(from));
	e = khoa_error_newf(KHOA_ERROR_BAD_TRANSITION, "state", state,
			    "%s %lld is %s: %s is possible only when it is %s",
			    noun, (long long)id, state, action, from);
	if (e && json_object_object_get_ex(e, "parameters", &params) &&
	    json_object_object_add(params, "action", json_object_new_string(action)) == 0)
		e = khoa_error_add_int(e, "id", id);
	else {
		json_object_put(e);
		e = NULL;
	}
	call_error(c, e);
}

/* As the dispatcher refuses a method the caller's roles do not admit. */
static void
permission_denied(struct call *c, const struct workflow_transition *t)
{
	const char *need = workflow_role_needed(t);
	const char *method = call_method(c);

	log_info("%s (uid %u) refused %s, which needs the role %s",
		 call_peer(c)->user, (unsigned)call_peer(c)->uid, method, need);
	call_error(c, khoa_error_newf(KHOA_ERROR_PERMISSION_DENIED, "role", need,
				      "%s needs the role %s%s", method, need,
				      t->flags & WORKFLOW_FILER ? " (or to have filed the request)" : ""));
}

bool
workflow_reply_verdict(struct call *c, const struct workflow_kind *kind, const char *noun,
		       enum workflow_verdict v, const struct workflow_transition *t,
		       int64_t id, const char *state, const char *action)
{
	switch (v) {
	case WORKFLOW_OK:
		return true;
	case WORKFLOW_BAD_TRANSITION:
		workflow_reply_bad_transition(c, kind, noun, id, state, action);
		return false;
	case WORKFLOW_DENIED:
		permission_denied(c, t);
		return false;
	case WORKFLOW_NOTE_MISSING:
		field_ok(c, -EINVAL, "note", &(const char *){ "required: say why" });
		return false;
	}
	call_error(c, NULL);
	return false;
}

bool
workflow_reply_year_ok(struct call *c, int64_t year)
{
	if (year >= KHOA_YEAR_MIN && year <= KHOA_YEAR_MAX)
		return true;
	field_ok(c, -EINVAL, "year", &(const char *){
		"a year from " KHOA_STR(KHOA_YEAR_MIN) " to " KHOA_STR(KHOA_YEAR_MAX) });
	return false;
}
