/* Table-driven parsing of method parameters. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "params.h"

static const struct khoa_param *
find(const struct khoa_param *table, const char *name)
{
	for (const struct khoa_param *p = table; p && p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* Whether V holds, at any depth, a string with a NUL inside: "\u0000",
 * or a lone surrogate as the decoder marks it (codec.c). As C strings
 * they would be cut short, and mean another value than the one sent. */
static bool
has_nul(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		return strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v);
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (has_nul(json_object_array_get_idx(v, i)))
				return true;
		return false;
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			(void)key;
			if (val && has_nul(val))
				return true;
		}
		return false;
	}
	default:
		return false;
	}
}

static bool
store(const struct khoa_param *p, json_object *v, void *out)
{
	char *dst = (char *)out + p->offset;

	if (has_nul(v))
		return false;
	switch (p->type) {
	case KHOA_PARAM_STRING:
		if (!json_object_is_type(v, json_type_string))
			return false;
		*(const char **)dst = json_object_get_string(v);
		return true;
	case KHOA_PARAM_INT:
		/* INT64_MIN is the handlers' "not given" (and what json-c makes
		 * of any integer below it): never a value from the wire; nor is
		 * an integer above INT64_MAX, which json-c would make that. */
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) == INT64_MIN ||
		    (json_object_get_int64(v) == INT64_MAX &&
		     json_object_get_uint64(v) != (uint64_t)INT64_MAX))
			return false;
		*(int64_t *)dst = json_object_get_int64(v);
		return true;
	case KHOA_PARAM_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			return false;
		*(bool *)dst = json_object_get_boolean(v);
		return true;
	case KHOA_PARAM_OBJECT:
		if (!json_object_is_type(v, json_type_object))
			return false;
		*(json_object **)dst = v;
		return true;
	case KHOA_PARAM_ARRAY:
		if (!json_object_is_type(v, json_type_array))
			return false;
		*(json_object **)dst = v;
		return true;
	}
	return false;
}

int
khoa_params_parse(json_object *params, const struct khoa_param *table,
		  void *out, const char **bad_field)
{
	json_object_object_foreach(params, key, val) {
		const struct khoa_param *p = find(table, key);
		/* null stands for an absent optional field, as varlink allows */
		if (!p || (val ? !store(p, val, out) : p->required)) {
			*bad_field = key;
			return -EINVAL;
		}
	}
	for (const struct khoa_param *p = table; p && p->name; p++) {
		json_object *v;
		if (p->required && !(json_object_object_get_ex(params, p->name, &v) && v)) {
			*bad_field = p->name;
			return -EINVAL;
		}
	}
	return 0;
}
