/*
 * The client's side of the varlink socket: connect, then call methods one at
 * a time and read their replies. Blocking, with a time limit per reply.
 */
#pragma once

#include <stdbool.h>
#include <json-c/json.h>

struct varlink;

/* Connects to PATH; NULL with errno set when nothing answers there. */
struct varlink *varlink_connect(const char *path, unsigned timeout_s);
void varlink_close(struct varlink *v);

/*
 * Calls METHOD with PARAMS (taken; NULL for none). On a reply, 0 and *reply
 * is the whole reply message (a new reference; see khoa_reply_parse). On a
 * transport failure a negative errno (-EPROTO: the daemon sent something that
 * is not a reply; -ETIMEDOUT; -ECONNRESET: it hung up).
 */
int varlink_call(struct varlink *v, const char *method, json_object *params,
		 json_object **reply);
