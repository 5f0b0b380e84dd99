/*
 * khoad's log. On a terminal: one line per message on stderr. Under systemd
 * (stderr is the journal: JOURNAL_STREAM names it) each message goes to the
 * journal natively with its priority; a committed event also carries
 * MESSAGE_ID (one per event type, explained by contrib/systemd/khoad.catalog),
 * KHOA_EVENT, TOKEN_SERIAL, CERT_SERIAL and REQUEST_ID, so that
 * `journalctl MESSAGE_ID=… ` or `journalctl TOKEN_SERIAL=…` finds them.
 * Never log a PIN or anything a caller sent verbatim.
 */
#pragma once

#include <stdbool.h>
#include <json-c/json.h>

void log_set_verbose(bool verbose);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A committed event (an io.khoa.Events Event): in the journal always, on
 * stderr with --verbose; one that says something is wrong (audit.broken)
 * is an error, on stderr always. */
void log_event(json_object *event);

/* An informational message that has its own MESSAGE_ID, the catalog's for
 * TYPE (audit.head), without being an event. */
void log_info_id(const char *type, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The catalog's message IDs by event type (generated: log-message-ids.c). */
struct log_message_id {
	const char *type;	/* "token.appeared" */
	const char *id;		/* 32 hex digits */
};
extern const struct log_message_id log_message_ids[];

/* The MESSAGE_ID of event TYPE, or NULL. */
const char *log_message_id(const char *type);
