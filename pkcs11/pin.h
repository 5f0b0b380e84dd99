/*
 * PIN operations on one token of a module, found by its serial: changing the
 * user PIN, and resetting it with the SO PIN. Owner thread of the module
 * only. Each opens its own read/write session and closes it (an SO login
 * fails while the process holds a read-only session on the slot; scans hold
 * none between scans). The PINs are only passed through.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <p11-kit/pkcs11.h>

#include "module.h"

/* What C_Login said of the PIN, for the record of tries: the operation's
 * result alone cannot tell a wrong PIN from a right one whose second step
 * failed. CALLED is false when the PIN never reached the token (no token
 * with that serial, no session). */
struct khoa_pin_login {
	bool called;
	CK_RV rv;
};

/* C_Login(CKU_USER, OLD) then C_SetPIN(OLD, NEW). Returns the first CK_RV
 * that is not CKR_OK (CKR_TOKEN_NOT_PRESENT when no token has SERIAL);
 * LOGIN says what C_Login answered. */
CK_RV khoa_pin_change(struct khoa_module *m, const char *serial,
		      const char *old_pin, size_t old_len, const char *new_pin, size_t new_len,
		      struct khoa_pin_login *login);

/* C_Login(CKU_SO, SO) then C_InitPIN(NEW). */
CK_RV khoa_pin_init(struct khoa_module *m, const char *serial,
		    const char *so_pin, size_t so_len, const char *new_pin, size_t new_len,
		    struct khoa_pin_login *login);

/* The token's flags now (C_GetTokenInfo), for the state after a failure. */
CK_RV khoa_pin_flags(struct khoa_module *m, const char *serial, CK_FLAGS *flags);
