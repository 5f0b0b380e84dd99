/*
 * Unit tests of the embedded interface definitions (proto/idl.h): every
 * .varlink file of proto/ is embedded as it is; the interfaces, methods and
 * errors it declares; every error name khoad puts on the wire
 * (proto/errors.h) is among them; values are validated against the types,
 * and parameter tables against the methods' inputs.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "errors.h"
#include "idl.h"

#define N(array)	(sizeof(array) / sizeof((array)[0]))

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t size = 0;
	assert_non_null(f);
	assert_int_equal(getdelim(&text, &size, '\0', f) > 0, 1);
	fclose(f);
	return text;
}

/* The name on the line "interface NAME" of TEXT (not in a comment). */
static bool
interface_line(const char *text, char name[256])
{
	for (const char *line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (sscanf(line, "interface %255[A-Za-z0-9.]", name) == 1)
			return true;
	return false;
}

/* Every file of proto/ (PROTO_DIR), found by walking the folder, not from a
 * list: each is embedded under its interface's name, text for text, with at
 * least one method; and nothing else is. */
static void
test_every_interface_file(void **state)
{
	(void)state;
	DIR *dir = opendir(PROTO_DIR);
	struct dirent *e;
	size_t files = 0, embedded = 0;

	assert_non_null(dir);
	while ((e = readdir(dir))) {
		size_t len = strlen(e->d_name);
		if (len < 9 || strcmp(e->d_name + len - 8, ".varlink") != 0)
			continue;
		char path[512], name[256];
		snprintf(path, sizeof(path), "%s/%s", PROTO_DIR, e->d_name);
		char *text = read_file(path);
		if (!interface_line(text, name))
			fail_msg("%s: no interface line", e->d_name);
		const struct khoa_idl_interface *iface = khoa_idl_find(name);
		if (!iface)
			fail_msg("%s: interface %s is not embedded", e->d_name, name);
		assert_string_equal(iface->description, text);
		assert_non_null(iface->methods[0].name);
		free(text);
		files++;
	}
	closedir(dir);
	for (const struct khoa_idl_interface *i = khoa_idl_interfaces; i->name; i++)
		embedded++;
	assert_true(files >= 16);
	assert_int_equal(embedded, files);
}

static void
test_find_exact_names_only(void **state)
{
	(void)state;
	static const char *const absent[] = {
		"", "io", "io.khoa.", "io.khoa.Token", "io.khoa.TokensX", "io.khoa.tokens",
		"IO.KHOA", "io.khoa.Tokens.List", "org.varlink", "com.example.Nope",
	};
	for (size_t i = 0; i < N(absent); i++)
		assert_null(khoa_idl_find(absent[i]));
}

/* The table the daemon walks: every entry well formed, names unique. */
static void
test_interface_table(void **state)
{
	(void)state;
	size_t count = 0;
	for (const struct khoa_idl_interface *i = khoa_idl_interfaces; i->name; i++, count++) {
		assert_ptr_equal(khoa_idl_find(i->name), i);
		for (const struct khoa_idl_interface *j = khoa_idl_interfaces; j < i; j++)
			assert_string_not_equal(i->name, j->name);
	}
	assert_true(count >= 16);
}

static void
test_has_method(void **state)
{
	(void)state;
	static const char *const present[] = {
		"io.khoa.Ping",
		"io.khoa.Tokens.List",
		"io.khoa.Tokens.Get",
		"io.khoa.Tokens.Rescan",
		"io.khoa.Certificates.List",
		"io.khoa.Daemon.Status",
		"org.varlink.service.GetInfo",
		"org.varlink.service.GetInterfaceDescription",
	};
	static const char *const absent[] = {
		"io.khoa.Tokens.Nope",
		"io.khoa.Tokens.list",		/* case matters */
		"io.khoa.Tokens.Lis",		/* no prefix match */
		"io.khoa.Tokens.ListX",
		"io.khoa.Tokens",		/* an interface, not a method */
		"io.khoa.List",			/* a method of another interface */
		"io.khoa.Certificates.Get",
		"io.khoa.Tokens.NoSuchToken",
		"io.khoa.NoSuchToken",		/* an error, not a method */
		"Tokens.List",
		"List",
		"",
	};
	for (size_t i = 0; i < N(present); i++)
		assert_true(khoa_idl_has_method(present[i]));
	for (size_t i = 0; i < N(absent); i++)
		assert_false(khoa_idl_has_method(absent[i]));
}

/* Each listed method is the interface's name, a dot, and a method name. */
static void
test_method_names(void **state)
{
	(void)state;
	for (const struct khoa_idl_interface *i = khoa_idl_interfaces; i->name; i++) {
		size_t len = strlen(i->name);
		for (const struct khoa_idl_method *m = i->methods; m->name; m++) {
			assert_true(starts_with(m->name, i->name));
			assert_int_equal(m->name[len], '.');
			assert_in_range(m->name[len + 1], 'A', 'Z');
			assert_null(strchr(m->name + len + 1, '.'));
			assert_ptr_equal(khoa_idl_method(m->name), m);
			assert_int_equal(m->in->kind, KHOA_IDL_STRUCT);
			assert_int_equal(m->out->kind, KHOA_IDL_STRUCT);
		}
	}
}

/* Every error name in proto/errors.h, by its macro. */
static const char *const wire_errors[] = {
	KHOA_ERROR_NO_SUCH_TOKEN,
	KHOA_ERROR_PERMISSION_DENIED,
	KHOA_ERROR_TIMEOUT,
	KHOA_ERROR_MESSAGE_TOO_LARGE,
	KHOA_ERROR_INVALID_MESSAGE,
	KHOA_ERROR_TOO_MANY_CLIENTS,
	KHOA_ERROR_INVALID_FIELD,
	KHOA_ERROR_NO_SUCH_ORGANIZATION,
	KHOA_ERROR_NO_SUCH_PERSON,
	KHOA_ERROR_ALREADY_REGISTERED,
	KHOA_ERROR_NOT_REGISTERED,
	KHOA_ERROR_NO_MISMATCH,
	KHOA_ERROR_TOO_SLOW,
	KHOA_ERROR_PIN_INCORRECT,
	KHOA_ERROR_PIN_LOCKED,
	KHOA_ERROR_FINAL_TRY,
	KHOA_ERROR_PIN_INVALID,
	KHOA_ERROR_TOKEN_BUSY,
	KHOA_ERROR_NO_SUCH_REQUEST,
	KHOA_ERROR_BAD_TRANSITION,
	KHOA_ERROR_NO_SUCH_HANDOVER,
	KHOA_ERROR_NO_SUCH_CHANGE,
	KHOA_ERROR_FINALIZED,
	KHOA_ERROR_SEAL_OUT,
	KHOA_ERROR_SEAL_IN,
	KHOA_ERROR_RULE_VIOLATION,
	KHOA_ERROR_ALREADY_FILED,
	KHOA_ERROR_INTERNAL,
	VARLINK_ERROR_INTERFACE_NOT_FOUND,
	VARLINK_ERROR_METHOD_NOT_FOUND,
	VARLINK_ERROR_METHOD_NOT_IMPLEMENTED,
	VARLINK_ERROR_INVALID_PARAMETER,
	VARLINK_ERROR_EXPECTED_MORE,
};

static void
test_errors_h_declared(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(wire_errors); i++) {
		/* the name of the failing one shows in the failure message */
		const char *e = wire_errors[i];
		assert_string_equal(khoa_idl_has_error(e) ? e : "(undeclared)", e);
	}
}

static void
test_made_up_errors(void **state)
{
	(void)state;
	static const char *const absent[] = {
		"io.khoa.NoSuchThing",
		"io.khoa.NoSuch",			/* a prefix of a declared one */
		"io.khoa.NoSuchTokenX",
		"io.khoa.nosuchtoken",
		"io.khoa.Tokens.NoSuchToken",		/* declared in io.khoa, not here */
		"org.varlink.service.NoSuchToken",
		"io.khoa.Ping",				/* a method */
		"io.khoa.Tokens.List",
		"io.khoa.Tokens.Token",			/* a type */
		"io.khoa.Certificates.Certificate",
		"io.khoa.Tokens",			/* interfaces */
		"io.khoa",
		"io.khoa.",
		"NoSuchToken",
		".NoSuchToken",
		"com.example.NoSuchToken",
		"",
	};
	for (size_t i = 0; i < N(absent); i++) {
		const char *e = absent[i];
		assert_string_equal(khoa_idl_has_error(e) ? e : "(undeclared)", "(undeclared)");
	}
}

/* Words of a comment are not declarations. */
static void
test_error_in_comment_not_declared(void **state)
{
	(void)state;
	/* io.khoa.varlink's comments say "Every error carries ..." */
	const struct khoa_idl_interface *iface = khoa_idl_find("io.khoa");
	assert_non_null(iface);
	assert_non_null(strstr(iface->description, "error carries"));
	assert_false(khoa_idl_has_error("io.khoa.carries"));
}

static void
test_description(void **state)
{
	(void)state;
	const struct khoa_idl_interface *iface = khoa_idl_find("io.khoa.Tokens");
	assert_non_null(iface);
	const char *d = iface->description;
	assert_true(starts_with(d, "#") || starts_with(d, "interface"));
	assert_non_null(strstr(d, "method List"));
	assert_non_null(strstr(d, "interface io.khoa.Tokens\n"));

	/* every description declares its own interface, and only that one */
	for (const struct khoa_idl_interface *i = khoa_idl_interfaces; i->name; i++) {
		char line[256];
		snprintf(line, sizeof(line), "\ninterface %s\n", i->name);
		const char *at = strstr(i->description, line);
		if (!at && starts_with(i->description, line + 1))
			at = i->description;
		assert_non_null(at);
		for (const char *p = i->description; (p = strstr(p, "\ninterface ")); p++)
			assert_ptr_equal(p, at);
	}
}

/* VALUE (JSON text) against the output of METHOD: "" when it conforms, else
 * what differs. */
static const char *
check_out(const char *method, const char *value)
{
	static char why[512];
	const struct khoa_idl_method *m = khoa_idl_method(method);
	json_object *v = json_tokener_parse(value);
	assert_non_null(m);
	assert_non_null(v);
	why[0] = '\0';
	int r = khoa_idl_validate(m->out, v, why, sizeof(why));
	json_object_put(v);
	assert_int_equal(r == 0, why[0] == '\0');
	return why;
}

#define ENTRY(extra) "{\"entries\":[{\"id\":1,\"token_serial\":\"a\",\"person_id\":2," \
	"\"person_name\":\"Lê\",\"purpose\":\"Ký\",\"out_at\":\"t\",\"out_by\":\"u\"," \
	"\"due_at\":\"t\"" extra "}]}"

static void
test_validate_replies(void **state)
{
	(void)state;
	assert_string_equal(check_out("io.khoa.Custody.SealLog", ENTRY(",\"overdue\":false")), "");
	/* optional members: absent or null */
	assert_string_equal(check_out("io.khoa.Custody.SealLog",
				      ENTRY(",\"overdue\":true,\"in_at\":null")), "");
	assert_string_equal(check_out("io.khoa.Custody.SealLog", "{\"entries\":[]}"), "");
	assert_string_equal(check_out("io.khoa.Custody.SealLog", ENTRY("")),
			    "entries[0].overdue: missing");
	assert_string_equal(check_out("io.khoa.Custody.SealLog", ENTRY(",\"overdue\":1")),
			    "entries[0].overdue: not a bool");
	assert_string_equal(check_out("io.khoa.Custody.SealLog",
				      ENTRY(",\"overdue\":false,\"extra\":1")),
			    "entries[0].extra: not declared by the interface");
	assert_string_equal(check_out("io.khoa.Custody.SealLog", "{\"entries\":{}}"),
			    "entries: not an array");
	assert_string_equal(check_out("io.khoa.Custody.SealLog", "{}"), "entries: missing");
	assert_string_equal(check_out("io.khoa.Ping", "{\"version\":\"0.1\"}"), "");
	assert_string_equal(check_out("io.khoa.Ping", "{\"version\":1.5}"), "version: not a string");
	assert_string_equal(check_out("io.khoa.Ping", "[]"), "not an object");

	/* an error's parameters */
	char why[256];
	const struct khoa_idl_error *e = khoa_idl_error(KHOA_ERROR_NO_SUCH_TOKEN);
	json_object *v = json_tokener_parse("{\"serial\":\"x\",\"message\":\"m\"}");
	assert_non_null(e);
	assert_int_equal(khoa_idl_validate(e->params, v, why, sizeof(why)), 0);
	json_object_put(v);
	assert_int_equal(khoa_idl_validate(e->params, NULL, why, sizeof(why)), -EINVAL);
}

/* The kinds no interface of khoa uses yet: enums, maps, floats, []?T. */
static void
test_validate_kinds(void **state)
{
	(void)state;
	static const char *const colours[] = { "red", "green", NULL };
	static const struct khoa_idl_type number = { KHOA_IDL_FLOAT, NULL, NULL, NULL, NULL, false };
	static const struct khoa_idl_type colour = { KHOA_IDL_ENUM, NULL, NULL, colours, NULL, false };
	static const struct khoa_idl_type map = { KHOA_IDL_MAP, NULL, NULL, NULL, &number, false };
	static const struct khoa_idl_type list = { KHOA_IDL_ARRAY, NULL, NULL, NULL, &colour, true };
	static const struct khoa_idl_field fields[] = {
		{ "c", &colour, false }, { "m", &map, true }, { "l", &list, true }, { NULL, NULL, false }
	};
	static const struct khoa_idl_type t = { KHOA_IDL_STRUCT, NULL, fields, NULL, NULL, false };
	static const struct {
		const char *value, *why;
	} cases[] = {
		{ "{\"c\":\"red\",\"m\":{\"a\":1,\"b\":2.5},\"l\":[\"green\",null]}", "" },
		{ "{\"c\":\"blue\"}", "c: not one of the enum's values" },
		{ "{\"c\":\"red\",\"m\":{\"a\":\"1\"}}", "m[\"a\"]: not a number" },
		{ "{\"c\":\"red\",\"m\":{\"a\":null}}", "m[\"a\"]: null" },
		{ "{\"c\":\"red\",\"l\":[\"red\",\"pink\"]}", "l[1]: not one of the enum's values" },
	};
	for (size_t i = 0; i < N(cases); i++) {
		char why[256] = "";
		json_object *v = json_tokener_parse(cases[i].value);
		assert_non_null(v);
		khoa_idl_validate(&t, v, why, sizeof(why));
		assert_string_equal(why, cases[i].why);
		json_object_put(v);
	}
}

struct seal_out_args {
	const char *serial, *purpose;
	int64_t person_id, hours;
	bool another_agency;
};

static void
test_check_params(void **state)
{
	(void)state;
	const struct khoa_idl_method *m = khoa_idl_method("io.khoa.Custody.SealOut");
	char why[256];
#define P(name, type, field, required) \
	{ name, KHOA_PARAM_##type, offsetof(struct seal_out_args, field), required }
	const struct khoa_param right[] = {
		P("serial", STRING, serial, true), P("person_id", INT, person_id, true),
		P("purpose", STRING, purpose, true), P("hours", INT, hours, false),
		P("another_agency", BOOL, another_agency, false), { NULL }
	};
	const struct khoa_param missing[] = {
		P("serial", STRING, serial, true), P("person_id", INT, person_id, true),
		P("purpose", STRING, purpose, true), { NULL }
	};
	const struct khoa_param required[] = {
		P("serial", STRING, serial, true), P("person_id", INT, person_id, true),
		P("purpose", STRING, purpose, true), P("hours", INT, hours, true),
		P("another_agency", BOOL, another_agency, false), { NULL }
	};
	const struct khoa_param typed[] = {
		P("serial", STRING, serial, true), P("person_id", INT, person_id, true),
		P("purpose", INT, purpose, true), P("hours", INT, hours, false),
		P("another_agency", BOOL, another_agency, false), { NULL }
	};
	const struct khoa_param extra[] = {
		P("serial", STRING, serial, true), P("person_id", INT, person_id, true),
		P("purpose", STRING, purpose, true), P("hours", INT, hours, false),
		P("another_agency", BOOL, another_agency, false), P("minutes", INT, hours, false),
		{ NULL }
	};
#undef P
	assert_non_null(m);
	assert_int_equal(khoa_idl_check_params(m, right, why, sizeof(why)), 0);
	assert_int_equal(khoa_idl_check_params(m, missing, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "io.khoa.Custody.SealOut: parameter hours of the interface is "
			    "not parsed");
	assert_int_equal(khoa_idl_check_params(m, required, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "io.khoa.Custody.SealOut: parameter hours is required, the "
			    "interface makes it optional");
	assert_int_equal(khoa_idl_check_params(m, typed, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "purpose is parsed as another type"));
	assert_int_equal(khoa_idl_check_params(m, extra, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "minutes is not in the interface"));
	assert_int_equal(khoa_idl_check_params(m, NULL, why, sizeof(why)), -EINVAL);
	/* a method without parameters takes a NULL table */
	assert_int_equal(khoa_idl_check_params(khoa_idl_method("io.khoa.Ping"), NULL, why,
					       sizeof(why)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_interface_file),
		cmocka_unit_test(test_find_exact_names_only),
		cmocka_unit_test(test_interface_table),
		cmocka_unit_test(test_has_method),
		cmocka_unit_test(test_method_names),
		cmocka_unit_test(test_errors_h_declared),
		cmocka_unit_test(test_made_up_errors),
		cmocka_unit_test(test_error_in_comment_not_declared),
		cmocka_unit_test(test_description),
		cmocka_unit_test(test_validate_replies),
		cmocka_unit_test(test_validate_kinds),
		cmocka_unit_test(test_check_params),
	};
	return cmocka_run_group_tests_name("idl", tests, NULL, NULL);
}
