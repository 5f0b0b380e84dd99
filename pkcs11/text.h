/*
 * Text from devices and certificates, made safe to show and to put in JSON:
 * fixed-width PKCS#11 fields lose their padding, and bytes that are not UTF-8
 * become U+FFFD. Every function returns malloc'd text or NULL on ENOMEM.
 */
#pragma once

#include <stddef.h>

/* A blank-padded CK_UTF8CHAR field of LEN bytes (not NUL-terminated). */
char *khoa_text_from_padded(const unsigned char *field, size_t len);

/* LEN bytes that ought to be UTF-8. */
char *khoa_text_from_bytes(const void *bytes, size_t len);

/* LEN bytes as lower-case hex ("" for none). */
char *khoa_text_hex(const unsigned char *bytes, size_t len);
