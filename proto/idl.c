/* Look-ups in the embedded interface definitions. */
#include <string.h>

#include "idl.h"

const struct khoa_idl_interface *
khoa_idl_find(const char *name)
{
	for (const struct khoa_idl_interface *i = khoa_idl_interfaces; i->name; i++)
		if (strcmp(i->name, name) == 0)
			return i;
	return NULL;
}

bool
khoa_idl_has_method(const char *method)
{
	for (const struct khoa_idl_interface *i = khoa_idl_interfaces; i->name; i++)
		for (const char *const *m = i->methods; *m; m++)
			if (strcmp(*m, method) == 0)
				return true;
	return false;
}

/* An error is declared as "error Name (" in the file of the interface that
 * prefixes its full name. */
bool
khoa_idl_has_error(const char *error)
{
	const char *dot = strrchr(error, '.');
	if (!dot || dot == error)
		return false;

	for (const struct khoa_idl_interface *i = khoa_idl_interfaces; i->name; i++) {
		size_t len = strlen(i->name);
		if ((size_t)(dot - error) != len || strncmp(i->name, error, len) != 0)
			continue;
		size_t nlen = strlen(dot + 1);
		for (const char *p = i->description; (p = strstr(p, "error ")); p += 6) {
			if ((p == i->description || p[-1] == '\n') &&
			    strncmp(p + 6, dot + 1, nlen) == 0 &&
			    (p[6 + nlen] == ' ' || p[6 + nlen] == '('))
				return true;
		}
	}
	return false;
}
