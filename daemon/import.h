/*
 * khoad --import-sqlite PATH (import.c): an agency's standalone registry
 * (its state directory, or the registry.db in it) moved into the registry
 * this khoad is configured for, a shared PostgreSQL one. The source is
 * not changed: a copy of it is brought up to this khoad's schema and
 * copied (store-import.h says how); a khoad still running on it is
 * refused. Prints what was copied, or the conflicts, for the person who
 * runs it.
 */
#pragma once

/* EXIT_SUCCESS: imported (or nothing left to import); EXIT_FAILURE:
 * conflicts or an error, nothing written. ENGINE, WHERE: the registry's,
 * as store_open() takes them. */
int import_sqlite(const char *engine, const char *where, const char *path);
