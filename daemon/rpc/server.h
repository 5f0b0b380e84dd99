/*
 * The varlink socket: accepting clients, reading NUL-framed calls, writing
 * replies in call order. A client that sends something that is not a call,
 * or more than the size limit, gets one error reply and is dropped; a client
 * that stops reading its replies is dropped; nobody else notices either.
 *
 * A method handler gets a struct call and answers it exactly once, at once or
 * later (call_defer): while a call is deferred, the client's further calls
 * wait, so replies keep the order of the calls.
 *
 * What a handler returns (methods.h): 0 once it has answered or deferred C;
 * CALL_FAILED once it has answered with a typed error (call_fail()); or a
 * negative errno, not having answered, for the dispatcher to give the
 * generic answer (call_fail_errno()). So the end of a handler is
 * "return call_reply(c, …);" or "return call_fail(c, khoa_err_…(…));".
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>
#include <event2/event.h>
#include <json-c/json.h>

#include "peer.h"

struct server;
struct call;
struct khoad;

/* Who may connect (khoad.conf's [clients]): MAX at once; short of it,
 * RESERVE kept for root, technicians and admins; PER_USER from one uid
 * (root's excepted). A connection reading no call for IDLE_TIMEOUT_S
 * seconds (0: never), or leaving its replies unread as long, is closed; a
 * connection in a call (deferred: a stream, a PIN) is not idle. Over a
 * limit a client is told io.khoa.TooManyClients and closed. */
struct server_limits {
	unsigned max, reserve, per_user, idle_timeout_s;
};

/* Listens on the socket systemd passed (socket activation), else on PATH
 * (replacing a stale socket, refusing a live one). LIMITS are copied, MAX
 * lowered to the descriptors the process may have (raised to its hard
 * limit). */
struct server *server_new(struct event_base *base, struct khoad *daemon,
			  const char *path, const struct server_limits *limits);
void server_free(struct server *srv);
/* Whether PATH is free for a khoad to listen on: 1 nothing is there, 0 a
 * socket left by a daemon that died (it refuses connections: listening
 * replaces it), -1 (logged) a live khoad, or anything but a socket (a
 * file, a directory, a symbolic link), which khoad never removes. */
int server_path_free(const char *path);
/* Stops listening and drops every client; deferred calls can still be
 * answered (into the void) until server_free(). */
void server_disconnect_all(struct server *srv);
unsigned server_n_clients(const struct server *srv);

/* Where it listens. */
const char *server_path(const struct server *srv);

struct khoad *call_daemon(const struct call *c);
const struct peer *call_peer(const struct call *c);
/* Who calls, as the dispatcher worked it out (access.h). */
struct caller;
struct caller *call_caller(struct call *c);
const char *call_method(const struct call *c);
/* The call's parameters as sent (borrowed; valid until the call is
 * answered): for secret_take(), which wipes what it takes. */
json_object *call_parameters(const struct call *c);

/* KHOA_CALL_MORE, KHOA_CALL_ONEWAY as the caller asked. */
unsigned call_flags(const struct call *c);

#define CALL_FAILED 1

/* Answers with PARAMS (taken); 0. NULL stands for a failed allocation: the
 * client is dropped, as for any out-of-memory answer. */
int call_reply(struct call *c, json_object *params);
/* Answers with {KEY: OBJ} (OBJ taken; NULL: out of memory); 0. */
int call_reply_object(struct call *c, const char *key, json_object *obj);
/* Answers with a whole serialized reply message, NUL included (copied); 0. */
int call_reply_message(struct call *c, const char *msg, size_t len);
/* Answers with ERROR, built by a constructor of errors.h (taken; NULL as
 * above); CALL_FAILED. */
int call_fail(struct call *c, json_object *error);
/* The generic answer to a failure R, a negative errno: -ENOMEM drops the
 * client, as any out-of-memory answer; any other is io.khoa.Internal ("the
 * registry could not be read or written": what fails in khoad is the
 * store, whose errors are logged where they happen). CALL_FAILED. */
int call_fail_errno(struct call *c, int r);
/* Whether C has been answered (or deferred: its copy answers). */
bool call_answered(const struct call *c);

/*
 * Keeps C for a later answer: returns a call that outlives the handler
 * (NULL on ENOMEM; then C is still to be answered now). Answering a deferred
 * call whose client has gone is harmless.
 */
struct call *call_defer(struct call *c);

/*
 * Streaming ("more") on a deferred call: one reply message with
 * "continues" (serialized, NUL included; copied). 0; -EPIPE when the client
 * is gone; -ENOBUFS when more than BACKLOG bytes wait unread: the client then
 * gets io.khoa.TooSlow and is dropped. In both failure cases C is finished
 * and must not be used again.
 */
int call_stream(struct call *c, const char *msg, size_t len, size_t backlog);

/* For a deferred call: FN runs if the client disconnects first; C is
 * finished right after FN returns. */
void call_on_close(struct call *c, void (*fn)(struct call *c, void *userdata), void *userdata);
/* For a deferred call that streams: FN runs each time what was sent to the
 * client has been written out, down to 64 KiB unread (to send more, paced
 * by the reader). */
void call_on_drain(struct call *c, void (*fn)(struct call *c, void *userdata), void *userdata);
/* The bytes sent to C's client that khoad still holds, unwritten. */
size_t call_unread(const struct call *c);
