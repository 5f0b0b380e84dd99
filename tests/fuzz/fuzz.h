/*
 * What the libFuzzer targets of tests/fuzz share (docs/fuzzing.md): the
 * entry point's prototype, an assertion that survives NDEBUG, decoding a
 * whole input into its messages.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant broken: a crash libFuzzer keeps, with what broke. */
#define FUZZ_CHECK(cond)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
				__FILE__, __LINE__, #cond);			\
			abort();						\
		}								\
	} while (0)

/*
 * An invariant khoa's code is known to break (tests/fuzz/crashes/README.md):
 * checked only with KHOA_FUZZ_KNOWN set in the environment, so that the
 * targets find new faults meanwhile, and the reproducers show the known
 * ones. Once one is fixed, its check becomes a FUZZ_CHECK.
 */
static inline bool
fuzz_known(void)
{
	static int set = -1;
	if (set < 0)
		set = getenv("KHOA_FUZZ_KNOWN") != NULL;
	return set;
}

#define FUZZ_CHECK_KNOWN(cond)							\
	do {									\
		if (fuzz_known())						\
			FUZZ_CHECK(cond);					\
	} while (0)

/* The messages of DATA as the decoder (strict: khoad's, otherwise khoa's)
 * yields them, the whole input fed at once; up to MAX, new references in
 * OUT. Their number. */
static inline size_t
fuzz_decode_all(const uint8_t *data, size_t size, bool strict, json_object **out, size_t max)
{
	struct khoa_decoder *dec = strict ? khoa_decoder_new_strict(KHOA_MESSAGE_MAX)
					  : khoa_decoder_new(KHOA_MESSAGE_MAX);
	size_t n = 0;

	if (!dec)
		return 0;
	if (khoa_decoder_feed(dec, data, size) == 0) {
		json_object *msg;
		while (n < max && khoa_decoder_next(dec, &msg) == KHOA_DECODE_MESSAGE)
			out[n++] = msg;
	}
	khoa_decoder_free(dec);
	return n;
}

/* MSG on the wire and back through a fresh decoder (STRICT or not) whose
 * limit is what was encoded, escapes and all (more than what was decoded
 * may be); NULL when refused. */
static inline json_object *
fuzz_round_trip(json_object *msg, bool strict)
{
	size_t len;
	char *bytes = khoa_encode(msg, &len);
	FUZZ_CHECK(bytes != NULL);
	FUZZ_CHECK(len >= 1 && bytes[len - 1] == '\0');
	struct khoa_decoder *dec = strict ? khoa_decoder_new_strict(len)
					  : khoa_decoder_new(len);
	FUZZ_CHECK(dec != NULL);
	json_object *back = NULL;
	if (khoa_decoder_feed(dec, bytes, len) == 0 &&
	    khoa_decoder_next(dec, &back) != KHOA_DECODE_MESSAGE)
		back = NULL;
	khoa_decoder_free(dec);
	free(bytes);
	return back;
}

/* Whether A and B serialize alike (json_object_equal() holds NaN unequal to
 * itself). */
static inline bool
fuzz_same_json(json_object *a, json_object *b)
{
	const int flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;
	size_t la, lb;
	if (a == b)
		return true;
	const char *sa = json_object_to_json_string_length(a, flags, &la);
	/* json_object_to_json_string_length keeps its text in the object */
	const char *sb = json_object_to_json_string_length(b, flags, &lb);
	return sa && sb && la == lb && memcmp(sa, sb, la) == 0;
}
