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
#include "request-file.h"
#include "request-step.h"
#include "request-rules.h"
#include "rules.h"
#include "store-duplicates.h"
#include "store-lifecycle.h"
#include "store-lineage.h"
#include "store-reading.h"
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


/* ----- the book: where these requests are ----- */

/* A revocation the CA carried out marks its certificate revoked. */
static int
after_step(struct khoad *d, int64_t id, const struct request_info *ri,
	   const struct workflow_transition *t, const struct actor *actor)
{
	if (strcmp(ri->kind, "revoke") != 0 || strcmp(t->to, "done") != 0)
		return 0;
	return lineage_revoked(d, id, ri->token_serial, actor);
}

/* The rules asked again before a step to TO (issue 16, H4): with that
 * day's date and the registry as it is; the rules of time only while the
 * request is in the province's hands (a renewal the CA has done is done,
 * however long it took). Rejecting and cancelling are never refused. */
static int
recheck(struct khoad *d, int64_t id, const char *to, struct rule_why *why, bool *ok)
{
	json_object *req;
	int r;

	*ok = true;
	if (strcmp(to, "rejected") == 0 || strcmp(to, "cancelled") == 0)
		return 0;
	if ((r = store_lifecycle_get(d->store, id, &req)) < 0)
		return r;
	int64_t years = khoa_json_int(req, "requested_years");
	const struct rule_case rc = {
		.kind = khoa_json_str(req, "kind"),
		.subject_kind = khoa_json_str(req, "subject_kind"),
		.person_id = khoa_json_int(req, "person_id"),
		.organization_id = khoa_json_int(req, "organization_id"),
		.certificate_serial = khoa_json_str(req, "certificate_serial"),
		.not_before = khoa_json_str(req, "certificate_not_before"),
		.not_after = khoa_json_str(req, "certificate_not_after"),
		.reason = khoa_json_str(req, "reason"),
		.years_asked = years > 0,
		.requested_years = years,
		.request_id = id,
		.timely = strcmp(to, "done") != 0,
	};
	r = rc.kind ? request_rules_check(d, &rc, time(NULL), why, ok) : -EIO;
	json_object_put(req);
	return r;
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
	.states = "filed,confirmed,submitted,forwarded,done,rejected,cancelled",
	.after = after_step,
	.recheck = recheck,
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
		return invalid_field(c, "organization_id", KR(SUBJECT_BOTH));
	/* The token's holder: the subject when none is given; a given subject
	 * must be it when the token is registered. */
	if (t && (r = token_holder(d, t, &hp, &ho)) < 0)
		return r;
	if ((person || org) && (hp || ho) && (person != hp || org != ho))
		return invalid_field(c, "serial", KR(TOKEN_OF_SUBJECT));
	if (!person && !org) {
		person = hp;
		org = ho;
	}
	if (!person && !org)
		return invalid_field(c, "person_id", KR(SUBJECT_NEEDED));
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

/* New: the call's arguments, checked, with what they name. */
struct filing {
	const struct lc_args *a;
	const struct workflow_kind *kind;
	const struct khoa_token *t;	/* NULL: no token named */
	const struct khoa_cert *cert;	/* NULL: none */
	const char *reason;
	/* the token as the registry last read it, when it is on no desk of
	 * this khoad's (issue 16): T points here */
	struct khoa_token recorded;
	struct token_sighting seen;
	bool from_record;
};

/* Token SERIAL: on the desk, else as the registry last read it. 0, or as
 * a handler returns. */
static int
find_token(struct call *c, struct filing *f, const char *serial)
{
	int r = token_or_record(call_daemon(c), serial, &f->recorded, &f->seen, &f->t);
	if (r == -ENOENT)
		return call_fail(c, khoa_err_no_such_token(serial));
	f->from_record = r == 1;
	return r < 0 ? r : 0;
}

/* A revocation filed for its subject alone (person_id or organization_id):
 * of the one certificate the subject holds (not revoked, no revocation
 * standing), from the registry's record. 0, or as a handler returns. */
static int
subject_certificate(struct call *c, struct filing *f)
{
	json_object *held = NULL;
	int r = store_subject_certificates(call_daemon(c)->store, f->a->person_id,
					   f->a->organization_id, &held);
	if (r < 0)
		return r;
	size_t n = json_object_array_length(held);
	if (n != 1) {
		char all[512] = "";
		for (size_t i = 0, w = 0; i < n && w < sizeof(all); i++) {
			json_object *h = json_object_array_get_idx(held, i);
			w += (size_t)snprintf(all + w, sizeof(all) - w, "%s%s (%s)", i ? ", " : "",
					      khoa_json_str(h, "certificate_serial"),
					      khoa_json_str(h, "token_serial"));
		}
		json_object_put(held);
		return n ? invalid_fieldv(c, "certificate_serial", KR(SUBJECT_CERTIFICATES), 1, all)
			 : invalid_field(c, "serial", KR(SUBJECT_NO_CERTIFICATE));
	}
	json_object *one = json_object_array_get_idx(held, 0);
	if ((r = find_token(c, f, khoa_json_str(one, "token_serial"))) == 0 &&
	    !(f->cert = pick_cert(f->t, khoa_json_str(one, "certificate_serial"))))
		r = invalid_field(c, "certificate_serial", KR(CERTIFICATE_ON_TOKEN));
	json_object_put(held);
	return r;
}

/* The token and certificate of A, for a request of KIND: 0, or as a
 * handler returns. A certificate named alone is found on the token a
 * device last showed it on; a serial no device showed is not taken. */
static int
check_filing(struct call *c, struct filing *f)
{
	const struct lc_args *a = f->a;
	const char *kind = f->kind->kind;
	bool needs_token = strcmp(kind, "renew") == 0 || strcmp(kind, "revoke") == 0;
	char *serial = NULL;
	int r;

	if (a->requested_years != NOT_GIVEN && strcmp(kind, "new") != 0 &&
	    strcmp(kind, "renew") != 0)
		return invalid_field(c, "requested_years", KR(YEARS_NEW_RENEW));
	if (!a->serial && !a->certificate_serial && strcmp(kind, "revoke") == 0 &&
	    (a->person_id || a->organization_id))
		return subject_certificate(c, f);	/* a lost token's, say */
	if (!a->serial && !a->certificate_serial && needs_token)
		return invalid_field(c, "serial", KR(TOKEN_OR_CERTIFICATE));
	if (!a->serial && a->certificate_serial) {
		r = store_certificate_token(call_daemon(c)->store, a->certificate_serial, &serial);
		if (r == -ENOENT)
			return invalid_field(c, "certificate_serial", KR(CERTIFICATE_SHOWN));
		if (r < 0)
			return r;
	}
	if ((a->serial || serial) && (r = find_token(c, f, a->serial ? a->serial : serial)) != 0) {
		free(serial);
		return r;
	}
	free(serial);
	if (f->t && !(f->cert = pick_cert(f->t, a->certificate_serial)) &&
	    (needs_token || a->certificate_serial))
		return a->certificate_serial
			       ? invalid_field(c, "certificate_serial", KR(CERTIFICATE_ON_TOKEN))
			       : invalid_field(c, "serial", KR(TOKEN_WITH_CERTIFICATE));
	return 0;
}

/* A re-issue names no certificate: the subject's one revoked and not
 * re-issued yet. 0 (*SERIAL NULL: none), or as a handler returns. */
static int
revoked_of(struct call *c, const struct subject *subj, char **serial)
{
	json_object *list = NULL;
	int r = store_revoked_unreissued(call_daemon(c)->store, subj->person_id,
					 subj->organization_id, &list);

	*serial = NULL;
	if (r < 0)
		return r;
	size_t n = json_object_array_length(list);
	if (n > 1) {
		char all[256] = "";
		for (size_t i = 0, w = 0; i < n && w < sizeof(all); i++)
			w += (size_t)snprintf(all + w, sizeof(all) - w, "%s%s", i ? ", " : "",
					      json_object_get_string(json_object_array_get_idx(list, i)));
		json_object_put(list);
		return invalid_fieldv(c, "certificate_serial", KR(REVOKED_CERTIFICATES), 1, all);
	}
	if (n == 1 &&
	    !(*serial = strdup(json_object_get_string(json_object_array_get_idx(list, 0)))))
		r = -ENOMEM;
	json_object_put(list);
	return r;
}

int
lifecycle_file(struct khoad *d, const struct lifecycle_new *ln, bool years_asked,
	       struct store_duplicate *dup, struct rule_why *why, int64_t *id)
{
	const struct workflow_kind *kind = workflow_lifecycle_kind(ln->kind);
	const struct rule_case rc = {
		.kind = ln->kind,
		.subject_kind = ln->subject_kind,
		.person_id = ln->person_id,
		.organization_id = ln->organization_id,
		.certificate_serial = ln->certificate_serial,
		.not_before = ln->certificate_not_before,
		.not_after = ln->certificate_not_after,
		.reason = ln->reason,
		.years_asked = years_asked,
		.requested_years = ln->requested_years,
		.timely = true,
	};
	bool ok = false;
	int r;

	if (!kind)
		return -EINVAL;
	/* one open request a certificate and kind, a new one's a subject
	 * (issue 16); asked before the rules: it names what to look at */
	if ((r = store_lifecycle_open(d->store, ln, dup)) != 0)
		return r < 0 ? r : LIFECYCLE_DUPLICATE;
	if ((r = request_rules_check(d, &rc, time(NULL), why, &ok)) < 0)
		return r;
	if (!ok)
		return LIFECYCLE_REFUSED;
	if ((r = store_lifecycle_create(d->store, ln, id)) < 0)
		return r;
	return events_record(d->events, kind->filed_event, ln->token_serial, &ln->filer,
			     request_event_details(*id, kind->kind, kind->initial, "reason",
						   ln->reason));
}

static int
file_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	struct filing *f = arg;
	const struct workflow_kind *kind = f->kind;
	struct actor actor = call_actor(c);
	struct subject subj = { 0 };
	struct rule_why why = { 0 };
	char nb[11] = "", na[11] = "";
	char *revoked = NULL;
	int64_t id = 0;
	int r;

	if ((r = check_filing(c, f)) != 0 || (r = find_subject(c, f->a, f->t, &subj)) != 0)
		goto out;
	const struct khoa_cert *cert = f->cert;
	/* a re-issue is of one revoked certificate (H2): the subject's, when
	 * none is named */
	if (strcmp(kind->kind, "reissue") == 0 && !cert && (r = revoked_of(c, &subj, &revoked)) != 0)
		goto out;
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
		.certificate_serial = cert ? cert->serial : revoked,
		.certificate_not_before = cert ? nb : NULL,
		.certificate_not_after = cert ? na : NULL,
		.reason = f->reason,
		.requested_years = f->a->requested_years == NOT_GIVEN ? 0 : f->a->requested_years,
		.state = kind->initial,
		.filer = actor,
	};
	struct store_duplicate dup;
	r = lifecycle_file(d, &ln, f->a->requested_years != NOT_GIVEN, &dup, &why, &id);
	if (r == LIFECYCLE_DUPLICATE)
		r = call_fail(c, khoa_err_duplicate("request", dup.id, dup.field, dup.since));
	else if (r == LIFECYCLE_REFUSED)
		r = call_rule_violation(c, &why);
	if (r != 0)
		goto out;
	log_info("%s (uid %u) filed %s request %lld for %s%s", actor.user, (unsigned)actor.uid,
		 kind->kind, (long long)id, subj.name,
		 f->from_record ? " from the registry's last reading" : "");
	if ((r = request_get(c, &book, id, reply)) == 0 && f->from_record)
		r = reply_reading(*reply, &f->seen);
out:
	free(revoked);
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
		return invalid_fieldv(c, "kind", KR(ONE_OF), 1, "new,renew,revoke,reissue");
	if ((r = validate_text(f.a->reason, &reason, &rule)) < 0)
		return field_fail(c, r, "reason", rule);
	f.reason = reason;
	r = registry_mutate(c, file_in, &f);
	khoa_token_clear(&f.recorded);
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
	return invalid_fieldv(c, "kind", KR(ONE_OF), 1, "new,renew,revoke,reissue");
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
		return invalid_fieldv(c, "subject_kind", KR(ONE_OF), 1, "person,organization");
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
