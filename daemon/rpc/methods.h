/*
 * The method table: every method khoad implements, who may call it and on
 * what, and the table its parameters are parsed by. The dispatcher resolves
 * the method, works out who calls, parses the parameters, finds whom the
 * record they name concerns and admits the call or refuses it (access.h),
 * then calls the handler with them, so a handler never repeats any of that.
 * Each interface lives in its own file of api/ and exports one struct
 * interface with its methods.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "access.h"
#include "params.h"
#include "roles.h"
#include "server.h"

/* Parsed parameters live in a buffer this big; a family's struct must fit. */
#define METHOD_ARGS_MAX 256

struct method {
	const char *name;		/* "io.khoa.Tokens.List" */
	unsigned admit;			/* who may (ADMIT_*; admins always) */
	enum subject_kind subject;	/* what the parameters name, to admit on */
	size_t key, key2, key3;		/* where in the parsed args: a serial
					 * (const char *) or an id (int64_t);
					 * a holder's KEY2 is its organization_id
					 * and KEY3 the serial that names it when
					 * neither id is given */
	bool snapshot;			/* answers from the snapshot: until every
					 * module was read once, the call waits */
	const struct khoa_param *params;	/* NULL: takes none */
	/* 0 answered (or deferred), CALL_FAILED answered with a typed error,
	 * or a negative errno for the generic answer (server.h) */
	int (*run)(struct call *c, const void *args);
	/* Sets defaults in the zeroed args before parsing (e.g. -1 for "not
	 * given" where 0 means something); NULL: zeroes are the defaults. */
	void (*init)(void *args);
};

#define METHOD_ARGS_FIT(type) \
	_Static_assert(sizeof(type) <= METHOD_ARGS_MAX, #type " too large")

/* One varlink interface: its methods, ending with a NULL name. */
struct interface {
	const char *name;		/* "io.khoa.Custody" */
	const struct method *methods;
};

/* Refuses C (logged, PermissionDenied): the role ADMIT needs on S (NULL:
 * on no record in particular), named with its scope, WHY appended to the
 * message ("" for nothing). The one refusal of the dispatcher and of the
 * handlers that decide on more than the table's row. CALL_FAILED. */
int methods_refuse(struct call *c, unsigned admit, const struct scope *s, const char *why);

/* Answers C from the daemon's interfaces (khoad.interfaces): an error for
 * an unknown method, a refused role or bad parameters, otherwise whatever
 * the handler answers. */
void methods_dispatch(struct call *c, json_object *parameters);

/*
 * Whether IFACES (NULL-terminated) implement exactly the interface files of
 * proto/: the same interfaces and methods, each method's parameter table
 * parsing exactly its input (names, types, optionality). 0, or -EINVAL with
 * the first difference in WHY. Checked at start-up and by a unit test.
 */
int methods_check(const struct interface *const *ifaces, char *why, size_t size);
