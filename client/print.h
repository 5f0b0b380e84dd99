/*
 * What other commands print through khoa print's machinery (cmd-print.c):
 * a record fetched by the command, rendered by khoa-print.
 */
#pragma once

#include <json-c/json.h>

#include "client.h"

/* Mẫu 07 of REPORT (an io.khoa.Reports Report) as OPTS ask: "format" (pdf
 * or text), "output" (default mau07-YEAR.pdf), "place", "number"; headed by
 * the organization reported on. The exit status. */
int print_annual_report(struct client *cl, const char *prog, json_object *report,
			json_object *opts);
