/*
 * Who may call what. A method's entry in the table names the least role it
 * needs; the dispatcher compares it with the caller's role, derived from the
 * peer credentials read at accept. Roles are ordered: each includes the ones
 * before it for the purpose of this check.
 */
#pragma once

#include "server.h"

enum role {
	ROLE_READER,		/* anyone who can reach the socket */
	ROLE_CLERK,		/* văn thư */
	ROLE_TECHNICIAN,	/* kỹ thuật viên of Sở TT&TT */
	ROLE_ADMIN,
};

enum role role_of(const struct peer *peer);
const char *role_name(enum role role);
