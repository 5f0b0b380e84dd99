/*
 * Unit tests of khoa_encode (proto/codec.h): what it writes reads back the
 * same through the decoder.
 */
#include "codec-test.h"

/* ----- khoa_encode ----- */

/* Encode MSG and check the framing: one NUL, last, counted in the length. */
static char *
encode(json_object *msg, size_t *len)
{
	*len = 0;
	char *bytes = khoa_encode(msg, len);
	assert_non_null(bytes);
	assert_true(*len >= 3);		/* "{}" and the NUL at least */
	assert_int_equal(bytes[*len - 1], '\0');
	assert_ptr_equal(memchr(bytes, '\0', *len), bytes + *len - 1);
	return bytes;
}

/* MSG encoded, then decoded again. */
static json_object *
round_trip(json_object *msg)
{
	size_t len;
	char *bytes = encode(msg, &len);
	struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);
	assert_decode(khoa_decoder_feed(dec, bytes, len), 0);
	json_object *back = next_message(dec);
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	assert_int_equal(khoa_decoder_pending(dec), 0);
	khoa_decoder_free(dec);
	free(bytes);
	return back;
}

static void
test_encode_round_trip(void **state)
{
	(void)state;
	json_object *msg = reference(
		"{\"method\":\"io.khoa.Tokens.List\",\"more\":true,\"parameters\":"
		"{\"n\":-9007199254740993,\"f\":0.5,\"list\":[1,\"two\",null,false,{}],"
		"\"nested\":{\"empty\":\"\",\"quote\":\"a\\\"b\\\\c\\n\\t\"}}}");
	json_object *back = round_trip(msg);
	assert_true(json_object_equal(msg, back));
	json_object_put(back);
	json_object_put(msg);

	msg = json_object_new_object();
	back = round_trip(msg);
	assert_int_equal(json_object_object_length(back), 0);
	json_object_put(back);
	json_object_put(msg);
}

/* A NUL inside a string must be escaped, or it would end the message early. */
static void
test_encode_escapes_nul(void **state)
{
	(void)state;
	json_object *msg = json_object_new_object();
	json_object_object_add(msg, "s", json_object_new_string_len("a\0b", 3));
	json_object *back = round_trip(msg);
	json_object *s;
	assert_true(json_object_object_get_ex(back, "s", &s));
	assert_int_equal(json_object_get_string_len(s), 3);
	assert_memory_equal(json_object_get_string(s), "a\0b", 3);
	json_object_put(back);
	json_object_put(msg);
}

static void
test_encode_vietnamese(void **state)
{
	(void)state;
	json_object *msg = json_object_new_object();
	json_object_object_add(msg, "name", json_object_new_string(vietnamese));

	size_t len;
	char *bytes = encode(msg, &len);
	/* raw UTF-8 or \u escapes are both fine; not some other bytes */
	assert_true(strstr(bytes, vietnamese) || strstr(bytes, "\\u1ec5"));
	free(bytes);

	json_object *back = round_trip(msg);
	assert_string_equal(string_field(back, "name"), vietnamese);
	json_object_put(back);
	json_object_put(msg);
}

static void
test_encode_does_not_escape_slashes(void **state)
{
	(void)state;
	static const char path[] = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";
	json_object *msg = json_object_new_object();
	json_object_object_add(msg, "path", json_object_new_string(path));

	size_t len;
	char *bytes = encode(msg, &len);
	assert_non_null(strstr(bytes, path));
	assert_null(strstr(bytes, "\\/"));
	free(bytes);

	json_object *back = round_trip(msg);
	assert_string_equal(string_field(back, "path"), path);
	json_object_put(back);
	json_object_put(msg);
}

/* Encoded messages written back to back decode one by one. */
static void
test_encode_concatenated(void **state)
{
	(void)state;
	struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);
	for (int i = 0; i < 3; i++) {
		json_object *msg = json_object_new_object();
		json_object_object_add(msg, "n", json_object_new_int(i));
		size_t len;
		char *bytes = encode(msg, &len);
		assert_decode(khoa_decoder_feed(dec, bytes, len), 0);
		free(bytes);
		json_object_put(msg);
	}
	for (int64_t i = 0; i < 3; i++) {
		json_object *msg = next_message(dec);
		assert_int_equal(int_field(msg, "n"), i);
		json_object_put(msg);
	}
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	khoa_decoder_free(dec);
}

static void
test_decode_str(void **state)
{
	(void)state;
	static const enum khoa_decode all[] = {
		KHOA_DECODE_MESSAGE, KHOA_DECODE_NEED_MORE, KHOA_DECODE_TOO_LARGE,
		KHOA_DECODE_MALFORMED, KHOA_DECODE_NO_MEMORY,
	};
	const size_t n = sizeof(all) / sizeof(all[0]);
	const char *unknown = khoa_decode_str((enum khoa_decode)42);

	assert_non_null(unknown);
	for (size_t i = 0; i < n; i++) {
		const char *s = khoa_decode_str(all[i]);
		assert_non_null(s);
		assert_true(*s);
		assert_string_not_equal(s, unknown);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(s, khoa_decode_str(all[j]));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_round_trip),
		cmocka_unit_test(test_encode_escapes_nul),
		cmocka_unit_test(test_encode_vietnamese),
		cmocka_unit_test(test_encode_does_not_escape_slashes),
		cmocka_unit_test(test_encode_concatenated),
		cmocka_unit_test(test_decode_str),
	};
	return cmocka_run_group_tests_name("encode", tests, NULL, NULL);
}
