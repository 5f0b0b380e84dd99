/* Sanitizing device text: padding, UTF-8 validity, hex. */
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "text.h"

char *
khoa_text_from_bytes(const void *bytes, size_t len)
{
	const uint8_t *s = bytes;
	/* Worst case every byte is bad and becomes the 3-byte U+FFFD. */
	char *out = malloc(len * 3 + 1);
	if (!out)
		return NULL;

	size_t o = 0;
	for (size_t i = 0; i < len;) {
		ucs4_t uc;
		int n = u8_mbtouc(&uc, s + i, len - i);
		if (uc == 0xfffd && !(n == 3 && memcmp(s + i, "\xef\xbf\xbd", 3) == 0)) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		} else if (uc == 0) {
			break;	/* a NUL ends text coming from C APIs */
		} else {
			memcpy(out + o, s + i, (size_t)n);
			o += (size_t)n;
		}
		i += (size_t)n;
	}
	out[o] = '\0';
	return out;
}

char *
khoa_text_from_padded(const unsigned char *field, size_t len)
{
	while (len > 0 && (field[len - 1] == ' ' || field[len - 1] == '\0'))
		len--;
	return khoa_text_from_bytes(field, len);
}

char *
khoa_text_hex(const unsigned char *bytes, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *out = malloc(len * 2 + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 0xf];
	}
	out[len * 2] = '\0';
	return out;
}
