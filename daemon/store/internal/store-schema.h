/* The registry's migrations, embedded from daemon/store/migrations at build
 * time in each engine's words (embed-sql.py); the array ends with an entry
 * whose sql is NULL. store.c only. */
#pragma once

struct store_migration {
	int version;
	const char *name;
	const char *sql;	/* SQLite's */
	const char *sql_pg;	/* PostgreSQL's */
};

extern const struct store_migration store_migrations[];
