/* Look-ups in the embedded interface definitions, and checks against them. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
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

/* The interface NAME ("io.khoa.Tokens.List") belongs to by its prefix. */
static const struct khoa_idl_interface *
owner(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name)
		return NULL;
	for (const struct khoa_idl_interface *i = khoa_idl_interfaces; i->name; i++) {
		size_t len = strlen(i->name);
		if ((size_t)(dot - name) == len && strncmp(i->name, name, len) == 0)
			return i;
	}
	return NULL;
}

const struct khoa_idl_method *
khoa_idl_method(const char *name)
{
	const struct khoa_idl_interface *i = owner(name);
	for (const struct khoa_idl_method *m = i ? i->methods : NULL; m && m->name; m++)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

const struct khoa_idl_error *
khoa_idl_error(const char *name)
{
	const struct khoa_idl_interface *i = owner(name);
	for (const struct khoa_idl_error *e = i ? i->errors : NULL; e && e->name; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

bool
khoa_idl_has_method(const char *method)
{
	return khoa_idl_method(method) != NULL;
}

bool
khoa_idl_has_error(const char *error)
{
	return khoa_idl_error(error) != NULL;
}

/* ---- validation ---------------------------------------------------------- */

/* Where in the value a check is: "tokens[2].registration". */
struct path {
	char text[256];
	size_t len;
};

static size_t
path_push(struct path *p, const char *fmt, ...)
{
	size_t before = p->len;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(p->text + p->len, sizeof(p->text) - p->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		p->len = p->len + (size_t)n < sizeof(p->text) ? p->len + (size_t)n
							   : sizeof(p->text) - 1;
	return before;
}

static int
differs(const struct path *p, char *why, size_t size, const char *what)
{
	snprintf(why, size, "%s%s%s", p->len ? p->text : "", p->len ? ": " : "", what);
	return -EINVAL;
}

static int validate(const struct khoa_idl_type *t, json_object *v, struct path *p, char *why,
		    size_t size);

static int
validate_struct(const struct khoa_idl_field *fields, json_object *v, struct path *p, char *why,
		size_t size)
{
	if (!json_object_is_type(v, json_type_object))
		return differs(p, why, size, "not an object");
	json_object_object_foreach(v, key, given) {
		const struct khoa_idl_field *f = fields;
		while (f->name && strcmp(f->name, key) != 0)
			f++;
		if (!f->name) {
			size_t at = path_push(p, "%s%s", p->len ? "." : "", key);
			int r = differs(p, why, size, "not declared by the interface");
			p->len = at;
			p->text[at] = '\0';
			return r;
		}
		(void)given;
	}
	for (const struct khoa_idl_field *f = fields; f->name; f++) {
		json_object *member = NULL;
		bool there = json_object_object_get_ex(v, f->name, &member) && member;
		size_t at = path_push(p, "%s%s", p->len ? "." : "", f->name);
		int r = 0;
		if (!there && !f->optional)
			r = differs(p, why, size, "missing");
		else if (there)
			r = validate(f->type, member, p, why, size);
		p->len = at;
		p->text[at] = '\0';
		if (r < 0)
			return r;
	}
	return 0;
}

static int
validate(const struct khoa_idl_type *t, json_object *v, struct path *p, char *why, size_t size)
{
	switch (t->kind) {
	case KHOA_IDL_BOOL:
		return json_object_is_type(v, json_type_boolean) ? 0 : differs(p, why, size, "not a bool");
	case KHOA_IDL_INT:
		return json_object_is_type(v, json_type_int) ? 0 : differs(p, why, size, "not an int");
	case KHOA_IDL_FLOAT:
		return json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)
			       ? 0 : differs(p, why, size, "not a number");
	case KHOA_IDL_STRING:
		return json_object_is_type(v, json_type_string) ? 0
								 : differs(p, why, size, "not a string");
	case KHOA_IDL_OBJECT:
		return json_object_is_type(v, json_type_object) ? 0
								 : differs(p, why, size, "not an object");
	case KHOA_IDL_ENUM:
		if (!json_object_is_type(v, json_type_string))
			return differs(p, why, size, "not a string");
		for (const char *const *e = t->values; *e; e++)
			if (strcmp(*e, json_object_get_string(v)) == 0)
				return 0;
		return differs(p, why, size, "not one of the enum's values");
	case KHOA_IDL_STRUCT:
		return validate_struct(t->fields, v, p, why, size);
	case KHOA_IDL_ARRAY:
		if (!json_object_is_type(v, json_type_array))
			return differs(p, why, size, "not an array");
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *e = json_object_array_get_idx(v, i);
			size_t at = path_push(p, "[%zu]", i);
			int r = !e ? (t->element_optional ? 0 : differs(p, why, size, "null"))
				   : validate(t->element, e, p, why, size);
			p->len = at;
			p->text[at] = '\0';
			if (r < 0)
				return r;
		}
		return 0;
	case KHOA_IDL_MAP:
		if (!json_object_is_type(v, json_type_object))
			return differs(p, why, size, "not an object");
		json_object_object_foreach(v, key, e) {
			size_t at = path_push(p, "[\"%s\"]", key);
			int r = !e ? (t->element_optional ? 0 : differs(p, why, size, "null"))
				   : validate(t->element, e, p, why, size);
			p->len = at;
			p->text[at] = '\0';
			if (r < 0)
				return r;
		}
		return 0;
	}
	return differs(p, why, size, "a type the interface cannot have");
}

int
khoa_idl_validate(const struct khoa_idl_type *type, json_object *value, char *why, size_t size)
{
	struct path p = { .len = 0 };
	p.text[0] = '\0';
	if (!value)
		return differs(&p, why, size, "null");
	return validate(type, value, &p, why, size);
}

/* ---- parameter tables ------------------------------------------------------ */

static bool
param_fits(enum khoa_param_type p, const struct khoa_idl_type *t)
{
	switch (p) {
	case KHOA_PARAM_STRING:
		return t->kind == KHOA_IDL_STRING || t->kind == KHOA_IDL_ENUM;
	case KHOA_PARAM_INT:
		return t->kind == KHOA_IDL_INT;
	case KHOA_PARAM_BOOL:
		return t->kind == KHOA_IDL_BOOL;
	case KHOA_PARAM_OBJECT:
		return t->kind == KHOA_IDL_STRUCT || t->kind == KHOA_IDL_OBJECT ||
		       t->kind == KHOA_IDL_MAP;
	case KHOA_PARAM_ARRAY:
		return t->kind == KHOA_IDL_ARRAY;
	}
	return false;
}

int
khoa_idl_check_params(const struct khoa_idl_method *method, const struct khoa_param *table,
		      char *why, size_t size)
{
	static const struct khoa_param none[] = { { NULL } };
	const struct khoa_idl_field *fields = method->in->fields;

	if (!table)
		table = none;
	for (const struct khoa_param *p = table; p->name; p++) {
		const struct khoa_idl_field *f = fields;
		while (f->name && strcmp(f->name, p->name) != 0)
			f++;
		if (!f->name) {
			snprintf(why, size, "%s: parameter %s is not in the interface", method->name,
				 p->name);
			return -EINVAL;
		}
		if (!param_fits(p->type, f->type)) {
			snprintf(why, size, "%s: parameter %s is parsed as another type than the "
				 "interface's", method->name, p->name);
			return -EINVAL;
		}
		if (p->required == f->optional) {
			snprintf(why, size, "%s: parameter %s is %s, the interface makes it %s",
				 method->name, p->name, p->required ? "required" : "optional",
				 f->optional ? "optional" : "required");
			return -EINVAL;
		}
	}
	for (const struct khoa_idl_field *f = fields; f->name; f++) {
		const struct khoa_param *p = table;
		while (p->name && strcmp(f->name, p->name) != 0)
			p++;
		if (!p->name) {
			snprintf(why, size, "%s: parameter %s of the interface is not parsed",
				 method->name, f->name);
			return -EINVAL;
		}
	}
	return 0;
}
