/*
 * io.khoa.Requests: certificate lifecycle requests — new (R-NEW, Mẫu
 * 01–04), renewal (R-RENEW-*, Mẫu 01/02, 06), revocation (R-REVOKE-*, Mẫu
 * 05/06) and re-issue (R-REISSUE). The regulation's rules (daemon/rules.h)
 * are checked when a request is filed, each refusal answered as
 * io.khoa.RuleViolation naming the rule; the steps after are the workflow
 * engine's (daemon/workflow.c, one table for the four kinds), answered as
 * io.khoa.PinRequests answers them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "errors.h"
#include "events.h"
#include "inventory.h"
#include "jsonb.h"
#include "khoad.h"
#include "lineage.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "registry.h"
#include "request-step.h"
#include "rules.h"
#include "validate.h"
#include "workflow-reply.h"
#include "workflow.h"

#define NOT_GIVEN INT64_MIN

/* Every kind shares the states and the transitions: the first one's table
 * answers for all of them. */
static const struct workflow_kind *const any_kind = &workflow_cert_new;
#define NOUN "certificate request"

struct lc_args {
	int64_t id;
	const char *kind, *serial, *certificate_serial, *reason, *note, *state, *subject_kind;
	int64_t person_id, organization_id, requested_years, year;
};
METHOD_ARGS_FIT(struct lc_args);

static void
lc_args_init(void *args)
{
	struct lc_args *a = args;
	a->year = NOT_GIVEN;
	a->requested_years = NOT_GIVEN;
}

static const struct khoa_param new_params[] = {
	{ "kind", KHOA_PARAM_STRING, offsetof(struct lc_args, kind), true },
	{ "person_id", KHOA_PARAM_INT, offsetof(struct lc_args, person_id), false },
	{ "organization_id", KHOA_PARAM_INT, offsetof(struct lc_args, organization_id), false },
	{ "serial", KHOA_PARAM_STRING, offsetof(struct lc_args, serial), false },
	{ "certificate_serial", KHOA_PARAM_STRING, offsetof(struct lc_args, certificate_serial),
	  false },
	{ "reason", KHOA_PARAM_STRING, offsetof(struct lc_args, reason), false },
	{ "requested_years", KHOA_PARAM_INT, offsetof(struct lc_args, requested_years), false },
	{ NULL }
};
static const struct khoa_param step_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct lc_args, id), true },
	{ "note", KHOA_PARAM_STRING, offsetof(struct lc_args, note), false },
	{ NULL }
};
static const struct khoa_param step_note_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct lc_args, id), true },
	{ "note", KHOA_PARAM_STRING, offsetof(struct lc_args, note), true },
	{ NULL }
};
static const struct khoa_param list_params[] = {
	{ "kind", KHOA_PARAM_STRING, offsetof(struct lc_args, kind), false },
	{ "state", KHOA_PARAM_STRING, offsetof(struct lc_args, state), false },
	{ "year", KHOA_PARAM_INT, offsetof(struct lc_args, year), false },
	{ NULL }
};
static const struct khoa_param id_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct lc_args, id), true },
	{ NULL }
};
static const struct khoa_param count_params[] = {
	{ "year", KHOA_PARAM_INT, offsetof(struct lc_args, year), true },
	{ "kind", KHOA_PARAM_STRING, offsetof(struct lc_args, kind), false },
	{ "subject_kind", KHOA_PARAM_STRING, offsetof(struct lc_args, subject_kind), false },
	{ NULL }
};

/* ----- errors ----- */

static void
invalid(struct call *c, const char *field, const char *rule)
{
	field_ok(c, -EINVAL, field, &rule);
}

static void
no_such_token(struct call *c, const char *serial)
{
	call_error(c, khoa_error_newf(KHOA_ERROR_NO_SUCH_TOKEN, "serial", serial,
				      "no token with serial %s is present", serial));
}

static void
rule_violation(struct call *c, const struct rule_why *why)
{
	log_info("%s (uid %u) refused %s: %s", call_peer(c)->user, (unsigned)call_peer(c)->uid,
		 call_method(c), why->text);
	call_error(c, khoa_error_newf(KHOA_ERROR_RULE_VIOLATION, "rule", why->rule, "%s",
				      why->text));
}

/* ----- the book: where these requests are ----- */

/* A revocation the CA carried out marks its certificate revoked. */
static int
after_step(struct khoad *d, int64_t id, const struct request_info *ri,
	   const struct workflow_transition *t)
{
	if (strcmp(ri->kind, "revoke") != 0 || strcmp(t->to, "done") != 0)
		return 0;
	return lineage_revoked(d, id, ri->token_serial);
}

static const struct request_book book = {
	.noun = NOUN,
	.words = any_kind,
	.info = store_lifecycle_info,
	.move = store_lifecycle_transition,
	.get = store_lifecycle_get,
	.list = store_lifecycle_list,
	.states = "one of filed, confirmed, submitted, forwarded, done, rejected, cancelled",
	.after = after_step,
};

/* ----- New ----- */

/* The certificate of token T the request is about: the one of SERIAL (NULL:
 * the one expiring first); NULL when there is none. */
static const struct khoa_cert *
pick_cert(const struct khoa_token *t, const char *serial)
{
	const struct khoa_cert *best = NULL;
	for (size_t i = 0; i < t->n_certs; i++) {
		const struct khoa_cert *c = &t->certs[i];
		if (serial ? c->serial && strcmp(c->serial, serial) == 0
			   : !best || strcmp(c->not_after, best->not_after) < 0)
			best = c;
		if (serial && best)
			break;
	}
	return best;
}

struct subject {
	const char *kind;	/* "person", "organization" */
	int64_t person_id, organization_id;
	char *name;
};

/* The subject: as given, else the token's holder. Answers and returns
 * false when there is none. */
static bool
find_subject(struct call *c, const struct lc_args *a, const struct khoa_token *t,
	     struct subject *out)
{
	struct khoad *d = call_daemon(c);
	int64_t person = a->person_id, org = a->organization_id;
	json_object *rec = NULL;
	int r;

	if (person && org) {
		invalid(c, "organization_id", "either person_id or organization_id, not both");
		return false;
	}
	if (t) {
		/* The token's holder: the subject when none is given; a given
		 * subject must be it when the token is registered. */
		json_object *reg = NULL, *holder, *idv;
		int64_t hp = 0, ho = 0;
		if ((r = store_token_registration(d->store, t->serial, &reg)) < 0) {
			reply_store_error(c, r);
			return false;
		}
		if (json_object_object_get_ex(reg, "holder", &holder) && holder) {
			const char *hk = khoa_json_str(holder, "kind");
			int64_t id = json_object_object_get_ex(holder, "id", &idv)
					     ? json_object_get_int64(idv) : 0;
			if (hk && strcmp(hk, "person") == 0)
				hp = id;
			else
				ho = id;
		}
		json_object_put(reg);
		if ((person || org) && (hp || ho) && (person != hp || org != ho)) {
			invalid(c, "serial", "a token registered to the subject");
			return false;
		}
		if (!person && !org) {
			person = hp;
			org = ho;
		}
	}
	if (!person && !org) {
		invalid(c, "person_id",
			"the subject: person_id or organization_id, or a registered token");
		return false;
	}
	r = person ? store_person_get(d->store, person, &rec) : store_org_get(d->store, org, &rec);
	if (r == -ENOENT) {
		if (person)
			reply_no_such_person(c, person);
		else
			reply_no_such_org(c, org);
		return false;
	}
	if (r < 0) {
		reply_store_error(c, r);
		return false;
	}
	const char *name = khoa_json_str(rec, person ? "full_name" : "name");
	out->kind = person ? "person" : "organization";
	out->person_id = person;
	out->organization_id = org;
	out->name = strdup(name ? name : "");
	json_object_put(rec);
	if (!out->name) {
		call_error(c, NULL);
		return false;
	}
	return true;
}

/* TODAY as "YYYY-MM-DD" and YEARS (1 to 1000) later (date.h). */
static void
validity_span(time_t today, int years, char from[KHOA_DATE_ISO_SIZE],
	      char to[KHOA_DATE_ISO_SIZE])
{
	struct khoa_datetime t = khoa_datetime_of(today), end = khoa_date_add_years(t, years);
	khoa_date_iso(&t, from);
	khoa_date_iso(&end, to);
}

/* The rules of KIND (rules.h); false with *WHY filled when one refuses. */
static int
check_rules(struct khoad *d, const char *kind, const struct subject *subj,
	    const struct khoa_cert *cert, const char *reason, int64_t years,
	    struct rule_why *why, bool *ok)
{
	const struct rules_profile *p = d->rules;
	time_t now = time(NULL);
	int64_t n = 0;
	int r;

	*ok = false;
	if (!rule_elig_kind(subj->kind, why))
		return 0;
	if (strcmp(kind, "new") == 0) {
		if (years != NOT_GIVEN) {
			char from[KHOA_DATE_ISO_SIZE], to[KHOA_DATE_ISO_SIZE];
			if (years < 1 || years > 1000) {
				snprintf(why->text, sizeof(why->text),
					 "R-VALIDITY-10Y: %lld years asked, a new certificate is valid "
					 "for 1 to %d years", (long long)years, p->new_max_years);
				why->rule = "R-VALIDITY-10Y";
				return 0;
			}
			validity_span(now, (int)years, from, to);
			if (!rule_validity_10y(p, from, to, why))
				return 0;
		}
	} else if (strcmp(kind, "renew") == 0) {
		/* Renewals along the certificate's line, and one done by the CA
		 * whose certificate the token has not brought back yet. */
		int64_t line = 0;
		char *first = NULL;
		if ((r = store_lifecycle_done_count(d->store, "renew", cert->serial, 0, 0, &n)) < 0 ||
		    (r = store_lineage_of(d->store, cert->serial, &line, &first)) < 0)
			return r;
		bool allowed = rules_renewal_possible(p, now, cert->not_after, (int)(n + line), why) &&
			       (years == NOT_GIVEN ||
				rule_validity_5y(p, first ? first : cert->not_before,
						 years > 1000 ? 1000 : (int)years, why));
		free(first);
		if (!allowed)
			return 0;
	} else if (strcmp(kind, "revoke") == 0) {
		if (!rule_revoke_reason(subj->kind, reason ? reason : "", why))
			return 0;
	} else {	/* reissue */
		r = store_lifecycle_done_count(d->store, "revoke", cert ? cert->serial : NULL,
					       subj->person_id, subj->organization_id, &n);
		if (r < 0)
			return r;
		if (!rule_reissue(subj->kind, n > 0, reason ? reason : "", why))
			return 0;
	}
	*ok = true;
	return 0;
}

static void
file_request(struct call *c, const void *args)
{
	const struct lc_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	const struct workflow_kind *kind = workflow_lifecycle_kind(a->kind);
	const struct khoa_token *t = NULL;
	const struct khoa_cert *cert = NULL;
	struct subject subj = { 0 };
	struct rule_why why = { 0 };
	const char *rule = NULL;
	char *reason = NULL;
	bool ok = false;
	int64_t id = 0;
	int r;

	if (!kind) {
		invalid(c, "kind", "one of new, renew, revoke, reissue");
		return;
	}
	bool needs_token = strcmp(kind->kind, "renew") == 0 || strcmp(kind->kind, "revoke") == 0;
	if (!a->serial && needs_token) {
		invalid(c, "serial", "required: the certificate is read from the device");
		return;
	}
	if (a->serial && !(t = inventory_find(d->inventory, a->serial))) {
		no_such_token(c, a->serial);
		return;
	}
	if (a->certificate_serial && !t) {
		invalid(c, "certificate_serial", "a certificate of the token given by serial");
		return;
	}
	if (t && !(cert = pick_cert(t, a->certificate_serial)) &&
	    (needs_token || a->certificate_serial)) {
		if (a->certificate_serial)
			invalid(c, "certificate_serial", "a certificate on the token");
		else
			invalid(c, "serial", "a token that carries a certificate");
		return;
	}
	if (a->requested_years != NOT_GIVEN &&
	    strcmp(kind->kind, "new") != 0 && strcmp(kind->kind, "renew") != 0) {
		invalid(c, "requested_years", "only for new and renew");
		return;
	}
	if (!field_ok(c, validate_text(a->reason, &reason, &rule), "reason", &rule))
		return;
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		free(reason);
		return;
	}
	if (!find_subject(c, a, t, &subj))
		goto fail;
	if ((r = check_rules(d, kind->kind, &subj, cert, reason, a->requested_years, &why,
			     &ok)) < 0) {
		reply_store_error(c, r);
		goto fail;
	}
	if (!ok) {
		rule_violation(c, &why);
		goto fail;
	}

	char nb[11] = "", na[11] = "";
	if (cert) {
		snprintf(nb, sizeof(nb), "%.10s", cert->not_before);
		snprintf(na, sizeof(na), "%.10s", cert->not_after);
	}
	struct lifecycle_new ln = {
		.kind = kind->kind,
		.subject_kind = subj.kind,
		.person_id = subj.person_id,
		.organization_id = subj.organization_id,
		.subject_name = subj.name,
		.token_serial = t ? t->serial : NULL,
		.certificate_serial = cert ? cert->serial : NULL,
		.certificate_not_before = cert ? nb : NULL,
		.certificate_not_after = cert ? na : NULL,
		.reason = reason,
		.requested_years = a->requested_years == NOT_GIVEN ? 0 : a->requested_years,
		.state = kind->initial,
		.filer = actor,
	};
	if ((r = store_lifecycle_create(d->store, &ln, &id)) == 0)
		r = events_record(d->events, kind->filed_event, ln.token_serial, &actor,
				  request_event_details(id, kind->kind, kind->initial, "reason", reason));
	if (r == 0 && (r = registry_commit(d)) == 0) {
		log_info("%s (uid %u) filed %s request %lld for %s", actor.user,
			 (unsigned)actor.uid, kind->kind, (long long)id, subj.name);
		request_reply(c, &book, id);
		goto out;
	}
	reply_store_error(c, r);
fail:
	registry_rollback(d);
out:
	free(subj.name);
	free(reason);
}

/* ----- the steps ----- */

static void
step(struct call *c, const struct lc_args *a, const char *action)
{
	request_step(c, &book, a->id, a->note, action);
}

static void confirm(struct call *c, const void *args) { step(c, args, "confirm"); }
static void submit(struct call *c, const void *args) { step(c, args, "submit"); }
static void forward(struct call *c, const void *args) { step(c, args, "forward"); }
static void done(struct call *c, const void *args) { step(c, args, "done"); }
static void reject(struct call *c, const void *args) { step(c, args, "reject"); }
static void cancel(struct call *c, const void *args) { step(c, args, "cancel"); }

/* ----- reading ----- */

static bool
kind_ok(struct call *c, const char *kind)
{
	if (!kind || workflow_lifecycle_kind(kind))
		return true;
	invalid(c, "kind", "one of new, renew, revoke, reissue");
	return false;
}

static void
list(struct call *c, const void *args)
{
	const struct lc_args *a = args;
	if (kind_ok(c, a->kind))
		request_list(c, &book, a->kind, a->state, a->year);
}

static void
get(struct call *c, const void *args)
{
	request_reply(c, &book, ((const struct lc_args *)args)->id);
}

static void
count(struct call *c, const void *args)
{
	const struct lc_args *a = args;
	int64_t n = 0;
	int r;

	if (!workflow_reply_year_ok(c, a->year) || !kind_ok(c, a->kind))
		return;
	if (a->subject_kind && strcmp(a->subject_kind, "person") != 0 &&
	    strcmp(a->subject_kind, "organization") != 0) {
		invalid(c, "subject_kind", "person or organization");
		return;
	}
	if ((r = store_lifecycle_count(call_daemon(c)->store, (int)a->year, a->kind,
				       a->subject_kind, &n)) < 0) {
		reply_store_error(c, r);
		return;
	}
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "count", n);
	call_reply(c, jsonb_finish(&b));
}

/* Filing changes no device: anyone may file, and is recorded as the filer;
 * the steps: the engine checks the role, which depends on the state. */
static const struct method requests_methods[] = {
	{
		.name = "io.khoa.Requests.New",
		.roles = ROLES_ANYONE,
		.snapshot = true,
		.params = new_params,
		.run = file_request,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Confirm",
		.roles = ROLES_ANYONE,
		.params = step_params,
		.run = confirm,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Submit",
		.roles = ROLES_ANYONE,
		.params = step_params,
		.run = submit,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Forward",
		.roles = ROLES_ANYONE,
		.params = step_params,
		.run = forward,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Done",
		.roles = ROLES_ANYONE,
		.params = step_params,
		.run = done,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Reject",
		.roles = ROLES_ANYONE,
		.params = step_note_params,
		.run = reject,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Cancel",
		.roles = ROLES_ANYONE,
		.params = step_note_params,
		.run = cancel,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.List",
		.roles = ROLES_ANYONE,
		.params = list_params,
		.run = list,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Get",
		.roles = ROLES_ANYONE,
		.params = id_params,
		.run = get,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Count",
		.roles = ROLES_ANYONE,
		.params = count_params,
		.run = count,
		.init = lc_args_init,
	},
	{ .name = NULL }
};

const struct interface api_requests = { "io.khoa.Requests", requests_methods };
