/*
 * Who may do what to which record: the one place that decides. A method's
 * entry in the table (rpc/methods.h) names the relations it admits (ADMIT_*)
 * and what its parameters name (the subject: a token, a person, a request…);
 * the dispatcher works out who the caller is (access_caller) and whom the
 * subject concerns (access_subject), and admits the call when one relation
 * holds. Handlers ask the same questions of records they read (may this
 * caller see this person's ID number? is this clerk the clerk of the
 * request's organization?).
 *
 * The relations: the person concerned themself (a token's holder, a
 * person's own record, a request's subject), the token's custodian, the
 * clerk of the organization concerned or of one above it, a technician, an
 * admin (root), and the user of the active local session at the seat (for
 * a token nobody holds yet). Admins are admitted wherever any role is.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "khoad.h"
#include "peer.h"

enum {
	ADMIT_ANYONE = 1 << 0,
	ADMIT_SELF = 1 << 1,		/* the person concerned */
	ADMIT_CUSTODIAN = 1 << 2,	/* the token's custodian now */
	ADMIT_CLERK = 1 << 3,		/* clerk of the organization concerned */
	ADMIT_TECHNICIAN = 1 << 4,
	ADMIT_ADMIN = 1 << 5,
	ADMIT_SEAT = 1 << 6,		/* the seat's active session, token nobody holds */
};

/* What a method's parameters name. */
enum subject_kind {
	SUBJECT_NONE,
	SUBJECT_TOKEN,		/* a token's serial (string) */
	SUBJECT_PERSON,		/* a person's id */
	SUBJECT_ORG,		/* an organization's id (0: none given) */
	SUBJECT_HOLDER,		/* person_id, else organization_id, else the
				 * token (serial) that names them */
	SUBJECT_PIN_REQUEST,	/* a PIN-recovery request's id: its token */
	SUBJECT_REQUEST,	/* a lifecycle request's id: its subject */
	SUBJECT_HANDOVER,	/* a handover's id: its two parties */
};

#define ACCESS_ORGS_MAX 16

/* Who calls, worked out once per call. */
struct caller {
	unsigned roles;			/* ROLE_* held everywhere (roles.h) */
	int64_t person;			/* the person whose login this is, or 0 */
	int64_t clerk_of[ACCESS_ORGS_MAX];	/* organizations they are clerk of */
	size_t n_clerk_of;
	pid_t pid;			/* for the seat, asked only when it matters */
	uid_t uid;
};

/* Whom a record concerns. */
struct scope {
	bool known;			/* the record exists (else nothing to scope) */
	bool unregistered;		/* a token nobody holds */
	int64_t person;			/* the person concerned, or 0 */
	int64_t custodian;		/* a token's custodian, or 0 */
	int64_t orgs[ACCESS_ORGS_MAX];	/* the organizations concerned, with those above */
	size_t n_orgs;
	int64_t org;			/* the first organization concerned (for names) */
	char token[65];			/* the token's serial, if a token */
};

/* Fills *OUT for PEER: roles, the person of its login, the organizations it
 * is clerk of (by [clerks], or by its person record). 0, or -EIO. */
int access_caller(struct khoad *d, const struct peer *peer, struct caller *out);

/* Fills *OUT for a subject of KIND named by ID (or TEXT for a token; ID2
 * and TEXT: the organization and the token of SUBJECT_HOLDER). A record that does not exist gives
 * known = false and 0: the handler answers its own "no such". */
int access_subject(struct khoad *d, enum subject_kind kind, int64_t id, int64_t id2,
		   const char *text, struct scope *out);
/* The same for a token's serial, a person, an organization. */
int access_subject_token(struct khoad *d, const char *serial, struct scope *out);
int access_subject_person(struct khoad *d, int64_t person, struct scope *out);
int access_subject_org(struct khoad *d, int64_t org, struct scope *out);

/* The relations (ADMIT_*) the caller has to S (S NULL: none but roles). */
unsigned access_relations(const struct caller *c, const struct scope *s);

/* Whether the caller may do what ADMIT admits to S. */
bool access_admits(const struct caller *c, unsigned admit, const struct scope *s);

/* Whether the caller may read S's personal data (ID numbers, birth data,
 * phones, addresses): the person themself, their clerk, technicians, admins. */
bool access_sees_personal(const struct caller *c, const struct scope *s);

/* The caller's roles with ROLE_CLERK only where they are the clerk of S: the
 * roles a workflow step checks. */
unsigned access_roles_for(const struct caller *c, const struct scope *s);

/* Whether the caller might be admitted by ADMIT to some subject: refused at
 * once when not, before the parameters are read. */
bool access_may_ever(const struct caller *c, unsigned admit);

/* The role to name in a refusal of ADMIT on S ("clerk", "holder"…) and the
 * scope ("Sở Tài chính", a serial; "" when the role alone is meant). */
const char *access_needed(struct khoad *d, unsigned admit, const struct scope *s,
			  char *scope, size_t size);
