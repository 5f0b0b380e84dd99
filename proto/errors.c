/* One constructor per wire error (errors.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "message.h"
#include "reasons.h"

/* NAME with "message" from FMT and AP, and FIELD: VALUE when FIELD. */
static json_object *
vnew(const char *name, const char *field, const char *value, const char *fmt, va_list ap)
{
	char *text = NULL;
	if (vasprintf(&text, fmt, ap) < 0)
		return NULL;
	json_object *e = khoa_error_newf(name, field, value, "%s", text);
	free(text);
	return e;
}

static json_object *
add_str(json_object *e, const char *key, const char *value)
{
	json_object *params, *v;
	if (e && json_object_object_get_ex(e, "parameters", &params) &&
	    (v = json_object_new_string(value ? value : "")) &&
	    json_object_object_add(params, key, v) == 0)
		return e;
	json_object_put(e);
	return NULL;
}

static json_object *
add_bool(json_object *e, const char *key, bool value)
{
	json_object *params;
	if (e && json_object_object_get_ex(e, "parameters", &params) &&
	    json_object_object_add(params, key, json_object_new_boolean(value)) == 0)
		return e;
	json_object_put(e);
	return NULL;
}

static json_object *
token(const char *name, const char *serial, const char *what)
{
	return khoa_error_newf(name, "serial", serial, "token %s %s", serial, what);
}

json_object *
khoa_err_no_such_token(const char *serial)
{
	return khoa_error_newf(KHOA_ERROR_NO_SUCH_TOKEN, "serial", serial,
			       "no token with serial %s is present", serial);
}

json_object *
khoa_err_unknown_token(const char *serial)
{
	return token(KHOA_ERROR_UNKNOWN_TOKEN, serial,
		     "is not in the registry: no workstation has seen it");
}

json_object *
khoa_err_already_registered(const char *serial)
{
	return token(KHOA_ERROR_ALREADY_REGISTERED, serial, "is registered already");
}

json_object *
khoa_err_not_registered(const char *serial)
{
	return token(KHOA_ERROR_NOT_REGISTERED, serial, "is not registered");
}

json_object *
khoa_err_no_mismatch(const char *serial)
{
	return token(KHOA_ERROR_NO_MISMATCH, serial,
		     "carries the certificates it is bound to: nothing to confirm");
}

json_object *
khoa_err_permission_denied(const char *role, const char *scope, const char *reason,
			   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_object *e = vnew(KHOA_ERROR_PERMISSION_DENIED, "role", role, fmt, ap);
	va_end(ap);
	if (scope)
		e = add_str(e, "scope", scope);
	if (reason)
		e = add_str(e, "reason", reason);
	return e;
}

json_object *
khoa_err_try_later(const char *serial, int64_t seconds)
{
	return khoa_error_add_int(khoa_error_newf(KHOA_ERROR_TRY_LATER, "serial", serial,
		"token %s takes its next PIN try in %lld second%s", serial, (long long)seconds,
		seconds == 1 ? "" : "s"),
		"seconds", seconds);
}

json_object *
khoa_err_timeout(int64_t seconds, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_object *e = vnew(KHOA_ERROR_TIMEOUT, NULL, NULL, fmt, ap);
	va_end(ap);
	return khoa_error_add_int(e, "seconds", seconds);
}

json_object *
khoa_err_message_too_large(int64_t limit)
{
	return khoa_error_add_int(khoa_error_newf(KHOA_ERROR_MESSAGE_TOO_LARGE, NULL, NULL,
		"a message may not exceed %lld bytes", (long long)limit), "limit", limit);
}

json_object *
khoa_err_invalid_message(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_object *e = vnew(KHOA_ERROR_INVALID_MESSAGE, NULL, NULL, fmt, ap);
	va_end(ap);
	return e;
}

json_object *
khoa_err_too_many_clients(int64_t limit)
{
	return khoa_error_add_int(khoa_error_newf(KHOA_ERROR_TOO_MANY_CLIENTS, NULL, NULL,
		"khoad serves at most %lld clients at once", (long long)limit), "limit", limit);
}

json_object *
khoa_err_too_slow(int64_t limit)
{
	return khoa_error_add_int(khoa_error_newf(KHOA_ERROR_TOO_SLOW, NULL, NULL,
		"the client fell more than %lld bytes behind", (long long)limit), "limit", limit);
}

/* "args": ARGS as strings. */
static json_object *
add_args(json_object *e, const char *const *args, size_t n)
{
	json_object *params, *list = json_object_new_array_ext((int)n);
	for (size_t i = 0; list && i < n; i++) {
		json_object *v = json_object_new_string(args[i] ? args[i] : "");
		if (!v || json_object_array_add(list, v) < 0) {
			json_object_put(v);
			json_object_put(list);
			list = NULL;
		}
	}
	if (e && list && json_object_object_get_ex(e, "parameters", &params) &&
	    json_object_object_add(params, "args", list) == 0)
		return e;
	json_object_put(list);
	json_object_put(e);
	return NULL;
}

/* The sentence of reason CODE with ARGS, for the message; the code itself
 * when it is not in the table. */
static char *
reason_text(const char *code, const char *const *args, size_t n)
{
	const struct khoa_reason *why = khoa_reason_find(code);
	return why ? khoa_reason_english(why, args, n) : khoa_reason_expand(code, args, n);
}

json_object *
khoa_err_invalid_field_args(const char *field, const char *rule, const char *const *args,
			    size_t n)
{
	rule = rule ? rule : "invalid";
	char *text = reason_text(rule, args, n);
	json_object *e = text ? khoa_error_newf(KHOA_ERROR_INVALID_FIELD, "field", field,
						"%s: %s", field, text) : NULL;
	free(text);
	e = add_str(e, "rule", rule);
	return n ? add_args(e, args, n) : e;
}

json_object *
khoa_err_invalid_field(const char *field, const char *rule)
{
	return khoa_err_invalid_field_args(field, rule, NULL, 0);
}

/* NAME about record ID: "MESSAGE" and "id". */
static json_object *
record(const char *name, int64_t id, const char *what)
{
	return khoa_error_add_int(khoa_error_newf(name, NULL, NULL, "no %s %lld in the registry",
						  what, (long long)id), "id", id);
}

json_object *
khoa_err_no_such_organization(int64_t id)
{
	return record(KHOA_ERROR_NO_SUCH_ORGANIZATION, id, "organization");
}

json_object *
khoa_err_no_such_person(int64_t id)
{
	return record(KHOA_ERROR_NO_SUCH_PERSON, id, "person");
}

json_object *
khoa_err_no_such_request(const char *noun, int64_t id)
{
	return khoa_error_add_int(khoa_error_newf(KHOA_ERROR_NO_SUCH_REQUEST, NULL, NULL,
		"no %s %lld", noun, (long long)id), "id", id);
}

json_object *
khoa_err_no_such_handover(int64_t id)
{
	return record(KHOA_ERROR_NO_SUCH_HANDOVER, id, "handover");
}

json_object *
khoa_err_no_such_change(int64_t id)
{
	return record(KHOA_ERROR_NO_SUCH_CHANGE, id, "manager change");
}

json_object *
khoa_err_bad_transition(const char *noun, int64_t id, const char *state, const char *action,
			const char *from)
{
	json_object *e = khoa_error_newf(KHOA_ERROR_BAD_TRANSITION, "state", state,
					 "%s %lld is %s: %s is possible only when it is %s",
					 noun, (long long)id, state, action, from);
	return khoa_error_add_int(add_str(e, "action", action), "id", id);
}

json_object *
khoa_err_finalized(int64_t id)
{
	return khoa_error_add_int(khoa_error_newf(KHOA_ERROR_FINALIZED, NULL, NULL,
		"handover %lld is finalized; supersede it with a new one", (long long)id), "id", id);
}

json_object *
khoa_err_seal_out(const char *serial)
{
	return token(KHOA_ERROR_SEAL_OUT, serial, "is out already");
}

json_object *
khoa_err_token_state(const char *serial, const char *state, const char *since,
		     const char *action)
{
	json_object *e = khoa_error_newf(KHOA_ERROR_TOKEN_STATE, "serial", serial,
		"token %s is %s%s%s: no %s", serial, state, since && *since ? " since " : "",
		since && *since ? since : "", action);
	e = add_str(add_str(e, "state", state), "action", action);
	return since && *since ? add_str(e, "since", since) : e;
}

json_object *
khoa_err_seal_in(const char *serial)
{
	return token(KHOA_ERROR_SEAL_IN, serial, "is not out");
}

json_object *
khoa_err_rule_violation(const char *rule, const char *fact, const char *const *args, size_t n)
{
	char *text = reason_text(fact, args, n);
	json_object *e = text ? khoa_error_newf(KHOA_ERROR_RULE_VIOLATION, "rule", rule, "%s: %s",
						rule, text) : NULL;
	free(text);
	return add_args(add_str(e, "fact", fact), args, n);
}

json_object *
khoa_err_already_filed(int64_t year, const char *filed_at)
{
	return khoa_error_add_int(khoa_error_newf(KHOA_ERROR_ALREADY_FILED, "filed_at", filed_at,
		"the report of %lld was filed on %s", (long long)year, filed_at), "year", year);
}

json_object *
khoa_err_duplicate(const char *record, int64_t id, const char *field, const char *since)
{
	static const struct {
		const char *record, *noun;
	} nouns[] = {
		{ "pin_request", "PIN-recovery request" },
		{ "request", "certificate request" },
		{ "organization", "organization" },
	};
	const char *noun = record;
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (strcmp(nouns[i].record, record) == 0)
			noun = nouns[i].noun;
	json_object *e = khoa_error_newf(KHOA_ERROR_DUPLICATE, "record", record,
		"%s %lld has the same %s%s%s", noun, (long long)id, field,
		since ? ", filed on " : "", since ? since : "");
	e = add_str(khoa_error_add_int(e, "id", id), "field", field);
	return since ? add_str(e, "since", since) : e;
}

json_object *
khoa_err_pin_incorrect(const char *serial, const char *pin, bool final_try, bool locked)
{
	bool so = pin && strcmp(pin, "so") == 0;
	json_object *e = khoa_error_newf(KHOA_ERROR_PIN_INCORRECT, "serial", serial, "%s%s",
					 so ? "wrong SO PIN" : "wrong PIN",
					 locked ? "; the token is now locked" :
					 final_try ? "; one try is left" : "");
	e = add_bool(add_bool(e, "final_try", final_try), "locked", locked);
	return pin ? add_str(e, "pin", pin) : e;
}

json_object *
khoa_err_pin_locked(const char *serial)
{
	return khoa_error_newf(KHOA_ERROR_PIN_LOCKED, "serial", serial,
			       "the PIN of token %s is locked", serial);
}

json_object *
khoa_err_final_try(const char *serial)
{
	return token(KHOA_ERROR_FINAL_TRY, serial, "has one try left; not spent without final_try");
}

json_object *
khoa_err_pin_invalid(const char *serial, const char *rule)
{
	char *text = reason_text(rule, NULL, 0);
	json_object *e = text ? khoa_error_newf(KHOA_ERROR_PIN_INVALID, "serial", serial, "%s",
						text) : NULL;
	free(text);
	return add_str(e, "rule", rule);
}

json_object *
khoa_err_token_busy(const char *serial)
{
	return token(KHOA_ERROR_TOKEN_BUSY, serial, "is busy with another operation");
}

json_object *
khoa_err_internal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_object *e = vnew(KHOA_ERROR_INTERNAL, NULL, NULL, fmt, ap);
	va_end(ap);
	return e;
}

json_object *
khoa_err_registry_unavailable(bool unknown)
{
	if (unknown) {
		json_object *e = khoa_error_newf(KHOA_ERROR_REGISTRY_UNAVAILABLE, NULL, NULL,
			"the registry's server was lost while the change was being saved: it "
			"may or may not have been written"), *params;
		if (e && json_object_object_get_ex(e, "parameters", &params) &&
		    json_object_object_add(params, "unknown", json_object_new_boolean(1)) == 0)
			return e;
		json_object_put(e);
		return NULL;
	}
	return khoa_error_newf(KHOA_ERROR_REGISTRY_UNAVAILABLE, NULL, NULL,
			       "the registry's server cannot be reached; nothing was changed");
}

json_object *
khoa_err_registry_busy(void)
{
	return khoa_error_newf(KHOA_ERROR_REGISTRY_BUSY, NULL, NULL,
			       "another workstation is changing the same record; nothing was "
			       "changed");
}

json_object *
khoa_err_registry_read_only(const char *reason, const char *message)
{
	return khoa_error_newf(KHOA_ERROR_REGISTRY_READ_ONLY, "reason", reason,
			       "the registry takes no change for now (%s); nothing was changed",
			       message && *message ? message : reason);
}

json_object *
khoa_err_interface_not_found(const char *interface)
{
	return khoa_varlink_error(VARLINK_ERROR_INTERFACE_NOT_FOUND, "interface", interface);
}

json_object *
khoa_err_method_not_found(const char *method)
{
	return khoa_varlink_error(VARLINK_ERROR_METHOD_NOT_FOUND, "method", method);
}

json_object *
khoa_err_method_not_implemented(const char *method)
{
	return khoa_varlink_error(VARLINK_ERROR_METHOD_NOT_IMPLEMENTED, "method", method);
}

json_object *
khoa_err_invalid_parameter(const char *parameter)
{
	return khoa_varlink_error(VARLINK_ERROR_INVALID_PARAMETER, "parameter", parameter);
}

json_object *
khoa_err_expected_more(void)
{
	return khoa_error_new(VARLINK_ERROR_EXPECTED_MORE, NULL);
}
