/* Roles from Unix groups, configured in an INI file (libinih). */
#include <errno.h>
#include <grp.h>
#include <ini.h>
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

static int
on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct roles *r = user;
	unsigned role = 0;

	if (strcmp(section, "roles") != 0)
		return 1;	/* other sections belong to other parts */
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

int
roles_load(const char *path, bool required, struct roles **out, char **error)
{
	struct roles *r = calloc(1, sizeof(*r));
	*out = NULL;
	*error = NULL;
	if (!r)
		return -ENOMEM;

	FILE *f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT && !required) {
			*out = r;	/* no configuration: only root is admin */
			return 0;
		}
		int e = errno;
		if (asprintf(error, "cannot read %s: %s", path, strerror(e)) < 0)
			*error = NULL;
		roles_free(r);
		return -e;
	}
	int line = ini_parse_file(f, on_entry, r);
	fclose(f);
	if (line != 0 || r->error) {
		/* inih returns the line of the first entry the handler refused. */
		if (asprintf(error, "%s:%d: %s", path, line,
			     r->error ? r->error : "not valid INI") < 0)
			*error = NULL;
		roles_free(r);
		return -EINVAL;
	}
	*out = r;
	return 0;
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
