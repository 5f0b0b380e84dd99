/* Shared by the registry's method handlers. */
#include <errno.h>

#include "errors.h"
#include "jsonb.h"
#include "message.h"
#include "method-util.h"

struct actor
call_actor(const struct call *c)
{
	const struct peer *p = call_peer(c);
	return (struct actor){ .uid = p->uid, .user = p->user };
}

bool
field_ok(struct call *c, int r, const char *field, const char *const *rulep)
{
	if (r == 0)
		return true;
	if (r == -EINVAL) {
		const char *rule = *rulep ? *rulep : "invalid";
		json_object *err = khoa_error_newf(KHOA_ERROR_INVALID_FIELD, "field", field,
						   "%s: %s", field, rule);
		json_object *params;
		if (err && json_object_object_get_ex(err, "parameters", &params) &&
		    json_object_object_add(params, "rule", json_object_new_string(rule)) == 0)
			call_error(c, err);
		else {
			json_object_put(err);
			call_error(c, NULL);
		}
		return false;
	}
	call_error(c, NULL);
	return false;
}

void
reply_store_error(struct call *c, int r)
{
	if (r == -ENOMEM)
		call_error(c, NULL);
	else
		call_error(c, khoa_error_newf(KHOA_ERROR_INTERNAL, NULL, NULL,
					      "the registry could not be read or written"));
}

void
reply_object(struct call *c, const char *key, json_object *obj)
{
	struct jsonb b = jsonb_new();
	jsonb_put(&b, key, obj);
	call_reply(c, jsonb_finish(&b));
}

void
reply_no_such_org(struct call *c, int64_t id)
{
	call_error(c, khoa_error_add_int(khoa_error_newf(KHOA_ERROR_NO_SUCH_ORGANIZATION, NULL, NULL,
		"no organization %lld in the registry", (long long)id), "id", id));
}

void
reply_no_such_person(struct call *c, int64_t id)
{
	call_error(c, khoa_error_add_int(khoa_error_newf(KHOA_ERROR_NO_SUCH_PERSON, NULL, NULL,
		"no person %lld in the registry", (long long)id), "id", id));
}
