/*
 * The varlink interface definitions of khoad, parsed at build time from the
 * proto/ .varlink files (embed-idl.py), the single source of method names,
 * parameters, replies and errors: their text for GetInterfaceDescription,
 * and every method's input and output and every error's parameters as
 * types, so that khoad checks its parameter tables against the inputs at
 * start-up and, in check builds, every reply against the outputs (as
 * systemd's sd-varlink validates both). Tables end with a NULL name.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "params.h"

enum khoa_idl_kind {
	KHOA_IDL_BOOL,
	KHOA_IDL_INT,
	KHOA_IDL_FLOAT,
	KHOA_IDL_STRING,
	KHOA_IDL_OBJECT,	/* any JSON object */
	KHOA_IDL_ENUM,		/* a string, one of VALUES */
	KHOA_IDL_STRUCT,	/* FIELDS */
	KHOA_IDL_ARRAY,		/* []ELEMENT */
	KHOA_IDL_MAP,		/* [string]ELEMENT */
};

struct khoa_idl_field;

struct khoa_idl_type {
	enum khoa_idl_kind kind;
	const char *name;			/* of a declared type ("Token"), else NULL */
	const struct khoa_idl_field *fields;	/* STRUCT */
	const char *const *values;		/* ENUM */
	const struct khoa_idl_type *element;	/* ARRAY, MAP */
	bool element_optional;			/* []?T */
};

struct khoa_idl_field {
	const char *name;
	const struct khoa_idl_type *type;
	bool optional;				/* ?T: null or absent */
};

struct khoa_idl_method {
	const char *name;			/* "io.khoa.Tokens.List" */
	const struct khoa_idl_type *in, *out;	/* structs */
};

struct khoa_idl_error {
	const char *name;			/* "io.khoa.NoSuchToken" */
	const struct khoa_idl_type *params;	/* a struct */
};

struct khoa_idl_interface {
	const char *name;			/* "io.khoa.Tokens" */
	const struct khoa_idl_method *methods;	/* at least one */
	const struct khoa_idl_error *errors;
	const char *description;		/* the IDL text */
};

extern const struct khoa_idl_interface khoa_idl_interfaces[];

/* The interface, method or error named exactly NAME (full names), or NULL. */
const struct khoa_idl_interface *khoa_idl_find(const char *name);
const struct khoa_idl_method *khoa_idl_method(const char *name);
const struct khoa_idl_error *khoa_idl_error(const char *name);

/* Whether some interface declares the method / the error. */
bool khoa_idl_has_method(const char *method);
bool khoa_idl_has_error(const char *error);

/*
 * Whether VALUE is of TYPE: a struct's every member declared, and present
 * and not null unless optional; an enum's string one of its values; a
 * float any number. 0, or -EINVAL with where and how it differs in WHY
 * ("tokens[2].registration.status: not a string").
 */
int khoa_idl_validate(const struct khoa_idl_type *type, json_object *value, char *why,
		      size_t size);

/*
 * Whether TABLE (NULL: none) parses exactly the input of METHOD: every field
 * of the IDL in the table and nothing else, of the matching type (STRING:
 * string or enum; INT: int; BOOL: bool; OBJECT: a struct, object or map;
 * ARRAY: an array), required exactly when the IDL does not make it
 * optional. 0, or -EINVAL with the first difference in WHY.
 */
int khoa_idl_check_params(const struct khoa_idl_method *method, const struct khoa_param *table,
			  char *why, size_t size);
