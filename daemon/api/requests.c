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
#include "store-duplicates.h"
#include "store-lifecycle.h"
#include "store-lineage.h"
#include "store-registry.h"
#include "store-requests.h"
#include "store-tokens.h"
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
	struct page_args page;
};
METHOD_ARGS_FIT(struct lc_args);

static void
lc_args_init(void *args)
{
	struct lc_args *a = args;
	a->year = NOT_GIVEN;
	a->requested_years = NOT_GIVEN;
	page_args_init(&a->page);
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
	PAGE_PARAMS(struct lc_args, page),
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

static int
rule_violation(struct call *c, const struct rule_why *why)
{
	log_info("%s (uid %u) refused %s: %s", call_peer(c)->user, (unsigned)call_peer(c)->uid,
		 call_method(c), why->text);
	return call_fail(c, khoa_err_rule_violation(why->rule, why->text));
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
	.subject = SUBJECT_REQUEST,
	.words = any_kind,
	.info = store_lifecycle_info,
	.move = store_lifecycle_transition,
	.last_actor = store_lifecycle_last_actor,
	.get = store_lifecycle_get,
	.list = store_lifecycle_list,
	.states = "one of filed, confirmed, submitted, forwarded, done, rejected, cancelled",
	.after = after_step,
	/* A lifecycle request names its subject, nothing personal: the forms
	 * of Mẫu 01–06 take the person's data from io.khoa.People. */
	.personal = NULL,
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

/* The holder of token T (kind and id; both 0 when unregistered). */
static int
token_holder(struct khoad *d, const struct khoa_token *t, int64_t *person, int64_t *org)
{
	json_object *reg = NULL, *holder, *idv;
	int r = store_token_registration(d->store, t->serial, &reg);

	*person = *org = 0;
	if (r < 0)
		return r;
	if (json_object_object_get_ex(reg, "holder", &holder) && holder) {
		const char *hk = khoa_json_str(holder, "kind");
		int64_t id = json_object_object_get_ex(holder, "id", &idv) ?
			     json_object_get_int64(idv) : 0;
		*(hk && strcmp(hk, "person") == 0 ? person : org) = id;
	}
	json_object_put(reg);
	return 0;
}

/* The subject: as given, else the token's holder. 0, or as a handler
 * returns when there is none. */
static int
find_subject(struct call *c, const struct lc_args *a, const struct khoa_token *t,
	     struct subject *out)
{
	struct khoad *d = call_daemon(c);
	int64_t person = a->person_id, org = a->organization_id, hp = 0, ho = 0;
	json_object *rec = NULL;
	int r;

	if (person && org)
		return invalid_field(c, "organization_id",
				     "either person_id or organization_id, not both");
	/* The token's holder: the subject when none is given; a given subject
	 * must be it when the token is registered. */
	if (t && (r = token_holder(d, t, &hp, &ho)) < 0)
		return r;
	if ((person || org) && (hp || ho) && (person != hp || org != ho))
		return invalid_field(c, "serial", "a token registered to the subject");
	if (!person && !org) {
		person = hp;
		org = ho;
	}
	if (!person && !org)
		return invalid_field(c, "person_id",
				     "the subject: person_id or organization_id, or a registered token");
	r = person ? store_person_get(d->store, person, &rec) : store_org_get(d->store, org, &rec);
	if (r == -ENOENT)
		return call_fail(c, person ? khoa_err_no_such_person(person)
					   : khoa_err_no_such_organization(org));
	if (r < 0)
		return r;
	const char *name = khoa_json_str(rec, person ? "full_name" : "name");
	out->kind = person ? "person" : "organization";
	out->person_id = person;
	out->organization_id = org;
	out->name = strdup(name ? name : "");
	json_object_put(rec);
	return out->name ? 0 : -ENOMEM;
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
	/* a certificate whose revocation is done is neither renewed nor
	 * revoked again (issue 16, H3) */
	if (cert && (strcmp(kind, "renew") == 0 || strcmp(kind, "revoke") == 0)) {
		if ((r = store_lifecycle_done_count(d->store, "revoke", cert->serial, 0, 0, &n)) < 0)
			return r;
		if (!rule_not_revoked(kind, subj->kind, n > 0, why))
			return 0;
		n = 0;
	}
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
				(rule_renew_term(p, years, why) &&
				 rule_validity_5y(p, first ? first : cert->not_before, (int)years,
						  why)));
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

/* New: the call's arguments, checked, with what they name. */
struct filing {
	const struct lc_args *a;
	const struct workflow_kind *kind;
	const struct khoa_token *t;	/* NULL: no token named */
	const struct khoa_cert *cert;	/* NULL: none */
	const char *reason;
};

/* The token and certificate of A, for a request of KIND: 0, or as a
 * handler returns. */
static int
check_filing(struct call *c, struct filing *f)
{
	const struct lc_args *a = f->a;
	const char *kind = f->kind->kind;
	bool needs_token = strcmp(kind, "renew") == 0 || strcmp(kind, "revoke") == 0;

	if (!a->serial && needs_token)
		return invalid_field(c, "serial", "required: the certificate is read from the device");
	if (a->serial && !(f->t = inventory_find(call_daemon(c)->inventory, a->serial)))
		return call_fail(c, khoa_err_no_such_token(a->serial));
	if (a->certificate_serial && !f->t)
		return invalid_field(c, "certificate_serial",
				     "a certificate of the token given by serial");
	if (f->t && !(f->cert = pick_cert(f->t, a->certificate_serial)) &&
	    (needs_token || a->certificate_serial))
		return a->certificate_serial
			       ? invalid_field(c, "certificate_serial", "a certificate on the token")
			       : invalid_field(c, "serial", "a token that carries a certificate");
	if (a->requested_years != NOT_GIVEN && strcmp(kind, "new") != 0 &&
	    strcmp(kind, "renew") != 0)
		return invalid_field(c, "requested_years", "only for new and renew");
	return 0;
}

static int
file_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct filing *f = arg;
	const struct workflow_kind *kind = f->kind;
	const struct khoa_cert *cert = f->cert;
	struct actor actor = call_actor(c);
	struct subject subj = { 0 };
	struct rule_why why = { 0 };
	char nb[11] = "", na[11] = "";
	bool ok = false;
	int64_t id = 0;
	int r;

	if ((r = find_subject(c, f->a, f->t, &subj)) != 0 ||
	    (r = check_rules(d, kind->kind, &subj, cert, f->reason, f->a->requested_years, &why,
			     &ok)) < 0)
		goto out;
	if (!ok) {
		r = rule_violation(c, &why);
		goto out;
	}
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
		.token_serial = f->t ? f->t->serial : NULL,
		.certificate_serial = cert ? cert->serial : NULL,
		.certificate_not_before = cert ? nb : NULL,
		.certificate_not_after = cert ? na : NULL,
		.reason = f->reason,
		.requested_years = f->a->requested_years == NOT_GIVEN ? 0 : f->a->requested_years,
		.state = kind->initial,
		.filer = actor,
	};
	/* one open request a certificate and kind, a new one's a subject
	 * (issue 16) */
	struct store_duplicate dup;
	if ((r = store_lifecycle_open(d->store, &ln, &dup)) != 0) {
		if (r > 0)
			r = call_fail(c, khoa_err_duplicate("request", dup.id, dup.field, dup.since));
		goto out;
	}
	if ((r = store_lifecycle_create(d->store, &ln, &id)) < 0 ||
	    (r = events_record(d->events, kind->filed_event, ln.token_serial, &actor,
			       request_event_details(id, kind->kind, kind->initial, "reason",
						     f->reason))) < 0)
		goto out;
	log_info("%s (uid %u) filed %s request %lld for %s", actor.user, (unsigned)actor.uid,
		 kind->kind, (long long)id, subj.name);
	r = request_get(c, &book, id, reply);
out:
	free(subj.name);
	return r;
}

static int
file_request(struct call *c, const void *args)
{
	struct filing f = { .a = args, .kind = workflow_lifecycle_kind(f.a->kind) };
	const char *rule = NULL;
	char *reason = NULL;
	int r;

	if (!f.kind)
		return invalid_field(c, "kind", "one of new, renew, revoke, reissue");
	if ((r = check_filing(c, &f)) != 0)
		return r;
	if ((r = validate_text(f.a->reason, &reason, &rule)) < 0)
		return field_fail(c, r, "reason", rule);
	f.reason = reason;
	r = registry_mutate(c, file_in, &f);
	free(reason);
	return r;
}

/* ----- the steps ----- */

static int
step(struct call *c, const void *args, const char *action)
{
	const struct lc_args *a = args;
	return request_step(c, &book, a->id, a->note, action);
}

static int confirm(struct call *c, const void *args) { return step(c, args, "confirm"); }
static int submit(struct call *c, const void *args) { return step(c, args, "submit"); }
static int forward(struct call *c, const void *args) { return step(c, args, "forward"); }
static int done(struct call *c, const void *args) { return step(c, args, "done"); }
static int reject(struct call *c, const void *args) { return step(c, args, "reject"); }
static int cancel(struct call *c, const void *args) { return step(c, args, "cancel"); }

/* ----- reading ----- */

static int
check_kind(struct call *c, const char *kind)
{
	if (!kind || workflow_lifecycle_kind(kind))
		return 0;
	return invalid_field(c, "kind", "one of new, renew, revoke, reissue");
}

static int
list(struct call *c, const void *args)
{
	const struct lc_args *a = args;
	int r = check_kind(c, a->kind);
	return r != 0 ? r : request_list(c, &book, a->kind, a->state, a->year, &a->page);
}

static int
get(struct call *c, const void *args)
{
	return request_reply(c, &book, ((const struct lc_args *)args)->id);
}

static int
count(struct call *c, const void *args)
{
	const struct lc_args *a = args;
	int64_t n = 0;
	int r;

	if ((r = workflow_check_year(c, a->year)) != 0 || (r = check_kind(c, a->kind)) != 0)
		return r;
	if (a->subject_kind && strcmp(a->subject_kind, "person") != 0 &&
	    strcmp(a->subject_kind, "organization") != 0)
		return invalid_field(c, "subject_kind", "person or organization");
	if ((r = store_lifecycle_count(call_daemon(c)->store, (int)a->year, a->kind,
				       a->subject_kind, &n)) < 0)
		return r;
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "count", n);
	return call_reply(c, jsonb_finish(&b));
}

/* Filing changes no device: anyone may file, and is recorded as the filer;
 * the steps: the engine checks the role, which depends on the state. */
static const struct method requests_methods[] = {
	{
		.name = "io.khoa.Requests.New",
		.admit = ADMIT_SELF | ADMIT_CLERK | ADMIT_TECHNICIAN,
		.subject = SUBJECT_HOLDER,
		.key = offsetof(struct lc_args, person_id),
		.key2 = offsetof(struct lc_args, organization_id),
		.key3 = offsetof(struct lc_args, serial),
		.snapshot = true,
		.params = new_params,
		.run = file_request,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Confirm",
		.admit = ADMIT_ANYONE,
		.params = step_params,
		.run = confirm,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Submit",
		.admit = ADMIT_ANYONE,
		.params = step_params,
		.run = submit,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Forward",
		.admit = ADMIT_ANYONE,
		.params = step_params,
		.run = forward,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Done",
		.admit = ADMIT_ANYONE,
		.params = step_params,
		.run = done,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Reject",
		.admit = ADMIT_ANYONE,
		.params = step_note_params,
		.run = reject,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Cancel",
		.admit = ADMIT_ANYONE,
		.params = step_note_params,
		.run = cancel,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.List",
		.admit = ADMIT_ANYONE,
		.params = list_params,
		.run = list,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Get",
		.admit = ADMIT_ANYONE,
		.params = id_params,
		.run = get,
		.init = lc_args_init,
	},
	{
		.name = "io.khoa.Requests.Count",
		.admit = ADMIT_ANYONE,
		.params = count_params,
		.run = count,
		.init = lc_args_init,
	},
	{ .name = NULL }
};

const struct interface api_requests = { "io.khoa.Requests", requests_methods };
