/*
 * PINs in memory: copied out of the message that carried them into a page
 * locked in RAM (never swapped), the original wiped, and wiped again when
 * freed; the buffers the message passed through are wiped too. khoad also makes itself non-dumpable at start, so no core dump
 * holds one. A secret never goes to a log, the registry, an event or an
 * error text.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

struct secret;

/*
 * The string parameter KEY of PARAMS as a secret; the string inside the
 * message is wiped. NULL when absent or not a string (*error_enomem false),
 * or on ENOMEM (*error_enomem true).
 */
struct secret *secret_take(json_object *params, const char *key, bool *enomem);

const char *secret_str(const struct secret *s);
size_t secret_len(const struct secret *s);

/* Wipes and frees; NULL is fine. */
void secret_free(struct secret *s);

/* Makes libevent wipe its memory as it frees it: a client's messages are
 * read into libevent's buffers first, a PIN among them. Before any other
 * libevent call. (The message's own buffer and json-c's copy are wiped by
 * the decoder, proto/codec.c.) */
void secret_wipe_event_buffers(void);
