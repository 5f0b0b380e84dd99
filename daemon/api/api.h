/*
 * The interfaces khoad implements, one file of api/ each (api/custody.c is
 * io.khoa.Custody), in the order GetInfo does not care about: what main.c
 * gives the dispatcher, and what methods_check() holds against proto/.
 */
#pragma once

#include "methods.h"

/* Each one's methods, in the file named after it. */
extern const struct interface api_varlink_service, api_khoa, api_tokens, api_certificates,
	api_daemon, api_organizations, api_people, api_events, api_pin, api_pin_requests,
	api_handovers, api_custody, api_managers, api_expiry, api_requests, api_reports,
	api_audit, api_incidents;

extern const struct interface *const api_interfaces[];	/* NULL-terminated */
