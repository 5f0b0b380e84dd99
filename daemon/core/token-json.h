/*
 * Snapshot data as protocol JSON, field names as in proto/io.khoa.Tokens.varlink
 * and proto/io.khoa.Certificates.varlink. NULL on ENOMEM.
 */
#pragma once

#include <json-c/json.h>

#include "token.h"

json_object *token_json(const struct khoa_token *t);

/* CK_TOKEN_INFO.flags decoded, as in io.khoa.Tokens TokenFlags. */
json_object *token_flags_json(unsigned long flags);

/* A certificate; with TOKEN non-NULL, as an io.khoa.Certificates entry that
 * names its token. */
json_object *cert_json(const struct khoa_cert *c, const struct khoa_token *token);
