/* Caller roles. Until the registry's group mapping exists, root is admin
 * and everyone else a reader. */
#include "roles.h"

enum role
role_of(const struct peer *peer)
{
	return peer->uid == 0 ? ROLE_ADMIN : ROLE_READER;
}

const char *
role_name(enum role role)
{
	switch (role) {
	case ROLE_READER:	return "reader";
	case ROLE_CLERK:	return "clerk";
	case ROLE_TECHNICIAN:	return "technician";
	case ROLE_ADMIN:	return "admin";
	}
	return "unknown";
}
