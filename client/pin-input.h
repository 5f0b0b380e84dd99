/*
 * PINs in khoa: read from the terminal without echo, or one per line from a
 * file descriptor (--pin-fd N, for scripts); never from the command line or
 * the environment. They live in memory of their own, locked when the system
 * allows it and left out of core dumps, and the text of the call that
 * carries them is built there too, not by json-c: everything is wiped as
 * soon as the call is sent.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "client.h"
#include "khoa-limits.h"

/* The longest PIN read, in bytes: the most any token takes. */
#define PIN_MAX KHOA_PIN_LEN_MAX

struct pins;

/* Memory for the PINs of one command; PIN_FD is --pin-fd, or -1 for the
 * terminal. NULL when out of memory. */
struct pins *pins_new(int pin_fd);
/* Wipes and frees; P may be NULL. Then, if reading was stopped by a signal
 * (Ctrl-C at a prompt), that signal is raised again with its default action. */
void pins_free(struct pins *p);

/*
 * Reads one PIN: on the terminal after PROMPT, without echo; else the next
 * line of --pin-fd. 0 and *PIN (in the locked memory, NUL-terminated), or a
 * negative errno: -ENXIO no terminal to ask on, -ENODATA the input ended,
 * -EMSGSIZE longer than PIN_MAX, -EINTR stopped by a signal (Ctrl-C), other
 * read errors.
 */
int pins_read(struct pins *p, const char *prompt, const char **pin);

/*
 * A new PIN: on the terminal asked twice (PROMPT, then AGAIN) until both
 * match, three times at most, saying so when they differ (-EINVAL when they
 * never did); from --pin-fd one line. Errors as pins_read.
 */
int pins_read_new(struct pins *p, const char *prompt, const char *again, const char **pin);

/* Whether PIN is only letters, digits and ASCII signs, as tokens take (a
 * Vietnamese input method left on types other letters). */
bool pins_ascii(const char *pin);

/* Says on stderr why reading a PIN failed (R from pins_read). PROG: "khoa pin change". */
void pins_read_failed(const char *prog, int r);

/* A parameter of the call: a string (STR), or a JSON literal (LITERAL: "true"). */
struct pin_param {
	const char *key;
	const char *str;
	const char *literal;
};

/*
 * Calls METHOD with PARAMS (ending with a NULL key) as client_call does,
 * the call's text built in P's memory; P (PINs and text) is wiped as soon
 * as the call is sent, before the reply is awaited.
 */
int pins_call(struct client *cl, struct pins *p, const char *method,
	      const struct pin_param *params, json_object **out);
