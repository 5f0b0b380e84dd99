/*
 * The client's side of the varlink socket: connect, then call methods one at
 * a time and read their replies. Blocking, with a time limit per reply that a
 * stream of replies (a call with "more") may turn off.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>
#include <json-c/json.h>

struct varlink;

/* The user khoad runs as (the unit's User=). */
#define KHOAD_USER "khoa"

/*
 * Connects to PATH; NULL with errno set when nothing answers there. The
 * server must be root (systemd's socket), KHOAD_USER or the caller's own
 * user (a khoad started by hand): another's is refused before anything is
 * sent, NULL with errno EPERM and its uid in *SERVER_UID (else (uid_t)-1).
 */
struct varlink *varlink_connect(const char *path, unsigned timeout_s, uid_t *server_uid);
void varlink_close(struct varlink *v);

/* Waits at most TIMEOUT_S for each reply from now on; 0: for ever. 0 or a
 * negative errno. */
int varlink_set_reply_timeout(struct varlink *v, unsigned timeout_s);

/*
 * Calls METHOD with PARAMS (taken; NULL for none). On a reply, 0 and *reply
 * is the whole reply message (a new reference; see khoa_reply_parse). On a
 * transport failure a negative errno (-EPROTO: the daemon sent something that
 * is not a reply; -ETIMEDOUT; -ECONNRESET: it hung up).
 */
int varlink_call(struct varlink *v, const char *method, json_object *params,
		 json_object **reply);

/*
 * Sends a call the caller encoded itself: TEXT, LEN bytes with its closing
 * NUL (for a call carrying PINs, whose text must not pass through json-c).
 * Its reply is then read with varlink_next(). 0 or a negative errno as for
 * varlink_call; a daemon that hung up may still have said why: -EPIPE and
 * -ECONNRESET leave that to be read.
 */
int varlink_send(struct varlink *v, const char *text, size_t len);

/*
 * Calls METHOD with "more": the daemon answers with a stream of replies, each
 * read with varlink_next(); the last one has no "continues". 0 or a negative
 * errno as for varlink_call.
 */
int varlink_call_more(struct varlink *v, const char *method, json_object *params);

/*
 * The next reply of a stream, as varlink_call returns one. When STOP_FD is not
 * -1, waiting ends as soon as STOP_FD becomes readable (a signalfd, say):
 * then -EINTR and *reply is untouched.
 */
int varlink_next(struct varlink *v, int stop_fd, json_object **reply);
