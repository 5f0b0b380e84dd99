/* Renewals and re-issues completed by the device (lineage.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "jsonb.h"
#include "lineage.h"
#include "log.h"
#include "roles.h"
#include "rules.h"
#include "store-lifecycle.h"
#include "store-lineage.h"
#include "store-tokens.h"
#include "store.h"
#include "workflow.h"

/* The certificate on T that request W waits for, or NULL. */
static int
awaited_cert(struct khoad *d, const struct khoa_token *t, const struct lineage_wait *w,
	     const struct khoa_cert **out)
{
	*out = NULL;
	for (size_t i = 0; i < t->n_certs; i++) {
		const struct khoa_cert *c = &t->certs[i];
		bool known;
		int r;

		if (w->certificate_serial && strcmp(c->serial, w->certificate_serial) == 0)
			continue;
		if (strncmp(c->not_before, w->filed_on, 10) < 0)
			continue;	/* issued before it was asked for */
		if ((r = store_lineage_known(d->store, c->serial, &known)) < 0)
			return r;
		if (!known && (!*out || strcmp(c->not_before, (*out)->not_before) > 0))
			*out = c;
	}
	return 0;
}

/* Request W's step to done, taken by khoad: the device showed it done. */
static int
mark_done(struct khoad *d, const struct lineage_wait *w, const struct khoa_cert *c,
	  const char *token_serial)
{
	const struct workflow_kind *kind = workflow_lifecycle_kind(w->kind);
	const struct workflow_transition *t;
	struct actor khoad = { .uid = (int64_t)geteuid(), .user = "khoad" };
	char note[160];
	int r;

	if (!kind || workflow_find(kind, "done", w->state, &t) < 0)
		return 0;	/* not with the CA yet: people record their steps */
	snprintf(note, sizeof(note), "certificate %s read from token %s", c->serial, token_serial);
	if ((r = store_lifecycle_transition(d->store, w->id, t->action, t->from, t->to, &khoad,
					    note)) < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "id", w->id);
	jsonb_str(&b, "kind", w->kind);
	jsonb_str(&b, "state", t->to);
	jsonb_str(&b, "note", note);
	return events_record(d->events, t->event, token_serial, &khoad, jsonb_finish(&b));
}

/* The registered token T bound to the certificates it carries now. */
static int
rebind(struct khoad *d, const struct khoa_token *t)
{
	json_object *serials = json_object_new_array();
	int r;

	for (size_t i = 0; serials && i < t->n_certs; i++)
		if (json_object_array_add(serials, json_object_new_string(t->certs[i].serial)) < 0)
			break;
	if ((r = store_token_confirm(d->store, t->serial)) < 0) {
		json_object_put(serials);
		return r;
	}
	struct jsonb b = jsonb_new();
	jsonb_put(&b, "certificates", serials);
	jsonb_str(&b, "reason", "renewal or re-issue read from the token");
	return events_record(d->events, "token.binding_confirmed", t->serial, NULL,
			     jsonb_finish(&b));
}

/* The certificate C that came for request W, against the term the request
 * was allowed (issue 16, H5): a longer one is an alert for Sở TT&TT,
 * certificate.term_exceeded, not a refusal (the CA has issued it). */
static int
check_term(struct khoad *d, const struct khoa_token *t, const struct lineage_wait *w,
	   const struct khoa_cert *c)
{
	struct rule_why why = { 0 };
	int64_t renewals = 0;
	char *first = NULL;
	int r;

	if (w->certificate_serial &&
	    (r = store_lineage_of(d->store, w->certificate_serial, &renewals, &first)) < 0)
		return r;
	/* a line begins with the certificate it replaces when that one came
	 * from no request */
	bool ok = rule_issued_term(d->rules, w->kind, first ? first : w->not_before,
				   w->requested_years, c->not_before,
				   c->not_after, &why);
	free(first);
	if (ok)
		return 0;
	log_warning("request %lld: certificate %s on token %s: %s", (long long)w->id, c->serial,
		    t->serial, why.text);
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "request", w->id);
	jsonb_str(&b, "certificate", c->serial);
	jsonb_str(&b, "not_before", c->not_before);
	jsonb_str(&b, "not_after", c->not_after);
	if (w->requested_years > 0)
		jsonb_int(&b, "requested_years", w->requested_years);
	rule_why_put(&b, &why, "message");
	return events_record(d->events, "certificate.term_exceeded", t->serial, NULL,
			     jsonb_finish(&b));
}

int
lineage_on_token(struct khoad *d, const struct khoa_token *t, bool registered, bool *linked)
{
	struct lineage_wait *w = NULL;
	size_t n = 0;
	int r;

	*linked = false;
	if (t->n_certs == 0)
		return 0;
	if ((r = store_lineage_waiting(d->store, t->serial, &w, &n)) < 0)
		return r;
	for (size_t i = 0; i < n && r == 0; i++) {
		const struct khoa_cert *c;
		if ((r = awaited_cert(d, t, &w[i], &c)) < 0 || !c)
			continue;
		if ((r = store_lineage_link(d->store, w[i].id, c->serial, c->not_before)) < 0)
			break;
		struct jsonb b = jsonb_new();
		jsonb_int(&b, "request", w[i].id);
		jsonb_str(&b, "previous", w[i].certificate_serial);
		jsonb_str(&b, "certificate", c->serial);
		jsonb_str(&b, "not_after", c->not_after);
		r = events_record(d->events, strcmp(w[i].kind, "renew") == 0
					     ? "certificate.renewed" : "certificate.reissued",
				  t->serial, NULL, jsonb_finish(&b));
		if (r == 0)
			r = check_term(d, t, &w[i], c);
		if (r == 0)
			r = mark_done(d, &w[i], c, t->serial);
		if (r == 0) {
			*linked = true;
			log_info("request %lld: certificate %s on token %s", (long long)w[i].id,
				 c->serial, t->serial);
		}
	}
	store_lineage_waiting_free(w, n);
	if (r == 0 && *linked && registered)
		r = rebind(d, t);
	return r;
}

int
lineage_revoked(struct khoad *d, int64_t id, const char *token_serial,
		const struct actor *actor)
{
	bool recorded;
	int r = store_revocation_record(d->store, id, &recorded);
	if (r < 0 || !recorded)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "request", id);
	jsonb_bool(&b, "return_expected", token_serial != NULL);
	return events_record(d->events, "certificate.revoked", token_serial, actor,
			     jsonb_finish(&b));
}
