/*
 * Varlink messages as json-c objects: building calls, replies and errors, and
 * reading them back. Builders take ownership of the parameters they are given
 * (NULL means an empty object) and return NULL only on ENOMEM.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

enum khoa_call_flags {
	KHOA_CALL_MORE = 1 << 0,	/* a stream of replies is wanted */
	KHOA_CALL_ONEWAY = 1 << 1,	/* no reply is wanted */
};

/* A call as read from the wire; pointers borrow from the message object. */
struct khoa_call {
	const char *method;		/* "io.khoa.Tokens.List" */
	json_object *parameters;	/* an object, never NULL */
	unsigned flags;
};

/* A reply as read from the wire; pointers borrow from the message object. */
struct khoa_reply {
	const char *error;		/* NULL unless an error reply */
	json_object *parameters;	/* an object, never NULL */
	bool continues;
};

json_object *khoa_call_new(const char *method, json_object *parameters, unsigned flags);
json_object *khoa_reply_new(json_object *parameters, bool continues);
/* {"parameters":{KEY: VALUE}} (with "continues" when CONTINUES) on the
 * wire: a new buffer of *LEN bytes, NUL included; VALUE taken. NULL on
 * ENOMEM. For a reply built once and sent to many. */
char *khoa_reply_encode(const char *key, json_object *value, bool continues, size_t *len);
json_object *khoa_error_new(const char *error, json_object *parameters);

/*
 * An error reply carrying a human MESSAGE (printf-style) and, when FIELD is
 * non-NULL, one more string parameter FIELD=VALUE (e.g. "serial").
 */
json_object *khoa_error_newf(const char *error, const char *field, const char *value,
			     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A standard org.varlink.service error: exactly the one string parameter
 * FIELD=VALUE the varlink interface declares for it, no message. */
json_object *khoa_varlink_error(const char *error, const char *field, const char *value);

/* ERROR (taken) with one more integer parameter; NULL on ENOMEM or when
 * ERROR is NULL. */
json_object *khoa_error_add_int(json_object *error, const char *key, int64_t value);

/*
 * Read MSG as a call (daemon side) or a reply (client side). 0 on success,
 * -EBADMSG when it does not have the shape varlink requires; then *bad names
 * the offending key.
 */
int khoa_call_parse(json_object *msg, struct khoa_call *call, const char **bad);
int khoa_reply_parse(json_object *msg, struct khoa_reply *reply, const char **bad);

/* A string parameter of an object, or NULL when absent or not a string. */
const char *khoa_json_str(json_object *obj, const char *key);
/* An integer parameter of an object, or 0 when absent or not an integer. */
int64_t khoa_json_int(json_object *obj, const char *key);
