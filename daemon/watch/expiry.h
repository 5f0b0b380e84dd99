/*
 * Certificates coming to the end of their validity (Điều 5.1: renewal only
 * while at least 60 days remain, R-RENEW-60D; once only, R-RENEW-ONCE).
 *
 * certificate.expiring is raised once per certificate and warning threshold
 * (days before notAfter; khoad's --expiry-warn, by default the rules
 * profile's 120, 90 and 60): when a certificate has crossed thresholds, the
 * smallest of them, unless a warning at that threshold or a smaller one was
 * raised already. certificate.expired is raised once when it has expired.
 * What was raised is kept in the registry, so that a restart does not raise
 * it again. Checked at start, after every scan that changed the registry,
 * and every hour. A certificate the registry cannot place on any token (not
 * seen on one any more, never bound) is listed but raises nothing.
 * Loop thread only.
 */
#pragma once

#include <stdbool.h>
#include <json-c/json.h>

#include "khoad.h"
#include "store-expiry.h"

#define EXPIRY_WARN_MAX 7	/* thresholds; the array holds one more, the 0 */

struct expiry;

/* "120,90,60" (any order, each 1 to 3650 days, at most EXPIRY_WARN_MAX)
 * into OUT, descending and 0-terminated; false when TEXT is not that. */
bool expiry_parse_warn(const char *text, int out[EXPIRY_WARN_MAX + 1]);

/* Takes the thresholds WARN (descending, 0-terminated; copied), checks at
 * once and then every hour. NULL on failure (logged). */
struct expiry *expiry_start(struct khoad *d, const int *warn);
void expiry_free(struct expiry *e);
/* New thresholds (a reloaded configuration), checked at once. */
void expiry_set_warn(struct khoad *d, const int *warn);

/* Checks now: the events due for every certificate the registry knows. */
void expiry_check(struct khoad *d);

/* After a scan: checks when the registry was written since the last check. */
void expiry_after_scan(struct khoad *d);

/* The largest threshold: what Expiry.Expiring lists by default. */
int expiry_horizon(const struct khoad *d);

/* The protocol's ExpiringCertificate objects of the certificates expiring
 * within DAYS days (and every expired one), soonest first: P's page of
 * them (store_cert_expiry_list()), a new array in *OUT. 0 or a negative
 * errno (-EINVAL: P's AFTER is no cursor of the list). */
int expiry_list(struct khoad *d, int days, struct store_page *p, json_object **out);