/*
 * libFuzzer target: calls and replies (proto/message.c) read from whatever
 * the decoders yield. The input is the bytes of the wire: NUL-terminated
 * JSON messages. Each message is read as a call, as khoad reads it (strict
 * decoder, khoa_call_parse), and as a reply, as khoa reads it (plain
 * decoder, khoa_reply_parse).
 *
 * Invariants:
 *   - the parsers accept exactly the shapes varlink allows, and on a
 *     refusal name the key at fault: a call needs "method", a non-empty
 *     string; "parameters", absent, null or an object; "more" and
 *     "oneway" absent, null or booleans; a reply's "error" a string,
 *     "continues" absent, null or a boolean;
 *   - what they hand out is the message's own: the method, the error, the
 *     parameters object (an empty one attached when there was none), the
 *     flags; and (KHOA_FUZZ_KNOWN, crashes/README.md) a method is the
 *     name sent, not cut short by a NUL inside;
 *   - a call or reply built again from what was parsed (khoa_call_new,
 *     khoa_reply_new, khoa_error_new, khoa_reply_encode), sent and read
 *     back, parses to the same;
 *   - an error naming a string of the message (khoa_error_newf,
 *     khoa_varlink_error, as khoad's errors name a serial or a parameter)
 *     reads back with that string;
 *   - no leak, no overflow, no UB.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "message.h"

static json_object *
member(json_object *obj, const char *key, bool *present)
{
	json_object *v = NULL;
	*present = json_object_object_get_ex(obj, key, &v);
	return v;
}

/* A flag as varlink allows it: absent, null or a boolean. */
static bool
flag_ok(json_object *v)
{
	return !v || json_object_is_type(v, json_type_boolean);
}

static bool
flag_set(json_object *v)
{
	return v && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

/* Errors khoad builds with a string of the call in them read back with it. */
static void
check_errors_naming(const char *key, const char *value)
{
	json_object *err = khoa_varlink_error("org.varlink.service.InvalidParameter",
					      "parameter", key);
	FUZZ_CHECK(err != NULL);
	json_object *back = fuzz_round_trip(err, false);
	FUZZ_CHECK(back != NULL);
	struct khoa_reply reply;
	const char *bad = NULL;
	FUZZ_CHECK(khoa_reply_parse(back, &reply, &bad) == 0);
	FUZZ_CHECK(strcmp(reply.error, "org.varlink.service.InvalidParameter") == 0);
	FUZZ_CHECK(strcmp(khoa_json_str(reply.parameters, "parameter"), key) == 0);
	FUZZ_CHECK(json_object_object_length(reply.parameters) == 1);
	json_object_put(back);
	json_object_put(err);

	err = khoa_error_newf("io.khoa.NoSuchToken", "serial", value, "no token %s here", value);
	FUZZ_CHECK(err != NULL);
	back = fuzz_round_trip(err, false);
	FUZZ_CHECK(back != NULL);
	FUZZ_CHECK(khoa_reply_parse(back, &reply, &bad) == 0);
	FUZZ_CHECK(strcmp(reply.error, "io.khoa.NoSuchToken") == 0);
	FUZZ_CHECK(strcmp(khoa_json_str(reply.parameters, "serial"), value) == 0);
	const char *text = khoa_json_str(reply.parameters, "message");
	size_t n = strlen(value);
	FUZZ_CHECK(text && strncmp(text, "no token ", 9) == 0 && strncmp(text + 9, value, n) == 0 &&
		   strcmp(text + 9 + n, " here") == 0);
	json_object_put(back);
	json_object_put(err);
}

static void
check_call(json_object *msg)
{
	bool has_method, has_params, has_more, has_oneway;
	json_object *method = member(msg, "method", &has_method);
	json_object *params = member(msg, "parameters", &has_params);
	json_object *more = member(msg, "more", &has_more);
	json_object *oneway = member(msg, "oneway", &has_oneway);
	const char *want_bad = NULL;

	if (!method || !json_object_is_type(method, json_type_string) ||
	    !*json_object_get_string(method) ||
	    strlen(json_object_get_string(method)) != (size_t)json_object_get_string_len(method))
		want_bad = "method";
	else if (params && !json_object_is_type(params, json_type_object))
		want_bad = "parameters";
	else if (!flag_ok(more))
		want_bad = "more";
	else if (!flag_ok(oneway))
		want_bad = "oneway";

	struct khoa_call call;
	const char *bad = NULL;
	int r = khoa_call_parse(msg, &call, &bad);
	if (want_bad) {
		FUZZ_CHECK(r == -EBADMSG);
		FUZZ_CHECK(bad != NULL && strcmp(bad, want_bad) == 0);
		return;
	}
	FUZZ_CHECK(r == 0);
	FUZZ_CHECK(call.method == json_object_get_string(method));
	/* a method with a NUL inside ("\u0000", or a lone surrogate escape,
	 * which the decoder makes one) is refused, not taken as the name
	 * before it (found by this target: corpus message-nul-in-method) */
	FUZZ_CHECK(strlen(call.method) == (size_t)json_object_get_string_len(method));
	FUZZ_CHECK(call.parameters && json_object_is_type(call.parameters, json_type_object));
	if (params) {
		FUZZ_CHECK(call.parameters == params);
	} else {
		json_object *now = NULL;
		FUZZ_CHECK(json_object_object_get_ex(msg, "parameters", &now));
		FUZZ_CHECK(now == call.parameters);
		FUZZ_CHECK(json_object_object_length(now) == 0);
	}
	FUZZ_CHECK(call.flags == ((flag_set(more) ? KHOA_CALL_MORE : 0u) |
				  (flag_set(oneway) ? KHOA_CALL_ONEWAY : 0u)));

	/* built again, sent, read back by khoad */
	json_object *again = khoa_call_new(call.method, json_object_get(call.parameters), call.flags);
	FUZZ_CHECK(again != NULL);
	json_object *back = fuzz_round_trip(again, true);
	FUZZ_CHECK(back != NULL);
	struct khoa_call call2;
	FUZZ_CHECK(khoa_call_parse(back, &call2, &bad) == 0);
	FUZZ_CHECK(strcmp(call2.method, call.method) == 0);
	FUZZ_CHECK(call2.flags == call.flags);
	FUZZ_CHECK(fuzz_same_json(call2.parameters, call.parameters));
	json_object_put(back);
	json_object_put(again);

	/* the parameters in a reply, as khoad sends a list to many */
	size_t len;
	char *bytes = khoa_reply_encode("echo", json_object_get(call.parameters),
					call.flags & KHOA_CALL_MORE, &len);
	FUZZ_CHECK(bytes != NULL && len > 0 && bytes[len - 1] == '\0');
	struct khoa_decoder *dec = khoa_decoder_new(len);
	FUZZ_CHECK(dec != NULL);
	FUZZ_CHECK(khoa_decoder_feed(dec, bytes, len) == 0);
	FUZZ_CHECK(khoa_decoder_next(dec, &back) == KHOA_DECODE_MESSAGE);
	struct khoa_reply reply;
	FUZZ_CHECK(khoa_reply_parse(back, &reply, &bad) == 0);
	FUZZ_CHECK(reply.error == NULL);
	FUZZ_CHECK(reply.continues == !!(call.flags & KHOA_CALL_MORE));
	json_object *echo = NULL;
	FUZZ_CHECK(json_object_object_get_ex(reply.parameters, "echo", &echo));
	FUZZ_CHECK(fuzz_same_json(echo, call.parameters));
	json_object_put(back);
	khoa_decoder_free(dec);
	free(bytes);

	/* errors naming what the call sent: the method, its string
	 * parameters and their names (a few: each costs a round trip) */
	check_errors_naming("method", call.method);
	int budget = 8;
	json_object_object_foreach(call.parameters, key, val) {
		if (budget-- == 0)
			break;
		check_errors_naming(key, val && json_object_is_type(val, json_type_string)
					 ? json_object_get_string(val) : key);
	}
}

static void
check_reply(json_object *msg)
{
	bool has_error, has_params, has_continues;
	json_object *error = member(msg, "error", &has_error);
	json_object *params = member(msg, "parameters", &has_params);
	json_object *continues = member(msg, "continues", &has_continues);
	const char *want_bad = NULL;

	if (has_error && !(error && json_object_is_type(error, json_type_string) &&
			   strlen(json_object_get_string(error)) ==
			   (size_t)json_object_get_string_len(error)))
		want_bad = "error";	/* a NUL inside would name another error */
	else if (params && !json_object_is_type(params, json_type_object))
		want_bad = "parameters";
	else if (!flag_ok(continues))
		want_bad = "continues";

	struct khoa_reply reply;
	const char *bad = NULL;
	int r = khoa_reply_parse(msg, &reply, &bad);
	if (want_bad) {
		FUZZ_CHECK(r == -EBADMSG);
		FUZZ_CHECK(bad != NULL && strcmp(bad, want_bad) == 0);
		return;
	}
	FUZZ_CHECK(r == 0);
	FUZZ_CHECK(reply.error == (error ? json_object_get_string(error) : NULL));
	FUZZ_CHECK(reply.parameters && json_object_is_type(reply.parameters, json_type_object));
	if (params)
		FUZZ_CHECK(reply.parameters == params);
	else
		FUZZ_CHECK(json_object_object_length(reply.parameters) == 0);
	FUZZ_CHECK(reply.continues == flag_set(continues));

	/* built again, sent, read back by khoa */
	json_object *again = reply.error
		? khoa_error_new(reply.error, json_object_get(reply.parameters))
		: khoa_reply_new(json_object_get(reply.parameters), reply.continues);
	FUZZ_CHECK(again != NULL);
	json_object *back = fuzz_round_trip(again, false);
	FUZZ_CHECK(back != NULL);
	struct khoa_reply reply2;
	FUZZ_CHECK(khoa_reply_parse(back, &reply2, &bad) == 0);
	FUZZ_CHECK(!reply2.error == !reply.error);
	FUZZ_CHECK(!reply.error || strcmp(reply2.error, reply.error) == 0);
	FUZZ_CHECK(reply2.continues == (!reply.error && reply.continues));
	FUZZ_CHECK(fuzz_same_json(reply2.parameters, reply.parameters));
	json_object_put(back);
	json_object_put(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t max = 1;
	for (size_t i = 0; i < size; i++)
		max += data[i] == '\0';
	json_object **msgs = calloc(max, sizeof(*msgs));
	FUZZ_CHECK(msgs != NULL);

	size_t n = fuzz_decode_all(data, size, true, msgs, max);
	for (size_t i = 0; i < n; i++) {
		check_call(msgs[i]);
		json_object_put(msgs[i]);
	}
	n = fuzz_decode_all(data, size, false, msgs, max);
	for (size_t i = 0; i < n; i++) {
		check_reply(msgs[i]);
		json_object_put(msgs[i]);
	}
	free(msgs);
	return 0;
}
