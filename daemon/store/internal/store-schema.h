/* The registry's migrations, embedded from daemon/migrations at build time;
 * the array ends with an entry whose sql is NULL. store.c only. */
#pragma once

struct store_migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct store_migration store_migrations[];
