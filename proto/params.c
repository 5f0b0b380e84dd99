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

static bool
store(const struct khoa_param *p, json_object *v, void *out)
{
	char *dst = (char *)out + p->offset;

	switch (p->type) {
	case KHOA_PARAM_STRING:
		if (!json_object_is_type(v, json_type_string))
			return false;
		*(const char **)dst = json_object_get_string(v);
		return true;
	case KHOA_PARAM_INT:
		if (!json_object_is_type(v, json_type_int))
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
