/*
 * Reading an X.509 certificate (DER, from CKA_VALUE) into struct khoa_cert,
 * with OpenSSL, printing each field the way the `openssl` command does so that
 * it can witness our output. Fills every field but id, label, has_private_key.
 */
#pragma once

#include <stddef.h>

#include "token.h"

/* 0, -EBADMSG when DER is not a certificate, -ENOMEM. On error OUT is clear. */
int khoa_cert_read_der(const unsigned char *der, size_t len, struct khoa_cert *out);
