/*
 * The audit trail (store-audit.c, issue 15): tamper evidence for the
 * record. Every transaction that changes a row of a covered table (the
 * record's tables, events among them; not the derived ones nor the
 * sightings of tokens) is sealed at its commit by an audit record: who
 * (the actor of its events, else khoad), what (their types), when, and
 * each row it changed with the SHA-256 digest of the row as committed. A
 * record's hash covers all that and the hash of the record before it, so
 * the records are a chain. Verifying walks the chain, then digests every
 * covered row again and compares it with the last record that changed
 * it: an edit of the database made around khoad (a row changed, deleted
 * or added; a record changed, deleted or rewritten) breaks a link, and is
 * named. A rewrite of the whole chain is caught against heads the journal
 * kept (khoad logs the head, audit.head).
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

#define STORE_AUDIT_HASH_LEN 64	/* hex */

/* The chain's newest record: *SEQ 0 and HASH "" when there is none. */
int store_audit_head(struct store *s, int64_t *seq, char hash[STORE_AUDIT_HASH_LEN + 1]);

/*
 * Walks the chain and every covered row (in one snapshot of the registry)
 * and, with HEADS ([{seq, hash}], borrowed; NULL: none), checks those
 * records against what the journal saw. *OUT: {intact, records, rows,
 * head: {seq, hash}, problems: [Problem] (the first STORE_AUDIT_PROBLEMS,
 * the first broken link first), problem_count, checked_at}; a Problem is
 * {kind, seq, table, key, time, action, actor, hash} as io.khoa.Audit
 * says. Reads only: also on a registry that takes no change.
 */
#define STORE_AUDIT_PROBLEMS 100
int store_audit_verify(struct store *s, json_object *heads, json_object **out);

/* The trail, newest first, a page at a time: [Record] as io.khoa.Audit
 * says, each with its changes. */
int store_audit_log(struct store *s, struct store_page *page, json_object **out);
