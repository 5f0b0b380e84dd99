/*
 * libFuzzer target: the parameter tables (proto/params.c) on the parameters
 * of decoded calls. The input is the bytes of the wire; every message the
 * strict decoder yields that khoa_call_parse takes has its parameters (and
 * every object among them, as a handler's nested record) parsed by each of
 * the tables below, which copy the shapes of daemon/api's: required and
 * optional strings, integers, booleans, objects and arrays, an empty table
 * and none.
 *
 * Invariants, against a model of params.h written here:
 *   - khoa_params_parse succeeds exactly when every field is in the table,
 *     is null (optional fields only) or has the table's type, holds no
 *     string with a NUL inside at any depth, is not the integer INT64_MIN,
 *     and every required field is there and not null; otherwise it names
 *     the field the model names (the first bad one in the object's order,
 *     else the first required one missing);
 *   - on success each field given is stored as it is in the object (the
 *     same string, integer, boolean, object or array), and nothing else
 *     in the output is written; and (KHOA_FUZZ_KNOWN, crashes/README.md)
 *     an integer stored is the one sent, not INT64_MAX for a larger one;
 *   - no leak, no overflow, no UB.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "fuzz.h"
#include "message.h"
#include "params.h"

struct args {
	const char *str[8];
	int64_t num[6];
	bool flag[4];
	json_object *obj[4];
	json_object *arr[4];
};

#define S(name, i, req)	{ name, KHOA_PARAM_STRING, offsetof(struct args, str[i]), req }
#define I(name, i, req)	{ name, KHOA_PARAM_INT, offsetof(struct args, num[i]), req }
#define B(name, i, req)	{ name, KHOA_PARAM_BOOL, offsetof(struct args, flag[i]), req }
#define O(name, i, req)	{ name, KHOA_PARAM_OBJECT, offsetof(struct args, obj[i]), req }
#define A(name, i, req)	{ name, KHOA_PARAM_ARRAY, offsetof(struct args, arr[i]), req }

/* io.khoa.People.Create */
static const struct khoa_param person_create[] = {
	S("full_name", 0, true), S("id_number", 1, true), S("birth_date", 2, false),
	S("position", 3, false), I("organization_id", 0, false), S("email", 4, false),
	S("phone", 5, false), { .name = NULL }
};
/* io.khoa.People.Update */
static const struct khoa_param person_update[] = {
	I("id", 0, true), S("full_name", 0, false), S("id_number", 1, false),
	S("birth_date", 2, false), S("position", 3, false), I("organization_id", 1, false),
	S("email", 4, false), S("phone", 5, false), A("logins", 0, false),
	B("clerk", 0, false), { .name = NULL }
};
/* io.khoa.Handovers.New */
static const struct khoa_param handover_new[] = {
	O("giver", 0, true), O("receiver", 1, true), S("reason", 0, true),
	S("place", 1, false), S("held_at", 2, false), A("serials", 0, false),
	I("supersedes", 0, false), { .name = NULL }
};
/* a handover's giver or receiver, and a few of every type */
static const struct khoa_param party[] = {
	I("person_id", 0, false), I("organization_id", 1, false), S("name", 0, false),
	B("official", 0, false), O("extra", 0, false), A("list", 0, false), { .name = NULL }
};
/* io.khoa.Tokens.Get */
static const struct khoa_param serial_only[] = { S("serial", 0, true), { .name = NULL } };
/* io.khoa.Expiry.Expiring */
static const struct khoa_param expiring[] = {
	I("days", 0, false), I("limit", 1, false), S("after", 0, false), { .name = NULL }
};
/* io.khoa.Requests.Count */
static const struct khoa_param count[] = {
	I("year", 0, true), S("kind", 0, false), S("subject_kind", 1, false), { .name = NULL }
};
/* every type required */
static const struct khoa_param all_required[] = {
	S("s", 0, true), I("i", 0, true), B("b", 0, true), O("o", 0, true), A("a", 0, true),
	{ .name = NULL }
};
/* io.khoa.Ping: none */
static const struct khoa_param empty[] = { { .name = NULL } };

static const struct khoa_param *const tables[] = {
	person_create, person_update, handover_new, party, serial_only, expiring, count,
	all_required, empty, NULL,	/* NULL: a method that takes no parameters */
};

/* The model: params.h, read independently. */
static const struct khoa_param *
model_find(const struct khoa_param *table, const char *name)
{
	for (const struct khoa_param *p = table; p && p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

static bool
model_holds_nul(json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return memchr(json_object_get_string(v), '\0', (size_t)json_object_get_string_len(v));
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *e = json_object_array_get_idx(v, i);
			if (e && model_holds_nul(e))
				return true;
		}
	}
	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, val) {
			(void)key;
			if (val && model_holds_nul(val))
				return true;
		}
	}
	return false;
}

static const json_type wire_type[] = {
	[KHOA_PARAM_STRING] = json_type_string,
	[KHOA_PARAM_INT] = json_type_int,
	[KHOA_PARAM_BOOL] = json_type_boolean,
	[KHOA_PARAM_OBJECT] = json_type_object,
	[KHOA_PARAM_ARRAY] = json_type_array,
};

static bool
model_value_ok(const struct khoa_param *p, json_object *v)
{
	if (!v)
		return !p->required;
	return json_object_is_type(v, wire_type[p->type]) && !model_holds_nul(v) &&
	       !(p->type == KHOA_PARAM_INT && (json_object_get_int64(v) == INT64_MIN ||
					      json_object_get_uint64(v) > (uint64_t)INT64_MAX));
}

/* NULL when PARAMS pass TABLE, else the field to name. */
static const char *
model_bad_field(json_object *params, const struct khoa_param *table)
{
	json_object_object_foreach(params, key, val) {
		const struct khoa_param *p = model_find(table, key);
		if (!p || !model_value_ok(p, val))
			return key;
	}
	for (const struct khoa_param *p = table; p && p->name; p++) {
		json_object *v = NULL;
		if (p->required && (!json_object_object_get_ex(params, p->name, &v) || !v))
			return p->name;
	}
	return NULL;
}

static void
check_table(json_object *params, const struct khoa_param *table)
{
	struct args args, untouched;
	const char *bad = NULL;

	memset(&untouched, 0xa5, sizeof(untouched));
	memcpy(&args, &untouched, sizeof(args));
	int r = khoa_params_parse(params, table, &args, &bad);
	const char *want_bad = model_bad_field(params, table);
	if (want_bad) {
		FUZZ_CHECK(r == -EINVAL);
		FUZZ_CHECK(bad != NULL && strcmp(bad, want_bad) == 0);
		return;
	}
	FUZZ_CHECK(r == 0);

	/* each field given, as it is in the object; the rest untouched */
	for (const struct khoa_param *p = table; p && p->name; p++) {
		json_object *v = NULL;
		json_object_object_get_ex(params, p->name, &v);
		char *got = (char *)&args + p->offset;
		switch (p->type) {
		case KHOA_PARAM_STRING: {
			const char *s;
			memcpy(&s, got, sizeof(s));
			if (v) {
				FUZZ_CHECK(s == json_object_get_string(v));
				FUZZ_CHECK(strlen(s) == (size_t)json_object_get_string_len(v));
			}
			memset(got, 0xa5, sizeof(s));
			break;
		}
		case KHOA_PARAM_INT: {
			int64_t i;
			memcpy(&i, got, sizeof(i));
			if (v) {
				FUZZ_CHECK(i == json_object_get_int64(v) && i != INT64_MIN);
				/* json-c makes any integer above INT64_MAX that:
				 * refused (corpus params-int-above-max) */
				FUZZ_CHECK(i < INT64_MAX ||
					   json_object_get_uint64(v) == INT64_MAX);
			}
			memset(got, 0xa5, sizeof(i));
			break;
		}
		case KHOA_PARAM_BOOL: {
			bool b;
			if (v) {
				memcpy(&b, got, sizeof(b));
				FUZZ_CHECK(b == (bool)json_object_get_boolean(v));
			}
			memset(got, 0xa5, sizeof(b));
			break;
		}
		case KHOA_PARAM_OBJECT:
		case KHOA_PARAM_ARRAY: {
			json_object *o;
			memcpy(&o, got, sizeof(o));
			if (v)
				FUZZ_CHECK(o == v);
			memset(got, 0xa5, sizeof(o));
			break;
		}
		}
	}
	/* with the fields given put back to the pattern, all is the pattern */
	FUZZ_CHECK(memcmp(&args, &untouched, sizeof(args)) == 0);
}

static void
check_all_tables(json_object *params)
{
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		check_table(params, tables[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t max = 1;
	for (size_t i = 0; i < size; i++)
		max += data[i] == '\0';
	json_object **msgs = calloc(max, sizeof(*msgs));
	FUZZ_CHECK(msgs != NULL);

	size_t n = fuzz_decode_all(data, size, true, msgs, max);
	for (size_t i = 0; i < n; i++) {
		struct khoa_call call;
		const char *bad;
		if (khoa_call_parse(msgs[i], &call, &bad) == 0) {
			check_all_tables(call.parameters);
			/* a nested record, as a handler parses a handover's giver */
			json_object_object_foreach(call.parameters, key, val) {
				(void)key;
				if (val && json_object_is_type(val, json_type_object))
					check_all_tables(val);
			}
		}
		json_object_put(msgs[i]);
	}
	free(msgs);
	return 0;
}
