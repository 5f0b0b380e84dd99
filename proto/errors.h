/*
 * Error names on the wire. Domain errors are declared in proto/io.khoa.varlink;
 * protocol errors are varlink's own (org.varlink.service). A unit test checks
 * that every io.khoa name here is declared in the interface files.
 */
#pragma once

#define KHOA_ERROR_NO_SUCH_TOKEN	"io.khoa.NoSuchToken"
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
#define KHOA_ERROR_SEAL_IN		"io.khoa.SealIn"
#define KHOA_ERROR_RULE_VIOLATION	"io.khoa.RuleViolation"
#define KHOA_ERROR_ALREADY_FILED	"io.khoa.AlreadyFiled"
#define KHOA_ERROR_INTERNAL		"io.khoa.Internal"

#define VARLINK_ERROR_INTERFACE_NOT_FOUND	"org.varlink.service.InterfaceNotFound"
#define VARLINK_ERROR_METHOD_NOT_FOUND		"org.varlink.service.MethodNotFound"
#define VARLINK_ERROR_METHOD_NOT_IMPLEMENTED	"org.varlink.service.MethodNotImplemented"
#define VARLINK_ERROR_INVALID_PARAMETER		"org.varlink.service.InvalidParameter"
#define VARLINK_ERROR_EXPECTED_MORE		"org.varlink.service.ExpectedMore"
