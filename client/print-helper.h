/*
 * Forms are rendered by khoa-print, a helper of its own (print/khoa-print.c),
 * so that khoa links no PDF stack and every command starts like a small C
 * program (DESIGN.md "Forms and printing"). khoa fetches the record and the
 * names that head its form; the helper gets the record's JSON on its
 * standard input (a record holds personal data: not in arguments, which any
 * local user can read in /proc) and the rest as arguments.
 *
 * The helper is KHOA_PRINT_HELPER of config.h (libexecdir/khoa/khoa-print),
 * or the environment's KHOA_PRINT_HELPER when set (the build tree, tests).
 */
#pragma once

#include <json-c/json.h>

/*
 * Renders RECORD as FORM ("handover", "pin-request", "manager-change",
 * "request", "report", "list-person", "list-org", "list-revoke") as OPTS
 * ask: "format", "output", "place", "number" of the command line; HEADER's
 * "agency" and "managing_agency" head it. Messages name PROG. The exit
 * status: EXIT_OK, or EXIT_ERROR_REPLY having said why (the helper did, or
 * khoa when the helper cannot run).
 */
int print_helper_run(const char *prog, const char *form, json_object *record,
		     json_object *header, json_object *opts);
