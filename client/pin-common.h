/*
 * What khoa pin, pin-request and tray share: the words of PINs and
 * PIN-recovery requests (Mẫu 09), translated (PIN states as io.khoa.Pin
 * names them, request states and steps as io.khoa.PinRequests names them,
 * the hint that says how a locked PIN is recovered), the token a command is
 * about, and the --pin-fd option.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

#include "client.h"

/* "ok", "tries low", "final try — one try left", "LOCKED"…; STATE itself
 * when it is not one khoa knows. */
const char *pin_state_text(const char *state);

/* "filed", "confirmed"… (a request's state). */
const char *request_state_text(const char *state);

/* "confirm", "submit"… (a step of a request). */
const char *request_action_text(const char *action);

/* A request's history as a table (ACTION, FROM → TO, WHEN, BY, NOTE), its
 * filing first: PIN-recovery and certificate requests alike. */
void request_print_history(json_object *req);

/* "To recover a locked PIN, file a request: khoa pin-request new SERIAL"
 * (R-PIN-RECOVERY), in BUF. */
const char *pin_recovery_hint(char *buf, size_t size, const char *serial);

/*
 * The PIN state (io.khoa.Pin.PinState) of the token SERIAL, or of the one
 * token present when SERIAL is NULL: EXIT_OK and *token (a new reference),
 * or the exit status having said why not (none present; several: EXIT_USAGE,
 * listing them).
 */
int pin_token(struct client *cl, const char *prog, const char *serial, json_object **token);

/* --pin-fd N as the command line left it in OPTS ("pin_fd"), taken out: *fd,
 * -1 when not given. False, having said so, when N is not an open file
 * descriptor. */
bool pin_fd_option(const char *prog, json_object *opts, int *fd);

/* More arguments than the command takes: a PIN given on the command line,
 * perhaps. Says so without repeating them; EXIT_USAGE. */
int pin_extra_arguments(const struct command *cmd, const char *prog);

/* Whether TOKEN (its PinState) could take PIN: printable ASCII (a
 * Vietnamese input method left on types other letters) within its length
 * limits; says why not, before the PIN is sent and costs a try. */
bool pin_acceptable(const char *prog, const char *pin, json_object *token);
