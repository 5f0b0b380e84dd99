/*
 * Unit tests of varlink calls, replies and errors (proto/message.h) and of
 * table-driven parameter parsing (proto/params.h).
 *
 * This program is linked with -Wl,--wrap=json_object_new_string so that a
 * test can make the next string allocation of proto/message.c fail.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec.h"
#include "errors.h"
#include "message.h"
#include "params.h"

/* ----- allocation failure of json_object_new_string ----- */

json_object *__real_json_object_new_string(const char *s);
json_object *__wrap_json_object_new_string(const char *s);

/* How many more string allocations succeed; the one after fails. -1: all. */
static int strings_until_failure = -1;

json_object *
__wrap_json_object_new_string(const char *s)
{
	if (strings_until_failure == 0) {
		strings_until_failure = -1;
		errno = ENOMEM;
		return NULL;
	}
	if (strings_until_failure > 0)
		strings_until_failure--;
	return __real_json_object_new_string(s);
}

static int
reset_failures(void **state)
{
	(void)state;
	strings_until_failure = -1;
	return 0;
}

#define TEST(f)	cmocka_unit_test_teardown(f, reset_failures)

/* ----- helpers ----- */

static json_object *
parse(const char *text)
{
	json_object *obj = json_tokener_parse(text);
	assert_non_null(obj);
	return obj;
}

/* MSG (taken) sent over the wire: encoded, then decoded again. */
static json_object *
over_the_wire(json_object *msg)
{
	assert_non_null(msg);
	size_t len;
	char *bytes = khoa_encode(msg, &len);
	assert_non_null(bytes);
	json_object_put(msg);

	struct khoa_decoder *dec = khoa_decoder_new(KHOA_MESSAGE_MAX);
	assert_non_null(dec);
	assert_int_equal(khoa_decoder_feed(dec, bytes, len), 0);
	json_object *back = NULL;
	assert_int_equal(khoa_decoder_next(dec, &back), KHOA_DECODE_MESSAGE);
	khoa_decoder_free(dec);
	free(bytes);
	return back;
}

static const char *
str(json_object *obj, const char *key)
{
	const char *s = khoa_json_str(obj, key);
	assert_non_null(s);
	return s;
}

static void
assert_empty_object(json_object *obj)
{
	assert_non_null(obj);
	assert_true(json_object_is_type(obj, json_type_object));
	assert_int_equal(json_object_object_length(obj), 0);
}

/* ----- calls ----- */

static void
test_call_round_trip(void **state)
{
	(void)state;
	static const unsigned all_flags[] = {
		0, KHOA_CALL_MORE, KHOA_CALL_ONEWAY, KHOA_CALL_MORE | KHOA_CALL_ONEWAY,
	};
	for (size_t i = 0; i < sizeof(all_flags) / sizeof(all_flags[0]); i++) {
		json_object *params = json_object_new_object();
		json_object_object_add(params, "serial", json_object_new_string("0123ABCD"));
		json_object *msg = over_the_wire(khoa_call_new("io.khoa.Tokens.Get", params,
							       all_flags[i]));
		struct khoa_call call;
		const char *bad = NULL;

		assert_int_equal(khoa_call_parse(msg, &call, &bad), 0);
		assert_string_equal(call.method, "io.khoa.Tokens.Get");
		assert_int_equal(call.flags, all_flags[i]);
		assert_string_equal(str(call.parameters, "serial"), "0123ABCD");
		assert_int_equal(json_object_object_length(call.parameters), 1);
		json_object_put(msg);
	}
}

static void
test_call_without_parameters(void **state)
{
	(void)state;
	struct khoa_call call;
	const char *bad = NULL;

	/* built with NULL parameters: an empty object goes on the wire */
	json_object *msg = over_the_wire(khoa_call_new("io.khoa.Ping", NULL, 0));
	json_object *p;
	assert_true(json_object_object_get_ex(msg, "parameters", &p));
	assert_empty_object(p);
	assert_int_equal(khoa_call_parse(msg, &call, &bad), 0);
	assert_empty_object(call.parameters);
	json_object_put(msg);

	/* absent, or null, on the wire: parsed as an empty object */
	static const char *const texts[] = {
		"{\"method\":\"io.khoa.Ping\"}",
		"{\"method\":\"io.khoa.Ping\",\"parameters\":null}",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		msg = parse(texts[i]);
		assert_int_equal(khoa_call_parse(msg, &call, &bad), 0);
		assert_string_equal(call.method, "io.khoa.Ping");
		assert_int_equal(call.flags, 0);
		assert_empty_object(call.parameters);
		json_object_put(msg);
	}
}

/* Explicit false, or null, flags are no flags. */
static void
test_call_false_flags(void **state)
{
	(void)state;
	json_object *msg = parse("{\"method\":\"io.khoa.Ping\",\"more\":false,\"oneway\":null}");
	struct khoa_call call;
	const char *bad = NULL;
	assert_int_equal(khoa_call_parse(msg, &call, &bad), 0);
	assert_int_equal(call.flags, 0);
	json_object_put(msg);
}

static void
test_call_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *bad;
	} cases[] = {
		{ "{}", "method" },
		{ "{\"parameters\":{}}", "method" },
		{ "{\"method\":42,\"parameters\":{}}", "method" },
		{ "{\"method\":null}", "method" },
		{ "{\"method\":\"\"}", "method" },
		{ "{\"method\":[\"io.khoa.Ping\"]}", "method" },
		{ "{\"method\":\"io.khoa.Ping\",\"parameters\":[]}", "parameters" },
		{ "{\"method\":\"io.khoa.Ping\",\"parameters\":\"x\"}", "parameters" },
		{ "{\"method\":\"io.khoa.Ping\",\"parameters\":1}", "parameters" },
		{ "{\"method\":\"io.khoa.Ping\",\"more\":\"yes\"}", "more" },
		{ "{\"method\":\"io.khoa.Ping\",\"more\":1}", "more" },
		{ "{\"method\":\"io.khoa.Ping\",\"oneway\":\"true\"}", "oneway" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object *msg = parse(cases[i].text);
		struct khoa_call call;
		const char *bad = NULL;
		assert_int_equal(khoa_call_parse(msg, &call, &bad), -EBADMSG);
		assert_non_null(bad);
		assert_string_equal(bad, cases[i].bad);
		json_object_put(msg);
	}
}

/* ----- replies ----- */

static void
test_reply_round_trip(void **state)
{
	(void)state;
	json_object *params = json_object_new_object();
	json_object_object_add(params, "version", json_object_new_string("0.1.0"));
	json_object *msg = over_the_wire(khoa_reply_new(params, false));
	struct khoa_reply reply;
	const char *bad = NULL;

	assert_int_equal(khoa_reply_parse(msg, &reply, &bad), 0);
	assert_null(reply.error);
	assert_false(reply.continues);
	assert_string_equal(str(reply.parameters, "version"), "0.1.0");
	json_object_put(msg);
}

static void
test_reply_continues(void **state)
{
	(void)state;
	json_object *params = json_object_new_object();
	json_object_object_add(params, "n", json_object_new_int(7));
	json_object *msg = over_the_wire(khoa_reply_new(params, true));
	struct khoa_reply reply;
	const char *bad = NULL;
	json_object *n;

	assert_int_equal(khoa_reply_parse(msg, &reply, &bad), 0);
	assert_null(reply.error);
	assert_true(reply.continues);
	assert_true(json_object_object_get_ex(reply.parameters, "n", &n));
	assert_int_equal(json_object_get_int(n), 7);
	json_object_put(msg);

	/* and a last reply without parameters */
	msg = over_the_wire(khoa_reply_new(NULL, false));
	assert_int_equal(khoa_reply_parse(msg, &reply, &bad), 0);
	assert_false(reply.continues);
	assert_empty_object(reply.parameters);
	json_object_put(msg);
}

static void
test_reply_error(void **state)
{
	(void)state;
	json_object *params = json_object_new_object();
	json_object_object_add(params, "serial", json_object_new_string("0123ABCD"));
	json_object *msg = over_the_wire(khoa_error_new(KHOA_ERROR_NO_SUCH_TOKEN, params));
	struct khoa_reply reply;
	const char *bad = NULL;

	assert_int_equal(khoa_reply_parse(msg, &reply, &bad), 0);
	assert_non_null(reply.error);
	assert_string_equal(reply.error, KHOA_ERROR_NO_SUCH_TOKEN);
	assert_false(reply.continues);
	assert_string_equal(str(reply.parameters, "serial"), "0123ABCD");
	json_object_put(msg);

	/* as another implementation may send it: no parameters at all */
	msg = parse("{\"error\":\"org.varlink.service.MethodNotFound\"}");
	assert_int_equal(khoa_reply_parse(msg, &reply, &bad), 0);
	assert_string_equal(reply.error, VARLINK_ERROR_METHOD_NOT_FOUND);
	assert_empty_object(reply.parameters);
	json_object_put(msg);
}

static void
test_reply_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *bad;
	} cases[] = {
		{ "{\"error\":5}", "error" },
		{ "{\"error\":null}", "error" },
		{ "{\"error\":{}}", "error" },
		{ "{\"parameters\":[]}", "parameters" },
		{ "{\"error\":\"io.khoa.Internal\",\"parameters\":\"boom\"}", "parameters" },
		{ "{\"parameters\":{},\"continues\":\"yes\"}", "continues" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object *msg = parse(cases[i].text);
		struct khoa_reply reply;
		const char *bad = NULL;
		assert_int_equal(khoa_reply_parse(msg, &reply, &bad), -EBADMSG);
		assert_non_null(bad);
		assert_string_equal(bad, cases[i].bad);
		json_object_put(msg);
	}
}

/* ----- errors ----- */

static void
test_error_newf(void **state)
{
	(void)state;
	json_object *msg = khoa_error_newf(KHOA_ERROR_NO_SUCH_TOKEN, "serial", "0123ABCD",
					   "no token with serial %s in %d slots", "0123ABCD", 3);
	assert_non_null(msg);
	assert_string_equal(str(msg, "error"), KHOA_ERROR_NO_SUCH_TOKEN);

	json_object *p;
	assert_true(json_object_object_get_ex(msg, "parameters", &p));
	assert_string_equal(str(p, "message"), "no token with serial 0123ABCD in 3 slots");
	assert_string_equal(str(p, "serial"), "0123ABCD");
	assert_int_equal(json_object_object_length(p), 2);
	json_object_put(msg);
}

static void
test_error_newf_without_field(void **state)
{
	(void)state;
	json_object *msg = khoa_error_newf(KHOA_ERROR_INTERNAL, NULL, NULL, "%s", "shutting down");
	json_object *p;
	assert_non_null(msg);
	assert_true(json_object_object_get_ex(msg, "parameters", &p));
	assert_string_equal(str(p, "message"), "shutting down");
	assert_int_equal(json_object_object_length(p), 1);
	json_object_put(msg);

	/* a field with a NULL value is an empty string, not a missing field */
	msg = khoa_error_newf(KHOA_ERROR_PERMISSION_DENIED, "role", NULL, "denied");
	assert_non_null(msg);
	assert_true(json_object_object_get_ex(msg, "parameters", &p));
	assert_string_equal(str(p, "role"), "");
	json_object_put(msg);
}

static void
test_error_add_int(void **state)
{
	(void)state;
	json_object *err = khoa_error_newf(KHOA_ERROR_TIMEOUT, NULL, NULL, "timed out");
	assert_non_null(err);
	json_object *same = khoa_error_add_int(err, "seconds", 30);
	assert_ptr_equal(same, err);
	same = khoa_error_add_int(err, "big", INT64_C(1) << 40);
	assert_ptr_equal(same, err);

	json_object *msg = over_the_wire(err);
	json_object *p, *v;
	assert_true(json_object_object_get_ex(msg, "parameters", &p));
	assert_true(json_object_object_get_ex(p, "seconds", &v));
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_int64(v), 30);
	assert_true(json_object_object_get_ex(p, "big", &v));
	assert_int_equal(json_object_get_int64(v), INT64_C(1) << 40);
	assert_string_equal(str(p, "message"), "timed out");
	json_object_put(msg);
}

static void
test_error_add_int_null(void **state)
{
	(void)state;
	assert_null(khoa_error_add_int(NULL, "limit", KHOA_MESSAGE_MAX));
	/* the chained use khoad makes of it, when the inner builder failed */
	strings_until_failure = 0;
	assert_null(khoa_error_add_int(khoa_error_newf(KHOA_ERROR_MESSAGE_TOO_LARGE, NULL, NULL,
						       "too large"),
				       "limit", KHOA_MESSAGE_MAX));
}

static void
test_json_str(void **state)
{
	(void)state;
	json_object *obj = parse("{\"s\":\"x\",\"n\":1,\"z\":null}");
	assert_string_equal(khoa_json_str(obj, "s"), "x");
	assert_null(khoa_json_str(obj, "n"));
	assert_null(khoa_json_str(obj, "z"));
	assert_null(khoa_json_str(obj, "absent"));
	assert_null(khoa_json_str(NULL, "s"));
	json_object_put(obj);
}

/* Builders return NULL when an allocation fails. */
static void
test_builders_enomem(void **state)
{
	(void)state;
	for (int after = 0; after < 2; after++) {	/* the message, then the field */
		strings_until_failure = after;
		assert_null(khoa_error_newf(KHOA_ERROR_NO_SUCH_TOKEN, "serial", "x", "no %s", "x"));
		assert_int_equal(strings_until_failure, -1);	/* the failure was met */
	}
	for (unsigned flags = 0; flags < 4; flags++) {
		strings_until_failure = 0;
		assert_null(khoa_call_new("io.khoa.Ping", NULL, flags));
		assert_int_equal(strings_until_failure, -1);
	}
	strings_until_failure = 0;
	assert_null(khoa_error_new(KHOA_ERROR_INTERNAL, NULL));
	assert_int_equal(strings_until_failure, -1);
}

/* Whether the builder released its reference to PARAMS (we hold one more). */
static bool
released(json_object *params)
{
	if (json_object_put(params) == 1)
		return true;
	json_object_put(params);	/* leaked by the builder: clean up */
	return false;
}

/* message.h: "Builders take ownership of the parameters they are given",
 * also when the method name cannot be allocated. */
static void
test_call_new_leaks_parameters_on_enomem(void **state)
{
	(void)state;
	json_object *params = json_object_new_object();
	json_object_get(params);
	strings_until_failure = 0;
	assert_null(khoa_call_new("io.khoa.Ping", params, 0));
	assert_true(released(params));
}

/* The same for khoa_error_new (and so khoa_error_newf). */
static void
test_error_new_leaks_parameters_on_enomem(void **state)
{
	(void)state;
	json_object *params = json_object_new_object();
	json_object_get(params);
	strings_until_failure = 0;
	assert_null(khoa_error_new(KHOA_ERROR_INTERNAL, params));
	assert_true(released(params));
}

/* ----- khoa_params_parse ----- */

struct get_args {
	const char *serial;
	int64_t timeout;
	bool verbose;
};

static const struct khoa_param get_table[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct get_args, serial), true },
	{ "timeout", KHOA_PARAM_INT, offsetof(struct get_args, timeout), false },
	{ "verbose", KHOA_PARAM_BOOL, offsetof(struct get_args, verbose), false },
	{ NULL, 0, 0, false },
};

/* Defaults that no test input uses, to see which fields were written. */
static const struct get_args defaults = { .serial = "default", .timeout = -7, .verbose = true };

static void
test_params_good(void **state)
{
	(void)state;
	json_object *p = parse("{\"serial\":\"0123ABCD\",\"timeout\":30,\"verbose\":false}");
	struct get_args args = defaults;
	const char *bad = NULL;
	assert_int_equal(khoa_params_parse(p, get_table, &args, &bad), 0);
	assert_string_equal(args.serial, "0123ABCD");
	assert_int_equal(args.timeout, 30);
	assert_false(args.verbose);
	json_object_put(p);

	p = parse("{\"verbose\":true,\"serial\":\"\",\"timeout\":-9007199254740993}");
	args = defaults;
	assert_int_equal(khoa_params_parse(p, get_table, &args, &bad), 0);
	assert_string_equal(args.serial, "");
	assert_int_equal(args.timeout, INT64_C(-9007199254740993));
	assert_true(args.verbose);
	json_object_put(p);
}

static void
test_params_optional_absent(void **state)
{
	(void)state;
	json_object *p = parse("{\"serial\":\"0123ABCD\"}");
	struct get_args args = defaults;
	const char *bad = NULL;
	assert_int_equal(khoa_params_parse(p, get_table, &args, &bad), 0);
	assert_string_equal(args.serial, "0123ABCD");
	assert_int_equal(args.timeout, defaults.timeout);
	assert_true(args.verbose);
	json_object_put(p);
}

static void
test_params_optional_null(void **state)
{
	(void)state;
	json_object *p = parse("{\"serial\":\"0123ABCD\",\"timeout\":null,\"verbose\":null}");
	struct get_args args = defaults;
	const char *bad = NULL;
	assert_int_equal(khoa_params_parse(p, get_table, &args, &bad), 0);
	assert_string_equal(args.serial, "0123ABCD");
	assert_int_equal(args.timeout, defaults.timeout);
	assert_true(args.verbose);
	json_object_put(p);
}

static void
test_params_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *bad;
	} cases[] = {
		{ "{}", "serial" },				/* required, missing */
		{ "{\"timeout\":3}", "serial" },
		{ "{\"serial\":null}", "serial" },		/* required, null */
		{ "{\"serial\":42}", "serial" },		/* wrong types */
		{ "{\"serial\":[\"x\"]}", "serial" },
		{ "{\"serial\":\"x\",\"timeout\":\"30\"}", "timeout" },
		{ "{\"serial\":\"x\",\"timeout\":1.5}", "timeout" },
		{ "{\"serial\":\"x\",\"timeout\":true}", "timeout" },
		{ "{\"serial\":\"x\",\"verbose\":1}", "verbose" },
		{ "{\"serial\":\"x\",\"verbose\":\"true\"}", "verbose" },
		{ "{\"serial\":\"x\",\"colour\":\"red\"}", "colour" },	/* unknown */
		{ "{\"serial\":\"x\",\"colour\":null}", "colour" },
		{ "{\"Serial\":\"x\"}", "Serial" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object *p = parse(cases[i].text);
		struct get_args args = defaults;
		const char *bad = NULL;
		assert_int_equal(khoa_params_parse(p, get_table, &args, &bad), -EINVAL);
		assert_non_null(bad);
		assert_string_equal(bad, cases[i].bad);
		json_object_put(p);
	}
}

/* An object parameter is handed over as the object; anything else is refused. */
struct obj_args {
	json_object *fields;
};

static const struct khoa_param obj_table[] = {
	{ "fields", KHOA_PARAM_OBJECT, offsetof(struct obj_args, fields), false },
	{ NULL, 0, 0, false },
};

static void
test_params_object(void **state)
{
	(void)state;
	json_object *p = parse("{\"fields\":{\"sex\":\"Nữ\"}}");
	struct obj_args args = { NULL };
	const char *bad = NULL;
	assert_int_equal(khoa_params_parse(p, obj_table, &args, &bad), 0);
	assert_non_null(args.fields);
	assert_string_equal(json_object_get_string(json_object_object_get(args.fields, "sex")), "Nữ");
	json_object_put(p);

	p = parse("{\"fields\":\"sex\"}");
	assert_int_equal(khoa_params_parse(p, obj_table, &args, &bad), -EINVAL);
	assert_string_equal(bad, "fields");
	json_object_put(p);
	p = parse("{\"fields\":[1]}");
	assert_int_equal(khoa_params_parse(p, obj_table, &args, &bad), -EINVAL);
	json_object_put(p);
}

static void
test_params_no_table(void **state)
{
	(void)state;
	const char *bad = NULL;
	json_object *p = parse("{}");
	assert_int_equal(khoa_params_parse(p, NULL, NULL, &bad), 0);
	json_object_put(p);

	static const char *const texts[] = { "{\"x\":1}", "{\"x\":null}" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		p = parse(texts[i]);
		bad = NULL;
		assert_int_equal(khoa_params_parse(p, NULL, NULL, &bad), -EINVAL);
		assert_non_null(bad);
		assert_string_equal(bad, "x");
		json_object_put(p);
	}

	/* an empty table is the same as none */
	static const struct khoa_param empty[] = { { NULL, 0, 0, false } };
	p = parse("{\"y\":true}");
	bad = NULL;
	assert_int_equal(khoa_params_parse(p, empty, NULL, &bad), -EINVAL);
	assert_string_equal(bad, "y");
	json_object_put(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_call_round_trip),
		TEST(test_call_without_parameters),
		TEST(test_call_false_flags),
		TEST(test_call_refused),
		TEST(test_reply_round_trip),
		TEST(test_reply_continues),
		TEST(test_reply_error),
		TEST(test_reply_refused),
		TEST(test_error_newf),
		TEST(test_error_newf_without_field),
		TEST(test_error_add_int),
		TEST(test_error_add_int_null),
		TEST(test_json_str),
		TEST(test_builders_enomem),
		TEST(test_call_new_leaks_parameters_on_enomem),
		TEST(test_error_new_leaks_parameters_on_enomem),
		TEST(test_params_good),
		TEST(test_params_optional_absent),
		TEST(test_params_optional_null),
		TEST(test_params_refused),
		TEST(test_params_object),
		TEST(test_params_no_table),
	};
	return cmocka_run_group_tests_name("message", tests, NULL, NULL);
}
