/*
 * Method parameters parsed by a table, in the manner of systemd's JsonDispatch:
 * each entry names a field, its type, whether it is required and where it goes
 * in the caller's struct. One call parses any method's parameters; on a wrong
 * type, a missing required field or an unknown field it returns -EINVAL and
 * names the field, which is what org.varlink.service.InvalidParameter carries.
 *
 * A value is refused (-EINVAL, named) when it holds a string with a NUL
 * inside, at any depth ("\u0000", or a lone surrogate escape, which the
 * decoder marks so), or is the integer INT64_MIN, which handlers keep for
 * "not given".
 *
 * Strings are borrowed from the parameters object: keep it alive while used.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

enum khoa_param_type {
	KHOA_PARAM_STRING,	/* const char * */
	KHOA_PARAM_INT,		/* int64_t */
	KHOA_PARAM_BOOL,	/* bool */
	KHOA_PARAM_OBJECT,	/* json_object * (borrowed), a JSON object */
	KHOA_PARAM_ARRAY,	/* json_object * (borrowed), a JSON array; the
				 * handler checks its elements */
};

struct khoa_param {
	const char *name;
	enum khoa_param_type type;
	size_t offset;
	bool required;
};

/* TABLE ends with an entry whose name is NULL; a NULL TABLE means "none". */
int khoa_params_parse(json_object *params, const struct khoa_param *table,
		      void *out, const char **bad_field);
