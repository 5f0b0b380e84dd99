/*
 * Unit tests of the embedded interface definitions (proto/idl.h): the
 * interfaces, methods and errors the .varlink files declare, and that every
 * error name khoad puts on the wire (proto/errors.h) is among them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "errors.h"
#include "idl.h"

static const char *const interfaces[] = {
	"io.khoa",
	"io.khoa.Tokens",
	"io.khoa.Certificates",
	"io.khoa.Daemon",
	"org.varlink.service",
};

#define N(array)	(sizeof(array) / sizeof((array)[0]))

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void
test_find_every_interface(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(interfaces); i++) {
		const struct khoa_idl_interface *iface = khoa_idl_find(interfaces[i]);
		assert_non_null(iface);
		assert_string_equal(iface->name, interfaces[i]);
		assert_non_null(iface->methods);
		assert_non_null(iface->methods[0]);	/* at least one method */
		assert_non_null(iface->description);
	}
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
	assert_true(count >= N(interfaces));
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
		for (const char *const *m = i->methods; *m; m++) {
			assert_true(starts_with(*m, i->name));
			assert_int_equal((*m)[len], '.');
			assert_in_range((*m)[len + 1], 'A', 'Z');
			assert_null(strchr(*m + len + 1, '.'));
			assert_true(khoa_idl_has_method(*m));
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
	KHOA_ERROR_INTERNAL,
	VARLINK_ERROR_INTERFACE_NOT_FOUND,
	VARLINK_ERROR_METHOD_NOT_FOUND,
	VARLINK_ERROR_METHOD_NOT_IMPLEMENTED,
	VARLINK_ERROR_INVALID_PARAMETER,
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_every_interface),
		cmocka_unit_test(test_find_exact_names_only),
		cmocka_unit_test(test_interface_table),
		cmocka_unit_test(test_has_method),
		cmocka_unit_test(test_method_names),
		cmocka_unit_test(test_errors_h_declared),
		cmocka_unit_test(test_made_up_errors),
		cmocka_unit_test(test_error_in_comment_not_declared),
		cmocka_unit_test(test_description),
	};
	return cmocka_run_group_tests_name("idl", tests, NULL, NULL);
}
