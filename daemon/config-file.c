/* The configuration file as a whole (config-file.h). */
#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config-file.h"

struct sections {
	const char *bad;	/* the first unknown section, when one is met */
};

static int
on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct sections *s = user;
	(void)name;
	(void)value;
	if (strcmp(section, "roles") == 0 || strcmp(section, "rules") == 0)
		return 1;
	if (!s->bad)
		s->bad = strdup(*section ? section : "");
	return 0;
}

/* Refuses a section no part of khoad reads. */
static int
check_sections(const char *path, char **error)
{
	struct sections s = { 0 };
	FILE *f = fopen(path, "re");
	int line, r = 0;

	if (!f) {
		r = -errno;
		if (asprintf(error, "cannot read %s: %s", path, strerror(-r)) < 0)
			*error = NULL;
		return r;
	}
	line = ini_parse_file(f, on_entry, &s);
	fclose(f);
	/* A line inih cannot parse is left for the readers to name. */
	if (line > 0 && s.bad) {
		r = -EINVAL;
		if (asprintf(error, *s.bad ? "%s:%d: unknown section [%s] (the sections are "
			     "[roles] and [rules])" : "%s:%d: an entry before any section%s", path,
			     line, s.bad) < 0)
			*error = NULL;
	}
	free((char *)s.bad);
	return r;
}

int
config_load(const char *path, bool required, struct config *out, char **error)
{
	struct config c = { .rules = *rules_default() };
	int r;

	*error = NULL;
	c.from_file = required || access(path, F_OK) == 0 || errno != ENOENT;
	if (c.from_file && (r = check_sections(path, error)) < 0)
		return r;
	if ((r = roles_load(path, required, &c.roles, error)) < 0)
		return r;
	if (c.from_file && (r = rules_profile_load(path, &c.rules, error)) < 0) {
		roles_free(c.roles);
		return r;
	}
	*out = c;
	return 0;
}

void
config_release(struct config *c)
{
	roles_free(c->roles);
	rules_profile_release(&c->rules);
	c->roles = NULL;
}

void
config_print(const struct config *c, FILE *out)
{
	const struct rules_profile *p = &c->rules;

	fprintf(out, "[roles]\n");
	roles_print(c->roles, out);
	fprintf(out, "\n[rules]\nname = %s\nrenewals-allowed = %d\nrenew-min-days = %d\n"
		"new-max-years = %d\nrenew-max-years-old = %d\ntt08-effective = %s\nwarn-days =",
		p->name, p->renewals_allowed, p->renew_min_days, p->new_max_years,
		p->renew_max_years_old, p->tt08_effective);
	for (int i = 0; p->warn_days[i]; i++)
		fprintf(out, " %d", p->warn_days[i]);
	fprintf(out, "\nreport-month = %d\n", p->report_month);
}
