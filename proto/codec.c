/* NUL-framed JSON messages: incremental decoding with a size limit. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/printbuf.h>

#include "codec.h"

struct khoa_decoder {
	char *buf;
	size_t start;		/* first byte not yet consumed */
	size_t len;		/* end of valid bytes */
	size_t cap;
	size_t scanned;		/* bytes after start known to hold no NUL */
	size_t tail;		/* bytes after the last NUL: the message to come */
	size_t limit;
	json_tokener *tok;
	bool (*valid)(const char *text, size_t len);	/* NULL: json-c's check */
	enum khoa_decode failed;	/* sticky error, 0 while healthy */
};

struct khoa_decoder *
khoa_decoder_new(size_t limit)
{
	return khoa_decoder_new_checked(limit, NULL);
}

struct khoa_decoder *
khoa_decoder_new_checked(size_t limit, bool (*valid)(const char *text, size_t len))
{
	struct khoa_decoder *dec = calloc(1, sizeof(*dec));
	if (!dec)
		return NULL;
	dec->limit = limit;
	dec->valid = valid;
	dec->tok = json_tokener_new();
	if (!dec->tok) {
		free(dec);
		return NULL;
	}
	/* Peers are untrusted: no JSON extensions, and strings must be UTF-8. */
	json_tokener_set_flags(dec->tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	return dec;
}

void
khoa_decoder_free(struct khoa_decoder *dec)
{
	if (!dec)
		return;
	json_tokener_free(dec->tok);
	if (dec->buf)
		explicit_bzero(dec->buf, dec->cap);
	free(dec->buf);
	free(dec);
}

size_t
khoa_decoder_pending(const struct khoa_decoder *dec)
{
	return dec->tail;
}

/* Room for N more bytes: first slide consumed bytes out, then grow. The
 * bytes left behind are wiped, and the old buffer before it is freed: a
 * message may have carried a PIN (secret.h). */
static bool
reserve(struct khoa_decoder *dec, size_t n)
{
	if (dec->start > 0) {
		size_t keep = dec->len - dec->start;
		memmove(dec->buf, dec->buf + dec->start, keep);
		explicit_bzero(dec->buf + keep, dec->len - keep);
		dec->len = keep;
		dec->start = 0;
	}
	if (dec->cap - dec->len >= n)
		return true;

	size_t cap = dec->cap ? dec->cap : 4096;
	while (cap - dec->len < n)
		cap *= 2;
	char *buf = malloc(cap);
	if (!buf)
		return false;
	if (dec->buf) {
		memcpy(buf, dec->buf, dec->len);
		explicit_bzero(dec->buf, dec->cap);
		free(dec->buf);
	}
	dec->buf = buf;
	dec->cap = cap;
	return true;
}

int
khoa_decoder_feed(struct khoa_decoder *dec, const void *data, size_t len)
{
	if (dec->failed)
		return dec->failed;
	if (len == 0)
		return 0;
	if (!reserve(dec, len))
		return dec->failed = KHOA_DECODE_NO_MEMORY;
	memcpy(dec->buf + dec->len, data, len);
	dec->len += len;

	/* Refuse early: a sender must not make us hold more than a message. */
	const char *nul = memrchr(data, '\0', len);
	dec->tail = nul ? len - (size_t)(nul - (const char *)data) - 1 : dec->tail + len;
	if (dec->tail > dec->limit)
		return dec->failed = KHOA_DECODE_TOO_LARGE;
	return 0;
}

static int
hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/*
 * json-c turns an escaped surrogate that is not half of a pair ("\ud800")
 * into U+FFFD, silently. Such an escape in TEXT becomes "\u0000" (as
 * long), which the parameter tables refuse wherever it stands (params.c):
 * a string is either what was sent or refused, never quietly another.
 * Outside strings valid JSON has no backslash; invalid JSON is refused
 * by the parser anyway.
 */
static void
mark_lone_surrogates(char *text, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (text[i] != '\\')
			continue;
		if (text[++i] != 'u' || i + 5 > len)
			continue;
		int cp = hex4(text + i + 1);
		if (cp >= 0xD800 && cp <= 0xDBFF && i + 11 <= len && text[i + 5] == '\\' &&
		    text[i + 6] == 'u') {
			int low = hex4(text + i + 7);
			if (low >= 0xDC00 && low <= 0xDFFF) {
				i += 10;	/* a pair */
				continue;
			}
		}
		if (cp >= 0xD800 && cp <= 0xDFFF)
			memcpy(text + i + 1, "0000", 4);
		i += 4;
	}
}

enum khoa_decode
khoa_decoder_next(struct khoa_decoder *dec, json_object **out)
{
	*out = NULL;
	if (dec->failed)
		return dec->failed;

	size_t avail = dec->len - dec->start;
	if (avail == 0)
		return KHOA_DECODE_NEED_MORE;	/* (and buf may still be NULL) */
	char *begin = dec->buf + dec->start;
	char *nul = memchr(begin + dec->scanned, '\0', avail - dec->scanned);
	if (!nul) {
		dec->scanned = avail;
		return avail > dec->limit ? (dec->failed = KHOA_DECODE_TOO_LARGE)
					  : KHOA_DECODE_NEED_MORE;
	}

	size_t msglen = (size_t)(nul - begin);
	dec->start += msglen + 1;
	dec->scanned = 0;
	if (msglen > dec->limit)
		return dec->failed = KHOA_DECODE_TOO_LARGE;

	/* json-c checks the shape of UTF-8 sequences only (strict.c) */
	if (dec->valid && !dec->valid(begin, msglen))
		return dec->failed = KHOA_DECODE_MALFORMED;

	mark_lone_surrogates(begin, msglen);
	json_tokener_reset(dec->tok);
	json_object *obj = json_tokener_parse_ex(dec->tok, begin, (int)msglen);
	/* The message's bytes, and json-c's copy of its last string, go now:
	 * the parsed object is all that is kept (a PIN in it is wiped by
	 * secret_take()). */
	explicit_bzero(begin, msglen);
	if (dec->tok->pb && dec->tok->pb->buf)
		explicit_bzero(dec->tok->pb->buf, (size_t)dec->tok->pb->size);
	if (!obj || json_tokener_get_error(dec->tok) != json_tokener_success ||
	    json_tokener_get_parse_end(dec->tok) != msglen ||
	    !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return dec->failed = KHOA_DECODE_MALFORMED;
	}
	*out = obj;
	return KHOA_DECODE_MESSAGE;
}

char *
khoa_encode(json_object *msg, size_t *len)
{
	size_t n;
	const char *text = json_object_to_json_string_length(msg,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	if (!text)
		return NULL;
	char *bytes = malloc(n + 1);
	if (!bytes)
		return NULL;
	memcpy(bytes, text, n);
	bytes[n] = '\0';
	*len = n + 1;
	return bytes;
}

const char *
khoa_decode_str(enum khoa_decode r)
{
	switch (r) {
	case KHOA_DECODE_MESSAGE:	return "message";
	case KHOA_DECODE_NEED_MORE:	return "incomplete message";
	case KHOA_DECODE_TOO_LARGE:	return "message too large";
	case KHOA_DECODE_MALFORMED:	return "malformed message";
	case KHOA_DECODE_NO_MEMORY:	return "out of memory";
	}
	return "unknown";
}
