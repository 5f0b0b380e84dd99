/*
 * io.khoa.Managers: decisions changing the manager of a certificate
 * (Mẫu 08). Recording one drafts the handover from the old manager to the
 * new (with the token's row when the decision names it, reason "transfer"),
 * which both parties finalize once the token changes hands.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "errors.h"
#include "events.h"
#include "handovers.h"
#include "jsonb.h"
#include "khoad.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "registry.h"
#include "validate.h"

struct mgr_args {
	int64_t id, organization_id, old_person_id, new_person_id;
	const char *certificate_kind, *registered_name, *token_serial, *effective_on;
	const char *decision_number;
};
METHOD_ARGS_FIT(struct mgr_args);

static const struct khoa_param record_params[] = {
	{ "organization_id", KHOA_PARAM_INT, offsetof(struct mgr_args, organization_id), true },
	{ "certificate_kind", KHOA_PARAM_STRING, offsetof(struct mgr_args, certificate_kind), true },
	{ "registered_name", KHOA_PARAM_STRING, offsetof(struct mgr_args, registered_name), true },
	{ "token_serial", KHOA_PARAM_STRING, offsetof(struct mgr_args, token_serial), false },
	{ "old_person_id", KHOA_PARAM_INT, offsetof(struct mgr_args, old_person_id), true },
	{ "new_person_id", KHOA_PARAM_INT, offsetof(struct mgr_args, new_person_id), true },
	{ "effective_on", KHOA_PARAM_STRING, offsetof(struct mgr_args, effective_on), true },
	{ "decision_number", KHOA_PARAM_STRING, offsetof(struct mgr_args, decision_number), false },
	{ NULL }
};
static const struct khoa_param id_params[] = {
	{ "id", KHOA_PARAM_INT, offsetof(struct mgr_args, id), true },
	{ NULL }
};

/* A calendar date: "YYYY-MM-DD", or "dd/mm/yyyy" / "d/m/yyyy" (also with
 * '.' or '-'); *OUT "YYYY-MM-DD". A decision may take effect later, so
 * unlike validate_birth_date() a future date is accepted. */
static int
parse_date(const char *in, char out[KHOA_DATE_ISO_SIZE], const char **rule)
{
	struct khoa_datetime t;

	*rule = "a date: YYYY-MM-DD or dd/mm/yyyy";
	if (khoa_date_parse(in, KHOA_DATE_ISO | KHOA_DATE_DMY, &t) < 0 || t.year < 1900)
		return -EINVAL;
	khoa_date_iso(&t, out);
	return 0;
}

static void
reply_no_such_change(struct call *c, int64_t id)
{
	call_error(c, khoa_error_add_int(khoa_error_newf(KHOA_ERROR_NO_SUCH_CHANGE, NULL, NULL,
		"no manager change %lld in the registry", (long long)id), "id", id));
}

/* {person_id: ID} as the parameter of a party. */
static json_object *
person_ref(int64_t id)
{
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "person_id", id);
	return jsonb_finish(&b);
}

static void
do_record(struct call *c, const void *args)
{
	const struct mgr_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	json_object *org = NULL, *giver = NULL, *receiver = NULL, *ref;
	const char *rule = NULL;
	char *name = NULL, *number = NULL, effective[KHOA_DATE_ISO_SIZE];
	int64_t handover, id;
	int r;

	if (!a->certificate_kind || (strcmp(a->certificate_kind, "organization") != 0 &&
				     strcmp(a->certificate_kind, "person") != 0)) {
		field_ok(c, -EINVAL, "certificate_kind",
			 &(const char *){ "certificate_kind: organization or person" });
		return;
	}
	if (!field_ok(c, validate_name(a->registered_name, &name, &rule), "registered_name", &rule) ||
	    !field_ok(c, parse_date(a->effective_on, effective, &rule), "effective_on", &rule) ||
	    !field_ok(c, validate_text(a->decision_number, &number, &rule), "decision_number", &rule))
		goto out;
	if (a->old_person_id == a->new_person_id) {
		field_ok(c, -EINVAL, "new_person_id",
			 &(const char *){ "new_person_id: the new manager is another person" });
		goto out;
	}
	if ((r = store_org_get(d->store, a->organization_id, &org)) < 0) {
		if (r == -ENOENT)
			reply_no_such_org(c, a->organization_id);
		else
			reply_store_error(c, r);
		goto out;
	}
	ref = person_ref(a->old_person_id);
	bool ok = ref && handover_party(c, d, ref, "old_person_id", &giver);
	json_object_put(ref);
	if (ok) {
		ref = person_ref(a->new_person_id);
		ok = ref && handover_party(c, d, ref, "new_person_id", &receiver);
		json_object_put(ref);
	}
	if (!ok) {
		if (!ref)
			call_error(c, NULL);
		goto out;
	}
	if ((r = registry_begin(d)) < 0) {
		reply_store_error(c, r);
		goto out;
	}
	struct handover_new h = { .giver = giver, .receiver = receiver, .creator = actor };
	if ((r = store_handover_create(d->store, &h, &handover)) < 0) {
		reply_store_error(c, r);
		goto fail;
	}
	if (a->token_serial && !handover_add_row(c, d, handover, a->token_serial, "transfer", NULL))
		goto fail;
	struct manager_change_new m = {
		.organization_id = a->organization_id,
		.certificate_kind = a->certificate_kind,
		.registered_name = name,
		.token_serial = a->token_serial,
		.old_person_id = a->old_person_id,
		.new_person_id = a->new_person_id,
		.old_position = khoa_json_str(giver, "position"),
		.new_position = khoa_json_str(receiver, "position"),
		.effective_on = effective,
		.decision_number = number,
		.handover_id = handover,
		.creator = actor,
	};
	struct jsonb b = jsonb_new();
	if ((r = handover_event(d, "handover.drafted", handover, &actor, NULL)) < 0 ||
	    (r = store_manager_change_create(d->store, &m, &id)) < 0) {
		json_object_put(jsonb_finish(&b));
		reply_store_error(c, r);
		goto fail;
	}
	jsonb_int(&b, "id", id);
	jsonb_int(&b, "handover_id", handover);
	jsonb_int(&b, "organization_id", a->organization_id);
	jsonb_int(&b, "old_person_id", a->old_person_id);
	jsonb_int(&b, "new_person_id", a->new_person_id);
	jsonb_str(&b, "effective_on", effective);
	if ((r = events_record(d->events, "manager.changed", a->token_serial, &actor,
			       jsonb_finish(&b))) < 0 ||
	    (r = registry_commit(d)) < 0) {
		reply_store_error(c, r);
		goto fail;
	}
	json_object *change;
	if ((r = store_manager_change_get(d->store, id, &change)) < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "change", change);
	goto out;
fail:
	registry_rollback(d);
out:
	json_object_put(org);
	json_object_put(giver);
	json_object_put(receiver);
	free(name);
	free(number);
}

static void
do_get(struct call *c, const void *args)
{
	const struct mgr_args *a = args;
	json_object *change;
	int r = store_manager_change_get(call_daemon(c)->store, a->id, &change);
	if (r == -ENOENT)
		reply_no_such_change(c, a->id);
	else if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "change", change);
}

static void
do_list(struct call *c, const void *args)
{
	json_object *arr;
	(void)args;
	int r = store_manager_change_list(call_daemon(c)->store, &arr);
	if (r < 0)
		reply_store_error(c, r);
	else
		reply_object(c, "changes", arr);
}

static const struct method managers_methods[] = {
	{
		.name = "io.khoa.Managers.Record",
		.roles = ROLE_CLERK | ROLE_TECHNICIAN,
		.snapshot = true,
		.params = record_params,
		.run = do_record,
	},
	{
		.name = "io.khoa.Managers.Get",
		.roles = ROLES_ANYONE,
		.params = id_params,
		.run = do_get,
	},
	{
		.name = "io.khoa.Managers.List",
		.roles = ROLES_ANYONE,
		.run = do_list,
	},
	{ .name = NULL }
};

const struct interface api_managers = { "io.khoa.Managers", managers_methods };
