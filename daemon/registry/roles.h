/*
 * Roles from the configuration. [roles] maps Unix groups to the roles clerk
 * (văn thư), technician (kỹ thuật viên of Sở TT&TT) and admin, held
 * province-wide; root is admin. [clerks] maps a group (or "@LOGIN") to
 * the clerk of one organization (an id or a tax code), with its sub-units.
 * A caller's roles come from the groups its process had when it connected.
 * Who may do what with these roles is access.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "peer.h"

enum {
	ROLE_CLERK = 1 << 0,
	ROLE_TECHNICIAN = 1 << 1,
	ROLE_ADMIN = 1 << 2,
};
#define ROLES_ANYONE 0u

struct roles;

void roles_free(struct roles *r);

/* The [roles] section ("technician = grp1 grp2"), read entry by entry by
 * the reader of the whole file (config-file.c): a new empty mapping (NULL:
 * out of memory), an entry at a time (1, or 0 with roles_error() set, or
 * NULL when out of memory). A group unknown to the system is warned of and
 * left out. */
struct roles *roles_new(void);
int roles_entry(struct roles *r, const char *name, const char *value);
const char *roles_error(const struct roles *r);

/* A [clerks] entry at LINE: NAME a group or "@LOGIN" that must exist,
 * VALUE the organization (resolved by roles_resolve). As roles_entry. */
int roles_clerk_entry(struct roles *r, const char *name, const char *value, int line);

/* Finds the organization of every [clerks] entry in the registry: 0, or
 * -ENOENT with *LINE the entry's line and roles_error() set; -ENOMEM, -EIO. */
struct store;
int roles_resolve(struct roles *r, struct store *s, int *line);

/* Whether [clerks] has entries (organizations to find in the registry). */
bool roles_has_clerk_entries(const struct roles *r);

/* Whether a group is mapped to clerk in [roles], with no organization: such
 * a clerk keeps acting for every organization until given one. */
bool roles_has_unscoped_clerks(const struct roles *r);

/* The organizations the caller is clerk of by [clerks], into ORGS (at most
 * MAX); how many. */
size_t roles_clerk_of(const struct roles *r, const struct peer *peer, int64_t *orgs, size_t max);

/* The roles as the configuration's lines with the groups resolved
 * ("clerk = vanthu(1001)"), root last among the admins. */
void roles_print(const struct roles *r, FILE *out);
/* The [clerks] entries, as lines ("vanthu-stc(1002) = 3"). */
void roles_print_clerks(const struct roles *r, FILE *out);

/* The roles of the caller: a mask of ROLE_*. */
unsigned roles_of(const struct roles *r, const struct peer *peer);

/* Whether roles HAVE admit a method that admits NEED. */
bool roles_admit(unsigned have, unsigned need);

/* The name of the role to ask for, for an error naming it ("technician"). */
const char *roles_needed(unsigned need);
