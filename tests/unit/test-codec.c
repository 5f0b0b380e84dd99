/*
 * Unit tests of the wire framing (proto/codec.h): the incremental decoder, by
 * behaviour (khoa_encode: test-encode.c).
 */
#include "codec-test.h"

/* ----- one message, any split ----- */

/* About 100 bytes, with multi-byte UTF-8 so that splits fall inside a code point. */
static const char hundred[] =
	"{\"method\":\"io.khoa.Tokens.Get\",\"parameters\":{\"serial\":\"0123ABCD\","
	"\"owner\":\"Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b H\xc6\xb0\xe1\xbb\x9dng\"}}";

/* (khoa_decoder_next before any byte: see test_next_before_first_byte) */
static void
test_new_decoder_is_empty(void **state)
{
	(void)state;
	struct khoa_decoder *dec = decoder(SMALL_LIMIT);
	assert_int_equal(khoa_decoder_pending(dec), 0);
	assert_decode(khoa_decoder_feed(dec, "", 0), 0);
	assert_int_equal(khoa_decoder_pending(dec), 0);
	assert_decode(FEED(dec, "{}"), 0);
	assert_int_equal(khoa_decoder_pending(dec), 2);
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	assert_decode(khoa_decoder_feed(dec, "", 0), 0);
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	assert_int_equal(khoa_decoder_pending(dec), 2);
	khoa_decoder_free(dec);
}

static void
test_free_null(void **state)
{
	(void)state;
	khoa_decoder_free(NULL);	/* must not crash */
	struct khoa_decoder *dec = decoder(SMALL_LIMIT);
	khoa_decoder_free(dec);
}

static void
test_one_message_one_feed(void **state)
{
	(void)state;
	struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);
	assert_decode(FEED(dec, "{\"method\":\"io.khoa.Ping\",\"parameters\":{}}\0"), 0);
	json_object *msg = next_message(dec);
	assert_string_equal(string_field(msg, "method"), "io.khoa.Ping");
	json_object_put(msg);
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	assert_int_equal(khoa_decoder_pending(dec), 0);
	khoa_decoder_free(dec);
}

static void
test_byte_by_byte(void **state)
{
	(void)state;
	json_object *expected = reference(hundred);
	struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);

	/* sizeof counts the NUL that ends the wire message */
	for (size_t i = 0; i < sizeof(hundred) - 1; i++) {
		assert_decode(khoa_decoder_feed(dec, hundred + i, 1), 0);
		assert_next(dec, KHOA_DECODE_NEED_MORE);
		assert_int_equal(khoa_decoder_pending(dec), i + 1);
	}
	assert_decode(khoa_decoder_feed(dec, "", 1), 0);
	assert_message_equals(dec, expected);
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	assert_int_equal(khoa_decoder_pending(dec), 0);

	khoa_decoder_free(dec);
	json_object_put(expected);
}

static void
test_every_split_point(void **state)
{
	(void)state;
	const size_t total = sizeof(hundred);	/* the NUL included */
	json_object *expected = reference(hundred);

	assert_in_range(total, 90, 110);
	for (size_t split = 0; split <= total; split++) {
		struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);

		assert_decode(khoa_decoder_feed(dec, hundred, split), 0);
		/* split 0: nothing held yet, see test_next_before_first_byte */
		if (split > 0 && split < total)
			assert_next(dec, KHOA_DECODE_NEED_MORE);
		assert_decode(khoa_decoder_feed(dec, hundred + split, total - split), 0);
		assert_message_equals(dec, expected);
		assert_next(dec, KHOA_DECODE_NEED_MORE);
		assert_int_equal(khoa_decoder_pending(dec), 0);
		khoa_decoder_free(dec);
	}
	json_object_put(expected);
}

/* ----- several messages ----- */

static void
test_several_messages_in_order(void **state)
{
	(void)state;
	struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);
	assert_decode(FEED(dec, "{\"n\":1}\0{\"n\":2,\"s\":\"\"}\0{\"n\":3}\0"), 0);
	for (int64_t n = 1; n <= 3; n++) {
		json_object *msg = next_message(dec);
		assert_int_equal(int_field(msg, "n"), n);
		json_object_put(msg);
	}
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	assert_int_equal(khoa_decoder_pending(dec), 0);
	khoa_decoder_free(dec);
}

static void
test_trailing_partial_stays_pending(void **state)
{
	(void)state;
	struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);
	assert_decode(FEED(dec, "{\"n\":1}\0{\"n\":"), 0);

	json_object *msg = next_message(dec);
	assert_int_equal(int_field(msg, "n"), 1);
	json_object_put(msg);
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	assert_int_equal(khoa_decoder_pending(dec), strlen("{\"n\":"));
	assert_next(dec, KHOA_DECODE_NEED_MORE);	/* asking again changes nothing */
	assert_int_equal(khoa_decoder_pending(dec), strlen("{\"n\":"));

	assert_decode(FEED(dec, "2}\0{\"n\":3}\0"), 0);
	for (int64_t n = 2; n <= 3; n++) {
		msg = next_message(dec);
		assert_int_equal(int_field(msg, "n"), n);
		json_object_put(msg);
	}
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	assert_int_equal(khoa_decoder_pending(dec), 0);
	khoa_decoder_free(dec);
}

/* Many messages through odd-sized feeds: the buffer slides and grows. */
static void
test_many_messages_odd_chunks(void **state)
{
	(void)state;
	enum { COUNT = 2000 };
	size_t cap = (size_t)COUNT * 32, len = 0;
	char *wire = malloc(cap);
	assert_non_null(wire);
	for (int i = 0; i < COUNT; i++) {
		int n = snprintf(wire + len, cap - len, "{\"n\":%d,\"pad\":\"%.*s\"}",
				 i, i % 7, "xxxxxxx");
		assert_in_range(n, 1, (int)(cap - len - 1));
		len += (size_t)n + 1;	/* keep the NUL snprintf wrote */
	}

	/* once draining after every feed (as khoad does), once draining at the end */
	for (int drain_each = 1; drain_each >= 0; drain_each--) {
		struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);
		int64_t seen = 0;
		for (size_t off = 0; off < len; off += 13) {
			size_t n = len - off < 13 ? len - off : 13;
			assert_decode(khoa_decoder_feed(dec, wire + off, n), 0);
			for (json_object *msg; drain_each &&
			     khoa_decoder_next(dec, &msg) == KHOA_DECODE_MESSAGE; seen++) {
				assert_int_equal(int_field(msg, "n"), seen);
				json_object_put(msg);
			}
		}
		for (json_object *msg; khoa_decoder_next(dec, &msg) == KHOA_DECODE_MESSAGE; seen++) {
			assert_int_equal(int_field(msg, "n"), seen);
			json_object_put(msg);
		}
		assert_int_equal(seen, COUNT);
		assert_next(dec, KHOA_DECODE_NEED_MORE);
		assert_int_equal(khoa_decoder_pending(dec), 0);
		khoa_decoder_free(dec);
	}
	free(wire);
}

/* ----- size limit ----- */

static void
test_limit_exact_is_accepted(void **state)
{
	(void)state;
	char *wire = sized_message(SMALL_LIMIT);

	/* in one feed */
	struct khoa_decoder *dec = decoder(SMALL_LIMIT);
	assert_decode(khoa_decoder_feed(dec, wire, SMALL_LIMIT + 1), 0);
	json_object_put(next_message(dec));
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	khoa_decoder_free(dec);

	/* byte by byte: holding LIMIT bytes without their NUL is still fine */
	dec = decoder(SMALL_LIMIT);
	for (size_t i = 0; i <= SMALL_LIMIT; i++) {
		assert_decode(khoa_decoder_feed(dec, wire + i, 1), 0);
		if (i < SMALL_LIMIT)
			assert_next(dec, KHOA_DECODE_NEED_MORE);
	}
	json_object_put(next_message(dec));
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	khoa_decoder_free(dec);

	free(wire);
}

static void
test_limit_plus_one_with_nul(void **state)
{
	(void)state;
	char *wire = sized_message(SMALL_LIMIT + 1);
	struct khoa_decoder *dec = decoder(SMALL_LIMIT);
	json_object *msg;

	assert_decode(feed_then_next(dec, wire, SMALL_LIMIT + 2, &msg), KHOA_DECODE_TOO_LARGE);
	assert_null(msg);
	assert_sticky(dec, KHOA_DECODE_TOO_LARGE);
	khoa_decoder_free(dec);
	free(wire);
}

static void
test_limit_plus_one_without_nul(void **state)
{
	(void)state;
	char *wire = sized_message(SMALL_LIMIT + 1);

	/* all 65 bytes at once: the feed itself refuses them */
	struct khoa_decoder *dec = decoder(SMALL_LIMIT);
	assert_decode(khoa_decoder_feed(dec, wire, SMALL_LIMIT + 1), KHOA_DECODE_TOO_LARGE);
	assert_sticky(dec, KHOA_DECODE_TOO_LARGE);
	khoa_decoder_free(dec);

	/* byte by byte: the 65th byte is refused, before any NUL */
	dec = decoder(SMALL_LIMIT);
	for (size_t i = 0; i < SMALL_LIMIT; i++)
		assert_decode(khoa_decoder_feed(dec, wire + i, 1), 0);
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	assert_decode(khoa_decoder_feed(dec, wire + SMALL_LIMIT, 1), KHOA_DECODE_TOO_LARGE);
	assert_sticky(dec, KHOA_DECODE_TOO_LARGE);
	khoa_decoder_free(dec);

	free(wire);
}

/* The limit is per message: two messages of LIMIT bytes in one feed pass. */
static void
test_limit_is_per_message(void **state)
{
	(void)state;
	char *one = sized_message(SMALL_LIMIT);
	struct khoa_decoder *dec = decoder(SMALL_LIMIT);

	assert_decode(khoa_decoder_feed(dec, one, SMALL_LIMIT + 1), 0);
	assert_decode(khoa_decoder_feed(dec, one, SMALL_LIMIT + 1), 0);
	json_object_put(next_message(dec));
	json_object_put(next_message(dec));
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	khoa_decoder_free(dec);
	free(one);
}

/* A good message, then in the same feed the start of one too large. */
static void
test_limit_after_good_message(void **state)
{
	(void)state;
	char *big = sized_message(SMALL_LIMIT + 1);
	char wire[3 + SMALL_LIMIT + 1];
	memcpy(wire, "{}\0", 3);
	memcpy(wire + 3, big, SMALL_LIMIT + 1);	/* no NUL for this one */

	struct khoa_decoder *dec = decoder(SMALL_LIMIT);
	int r = khoa_decoder_feed(dec, wire, sizeof(wire));
	assert_true(r == 0 || r == KHOA_DECODE_TOO_LARGE);
	if (r == 0) {
		/* the good message may still be handed out first */
		json_object_put(next_message(dec));
	}
	assert_sticky(dec, KHOA_DECODE_TOO_LARGE);
	khoa_decoder_free(dec);
	free(big);
}

/* Feed WIRE in chunks of 64 KiB, as khoad reads; the first error, or next's. */
static int
feed_chunked(struct khoa_decoder *dec, const char *wire, size_t len, json_object **out)
{
	const size_t chunk = 64 * 1024;
	*out = NULL;
	for (size_t off = 0; off < len; off += chunk) {
		int r = khoa_decoder_feed(dec, wire + off, len - off < chunk ? len - off : chunk);
		if (r)
			return r;
	}
	return (int)khoa_decoder_next(dec, out);
}

static void
test_real_limit(void **state)
{
	(void)state;
	struct khoa_decoder *dec;
	json_object *msg;

	/* one byte over: refused */
	char *wire = sized_message(KHOA_MESSAGE_MAX + 1);
	dec = decoder(KHOA_MESSAGE_MAX);
	assert_decode(feed_chunked(dec, wire, KHOA_MESSAGE_MAX + 2, &msg), KHOA_DECODE_TOO_LARGE);
	assert_null(msg);
	assert_sticky(dec, KHOA_DECODE_TOO_LARGE);
	khoa_decoder_free(dec);
	free(wire);

	/* just under, and exactly the limit: accepted, content intact */
	for (size_t len = KHOA_MESSAGE_MAX - 1; len <= KHOA_MESSAGE_MAX; len++) {
		wire = sized_message(len);
		dec = decoder(KHOA_MESSAGE_MAX);
		assert_decode(feed_chunked(dec, wire, len + 1, &msg), KHOA_DECODE_MESSAGE);
		assert_int_equal(strlen(string_field(msg, "k")), len - strlen("{\"k\":\"\"}"));
		json_object_put(msg);
		assert_next(dec, KHOA_DECODE_NEED_MORE);
		khoa_decoder_free(dec);
		free(wire);
	}
}

/* ----- malformed ----- */

struct bad_case {
	const char *what;
	const char *wire;
	size_t len;		/* the NUL included */
};

#define BAD(what, lit)	{ what, lit, sizeof(lit) - 1 }

static const struct bad_case malformed[] = {
	BAD("not JSON", "hello\0"),
	BAD("half an object", "{\"a\":\0"),
	BAD("a JSON array", "[1,2]\0"),
	BAD("an empty array", "[]\0"),
	BAD("a bare string", "\"io.khoa.Ping\"\0"),
	BAD("a bare number", "42\0"),
	BAD("a bare true", "true\0"),
	BAD("a bare null", "null\0"),
	BAD("an empty message", "\0"),
	BAD("only whitespace", " \n\0"),
	BAD("garbage after the object", "{}x\0"),
	BAD("two objects in one message", "{\"a\":1}{}\0"),
	BAD("invalid UTF-8 (0xff)", "{\"a\":\"\xff\"}\0"),
	BAD("invalid UTF-8 (bad continuation)", "{\"a\":\"\xc3\x28\"}\0"),
	BAD("invalid UTF-8 (truncated sequence)", "{\"a\":\"\xe1\xbb\"}\0"),
	BAD("single-quoted string value", "{\"a\":'x'}\0"),
	BAD("comment inside", "{\"a\":1/*c*/}\0"),
	BAD("comment before", "/*c*/{}\0"),
	BAD("line comment before", "//c\n{}\0"),
	BAD("trailing comma", "{\"a\":1,}\0"),
	BAD("unquoted key", "{a:1}\0"),
	BAD("hex number", "{\"a\":0x10}\0"),
	BAD("capitalised literal", "{\"a\":True}\0"),
	BAD("invalid escape", "{\"a\":\"\\x41\"}\0"),
};

static void
test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		const struct bad_case *c = &malformed[i];
		struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);
		json_object *msg;

		assert_decode_for(c->what, feed_then_next(dec, c->wire, c->len, &msg),
				  KHOA_DECODE_MALFORMED);
		assert_null(msg);
		assert_sticky(dec, KHOA_DECODE_MALFORMED);
		khoa_decoder_free(dec);
	}
}

/* A bad message between good ones: the ones before come out, none after. */
static void
test_malformed_between_good(void **state)
{
	(void)state;
	struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);
	assert_decode(FEED(dec, "{\"n\":1}\0[]\0{\"n\":3}\0"), 0);
	json_object *msg = next_message(dec);
	assert_int_equal(int_field(msg, "n"), 1);
	json_object_put(msg);
	assert_sticky(dec, KHOA_DECODE_MALFORMED);
	khoa_decoder_free(dec);
}

/* JSON allows whitespace around the value, and escapes such as \u0000. */
static void
test_valid_json_edges(void **state)
{
	(void)state;
	struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);
	assert_decode(FEED(dec, " \t{ \"a\" : [ 1 , \"\\u0000\\/\\u00e9\" ] }\r\n\0{}\0"), 0);

	json_object *msg = next_message(dec), *a, *s;
	assert_true(json_object_object_get_ex(msg, "a", &a));
	assert_int_equal(json_object_array_length(a), 2);
	s = json_object_array_get_idx(a, 1);
	assert_int_equal(json_object_get_string_len(s), 4);
	assert_memory_equal(json_object_get_string(s), "\0/\xc3\xa9", 4);
	json_object_put(msg);

	msg = next_message(dec);
	assert_int_equal(json_object_object_length(msg), 0);
	json_object_put(msg);
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	khoa_decoder_free(dec);
}

/* ----- defects found and fixed: kept so they stay fixed ----- */

static void
expect_malformed(const char *what, const char *wire, size_t len)
{
	struct khoa_decoder *dec = decoder(KHOA_MESSAGE_MAX);
	json_object *msg;
	int r = feed_then_next(dec, wire, len, &msg);
	json_object_put(msg);
	khoa_decoder_free(dec);
	assert_decode_for(what, r, KHOA_DECODE_MALFORMED);
}

#define EXPECT_MALFORMED(what, lit)	expect_malformed(what, lit, sizeof(lit) - 1)

/* JSON_TOKENER_VALIDATE_UTF8 checks the shape of sequences only; the codec
 * checks the rest of RFC 3629. */
static void
test_invalid_utf8_forms(void **state)
{
	(void)state;
	EXPECT_MALFORMED("overlong '/'", "{\"a\":\"\xc0\xaf\"}\0");
	EXPECT_MALFORMED("UTF-16 surrogate", "{\"a\":\"\xed\xa0\x80\"}\0");
	EXPECT_MALFORMED("beyond U+10FFFF", "{\"a\":\"\xf4\x90\x80\x80\"}\0");
}

/*
 * Before the first byte is fed the buffer is NULL; next must not hand it to
 * memchr (UBSan would report it). khoad and khoa both call next first.
 */
static void
test_next_before_first_byte(void **state)
{
	(void)state;
	struct khoa_decoder *dec = decoder(SMALL_LIMIT);
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	assert_decode(khoa_decoder_feed(dec, "", 0), 0);
	assert_next(dec, KHOA_DECODE_NEED_MORE);
	assert_int_equal(khoa_decoder_pending(dec), 0);
	khoa_decoder_free(dec);
}

/*
 * Feed refuses once the bytes after the last NUL exceed the limit, even with
 * a whole message still unread before them.
 */
static void
test_feed_skips_limit_behind_unread_message(void **state)
{
	(void)state;
	char *big = sized_message(SMALL_LIMIT + 1);
	struct khoa_decoder *dec = decoder(SMALL_LIMIT);
	assert_decode(FEED(dec, "{}\0"), 0);
	int r = khoa_decoder_feed(dec, big, SMALL_LIMIT + 1);	/* no NUL */
	khoa_decoder_free(dec);
	free(big);
	assert_decode_for("65 bytes fed behind an unread message", r, KHOA_DECODE_TOO_LARGE);
}

/*
 * Pending counts only the message to come, not whole ones not read yet
 * (khoad asks it on EOF to warn of a peer that hung up mid-message).
 */
static void
test_pending_counts_whole_messages(void **state)
{
	(void)state;
	struct khoa_decoder *dec = decoder(SMALL_LIMIT);
	assert_decode(FEED(dec, "{}\0{\"n\""), 0);
	size_t pending = khoa_decoder_pending(dec);
	khoa_decoder_free(dec);
	assert_int_equal(pending, strlen("{\"n\""));
}

/* khoa's decoder (no libunistring) still refuses what is not UTF-8 at all,
 * and reads Vietnamese; only the strict one refuses overlong forms. */
static void
test_plain_decoder(void **state)
{
	struct khoa_decoder *dec = khoa_decoder_new(SMALL_LIMIT);
	assert_non_null(dec);
	FEED(dec, "{\"a\":\"Nguy\xe1\xbb\x85n\"}\0");
	json_object *msg = next_message(dec);
	assert_string_equal(json_object_get_string(json_object_object_get(msg, "a")), "Nguy\xe1\xbb\x85n");
	json_object_put(msg);
	FEED(dec, "{\"a\":\"\xff\"}\0");
	assert_next(dec, KHOA_DECODE_MALFORMED);
	khoa_decoder_free(dec);

	dec = decoder(SMALL_LIMIT);
	FEED(dec, "{\"a\":\"\xed\xa0\x80\"}\0");
	assert_next(dec, KHOA_DECODE_MALFORMED);
	khoa_decoder_free(dec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_decoder_is_empty),
		cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_one_message_one_feed),
		cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_every_split_point),
		cmocka_unit_test(test_several_messages_in_order),
		cmocka_unit_test(test_trailing_partial_stays_pending),
		cmocka_unit_test(test_many_messages_odd_chunks),
		cmocka_unit_test(test_limit_exact_is_accepted),
		cmocka_unit_test(test_limit_plus_one_with_nul),
		cmocka_unit_test(test_limit_plus_one_without_nul),
		cmocka_unit_test(test_limit_is_per_message),
		cmocka_unit_test(test_limit_after_good_message),
		cmocka_unit_test(test_real_limit),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_malformed_between_good),
		cmocka_unit_test(test_valid_json_edges),
		cmocka_unit_test(test_invalid_utf8_forms),
		cmocka_unit_test(test_next_before_first_byte),
		cmocka_unit_test(test_feed_skips_limit_behind_unread_message),
		cmocka_unit_test(test_pending_counts_whole_messages),
		cmocka_unit_test(test_plain_decoder),
	};
	return cmocka_run_group_tests_name("codec", tests, NULL, NULL);
}
