/*
 * Errors on the wire: their names, and one constructor per error, so that
 * every place that answers one builds it the same way, with the parameters
 * its interface declares (proto/io.khoa.varlink; the protocol's own are
 * org.varlink.service's). test-errors holds each constructor's message to
 * the interface files. Each returns a new error message, NULL on ENOMEM.
 * Messages are English, for logs and other clients; khoa translates by name
 * and parameters.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#define KHOA_ERROR_NO_SUCH_TOKEN	"io.khoa.NoSuchToken"
#define KHOA_ERROR_UNKNOWN_TOKEN	"io.khoa.UnknownToken"
#define KHOA_ERROR_PERMISSION_DENIED	"io.khoa.PermissionDenied"
#define KHOA_ERROR_TIMEOUT		"io.khoa.Timeout"
#define KHOA_ERROR_MESSAGE_TOO_LARGE	"io.khoa.MessageTooLarge"
#define KHOA_ERROR_INVALID_MESSAGE	"io.khoa.InvalidMessage"
#define KHOA_ERROR_TOO_MANY_CLIENTS	"io.khoa.TooManyClients"
#define KHOA_ERROR_INVALID_FIELD	"io.khoa.InvalidField"
#define KHOA_ERROR_NO_SUCH_ORGANIZATION	"io.khoa.NoSuchOrganization"
#define KHOA_ERROR_NO_SUCH_PERSON	"io.khoa.NoSuchPerson"
#define KHOA_ERROR_ALREADY_REGISTERED	"io.khoa.AlreadyRegistered"
#define KHOA_ERROR_NOT_REGISTERED	"io.khoa.NotRegistered"
#define KHOA_ERROR_NO_MISMATCH		"io.khoa.NoMismatch"
#define KHOA_ERROR_TOO_SLOW		"io.khoa.TooSlow"
#define KHOA_ERROR_TRY_LATER		"io.khoa.TryLater"
#define KHOA_ERROR_PIN_INCORRECT	"io.khoa.PinIncorrect"
#define KHOA_ERROR_PIN_LOCKED		"io.khoa.PinLocked"
#define KHOA_ERROR_FINAL_TRY		"io.khoa.FinalTry"
#define KHOA_ERROR_PIN_INVALID		"io.khoa.PinInvalid"
#define KHOA_ERROR_TOKEN_BUSY		"io.khoa.TokenBusy"
#define KHOA_ERROR_NO_SUCH_REQUEST	"io.khoa.NoSuchRequest"
#define KHOA_ERROR_BAD_TRANSITION	"io.khoa.BadTransition"
#define KHOA_ERROR_NO_SUCH_HANDOVER	"io.khoa.NoSuchHandover"
#define KHOA_ERROR_NO_SUCH_CHANGE	"io.khoa.NoSuchChange"
#define KHOA_ERROR_FINALIZED		"io.khoa.Finalized"
#define KHOA_ERROR_SEAL_OUT		"io.khoa.SealOut"
#define KHOA_ERROR_TOKEN_STATE		"io.khoa.TokenState"
#define KHOA_ERROR_SEAL_IN		"io.khoa.SealIn"
#define KHOA_ERROR_RULE_VIOLATION	"io.khoa.RuleViolation"
#define KHOA_ERROR_ALREADY_FILED	"io.khoa.AlreadyFiled"
#define KHOA_ERROR_DUPLICATE		"io.khoa.Duplicate"
#define KHOA_ERROR_INTERNAL		"io.khoa.Internal"
#define KHOA_ERROR_REGISTRY_UNAVAILABLE	"io.khoa.RegistryUnavailable"
#define KHOA_ERROR_REGISTRY_BUSY	"io.khoa.RegistryBusy"
#define KHOA_ERROR_REGISTRY_READ_ONLY	"io.khoa.RegistryReadOnly"

#define VARLINK_ERROR_INTERFACE_NOT_FOUND	"org.varlink.service.InterfaceNotFound"
#define VARLINK_ERROR_METHOD_NOT_FOUND		"org.varlink.service.MethodNotFound"
#define VARLINK_ERROR_METHOD_NOT_IMPLEMENTED	"org.varlink.service.MethodNotImplemented"
#define VARLINK_ERROR_INVALID_PARAMETER		"org.varlink.service.InvalidParameter"
#define VARLINK_ERROR_EXPECTED_MORE		"org.varlink.service.ExpectedMore"

#define KHOA_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Tokens: not on this desk; never seen by the registry; as the registry has it. */
json_object *khoa_err_no_such_token(const char *serial);
json_object *khoa_err_unknown_token(const char *serial);
json_object *khoa_err_already_registered(const char *serial);
json_object *khoa_err_not_registered(const char *serial);
json_object *khoa_err_no_mismatch(const char *serial);

/* Who may: ROLE the role needed, of SCOPE when not NULL (an organization's
 * name, a token's serial); REASON NULL, or "four-eyes"; the message says for
 * what. */
json_object *khoa_err_permission_denied(const char *role, const char *scope, const char *reason,
					const char *fmt, ...) KHOA_PRINTF(4, 5);

/* The token SERIAL takes its next PIN try in SECONDS. */
json_object *khoa_err_try_later(const char *serial, int64_t seconds);

/* Nothing was changed: SECONDS waited for what the message says. */
json_object *khoa_err_timeout(int64_t seconds, const char *fmt, ...) KHOA_PRINTF(2, 3);

/* The connection (it is closed after these). */
json_object *khoa_err_message_too_large(int64_t limit);
json_object *khoa_err_invalid_message(const char *fmt, ...) KHOA_PRINTF(1, 2);
json_object *khoa_err_too_many_clients(int64_t limit);
json_object *khoa_err_too_slow(int64_t limit);

/* FIELD failed validation by RULE, a code of reasons.h ("cccd-year"), with
 * the N strings ARGS that code takes. */
json_object *khoa_err_invalid_field(const char *field, const char *rule);
json_object *khoa_err_invalid_field_args(const char *field, const char *rule,
					 const char *const *args, size_t n);

/* Records. NOUN names the kind of request ("PIN-recovery request"). */
json_object *khoa_err_no_such_organization(int64_t id);
json_object *khoa_err_no_such_person(int64_t id);
json_object *khoa_err_no_such_request(const char *noun, int64_t id);
json_object *khoa_err_no_such_handover(int64_t id);
json_object *khoa_err_no_such_change(int64_t id);

/* Request ID of NOUN is in STATE; ACTION is possible only FROM ("filed or
 * confirmed"). */
json_object *khoa_err_bad_transition(const char *noun, int64_t id, const char *state,
				     const char *action, const char *from);
json_object *khoa_err_finalized(int64_t id);
json_object *khoa_err_seal_out(const char *serial);
/* Token SERIAL is in STATE (lost, damaged, returned, retired; "found": lost
 * and plugged in again, not cleared yet) since SINCE: ACTION (handover,
 * seal, pin, or an incident's) is not for it now. */
json_object *khoa_err_token_state(const char *serial, const char *state, const char *since,
				  const char *action);
json_object *khoa_err_seal_in(const char *serial);
/* RULE's id (R-RENEW-60D) and the FACT that breaks it, a code of reasons.h
 * ("days-remain"), with the N strings ARGS that code takes. */
json_object *khoa_err_rule_violation(const char *rule, const char *fact,
				     const char *const *args, size_t n);
json_object *khoa_err_already_filed(int64_t year, const char *filed_at);
/* RECORD ID there already, sharing FIELD; SINCE: when it was filed (NULL:
 * not said). */
json_object *khoa_err_duplicate(const char *record, int64_t id, const char *field,
				const char *since);

/* PINs, as the token answered. */
json_object *khoa_err_pin_incorrect(const char *serial, const char *pin, bool final_try,
				    bool locked);
json_object *khoa_err_pin_locked(const char *serial);
json_object *khoa_err_final_try(const char *serial);
json_object *khoa_err_pin_invalid(const char *serial, const char *rule);
json_object *khoa_err_token_busy(const char *serial);

json_object *khoa_err_internal(const char *fmt, ...) KHOA_PRINTF(1, 2);

/* A shared registry's server away (UNKNOWN: lost while a change was being
 * committed, which may have been written), or busy with another
 * workstation's change. */
json_object *khoa_err_registry_unavailable(bool unknown);
json_object *khoa_err_registry_busy(void);
/* The registry takes no change now: REASON "disk-full", "read-only" or
 * "low-space", MESSAGE the details (free space, the floor, the directory). */
json_object *khoa_err_registry_read_only(const char *reason, const char *message);

/* org.varlink.service: exactly the parameter varlink declares, no message. */
json_object *khoa_err_interface_not_found(const char *interface);
json_object *khoa_err_method_not_found(const char *method);
json_object *khoa_err_method_not_implemented(const char *method);
json_object *khoa_err_invalid_parameter(const char *parameter);
json_object *khoa_err_expected_more(void);
