/*
 * khoad's command line (options.c): the options, their defaults (the
 * socket also from $KHOA_SOCKET), and --help and --version. What
 * khoad.conf says is config-file.h's.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "expiry.h"	/* EXPIRY_WARN_MAX */

struct options {
	const char *socket;
	const char *state_dir;
	const char *registry;		/* a PostgreSQL address; NULL: [registry] url */
	const char *workstation;	/* NULL: [registry] workstation, the host name */
	const char *config;
	bool config_given;
	unsigned watch_backlog_kib;
	unsigned seal_due_hours;
	int expiry_warn[EXPIRY_WARN_MAX + 1];	/* descending, 0-terminated */
	bool expiry_warn_given;
	const char **modules;
	size_t n_modules;
	unsigned scan_interval;
	unsigned rescan_timeout;
	unsigned max_clients;
	bool verbose;
	bool check_config;
	const char *import_sqlite;	/* --import-sqlite PATH */
};

/* O with the defaults, room for ARGC modules: 0 or -ENOMEM. */
int options_init(struct options *o, int argc);
void options_release(struct options *o);

/* ARGV into O: 0 to run, 1 when done (--help, --version), -1 on a usage
 * error (said). */
int options_parse(int argc, char **argv, struct options *o);
