/*
 * What the handlers of api/ share: the caller as an actor for the record, a
 * validated field's failure answered as io.khoa.InvalidField, and the one
 * shape of a mutation (registry_mutate), so that no handler writes a
 * transaction's begin, commit or rollback itself. The contract of a
 * handler's return value is server.h's.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "access.h"
#include "khoad.h"
#include "personal.h"
#include "reasons.h"
#include "rules.h"
#include "server.h"
#include "store.h"

/* The caller, as events name it. */
struct actor call_actor(const struct call *c);

/* The caller's roles on the record of KIND named by ID (access.h), ROLE_CLERK
 * only where they are its organization's clerk: what a workflow step
 * checks. 0, or a negative errno. */
int call_roles_on(struct call *c, enum subject_kind kind, int64_t id, unsigned *roles);

/*
 * R, what a validate_*() call for FIELD returned, as a handler returns it: 0
 * when it succeeded; -EINVAL answers C with InvalidField naming FIELD and
 * RULE (CALL_FAILED); any other negative errno is returned as it is.
 */
int field_fail(struct call *c, int r, const char *field, const char *rule);

/* Answers C with io.khoa.InvalidField FIELD: RULE, a code of reasons.h
 * (KR(…)), and with invalid_fieldv() the N strings that code takes;
 * CALL_FAILED. */
int invalid_field(struct call *c, const char *field, const char *rule);
int invalid_fieldv(struct call *c, const char *field, const char *rule, size_t n, ...);

/* Answers C with io.khoa.RuleViolation from WHY, logged; CALL_FAILED. */
int call_rule_violation(struct call *c, const struct rule_why *why);

/* A text field of a call's arguments and the validate_*() function that
 * makes its stored value, for validate_fields(). */
struct text_field {
	const char *name;	/* the parameter, which InvalidField names */
	unsigned bit;		/* FIELD_* (store.h) */
	int (*validate)(const char *in, char **out, const char **rule);
	size_t in;		/* offsetof the const char * in the arguments */
	size_t out;		/* offsetof the char * (malloc'd) in the values */
};

/* Each field of TABLE (ending with a NULL name) given in ARGS, validated in
 * table order into VALUES, its bit set in *SET: 0, or what a handler
 * returns (the first refused field answered). */
int validate_fields(struct call *c, const struct text_field *table, const void *args,
		    void *values, unsigned *set);

/*
 * A change of the registry as the answer to C, in one transaction: FN
 * records what changes and the events it raises (store_*, events_record),
 * and returns 0 with the reply's parameters in *REPLY (NULL: none); the
 * transaction is then committed (the events go out) and C answered. When
 * FN answers C with a typed error (call_fail: CALL_FAILED) or returns a
 * negative errno, the transaction is rolled back, events and all. Returns
 * what a handler returns: 0 once committed and answered.
 */
typedef int (*mutation_fn)(struct call *c, struct khoad *d, void *arg, json_object **reply);
int registry_mutate(struct call *c, mutation_fn fn, void *arg);

/*
 * REC, a record of the reply to C (not shared with anything else), as C's
 * caller may see it: FN (personal_person, personal_pin_request…) leaves out
 * the personal data the caller may not see (personal.h). For a list, FN
 * for each element, with one view, so that a list costs a look-up per
 * organization or token at most. 0 or a negative errno (not to be sent).
 */
typedef int (*personal_fn)(struct personal_view *v, json_object *rec);
int call_personal(struct call *c, json_object *rec, personal_fn fn);
int call_personal_each(struct call *c, json_object *list, personal_fn fn);

/* {KEY: VALUE} (VALUE taken), for a reply; NULL when out of memory. */
json_object *reply_with(const char *key, json_object *value);

/*
 * A list method's page (issue 15; docs/design-notes.md): its "limit" (1 to
 * KHOA_PAGE_MAX, by default KHOA_PAGE_MAX) and "after" (the "next" of the
 * page before), in a family's args as a member M, parsed by PAGE_PARAMS in
 * the method's parameter table; its init() calls page_args_init().
 */
struct page_args {
	int64_t limit;		/* INT64_MIN: not given */
	const char *after;
};
#define PAGE_PARAMS(type, m) \
	{ "limit", KHOA_PARAM_INT, offsetof(type, m.limit), false }, \
	{ "after", KHOA_PARAM_STRING, offsetof(type, m.after), false }
void page_args_init(struct page_args *a);

/* A's page as the store reads it (store.h) into *OUT: 0, or CALL_FAILED
 * with C answered io.khoa.InvalidField limit. */
int page_limit(struct call *c, const struct page_args *a, struct store_page *out);

/* R, what a store list function read with a page returned, as a handler
 * returns it: -EINVAL (the page's after is no cursor of the list) answers
 * C with io.khoa.InvalidField after; any other negative errno is returned
 * as it is. */
int page_fail(struct call *c, int r);

/* Answers C with {KEY: LIST, "next": P's next (left out when none)}: LIST
 * taken, P's next freed. What a handler returns. */
int page_reply(struct call *c, const char *key, json_object *list, struct store_page *p);

/* Adds to REPLY "reading": where and when the registry last read a token
 * that is not on this desk (SEEN; io.khoa.Tokens Reading), for a reply made
 * from the registry's record instead of the device (issue 16). 0 or
 * -ENOMEM. */
struct token_sighting;
int reply_reading(json_object *reply, const struct token_sighting *seen);

/* certificate.revocation_due for each of MARKED ({certificate_serial,
 * token_serial}, as store_due_mark() gives them), for REASON under RULE,
 * by ACTOR (issue 16). 0 or a negative errno. */
int due_events(struct khoad *d, json_object *marked, const char *reason, const char *rule,
	       const struct actor *actor);

/* Token SERIAL as a device on this desk shows it (0), else as the registry
 * last read it (1: *OUT is COPY, clear it with khoa_token_clear(); SEEN
 * says when and where): for the commands that work with the device absent
 * (issue 16). -ENOENT when no device showed it; a negative errno. */
struct khoa_token;
int token_or_record(struct khoad *d, const char *serial, struct khoa_token *copy,
		    struct token_sighting *seen, const struct khoa_token **out);
