/*
 * khoad's method tables against the interface files (rpc/methods.h): every
 * interface of proto/ implemented, every method's parameter table parsing
 * exactly its input; and the check finds a difference when there is one.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "api.h"
#include "methods.h"

static void
test_api_matches_the_interface_files(void **state)
{
	char why[256] = "";
	int r = methods_check(api_interfaces, why, sizeof(why));
	if (r < 0)
		fail_msg("%s", why);
}

static int
noop(struct call *c, const void *args)
{
	return 0;
}

struct ping_args {
	const char *extra;
};

static void
test_differences_are_found(void **state)
{
	static const struct khoa_param extra[] = {
		{ "extra", KHOA_PARAM_STRING, offsetof(struct ping_args, extra), false },
		{ NULL }
	};
	static const struct method ping_with_extra[] = {
		{ .name = "io.khoa.Ping", .run = noop, .params = extra },
		{ .name = NULL }
	};
	static const struct method nope[] = {
		{ .name = "io.khoa.Nope", .run = noop },
		{ .name = NULL }
	};
	static const struct interface khoa_extra = { "io.khoa", ping_with_extra };
	static const struct interface khoa_nope = { "io.khoa", nope };
	static const struct interface made_up = { "io.khoa.MadeUp", nope };
	char why[256];

	/* every interface but the first: its methods are missing */
	assert_int_equal(methods_check(api_interfaces + 1, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "org.varlink.service.GetInfo of the interface files is not "
				    "implemented"));

	const struct interface *one[] = { &khoa_extra, NULL };
	assert_int_equal(methods_check(one, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "io.khoa.Ping: parameter extra is not in the interface");

	const struct interface *two[] = { &khoa_nope, NULL };
	assert_int_equal(methods_check(two, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "method io.khoa.Nope is not one of io.khoa's interface file");

	const struct interface *three[] = { &made_up, NULL };
	assert_int_equal(methods_check(three, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "interface io.khoa.MadeUp is in no interface file");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_matches_the_interface_files),
		cmocka_unit_test(test_differences_are_found),
	};
	return cmocka_run_group_tests_name("methods", tests, NULL, NULL);
}
