/* The interfaces of api/ (api.h). */
#include <stddef.h>

#include "api.h"

const struct interface *const api_interfaces[] = {
	&api_varlink_service,
	&api_khoa,
	&api_tokens,
	&api_certificates,
	&api_daemon,
	&api_organizations,
	&api_people,
	&api_events,
	&api_pin,
	&api_pin_requests,
	&api_handovers,
	&api_custody,
	&api_managers,
	&api_expiry,
	&api_requests,
	&api_reports,
	&api_audit,
	&api_incidents,
	NULL
};
