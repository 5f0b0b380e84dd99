/* Building and reading varlink calls, replies and errors. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "message.h"

/* Adds KEY=VAL to OBJ, taking VAL; false (and VAL released) on ENOMEM. */
static bool
add(json_object *obj, const char *key, json_object *val)
{
	if (!val || json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		return false;
	}
	return true;
}

static json_object *
params_or_empty(json_object *parameters)
{
	return parameters ? parameters : json_object_new_object();
}

/* A new message with KEY=NAME (an error or method name) and "parameters",
 * taking PARAMETERS whatever happens. */
static json_object *
message_new(const char *key, const char *name, json_object *parameters)
{
	json_object *msg = json_object_new_object();
	json_object *p = params_or_empty(parameters);
	if (!msg || !p) {
		json_object_put(msg);
		json_object_put(p);
		return NULL;
	}
	if (name && !add(msg, key, json_object_new_string(name))) {
		json_object_put(p);
		json_object_put(msg);
		return NULL;
	}
	if (!add(msg, "parameters", p)) {	/* add() released P */
		json_object_put(msg);
		return NULL;
	}
	return msg;
}

json_object *
khoa_call_new(const char *method, json_object *parameters, unsigned flags)
{
	json_object *msg = message_new("method", method, parameters);
	if (!msg)
		return NULL;
	if (((flags & KHOA_CALL_MORE) && !add(msg, "more", json_object_new_boolean(1))) ||
	    ((flags & KHOA_CALL_ONEWAY) && !add(msg, "oneway", json_object_new_boolean(1)))) {
		json_object_put(msg);
		return NULL;
	}
	return msg;
}

json_object *
khoa_reply_new(json_object *parameters, bool continues)
{
	json_object *msg = message_new(NULL, NULL, parameters);
	if (!msg)
		return NULL;
	if (continues && !add(msg, "continues", json_object_new_boolean(1))) {
		json_object_put(msg);
		return NULL;
	}
	return msg;
}

json_object *
khoa_error_new(const char *error, json_object *parameters)
{
	return message_new("error", error, parameters);
}

json_object *
khoa_error_newf(const char *error, const char *field, const char *value, const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;

	json_object *params = json_object_new_object();
	bool ok = params && add(params, "message", json_object_new_string(text)) &&
		  (!field || add(params, field, json_object_new_string(value ? value : "")));
	free(text);
	if (!ok) {
		json_object_put(params);
		return NULL;
	}
	return khoa_error_new(error, params);
}

json_object *
khoa_varlink_error(const char *error, const char *field, const char *value)
{
	json_object *params = json_object_new_object();
	if (!params || !add(params, field, json_object_new_string(value))) {
		json_object_put(params);
		return NULL;
	}
	return khoa_error_new(error, params);
}

json_object *
khoa_error_add_int(json_object *error, const char *key, int64_t value)
{
	json_object *params;
	if (error && json_object_object_get_ex(error, "parameters", &params) &&
	    add(params, key, json_object_new_int64(value)))
		return error;
	json_object_put(error);
	return NULL;
}

/* Optional "parameters": absent or null means {}; we hand out a borrowed
 * object, so an absent one is created and attached to MSG. */
static int
get_parameters(json_object *msg, json_object **out)
{
	json_object *p = NULL;
	if (!json_object_object_get_ex(msg, "parameters", &p) || !p) {
		p = json_object_new_object();
		if (!p || json_object_object_add(msg, "parameters", p) < 0) {
			json_object_put(p);
			return -ENOMEM;
		}
	} else if (!json_object_is_type(p, json_type_object)) {
		return -EBADMSG;
	}
	*out = p;
	return 0;
}

static int
get_flag(json_object *msg, const char *key, bool *out)
{
	json_object *v;
	*out = false;
	if (!json_object_object_get_ex(msg, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return -EBADMSG;
	*out = json_object_get_boolean(v);
	return 0;
}

int
khoa_call_parse(json_object *msg, struct khoa_call *call, const char **bad)
{
	bool more, oneway;
	json_object *m;
	int r;

	*call = (struct khoa_call){ 0 };
	call->method = khoa_json_str(msg, "method");
	/* A NUL inside would make another method of it (and a lone surrogate
	 * is one, proto/codec.c). */
	if (!call->method || !*call->method || !json_object_object_get_ex(msg, "method", &m) ||
	    strlen(call->method) != (size_t)json_object_get_string_len(m)) {
		*bad = "method";
		return -EBADMSG;
	}
	if ((r = get_parameters(msg, &call->parameters)) < 0) {
		*bad = "parameters";
		return r;
	}
	if (get_flag(msg, "more", &more) < 0) {
		*bad = "more";
		return -EBADMSG;
	}
	if (get_flag(msg, "oneway", &oneway) < 0) {
		*bad = "oneway";
		return -EBADMSG;
	}
	call->flags = (more ? KHOA_CALL_MORE : 0) | (oneway ? KHOA_CALL_ONEWAY : 0);
	return 0;
}

int
khoa_reply_parse(json_object *msg, struct khoa_reply *reply, const char **bad)
{
	json_object *e;
	int r;

	*reply = (struct khoa_reply){ 0 };
	if (json_object_object_get_ex(msg, "error", &e)) {
		reply->error = khoa_json_str(msg, "error");
		if (!reply->error || strlen(reply->error) != (size_t)json_object_get_string_len(e)) {
			*bad = "error";
			return -EBADMSG;
		}
	}
	if ((r = get_parameters(msg, &reply->parameters)) < 0) {
		*bad = "parameters";
		return r;
	}
	if (get_flag(msg, "continues", &reply->continues) < 0) {
		*bad = "continues";
		return -EBADMSG;
	}
	return 0;
}

const char *
khoa_json_str(json_object *obj, const char *key)
{
	json_object *v;
	if (!obj || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int64_t
khoa_json_int(json_object *obj, const char *key)
{
	json_object *v;
	if (!obj || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_int64(v);
}

char *
khoa_reply_encode(const char *key, json_object *value, bool continues, size_t *len)
{
	json_object *params = json_object_new_object();
	if (!params || !value || json_object_object_add(params, key, value) < 0) {
		json_object_put(value);
		json_object_put(params);
		return NULL;
	}
	json_object *msg = khoa_reply_new(params, continues);
	char *bytes = msg ? khoa_encode(msg, len) : NULL;
	json_object_put(msg);
	return bytes;
}
