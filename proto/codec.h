/*
 * The varlink wire framing shared by khoad and khoa: every message is one JSON
 * object followed by a NUL byte.
 *
 * A decoder takes bytes as they arrive (any split, several messages at once)
 * and hands back whole messages in order. A message longer than the decoder's
 * limit, or one that is not a JSON object, is an error after which the decoder
 * yields nothing more: the peer is to be answered once and dropped.
 *
 * Strings must be valid UTF-8 (RFC 3629). json-c, even in strict mode, also
 * takes a few things RFC 8259 does not (NaN, Infinity, "1.", a single-quoted
 * key, raw control characters inside strings); they still decode to plain
 * values and nothing downstream depends on their absence.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "khoa-limits.h"	/* KHOA_MESSAGE_MAX */

enum khoa_decode {
	KHOA_DECODE_MESSAGE = 1,	/* *out is a new reference to the object */
	KHOA_DECODE_NEED_MORE = 0,	/* no complete message is buffered */
	KHOA_DECODE_TOO_LARGE = -1,	/* a message exceeds the limit */
	KHOA_DECODE_MALFORMED = -2,	/* not JSON, or JSON but not an object */
	KHOA_DECODE_NO_MEMORY = -3,
};

struct khoa_decoder;

/*
 * A decoder refusing messages longer than LIMIT bytes; NULL on ENOMEM. Its
 * strings are UTF-8 by json-c's check of their shape. The strict one also
 * refuses overlong forms and surrogates (libunistring's u8_check, in
 * strict.c): for khoad, whose input from any local user goes on to NFC
 * normalization; khoa reads khoad's answers with the plain one, and so
 * does not load libunistring to start.
 */
struct khoa_decoder *khoa_decoder_new(size_t limit);
struct khoa_decoder *khoa_decoder_new_strict(size_t limit);
/* (strict.c's: a decoder whose messages must also pass VALID, which is
 * given the message's bytes.) */
struct khoa_decoder *khoa_decoder_new_checked(size_t limit,
					      bool (*valid)(const char *text, size_t len));
void khoa_decoder_free(struct khoa_decoder *dec);

/*
 * Append LEN bytes. Returns 0, or KHOA_DECODE_TOO_LARGE once the bytes held
 * without a terminating NUL exceed the limit, or KHOA_DECODE_NO_MEMORY.
 */
int khoa_decoder_feed(struct khoa_decoder *dec, const void *data, size_t len);

/* The next whole message, or why there is none (see enum khoa_decode). */
enum khoa_decode khoa_decoder_next(struct khoa_decoder *dec, json_object **out);

/* Bytes held after the last NUL: the start of a message yet to complete. */
size_t khoa_decoder_pending(const struct khoa_decoder *dec);

/*
 * MSG serialized as one wire message: malloc'd bytes ending in the NUL,
 * *len counting the NUL. NULL on ENOMEM.
 */
char *khoa_encode(json_object *msg, size_t *len);

/* A human-readable name for a decode result, for logs. */
const char *khoa_decode_str(enum khoa_decode r);
