/*
 * Reading every token a PKCS#11 module shows, with no login: token info and
 * every X.509 certificate object, plus whether a key with the certificate's
 * CKA_ID is on the token. Call only from the thread that owns the module.
 */
#pragma once

#include <p11-kit/pkcs11.h>

#include "token.h"

/*
 * Appends to OUT one entry per initialized-or-blank token that has a serial.
 * 0 on success; on failure a negative errno and *error (malloc'd) says what.
 */
int khoa_read_tokens(CK_FUNCTION_LIST *f, const char *module_name,
		     struct khoa_token_list *out, char **error);
