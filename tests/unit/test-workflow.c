/*
 * Unit tests of daemon/registry/workflow.h on the PIN-recovery table: every allowed
 * transition with every caller (each set of roles, filer or not, with and
 * without a note), and every (action, state) pair that is not a transition;
 * then four eyes (R-RENEW-APPROVE) on every kind: who filed a request or
 * took its last approval step, admin or not. The expected table is written
 * out here again, from the interface file's drawing
 * (proto/io.khoa.PinRequests.varlink), not read from the code.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "roles.h"
#include "workflow.h"

static const char *const states[] = {
	"filed", "confirmed", "submitted", "forwarded", "completed", "rejected", "cancelled",
};
#define N_STATES (sizeof(states) / sizeof(*states))

/* Every action, and one that is none ("file" is how a request starts, not
 * a step; "approve" does not exist). */
static const char *const actions[] = {
	"confirm", "submit", "forward", "complete", "reject", "cancel", "file", "approve", "",
};
#define N_ACTIONS (sizeof(actions) / sizeof(*actions))

struct expected {
	const char *action, *from, *to;
	unsigned role;		/* the one role that admits it (admin always does) */
	const char *role_name;
	bool note, filer;
	unsigned eyes;		/* APPROVAL, or OWN: an approval its filer may not take */
	const char *event;
};

#define APPROVAL WORKFLOW_APPROVAL
#define OWN (WORKFLOW_APPROVAL | WORKFLOW_NOT_FILER)

/* Callers by uid: the one who asks is uid 1000; FILER says whether they
 * filed the request (else uid 2000 did); no approval step yet. */
static struct workflow_caller
caller(unsigned roles, bool filer)
{
	return (struct workflow_caller){
		.roles = roles,
		.self = { 1000, "lp" },
		.filer = { filer ? 1000 : 2000, filer ? "lp" : "news" },
		.approver = { -1, NULL },
		.approved = false,
	};
}

/* What workflow_check answers a caller with NOTE for E: the roles first,
 * then four eyes, then the note. */
static enum workflow_verdict
verdict_for(const struct expected *e, unsigned roles, bool filer, bool note)
{
	if (!((roles & (e->role | ROLE_ADMIN)) || (filer && e->filer)))
		return WORKFLOW_DENIED;
	if (filer && (e->eyes & WORKFLOW_NOT_FILER))
		return WORKFLOW_OWN_REQUEST;
	return e->note && !note ? WORKFLOW_NOTE_MISSING : WORKFLOW_OK;
}

static const struct expected allowed[] = {
	{ "confirm", "filed", "confirmed", ROLE_CLERK, "clerk", false, false, OWN,
	  "pin_request.confirmed" },
	{ "submit", "confirmed", "submitted", ROLE_TECHNICIAN, "technician", false, false, APPROVAL,
	  "pin_request.submitted" },
	{ "forward", "submitted", "forwarded", ROLE_ADMIN, "admin", false, false, OWN,
	  "pin_request.forwarded" },
	{ "complete", "forwarded", "completed", ROLE_TECHNICIAN, "technician", false, false, 0,
	  "pin_request.completed" },
	{ "reject", "filed", "rejected", ROLE_TECHNICIAN, "technician", true, false, 0,
	  "pin_request.rejected" },
	{ "reject", "confirmed", "rejected", ROLE_TECHNICIAN, "technician", true, false, 0,
	  "pin_request.rejected" },
	{ "reject", "submitted", "rejected", ROLE_TECHNICIAN, "technician", true, false, 0,
	  "pin_request.rejected" },
	{ "reject", "forwarded", "rejected", ROLE_TECHNICIAN, "technician", true, false, 0,
	  "pin_request.rejected" },
	{ "cancel", "filed", "cancelled", ROLE_CLERK, "clerk", true, true, 0,
	  "pin_request.cancelled" },
	{ "cancel", "confirmed", "cancelled", ROLE_CLERK, "clerk", true, true, 0,
	  "pin_request.cancelled" },
};
#define N_ALLOWED (sizeof(allowed) / sizeof(*allowed))

static const struct expected *
expected_for(const char *action, const char *state)
{
	for (size_t i = 0; i < N_ALLOWED; i++)
		if (strcmp(allowed[i].action, action) == 0 && strcmp(allowed[i].from, state) == 0)
			return &allowed[i];
	return NULL;
}

static const struct workflow_kind *const kind = &workflow_pin_recovery;

static void
test_kind(void **state)
{
	assert_string_equal(kind->kind, "pin-recovery");
	assert_string_equal(kind->initial, "filed");
	assert_string_equal(kind->filed_event, "pin_request.filed");
	for (size_t i = 0; i < N_STATES; i++)
		assert_true(workflow_is_state(kind, states[i]));
	size_t n = 0;
	while (kind->states[n])
		n++;
	assert_int_equal(n, N_STATES);
	assert_false(workflow_is_state(kind, "approved"));
	assert_false(workflow_is_state(kind, ""));
	assert_false(workflow_is_state(kind, "Filed"));
}

/* The table has exactly the expected transitions, each once. */
static void
test_table_is_exact(void **state)
{
	size_t n = 0;
	for (const struct workflow_transition *t = kind->transitions; t->action; t++, n++) {
		const struct expected *e = expected_for(t->action, t->from);
		assert_non_null(e);
		assert_string_equal(t->to, e->to);
		assert_true(workflow_is_state(kind, t->from));
		assert_true(workflow_is_state(kind, t->to));
		for (const struct workflow_transition *u = t + 1; u->action; u++)
			assert_false(strcmp(t->action, u->action) == 0 && strcmp(t->from, u->from) == 0);
	}
	assert_int_equal(n, N_ALLOWED);
	for (size_t i = 0; i < 6; i++)
		assert_true(workflow_is_action(kind, actions[i]));
	for (size_t i = 6; i < N_ACTIONS; i++)
		assert_false(workflow_is_action(kind, actions[i]));
}

/* Every allowed transition, with every set of roles, filer or not, with a
 * note, without one and with an empty one. */
static void
test_allowed(void **state)
{
	for (size_t i = 0; i < N_ALLOWED; i++) {
		const struct expected *e = &allowed[i];
		const struct workflow_transition *t = NULL;

		assert_int_equal(workflow_find(kind, e->action, e->from, &t), 0);
		assert_non_null(t);
		assert_string_equal(t->action, e->action);
		assert_string_equal(t->from, e->from);
		assert_string_equal(t->to, e->to);
		assert_string_equal(t->event, e->event);
		assert_int_equal(!!(t->flags & WORKFLOW_NOTE), e->note);
		assert_int_equal(!!(t->flags & WORKFLOW_FILER), e->filer);
		assert_int_equal(t->flags & OWN, e->eyes);
		assert_int_equal(workflow_is_approval(kind, e->action), !!e->eyes);
		assert_string_equal(workflow_role_needed(t), e->role_name);

		for (unsigned roles = 0; roles < 8; roles++)
			for (int filer = 0; filer < 2; filer++) {
				struct workflow_caller who = caller(roles, filer);
				bool admitted = (roles & (e->role | ROLE_ADMIN)) || (filer && e->filer);
				const struct workflow_transition *got;

				assert_int_equal(workflow_allowed(t, &who), admitted);
				assert_int_equal(workflow_check(kind, e->action, e->from, &who, "why",
								&got),
						 verdict_for(e, roles, filer, true));
				assert_ptr_equal(got, t);	/* named even when refused */

				enum workflow_verdict want = verdict_for(e, roles, filer, false);
				assert_int_equal(workflow_check(kind, e->action, e->from, &who, NULL,
								&got), want);
				assert_int_equal(workflow_check(kind, e->action, e->from, &who, "",
								&got), want);
			}
	}
}

/* Every (action, state) pair that is no transition: refused for everyone,
 * admin and filer included, before roles or notes are looked at. */
static void
test_forbidden(void **state)
{
	size_t n = 0;
	for (size_t a = 0; a < N_ACTIONS; a++)
		for (size_t s = 0; s < N_STATES; s++) {
			if (expected_for(actions[a], states[s]))
				continue;
			const struct workflow_transition *t = (const void *)&t;
			assert_int_equal(workflow_find(kind, actions[a], states[s], &t), -ENOENT);
			assert_null(t);
			for (unsigned roles = 0; roles < 8; roles++)
				for (int filer = 0; filer < 2; filer++) {
					struct workflow_caller who = caller(roles, filer);
					assert_int_equal(workflow_check(kind, actions[a], states[s], &who,
									"why", &t),
							 WORKFLOW_BAD_TRANSITION);
					assert_int_equal(workflow_check(kind, actions[a], states[s], &who,
									NULL, &t),
							 WORKFLOW_BAD_TRANSITION);
				}
			n++;
		}
	assert_int_equal(n, N_ACTIONS * N_STATES - N_ALLOWED);
}

/* The ends of the road: nothing leaves completed, rejected or cancelled. */
static void
test_final_states(void **state)
{
	const char *const finals[] = { "completed", "rejected", "cancelled" };
	for (size_t i = 0; i < 3; i++)
		for (const struct workflow_transition *t = kind->transitions; t->action; t++)
			assert_string_not_equal(t->from, finals[i]);
}

/* The regular path leads from filed to completed. */
static void
test_paths(void **state)
{
	const char *const path[] = { "confirm", "submit", "forward", "complete" };
	const char *st = kind->initial;
	for (size_t i = 0; i < 4; i++) {
		const struct workflow_transition *t;
		assert_int_equal(workflow_find(kind, path[i], st, &t), 0);
		st = t->to;
	}
	assert_string_equal(st, "completed");
}

/* ----- the certificate lifecycle kinds (proto/io.khoa.Requests.varlink):
 * new, renew, revoke, reissue share one drawing, written out again here. */

static const char *const lc_states[] = {
	"filed", "confirmed", "submitted", "forwarded", "done", "rejected", "cancelled",
};
#define N_LC_STATES (sizeof(lc_states) / sizeof(*lc_states))

static const char *const lc_actions[] = {
	"confirm", "submit", "forward", "done", "reject", "cancel", "complete", "file", "",
};
#define N_LC_ACTIONS (sizeof(lc_actions) / sizeof(*lc_actions))

static const struct expected lc_allowed[] = {
	{ "confirm", "filed", "confirmed", ROLE_CLERK, "clerk", false, false, OWN,
	  "lifecycle_request.confirmed" },
	{ "submit", "confirmed", "submitted", ROLE_TECHNICIAN, "technician", false, false, APPROVAL,
	  "lifecycle_request.submitted" },
	{ "forward", "submitted", "forwarded", ROLE_ADMIN, "admin", false, false, OWN,
	  "lifecycle_request.forwarded" },
	{ "done", "forwarded", "done", ROLE_TECHNICIAN, "technician", false, false, 0,
	  "lifecycle_request.done" },
	{ "reject", "filed", "rejected", ROLE_TECHNICIAN, "technician", true, false, 0,
	  "lifecycle_request.rejected" },
	{ "reject", "confirmed", "rejected", ROLE_TECHNICIAN, "technician", true, false, 0,
	  "lifecycle_request.rejected" },
	{ "reject", "submitted", "rejected", ROLE_TECHNICIAN, "technician", true, false, 0,
	  "lifecycle_request.rejected" },
	{ "reject", "forwarded", "rejected", ROLE_TECHNICIAN, "technician", true, false, 0,
	  "lifecycle_request.rejected" },
	{ "cancel", "filed", "cancelled", ROLE_CLERK, "clerk", true, true, 0,
	  "lifecycle_request.cancelled" },
	{ "cancel", "confirmed", "cancelled", ROLE_CLERK, "clerk", true, true, 0,
	  "lifecycle_request.cancelled" },
};
#define N_LC_ALLOWED (sizeof(lc_allowed) / sizeof(*lc_allowed))

static const struct expected *
lc_expected_for(const char *action, const char *state)
{
	for (size_t i = 0; i < N_LC_ALLOWED; i++)
		if (strcmp(lc_allowed[i].action, action) == 0 &&
		    strcmp(lc_allowed[i].from, state) == 0)
			return &lc_allowed[i];
	return NULL;
}

static const char *const lc_names[] = { "new", "renew", "revoke", "reissue" };

/* The four kinds, found by name, each walked like the PIN-recovery table. */
static void
test_lifecycle(void **state)
{
	size_t k = 0;
	for (; workflow_lifecycle_kinds[k]; k++)
		;
	assert_int_equal(k, 4);
	assert_null(workflow_lifecycle_kind("pin-recovery"));
	assert_null(workflow_lifecycle_kind(""));

	for (k = 0; k < 4; k++) {
		const struct workflow_kind *lk = workflow_lifecycle_kind(lc_names[k]);
		assert_non_null(lk);
		assert_ptr_equal(lk, workflow_lifecycle_kinds[k]);
		assert_string_equal(lk->kind, lc_names[k]);
		assert_string_equal(lk->initial, "filed");
		assert_string_equal(lk->filed_event, "lifecycle_request.filed");
		size_t n = 0;
		while (lk->states[n])
			n++;
		assert_int_equal(n, N_LC_STATES);
		for (size_t i = 0; i < N_LC_STATES; i++)
			assert_true(workflow_is_state(lk, lc_states[i]));
		assert_false(workflow_is_state(lk, "completed"));

		/* exact table */
		n = 0;
		for (const struct workflow_transition *t = lk->transitions; t->action; t++, n++) {
			const struct expected *e = lc_expected_for(t->action, t->from);
			assert_non_null(e);
			assert_string_equal(t->to, e->to);
		}
		assert_int_equal(n, N_LC_ALLOWED);
		for (size_t i = 0; i < 6; i++)
			assert_true(workflow_is_action(lk, lc_actions[i]));
		for (size_t i = 6; i < N_LC_ACTIONS; i++)
			assert_false(workflow_is_action(lk, lc_actions[i]));

		/* allowed, with every caller */
		for (size_t i = 0; i < N_LC_ALLOWED; i++) {
			const struct expected *e = &lc_allowed[i];
			const struct workflow_transition *t = NULL;
			assert_int_equal(workflow_find(lk, e->action, e->from, &t), 0);
			assert_string_equal(t->event, e->event);
			assert_int_equal(!!(t->flags & WORKFLOW_NOTE), e->note);
			assert_int_equal(!!(t->flags & WORKFLOW_FILER), e->filer);
			assert_int_equal(t->flags & OWN, e->eyes);
			assert_int_equal(workflow_is_approval(lk, e->action), !!e->eyes);
			assert_string_equal(workflow_role_needed(t), e->role_name);
			for (unsigned roles = 0; roles < 8; roles++)
				for (int filer = 0; filer < 2; filer++) {
					struct workflow_caller who = caller(roles, filer);
					const struct workflow_transition *got;
					assert_int_equal(workflow_check(lk, e->action, e->from, &who,
									"why", &got),
							 verdict_for(e, roles, filer, true));
					assert_int_equal(workflow_check(lk, e->action, e->from, &who,
									NULL, &got),
							 verdict_for(e, roles, filer, false));
				}
		}

		/* forbidden, for everyone */
		for (size_t a = 0; a < N_LC_ACTIONS; a++)
			for (size_t s = 0; s < N_LC_STATES; s++) {
				if (lc_expected_for(lc_actions[a], lc_states[s]))
					continue;
				const struct workflow_transition *t;
				assert_int_equal(workflow_find(lk, lc_actions[a], lc_states[s], &t),
						 -ENOENT);
				struct workflow_caller who = caller(7, true);
				assert_int_equal(workflow_check(lk, lc_actions[a], lc_states[s], &who,
								"why", &t),
						 WORKFLOW_BAD_TRANSITION);
			}

		/* the regular path, and nothing leaves the ends */
		const char *const path[] = { "confirm", "submit", "forward", "done" };
		const char *st = lk->initial;
		for (size_t i = 0; i < 4; i++) {
			const struct workflow_transition *t;
			assert_int_equal(workflow_find(lk, path[i], st, &t), 0);
			st = t->to;
		}
		assert_string_equal(st, "done");
		for (const struct workflow_transition *t = lk->transitions; t->action; t++) {
			assert_string_not_equal(t->from, "done");
			assert_string_not_equal(t->from, "rejected");
			assert_string_not_equal(t->from, "cancelled");
		}
	}
}

/* ----- four eyes (R-RENEW-APPROVE), on every kind */

static const struct workflow_kind *const every_kind[] = {
	&workflow_pin_recovery, &workflow_cert_new, &workflow_cert_renew, &workflow_cert_revoke,
	&workflow_cert_reissue,
};
#define N_KINDS (sizeof(every_kind) / sizeof(*every_kind))

#define EVERY_ROLE (ROLE_CLERK | ROLE_TECHNICIAN | ROLE_ADMIN)
enum { ROOT = 0, LP = 7, NEWS = 9, UUCP = 10, NOBODY = 65534, NONE = -1 };

/* SELF asks, with every role (as root does); FILER filed the request;
 * APPROVER took its latest approval step (NONE: no one yet). */
static struct workflow_caller
people(int64_t self, int64_t filer, int64_t approver)
{
	return (struct workflow_caller){
		.roles = EVERY_ROLE,
		.self = { self, "self" },
		.filer = { filer, "filer" },
		.approver = { approver, approver == NONE ? NULL : "approver" },
		.approved = approver != NONE,
	};
}

/* One person is one uid, whatever the login recorded with it. */
static void
test_same_person(void **state)
{
	const struct actor root = { ROOT, "root" }, lp = { LP, "lp" };
	const struct actor root_again = { ROOT, "root" }, lp_renamed = { LP, "máy in" };

	assert_true(workflow_same_person(&root, &root_again));
	assert_true(workflow_same_person(&lp, &lp_renamed));
	assert_false(workflow_same_person(&root, &lp));
	assert_false(workflow_same_person(&lp, &root));
}

/* Two logins (two uids) on one person record are one person: the filer
 * under another login neither confirms nor forwards, and an approver does
 * not take the next approval under another login. */
static void
test_same_person_two_logins(void **state)
{
	const struct workflow_kind *renew = workflow_lifecycle_kind("renew");
	const struct workflow_transition *t;
	struct workflow_caller who = people(LP, ROOT, NONE);

	(void)state;
	who.self_person = who.filer_person = 7;
	assert_int_equal(workflow_check(renew, "confirm", "filed", &who, NULL, &t),
			 WORKFLOW_OWN_REQUEST);
	who = people(LP, ROOT, ROOT);
	who.self_person = who.approver_person = 7;
	assert_int_equal(workflow_check(renew, "submit", "confirmed", &who, NULL, &t),
			 WORKFLOW_SUCCESSIVE);
	who.approver_person = 8;	/* another person: four eyes */
	assert_int_equal(workflow_check(renew, "submit", "confirmed", &who, NULL, &t), WORKFLOW_OK);
	who.self_person = 0;		/* no person record: uids decide */
	who.approver_person = 0;
	assert_int_equal(workflow_check(renew, "submit", "confirmed", &who, NULL, &t), WORKFLOW_OK);
}

/* Every transition of every kind, asked by an admin who filed the request,
 * took its last approval step, both, or neither: approvals (confirm,
 * submit, forward) are never two in a row by one person; the filer never
 * confirms or forwards; nothing else is touched, and roles lift nothing. */
static void
test_four_eyes(void **state)
{
	for (size_t k = 0; k < N_KINDS; k++)
		for (const struct workflow_transition *t = every_kind[k]->transitions; t->action;
		     t++) {
			bool approval = strcmp(t->action, "confirm") == 0 ||
					strcmp(t->action, "submit") == 0 ||
					strcmp(t->action, "forward") == 0;
			bool not_filer = approval && strcmp(t->action, "submit") != 0;
			enum workflow_verdict own = not_filer ? WORKFLOW_OWN_REQUEST : WORKFLOW_OK;
			enum workflow_verdict successive = approval ? WORKFLOW_SUCCESSIVE : WORKFLOW_OK;
			struct workflow_caller who;

			assert_int_equal(workflow_is_approval(every_kind[k], t->action), approval);
			who = people(ROOT, LP, NEWS);
			assert_int_equal(workflow_four_eyes(t, &who), WORKFLOW_OK);
			who = people(ROOT, ROOT, NONE);
			assert_int_equal(workflow_four_eyes(t, &who), own);
			who = people(ROOT, ROOT, NEWS);
			assert_int_equal(workflow_four_eyes(t, &who), own);
			who = people(ROOT, LP, ROOT);
			assert_int_equal(workflow_four_eyes(t, &who), successive);
			/* both: the filer's rule is the one named */
			who = people(ROOT, ROOT, ROOT);
			assert_int_equal(workflow_four_eyes(t, &who),
					 not_filer ? WORKFLOW_OWN_REQUEST : successive);
			/* no approval yet: an unset approver is no one, uid or not */
			who = people(ROOT, LP, NONE);
			who.approver.uid = ROOT;
			who.approved = false;
			assert_int_equal(workflow_four_eyes(t, &who), WORKFLOW_OK);

			/* the whole check: roles first, then four eyes, then the note */
			const struct workflow_transition *got;
			who = people(ROOT, ROOT, ROOT);
			assert_int_equal(workflow_check(every_kind[k], t->action, t->from, &who,
							NULL, &got),
					 not_filer ? WORKFLOW_OWN_REQUEST :
					 approval ? WORKFLOW_SUCCESSIVE :
					 (t->flags & WORKFLOW_NOTE) ? WORKFLOW_NOTE_MISSING : WORKFLOW_OK);
			who.roles = 0;
			assert_int_equal(workflow_check(every_kind[k], t->action, t->from, &who,
							"why", &got),
					 (t->flags & WORKFLOW_FILER) ? WORKFLOW_OK : WORKFLOW_DENIED);
		}
}

/* The regular road of every kind, the approver carried from step to step
 * as the registry keeps it: the filer (root) and one person twice in a row
 * are refused, four different people get through. */
static void
test_four_eyes_road(void **state)
{
	for (size_t k = 0; k < N_KINDS; k++) {
		const struct workflow_kind *wk = every_kind[k];
		const char *last = strcmp(wk->kind, "pin-recovery") == 0 ? "complete" : "done";
		const struct {
			const char *action;
			int64_t self;
			enum workflow_verdict want;
		} road[] = {
			{ "confirm", ROOT, WORKFLOW_OWN_REQUEST },
			{ "confirm", LP, WORKFLOW_OK },
			{ "submit", LP, WORKFLOW_SUCCESSIVE },
			{ "submit", ROOT, WORKFLOW_OK },	/* the filer may receive it */
			{ "forward", ROOT, WORKFLOW_OWN_REQUEST },
			{ "forward", NEWS, WORKFLOW_OK },
			{ last, NEWS, WORKFLOW_OK },		/* no approval */
		};
		const char *st = wk->initial;
		int64_t approver = NONE;

		for (size_t i = 0; i < sizeof(road) / sizeof(*road); i++) {
			const struct workflow_transition *t;
			struct workflow_caller who = people(road[i].self, ROOT, approver);
			assert_int_equal(workflow_check(wk, road[i].action, st, &who, NULL, &t),
					 road[i].want);
			if (road[i].want != WORKFLOW_OK)
				continue;
			if (t->flags & WORKFLOW_APPROVAL)
				approver = road[i].self;
			st = t->to;
		}
		assert_string_equal(st, last[0] == 'c' ? "completed" : "done");

		/* Reject and cancel are no approvals: the last approver rejects,
		 * the filer cancels, each right after their own step. */
		const struct workflow_transition *t;
		struct workflow_caller who = people(UUCP, NOBODY, UUCP);
		assert_int_equal(workflow_check(wk, "reject", "submitted", &who, "why", &t),
				 WORKFLOW_OK);
		who = people(NOBODY, NOBODY, LP);
		who.roles = 0;
		assert_int_equal(workflow_check(wk, "cancel", "confirmed", &who, "why", &t),
				 WORKFLOW_OK);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind),
		cmocka_unit_test(test_table_is_exact),
		cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_forbidden),
		cmocka_unit_test(test_final_states),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_same_person),
		cmocka_unit_test(test_same_person_two_logins),
		cmocka_unit_test(test_four_eyes),
		cmocka_unit_test(test_four_eyes_road),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
