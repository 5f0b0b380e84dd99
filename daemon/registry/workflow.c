/* The request workflows: tables of transitions and the one engine that
 * reads them. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "roles.h"
#include "workflow.h"

/* Confirm and forward: approvals the filer may not give their own request
 * (R-RENEW-APPROVE). Submit is an approval too, but Sở TT&TT receiving a
 * request its own technician filed is no self-approval: the agency's
 * confirmation came between, and the admin's forwarding comes after. */
#define APPROVAL_NOT_FILER (WORKFLOW_APPROVAL | WORKFLOW_NOT_FILER)

static const char *const pin_recovery_states[] = {
	"filed", "confirmed", "submitted", "forwarded", "completed", "rejected", "cancelled",
	NULL
};

/* As proto/io.khoa.PinRequests.varlink draws it (R-PIN-RECOVERY): the
 * agency's clerk confirms, Sở TT&TT receives (technician) and sends it to
 * the CA (admin), a technician resets the PIN; Sở TT&TT may reject it
 * until it is done; the official who filed it (or the clerk) may withdraw
 * it before it leaves the agency. */
static const struct workflow_transition pin_recovery_transitions[] = {
	{ "confirm", "filed", "confirmed", ROLE_CLERK, APPROVAL_NOT_FILER,
	  "pin_request.confirmed" },
	{ "submit", "confirmed", "submitted", ROLE_TECHNICIAN, WORKFLOW_APPROVAL,
	  "pin_request.submitted" },
	{ "forward", "submitted", "forwarded", ROLE_ADMIN, APPROVAL_NOT_FILER,
	  "pin_request.forwarded" },
	{ "complete", "forwarded", "completed", ROLE_TECHNICIAN, 0, "pin_request.completed" },
	{ "reject", "filed", "rejected", ROLE_TECHNICIAN, WORKFLOW_NOTE, "pin_request.rejected" },
	{ "reject", "confirmed", "rejected", ROLE_TECHNICIAN, WORKFLOW_NOTE, "pin_request.rejected" },
	{ "reject", "submitted", "rejected", ROLE_TECHNICIAN, WORKFLOW_NOTE, "pin_request.rejected" },
	{ "reject", "forwarded", "rejected", ROLE_TECHNICIAN, WORKFLOW_NOTE, "pin_request.rejected" },
	{ "cancel", "filed", "cancelled", ROLE_CLERK, WORKFLOW_NOTE | WORKFLOW_FILER,
	  "pin_request.cancelled" },
	{ "cancel", "confirmed", "cancelled", ROLE_CLERK, WORKFLOW_NOTE | WORKFLOW_FILER,
	  "pin_request.cancelled" },
	{ NULL }
};

const struct workflow_kind workflow_pin_recovery = {
	.kind = "pin-recovery",
	.initial = "filed",
	.filed_event = "pin_request.filed",
	.states = pin_recovery_states,
	.transitions = pin_recovery_transitions,
};

static const char *const lifecycle_states[] = {
	"filed", "confirmed", "submitted", "forwarded", "done", "rejected", "cancelled", NULL
};

/* As proto/io.khoa.Requests.varlink draws it (R-NEW, R-RENEW-*, R-REVOKE-*,
 * R-REISSUE, R-SO-DUTIES): the agency's clerk confirms, Sở TT&TT receives
 * the dossier (technician) and sends it to the CA (admin), a technician
 * records it done; Sở TT&TT may reject it until it is done; the one who
 * filed it (or the clerk) may withdraw it before it leaves the agency. One
 * table for the four kinds: they differ in the rules checked at filing. */
static const struct workflow_transition lifecycle_transitions[] = {
	{ "confirm", "filed", "confirmed", ROLE_CLERK, APPROVAL_NOT_FILER,
	  "lifecycle_request.confirmed" },
	{ "submit", "confirmed", "submitted", ROLE_TECHNICIAN, WORKFLOW_APPROVAL,
	  "lifecycle_request.submitted" },
	{ "forward", "submitted", "forwarded", ROLE_ADMIN, APPROVAL_NOT_FILER,
	  "lifecycle_request.forwarded" },
	{ "done", "forwarded", "done", ROLE_TECHNICIAN, 0, "lifecycle_request.done" },
	{ "reject", "filed", "rejected", ROLE_TECHNICIAN, WORKFLOW_NOTE,
	  "lifecycle_request.rejected" },
	{ "reject", "confirmed", "rejected", ROLE_TECHNICIAN, WORKFLOW_NOTE,
	  "lifecycle_request.rejected" },
	{ "reject", "submitted", "rejected", ROLE_TECHNICIAN, WORKFLOW_NOTE,
	  "lifecycle_request.rejected" },
	{ "reject", "forwarded", "rejected", ROLE_TECHNICIAN, WORKFLOW_NOTE,
	  "lifecycle_request.rejected" },
	{ "cancel", "filed", "cancelled", ROLE_CLERK, WORKFLOW_NOTE | WORKFLOW_FILER,
	  "lifecycle_request.cancelled" },
	{ "cancel", "confirmed", "cancelled", ROLE_CLERK, WORKFLOW_NOTE | WORKFLOW_FILER,
	  "lifecycle_request.cancelled" },
	{ NULL }
};

#define LIFECYCLE_KIND(var, name) \
	const struct workflow_kind var = { \
		.kind = name, \
		.initial = "filed", \
		.filed_event = "lifecycle_request.filed", \
		.states = lifecycle_states, \
		.transitions = lifecycle_transitions, \
	}

LIFECYCLE_KIND(workflow_cert_new, "new");
LIFECYCLE_KIND(workflow_cert_renew, "renew");
LIFECYCLE_KIND(workflow_cert_revoke, "revoke");
LIFECYCLE_KIND(workflow_cert_reissue, "reissue");

const struct workflow_kind *const workflow_lifecycle_kinds[] = {
	&workflow_cert_new, &workflow_cert_renew, &workflow_cert_revoke, &workflow_cert_reissue,
	NULL
};

const struct workflow_kind *
workflow_lifecycle_kind(const char *name)
{
	for (const struct workflow_kind *const *k = workflow_lifecycle_kinds; *k; k++)
		if (strcmp((*k)->kind, name) == 0)
			return *k;
	return NULL;
}

const struct workflow_kind *
workflow_kind_named(const char *name)
{
	if (strcmp(name, workflow_pin_recovery.kind) == 0)
		return &workflow_pin_recovery;
	return workflow_lifecycle_kind(name);
}

int
workflow_find(const struct workflow_kind *kind, const char *action, const char *state,
	      const struct workflow_transition **out)
{
	*out = NULL;
	for (const struct workflow_transition *t = kind->transitions; t->action; t++)
		if (strcmp(t->action, action) == 0 && strcmp(t->from, state) == 0) {
			*out = t;
			return 0;
		}
	return -ENOENT;
}

bool
workflow_same_person(const struct actor *a, const struct actor *b)
{
	/* A uid is who the kernel says called (SO_PEERCRED), and what each
	 * step and filing recorded; the caller's person record, when their
	 * logins are on one, makes several uids one person (is_filer). */
	return a->uid == b->uid;
}

/* The caller is the filer / the last approver: the same uid, or logins of
 * one person record. */
static bool
is_filer(const struct workflow_caller *c)
{
	return workflow_same_person(&c->self, &c->filer) ||
	       (c->self_person && c->self_person == c->filer_person);
}

static bool
is_approver(const struct workflow_caller *c)
{
	return c->approved && (workflow_same_person(&c->self, &c->approver) ||
			       (c->self_person && c->self_person == c->approver_person));
}

bool
workflow_allowed(const struct workflow_transition *t, const struct workflow_caller *caller)
{
	return roles_admit(caller->roles, t->roles) ||
	       ((t->flags & WORKFLOW_FILER) && is_filer(caller));
}

enum workflow_verdict
workflow_four_eyes(const struct workflow_transition *t, const struct workflow_caller *caller)
{
	if ((t->flags & WORKFLOW_NOT_FILER) && is_filer(caller))
		return WORKFLOW_OWN_REQUEST;
	if ((t->flags & WORKFLOW_APPROVAL) && is_approver(caller))
		return WORKFLOW_SUCCESSIVE;
	return WORKFLOW_OK;
}

const char *
workflow_role_needed(const struct workflow_transition *t)
{
	return roles_needed(t->roles);
}

enum workflow_verdict
workflow_check(const struct workflow_kind *kind, const char *action, const char *state,
	       const struct workflow_caller *caller, const char *note,
	       const struct workflow_transition **out)
{
	if (workflow_find(kind, action, state, out) < 0)
		return WORKFLOW_BAD_TRANSITION;
	if (!workflow_allowed(*out, caller))
		return WORKFLOW_DENIED;
	enum workflow_verdict v = workflow_four_eyes(*out, caller);
	if (v != WORKFLOW_OK)
		return v;
	if (((*out)->flags & WORKFLOW_NOTE) && !(note && *note))
		return WORKFLOW_NOTE_MISSING;
	return WORKFLOW_OK;
}

bool
workflow_is_state(const struct workflow_kind *kind, const char *state)
{
	for (const char *const *s = kind->states; *s; s++)
		if (strcmp(*s, state) == 0)
			return true;
	return false;
}

bool
workflow_is_action(const struct workflow_kind *kind, const char *action)
{
	for (const struct workflow_transition *t = kind->transitions; t->action; t++)
		if (strcmp(t->action, action) == 0)
			return true;
	return false;
}

bool
workflow_is_approval(const struct workflow_kind *kind, const char *action)
{
	for (const struct workflow_transition *t = kind->transitions; t->action; t++)
		if ((t->flags & WORKFLOW_APPROVAL) && strcmp(t->action, action) == 0)
			return true;
	return false;
}
