/*
 * Mẫu 09, the form of a PIN-recovery request: pre-filled from the token and
 * the registry, then the caller's fields, validated (pin-request-form.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>

#include "khoad.h"
#include "message.h"
#include "method-util.h"
#include "pin-request-form.h"
#include "store-registry.h"
#include "store-tokens.h"
#include "store.h"
#include "validate.h"

/* S in capitals, as the form asks (chữ in hoa): Unicode's full case
 * mapping keeps every Vietnamese letter and its marks (Đ, Ư, Ơ, Ễ), NFC. */
static char *
capitals(const char *s)
{
	size_t n = 0;
	uint8_t *u = u8_toupper((const uint8_t *)s, strlen(s), NULL, UNINORM_NFC, NULL, &n);
	char *out = u ? malloc(n + 1) : NULL;
	if (out) {
		memcpy(out, u, n);
		out[n] = '\0';
	}
	free(u);
	return out;
}

/* FORM[KEY] = VAL (a copy); a NULL VAL removes the key. */
static int
form_set(json_object *form, const char *key, const char *val)
{
	if (!val) {
		json_object_object_del(form, key);
		return 0;
	}
	json_object *v = json_object_new_string(val);
	if (!v || json_object_object_add(form, key, v) < 0) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}

static int
form_set_capitals(json_object *form, const char *key, const char *val)
{
	if (!val)
		return 0;
	char *up = capitals(val);
	int r = up ? form_set(form, key, up) : -ENOMEM;
	free(up);
	return r;
}

/* "2026-11-24T20:28:31Z" → "2026-11-24". */
static int
form_set_date(json_object *form, const char *key, const char *iso)
{
	char day[11];
	if (strlen(iso) < 10)
		return 0;
	memcpy(day, iso, 10);
	day[10] = '\0';
	return form_set(form, key, day);
}

/* What the token says: its serial and its first certificate. */
static int
prefill_device(json_object *form, const struct khoa_token *t)
{
	int r = form_set(form, "token_serial", t->serial);
	if (r == 0 && t->n_certs > 0) {
		const struct khoa_cert *cert = &t->certs[0];
		if ((r = form_set(form, "certificate_subject", cert->subject)) == 0 &&
		    (r = form_set(form, "certificate_serial", cert->serial)) == 0 &&
		    (r = form_set_date(form, "certificate_not_before", cert->not_before)) == 0)
			r = form_set_date(form, "certificate_not_after", cert->not_after);
	}
	return r;
}

/* Copies the string KEY of REC into FORM as FORM_KEY (when REC has it). */
static int
copy_field(json_object *form, const char *form_key, json_object *rec, const char *key)
{
	const char *v = khoa_json_str(rec, key);
	return v ? form_set(form, form_key, v) : 0;
}

/* What the registry says of the token's holder; an unregistered token
 * gives the name on its certificate. */
static int
prefill_registry(struct khoad *d, json_object *form, const struct khoa_token *t)
{
	json_object *reg = NULL, *holder, *rec = NULL;
	int r = store_token_registration(d->store, t->serial, &reg);

	if (r < 0)
		return r;
	if (!json_object_object_get_ex(reg, "holder", &holder) || !holder) {
		json_object_put(reg);
		return t->n_certs > 0 ? form_set_capitals(form, "subscriber_name",
							  t->certs[0].subject_cn) : 0;
	}
	const char *holder_kind = khoa_json_str(holder, "kind");
	bool person = holder_kind && strcmp(holder_kind, "person") == 0;
	json_object *idv;
	int64_t id = json_object_object_get_ex(holder, "id", &idv) ? json_object_get_int64(idv) : 0;
	json_object_put(reg);

	r = person ? store_person_get(d->store, id, &rec) : store_org_get(d->store, id, &rec);
	if (r < 0)
		return r;
	if (person) {
		/* the form's fields the person record keeps, by the same names */
		static const char *const same[] = {
			"sex", "birth_date", "birth_place", "id_number", "id_issued_on",
			"id_issued_by", "position", "email", "phone", "fax",
		};
		r = form_set_capitals(form, "subscriber_name", khoa_json_str(rec, "full_name"));
		if (r == 0)
			r = copy_field(form, "agency", rec, "organization_name");
		for (size_t i = 0; r == 0 && i < sizeof(same) / sizeof(*same); i++)
			r = copy_field(form, same[i], rec, same[i]);
	} else {
		if ((r = form_set_capitals(form, "subscriber_name", khoa_json_str(rec, "name"))) == 0 &&
		    (r = copy_field(form, "agency", rec, "name")) == 0)
			r = copy_field(form, "email", rec, "email");
	}
	json_object_put(rec);
	return r;
}

enum form_check {
	CHECK_NAME,	/* validate_name, then capitals */
	CHECK_TEXT,
	CHECK_SEX,	/* the code, as the person record keeps it */
	CHECK_DATE,
	CHECK_ISSUED,	/* not before the birth date */
	CHECK_ID_NUMBER,
	CHECK_PHONE,
	CHECK_EMAIL,
	CHECK_DEVICE,	/* read from the token, never typed (DESIGN: serials) */
};

/* Every field of Mẫu 09 (the protocol's Form), in the order they are
 * checked: the birth date before the CCCD whose year must match it. */
static const struct {
	const char *name;
	enum form_check check;
} form_fields[] = {
	{ "subscriber_name", CHECK_NAME },
	{ "sex", CHECK_SEX },
	{ "birth_date", CHECK_DATE },
	{ "birth_place", CHECK_TEXT },
	{ "id_number", CHECK_ID_NUMBER },
	{ "id_issued_on", CHECK_ISSUED },
	{ "id_issued_by", CHECK_TEXT },
	{ "agency", CHECK_TEXT },
	{ "position", CHECK_TEXT },
	{ "phone", CHECK_PHONE },
	{ "fax", CHECK_PHONE },
	{ "email", CHECK_EMAIL },
	{ "token_serial", CHECK_DEVICE },
	{ "certificate_subject", CHECK_DEVICE },
	{ "certificate_serial", CHECK_DEVICE },
	{ "certificate_not_before", CHECK_DEVICE },
	{ "certificate_not_after", CHECK_DEVICE },
	{ "manager_phone", CHECK_PHONE },
};
#define N_FORM_FIELDS (sizeof(form_fields) / sizeof(*form_fields))

static bool
is_form_field(const char *key)
{
	for (size_t i = 0; i < N_FORM_FIELDS; i++)
		if (strcmp(form_fields[i].name, key) == 0)
			return true;
	return false;
}

/* Validates field I of FIELDS (given as IN; NULL for null) into FORM: 0,
 * or as a handler returns. */
static int
apply_field(struct call *c, json_object *form, size_t i, const char *in, bool *birth_changed)
{
	const char *name = form_fields[i].name;
	const char *rule = NULL;
	char *out = NULL;
	int r;

	switch (form_fields[i].check) {
	case CHECK_NAME:
		r = validate_name(in, &out, &rule);
		break;
	case CHECK_TEXT:
		r = validate_text(in, &out, &rule);
		break;
	case CHECK_SEX:
		r = validate_sex(in, &out, &rule);
		break;
	case CHECK_DATE:
		r = validate_birth_date(in, &out, &rule);
		*birth_changed |= strcmp(name, "birth_date") == 0;
		break;
	case CHECK_ISSUED:
		r = validate_id_issued_on(in, khoa_json_str(form, "birth_date"), &out, &rule);
		break;
	case CHECK_ID_NUMBER:
		if (!in || !*in) {	/* optional on the form: clearing it is fine */
			r = 0;
			break;
		}
		r = validate_id_number(in, khoa_json_str(form, "birth_date"), &out, &rule);
		break;
	case CHECK_PHONE:
		r = validate_phone(in, &out, &rule);
		break;
	case CHECK_EMAIL:
		r = validate_email(in, &out, &rule);
		break;
	case CHECK_DEVICE:
	default:
		r = -EINVAL;
		rule = KR(FROM_TOKEN);
		break;
	}
	if (r < 0)
		return field_fail(c, r, name, rule);
	r = form_fields[i].check == CHECK_NAME ? form_set_capitals(form, name, out)
					       : form_set(form, name, out);
	free(out);
	return r;
}

/* FIELDS over FORM, each validated: 0, or as a handler returns. */
static int
apply_fields(struct call *c, json_object *form, json_object *fields)
{
	const char *rule;
	bool birth_changed = false;
	int r;

	json_object_object_foreach(fields, key, val) {
		if (!is_form_field(key))
			return invalid_field(c, key, KR(FORM_FIELD));
		if (val && !json_object_is_type(val, json_type_string))
			return invalid_field(c, key, KR(STRING));
	}
	for (size_t i = 0; i < N_FORM_FIELDS; i++) {
		json_object *given;
		if (!json_object_object_get_ex(fields, form_fields[i].name, &given))
			continue;
		if ((r = apply_field(c, form, i, given ? json_object_get_string(given) : NULL,
				     &birth_changed)) != 0)
			return r;
	}
	/* A new birth date must agree with the CCCD and the day of issue the
	 * registry gave. */
	const char *id = khoa_json_str(form, "id_number");
	const char *issued = khoa_json_str(form, "id_issued_on");
	char *out = NULL;
	if (birth_changed && id && !json_object_object_get_ex(fields, "id_number", NULL)) {
		r = validate_id_number(id, khoa_json_str(form, "birth_date"), &out, &rule);
		free(out);
		if (r < 0)
			return field_fail(c, r, "birth_date", rule);
	}
	if (birth_changed && issued && !json_object_object_get_ex(fields, "id_issued_on", NULL)) {
		r = validate_id_issued_on(issued, khoa_json_str(form, "birth_date"), &out, &rule);
		free(out);
		if (r < 0)
			return field_fail(c, r, "birth_date", rule);
	}
	return 0;
}

int
pin_form_prefill(struct khoad *d, json_object *form, const struct khoa_token *t)
{
	int r = prefill_device(form, t);
	return r == 0 ? prefill_registry(d, form, t) : r;
}

int
pin_form_apply(struct call *c, json_object *form, json_object *fields)
{
	int r = fields ? apply_fields(c, form, fields) : 0;
	if (r == 0 && !khoa_json_str(form, "subscriber_name"))
		r = invalid_field(c, "subscriber_name", KR(SUBSCRIBER_NAME));
	return r;
}
