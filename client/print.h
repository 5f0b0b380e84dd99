/*
 * What other commands print through khoa print's machinery (cmd-print.c):
 * a record fetched by the command, rendered by khoa-print.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "client.h"

/* Organization ID's name as "agency" and its parent's as "managing_agency"
 * in AGENCY, which heads a paper; false when the registry does not know it. */
bool print_org_header(struct client *cl, int64_t id, json_object *agency);

/* Mẫu 07 of REPORT (an io.khoa.Reports Report) as OPTS ask: "format" (pdf
 * or text), "output" (default mau07-YEAR.pdf), "place", "number"; headed by
 * the organization reported on. The exit status. */
int print_annual_report(struct client *cl, const char *prog, json_object *report,
			json_object *opts);
