/*
 * io.khoa.Reports: the annual report (R-AGENCY-DUTIES, Điều 13.6; Mẫu 07),
 * its rows counted by the store (store-reports.c), rows 8–10 entered by the
 * agency, and its filing; report-watch.c reminds in the report month.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "errors.h"
#include "events.h"
#include "jsonb.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "registry.h"
#include "workflow-reply.h"

#define NOT_GIVEN INT64_MIN

struct report_args {
	int64_t year, organization_id;
	int64_t entered[REPORT_ENTERED];
};
METHOD_ARGS_FIT(struct report_args);

static void
report_args_init(void *args)
{
	struct report_args *a = args;
	for (int i = 0; i < REPORT_ENTERED; i++)
		a->entered[i] = NOT_GIVEN;
}

static const struct khoa_param annual_params[] = {
	{ "year", KHOA_PARAM_INT, offsetof(struct report_args, year), true },
	{ "organization_id", KHOA_PARAM_INT, offsetof(struct report_args, organization_id), false },
	{ NULL }
};
static const struct khoa_param enter_params[] = {
	{ "year", KHOA_PARAM_INT, offsetof(struct report_args, year), true },
	{ "organization_id", KHOA_PARAM_INT, offsetof(struct report_args, organization_id), false },
	{ "documents_signed_org", KHOA_PARAM_INT, offsetof(struct report_args, entered[0]), false },
	{ "documents_signed_person", KHOA_PARAM_INT, offsetof(struct report_args, entered[1]),
	  false },
	{ "documents_sent", KHOA_PARAM_INT, offsetof(struct report_args, entered[2]), false },
	{ NULL }
};

/* The rows' keys, in the order of Mẫu 07. */
static const char *const row_keys[] = {
	"org_certificates_held", "person_certificates_held", "new_requested",
	"reissue_requested", "renewal_requested", "revocation_requested",
	"pin_recovery_requested", "documents_signed_org", "documents_signed_person",
	"documents_sent",
};

static json_object *
row_json(int row, int64_t org, int64_t person, int64_t total, bool entered)
{
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "row", row);
	jsonb_str(&b, "key", row_keys[row - 1]);
	if (org >= 0)
		jsonb_int(&b, "organization", org);
	if (person >= 0)
		jsonb_int(&b, "person", person);
	if (total >= 0)
		jsonb_int(&b, "total", total);
	jsonb_bool(&b, "entered", entered);
	return jsonb_finish(&b);
}

/* Mẫu 07 of F: ten rows; -1 leaves a cell out. */
static json_object *
report_json(const struct report_figures *f, int year, int64_t scope, const char *org_name,
	    const char *as_of)
{
	struct jsonb b = jsonb_new();
	json_object *rows = json_object_new_array();

	jsonb_append(&b, rows, row_json(1, f->held_org, -1, f->held_org, false));
	jsonb_append(&b, rows, row_json(2, -1, f->held_person, f->held_person, false));
	for (int k = 0; k < REPORT_KINDS; k++) {
		int64_t o = f->requested[k][0], p = f->requested[k][1];
		jsonb_append(&b, rows, row_json(3 + k, o, p, o + p, false));
	}
	jsonb_append(&b, rows, row_json(7, -1, -1, f->pin_recovery, false));
	for (int i = 0; i < REPORT_ENTERED; i++)
		jsonb_append(&b, rows, row_json(8 + i, -1, -1, f->entered[i], true));
	jsonb_int(&b, "year", year);
	if (scope)
		jsonb_int(&b, "organization_id", scope);
	jsonb_str(&b, "organization_name", org_name);
	jsonb_str(&b, "as_of", as_of);
	jsonb_str(&b, "entered_at", f->entered_at);
	jsonb_str(&b, "entered_by", f->entered_by);
	jsonb_str(&b, "filed_at", f->filed_at);
	jsonb_str(&b, "filed_by", f->filed_by);
	if (!rows)
		b.ok = false;
	jsonb_put(&b, "rows", rows);
	return jsonb_finish(&b);
}

/* The year and organization of A checked; the organization's name in
 * *NAME (NULL for the whole registry). Answers and returns false when not. */
static bool
scope_ok(struct call *c, const struct report_args *a, char **name)
{
	json_object *org = NULL;
	int r;

	*name = NULL;
	if (!workflow_reply_year_ok(c, a->year))
		return false;
	if (!a->organization_id)
		return true;
	if ((r = store_org_get(call_daemon(c)->store, a->organization_id, &org)) < 0) {
		if (r == -ENOENT)
			reply_no_such_org(c, a->organization_id);
		else
			reply_store_error(c, r);
		return false;
	}
	json_object *v;
	if (json_object_object_get_ex(org, "name", &v) &&
	    !(*name = strdup(json_object_get_string(v)))) {
		json_object_put(org);
		call_error(c, NULL);
		return false;
	}
	json_object_put(org);
	return true;
}

static void
reply_report(struct call *c, const struct report_args *a, const char *name)
{
	struct report_figures f;
	char as_of[KHOA_TIME_ISO_SIZE];
	int r;

	khoa_time_iso_at(time(NULL), as_of);
	if ((r = store_report_figures(call_daemon(c)->store, (int)a->year, a->organization_id,
				      as_of, &f)) < 0) {
		reply_store_error(c, r);
		return;
	}
	reply_object(c, "report", report_json(&f, (int)a->year, a->organization_id, name, as_of));
	store_report_figures_clear(&f);
}

static void
annual(struct call *c, const void *args)
{
	char *name;
	if (scope_ok(c, args, &name))
		reply_report(c, args, name);
	free(name);
}

static json_object *
report_details(const struct report_args *a)
{
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "year", a->year);
	if (a->organization_id)
		jsonb_int(&b, "organization_id", a->organization_id);
	return jsonb_finish(&b);
}

static void
enter(struct call *c, const void *args)
{
	const struct report_args *a = args;
	static const char *const fields[] = {
		"documents_signed_org", "documents_signed_person", "documents_sent",
	};
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	int64_t entered[REPORT_ENTERED];
	bool any = false;
	char *name;
	int r;

	for (int i = 0; i < REPORT_ENTERED; i++) {
		int64_t v = a->entered[i];
		if (v != NOT_GIVEN && (v < 0 || v > 100000000)) {
			field_ok(c, -EINVAL, fields[i], &(const char *){ "0 to 100000000" });
			return;
		}
		entered[i] = v == NOT_GIVEN ? -1 : v;
		any |= v != NOT_GIVEN;
	}
	if (!any) {
		field_ok(c, -EINVAL, fields[0], &(const char *){
			"at least one of documents_signed_org, documents_signed_person, "
			"documents_sent" });
		return;
	}
	if (!scope_ok(c, a, &name))
		return;
	if ((r = registry_begin(d)) == 0 &&
	    (r = store_report_enter(d->store, (int)a->year, a->organization_id, entered,
				    actor.user)) == 0 &&
	    (r = events_record(d->events, "report.entered", NULL, &actor, report_details(a))) == 0 &&
	    (r = registry_commit(d)) == 0) {
		reply_report(c, a, name);
	} else {
		registry_rollback(d);
		reply_store_error(c, r);
	}
	free(name);
}

static void
file(struct call *c, const void *args)
{
	const struct report_args *a = args;
	struct khoad *d = call_daemon(c);
	struct actor actor = call_actor(c);
	char *name, *filed_at = NULL;
	int r;

	if (!scope_ok(c, a, &name))
		return;
	if ((r = registry_begin(d)) == 0 &&
	    (r = store_report_file(d->store, (int)a->year, a->organization_id, actor.user,
				   &filed_at)) == 0 &&
	    (r = events_record(d->events, "report.filed", NULL, &actor, report_details(a))) == 0 &&
	    (r = registry_commit(d)) == 0) {
		log_info("%s (uid %u) filed the report of %lld", actor.user, (unsigned)actor.uid,
			 (long long)a->year);
		reply_report(c, a, name);
	} else {
		registry_rollback(d);
		if (r == -EEXIST)
			call_error(c, khoa_error_add_int(khoa_error_newf(KHOA_ERROR_ALREADY_FILED,
				"filed_at", filed_at, "the report of %lld was filed on %s",
				(long long)a->year, filed_at), "year", a->year));
		else
			reply_store_error(c, r);
	}
	free(filed_at);
	free(name);
}

/* The agency's own figures and its filing: the clerk keeps its papers. */

static const struct method reports_methods[] = {
	{
		.name = "io.khoa.Reports.Annual",
		.roles = ROLES_ANYONE,
		.params = annual_params,
		.run = annual,
		.init = report_args_init,
	},
	{
		.name = "io.khoa.Reports.Enter",
		.roles = ROLE_CLERK,
		.params = enter_params,
		.run = enter,
		.init = report_args_init,
	},
	{
		.name = "io.khoa.Reports.File",
		.roles = ROLE_CLERK,
		.params = annual_params,
		.run = file,
		.init = report_args_init,
	},
	{ .name = NULL }
};

const struct interface api_reports = { "io.khoa.Reports", reports_methods };
