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
 * last bound to (NULL: neither), and that token's holder now (NULL: none);
 * and the notices raised for it (migration 0004). */
struct cert_expiry {
	int64_t id;
	char *serial, *subject_cn, *not_after, *token_serial, *holder;
	int renewals;			/* along its line (R-RENEW-ONCE) */
	int expired_notice;		/* the smallest threshold of its notices of */
	int expiring_notice;		/* that kind ("expired", "expiring"); -1: none */
};

/* Every certificate the registry knows and the CA has not revoked whose
 * notAfter is before UNTIL (ISO 8601 UTC, as the registry writes dates),
 * soonest notAfter first (then by serial and id); P's page of them when P
 * is not NULL (store.h: -EINVAL for an AFTER that is no cursor of this
 * list; P's NEXT set when more follow). *OUT is freed with
 * store_cert_expiry_free(). */
int store_cert_expiry_list(struct store *s, const char *until, struct store_page *p,
			   struct cert_expiry **out, size_t *n);
void store_cert_expiry_free(struct cert_expiry *v, size_t n);

/* Records that notice (ID, KIND, THRESHOLD) was raised DAYS_LEFT days before
 * expiry; -EEXIST when it was already. */
int store_expiry_notice_add(struct store *s, int64_t id, const char *kind, int threshold,
			    int days_left);

