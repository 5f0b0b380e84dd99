/* Calling khoad: one call and its reply, a list a page at a time, or a
 * stream of replies; errors reported once, here, with the exit status that
 * goes with them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "format.h"
#include "i18n.h"
#include "message.h"
#include "table.h"

#define REPLY_TIMEOUT_S 90	/* longer than khoad's rescan timeout */

/* Connecting failed with ERR; REFUSED the server's uid when it was not
 * khoad's (varlink_connect), else (uid_t)-1. Said, and its status. */
static int
unreachable(const struct client *cl, int err, uid_t refused)
{
	if (err == EPERM && refused != (uid_t)-1) {
		fprintf(stderr, _("khoa: the socket %s is served by uid %u, not by khoad's user; "
				  "refusing to talk to it\n"), cl->socket, (unsigned)refused);
		fprintf(stderr, _("khoa talks only to a khoad run by root, by the user %s or by "
				  "yourself.\n"), KHOAD_USER);
		return EXIT_UNREACHABLE;
	}
	fprintf(stderr, _("khoa: cannot reach khoad at %s: %s\n"), cl->socket, strerror(err));
	fprintf(stderr, "%s\n", _("Is khoad running? Start it (systemctl start khoad), or name its "
				  "socket with --socket or KHOA_SOCKET."));
	return EXIT_UNREACHABLE;
}

/* A transport failure R (negative errno) from varlink_*: said, and its status. */
static int
transport_failed(const struct client *cl, int r)
{
	if (r == -ENOMEM) {
		fprintf(stderr, "khoa: %s\n", _("out of memory"));
		return EXIT_ERROR_REPLY;
	}
	if (r == -EPROTO) {
		fprintf(stderr, _("khoa: khoad at %s sent something that is not a varlink reply\n"),
			cl->socket);
		return EXIT_UNREACHABLE;
	}
	return unreachable(cl, -r, (uid_t)-1);
}

/* Connected, or errno and *REFUSED (see unreachable) say why not. */
static bool
connect_once(struct client *cl, uid_t *refused)
{
	*refused = (uid_t)-1;
	return cl->conn || (cl->conn = varlink_connect(cl->socket, REPLY_TIMEOUT_S, refused));
}

/* REPLY (taken) as the call's outcome: its parameters, or the error said;
 * FIELD (when not NULL) the field an io.khoa.InvalidField names. */
static int
take_reply(json_object *reply, bool quiet, json_object **out, bool *continues, char **field)
{
	struct khoa_reply parsed;
	const char *bad;

	khoa_reply_parse(reply, &parsed, &bad);
	if (continues)
		*continues = parsed.continues;
	if (parsed.error) {
		if (!quiet)
			client_print_error(parsed.error, parsed.parameters);
		if (field && strcmp(parsed.error, "io.khoa.InvalidField") == 0 &&
		    *jstr(parsed.parameters, "field") &&
		    !(*field = strdup(jstr(parsed.parameters, "field"))))
			die_oom();
		json_object_put(reply);
		return EXIT_ERROR_REPLY;
	}
	*out = json_object_get(parsed.parameters);
	json_object_put(reply);
	return EXIT_OK;
}

static int
call_field(struct client *cl, const char *method, json_object *params, bool quiet,
	   json_object **out, char **field)
{
	json_object *reply;
	uid_t refused;

	*out = NULL;
	if (field)
		*field = NULL;
	if (!connect_once(cl, &refused)) {
		int err = errno;
		json_object_put(params);
		return quiet ? EXIT_UNREACHABLE : unreachable(cl, err, refused);
	}
	int r = varlink_call(cl->conn, method, params, &reply);
	if (r < 0)
		return quiet ? EXIT_UNREACHABLE : transport_failed(cl, r);
	return take_reply(reply, quiet, out, NULL, field);
}

static int
call(struct client *cl, const char *method, json_object *params, bool quiet, json_object **out)
{
	return call_field(cl, method, params, quiet, out, NULL);
}

int
client_call_field(struct client *cl, const char *method, json_object *params,
		  json_object **out, char **field)
{
	return call_field(cl, method, params, false, out, field);
}

int
client_call(struct client *cl, const char *method, json_object *params, json_object **out)
{
	return call(cl, method, params, false, out);
}

int
client_call_text(struct client *cl, const char *text, size_t len,
		 void (*sent)(void *), void *arg, json_object **out)
{
	json_object *reply;
	uid_t refused;

	*out = NULL;
	if (!connect_once(cl, &refused)) {
		int err = errno;
		sent(arg);
		return unreachable(cl, err, refused);
	}
	int r = varlink_send(cl->conn, text, len);
	sent(arg);
	if (r < 0 && r != -EPIPE && r != -ECONNRESET)
		return transport_failed(cl, r);
	int got = varlink_next(cl->conn, -1, &reply);
	if (got < 0)
		return transport_failed(cl, r < 0 ? r : got);
	return take_reply(reply, false, out, NULL, NULL);
}

/* Out of memory while paging: said unless QUIET, and its status. */
static int
pages_oom(bool quiet)
{
	if (!quiet)
		fprintf(stderr, "khoa: %s\n", _("out of memory"));
	return EXIT_ERROR_REPLY;
}

/* The pages after the first, their KEY items appended to ALL's; errors
 * said unless QUIET. */
static int
next_pages(struct client *cl, const char *method, json_object *params, const char *key,
	   bool quiet, json_object *all)
{
	json_object *items, *page, *more, *next;

	json_object_object_get_ex(all, key, &items);
	while (json_object_object_get_ex(all, "next", &next)) {
		const char *cursor = json_object_get_string(next);
		const char *before = NULL;
		json_object *b;
		if (json_object_object_get_ex(params, "after", &b))
			before = json_object_get_string(b);
		/* A server that sends the same page again would be paged forever. */
		if (before && strcmp(before, cursor) == 0) {
			if (!quiet)
				fprintf(stderr, _("khoa: khoad at %s sent something that is not a "
						  "varlink reply\n"), cl->socket);
			return EXIT_UNREACHABLE;
		}
		json_object *copy = json_object_new_string(cursor);
		if (!copy || json_object_object_add(params, "after", copy) < 0) {
			json_object_put(copy);
			return pages_oom(quiet);
		}
		int r = call(cl, method, json_object_get(params), quiet, &page);
		if (r != EXIT_OK)
			return r;
		if (!json_object_object_get_ex(page, key, &more) ||
		    !json_object_is_type(more, json_type_array)) {
			json_object_put(page);
			return quiet ? EXIT_UNREACHABLE : transport_failed(cl, -EPROTO);
		}
		for (size_t i = 0; i < json_object_array_length(more); i++) {
			json_object *item = json_object_array_get_idx(more, i);
			if (json_object_array_add(items, json_object_get(item)) < 0) {
				json_object_put(item);
				json_object_put(page);
				return pages_oom(quiet);
			}
		}
		/* The page's next, or none: the list's end. */
		if (json_object_object_get_ex(page, "next", &next))
			json_object_object_add(all, "next", json_object_get(next));
		else
			json_object_object_del(all, "next");
		json_object_put(page);
	}
	return EXIT_OK;
}

/* client_call_pages(), its errors said unless QUIET. */
static int
call_pages(struct client *cl, const char *method, json_object *params, const char *key,
	   bool quiet, json_object **out)
{
	json_object *all, *items;
	int r;

	*out = NULL;
	if (!params)	/* "after" goes in it */
		return pages_oom(quiet);
	r = call(cl, method, json_object_get(params), quiet, &all);
	if (r == EXIT_OK && (!json_object_object_get_ex(all, key, &items) ||
			     !json_object_is_type(items, json_type_array)))
		r = quiet ? EXIT_UNREACHABLE : transport_failed(cl, -EPROTO);
	if (r == EXIT_OK)
		r = next_pages(cl, method, params, key, quiet, all);
	json_object_put(params);
	if (r != EXIT_OK) {
		json_object_put(all);
		return r;
	}
	*out = all;
	return EXIT_OK;
}

int
client_call_pages(struct client *cl, const char *method, json_object *params, const char *key,
		  json_object **out)
{
	return call_pages(cl, method, params, key, false, out);
}

/* The answer R brought, printed as JSON with --json, else by HUMAN. */
static int
show(struct client *cl, int r, json_object *answer,
     void (*human)(struct client *cl, json_object *answer))
{
	if (r != EXIT_OK)
		return r;
	if (cl->json)
		client_print_json(answer);
	else
		human(cl, answer);
	json_object_put(answer);
	return EXIT_OK;
}

int
client_show_pages(struct client *cl, const char *method, json_object *params, const char *key,
		  void (*human)(struct client *cl, json_object *answer))
{
	json_object *answer;
	int r = client_call_pages(cl, method, params, key, &answer);
	return show(cl, r, answer, human);
}

json_object *
client_lookup(struct client *cl, const char *method, json_object *params)
{
	json_object *out;
	call(cl, method, params, true, &out);
	return out;
}

json_object *
client_lookup_pages(struct client *cl, const char *method, json_object *params,
		    const char *key)
{
	json_object *out;
	call_pages(cl, method, params, key, true, &out);
	return out;
}

void
client_print_json(json_object *answer)
{
	puts(json_object_to_json_string_ext(answer, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_SPACED |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
}

int
client_show(struct client *cl, const char *method, json_object *params,
	    void (*human)(struct client *cl, json_object *answer))
{
	json_object *answer;
	int r = client_call(cl, method, params, &answer);
	return show(cl, r, answer, human);
}

int
client_stream_open(struct client *cl, const char *method, json_object *params)
{
	uid_t refused;
	int r;

	if (!connect_once(cl, &refused)) {
		int err = errno;
		json_object_put(params);
		return unreachable(cl, err, refused);
	}
	/* A stream may stay quiet for hours: only the daemon ends it. */
	if ((r = varlink_set_reply_timeout(cl->conn, 0)) < 0 ||
	    (r = varlink_call_more(cl->conn, method, params)) < 0)
		return transport_failed(cl, r);
	return EXIT_OK;
}

int
client_stream_next(struct client *cl, int stop_fd, json_object **out, bool *continues)
{
	json_object *reply;

	*out = NULL;
	*continues = false;
	int r = varlink_next(cl->conn, stop_fd, &reply);
	if (r == -EINTR)
		return EXIT_OK;
	if (r == -ECONNRESET) {
		fprintf(stderr, _("khoa: khoad at %s closed the connection\n"), cl->socket);
		return EXIT_UNREACHABLE;
	}
	if (r < 0)
		return transport_failed(cl, r);
	return take_reply(reply, false, out, continues, NULL);
}
