/*
 * khoa-fault.so: a PKCS#11 module for tests.  It forwards every call to a
 * real module (SoftHSM2 unless KHOA_FAULT_MODULE names another) and adds the
 * faults a real token shows and SoftHSM2 never does: a user PIN that locks
 * after N wrong tries, calls that hang, a token pulled out (also mid-call).
 *
 * Faults are driven from outside the process through files in the directory
 * named by KHOA_FAULT_DIR, keyed by token serial, so every process using the
 * module (khoad, pkcs11-tool, the client tests) sees one token state.  Without
 * KHOA_FAULT_DIR the module hands out the real function list untouched.
 * The protocol is described in tests/fault/README.md; fault.h lists the
 * pieces: this file replaces the C_* functions and loads the real module.
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <p11-kit/pkcs11.h>

#include "fault.h"

#define DEFAULT_MODULE "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"

#define EXPORT __attribute__((visibility("default")))

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static CK_RV load_rv = CKR_GENERAL_ERROR;
CK_FUNCTION_LIST *real;			/* the real module's list */
static CK_FUNCTION_LIST fault_list;	/* ours: a copy with entries replaced */
const char *fault_dir;			/* KHOA_FAULT_DIR, NULL: pass-through */
static char fault_dir_buf[PATH_MAX - 64];

/* ------------------------------------------------ replaced functions */

static CK_RV
fault_C_Initialize(CK_VOID_PTR args)
{
	hang("C_Initialize", NULL);
	maps_clear();
	return real->C_Initialize(args);
}

static CK_RV
fault_C_Finalize(CK_VOID_PTR reserved)
{
	hang("C_Finalize", NULL);
	CK_RV rv = real->C_Finalize(reserved);
	maps_clear();			/* SoftHSM2's slot IDs change on re-initialize */
	return rv;
}

static CK_RV
fault_C_GetInfo(CK_INFO_PTR info)
{
	hang("C_GetInfo", NULL);
	return real->C_GetInfo(info);
}

static CK_RV
fault_C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR slot, CK_VOID_PTR reserved)
{
	hang("C_WaitForSlotEvent", NULL);
	return real->C_WaitForSlotEvent(flags, slot, reserved);
}

static CK_RV
fault_C_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count)
{
	hang("C_GetSlotList", NULL);
	if (!present)
		return real->C_GetSlotList(present, list, count);
	if (!count)
		return CKR_ARGUMENTS_BAD;

	CK_SLOT_ID *all = NULL;
	CK_ULONG n = 0;
	CK_RV rv;
	for (;;) {
		rv = real->C_GetSlotList(CK_TRUE, NULL, &n);
		if (rv != CKR_OK)
			return rv;
		CK_SLOT_ID *p = realloc(all, (n ? n : 1) * sizeof(*p));
		if (!p) {
			free(all);
			return CKR_HOST_MEMORY;
		}
		all = p;
		rv = real->C_GetSlotList(CK_TRUE, all, &n);
		if (rv != CKR_BUFFER_TOO_SMALL)
			break;
	}
	if (rv != CKR_OK) {
		free(all);
		return rv;
	}

	CK_ULONG kept = 0;
	for (CK_ULONG i = 0; i < n; i++) {
		struct target t;
		slot_target(all[i], &t);
		if (!token_removed(&t))
			all[kept++] = all[i];
	}
	if (!list) {
		*count = kept;
	} else if (*count < kept) {
		*count = kept;
		rv = CKR_BUFFER_TOO_SMALL;
	} else {
		memcpy(list, all, kept * sizeof(*list));
		*count = kept;
	}
	free(all);
	return rv;
}

static CK_RV
fault_C_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info)
{
	struct target t;
	slot_target(slot, &t);
	if (!token_removed(&t))
		hang("C_GetSlotInfo", &t);
	CK_RV rv = real->C_GetSlotInfo(slot, info);
	if (rv == CKR_OK && token_removed(&t))
		info->flags &= ~CKF_TOKEN_PRESENT;
	return rv;
}

static CK_RV
fault_C_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info)
{
	struct target t;
	CK_RV rv = enter_slot("C_GetTokenInfo", slot, &t);
	if (rv != CKR_OK)
		return rv;
	rv = real->C_GetTokenInfo(slot, info);
	if (rv == CKR_OK) {
		trim_serial(info->serialNumber, t.serial);
		slot_remember(slot, t.serial);
		if (t.serial[0])
			apply_pin_flags(t.serial, &info->flags);
	} else if (rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_SLOT_ID_INVALID) {
		slot_forget(slot);
	}
	return rv;
}

static CK_RV
fault_C_GetMechanismList(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count)
{
	struct target t;
	CK_RV rv = enter_slot("C_GetMechanismList", slot, &t);
	return rv != CKR_OK ? rv : real->C_GetMechanismList(slot, list, count);
}

static CK_RV
fault_C_GetMechanismInfo(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info)
{
	struct target t;
	CK_RV rv = enter_slot("C_GetMechanismInfo", slot, &t);
	return rv != CKR_OK ? rv : real->C_GetMechanismInfo(slot, type, info);
}

static CK_RV
fault_C_InitToken(CK_SLOT_ID slot, CK_UTF8CHAR_PTR pin, CK_ULONG len, CK_UTF8CHAR_PTR label)
{
	struct target t;
	CK_RV rv = enter_slot("C_InitToken", slot, &t);
	if (rv != CKR_OK)
		return rv;
	rv = real->C_InitToken(slot, pin, len, label);
	if (rv == CKR_OK) {
		if (t.serial[0] && max_tries(t.serial)) {
			int lock = token_lock(t.serial);
			write_long(t.serial, "wrong-tries", 0);
			token_unlock(lock);
		}
		slot_forget(slot);	/* a fresh token may carry a new serial */
	}
	return rv;
}

static CK_RV
fault_C_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify,
		    CK_SESSION_HANDLE_PTR session)
{
	struct target t;
	CK_RV rv = enter_slot("C_OpenSession", slot, &t);
	if (rv != CKR_OK)
		return rv;
	rv = real->C_OpenSession(slot, flags, app, notify, session);
	if (rv != CKR_OK)
		return rv;
	session_add(*session, slot);

	/* The first session after a reinsertion: the real module may still be
	 * logged in through the dead ones, a reinserted token is not. */
	if (slot_take_logout(slot))
		real->C_Logout(*session);
	return CKR_OK;
}

/* Closing a session its token already dropped succeeds (and frees the real
 * module's session). */
static CK_RV
fault_C_CloseSession(CK_SESSION_HANDLE h)
{
	struct target t;
	CK_RV rv = enter_session("C_CloseSession", h, &t);
	if (rv != CKR_OK) {
		real->C_CloseSession(h);
		session_drop(h);
		return CKR_OK;
	}
	rv = real->C_CloseSession(h);
	if (rv == CKR_OK || rv == CKR_SESSION_HANDLE_INVALID)
		session_drop(h);
	return rv;
}

static CK_RV
fault_C_CloseAllSessions(CK_SLOT_ID slot)
{
	struct target t;
	slot_target(slot, &t);
	if (!token_removed(&t))
		hang("C_CloseAllSessions", &t);
	CK_RV rv = real->C_CloseAllSessions(slot);
	sessions_drop_slot(slot);
	return rv;
}

static const char *
user_name(CK_USER_TYPE who)
{
	switch (who) {
	case CKU_USER:
		return "USER";
	case CKU_SO:
		return "SO";
	case CKU_CONTEXT_SPECIFIC:
		return "CONTEXT_SPECIFIC";
	default:
		return "OTHER";
	}
}

static CK_RV
fault_C_Login(CK_SESSION_HANDLE h, CK_USER_TYPE who, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
	struct target t;
	bool forwarded = false;
	CK_RV rv = enter_session("C_Login", h, &t);
	if (rv == CKR_OK) {
		if (who == CKU_SO) {
			forwarded = true;
			rv = real->C_Login(h, who, pin, len);
		} else {
			struct pin_call c = { .h = h, .who = who, .pin = pin, .pin_len = len };
			rv = pin_check(&t, &c, &forwarded);
		}
	}
	log_call("C_Login", &t, rv, user_name(who), forwarded);
	return rv;
}

static CK_RV
fault_C_SetPIN(CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR old_pin, CK_ULONG old_len,
	       CK_UTF8CHAR_PTR new_pin, CK_ULONG new_len)
{
	struct target t;
	bool forwarded = false, so = false;
	CK_RV rv = enter_session("C_SetPIN", h, &t);
	if (rv == CKR_OK) {
		CK_SESSION_INFO info;
		so = real->C_GetSessionInfo(h, &info) == CKR_OK && info.state == CKS_RW_SO_FUNCTIONS;
		if (so) {
			forwarded = true;
			rv = real->C_SetPIN(h, old_pin, old_len, new_pin, new_len);
		} else {
			struct pin_call c = { .h = h, .who = CKU_USER, .pin = old_pin,
					      .pin_len = old_len, .new_pin = new_pin,
					      .new_len = new_len, .set_pin = true };
			rv = pin_check(&t, &c, &forwarded);
		}
	}
	log_call("C_SetPIN", &t, rv, so ? "SO" : "USER", forwarded);
	return rv;
}

static CK_RV
fault_C_InitPIN(CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
	struct target t;
	bool forwarded = false;
	CK_RV rv = enter_session("C_InitPIN", h, &t);
	if (rv == CKR_OK) {
		forwarded = true;
		rv = real->C_InitPIN(h, pin, len);
		if (rv == CKR_OK && t.serial[0] && max_tries(t.serial)) {
			int lock = token_lock(t.serial);
			write_long(t.serial, "wrong-tries", 0);	/* unlocked */
			token_unlock(lock);
		}
	}
	log_call("C_InitPIN", &t, rv, "USER", forwarded);
	return rv;
}

/*
 * Every other call on a session: refused with CKR_DEVICE_REMOVED while the
 * token is out, may hang, otherwise forwarded untouched.
 */
#define SESSION_CALL(name, params, args)				\
	static CK_RV							\
	fault_##name params						\
	{								\
		struct target t;					\
		CK_RV rv = enter_session(#name, hSession, &t);		\
		return rv != CKR_OK ? rv : real->name args;		\
	}

SESSION_CALL(C_GetSessionInfo, (CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR a),
	     (hSession, a))
SESSION_CALL(C_GetOperationState,
	     (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG_PTR b), (hSession, a, b))
SESSION_CALL(C_SetOperationState,
	     (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG b, CK_OBJECT_HANDLE c,
	      CK_OBJECT_HANDLE d), (hSession, a, b, c, d))
SESSION_CALL(C_Logout, (CK_SESSION_HANDLE hSession), (hSession))
SESSION_CALL(C_CreateObject,
	     (CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR a, CK_ULONG b,
	      CK_OBJECT_HANDLE_PTR c), (hSession, a, b, c))
SESSION_CALL(C_CopyObject,
	     (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a, CK_ATTRIBUTE_PTR b, CK_ULONG c,
	      CK_OBJECT_HANDLE_PTR d), (hSession, a, b, c, d))
SESSION_CALL(C_DestroyObject, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a),
	     (hSession, a))
SESSION_CALL(C_GetObjectSize,
	     (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a, CK_ULONG_PTR b),
	     (hSession, a, b))
SESSION_CALL(C_GetAttributeValue,
	     (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a, CK_ATTRIBUTE_PTR b, CK_ULONG c),
	     (hSession, a, b, c))
SESSION_CALL(C_SetAttributeValue,
	     (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a, CK_ATTRIBUTE_PTR b, CK_ULONG c),
	     (hSession, a, b, c))
SESSION_CALL(C_FindObjectsInit,
	     (CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR a, CK_ULONG b), (hSession, a, b))
SESSION_CALL(C_FindObjects,
	     (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR a, CK_ULONG b, CK_ULONG_PTR c),
	     (hSession, a, b, c))
SESSION_CALL(C_FindObjectsFinal, (CK_SESSION_HANDLE hSession), (hSession))

/* The one-shot, update and final shapes shared by many operations. */
#define SESSION_INIT(name)						\
	SESSION_CALL(name, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a,	\
			    CK_OBJECT_HANDLE b), (hSession, a, b))
#define SESSION_INOUT(name)						\
	SESSION_CALL(name, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG b,	\
			    CK_BYTE_PTR c, CK_ULONG_PTR d), (hSession, a, b, c, d))
#define SESSION_IN(name)						\
	SESSION_CALL(name, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG b),	\
		     (hSession, a, b))
#define SESSION_OUT(name)						\
	SESSION_CALL(name, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG_PTR b),	\
		     (hSession, a, b))

SESSION_INIT(C_EncryptInit)
SESSION_INOUT(C_Encrypt)
SESSION_INOUT(C_EncryptUpdate)
SESSION_OUT(C_EncryptFinal)
SESSION_INIT(C_DecryptInit)
SESSION_INOUT(C_Decrypt)
SESSION_INOUT(C_DecryptUpdate)
SESSION_OUT(C_DecryptFinal)
SESSION_CALL(C_DigestInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a), (hSession, a))
SESSION_INOUT(C_Digest)
SESSION_IN(C_DigestUpdate)
SESSION_CALL(C_DigestKey, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a), (hSession, a))
SESSION_OUT(C_DigestFinal)
SESSION_INIT(C_SignInit)
SESSION_INOUT(C_Sign)
SESSION_IN(C_SignUpdate)
SESSION_OUT(C_SignFinal)
SESSION_INIT(C_SignRecoverInit)
SESSION_INOUT(C_SignRecover)
SESSION_INIT(C_VerifyInit)
SESSION_CALL(C_Verify,
	     (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG d),
	     (hSession, a, b, c, d))
SESSION_IN(C_VerifyUpdate)
SESSION_IN(C_VerifyFinal)
SESSION_INIT(C_VerifyRecoverInit)
SESSION_INOUT(C_VerifyRecover)
SESSION_INOUT(C_DigestEncryptUpdate)
SESSION_INOUT(C_DecryptDigestUpdate)
SESSION_INOUT(C_SignEncryptUpdate)
SESSION_INOUT(C_DecryptVerifyUpdate)
SESSION_CALL(C_GenerateKey,
	     (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a, CK_ATTRIBUTE_PTR b, CK_ULONG c,
	      CK_OBJECT_HANDLE_PTR d), (hSession, a, b, c, d))
SESSION_CALL(C_GenerateKeyPair,
	     (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a, CK_ATTRIBUTE_PTR b, CK_ULONG c,
	      CK_ATTRIBUTE_PTR d, CK_ULONG e, CK_OBJECT_HANDLE_PTR f, CK_OBJECT_HANDLE_PTR g),
	     (hSession, a, b, c, d, e, f, g))
SESSION_CALL(C_WrapKey,
	     (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b,
	      CK_OBJECT_HANDLE c, CK_BYTE_PTR d, CK_ULONG_PTR e), (hSession, a, b, c, d, e))
SESSION_CALL(C_UnwrapKey,
	     (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b, CK_BYTE_PTR c,
	      CK_ULONG d, CK_ATTRIBUTE_PTR e, CK_ULONG f, CK_OBJECT_HANDLE_PTR g),
	     (hSession, a, b, c, d, e, f, g))
SESSION_CALL(C_DeriveKey,
	     (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b,
	      CK_ATTRIBUTE_PTR c, CK_ULONG d, CK_OBJECT_HANDLE_PTR e), (hSession, a, b, c, d, e))
SESSION_IN(C_SeedRandom)
SESSION_CALL(C_GenerateRandom, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG b),
	     (hSession, a, b))
SESSION_CALL(C_GetFunctionStatus, (CK_SESSION_HANDLE hSession), (hSession))
SESSION_CALL(C_CancelFunction, (CK_SESSION_HANDLE hSession), (hSession))

/* ------------------------------------------------------------ loading */

static void
load(void)
{
	const char *path = getenv("KHOA_FAULT_MODULE");
	if (!path || !*path)
		path = DEFAULT_MODULE;
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		fprintf(stderr, "khoa-fault: cannot load %s: %s\n", path, dlerror());
		return;
	}
	CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(dl, "C_GetFunctionList");
	if (!get || get(&real) != CKR_OK || !real) {
		fprintf(stderr, "khoa-fault: %s: no usable C_GetFunctionList\n", path);
		real = NULL;
		return;
	}
	const char *dir = getenv("KHOA_FAULT_DIR");
	if (dir && *dir) {
		if (strlen(dir) >= sizeof(fault_dir_buf)) {
			fprintf(stderr, "khoa-fault: KHOA_FAULT_DIR too long\n");
			return;
		}
		fault_dir = strcpy(fault_dir_buf, dir);
	}

	fault_list = *real;
	fault_list.C_GetFunctionList = C_GetFunctionList;
#define HOOK(name)						\
	do {							\
		if (real->name)					\
			fault_list.name = fault_##name;		\
	} while (0)
	HOOK(C_Initialize);
	HOOK(C_Finalize);
	HOOK(C_GetInfo);
	HOOK(C_GetSlotList);
	HOOK(C_GetSlotInfo);
	HOOK(C_GetTokenInfo);
	HOOK(C_GetMechanismList);
	HOOK(C_GetMechanismInfo);
	HOOK(C_InitToken);
	HOOK(C_InitPIN);
	HOOK(C_SetPIN);
	HOOK(C_OpenSession);
	HOOK(C_CloseSession);
	HOOK(C_CloseAllSessions);
	HOOK(C_GetSessionInfo);
	HOOK(C_GetOperationState);
	HOOK(C_SetOperationState);
	HOOK(C_Login);
	HOOK(C_Logout);
	HOOK(C_CreateObject);
	HOOK(C_CopyObject);
	HOOK(C_DestroyObject);
	HOOK(C_GetObjectSize);
	HOOK(C_GetAttributeValue);
	HOOK(C_SetAttributeValue);
	HOOK(C_FindObjectsInit);
	HOOK(C_FindObjects);
	HOOK(C_FindObjectsFinal);
	HOOK(C_EncryptInit);
	HOOK(C_Encrypt);
	HOOK(C_EncryptUpdate);
	HOOK(C_EncryptFinal);
	HOOK(C_DecryptInit);
	HOOK(C_Decrypt);
	HOOK(C_DecryptUpdate);
	HOOK(C_DecryptFinal);
	HOOK(C_DigestInit);
	HOOK(C_Digest);
	HOOK(C_DigestUpdate);
	HOOK(C_DigestKey);
	HOOK(C_DigestFinal);
	HOOK(C_SignInit);
	HOOK(C_Sign);
	HOOK(C_SignUpdate);
	HOOK(C_SignFinal);
	HOOK(C_SignRecoverInit);
	HOOK(C_SignRecover);
	HOOK(C_VerifyInit);
	HOOK(C_Verify);
	HOOK(C_VerifyUpdate);
	HOOK(C_VerifyFinal);
	HOOK(C_VerifyRecoverInit);
	HOOK(C_VerifyRecover);
	HOOK(C_DigestEncryptUpdate);
	HOOK(C_DecryptDigestUpdate);
	HOOK(C_SignEncryptUpdate);
	HOOK(C_DecryptVerifyUpdate);
	HOOK(C_GenerateKey);
	HOOK(C_GenerateKeyPair);
	HOOK(C_WrapKey);
	HOOK(C_UnwrapKey);
	HOOK(C_DeriveKey);
	HOOK(C_SeedRandom);
	HOOK(C_GenerateRandom);
	HOOK(C_GetFunctionStatus);
	HOOK(C_CancelFunction);
	HOOK(C_WaitForSlotEvent);
#undef HOOK
	load_rv = CKR_OK;
}

EXPORT CK_RV
C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
	if (!list)
		return CKR_ARGUMENTS_BAD;
	pthread_once(&load_once, load);
	if (load_rv != CKR_OK)
		return load_rv;
	*list = fault_dir ? &fault_list : real;
	return CKR_OK;
}
