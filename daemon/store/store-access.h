/*
 * What the registry says of who may act (store-access.c): the people behind
 * Unix logins, who is an organization's clerk, the organizations above an
 * organization, and whom a token, a request or a handover concerns. Read by
 * registry/access.c for every call that names a record; nothing here
 * decides, it only reads. The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* The person whose login LOGIN is: their id, organization (0: none) and
 * whether they are its clerk; -ENOENT when no person has that login. */
int store_login_person(struct store *s, const char *login, int64_t *person,
		       int64_t *organization, bool *clerk);

/* The person LOGIN belongs to, 0 when nobody. */
int store_login_owner(struct store *s, const char *login, int64_t *person);

/* Makes LOGINS (N of them) the logins of PERSON, replacing theirs. */
int store_logins_set(struct store *s, int64_t person, const char *const *logins, size_t n);

/* Makes PERSON their organization's clerk, or no longer. */
int store_person_set_clerk(struct store *s, int64_t person, bool clerk);

/* Adds "logins" ([]string) and "clerk" (bool) to PEOPLE: a person object
 * or an array of them, as store-registry.h reads them. */
int store_people_add_access(struct store *s, json_object *people);

/* The organization named by TEXT, its id in decimal or its tax code:
 * -ENOENT when none. */
int store_org_find(struct store *s, const char *text, int64_t *id);

/* ORG and the organizations above it, nearest first, at most MAX (a loop
 * cannot be made, store_org_would_cycle; MAX bounds a registry edited by
 * hand). *N 0 when ORG does not exist. */
int store_org_chain(struct store *s, int64_t org, int64_t *ids, size_t max, size_t *n);

/* The name of organization ID into BUF ("" when none). */
int store_org_name(struct store *s, int64_t id, char *buf, size_t size);

/* Whom a token concerns: the registered holder (a person, with their
 * organization, or an organization), and the person who has it in their
 * custody now (the seal register's open check-out, else the receiver of
 * the last handover that moved it), 0 for each unknown. *REGISTERED:
 * whether it has a holder. -ENOENT: the registry never saw it. */
struct token_parties {
	bool registered;
	int64_t person, organization, custodian;
};
int store_token_parties(struct store *s, const char *serial, struct token_parties *out);

/* The token of PIN-recovery request ID into BUF; -ENOENT when none. */
int store_pin_request_serial(struct store *s, int64_t id, char *buf, size_t size);

/* The subject of lifecycle request ID (a person or an organization). */
int store_request_subject(struct store *s, int64_t id, int64_t *person, int64_t *organization);

/* The persons and organizations named by handover ID's giver and receiver
 * (0 where a party is typed in full): [0] the giver, [1] the receiver. */
int store_handover_parties(struct store *s, int64_t id, int64_t persons[2],
			   int64_t organizations[2]);

/* The organization of PERSON (0: none); -ENOENT when no such person. */
int store_person_org(struct store *s, int64_t person, int64_t *organization);
