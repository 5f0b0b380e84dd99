/* report.due: the November reminder of the annual report (report-watch.h). */
#include <errno.h>

#include "events.h"
#include "jsonb.h"
#include "log.h"
#include "registry.h"
#include "report-watch.h"
#include "rules.h"
#include "store-reports.h"

#define REPORT_WATCH_INTERVAL_S 3600

void
report_watch_check(struct khoad *d, time_t now)
{
	struct tm tm;
	json_object *due = NULL;
	size_t n = 0;
	int r;

	localtime_r(&now, &tm);
	if (d->stopping || tm.tm_mon + 1 != d->rules->report_month)
		return;
	int year = tm.tm_year + 1900;
	if ((r = registry_begin(d)) == -EROFS)
		return;		/* the registry read-only for now: said once, there */
	if (r < 0)
		goto fail;
	if ((r = store_report_take_due(d->store, year, &due)) < 0)
		goto fail;
	n = json_object_array_length(due);
	for (size_t i = 0; i < n; i++) {
		json_object *agency = json_object_get(json_object_array_get_idx(due, i));
		json_object_object_add(agency, "year", json_object_new_int(year));
		if ((r = events_record(d->events, "report.due", NULL, NULL, agency)) < 0)
			goto fail;
	}
	if (n == 0) {
		registry_rollback(d);
	} else if ((r = registry_commit(d)) < 0) {
		goto fail;
	} else {
		log_info("the report of %d is due from %zu agencies", year, n);
	}
	json_object_put(due);
	return;
fail:
	log_error("cannot record the reminders of the annual report");
	json_object_put(due);
	registry_rollback(d);
}

static void
check_now(struct khoad *d)
{
	report_watch_check(d, time(NULL));
}

int
report_watch_start(struct khoad *d)
{
	d->report_watch = (struct periodic){ d, REPORT_WATCH_INTERVAL_S, check_now,
					     "the annual report's reminder" };
	return periodic_start(&d->report_watch);
}
