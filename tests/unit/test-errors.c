/*
 * proto/errors.c: each constructor builds the error its name says, with
 * exactly the parameters the interface files declare for it.
 */
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
#include "message.h"
#include "reasons.h"

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
	conforms(khoa_err_invalid_field_args("days", KR(RANGE), (const char *[]){ "0", "3650" }, 2),
		 KHOA_ERROR_INVALID_FIELD);
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
	conforms(khoa_err_rule_violation("R-RENEW-60D", KR(DAYS_REMAIN),
					 (const char *[]){ "30", "60" }, 2), KHOA_ERROR_RULE_VIOLATION);
	conforms(khoa_err_rule_violation("R-REISSUE", KR(NOT_REVOKED), NULL, 0),
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

	/* a code and its arguments on the wire, the English sentence in the
	 * message for logs (issue 17) */
	e = khoa_err_invalid_field("id_number", KR(CCCD_YEAR));
	assert_true(json_object_object_get_ex(e, "parameters", &p));
	assert_string_equal(khoa_json_str(p, "message"),
			    "id_number: CCCD: digits 4–6 must match the birth year");
	assert_string_equal(khoa_json_str(p, "rule"), "cccd-year");
	json_object_put(e);

	e = khoa_err_rule_violation("R-RENEW-60D", KR(DAYS_REMAIN), (const char *[]){ "41", "60" },
				    2);
	assert_true(json_object_object_get_ex(e, "parameters", &p));
	assert_string_equal(khoa_json_str(p, "message"),
			    "R-RENEW-60D: 41 days of validity remain, renewal needs at least 60");
	assert_string_equal(khoa_json_str(p, "fact"), "days-remain");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(
				    json_object_object_get(p, "args"), 1)), "60");
	json_object_put(e);
}

/* Every reason has a code of its own and arguments its sentence uses. */
static void
test_reasons(void **state)
{
	(void)state;
	for (size_t i = 0; i < KR_COUNT; i++) {
		const struct khoa_reason *r = &khoa_reasons[i];
		assert_non_null(r->code);
		assert_ptr_equal(khoa_reason_find(r->code), r);
		assert_true(strlen(r->args) <= KHOA_REASON_ARGS_MAX);
		for (size_t a = 0; a < strlen(r->args); a++) {
			char mark[32];
			snprintf(mark, sizeof(mark), "%%%zu$s", a + 1);
			assert_non_null(strstr(r->text, mark));
			if (r->plural)
				assert_non_null(strstr(r->plural, mark));
		}
		if (r->plural)
			assert_true(r->count >= 1 && r->count <= strlen(r->args));
		char beyond[32];
		snprintf(beyond, sizeof(beyond), "%%%zu$s", strlen(r->args) + 1);
		assert_null(strstr(r->text, beyond));
	}
	char *s = khoa_reason_expand("%2$s, %1$s, %2$s%% and %1$s%1$s%1$s",
				     (const char *[]){ "một", "hai" }, 2);
	assert_string_equal(s, "hai, một, hai% and mộtmộtmột");
	free(s);
	s = khoa_reason_expand("%1$s %3$s.", (const char *[]){ "x" }, 1);
	assert_string_equal(s, "x .");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_constructor),
		cmocka_unit_test(test_contents),
		cmocka_unit_test(test_reasons),
	};
	return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
