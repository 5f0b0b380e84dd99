/*
 * A command line parsed by its rows (command.h): the options into the
 * parameters of the method the command calls, the required ones checked,
 * the other arguments counted; and the small helpers commands share to
 * build parameters.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "client.h"

/* A registry ID as typed: true and *id, or false having said it is not one. */
bool options_id(const char *prog, const char *text, int64_t *id);

/* TEXT as a registry ID, put in PARAMS as FIELD; false having said why not. */
bool options_take_id(const char *prog, const char *text, json_object *params,
		     const char *field);

/* Adds KEY: VALUE to OBJ; out of memory ends khoa. */
void param_str(json_object *obj, const char *key, const char *value);
void param_int(json_object *obj, const char *key, int64_t value);
void param_bool(json_object *obj, const char *key, bool value);
/* Appends VALUE to the array KEY of OBJ, made when missing. */
void param_append(json_object *obj, const char *key, const char *value);
/* A new empty object; out of memory ends khoa. */
json_object *param_new(void);

/* What a subcommand on one record does ("khoa request show ID", "khoa
 * request reject ID --note TEXT"): METHOD is called with the options and
 * "id", and HUMAN shows the answer. */
struct id_call {
	const char *method;
	void (*human)(struct client *cl, json_object *answer);
};

/* Runs C on the record whose ID is TEXT, with PARAMS (taken); the exit
 * status. */
int options_run_id(struct client *cl, const char *prog, json_object *params, const char *text,
		   const struct id_call *c);
