/* Roles from Unix groups, as the [roles] section of the configuration maps them. */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "roles.h"

struct mapping {
	gid_t gid;
	unsigned role;
};

struct roles {
	struct mapping *map;
	size_t n;
	char *error;	/* the first problem met while parsing */
};

static const struct {
	const char *name;
	unsigned role;
} role_names[] = {
	{ "clerk", ROLE_CLERK },
	{ "technician", ROLE_TECHNICIAN },
	{ "admin", ROLE_ADMIN },
};

static void
parse_error(struct roles *r, const char *role)
{
	if (!r->error && asprintf(&r->error, "[roles]: unknown role '%s' "
				  "(the roles are clerk, technician, admin)", role) < 0)
		r->error = NULL;
}

static bool
lookup_group(const char *name, gid_t *gid)
{
	char *end;
	unsigned long v = strtoul(name, &end, 10);
	if (*name && !*end) {
		*gid = (gid_t)v;
		return true;
	}
	struct group gr, *found = NULL;
	char buf[4096];
	if (getgrnam_r(name, &gr, buf, sizeof(buf), &found) != 0 || !found)
		return false;
	*gid = found->gr_gid;
	return true;
}

struct roles *
roles_new(void)
{
	return calloc(1, sizeof(struct roles));
}

const char *
roles_error(const struct roles *r)
{
	return r->error;
}

int
roles_entry(struct roles *r, const char *name, const char *value)
{
	unsigned role = 0;

	for (size_t i = 0; i < sizeof(role_names) / sizeof(*role_names); i++)
		if (strcmp(name, role_names[i].name) == 0)
			role = role_names[i].role;
	if (!role) {
		parse_error(r, name);
		return 0;
	}

	char *copy = strdup(value), *save = NULL;
	if (!copy)
		return 0;
	for (char *g = strtok_r(copy, " ,\t", &save); g; g = strtok_r(NULL, " ,\t", &save)) {
		gid_t gid;
		if (!lookup_group(g, &gid)) {
			log_warning("role %s: no group '%s' on this system; ignored", name, g);
			continue;
		}
		struct mapping *grown = realloc(r->map, (r->n + 1) * sizeof(*r->map));
		if (!grown) {
			free(copy);
			return 0;
		}
		r->map = grown;
		r->map[r->n++] = (struct mapping){ gid, role };
	}
	free(copy);
	return 1;
}

void
roles_free(struct roles *r)
{
	if (!r)
		return;
	free(r->map);
	free(r->error);
	free(r);
}

static unsigned
roles_of_gid(const struct roles *r, gid_t gid)
{
	unsigned m = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->map[i].gid == gid)
			m |= r->map[i].role;
	return m;
}

void
roles_print(const struct roles *r, FILE *out)
{
	for (size_t k = 0; k < sizeof(role_names) / sizeof(*role_names); k++) {
		fprintf(out, "%s =", role_names[k].name);
		for (size_t i = 0; i < r->n; i++) {
			if (r->map[i].role != role_names[k].role)
				continue;
			struct group gr, *found = NULL;
			char buf[4096];
			if (getgrgid_r(r->map[i].gid, &gr, buf, sizeof(buf), &found) == 0 && found)
				fprintf(out, " %s(%u)", found->gr_name, (unsigned)r->map[i].gid);
			else
				fprintf(out, " %u", (unsigned)r->map[i].gid);
		}
		fprintf(out, "%s\n", role_names[k].role == ROLE_ADMIN ? " root" : "");
	}
}

unsigned
roles_of(const struct roles *r, const struct peer *peer)
{
	if (peer->uid == 0)
		return ROLE_CLERK | ROLE_TECHNICIAN | ROLE_ADMIN;
	unsigned m = roles_of_gid(r, peer->gid);
	for (size_t i = 0; i < peer->n_groups; i++)
		m |= roles_of_gid(r, peer->groups[i]);
	return m;
}

bool
roles_admit(unsigned have, unsigned need)
{
	return need == ROLES_ANYONE || (have & (need | ROLE_ADMIN));
}

const char *
roles_needed(unsigned need)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(*role_names); i++)
		if (need & role_names[i].role)
			return role_names[i].name;
	return "admin";
}
