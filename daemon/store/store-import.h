/*
 * Moving in (store-import.c): an agency's standalone registry copied into a
 * shared one (khoad --import-sqlite). Every row and event is copied under
 * new ids; what both registries hold already is matched by what names it
 * (an organization's tax code, a person's ID number, a certificate's
 * fingerprint, a token's serial and holder); what they hold differently is
 * a conflict, listed, and then nothing is written. Each copied row is
 * remembered (imported_rows, by the source's identity and its old key), so
 * importing the same registry again copies only what is new since: nothing.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* What was done with one table's rows. */
struct store_import_count {
	const char *table;
	unsigned long copied;	/* new in the shared registry */
	unsigned long matched;	/* the shared registry has it already */
	unsigned long before;	/* copied by an earlier import */
	unsigned long skipped;	/* not the shared registry's (the whole-registry report) */
};

/* Two records that name the same thing differently. HERE: the source's
 * (its id and name), THERE: the shared registry's; KEY: what they share
 * (a tax code, a token's serial, a login; NULL for an ID number, which is
 * not repeated). */
enum store_import_clash {
	STORE_CLASH_TAX_CODE,		/* organizations, by tax code: two names */
	STORE_CLASH_ID_NUMBER,		/* people, by ID number: two names */
	STORE_CLASH_HOLDER,		/* a token registered to two holders */
	STORE_CLASH_LOGIN,		/* a login mapped to two people */
};
struct store_import_conflict {
	enum store_import_clash clash;
	char *key;
	int64_t here_id, there_id;
	char *here, *there;
};

struct store_import {
	char *source;	/* the source's identity: "sqlite:<when it was created>" */
	struct store_import_count *counts;
	size_t n_counts;
	struct store_import_conflict *conflicts;
	size_t n_conflicts;
};

/* Copies SRC (migrated to the current schema) into DST in one transaction.
 * 0: committed; -EEXIST: conflicts (in OUT), nothing written; else an
 * error. OUT is filled in every case: free it with store_import_clear(). */
int store_import(struct store *dst, struct store *src, struct store_import *out);
void store_import_clear(struct store_import *im);
