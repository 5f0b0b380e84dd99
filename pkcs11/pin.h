/*
 * PIN operations on one token of a module, found by its serial: changing the
 * user PIN, and resetting it with the SO PIN. Owner thread of the module
 * only. Each opens its own read/write session and closes it (an SO login
 * fails while the process holds a read-only session on the slot; scans hold
 * none between scans). The PINs are only passed through.
 */
#pragma once

#include <stddef.h>
#include <p11-kit/pkcs11.h>

#include "module.h"

/* C_Login(CKU_USER, OLD) then C_SetPIN(OLD, NEW). Returns the first CK_RV
 * that is not CKR_OK (CKR_TOKEN_NOT_PRESENT when no token has SERIAL). */
CK_RV khoa_pin_change(struct khoa_module *m, const char *serial,
		      const char *old_pin, size_t old_len, const char *new_pin, size_t new_len);

/* C_Login(CKU_SO, SO) then C_InitPIN(NEW). */
CK_RV khoa_pin_init(struct khoa_module *m, const char *serial,
		    const char *so_pin, size_t so_len, const char *new_pin, size_t new_len);

/* The token's flags now (C_GetTokenInfo), for the state after a failure. */
CK_RV khoa_pin_flags(struct khoa_module *m, const char *serial, CK_FLAGS *flags);
