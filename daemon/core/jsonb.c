/* The JSON object builder. */
#include "jsonb.h"

struct jsonb
jsonb_new(void)
{
	json_object *obj = json_object_new_object();
	return (struct jsonb){ obj, obj != NULL };
}

void
jsonb_put(struct jsonb *b, const char *key, json_object *val)
{
	if (!b->ok || !val || json_object_object_add(b->obj, key, val) < 0) {
		json_object_put(val);
		b->ok = false;
	}
}

void
jsonb_str(struct jsonb *b, const char *key, const char *val)
{
	if (val)
		jsonb_put(b, key, json_object_new_string(val));
}

void
jsonb_int(struct jsonb *b, const char *key, int64_t val)
{
	jsonb_put(b, key, json_object_new_int64(val));
}

void
jsonb_bool(struct jsonb *b, const char *key, bool val)
{
	jsonb_put(b, key, json_object_new_boolean(val));
}

bool
jsonb_append(struct jsonb *b, json_object *array, json_object *item)
{
	if (!b->ok || !array || !item || json_object_array_add(array, item) < 0) {
		json_object_put(item);
		b->ok = false;
	}
	return b->ok;
}

json_object *
jsonb_finish(struct jsonb *b)
{
	if (b->ok)
		return b->obj;
	json_object_put(b->obj);
	b->obj = NULL;
	return NULL;
}
