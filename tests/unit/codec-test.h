/*
 * Helpers shared by the codec's unit tests (test-codec.c, test-encode.c):
 * decoders with a limit, reading messages back, assertions by behaviour.
 */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec.h"

#define SMALL_LIMIT	64

/* Feed a string literal, its terminating NUL excluded (write "\0" for one). */
#define FEED(dec, lit)	khoa_decoder_feed((dec), (lit), sizeof(lit) - 1)


/* A result of feed (0 or an error) or of next, by name. */
static __attribute__((unused)) const char *
result_name(int r)
{
	return r == 0 ? "0 (fed / need more)" : khoa_decode_str((enum khoa_decode)r);
}

/* Compare by name, so that a failure is readable. */
#define assert_decode(actual, expected) \
	assert_string_equal(result_name(actual), result_name(expected))

/* The same, naming the case WHAT in the message of a failure. */
static __attribute__((unused)) void
assert_decode_for(const char *what, int actual, int expected)
{
	char got[256], want[256];
	snprintf(got, sizeof(got), "%s: %s", what, result_name(actual));
	snprintf(want, sizeof(want), "%s: %s", what, result_name(expected));
	assert_string_equal(got, want);
}

static const char vietnamese[] = "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b H\xc6\xb0\xe1\xbb\x9dng";

static __attribute__((unused)) struct khoa_decoder *
decoder(size_t limit)
{
	struct khoa_decoder *dec = khoa_decoder_new_strict(limit);
	assert_non_null(dec);
	return dec;
}

/* The next message, which must be there. */
static __attribute__((unused)) json_object *
next_message(struct khoa_decoder *dec)
{
	json_object *msg = (json_object *)1;
	assert_decode(khoa_decoder_next(dec, &msg), KHOA_DECODE_MESSAGE);
	assert_non_null(msg);
	assert_true(json_object_is_type(msg, json_type_object));
	return msg;
}

/* The next result is not a message: *out must then be NULL. */
static __attribute__((unused)) void
assert_next(struct khoa_decoder *dec, enum khoa_decode expected)
{
	json_object *msg = (json_object *)1;
	assert_decode(khoa_decoder_next(dec, &msg), expected);
	assert_null(msg);
}

static __attribute__((unused)) int64_t
int_field(json_object *msg, const char *key)
{
	json_object *v;
	assert_true(json_object_object_get_ex(msg, key, &v));
	assert_true(json_object_is_type(v, json_type_int));
	return json_object_get_int64(v);
}

static __attribute__((unused)) const char *
string_field(json_object *msg, const char *key)
{
	json_object *v;
	assert_true(json_object_object_get_ex(msg, key, &v));
	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

/* json-c's own (lenient) reading of TEXT, to compare decoded messages with. */
static __attribute__((unused)) json_object *
reference(const char *text)
{
	json_object *obj = json_tokener_parse(text);
	assert_non_null(obj);
	return obj;
}

static __attribute__((unused)) void
assert_message_equals(struct khoa_decoder *dec, json_object *expected)
{
	json_object *msg = next_message(dec);
	assert_true(json_object_equal(msg, expected));
	json_object_put(msg);
}

/*
 * A wire message whose JSON text is exactly LEN bytes, {"k":"xxx..."},
 * followed by its NUL: LEN + 1 bytes, malloc'd.
 */
static __attribute__((unused)) char *
sized_message(size_t len)
{
	static const char head[] = "{\"k\":\"", tail[] = "\"}";
	size_t fixed = sizeof(head) - 1 + sizeof(tail) - 1;

	assert_true(len >= fixed);
	char *buf = malloc(len + 1);
	assert_non_null(buf);
	memcpy(buf, head, sizeof(head) - 1);
	memset(buf + sizeof(head) - 1, 'x', len - fixed);
	memcpy(buf + len - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
	buf[len] = '\0';
	return buf;
}

/* Feed LEN bytes, then ask for the next message: the first error of the two. */
static __attribute__((unused)) int
feed_then_next(struct khoa_decoder *dec, const void *data, size_t len, json_object **out)
{
	*out = NULL;
	int r = khoa_decoder_feed(dec, data, len);
	return r ? r : (int)khoa_decoder_next(dec, out);
}

/* The decoder has failed with WHY and keeps failing, even on a good message. */
static __attribute__((unused)) void
assert_sticky(struct khoa_decoder *dec, enum khoa_decode why)
{
	assert_next(dec, why);
	assert_decode(FEED(dec, "{}\0"), why);
	assert_next(dec, why);
	assert_next(dec, why);
}
