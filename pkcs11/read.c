/* Slots, tokens and certificate objects of one module, read without login. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <p11-kit/p11-kit.h>

#include "read.h"
#include "text.h"
#include "x509.h"

struct bytes {
	unsigned char *data;
	CK_ULONG len;
};

struct id_set {
	struct bytes *ids;
	size_t n;
};

static void
id_set_clear(struct id_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->ids[i].data);
	free(s->ids);
	*s = (struct id_set){ 0 };
}

static bool
id_set_has(const struct id_set *s, const struct bytes *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ids[i].len == id->len && memcmp(s->ids[i].data, id->data, id->len) == 0)
			return true;
	return false;
}

static int
set_error(char **error, const char *what, CK_RV rv)
{
	if (asprintf(error, "%s: %s", what, p11_kit_strerror(rv)) < 0)
		*error = NULL;
	return rv == CKR_HOST_MEMORY ? -ENOMEM : -EIO;
}

/* One attribute's value, malloc'd (one spare NUL byte for text); a missing
 * or sensitive attribute reads as empty. */
static CK_RV
get_attribute(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj,
	      CK_ATTRIBUTE_TYPE type, struct bytes *out)
{
	CK_ATTRIBUTE attr = { type, NULL, 0 };
	CK_RV rv;

	*out = (struct bytes){ 0 };
	rv = f->C_GetAttributeValue(s, obj, &attr, 1);
	if (rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE ||
	    attr.ulValueLen == CK_UNAVAILABLE_INFORMATION)
		return CKR_OK;
	if (rv != CKR_OK)
		return rv;
	if (!(attr.pValue = out->data = calloc(1, attr.ulValueLen + 1)))
		return CKR_HOST_MEMORY;
	rv = f->C_GetAttributeValue(s, obj, &attr, 1);
	if (rv != CKR_OK) {
		free(out->data);
		*out = (struct bytes){ 0 };
		return rv;
	}
	out->len = attr.ulValueLen;
	return CKR_OK;
}

/* Handles of every object matching TEMPLATE, malloc'd. */
static CK_RV
find_objects(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_ATTRIBUTE *tmpl, CK_ULONG n,
	     CK_OBJECT_HANDLE **out, size_t *count)
{
	CK_OBJECT_HANDLE *objs = NULL;
	size_t used = 0, cap = 0;
	CK_RV rv;

	*out = NULL;
	*count = 0;
	if ((rv = f->C_FindObjectsInit(s, tmpl, n)) != CKR_OK)
		return rv;
	for (;;) {
		if (cap - used < 32) {
			CK_OBJECT_HANDLE *grown = realloc(objs, (cap + 64) * sizeof(*objs));
			if (!grown) {
				rv = CKR_HOST_MEMORY;
				break;
			}
			objs = grown;
			cap += 64;
		}
		CK_ULONG got = 0;
		rv = f->C_FindObjects(s, objs + used, 32, &got);
		if (rv != CKR_OK || got == 0)
			break;
		used += got;
	}
	f->C_FindObjectsFinal(s);
	if (rv != CKR_OK) {
		free(objs);
		return rv;
	}
	*out = objs;
	*count = used;
	return CKR_OK;
}

/* The CKA_IDs of every object of class CLASS. */
static CK_RV
collect_ids(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_OBJECT_CLASS class, struct id_set *set)
{
	CK_ATTRIBUTE tmpl[] = { { CKA_CLASS, &class, sizeof(class) } };
	CK_OBJECT_HANDLE *objs;
	size_t n;
	CK_RV rv = find_objects(f, s, tmpl, 1, &objs, &n);
	if (rv != CKR_OK)
		return rv;

	struct bytes *grown = realloc(set->ids, (set->n + n + 1) * sizeof(*set->ids));
	if (!grown) {
		free(objs);
		return CKR_HOST_MEMORY;
	}
	set->ids = grown;
	for (size_t i = 0; i < n && rv == CKR_OK; i++) {
		struct bytes id;
		if ((rv = get_attribute(f, s, objs[i], CKA_ID, &id)) == CKR_OK && id.len > 0)
			set->ids[set->n++] = id;
		else
			free(id.data);
	}
	free(objs);
	return rv;
}

static int
cmp_cert(const void *a, const void *b)
{
	const struct khoa_cert *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : strcmp(x->serial, y->serial);
}

/* Every X.509 certificate object of the token open in session S. */
static CK_RV
read_certs(CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, struct khoa_token *t)
{
	CK_OBJECT_CLASS class = CKO_CERTIFICATE;
	CK_CERTIFICATE_TYPE type = CKC_X_509;
	CK_ATTRIBUTE tmpl[] = {
		{ CKA_CLASS, &class, sizeof(class) },
		{ CKA_CERTIFICATE_TYPE, &type, sizeof(type) },
	};
	struct id_set keys = { 0 };
	CK_OBJECT_HANDLE *objs = NULL;
	size_t n = 0;
	CK_RV rv;

	if ((rv = find_objects(f, s, tmpl, 2, &objs, &n)) != CKR_OK)
		return rv;
	/* Private keys are private objects, hidden without login; the public
	 * key of the same pair is public, so either one shows the key is there. */
	if ((rv = collect_ids(f, s, CKO_PRIVATE_KEY, &keys)) != CKR_OK ||
	    (rv = collect_ids(f, s, CKO_PUBLIC_KEY, &keys)) != CKR_OK)
		goto out;
	if (n && !(t->certs = calloc(n, sizeof(*t->certs)))) {
		rv = CKR_HOST_MEMORY;
		goto out;
	}

	for (size_t i = 0; i < n; i++) {
		struct bytes value, id, label;
		struct khoa_cert *c = &t->certs[t->n_certs];

		if ((rv = get_attribute(f, s, objs[i], CKA_VALUE, &value)) != CKR_OK)
			goto out;
		int r = khoa_cert_read_der(value.data, value.len, c);
		free(value.data);
		if (r == -EBADMSG)
			continue;	/* not a certificate we can read: not ours to show */
		if (r < 0) {
			rv = CKR_HOST_MEMORY;
			goto out;
		}
		t->n_certs++;
		if ((rv = get_attribute(f, s, objs[i], CKA_ID, &id)) != CKR_OK)
			goto out;
		c->has_private_key = id.len > 0 && id_set_has(&keys, &id);
		c->id = khoa_text_hex(id.data, id.len);
		free(id.data);
		if ((rv = get_attribute(f, s, objs[i], CKA_LABEL, &label)) != CKR_OK)
			goto out;
		c->label = khoa_text_from_bytes(label.data ? label.data : (unsigned char *)"", label.len);
		free(label.data);
		if (!c->id || !c->label) {
			rv = CKR_HOST_MEMORY;
			goto out;
		}
	}
	if (t->n_certs > 1)
		qsort(t->certs, t->n_certs, sizeof(*t->certs), cmp_cert);
out:
	free(objs);
	id_set_clear(&keys);
	return rv;
}

static CK_RV
read_token(CK_FUNCTION_LIST *f, CK_SLOT_ID slot, const CK_TOKEN_INFO *ti,
	   const char *module_name, struct khoa_token *t)
{
	CK_SLOT_INFO si;
	CK_SESSION_HANDLE s;
	CK_RV rv;

	if (f->C_GetSlotInfo(slot, &si) != CKR_OK)
		return CKR_SLOT_ID_INVALID;	/* the slot went away */
	t->serial = khoa_text_from_padded(ti->serialNumber, sizeof(ti->serialNumber));
	t->label = khoa_text_from_padded(ti->label, sizeof(ti->label));
	t->manufacturer = khoa_text_from_padded(ti->manufacturerID, sizeof(ti->manufacturerID));
	t->model = khoa_text_from_padded(ti->model, sizeof(ti->model));
	t->slot_description = khoa_text_from_padded(si.slotDescription, sizeof(si.slotDescription));
	t->module = strdup(module_name);
	t->flags = ti->flags;
	t->min_pin_len = ti->ulMinPinLen;
	t->max_pin_len = ti->ulMaxPinLen;
	if (!t->serial || !t->label || !t->manufacturer || !t->model ||
	    !t->slot_description || !t->module)
		return CKR_HOST_MEMORY;
	if (!(ti->flags & CKF_TOKEN_INITIALIZED))
		return CKR_OK;	/* a blank token holds no objects to read */

	if ((rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s)) != CKR_OK)
		return rv;
	rv = read_certs(f, s, t);
	f->C_CloseSession(s);
	return rv;
}

int
khoa_read_tokens(CK_FUNCTION_LIST *f, const char *module_name,
		 struct khoa_token_list *out, char **error)
{
	CK_SLOT_ID *slots = NULL;
	CK_ULONG n = 0;
	CK_RV rv;
	int r = 0;

	*error = NULL;
	/* The list may grow between the two calls: ask again until it fits. */
	for (;;) {
		if ((rv = f->C_GetSlotList(CK_TRUE, NULL, &n)) != CKR_OK)
			return set_error(error, "C_GetSlotList", rv);
		CK_SLOT_ID *grown = realloc(slots, (n + 1) * sizeof(*slots));
		if (!grown) {
			free(slots);
			return -ENOMEM;
		}
		slots = grown;
		rv = f->C_GetSlotList(CK_TRUE, slots, &n);
		if (rv != CKR_BUFFER_TOO_SMALL)
			break;
	}
	if (rv != CKR_OK) {
		r = set_error(error, "C_GetSlotList", rv);
		goto out;
	}

	struct khoa_token *grown = realloc(out->tokens, (out->n + n + 1) * sizeof(*out->tokens));
	if (!grown) {
		r = -ENOMEM;
		goto out;
	}
	out->tokens = grown;

	for (CK_ULONG i = 0; i < n; i++) {
		CK_TOKEN_INFO ti;
		/* A token pulled out (or deleted) since the slot list: not there. */
		if (f->C_GetTokenInfo(slots[i], &ti) != CKR_OK)
			continue;
		if (ti.serialNumber[0] == ' ' || ti.serialNumber[0] == '\0')
			continue;	/* nothing to key it by (SoftHSM2's spare slot) */

		struct khoa_token *t = &out->tokens[out->n];
		memset(t, 0, sizeof(*t));
		rv = read_token(f, slots[i], &ti, module_name, t);
		if (rv == CKR_HOST_MEMORY) {
			khoa_token_clear(t);
			r = -ENOMEM;
			goto out;
		}
		if (rv == CKR_DEVICE_REMOVED || rv == CKR_TOKEN_NOT_PRESENT ||
		    rv == CKR_SLOT_ID_INVALID || rv == CKR_SESSION_HANDLE_INVALID) {
			khoa_token_clear(t);	/* pulled out mid-scan */
			continue;
		}
		/* Otherwise the token is there: show what could be read of it. */
		out->n++;
	}
out:
	free(slots);
	return r;
}
