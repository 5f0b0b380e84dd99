/*
 * What a scan reads off the tokens: plain C data, no PKCS#11 handles, no JSON.
 * Every string is malloc'd, valid UTF-8 and owned by its struct; the free
 * functions accept zeroed structs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct khoa_cert {
	char *serial;		/* upper-case hex, as `openssl x509 -serial` prints */
	char *subject;		/* one line, as `-nameopt oneline,-esc_msb` prints */
	char *subject_cn;	/* NULL when the subject has no CN */
	char *issuer;
	char *issuer_cn;
	char not_before[21];	/* ISO 8601 UTC: 2026-11-24T20:28:31Z */
	char not_after[21];
	char sha256[96];	/* AB:CD:… as `openssl x509 -fingerprint -sha256` */
	char *key_algorithm;	/* "RSA", "EC", "ED25519", … */
	int key_bits;
	char *id;		/* CKA_ID, lower-case hex */
	char *label;		/* CKA_LABEL */
	bool has_private_key;	/* a key with the same CKA_ID is on the token */
};

struct khoa_token {
	char *serial;		/* CK_TOKEN_INFO.serialNumber, padding removed */
	char *label;
	char *manufacturer;
	char *model;
	unsigned long flags;	/* CK_TOKEN_INFO.flags */
	unsigned long min_pin_len, max_pin_len;
	char *slot_description;
	char *module;		/* name of the module it was read through */
	struct khoa_cert *certs;
	size_t n_certs;
};

struct khoa_token_list {
	struct khoa_token *tokens;
	size_t n;
};

void khoa_cert_clear(struct khoa_cert *c);
void khoa_token_clear(struct khoa_token *t);
void khoa_token_list_clear(struct khoa_token_list *l);
