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
#include "store-handovers.h"
#include "store-registry.h"
#include "validate.h"

struct mgr_args {
	int64_t id, organization_id, old_person_id, new_person_id;
	const char *certificate_kind, *registered_name, *token_serial, *effective_on;
	const char *decision_number;
	struct page_args page;
};
METHOD_ARGS_FIT(struct mgr_args);

static void
list_args_init(void *args)
{
	page_args_init(&((struct mgr_args *)args)->page);
}

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
static const struct khoa_param list_params[] = {
	PAGE_PARAMS(struct mgr_args, page),
	{ NULL }
};

/* A calendar date: "YYYY-MM-DD", or "dd/mm/yyyy" / "d/m/yyyy" (also with
 * '.' or '-'); *OUT "YYYY-MM-DD". A decision may take effect later, so
 * unlike validate_birth_date() a future date is accepted. */
static int
parse_date(const char *in, char out[KHOA_DATE_ISO_SIZE], const char **rule)
{
	struct khoa_datetime t;

	*rule = KR(DATE);
	if (khoa_date_parse(in, KHOA_DATE_ISO | KHOA_DATE_DMY, &t) < 0 || t.year < 1900)
		return -EINVAL;
	khoa_date_iso(&t, out);
	return 0;
}

/* {person_id: ID} as the parameter of a party. */
static json_object *
person_ref(int64_t id)
{
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "person_id", id);
	return jsonb_finish(&b);
}

/* The manager as a handover's party: from the registry's record of ID. */
static int
manager_party(struct call *c, struct khoad *d, int64_t id, const char *field,
	      json_object **out)
{
	json_object *ref = person_ref(id);
	int r = ref ? handover_party(c, d, ref, field, out) : -ENOMEM;
	json_object_put(ref);
	return r;
}

/* Managers.Record, its parameters validated. */
struct change {
	const struct mgr_args *a;
	const char *name, *number, *effective;
	json_object *giver, *receiver;
};

static int
record_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct change *ch = arg;
	const struct mgr_args *a = ch->a;
	struct actor actor = call_actor(c);
	struct handover_new h = { .giver = ch->giver, .receiver = ch->receiver, .creator = actor };
	int64_t handover, id;
	int r;

	if ((r = store_handover_create(d->store, &h, &handover)) < 0 ||
	    (a->token_serial && (r = handover_add_row(c, d, handover, a->token_serial,
						      "transfer", NULL)) != 0) ||
	    (r = handover_event(d, "handover.drafted", handover, &actor, NULL)) < 0)
		return r;
	struct manager_change_new m = {
		.organization_id = a->organization_id,
		.certificate_kind = a->certificate_kind,
		.registered_name = ch->name,
		.token_serial = a->token_serial,
		.old_person_id = a->old_person_id,
		.new_person_id = a->new_person_id,
		.old_position = khoa_json_str(ch->giver, "position"),
		.new_position = khoa_json_str(ch->receiver, "position"),
		.effective_on = ch->effective,
		.decision_number = ch->number,
		.handover_id = handover,
		.creator = actor,
	};
	json_object *change;
	if ((r = store_manager_change_create(d->store, &m, &id)) < 0 ||
	    (r = store_manager_change_get(d->store, id, &change)) < 0)
		return r;
	/* the names with the ids: a history says whose manager changed to whom */
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "id", id);
	jsonb_int(&b, "handover_id", handover);
	jsonb_int(&b, "organization_id", a->organization_id);
	jsonb_str(&b, "organization_name", khoa_json_str(change, "organization_name"));
	jsonb_int(&b, "old_person_id", a->old_person_id);
	jsonb_str(&b, "old_manager", khoa_json_str(change, "old_manager"));
	jsonb_int(&b, "new_person_id", a->new_person_id);
	jsonb_str(&b, "new_manager", khoa_json_str(change, "new_manager"));
	jsonb_str(&b, "effective_on", ch->effective);
	if ((r = events_record(d->events, "manager.changed", a->token_serial, &actor,
			       jsonb_finish(&b))) < 0) {
		json_object_put(change);
		return r;
	}
	return (*reply = reply_with("change", change)) ? 0 : -ENOMEM;
}

/* The texts of the decision (Mẫu 08): 0, or what a handler returns. */
static int
validate(struct call *c, const struct mgr_args *a, char **name, char **number,
	 char effective[KHOA_DATE_ISO_SIZE])
{
	const char *rule = NULL;
	int r;

	if (!a->certificate_kind || (strcmp(a->certificate_kind, "organization") != 0 &&
				     strcmp(a->certificate_kind, "person") != 0))
		return invalid_fieldv(c, "certificate_kind", KR(ONE_OF), 1, "organization,person");
	if ((r = validate_name(a->registered_name, name, &rule)) < 0)
		return field_fail(c, r, "registered_name", rule);
	if ((r = parse_date(a->effective_on, effective, &rule)) < 0)
		return field_fail(c, r, "effective_on", rule);
	if ((r = validate_text(a->decision_number, number, &rule)) < 0)
		return field_fail(c, r, "decision_number", rule);
	if (a->old_person_id == a->new_person_id)
		return invalid_field(c, "new_person_id", KR(MANAGER_SAME));
	return 0;
}

static int
do_record(struct call *c, const void *args)
{
	struct change ch = { .a = args };
	const struct mgr_args *a = ch.a;
	struct khoad *d = call_daemon(c);
	char *name = NULL, *number = NULL, effective[KHOA_DATE_ISO_SIZE];
	json_object *org = NULL;
	int r = validate(c, a, &name, &number, effective);

	if (r == 0 && (r = store_org_get(d->store, a->organization_id, &org)) == -ENOENT)
		r = call_fail(c, khoa_err_no_such_organization(a->organization_id));
	if (r == 0 && (r = manager_party(c, d, a->old_person_id, "old_person_id", &ch.giver)) == 0 &&
	    (r = manager_party(c, d, a->new_person_id, "new_person_id", &ch.receiver)) == 0) {
		ch.name = name;
		ch.number = number;
		ch.effective = effective;
		r = registry_mutate(c, record_in, &ch);
	}
	json_object_put(org);
	json_object_put(ch.giver);
	json_object_put(ch.receiver);
	free(name);
	free(number);
	return r;
}

static int
do_get(struct call *c, const void *args)
{
	const struct mgr_args *a = args;
	json_object *change;
	int r = store_manager_change_get(call_daemon(c)->store, a->id, &change);
	if (r == -ENOENT)
		return call_fail(c, khoa_err_no_such_change(a->id));
	return r < 0 ? r : call_reply_object(c, "change", change);
}

static int
do_list(struct call *c, const void *args)
{
	const struct mgr_args *a = args;
	struct store_page p;
	json_object *arr;
	int r = page_limit(c, &a->page, &p);
	if (r != 0)
		return r;
	if ((r = store_manager_change_list(call_daemon(c)->store, &p, &arr)) < 0)
		return page_fail(c, r);
	return page_reply(c, "changes", arr, &p);
}

static const struct method managers_methods[] = {
	{
		.name = "io.khoa.Managers.Record",
		.admit = ADMIT_CLERK | ADMIT_TECHNICIAN,
		.subject = SUBJECT_ORG,
		.key = offsetof(struct mgr_args, organization_id),
		.snapshot = true,
		.params = record_params,
		.run = do_record,
	},
	{
		.name = "io.khoa.Managers.Get",
		.admit = ADMIT_ANYONE,
		.params = id_params,
		.run = do_get,
	},
	{
		.name = "io.khoa.Managers.List",
		.admit = ADMIT_ANYONE,
		.params = list_params,
		.run = do_list,
		.init = list_args_init,
	},
	{ .name = NULL }
};

const struct interface api_managers = { "io.khoa.Managers", managers_methods };
