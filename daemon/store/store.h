/*
 * The registry's storage: the only code that composes SQL (daemon/store/).
 * Each area has its header (store-tokens.h, store-handovers.h, …); this one
 * opens the store over a backend chosen by name ("sqlite" under the state
 * directory today; internal/store-private.h is the socket another engine
 * plugs into) and runs its transactions.
 *
 * Mutations run inside store_begin() … store_commit() (or store_rollback()):
 * one transaction per change, together with its events. Reads return
 * protocol JSON (new references). Functions return 0 or a negative errno:
 * -ENOENT for a missing row, -EEXIST for a duplicate, -ENOMEM, -EIO for a
 * database failure (logged once, here); a shared registry adds -ENOTCONN
 * (its server is away), -EBUSY and -ETIMEDOUT (another workstation holds
 * what this one waits for), -EAGAIN (run the change again) and -EACCES
 * (the server's own refusal). Loop thread only.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "peer.h"	/* struct actor */
#include "token.h"

struct store;

/* Opens the registry with BACKEND ("sqlite": WHERE is the state directory,
 * DIR/registry.db created) and brings its schema up to date. A schema newer
 * than this binary knows is refused: *error says so, as it says any other
 * failure (free() it; NULL when out of memory). */
int store_open(const char *backend, const char *where, struct store **out, char **error);
/* The same, to read beside a running khoad (khoad --check-config): nothing
 * is locked, created or migrated; -ENOENT when there is no registry. */
int store_open_readonly(const char *backend, const char *where, struct store **out,
			char **error);
void store_close(struct store *s);

/* What a registry is, for --check-config and the log. */
struct store_info {
	char engine[16];	/* "sqlite", "postgresql" */
	char server[64];	/* "SQLite 3.40.1", "PostgreSQL 15.18" */
	char role[64];		/* the server's user; "" for SQLite */
	const char *where;	/* the file, or postgresql://USER@HOST:PORT/DB */
};
void store_info(struct store *s, struct store_info *out);

int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/*
 * A disk that takes no write (issue 15; SQLite's, under the state
 * directory): store_open() opens a registry whose disk is full or mounted
 * read-only to read only, and every store_begin() is then -EROFS, as it is
 * once the disk has less than FLOOR bytes free (store_set_floor(); 0: no
 * floor) or a write met a full disk (-ENOSPC). Reads go on.
 * store_read_only() says why (NULL while it takes changes; "" when there
 * are no words) and *REASON the kind, "disk-full", "read-only" or
 * "low-space"; store_try_writable() opens it for writing again when there
 * is room (0, said in the log) or leaves it so (-EROFS).
 */
void store_set_floor(struct store *s, uint64_t bytes);
const char *store_read_only(struct store *s, const char **reason);
int store_try_writable(struct store *s);

/* The schema version in use; the newest this khoad knows. */
int store_schema_version(struct store *s);
int store_schema_known(void);
/* -EPROTO, with *ERROR saying that S's schema VERSION is newer than this
 * khoad's and what to do (free() it; NULL when out of memory). */
int store_schema_too_new(struct store *s, int version, char **error);

/*
 * Hearing of other workstations' commits (a shared registry): a second
 * connection that listens for the events committed anywhere. store_listen()
 * opens it and gives the descriptor to watch for reading (-ENOTSUP on
 * SQLite, whose only writer is this khoad; -ENOTCONN when the server is
 * away); when it is readable, store_listen_drain() says 1 when events were
 * committed, 0 when nothing was, -ENOTCONN when the connection broke (then
 * store_listen() again later: notifications are not replayed, read the
 * events after the newest one had).
 */
int store_listen(struct store *s);
int store_listen_drain(struct store *s);
void store_listen_close(struct store *s);

/* A number that changes whenever this store commits a change. */
int64_t store_write_count(struct store *s);

/*
 * A page of a long list (a list method's limit and after, issue 15). A list
 * function given one reads at most LIMIT records (0: every one) in the
 * list's order, those after AFTER (NULL: from the first), the cursor the
 * page before gave as its NEXT; it sets NEXT (malloc'd, the caller's to
 * free) to the cursor of the page after this one when more follow, else to
 * NULL. A cursor is the sort key of a page's last record, as text that
 * clients do not read into. An AFTER that is no cursor of that list is
 * -EINVAL, returned before anything is read. A list function given no page
 * (NULL) reads the whole list.
 */
struct store_page {
	size_t limit;
	const char *after;
	char *next;
};
