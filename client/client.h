/*
 * What every khoa command gets: the connection, the output mode, and helpers
 * for calling a method and reporting its errors the same way everywhere.
 * Each command family lives in its own cmd-*.c and exports its entries.
 */
#pragma once

#include <stdbool.h>
#include <json-c/json.h>

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

struct command {
	const char *name;
	const char *args;	/* for the usage line, translated */
	const char *help;	/* one line, translated */
	int (*run)(struct client *cl, int argc, char **argv);
};

/*
 * Calls METHOD; on success 0 and *params is the reply's parameters (a new
 * reference). On an error reply or a transport failure the error has been
 * printed and the exit status to use is returned.
 */
int client_call(struct client *cl, const char *method, json_object *params,
		json_object **out);

/*
 * Calls METHOD and prints its answer: as JSON with --json, else with HUMAN.
 * Returns the exit status.
 */
int client_show(struct client *cl, const char *method, json_object *params,
		void (*human)(struct client *cl, json_object *answer));

/* EXIT_OK when the command got no arguments, else says so: EXIT_USAGE. */
int client_no_arguments(int argc, char **argv);

extern const struct command cmd_tokens, cmd_token, cmd_rescan, cmd_certs, cmd_status;
