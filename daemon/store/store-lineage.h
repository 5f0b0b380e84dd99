/*
 * Certificate lineage and revocations (store-lineage.c): which certificate
 * replaced which.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* A renewal or re-issue request still waiting for its new certificate. */
struct lineage_wait {
	int64_t id;
	char kind[16], state[16];
	char *certificate_serial;	/* the one it replaces; NULL: none named */
	char filed_on[11];		/* YYYY-MM-DD */
	int64_t requested_years;	/* 0: not asked */
	char not_before[11];		/* the replaced one's; "": none named */
};
/* The requests waiting for a certificate to come on token TOKEN_SERIAL:
 * those naming it, and those naming no token whose subject holds it;
 * oldest first. Free with store_lineage_waiting_free(). */
int store_lineage_waiting(struct store *s, const char *token_serial, struct lineage_wait **out,
			  size_t *n);
void store_lineage_waiting_free(struct lineage_wait *w, size_t n);
/* Whether certificate SERIAL is in a line already (as new or as old). */
int store_lineage_known(struct store *s, const char *serial, bool *known);
/* Links certificate SERIAL (valid from NOT_BEFORE) to request REQUEST_ID
 * and to the certificate that request named. */
int store_lineage_link(struct store *s, int64_t request_id, const char *serial,
		       const char *not_before);
/* The renewals along SERIAL's line and the date the line began
 * (FIRST_ISSUED may be NULL; *FIRST_ISSUED is NULL when SERIAL came from
 * no request: it began the line itself). */
int store_lineage_of(struct store *s, const char *serial, int64_t *renewals, char **first_issued);
/* Marks the certificate of revoke request REQUEST_ID revoked with its
 * reason; *RECORDED false when it named none or was marked already. */
int store_revocation_record(struct store *s, int64_t request_id, bool *recorded);
