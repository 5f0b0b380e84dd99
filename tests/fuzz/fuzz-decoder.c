/*
 * libFuzzer target: the message decoder (proto/codec.c, strict.c) fed the
 * input in pieces, as khoad's connection loop feeds it (daemon/rpc/server.c:
 * next until it needs more, then the next piece).
 *
 * The input: two bytes of header, then the bytes of the wire.
 *   byte 0  bit 7 set: khoa's decoder (khoa_decoder_new), clear: khoad's
 *           strict one; bits 0-6 below 64: a limit of 8 * (v + 1) bytes
 *           (8 to 512), so that messages over it are easy to make;
 *           otherwise KHOA_MESSAGE_MAX.
 *   byte 1  how the rest is cut: 0 all at once, 1 a byte at a time, N
 *           pieces of 1 to N bytes (a generator seeded by N and the size).
 * In the seed corpus byte 0 is 'A' (strict, 1 MiB) or '!'..'?' (small
 * limits), byte 1 a letter.
 *
 * Invariants, checked against the NUL bytes of the input:
 *   - a message handed out is the next whole NUL-terminated piece, at most
 *     the limit long, a JSON object; the strict decoder's is valid UTF-8
 *     (u8_check);
 *   - NEED_MORE: no NUL-terminated piece is left unread, and what is held
 *     (khoa_decoder_pending) is exactly the bytes after the last NUL, never
 *     over the limit after a feed that succeeded;
 *   - TOO_LARGE only when a piece fed (whole or not) is over the limit;
 *     MALFORMED only on a whole piece within it;
 *   - errors are sticky: nothing more comes, feed and next repeat them;
 *   - the pieces do not matter: the messages and the outcome are those of
 *     the input fed a NUL-terminated piece at a time, except that a piece
 *     over the limit may be refused (TOO_LARGE) before the messages ahead
 *     of it in the same feed are read; the same for the input fed at once;
 *   - a message encoded again (khoa_encode) decodes to itself;
 *   - no leak (libFuzzer's leak check), no overflow (ASan), no UB (UBSan).
 */
#include <stdint.h>
#include <string.h>
#include <unistr.h>

#include "fuzz.h"

#define HEADER 2

struct pieces {
	size_t left;
	unsigned mode;
	uint32_t state;
};

static size_t
next_piece(struct pieces *p)
{
	size_t n;
	if (p->mode == 0)
		n = p->left;
	else if (p->mode == 1)
		n = 1;
	else {
		p->state = p->state * 1103515245u + 12345u;
		n = 1 + (p->state >> 8) % p->mode;
	}
	return n < p->left ? n : p->left;
}

/* Whether a piece of DATA from POS on, up to FED bytes fed, is over LIMIT:
 * a whole one, or the unterminated tail as far as it was fed. */
static bool
some_piece_over(const uint8_t *data, size_t pos, size_t fed, size_t limit)
{
	while (pos < fed) {
		const uint8_t *nul = memchr(data + pos, '\0', fed - pos);
		size_t len = nul ? (size_t)(nul - (data + pos)) : fed - pos;
		if (len > limit)
			return true;
		pos += len + 1;
	}
	return false;
}

/* What a decoder makes of DATA: its messages (new references) and the
 * result that ended them (NEED_MORE when all was read). */
struct outcome {
	json_object **msgs;
	size_t n;
	enum khoa_decode end;
};

/* DATA fed at once (AT_NULS false), or a NUL-terminated piece at a time,
 * each read to the end before the next is fed (AT_NULS). */
static void
decode_simply(const uint8_t *data, size_t size, size_t limit, bool strict, bool at_nuls,
	      struct outcome *o)
{
	struct khoa_decoder *dec = strict ? khoa_decoder_new_strict(limit)
					  : khoa_decoder_new(limit);
	FUZZ_CHECK(dec != NULL);
	o->n = 0;
	o->end = KHOA_DECODE_NEED_MORE;
	for (size_t pos = 0; pos < size && o->end == KHOA_DECODE_NEED_MORE;) {
		const uint8_t *nul = at_nuls ? memchr(data + pos, '\0', size - pos) : NULL;
		size_t n = nul ? (size_t)(nul - (data + pos)) + 1 : size - pos;
		int r = khoa_decoder_feed(dec, data + pos, n);
		pos += n;
		json_object *msg;
		while (r == 0 && (r = khoa_decoder_next(dec, &msg)) == KHOA_DECODE_MESSAGE) {
			o->msgs[o->n++] = msg;
			r = 0;
		}
		o->end = (enum khoa_decode)r;
	}
	khoa_decoder_free(dec);
}

/* The pieces do not matter, but for when a message over the limit is
 * refused: fed with the ones ahead of it, it may be refused before they
 * are read. O's messages are REF's first ones, and O ends as REF does or
 * earlier, with TOO_LARGE. */
static void
check_as_reference(const struct outcome *o, const struct outcome *ref)
{
	FUZZ_CHECK(o->n <= ref->n);
	for (size_t i = 0; i < o->n; i++)
		FUZZ_CHECK(fuzz_same_json(o->msgs[i], ref->msgs[i]));
	if (o->n < ref->n || o->end != ref->end)
		FUZZ_CHECK(o->end == KHOA_DECODE_TOO_LARGE);
}

static void
outcome_free(struct outcome *o)
{
	for (size_t i = 0; i < o->n; i++)
		json_object_put(o->msgs[i]);
	free(o->msgs);
}

/* An error once returned is all the decoder says any more. */
static void
check_sticky(struct khoa_decoder *dec, enum khoa_decode r)
{
	json_object *msg = (json_object *)1;
	FUZZ_CHECK(khoa_decoder_next(dec, &msg) == r);
	FUZZ_CHECK(msg == NULL);
	FUZZ_CHECK(khoa_decoder_feed(dec, "{}", 3) == (int)r);
	FUZZ_CHECK(khoa_decoder_next(dec, &msg) == r);
	FUZZ_CHECK(msg == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *input, size_t input_size)
{
	if (input_size < HEADER)
		return 0;
	const bool strict = !(input[0] & 0x80);
	const unsigned v = input[0] & 0x7f;
	const size_t limit = v < 64 ? 8 * (v + 1) : KHOA_MESSAGE_MAX;
	const uint8_t *data = input + HEADER;
	const size_t size = input_size - HEADER;
	struct pieces pieces = {
		.left = size, .mode = input[1], .state = input[1] * 2654435761u ^ (uint32_t)size,
	};

	/* at most one message per NUL */
	size_t nuls = 0;
	for (size_t i = 0; i < size; i++)
		nuls += data[i] == '\0';
	struct outcome ref = { .msgs = calloc(nuls + 1, sizeof(json_object *)) };
	struct outcome whole = { .msgs = calloc(nuls + 1, sizeof(json_object *)) };
	struct outcome cut = { .msgs = calloc(nuls + 1, sizeof(json_object *)) };
	FUZZ_CHECK(ref.msgs && whole.msgs && cut.msgs);
	decode_simply(data, size, limit, strict, true, &ref);
	decode_simply(data, size, limit, strict, false, &whole);
	check_as_reference(&whole, &ref);

	struct khoa_decoder *dec = strict ? khoa_decoder_new_strict(limit)
					  : khoa_decoder_new(limit);
	FUZZ_CHECK(dec != NULL);
	size_t fed = 0, pos = 0, tail = 0;
	enum khoa_decode outcome;
	for (;;) {
		json_object *msg = (json_object *)1;
		enum khoa_decode r = khoa_decoder_next(dec, &msg);

		if (r == KHOA_DECODE_NEED_MORE) {
			FUZZ_CHECK(msg == NULL);
			FUZZ_CHECK(memchr(data + pos, '\0', fed - pos) == NULL);
			FUZZ_CHECK(khoa_decoder_pending(dec) == fed - pos);
			FUZZ_CHECK(fed - pos <= limit);
			if (fed == size) {
				outcome = r;
				break;
			}
			size_t n = next_piece(&pieces);
			int f = khoa_decoder_feed(dec, data + fed, n);
			const uint8_t *nul = memrchr(data + fed, '\0', n);
			tail = nul ? (size_t)(data + fed + n - nul) - 1 : tail + n;
			fed += n;
			pieces.left -= n;
			if (f < 0) {
				FUZZ_CHECK(f == KHOA_DECODE_TOO_LARGE);
				FUZZ_CHECK(tail > limit);
				check_sticky(dec, (enum khoa_decode)f);
				outcome = (enum khoa_decode)f;
				break;
			}
			FUZZ_CHECK(f == 0);
			FUZZ_CHECK(tail <= limit);
			FUZZ_CHECK(khoa_decoder_pending(dec) == tail);
			continue;
		}
		if (r == KHOA_DECODE_MESSAGE) {
			const uint8_t *nul = memchr(data + pos, '\0', fed - pos);
			FUZZ_CHECK(nul != NULL);
			size_t len = (size_t)(nul - (data + pos));
			FUZZ_CHECK(len <= limit);
			FUZZ_CHECK(msg != NULL && json_object_is_type(msg, json_type_object));
			if (strict)
				FUZZ_CHECK(u8_check(data + pos, len) == NULL);

			json_object *back = fuzz_round_trip(msg, strict);
			FUZZ_CHECK(back != NULL);
			FUZZ_CHECK(fuzz_same_json(msg, back));
			json_object_put(back);

			cut.msgs[cut.n++] = msg;
			pos += len + 1;
			continue;
		}
		FUZZ_CHECK(msg == NULL);
		FUZZ_CHECK(r == KHOA_DECODE_TOO_LARGE || r == KHOA_DECODE_MALFORMED);
		if (r == KHOA_DECODE_TOO_LARGE) {
			FUZZ_CHECK(some_piece_over(data, pos, fed, limit));
		} else {
			const uint8_t *nul = memchr(data + pos, '\0', fed - pos);
			FUZZ_CHECK(nul != NULL && (size_t)(nul - (data + pos)) <= limit);
		}
		check_sticky(dec, r);
		outcome = r;
		break;
	}
	khoa_decoder_free(dec);

	cut.end = outcome;
	check_as_reference(&cut, &ref);
	outcome_free(&cut);
	outcome_free(&whole);
	outcome_free(&ref);
	return 0;
}
