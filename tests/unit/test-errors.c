/*
 * proto/errors.c: each constructor builds the error its name says, with
 * exactly the parameters the interface files declare for it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "errors.h"
#include "idl.h"
#include "message.h"

static void
conforms(json_object *e, const char *name)
{
	char why[256] = "";
	struct khoa_reply r;
	const char *bad;
	assert_non_null(e);
	assert_int_equal(khoa_reply_parse(e, &r, &bad), 0);
	assert_string_equal(r.error, name);
	const struct khoa_idl_error *decl = khoa_idl_error(name);
	if (!decl)
		fail_msg("%s is declared by no interface file", name);
	if (khoa_idl_validate(decl->params, r.parameters, why, sizeof(why)) < 0)
		fail_msg("%s: %s", name, why);
	json_object_put(e);
}

static void
test_every_constructor(void **state)
{
	conforms(khoa_err_no_such_token("ab"), KHOA_ERROR_NO_SUCH_TOKEN);
	conforms(khoa_err_unknown_token("ab"), KHOA_ERROR_UNKNOWN_TOKEN);
	conforms(khoa_err_already_registered("ab"), KHOA_ERROR_ALREADY_REGISTERED);
	conforms(khoa_err_not_registered("ab"), KHOA_ERROR_NOT_REGISTERED);
	conforms(khoa_err_no_mismatch("ab"), KHOA_ERROR_NO_MISMATCH);
	conforms(khoa_err_permission_denied("clerk", NULL, NULL, "x needs %s", "clerk"),
		 KHOA_ERROR_PERMISSION_DENIED);
	conforms(khoa_err_permission_denied("clerk", "Sở Tài chính", "four-eyes", "x"),
		 KHOA_ERROR_PERMISSION_DENIED);
	conforms(khoa_err_try_later("ab", 4), KHOA_ERROR_TRY_LATER);
	conforms(khoa_err_timeout(30, "late"), KHOA_ERROR_TIMEOUT);
	conforms(khoa_err_message_too_large(1024), KHOA_ERROR_MESSAGE_TOO_LARGE);
	conforms(khoa_err_invalid_message("bad %s", "x"), KHOA_ERROR_INVALID_MESSAGE);
	conforms(khoa_err_too_many_clients(128), KHOA_ERROR_TOO_MANY_CLIENTS);
	conforms(khoa_err_too_slow(16384), KHOA_ERROR_TOO_SLOW);
	conforms(khoa_err_invalid_field("name", "required"), KHOA_ERROR_INVALID_FIELD);
	conforms(khoa_err_invalid_field("name", NULL), KHOA_ERROR_INVALID_FIELD);
	conforms(khoa_err_no_such_organization(2), KHOA_ERROR_NO_SUCH_ORGANIZATION);
	conforms(khoa_err_no_such_person(2), KHOA_ERROR_NO_SUCH_PERSON);
	conforms(khoa_err_no_such_request("request", 2), KHOA_ERROR_NO_SUCH_REQUEST);
	conforms(khoa_err_no_such_handover(2), KHOA_ERROR_NO_SUCH_HANDOVER);
	conforms(khoa_err_no_such_change(2), KHOA_ERROR_NO_SUCH_CHANGE);
	conforms(khoa_err_bad_transition("request", 2, "filed", "forward", "submitted"),
		 KHOA_ERROR_BAD_TRANSITION);
	conforms(khoa_err_finalized(2), KHOA_ERROR_FINALIZED);
	conforms(khoa_err_seal_out("ab"), KHOA_ERROR_SEAL_OUT);
	conforms(khoa_err_seal_in("ab"), KHOA_ERROR_SEAL_IN);
	conforms(khoa_err_rule_violation("R-RENEW-60D", "30 days remain"),
		 KHOA_ERROR_RULE_VIOLATION);
	conforms(khoa_err_already_filed(2026, "2026-11-20T08:00:00Z"), KHOA_ERROR_ALREADY_FILED);
	conforms(khoa_err_pin_incorrect("ab", "user", true, false), KHOA_ERROR_PIN_INCORRECT);
	conforms(khoa_err_pin_incorrect("ab", NULL, true, false), KHOA_ERROR_PIN_INCORRECT);
	conforms(khoa_err_pin_locked("ab"), KHOA_ERROR_PIN_LOCKED);
	conforms(khoa_err_final_try("ab"), KHOA_ERROR_FINAL_TRY);
	conforms(khoa_err_pin_invalid("ab", "too short"), KHOA_ERROR_PIN_INVALID);
	conforms(khoa_err_token_busy("ab"), KHOA_ERROR_TOKEN_BUSY);
	conforms(khoa_err_internal("failed: %d", 5), KHOA_ERROR_INTERNAL);
	conforms(khoa_err_registry_read_only("low-space", "3 MiB free"),
		 KHOA_ERROR_REGISTRY_READ_ONLY);
	conforms(khoa_err_interface_not_found("io.x"), VARLINK_ERROR_INTERFACE_NOT_FOUND);
	conforms(khoa_err_method_not_found("io.x.Y"), VARLINK_ERROR_METHOD_NOT_FOUND);
	conforms(khoa_err_method_not_implemented("io.x.Y"), VARLINK_ERROR_METHOD_NOT_IMPLEMENTED);
	conforms(khoa_err_invalid_parameter("serial"), VARLINK_ERROR_INVALID_PARAMETER);
	conforms(khoa_err_expected_more(), VARLINK_ERROR_EXPECTED_MORE);
}

/* The words a client may show and the values it reads. */
static void
test_contents(void **state)
{
	json_object *e = khoa_err_pin_incorrect("ab", "user", false, true), *p;
	assert_true(json_object_object_get_ex(e, "parameters", &p));
	assert_string_equal(khoa_json_str(p, "message"), "wrong PIN; the token is now locked");
	assert_true(json_object_get_boolean(json_object_object_get(p, "locked")));
	json_object_put(e);

	/* the SO PIN of a reset is said to be the SO PIN (issue 17) */
	e = khoa_err_pin_incorrect("ab", "so", false, false);
	assert_true(json_object_object_get_ex(e, "parameters", &p));
	assert_string_equal(khoa_json_str(p, "message"), "wrong SO PIN");
	assert_string_equal(khoa_json_str(p, "pin"), "so");
	json_object_put(e);

	e = khoa_err_bad_transition("PIN-recovery request", 7, "filed", "forward", "submitted");
	assert_true(json_object_object_get_ex(e, "parameters", &p));
	assert_string_equal(khoa_json_str(p, "message"), "PIN-recovery request 7 is filed: "
			    "forward is possible only when it is submitted");
	assert_string_equal(khoa_json_str(p, "action"), "forward");
	assert_int_equal(json_object_get_int64(json_object_object_get(p, "id")), 7);
	json_object_put(e);

	e = khoa_err_invalid_field("id_number", "CCCD: 12 digits");
	assert_true(json_object_object_get_ex(e, "parameters", &p));
	assert_string_equal(khoa_json_str(p, "message"), "id_number: CCCD: 12 digits");
	assert_string_equal(khoa_json_str(p, "rule"), "CCCD: 12 digits");
	json_object_put(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_constructor),
		cmocka_unit_test(test_contents),
	};
	return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
