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

#include "server.h"

enum {
	ROLE_CLERK = 1 << 0,
	ROLE_TECHNICIAN = 1 << 1,
	ROLE_ADMIN = 1 << 2,
};
#define ROLES_ANYONE 0u

struct roles;

/*
 * Reads the [roles] section of the INI file PATH ("technician = grp1 grp2").
 * A missing file is an error only when REQUIRED (given with --config).
 * 0, or a negative errno with *error saying what is wrong ("FILE:LINE:
 * reason" for a wrong entry). Other sections are left to their readers.
 */
int roles_load(const char *path, bool required, struct roles **out, char **error);
void roles_free(struct roles *r);

/* The roles as the configuration's lines with the groups resolved
 * ("clerk = vanthu(1001)"), root last among the admins. */
void roles_print(const struct roles *r, FILE *out);

/* The roles of the caller: a mask of ROLE_*. */
unsigned roles_of(const struct roles *r, const struct peer *peer);

/* Whether roles HAVE admit a method that admits NEED. */
bool roles_admit(unsigned have, unsigned need);

/* The name of the role to ask for, for an error naming it ("technician"). */
const char *roles_needed(unsigned need);
