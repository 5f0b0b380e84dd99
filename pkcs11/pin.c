/* Changing and resetting a token's user PIN. */
#include <string.h>

#include "pin.h"

/* The slot of the token with SERIAL, by its trimmed CK_TOKEN_INFO.serialNumber. */
static CK_RV
find_slot(CK_FUNCTION_LIST *f, const char *serial, CK_SLOT_ID *slot, CK_TOKEN_INFO *ti)
{
	CK_SLOT_ID slots[256];
	CK_ULONG n = sizeof(slots) / sizeof(*slots);
	CK_RV rv = f->C_GetSlotList(CK_TRUE, slots, &n);
	size_t want = strlen(serial);

	if (rv != CKR_OK)
		return rv;
	for (CK_ULONG i = 0; i < n; i++) {
		if (f->C_GetTokenInfo(slots[i], ti) != CKR_OK)
			continue;
		size_t len = sizeof(ti->serialNumber);
		while (len > 0 && (ti->serialNumber[len - 1] == ' ' || ti->serialNumber[len - 1] == 0))
			len--;
		if (len == want && memcmp(ti->serialNumber, serial, len) == 0) {
			*slot = slots[i];
			return CKR_OK;
		}
	}
	return CKR_TOKEN_NOT_PRESENT;
}

/* Logs in as USER with PIN on a new read/write session of SERIAL's slot,
 * runs OP, logs out and closes; LOGIN gets what C_Login answered. */
static CK_RV
with_login(struct khoa_module *m, const char *serial, CK_USER_TYPE user,
	   const char *pin, size_t pin_len, struct khoa_pin_login *login,
	   CK_RV (*op)(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, const char *a, size_t alen,
		       const char *b, size_t blen),
	   const char *a, size_t alen, const char *b, size_t blen)
{
	CK_FUNCTION_LIST *f;
	CK_SESSION_HANDLE s;
	CK_TOKEN_INFO ti;
	CK_SLOT_ID slot;
	CK_RV rv;

	*login = (struct khoa_pin_login){ .called = false };
	if (!(f = khoa_module_functions(m, &rv)))
		return rv;
	if ((rv = find_slot(f, serial, &slot, &ti)) != CKR_OK)
		return rv;
	if ((rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s)) != CKR_OK)
		return rv;
	rv = f->C_Login(s, user, (CK_UTF8CHAR *)pin, pin_len);
	*login = (struct khoa_pin_login){ .called = true, .rv = rv };
	if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) {
		rv = op(f, s, a, alen, b, blen);
		f->C_Logout(s);
	}
	f->C_CloseSession(s);
	return rv;
}

static CK_RV
set_pin(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, const char *old_pin, size_t old_len,
	const char *new_pin, size_t new_len)
{
	return f->C_SetPIN(s, (CK_UTF8CHAR *)old_pin, old_len, (CK_UTF8CHAR *)new_pin, new_len);
}

static CK_RV
init_pin(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, const char *unused, size_t unused_len,
	 const char *new_pin, size_t new_len)
{
	return f->C_InitPIN(s, (CK_UTF8CHAR *)new_pin, new_len);
}

CK_RV
khoa_pin_change(struct khoa_module *m, const char *serial,
		const char *old_pin, size_t old_len, const char *new_pin, size_t new_len,
		struct khoa_pin_login *login)
{
	return with_login(m, serial, CKU_USER, old_pin, old_len, login, set_pin,
			  old_pin, old_len, new_pin, new_len);
}

CK_RV
khoa_pin_init(struct khoa_module *m, const char *serial,
	      const char *so_pin, size_t so_len, const char *new_pin, size_t new_len,
	      struct khoa_pin_login *login)
{
	return with_login(m, serial, CKU_SO, so_pin, so_len, login, init_pin, NULL, 0, new_pin, new_len);
}

CK_RV
khoa_pin_flags(struct khoa_module *m, const char *serial, CK_FLAGS *flags)
{
	CK_FUNCTION_LIST *f;
	CK_TOKEN_INFO ti;
	CK_SLOT_ID slot;
	CK_RV rv;

	if (!(f = khoa_module_functions(m, &rv)))
		return rv;
	if ((rv = find_slot(f, serial, &slot, &ti)) == CKR_OK)
		*flags = ti.flags;
	return rv;
}
