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
 */
#pragma once

#include <stdbool.h>

enum {
	WORKFLOW_NOTE = 1 << 0,		/* needs a note saying why */
	WORKFLOW_FILER = 1 << 1,	/* the one who filed it may do it too */
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

/* Who asks: their roles (a mask of ROLE_*) and whether they filed it. */
struct workflow_caller {
	unsigned roles;
	bool filer;
};

enum workflow_verdict {
	WORKFLOW_OK,
	WORKFLOW_BAD_TRANSITION,	/* no ACTION from this state */
	WORKFLOW_DENIED,		/* possible, but not for this caller */
	WORKFLOW_NOTE_MISSING,		/* allowed, but a note must say why */
};

/* The transition of KIND for ACTION from STATE: 0 and *OUT, or -ENOENT. */
int workflow_find(const struct workflow_kind *kind, const char *action, const char *state,
		  const struct workflow_transition **out);

/* Whether CALLER may take transition T. */
bool workflow_allowed(const struct workflow_transition *t, const struct workflow_caller *caller);

/* The role to name when T is refused ("clerk"). */
const char *workflow_role_needed(const struct workflow_transition *t);

/*
 * The whole check a step makes, in the order its errors are answered:
 * the transition exists, the caller may take it, it has its note (NOTE:
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
