/* struct khoa_token and khoa_cert as JSON objects of the protocol. */
#include <stdbool.h>
#include <p11-kit/pkcs11.h>

#include "jsonb.h"
#include "token-json.h"

json_object *
token_flags_json(unsigned long f)
{
	static const struct {
		const char *name;
		unsigned long flag;
	} names[] = {
		{ "initialized", CKF_TOKEN_INITIALIZED },
		{ "login_required", CKF_LOGIN_REQUIRED },
		{ "protected_authentication_path", CKF_PROTECTED_AUTHENTICATION_PATH },
		{ "user_pin_initialized", CKF_USER_PIN_INITIALIZED },
		{ "user_pin_count_low", CKF_USER_PIN_COUNT_LOW },
		{ "user_pin_final_try", CKF_USER_PIN_FINAL_TRY },
		{ "user_pin_locked", CKF_USER_PIN_LOCKED },
		{ "user_pin_to_be_changed", CKF_USER_PIN_TO_BE_CHANGED },
		{ "so_pin_count_low", CKF_SO_PIN_COUNT_LOW },
		{ "so_pin_final_try", CKF_SO_PIN_FINAL_TRY },
		{ "so_pin_locked", CKF_SO_PIN_LOCKED },
		{ "so_pin_to_be_changed", CKF_SO_PIN_TO_BE_CHANGED },
	};
	struct jsonb b = jsonb_new();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		jsonb_bool(&b, names[i].name, (f & names[i].flag) != 0);
	return jsonb_finish(&b);
}

json_object *
cert_json(const struct khoa_cert *c, const struct khoa_token *token)
{
	struct jsonb b = jsonb_new();
	if (token) {
		jsonb_str(&b, "token_serial", token->serial);
		jsonb_str(&b, "token_label", token->label);
	}
	jsonb_str(&b, "serial", c->serial);
	jsonb_str(&b, "subject", c->subject);
	jsonb_str(&b, "subject_cn", c->subject_cn);
	jsonb_str(&b, "issuer", c->issuer);
	jsonb_str(&b, "issuer_cn", c->issuer_cn);
	jsonb_str(&b, "not_before", c->not_before);
	jsonb_str(&b, "not_after", c->not_after);
	jsonb_str(&b, "sha256", c->sha256);
	jsonb_str(&b, "key_algorithm", c->key_algorithm);
	jsonb_int(&b, "key_bits", c->key_bits);
	jsonb_str(&b, "id", c->id);
	jsonb_str(&b, "label", c->label);
	jsonb_bool(&b, "has_private_key", c->has_private_key);
	return jsonb_finish(&b);
}

/* PKCS#11 says CK_UNAVAILABLE_INFORMATION or CK_EFFECTIVELY_INFINITE: 0. */
static int
pin_len(unsigned long n)
{
	return n > 4096 ? 0 : (int)n;
}

json_object *
token_json(const struct khoa_token *t)
{
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "serial", t->serial);
	jsonb_str(&b, "label", t->label);
	jsonb_str(&b, "manufacturer", t->manufacturer);
	jsonb_str(&b, "model", t->model);
	jsonb_put(&b, "flags", token_flags_json(t->flags));
	jsonb_int(&b, "min_pin_length", pin_len(t->min_pin_len));
	jsonb_int(&b, "max_pin_length", pin_len(t->max_pin_len));
	jsonb_str(&b, "slot_description", t->slot_description);
	jsonb_str(&b, "module", t->module);

	json_object *certs = json_object_new_array_ext((int)t->n_certs);
	jsonb_put(&b, "certificates", certs);
	for (size_t i = 0; b.ok && i < t->n_certs; i++)
		jsonb_append(&b, certs, cert_json(&t->certs[i], NULL));
	return jsonb_finish(&b);
}
