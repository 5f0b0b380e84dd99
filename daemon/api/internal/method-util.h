/*
 * What the registry's method handlers share: the caller as an actor for the
 * record, validated fields answered as io.khoa.InvalidField, store failures
 * answered as errors, and the one-transaction shape of a mutation.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "server.h"
#include "store.h"

/* The caller, as events name it. */
struct actor call_actor(const struct call *c);

/*
 * R from a validate_*() call for FIELD: true when it succeeded; otherwise the
 * call is answered (InvalidField naming FIELD and *RULE, or out of memory)
 * and false is returned. RULE is passed by address so that a call
 * field_ok(c, validate_x(…, &rule), "x", &rule) reads it after validate_x.
 */
bool field_ok(struct call *c, int r, const char *field, const char *const *rule);

/* Answers a store failure that no typed error describes. */
void reply_store_error(struct call *c, int r);

/* io.khoa.NoSuchOrganization / NoSuchPerson for ID. */
void reply_no_such_org(struct call *c, int64_t id);
void reply_no_such_person(struct call *c, int64_t id);

/* Answers with {KEY: OBJ} (OBJ taken; NULL: out of memory). */
void reply_object(struct call *c, const char *key, json_object *obj);
