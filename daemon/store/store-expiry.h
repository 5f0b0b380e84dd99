/*
 * Certificate expiry (store-expiry.c): certificates and the warnings raised
 * for them.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* A certificate the registry knows, with the token it is on: the one that
 * carried it when last seen (a present token first), else the one it was
 * last bound to (NULL: neither), and that token's holder now (NULL: none). */
struct cert_expiry {
	int64_t id;
	char *serial, *subject_cn, *not_after, *token_serial, *holder;
	int renewals;			/* along its line (R-RENEW-ONCE) */
};

/* Every certificate the registry knows and the CA has not revoked,
 * soonest notAfter first; *OUT is
 * freed with store_cert_expiry_free(). */
int store_cert_expiry_list(struct store *s, struct cert_expiry **out, size_t *n);
void store_cert_expiry_free(struct cert_expiry *v, size_t n);

/* The smallest threshold of the notices of KIND ("expiring", "expired")
 * raised for certificate ID; *threshold -1 when there is none. */
int store_expiry_notice_min(struct store *s, int64_t id, const char *kind, int *threshold);

/* Records that notice (ID, KIND, THRESHOLD) was raised DAYS_LEFT days before
 * expiry; -EEXIST when it was already. */
int store_expiry_notice_add(struct store *s, int64_t id, const char *kind, int threshold,
			    int days_left);

