/* The configuration file as a whole (config-file.h), read once: every
 * entry goes to the reader of its section, so that roles and rules come
 * from the same version of the file (it may change under a SIGHUP). */
#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-file.h"
#include "validate.h"

struct reading {
	FILE *file;
	int line;	/* of the entry being read */
	struct roles *roles;
	struct rules_reader rules;
	struct registry_config registry;
	struct clients_config clients;
	struct forms_config forms;
	char *error;	/* the first problem, without the file and line */
	bool nomem;
};

/* Keeps the first problem: TEXT (taken), or a copy of CONST_TEXT. */
static int
problem(struct reading *r, char *text, const char *const_text)
{
	if (!text && const_text && !(text = strdup(const_text)))
		r->nomem = true;
	if (!r->error)
		r->error = text;
	else
		free(text);
	return 0;
}

/* [registry] NAME = VALUE: 1, or 0 with the problem kept. */
static int
registry_entry(struct reading *r, const char *name, const char *value)
{
	static const struct {
		const char *name;
		size_t offset;
	} keys[] = {
		{ "url", offsetof(struct registry_config, url) },
		{ "workstation", offsetof(struct registry_config, workstation) },
		{ "organization", offsetof(struct registry_config, organization) },
	};
	char *text = NULL, *end;

	if (strcmp(name, "free-space-floor") == 0) {
		errno = 0;
		unsigned long v = strtoul(value, &end, 10);
		if (errno || end == value || *end || value[0] == '-' || v > 65536)
			return problem(r, NULL, "free-space-floor must be a whole number of MiB "
				       "from 0 to 65536");
		r->registry.free_space_floor = (unsigned)v;
		return 1;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		char **to = (char **)((char *)&r->registry + keys[i].offset);
		if (strcmp(name, keys[i].name) != 0)
			continue;
		if (!*value)
			return problem(r, NULL, "an empty value");
		free(*to);
		if (!(*to = strdup(value)))
			r->nomem = true;
		return !r->nomem;
	}
	if (asprintf(&text, "unknown key %s in [registry] (the keys are url, workstation, "
		     "organization and free-space-floor)", name) < 0)
		text = NULL, r->nomem = true;
	return problem(r, text, NULL);
}

/* [clients] NAME = VALUE: 1, or 0 with the problem kept. */
static int
clients_entry(struct reading *r, const char *name, const char *value)
{
	static const struct {
		const char *name;
		size_t offset;
		unsigned min, max;
	} keys[] = {
		{ "max", offsetof(struct clients_config, max), 1, 65536 },
		{ "per-user", offsetof(struct clients_config, per_user), 1, 65536 },
		{ "reserve", offsetof(struct clients_config, reserve), 0, 65535 },
		{ "idle-timeout", offsetof(struct clients_config, idle_timeout), 0, 86400 },
	};
	char *text = NULL, *end;

	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		if (strcmp(name, keys[i].name) != 0)
			continue;
		errno = 0;
		unsigned long v = strtoul(value, &end, 10);
		if (errno || end == value || *end || value[0] == '-' || v < keys[i].min ||
		    v > keys[i].max) {
			if (asprintf(&text, "%s must be a whole number from %u to %u", name,
				     keys[i].min, keys[i].max) < 0)
				text = NULL, r->nomem = true;
			return problem(r, text, NULL);
		}
		*(unsigned *)((char *)&r->clients + keys[i].offset) = (unsigned)v;
		return 1;
	}
	if (asprintf(&text, "unknown key %s in [clients] (the keys are max, per-user, reserve "
		     "and idle-timeout)", name) < 0)
		text = NULL, r->nomem = true;
	return problem(r, text, NULL);
}

/* [forms] NAME = VALUE: 1, or 0 with the problem kept. */
static int
forms_entry(struct reading *r, const char *name, const char *value)
{
	char *text = NULL;

	if (strcmp(name, "place") == 0) {
		/* a name as the forms print it: UTF-8, NFC, one line */
		const char *rule = NULL;
		char *place = NULL;
		int v = validate_name(value, &place, &rule);
		if (v == -ENOMEM)
			r->nomem = true;
		if (v < 0)
			return problem(r, NULL, v == -ENOMEM ? NULL : "place must be a name "
				       "(\"Thái Bình\"): one line of UTF-8, 1 to 200 characters");
		free(r->forms.place);
		r->forms.place = place;
		return 1;
	}
	if (asprintf(&text, "unknown key %s in [forms] (the key is place)", name) < 0)
		text = NULL, r->nomem = true;
	return problem(r, text, NULL);
}

static int
on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct reading *r = user;
	char *text = NULL;

	if (strcmp(section, "roles") == 0)
		return roles_entry(r->roles, name, value) ||
		       problem(r, NULL, roles_error(r->roles));
	if (strcmp(section, "clerks") == 0)
		return roles_clerk_entry(r->roles, name, value, r->line) ||
		       problem(r, NULL, roles_error(r->roles));
	if (strcmp(section, "rules") == 0) {
		if (rules_reader_entry(&r->rules, name, value))
			return 1;
		r->nomem |= r->rules.nomem;
		return problem(r, NULL, r->rules.error);
	}
	if (strcmp(section, "registry") == 0)
		return registry_entry(r, name, value);
	if (strcmp(section, "clients") == 0)
		return clients_entry(r, name, value);
	if (strcmp(section, "forms") == 0)
		return forms_entry(r, name, value);
	if (!*section)
		return problem(r, NULL, "an entry before any section");
	if (asprintf(&text, "unknown section [%s] (the sections are [roles], [clerks], "
		     "[rules], [registry], [clients] and [forms])",
		     section) < 0)
		text = NULL, r->nomem = true;
	return problem(r, text, NULL);
}

/* inih's reader, counting lines so that a [clerks] entry knows its own
 * (an organization it names is looked up later, in the registry). */
static char *
read_line(char *str, int num, void *stream)
{
	struct reading *r = stream;
	char *line = fgets(str, num, r->file);
	if (line)
		r->line++;
	return line;
}

int
config_load(const char *path, bool required, struct config *out, char **error)
{
	struct reading r = { .roles = roles_new(), .clients = CLIENTS_CONFIG_DEFAULT,
			     .registry = { .free_space_floor = REGISTRY_FLOOR_DEFAULT } };
	FILE *f;
	int line, ret = 0;

	*error = NULL;
	rules_reader_init(&r.rules);
	if (!r.roles)
		return -ENOMEM;
	if (!(f = fopen(path, "re"))) {
		if (errno == ENOENT && !required) {
			/* No configuration: root is admin, the built-in rules. */
			*out = (struct config){ .roles = r.roles, .rules = *rules_default(),
						.registry = r.registry, .clients = r.clients };
			return 0;
		}
		ret = -errno;
		if (asprintf(error, "cannot read %s: %s", path, strerror(-ret)) < 0)
			*error = NULL;
		roles_free(r.roles);
		return ret;
	}
	/* inih returns the line of the first entry a reader refused. */
	r.file = f;
	line = ini_parse_stream(read_line, &r, on_entry, &r);
	fclose(f);
	if (r.nomem || line == -2) {
		ret = -ENOMEM;
	} else if (line != 0) {
		ret = -EINVAL;
		if (asprintf(error, "%s:%d: %s", path, line,
			     r.error ? r.error : "not valid INI") < 0)
			*error = NULL;
	}
	free(r.error);
	if (ret < 0) {
		roles_free(r.roles);
		rules_reader_discard(&r.rules);
		registry_config_release(&r.registry);
		forms_config_release(&r.forms);
		return ret;
	}
	*out = (struct config){ .roles = r.roles, .registry = r.registry, .clients = r.clients,
				.forms = r.forms, .from_file = true };
	rules_reader_take(&r.rules, &out->rules);
	return 0;
}

int
config_resolve(struct config *c, struct store *s, const char *path, char **error)
{
	int line = 0;
	int r = roles_resolve(c->roles, s, &line);

	*error = NULL;
	if (r == -ENOENT && asprintf(error, "%s:%d: %s", path, line, roles_error(c->roles)) < 0)
		*error = NULL;
	return r;
}

void
registry_config_release(struct registry_config *r)
{
	free(r->url);
	free(r->workstation);
	free(r->organization);
	*r = (struct registry_config){ 0 };
}

void
forms_config_release(struct forms_config *f)
{
	free(f->place);
	f->place = NULL;
}

void
config_release(struct config *c)
{
	roles_free(c->roles);
	rules_profile_release(&c->rules);
	registry_config_release(&c->registry);
	forms_config_release(&c->forms);
	c->roles = NULL;
}

void
config_print(const struct config *c, FILE *out)
{
	const struct rules_profile *p = &c->rules;

	fprintf(out, "[roles]\n");
	roles_print(c->roles, out);
	fprintf(out, "\n[clerks]\n");
	roles_print_clerks(c->roles, out);
	fprintf(out, "\n[rules]\nname = %s\nrenewals-allowed = %d\nrenew-min-days = %d\n"
		"new-max-years = %d\nrenew-max-years-old = %d\ntt08-effective = %s\nwarn-days =",
		p->name, p->renewals_allowed, p->renew_min_days, p->new_max_years,
		p->renew_max_years_old, p->tt08_effective);
	for (int i = 0; p->warn_days[i]; i++)
		fprintf(out, " %d", p->warn_days[i]);
	fprintf(out, "\nreport-month = %d\nreturn-days = %d\ndepartment = %s\n", p->report_month,
		p->return_days, p->department);
	/* The url may name a host and a user, never a password (refused). */
	fprintf(out, "\n[registry]\n");
	if (c->registry.url)
		fprintf(out, "url = %s\n", c->registry.url);
	if (c->registry.workstation)
		fprintf(out, "workstation = %s\n", c->registry.workstation);
	if (c->registry.organization)
		fprintf(out, "organization = %s\n", c->registry.organization);
	fprintf(out, "free-space-floor = %u\n", c->registry.free_space_floor);
	fprintf(out, "\n[clients]\nmax = %u\nper-user = %u\nreserve = %u\nidle-timeout = %u\n",
		c->clients.max, c->clients.per_user, c->clients.reserve, c->clients.idle_timeout);
	fprintf(out, "\n[forms]\n");
	if (c->forms.place)
		fprintf(out, "place = %s\n", c->forms.place);
}
