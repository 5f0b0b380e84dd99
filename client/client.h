/*
 * What every khoa command gets: the connection, the output mode, and helpers
 * for calling a method and reporting its errors the same way everywhere.
 * Each command family lives in its own cmd-*.c and exports its row of the
 * command table (command.h).
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

#include "command.h"
#include "varlink.h"

/* Exit statuses. */
enum {
	EXIT_OK = 0,
	EXIT_ERROR_REPLY = 1,	/* the daemon answered with an error */
	EXIT_UNREACHABLE = 2,	/* the daemon could not be reached */
	EXIT_USAGE = 64,	/* the command line was wrong (sysexits' EX_USAGE) */
};

struct client {
	const char *socket;
	bool json;
	struct varlink *conn;	/* connected on first call */
};

/*
 * Calls METHOD; on success 0 and *params is the reply's parameters (a new
 * reference). On an error reply or a transport failure the error has been
 * printed and the exit status to use is returned.
 */
int client_call(struct client *cl, const char *method, json_object *params,
		json_object **out);

/* As client_call; when the error is io.khoa.InvalidField, *FIELD is the
 * field it names (malloc'd, to free), else NULL: a command that asked for
 * the fields asks again for that one. */
int client_call_field(struct client *cl, const char *method, json_object *params,
		      json_object **out, char **field);

/*
 * As client_call, for a call whose text the caller encoded itself (TEXT, LEN
 * bytes with the closing NUL): SENT(ARG) runs as soon as the text is sent,
 * or could not be, so that it is wiped before the reply is awaited.
 */
int client_call_text(struct client *cl, const char *text, size_t len,
		     void (*sent)(void *), void *arg, json_object **out);

/* As client_call, but prints nothing: the reply's parameters, or NULL on
 * any failure. For details a command can do without. */
json_object *client_lookup(struct client *cl, const char *method, json_object *params);

/*
 * Calls METHOD and prints its answer: as JSON with --json, else with HUMAN.
 * Returns the exit status.
 */
int client_show(struct client *cl, const char *method, json_object *params,
		void (*human)(struct client *cl, json_object *answer));

/*
 * A list method (one taking "limit" and "after", its reply "next"): called
 * page after page until the last, the items of each page's KEY array
 * appended to the first's; *OUT as client_call's, the whole list. PARAMS
 * taken. client_show_pages() prints it as client_show() does.
 */
int client_call_pages(struct client *cl, const char *method, json_object *params,
		      const char *key, json_object **out);
int client_show_pages(struct client *cl, const char *method, json_object *params,
		      const char *key, void (*human)(struct client *cl, json_object *answer));
/* As client_call_pages, but prints nothing: the whole list, or NULL on any
 * failure (as client_lookup). */
json_object *client_lookup_pages(struct client *cl, const char *method, json_object *params,
				 const char *key);

/* Prints ANSWER as indented JSON (--json). */
void client_print_json(json_object *answer);

/*
 * Streams: client_stream_open() calls METHOD with "more" on a connection of
 * its own without a reply timeout; client_stream_next() gives each reply's
 * parameters in turn (*continues false on the last one). Both return EXIT_OK
 * or, having printed why, the exit status to use. STOP_FD: see varlink_next;
 * when it ends the wait, EXIT_OK and *out is NULL.
 */
int client_stream_open(struct client *cl, const char *method, json_object *params);
int client_stream_next(struct client *cl, int stop_fd, json_object **out, bool *continues);

/*
 * For commands that wait on a stream until Ctrl-C (cmd-watch.c): SIGINT and
 * SIGTERM, blocked, arrive on the signalfd returned, to pass as STOP_FD;
 * the command then ends its stream and exits 0. -1 if that cannot be set up
 * (the signals then keep their default action). client_stop_signals_end()
 * takes the signals that stopped it, so that they do not strike once
 * unblocked, and gives the signals back their old ways.
 */
int client_stop_signals(sigset_t *old);
void client_stop_signals_end(int fd, const sigset_t *old);

/* An error reply in the user's language (error.c). */
void client_print_error(const char *error, json_object *params);

extern const struct command cmd_tokens, cmd_token, cmd_rescan, cmd_certs, cmd_status;
extern const struct command cmd_org, cmd_person;
extern const struct command cmd_register, cmd_unregister, cmd_confirm;
extern const struct command cmd_history, cmd_watch;
extern const struct command cmd_pin, cmd_pin_request, cmd_tray;
extern const struct command cmd_handover, cmd_custody, cmd_seal, cmd_manager_change;
extern const struct command cmd_incident, cmd_due;
extern const struct command cmd_print;
extern const struct command cmd_expiring;
extern const struct command cmd_request;
extern const struct command cmd_report;
extern const struct command cmd_audit;
