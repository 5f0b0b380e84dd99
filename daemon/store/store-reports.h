/*
 * The annual report, Mẫu 07 (store-reports.c): its figures counted, its
 * rows entered, its filing.
 * The contract of every store function is store.h's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "store.h"

/* Rows 3–6 of Mẫu 07 in this order: new, reissue, renew, revoke. */
#define REPORT_KINDS 4
extern const char *const report_kinds[REPORT_KINDS];
/* Rows 8–10, entered: documents signed with organization and with personal
 * certificates, documents sent. */
#define REPORT_ENTERED 3

/* What the registry says for the report of YEAR on organization SCOPE (0:
 * every agency). Requests count when filed in YEAR and not cancelled;
 * certificates held are those valid at AS_OF on registered tokens, not
 * revoked, not replaced. An entered figure is -1 when none was entered.
 * store_report_figures_clear() frees the strings. */
struct report_figures {
	int64_t held_org, held_person;
	int64_t requested[REPORT_KINDS][2];	/* [kind][0 organization, 1 person] */
	int64_t pin_recovery;
	int64_t entered[REPORT_ENTERED];
	char *entered_at, *entered_by, *filed_at, *filed_by;
};
int store_report_figures(struct store *s, int year, int64_t scope, const char *as_of,
			 struct report_figures *out);
void store_report_figures_clear(struct report_figures *f);
/* Enters rows 8–10 (-1: keep what was entered) as USER; -EEXIST when the
 * report was filed already, with *FILED_AT (free() it) saying when (issue
 * 16: a filed report does not move). */
int store_report_enter(struct store *s, int year, int64_t scope, const int64_t entered[3],
		       const char *user, char **filed_at);
/* The report of YEAR on SCOPE as filed (io.khoa.Reports' Report, kept by
 * store_report_keep_filed() when it was filed): -ENOENT when none was
 * kept. */
int store_report_filed_copy(struct store *s, int year, int64_t scope, json_object **out);
int store_report_keep_filed(struct store *s, int year, int64_t scope, json_object *report);
/* The report went to Sở TT&TT; -EEXIST when it had already, with
 * *FILED_AT (free() it) saying when. */
int store_report_file(struct store *s, int year, int64_t scope, const char *user,
		      char **filed_at);
/* The agencies (organizations holding certificates, themselves or through
 * their people) whose report of YEAR is neither filed nor reminded of, as
 * [{organization_id, organization_name}]; each is remembered as reminded. */
int store_report_take_due(struct store *s, int year, json_object **out);
