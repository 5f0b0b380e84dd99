/*
 * The form of a PIN-recovery request (Mẫu 09, the protocol's Form in
 * proto/io.khoa.PinRequests.varlink): a JSON object of strings, pre-filled
 * from what the token and the registry say, then completed or overridden by
 * the fields the caller gives, each validated as the registry validates
 * what people type (validate.h). The subscriber's name is kept in capitals,
 * as the form asks. Loop thread only.
 */
#pragma once

#include <stdbool.h>
#include <json-c/json.h>

struct call;
struct khoad;
struct khoa_token;

/*
 * Fills FORM (an empty object) from T: token_serial, and certificate_* from
 * its first certificate; then from the registry's record of T's holder, a
 * person or an organization (an unregistered token gives the name on its
 * certificate). 0, or a negative errno (the store's, -ENOMEM) with FORM
 * partly filled.
 */
int pin_form_prefill(struct khoad *d, json_object *form, const struct khoa_token *t);

/*
 * FIELDS (the caller's overrides; NULL for none) over FORM: each a field of
 * the form, a string or null (null clears it), validated, and none of those
 * read from the token; a new birth date must agree with the CCCD. Then the
 * form must name the subscriber. 0 when FORM may be filed; otherwise as a
 * handler returns (server.h: C answered with io.khoa.InvalidField naming
 * the field, or a negative errno).
 */
int pin_form_apply(struct call *c, json_object *form, json_object *fields);
