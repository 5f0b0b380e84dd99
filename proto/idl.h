/*
 * The varlink interface definitions of khoad, embedded at build time from
 * the proto/ .varlink files (the single source of method and error names).
 * khoa_idl_interfaces ends with an entry whose name is NULL.
 */
#pragma once

#include <stdbool.h>

struct khoa_idl_interface {
	const char *name;			/* "io.khoa.Tokens" */
	const char *const *methods;		/* full names, NULL-terminated */
	const char *description;		/* the IDL text */
};

extern const struct khoa_idl_interface khoa_idl_interfaces[];

/* The interface named exactly NAME, or NULL. */
const struct khoa_idl_interface *khoa_idl_find(const char *name);

/* Whether some interface declares the method (full name). */
bool khoa_idl_has_method(const char *method);

/* Whether some interface declares the error (full name, "io.khoa.Timeout"). */
bool khoa_idl_has_error(const char *error);
