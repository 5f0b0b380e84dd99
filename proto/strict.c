/* The strict decoder (codec.h): overlong forms and surrogates, which
 * json-c's check of UTF-8's shape lets through, must not reach the
 * registry's NFC normalization. */
#include <stdint.h>
#include <unistr.h>

#include "codec.h"

static bool
strict_utf8(const char *text, size_t len)
{
	return u8_check((const uint8_t *)text, len) == NULL;
}

struct khoa_decoder *
khoa_decoder_new_strict(size_t limit)
{
	return khoa_decoder_new_checked(limit, strict_utf8);
}
