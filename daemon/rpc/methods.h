/*
 * The method table: every method khoad implements, the role it needs and the
 * table its parameters are parsed by. The dispatcher resolves the method,
 * checks the role, parses the parameters and calls the handler with them, so
 * a handler never repeats any of that. Each family of methods lives in its
 * own file (method-*.c) and exports its entries.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "params.h"
#include "roles.h"
#include "server.h"

/* Parsed parameters live in a buffer this big; a family's struct must fit. */
#define METHOD_ARGS_MAX 256

struct method {
	const char *name;		/* "io.khoa.Tokens.List" */
	unsigned roles;			/* roles admitted (ROLE_*), or ROLES_ANYONE */
	bool snapshot;			/* answers from the snapshot: until every
					 * module was read once, the call waits */
	const struct khoa_param *params;	/* NULL: takes none */
	void (*run)(struct call *c, const void *args);
	/* Sets defaults in the zeroed args before parsing (e.g. -1 for "not
	 * given" where 0 means something); NULL: zeroes are the defaults. */
	void (*init)(void *args);
};

#define METHOD_ARGS_FIT(type) \
	_Static_assert(sizeof(type) <= METHOD_ARGS_MAX, #type " too large")

/* Answers C: an error for an unknown method, a refused role or bad
 * parameters, otherwise whatever the handler answers. */
void methods_dispatch(struct call *c, json_object *parameters);

/* Whether the table and the interface files declare the same methods; on a
 * mismatch, 0 is returned and *missing names one. Checked at start-up. */
int methods_check(const char **missing);

/* The families. */
extern const struct method method_service_ping, method_service_get_info,
	method_service_get_interface_description;
extern const struct method method_tokens_list, method_tokens_get, method_tokens_rescan;
extern const struct method method_certificates_list;
extern const struct method method_daemon_status;
extern const struct method method_tokens_register, method_tokens_unregister,
	method_tokens_confirm_binding, method_tokens_history;
extern const struct method method_organizations_create, method_organizations_update,
	method_organizations_list, method_organizations_get;
extern const struct method method_people_create, method_people_update,
	method_people_list, method_people_get;
extern const struct method method_events_watch;
extern const struct method method_pin_status, method_pin_change;
extern const struct method method_pin_requests_new, method_pin_requests_confirm,
	method_pin_requests_submit, method_pin_requests_forward, method_pin_requests_reject,
	method_pin_requests_cancel, method_pin_requests_complete, method_pin_requests_list,
	method_pin_requests_get, method_pin_requests_count;
extern const struct method method_handovers_new, method_handovers_add_row,
	method_handovers_remove_row, method_handovers_finalize, method_handovers_get,
	method_handovers_list;
extern const struct method method_custody_get, method_custody_seal_out, method_custody_seal_in,
	method_custody_seal_log;
extern const struct method method_managers_record, method_managers_get, method_managers_list;
extern const struct method method_expiry_expiring;
extern const struct method method_requests_new, method_requests_confirm, method_requests_submit,
	method_requests_forward, method_requests_done, method_requests_reject,
	method_requests_cancel, method_requests_list, method_requests_get, method_requests_count;
extern const struct method method_reports_annual, method_reports_enter, method_reports_file;
