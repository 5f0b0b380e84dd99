/* Roles from Unix groups, as the [roles] section of the configuration maps them. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "roles.h"
#include "store-access.h"

struct mapping {
	gid_t gid;
	unsigned role;
};

/* A [clerks] entry: the group (or user) ID is clerk of ORG. */
struct clerk_map {
	bool user;
	unsigned id;		/* gid, or uid when USER */
	char *org;		/* as written: an id or a tax code */
	int line;
	int64_t org_id;		/* once resolved */
};

struct roles {
	struct mapping *map;
	size_t n;
	struct clerk_map *clerks;
	size_t n_clerks;
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

static void __attribute__((format(printf, 2, 3)))
clerk_error(struct roles *r, const char *fmt, ...)
{
	va_list ap;
	free(r->error);
	va_start(ap, fmt);
	if (vasprintf(&r->error, fmt, ap) < 0)
		r->error = NULL;
	va_end(ap);
}

static bool
lookup_user(const char *name, uid_t *uid)
{
	struct passwd pw, *found = NULL;
	char buf[4096];
	if (getpwnam_r(name, &pw, buf, sizeof(buf), &found) != 0 || !found)
		return false;
	*uid = found->pw_uid;
	return true;
}

int
roles_clerk_entry(struct roles *r, const char *name, const char *value, int line)
{
	struct clerk_map m = { .line = line };
	bool user = name[0] == '@';	/* not "user:": inih splits at a colon */

	if (user ? !lookup_user(name + 1, &m.id) : !lookup_group(name, &m.id)) {
		clerk_error(r, "[clerks]: no %s '%s' on this system", user ? "user" : "group",
			    user ? name + 1 : name);
		return 0;
	}
	if (!*value) {
		clerk_error(r, "[clerks]: %s is the clerk of which organization (an id or a "
			    "tax code)?", name);
		return 0;
	}
	struct clerk_map *grown = realloc(r->clerks, (r->n_clerks + 1) * sizeof(*r->clerks));
	if (!grown)
		return 0;
	r->clerks = grown;
	m.user = user;
	if (!(m.org = strdup(value)))
		return 0;
	r->clerks[r->n_clerks++] = m;
	return 1;
}

int
roles_resolve(struct roles *r, struct store *s, int *line)
{
	for (size_t i = 0; i < r->n_clerks; i++) {
		int rc = store_org_find(s, r->clerks[i].org, &r->clerks[i].org_id);
		if (rc == -ENOENT) {
			*line = r->clerks[i].line;
			clerk_error(r, "[clerks]: no organization '%s' in the registry (give its "
				    "id or its tax code)", r->clerks[i].org);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

bool
roles_has_clerk_entries(const struct roles *r)
{
	return r->n_clerks > 0;
}

bool
roles_has_unscoped_clerks(const struct roles *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->map[i].role == ROLE_CLERK)
			return true;
	return false;
}

static bool
in_groups(const struct peer *peer, gid_t gid)
{
	if (peer->gid == gid)
		return true;
	for (size_t i = 0; i < peer->n_groups; i++)
		if (peer->groups[i] == gid)
			return true;
	return false;
}

size_t
roles_clerk_of(const struct roles *r, const struct peer *peer, int64_t *orgs, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_clerks && n < max; i++) {
		const struct clerk_map *m = &r->clerks[i];
		if (m->org_id && (m->user ? peer->uid == m->id : in_groups(peer, m->id)))
			orgs[n++] = m->org_id;
	}
	return n;
}

void
roles_print_clerks(const struct roles *r, FILE *out)
{
	for (size_t i = 0; i < r->n_clerks; i++) {
		const struct clerk_map *m = &r->clerks[i];
		char buf[4096];
		const char *name = NULL;
		if (m->user) {
			struct passwd pw, *found = NULL;
			if (getpwuid_r(m->id, &pw, buf, sizeof(buf), &found) == 0 && found)
				name = found->pw_name;
			fprintf(out, "@%s(%u) = %s\n", name ? name : "?", m->id, m->org);
		} else {
			struct group gr, *found = NULL;
			if (getgrgid_r(m->id, &gr, buf, sizeof(buf), &found) == 0 && found)
				name = found->gr_name;
			fprintf(out, "%s(%u) = %s\n", name ? name : "?", m->id, m->org);
		}
	}
}

void
roles_free(struct roles *r)
{
	if (!r)
		return;
	free(r->map);
	for (size_t i = 0; i < r->n_clerks; i++)
		free(r->clerks[i].org);
	free(r->clerks);
	free(r->error);
	free(r);
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
	unsigned m = 0;
	for (size_t i = 0; i < r->n; i++)
		if (in_groups(peer, r->map[i].gid))
			m |= r->map[i].role;
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
