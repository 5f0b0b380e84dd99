/*
 * khoad's configuration file (khoad.conf(5)): [roles] and [clerks], who may
 * change the registry (roles.c), [rules], the regulation's numbers
 * (rules.c), [registry], where the registry is kept and which workstation
 * this is, and [clients], how many connections khoad takes (both read at
 * start only), and [forms], what the paper forms print that no record
 * says (the place of their date lines). Any other section is refused, so
 * that a misspelt one is not silently ignored.
 * Read at start and again on SIGHUP; `khoad --check-config` prints what it
 * says. An error names the file, the line and the reason ("FILE:LINE: …").
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "roles.h"
#include "rules.h"

/* [registry]: the strings as written (NULL: not written). */
struct registry_config {
	char *url;		/* a libpq connection string: PostgreSQL */
	char *workstation;	/* this khoad's name in the registry */
	char *organization;	/* the organization it serves: an id or a tax code */
	/* free-space-floor: the MiB the state directory's disk must have free
	 * for a change to begin (SQLite; 0: none; 16 unless written). */
	unsigned free_space_floor;
};
#define REGISTRY_FLOOR_DEFAULT 16

/* [clients]: the connections khoad takes, in all and from one user (read
 * at start only; khoad's --max-clients overrides max). */
struct clients_config {
	unsigned max;		/* connections at once (1024) */
	unsigned per_user;	/* of them from one uid, root's excepted (32) */
	unsigned reserve;	/* of max, for root, technicians and admins (16) */
	unsigned idle_timeout;	/* seconds a connection may wait with no call
				 * before it is closed; 0: never (60) */
};
#define CLIENTS_CONFIG_DEFAULT \
	((struct clients_config){ .max = 1024, .per_user = 32, .reserve = 16, .idle_timeout = 60 })

/* [forms]: as written (NULL: not written). */
struct forms_config {
	char *place;		/* "Thái Bình, ngày …", "tại … chúng tôi gồm" */
};

struct config {
	struct roles *roles;
	struct rules_profile rules;
	struct registry_config registry;
	struct clients_config clients;
	struct forms_config forms;
	bool from_file;		/* false: no file, the built-in defaults */
};

/* Reads PATH; a missing file is an error only when REQUIRED (named on the
 * command line), else the defaults. 0, or a negative errno with *ERROR
 * (free() it; NULL when out of memory). On error *OUT is untouched. */
int config_load(const char *path, bool required, struct config *out, char **error);

/* Looks up in the registry S what the file names there (the organizations
 * of [clerks]): 0, or -ENOENT with *ERROR "PATH:LINE: …" (free() it), or
 * another negative errno. */
struct store;
int config_resolve(struct config *c, struct store *s, const char *path, char **error);

/* Frees what C holds. */
void config_release(struct config *c);
void registry_config_release(struct registry_config *r);
void forms_config_release(struct forms_config *f);

/* The effective settings, as khoad.conf lines. */
void config_print(const struct config *c, FILE *out);
