/*
 * io.khoa.Incidents: a token lost or damaged, reported at once (R-CUSTODY,
 * Điều 10.2), and what follows: the state recorded (device-state.h), an
 * alert for Sở TT&TT (token.lost, token.damaged: a warning in the journal
 * with its own MESSAGE_ID), the token frozen for handovers, the seal
 * register and PIN operations, and the revocation of its certificates
 * drafted from the registry (Mẫu 05, reason lost or damaged; Điều 6.1,
 * 13.4) by whoever reported it. A technician then clears a lost token seen
 * again (found), takes a token back (returned) or retires it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "device-state.h"
#include "errors.h"
#include "events.h"
#include "inventory.h"
#include "jsonb.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "methods.h"
#include "registry.h"
#include "request-file.h"
#include "store-device-states.h"
#include "store-reading.h"
#include "store-tokens.h"
#include "validate.h"

struct incident_args {
	const char *serial, *kind, *note, *happened_on;
};
METHOD_ARGS_FIT(struct incident_args);

static const struct khoa_param report_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct incident_args, serial), true },
	{ "kind", KHOA_PARAM_STRING, offsetof(struct incident_args, kind), true },
	{ "note", KHOA_PARAM_STRING, offsetof(struct incident_args, note), false },
	{ "happened_on", KHOA_PARAM_STRING, offsetof(struct incident_args, happened_on), false },
	{ NULL }
};
static const struct khoa_param change_params[] = {
	{ "serial", KHOA_PARAM_STRING, offsetof(struct incident_args, serial), true },
	{ "kind", KHOA_PARAM_STRING, offsetof(struct incident_args, kind), true },
	{ "note", KHOA_PARAM_STRING, offsetof(struct incident_args, note), false },
	{ NULL }
};

/* An incident: its arguments, checked. */
struct incident {
	const char *serial;
	const struct device_change *change;
	char *note, *happened_on;
};

/* The holder of token SERIAL: subject kind and ids; false when none. */
static int
holder_of(struct khoad *d, const char *serial, struct lifecycle_new *ln, char **name)
{
	json_object *reg = NULL, *holder;
	int r = store_token_registration(d->store, serial, &reg);

	*name = NULL;
	if (r < 0)
		return r;
	if (json_object_object_get_ex(reg, "holder", &holder) && holder) {
		const char *kind = khoa_json_str(holder, "kind");
		bool person = kind && strcmp(kind, "person") == 0;
		ln->subject_kind = person ? "person" : "organization";
		*(person ? &ln->person_id : &ln->organization_id) = khoa_json_int(holder, "id");
		const char *n = khoa_json_str(holder, "name");
		if (!(*name = strdup(n ? n : "")))
			r = -ENOMEM;
	}
	json_object_put(reg);
	return r;
}

/* The revocation of each certificate of token T drafted for its holder,
 * the reason REASON (lost, damaged), filed by ACTOR; the requests filed, or
 * open already, in DRAFTED (ids). A certificate the rules do not let be
 * revoked (revoked already) is left, and said in the log. */
static int
draft_revocations(struct khoad *d, const struct khoa_token *t, const char *reason,
		  const struct actor *actor, json_object *drafted)
{
	struct lifecycle_new ln = {
		.kind = "revoke", .reason = reason, .state = "filed", .filer = *actor,
		.token_serial = t->serial,
	};
	char *name = NULL;
	int r = holder_of(d, t->serial, &ln, &name);

	if (r < 0 || !name) {
		free(name);
		return r;	/* nobody holds it: no subscriber to revoke for */
	}
	ln.subject_name = name;
	for (size_t i = 0; r >= 0 && i < t->n_certs; i++) {
		char nb[11], na[11];
		struct store_duplicate dup;
		struct rule_why why = { 0 };
		int64_t id = 0;

		snprintf(nb, sizeof(nb), "%.10s", t->certs[i].not_before);
		snprintf(na, sizeof(na), "%.10s", t->certs[i].not_after);
		ln.certificate_serial = t->certs[i].serial;
		ln.certificate_not_before = nb;
		ln.certificate_not_after = na;
		r = lifecycle_file(d, &ln, false, &dup, &why, &id);
		if (r == LIFECYCLE_DUPLICATE)
			id = dup.id;
		else if (r == LIFECYCLE_REFUSED)
			log_info("token %s: no revocation drafted for certificate %s: %s", t->serial,
				 t->certs[i].serial, why.text);
		if (r >= 0 && id && json_object_array_add(drafted, json_object_new_int64(id)) < 0)
			r = -ENOMEM;
	}
	free(name);
	return r < 0 ? r : 0;
}

static int
incident_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct incident *in = arg;
	const struct device_change *ch = in->change;
	struct actor actor = call_actor(c);
	struct khoa_token copy = { 0 };
	const struct khoa_token *t;
	struct device_state was;
	json_object *drafted = NULL, *state = NULL;
	int r;

	struct token_sighting seen;
	if ((r = token_or_record(d, in->serial, &copy, &seen, &t)) == -ENOENT)
		return call_fail(c, khoa_err_unknown_token(in->serial));
	if (r < 0)
		return r;
	if ((r = store_device_state(d->store, in->serial, &was)) < 0)
		goto out;
	if (!device_change_allowed(ch, &was)) {
		r = call_fail(c, khoa_err_token_state(in->serial, device_state_shown(&was),
						      was.since, ch->action));
		goto out;
	}
	if ((r = store_device_state_set(d->store, in->serial, ch->to, in->happened_on, in->note,
					&actor)) < 0)
		goto out;
	if (!(drafted = json_object_new_array())) {
		r = -ENOMEM;
		goto out;
	}
	/* lost or damaged: its certificates are to be revoked (Mẫu 05) */
	if ((strcmp(ch->to, "lost") == 0 || strcmp(ch->to, "damaged") == 0) &&
	    (r = draft_revocations(d, t, ch->to, &actor, drafted)) < 0)
		goto out;
	struct jsonb b = jsonb_new();
	jsonb_str(&b, "state", ch->to);
	jsonb_str(&b, "previous", device_state_shown(&was));
	jsonb_str(&b, "note", in->note);
	jsonb_str(&b, "happened_on", in->happened_on);
	jsonb_put(&b, "revocation_requests", json_object_get(drafted));
	if ((r = events_record(d->events, ch->event, in->serial, &actor, jsonb_finish(&b))) < 0 ||
	    (r = store_device_state_json(d->store, in->serial, &state)) < 0)
		goto out;
	log_info("%s (uid %u) recorded token %s %s (was %s)", actor.user, (unsigned)actor.uid,
		 in->serial, ch->to, device_state_shown(&was));
	struct jsonb rb = jsonb_new();
	jsonb_str(&rb, "serial", in->serial);
	jsonb_str(&rb, "state", ch->to);
	if (state)	/* none: in use */
		jsonb_put(&rb, "record", state);
	jsonb_put(&rb, "revocation_requests", drafted);
	drafted = NULL;
	r = (*reply = jsonb_finish(&rb)) ? 0 : -ENOMEM;
out:
	json_object_put(drafted);
	khoa_token_clear(&copy);
	return r;
}

/* ACTIONS: the changes the method may take. */
static int
run_incident(struct call *c, const struct incident_args *a, const char *const *actions)
{
	struct incident in = { .serial = a->serial };
	const char *rule = NULL;
	bool listed = false;
	int r;

	for (const char *const *x = actions; *x; x++)
		listed |= a->kind && strcmp(*x, a->kind) == 0;
	if (!listed || !(in.change = device_change_named(a->kind)))
		return invalid_fieldv(c, "kind", KR(ONE_OF), 1,
				      actions[1] && strcmp(actions[0], "lost") == 0
					      ? "lost,damaged" : "found,returned,retired,reused");
	if ((r = validate_text(a->note, &in.note, &rule)) < 0)
		return field_fail(c, r, "note", rule);
	if ((r = validate_birth_date(a->happened_on, &in.happened_on, &rule)) < 0) {
		free(in.note);
		return field_fail(c, r, "happened_on", KR(HAPPENED_ON));
	}
	r = registry_mutate(c, incident_in, &in);
	free(in.note);
	free(in.happened_on);
	return r;
}

static int
report(struct call *c, const void *args)
{
	static const char *const reported[] = { "lost", "damaged", NULL };
	return run_incident(c, args, reported);
}

static int
change(struct call *c, const void *args)
{
	static const char *const technician[] = { "found", "returned", "retired", "reused", NULL };
	return run_incident(c, args, technician);
}

/* A loss or damage is reported by whoever knows of it first among those
 * who answer for the token; what follows is Sở TT&TT's technician's. */
static const struct method incidents_methods[] = {
	{
		.name = "io.khoa.Incidents.Report",
		.admit = ADMIT_SELF | ADMIT_CUSTODIAN | ADMIT_CLERK | ADMIT_TECHNICIAN,
		.subject = SUBJECT_TOKEN,
		.key = offsetof(struct incident_args, serial),
		.params = report_params,
		.run = report,
	},
	{
		.name = "io.khoa.Incidents.Change",
		.admit = ADMIT_TECHNICIAN,
		.subject = SUBJECT_TOKEN,
		.key = offsetof(struct incident_args, serial),
		.params = change_params,
		.run = change,
	},
	{ .name = NULL }
};

const struct interface api_incidents = { "io.khoa.Incidents", incidents_methods };
