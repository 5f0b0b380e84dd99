/*
 * Who may call what. The configuration maps Unix groups to the roles clerk
 * (văn thư), technician (kỹ thuật viên of Sở TT&TT) and admin; root is
 * admin. A caller's roles come from the groups its process had when it
 * connected. A method's entry in the table names the roles it admits (admin
 * is always admitted); ROLES_ANYONE for reading.
 */
#pragma once

#include <stdbool.h>
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

/* The roles as the configuration's lines with the groups resolved
 * ("clerk = vanthu(1001)"), root last among the admins. */
void roles_print(const struct roles *r, FILE *out);

/* The roles of the caller: a mask of ROLE_*. */
unsigned roles_of(const struct roles *r, const struct peer *peer);

/* Whether roles HAVE admit a method that admits NEED. */
bool roles_admit(unsigned have, unsigned need);

/* The name of the role to ask for, for an error naming it ("technician"). */
const char *roles_needed(unsigned need);
