/*
 * The annual report's reminder (R-AGENCY-DUTIES, Điều 13.6): in the rules
 * profile's report month (November), report.due once for each agency
 * holding certificates whose report of the year is neither filed nor
 * reminded of. Checked at start and every hour, by the workstation's local
 * date (Vietnam time on an agency's machine). Loop thread only.
 */
#pragma once

#include <time.h>

#include "khoad.h"

/* Starts the periodic check; the event loop owns it (freed with the base). */
int report_watch_start(struct khoad *d);

/* Checks as of NOW: report.due for every agency newly due. */
void report_watch_check(struct khoad *d, time_t now);
