/*
 * Requests that travel through states (PIN recovery today; new, renewal,
 * revocation and re-issue of certificates later): each kind is a table of
 * transitions { action, from, to, roles, flags }, and one engine answers
 * "may this caller do this action on a request in this state?" for every
 * kind. No database, no JSON: the method handlers ask, then write.
 *
 * Roles are masks of ROLE_* (roles.h) checked with roles_admit(), so admin
 * may do every step; a transition flagged WORKFLOW_FILER also admits the
 * one who filed the request, whatever roles they have.
 *
 * Four eyes (R-RENEW-APPROVE: a renewal is a written request approved by
 * the subscriber's manager, someone other than who wrote it; khoad holds
 * every kind of request to the same): no one takes two successive approval
 * steps of a request (confirm, submit, forward), and the one who filed it
 * neither confirms nor forwards it. Roles do not lift this, admin's and
 * root's included: the rule is about people, not powers.
 */
#pragma once

#include <stdbool.h>

#include "peer.h"	/* struct actor */

enum {
	WORKFLOW_NOTE = 1 << 0,		/* needs a note saying why */
	WORKFLOW_FILER = 1 << 1,	/* the one who filed it may do it too */
	WORKFLOW_APPROVAL = 1 << 2,	/* an approval step: not by who took the last one */
	WORKFLOW_NOT_FILER = 1 << 3,	/* never by the one who filed the request */
};

struct workflow_transition {
	const char *action;	/* "confirm" */
	const char *from;	/* "filed" */
	const char *to;		/* "confirmed" */
	unsigned roles;		/* ROLE_* admitted (admin always), or ROLES_ANYONE */
	unsigned flags;		/* WORKFLOW_* */
	const char *event;	/* "pin_request.confirmed" */
};

struct workflow_kind {
	const char *kind;		/* "pin-recovery", as the registry stores it */
	const char *initial;		/* the state a new request is in */
	const char *filed_event;	/* "pin_request.filed" */
	const char *const *states;	/* every state, NULL-terminated */
	const struct workflow_transition *transitions;	/* ends with a NULL action */
};

/* Mẫu 09, R-PIN-RECOVERY: filed → confirmed → submitted → forwarded →
 * completed, rejected on the way, cancelled early. */
extern const struct workflow_kind workflow_pin_recovery;

/* Certificate lifecycle requests (R-NEW, R-RENEW-*, R-REVOKE-*, R-REISSUE;
 * Mẫu 01–06), one table for the four kinds: filed → confirmed → submitted →
 * forwarded → done, rejected on the way, cancelled early. */
extern const struct workflow_kind workflow_cert_new, workflow_cert_renew,
	workflow_cert_revoke, workflow_cert_reissue;
/* The four, NULL-terminated. */
extern const struct workflow_kind *const workflow_lifecycle_kinds[];
/* The lifecycle kind NAME ("new", "renew", "revoke", "reissue"), or NULL. */
const struct workflow_kind *workflow_lifecycle_kind(const char *name);
/* Any kind by NAME ("pin-recovery" or a lifecycle kind), or NULL. */
const struct workflow_kind *workflow_kind_named(const char *name);

/* Who asks, and the people of the request the rules weigh them against:
 * who filed it, and who took its latest approval step (when APPROVED). The
 * strings are borrowed. */
struct workflow_caller {
	unsigned roles;			/* a mask of ROLE_* */
	struct actor self;
	struct actor filer;
	struct actor approver;
	bool approved;			/* false: no approval step yet, APPROVER is no one */
	/* The person records whose logins SELF, FILER and APPROVER are (0:
	 * none): two logins of one person are one person. */
	int64_t self_person, filer_person, approver_person;
};

enum workflow_verdict {
	WORKFLOW_OK,
	WORKFLOW_BAD_TRANSITION,	/* no ACTION from this state */
	WORKFLOW_DENIED,		/* possible, but not for this caller */
	WORKFLOW_OWN_REQUEST,		/* four eyes: the caller filed it */
	WORKFLOW_SUCCESSIVE,		/* four eyes: the caller took the previous approval */
	WORKFLOW_NOTE_MISSING,		/* allowed, but a note must say why */
};

/* Whether A and B are one person. Every comparison of people the workflow
 * makes is this one, so that it can move from uids to person records (a
 * person with several logins) in one place. */
bool workflow_same_person(const struct actor *a, const struct actor *b);

/* The transition of KIND for ACTION from STATE: 0 and *OUT, or -ENOENT. */
int workflow_find(const struct workflow_kind *kind, const char *action, const char *state,
		  const struct workflow_transition **out);

/* Whether CALLER's roles (or having filed it) admit transition T. */
bool workflow_allowed(const struct workflow_transition *t, const struct workflow_caller *caller);

/* Whether the four-eyes rule lets CALLER take T: WORKFLOW_OK, or
 * WORKFLOW_OWN_REQUEST, or WORKFLOW_SUCCESSIVE (the former when both). */
enum workflow_verdict workflow_four_eyes(const struct workflow_transition *t,
					 const struct workflow_caller *caller);

/* The role to name when T is refused ("clerk"). */
const char *workflow_role_needed(const struct workflow_transition *t);

/*
 * The whole check a step makes, in the order its errors are answered:
 * the transition exists, the caller's roles admit it, four eyes allow it
 * to this caller, it has its note (NOTE:
 * the normalized note, NULL when none was given). *OUT is the transition
 * whenever it exists (so that a refusal can name its role).
 */
enum workflow_verdict workflow_check(const struct workflow_kind *kind, const char *action,
				     const char *state, const struct workflow_caller *caller,
				     const char *note, const struct workflow_transition **out);

/* Whether STATE is a state of KIND (for a filter given by a caller). */
bool workflow_is_state(const struct workflow_kind *kind, const char *state);

/* Whether ACTION is an action of KIND at all (from some state). */
bool workflow_is_action(const struct workflow_kind *kind, const char *action);

/* Whether ACTION is an approval step of KIND (WORKFLOW_APPROVAL). */
bool workflow_is_approval(const struct workflow_kind *kind, const char *action);
