/* Helpers shared by the templates of forms/ (internal). */
#pragma once

#include <string.h>
#include <json-c/json.h>

#include "reasons.h"

/* The string KEY of OBJ, or NULL when absent, null or not a string. */
static inline const char *jstr(json_object *obj, const char *key)
{
	json_object *v;
	if (!obj || !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The same, or "" for a field left to fill by hand. */
static inline const char *jstr0(json_object *obj, const char *key)
{
	const char *s = jstr(obj, key);
	return s && *s ? s : "";
}

static inline json_object *jobj(json_object *obj, const char *key)
{
	json_object *v;
	if (!obj || !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

static inline json_object *jarr(json_object *obj, const char *key)
{
	json_object *v;
	if (!obj || !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* A person's sex as the forms write it ("Giới tính: Nam"), for its code
 * (io.khoa.People); anything else (a form filed before the codes) as it is. */
static inline const char *sex_vi(const char *s)
{
	if (s && !strcmp(s, "male"))
		return "Nam";
	if (s && !strcmp(s, "female"))
		return "Nữ";
	return s;
}

/* "của tổ chức" / "của cá nhân" for io.khoa.Managers certificate kinds. */
static inline const char *kind_vi(const char *k)
{
	if (k && !strcmp(k, "organization"))
		return "của tổ chức";
	if (k && !strcmp(k, "person"))
		return "của cá nhân";
	return "…………"; /* a kind no form knows: to fill by hand, never a code */
}

#define DOTS "…………"
