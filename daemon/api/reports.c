/*
 * io.khoa.Reports: the annual report (R-AGENCY-DUTIES, Điều 13.6; Mẫu 07),
 * its rows counted by the store (store-reports.c), rows 8–10 entered by the
 * agency, and its filing; report-watch.c reminds in the report month.
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
#include "jsonb.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "method-util.h"
#include "api.h"
#include "methods.h"
#include "registry.h"
#include "rules.h"
#include "store-registry.h"
#include "store-reports.h"
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
 * *NAME (NULL for the whole registry). 0, or what a handler returns. */
static int
check_scope(struct call *c, const struct report_args *a, char **name)
{
	json_object *org = NULL, *v;
	int r;

	*name = NULL;
	if ((r = workflow_check_year(c, a->year)) != 0 || !a->organization_id)
		return r;
	if ((r = store_org_get(call_daemon(c)->store, a->organization_id, &org)) == -ENOENT)
		return call_fail(c, khoa_err_no_such_organization(a->organization_id));
	if (r == 0 && json_object_object_get_ex(org, "name", &v) &&
	    !(*name = strdup(json_object_get_string(v))))
		r = -ENOMEM;
	json_object_put(org);
	return r;
}

/* The report of A's year and scope as it stands, as a reply. */
/* AS_OF (now) for a report of YEAR: a past year's holdings are those at
 * the end of its report month (Mẫu 07 is made in November), not today's
 * (issue 16). */
static void
report_as_of(struct khoad *d, int year, char as_of[KHOA_TIME_ISO_SIZE])
{
	int month = d->rules->report_month;
	if (year >= atoi(as_of))
		return;
	int last = khoa_date_month_days(year, month);
	/* years are 2000 to 2100 (workflow_check_year), months 1 to 12 */
	snprintf(as_of, KHOA_TIME_ISO_SIZE, "%04u-%02u-%02uT23:59:59Z", (unsigned)year % 10000u,
		 (unsigned)month % 100u, (unsigned)last % 100u);
}

static int
report_reply(struct khoad *d, const struct report_args *a, const char *name,
	     json_object **reply)
{
	struct report_figures f;
	char as_of[KHOA_TIME_ISO_SIZE];
	int r;

	/* filed: the report as it was filed (issue 16), not as the registry
	 * would count it now */
	json_object *filed;
	if ((r = store_report_filed_copy(d->store, (int)a->year, a->organization_id, &filed)) == 0)
		return (*reply = reply_with("report", filed)) ? 0 : -ENOMEM;
	if (r != -ENOENT)
		return r;
	khoa_time_iso_at(time(NULL), as_of);
	report_as_of(d, (int)a->year, as_of);
	if ((r = store_report_figures(d->store, (int)a->year, a->organization_id, as_of, &f)) < 0)
		return r;
	*reply = reply_with("report", report_json(&f, (int)a->year, a->organization_id, name,
						  as_of));
	store_report_figures_clear(&f);
	return *reply ? 0 : -ENOMEM;
}

static int
annual(struct call *c, const void *args)
{
	json_object *reply = NULL;
	char *name;
	int r = check_scope(c, args, &name);
	if (r == 0 && (r = report_reply(call_daemon(c), args, name, &reply)) == 0)
		r = call_reply(c, reply);
	free(name);
	return r;
}

/* The year, and the organization by id and NAME (NULL: none given, the
 * whole registry's report), as report.due names them. */
static json_object *
report_details(const struct report_args *a, const char *name)
{
	struct jsonb b = jsonb_new();
	jsonb_int(&b, "year", a->year);
	if (a->organization_id) {
		jsonb_int(&b, "organization_id", a->organization_id);
		jsonb_str(&b, "organization_name", name);
	}
	return jsonb_finish(&b);
}

/* Enter and File: the call's arguments, the organization's name. */
struct report_change {
	const struct report_args *a;
	const char *name;
	int64_t entered[REPORT_ENTERED];
};

static int
enter_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct report_change *rc = arg;
	struct actor actor = call_actor(c);
	int r;

	char *filed_at = NULL;
	r = store_report_enter(d->store, (int)rc->a->year, rc->a->organization_id, rc->entered,
			       actor.user, &filed_at);
	if (r == -EEXIST)	/* filed: it does not move (issue 16) */
		r = call_fail(c, khoa_err_already_filed(rc->a->year, filed_at));
	free(filed_at);
	if (r != 0 ||
	    (r = events_record(d->events, "report.entered", NULL, &actor,
			       report_details(rc->a, rc->name))) < 0)
		return r;
	return report_reply(d, rc->a, rc->name, reply);
}

static int
enter(struct call *c, const void *args)
{
	static const char *const fields[] = {
		"documents_signed_org", "documents_signed_person", "documents_sent",
	};
	struct report_change rc = { .a = args };
	bool any = false;
	char *name;
	int r;

	for (int i = 0; i < REPORT_ENTERED; i++) {
		int64_t v = rc.a->entered[i];
		if (v != NOT_GIVEN && (v < 0 || v > 100000000))
			return invalid_fieldv(c, fields[i], KR(RANGE), 2, "0", "100000000");
		rc.entered[i] = v == NOT_GIVEN ? -1 : v;
		any |= v != NOT_GIVEN;
	}
	if (!any)
		return invalid_field(c, fields[0], KR(REPORT_ONE));
	if ((r = check_scope(c, rc.a, &name)) == 0) {
		rc.name = name;
		r = registry_mutate(c, enter_in, &rc);
	}
	free(name);
	return r;
}

static int
file_in(struct call *c, struct khoad *d, void *arg, json_object **reply)
{
	const struct report_change *rc = arg;
	const struct report_args *a = rc->a;
	struct actor actor = call_actor(c);
	char *filed_at = NULL;
	int r = store_report_file(d->store, (int)a->year, a->organization_id, actor.user,
				  &filed_at);

	if (r == -EEXIST)
		r = call_fail(c, khoa_err_already_filed(a->year, filed_at));
	free(filed_at);
	if (r != 0 || (r = events_record(d->events, "report.filed", NULL, &actor,
					 report_details(a, rc->name))) < 0)
		return r;
	log_info("%s (uid %u) filed the report of %lld", actor.user, (unsigned)actor.uid,
		 (long long)a->year);
	/* kept as filed: the report of that year does not move after (issue 16) */
	json_object *report;
	if ((r = report_reply(d, a, rc->name, reply)) < 0)
		return r;
	if (json_object_object_get_ex(*reply, "report", &report) &&
	    (r = store_report_keep_filed(d->store, (int)a->year, a->organization_id, report)) < 0)
		return r;
	return 0;
}

static int
file(struct call *c, const void *args)
{
	struct report_change rc = { .a = args };
	char *name;
	int r = check_scope(c, rc.a, &name);
	if (r == 0) {
		rc.name = name;
		r = registry_mutate(c, file_in, &rc);
	}
	free(name);
	return r;
}

/* The agency's own figures and its filing: the clerk keeps its papers. */

static const struct method reports_methods[] = {
	{
		.name = "io.khoa.Reports.Annual",
		.admit = ADMIT_ANYONE,
		.params = annual_params,
		.run = annual,
		.init = report_args_init,
	},
	{
		.name = "io.khoa.Reports.Enter",
		.admit = ADMIT_CLERK,
		.subject = SUBJECT_ORG,
		.key = offsetof(struct report_args, organization_id),
		.params = enter_params,
		.run = enter,
		.init = report_args_init,
	},
	{
		.name = "io.khoa.Reports.File",
		.admit = ADMIT_CLERK,
		.subject = SUBJECT_ORG,
		.key = offsetof(struct report_args, organization_id),
		.params = annual_params,
		.run = file,
		.init = report_args_init,
	},
	{ .name = NULL }
};

const struct interface api_reports = { "io.khoa.Reports", reports_methods };
