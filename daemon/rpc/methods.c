/* The method table and its dispatcher. */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "idl.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "methods.h"

static const struct method *const methods[] = {
	&method_service_get_info,
	&method_service_get_interface_description,
	&method_service_ping,
	&method_tokens_list,
	&method_tokens_get,
	&method_tokens_rescan,
	&method_certificates_list,
	&method_daemon_status,
	&method_tokens_register,
	&method_tokens_unregister,
	&method_tokens_confirm_binding,
	&method_tokens_history,
	&method_organizations_create,
	&method_organizations_update,
	&method_organizations_list,
	&method_organizations_get,
	&method_people_create,
	&method_people_update,
	&method_people_list,
	&method_people_get,
	&method_events_watch,
	&method_pin_status,
	&method_pin_change,
	&method_pin_requests_new,
	&method_pin_requests_confirm,
	&method_pin_requests_submit,
	&method_pin_requests_forward,
	&method_pin_requests_reject,
	&method_pin_requests_cancel,
	&method_pin_requests_complete,
	&method_pin_requests_list,
	&method_pin_requests_get,
	&method_pin_requests_count,
	&method_handovers_new,
	&method_handovers_add_row,
	&method_handovers_remove_row,
	&method_handovers_finalize,
	&method_handovers_get,
	&method_handovers_list,
	&method_custody_get,
	&method_custody_seal_out,
	&method_custody_seal_in,
	&method_custody_seal_log,
	&method_managers_record,
	&method_managers_get,
	&method_managers_list,
	&method_expiry_expiring,
	&method_requests_new,
	&method_requests_confirm,
	&method_requests_submit,
	&method_requests_forward,
	&method_requests_done,
	&method_requests_reject,
	&method_requests_cancel,
	&method_requests_list,
	&method_requests_get,
	&method_requests_count,
	&method_reports_annual,
	&method_reports_enter,
	&method_reports_file,
	NULL
};

static const struct method *
find(const char *name)
{
	for (const struct method *const *m = methods; *m; m++)
		if (strcmp((*m)->name, name) == 0)
			return *m;
	return NULL;
}

int
methods_check(const char **missing)
{
	for (const struct method *const *m = methods; *m; m++)
		if (!khoa_idl_has_method((*m)->name)) {
			*missing = (*m)->name;
			return 0;
		}
	for (const struct khoa_idl_interface *i = khoa_idl_interfaces; i->name; i++)
		for (const char *const *n = i->methods; *n; n++)
			if (!find(*n)) {
				*missing = *n;
				return 0;
			}
	return 1;
}

/* The interface part of "io.khoa.Tokens.List", into BUF. */
static const char *
interface_of(const char *method, char *buf, size_t size)
{
	const char *dot = strrchr(method, '.');
	size_t n = dot ? (size_t)(dot - method) : 0;
	if (n >= size)
		n = size - 1;
	memcpy(buf, method, n);
	buf[n] = '\0';
	return buf;
}

static void
run(struct call *c, const struct method *m, json_object *parameters)
{
	alignas(max_align_t) unsigned char args[METHOD_ARGS_MAX];
	const char *bad;

	memset(args, 0, sizeof(args));
	if (m->init)
		m->init(args);
	if (khoa_params_parse(parameters, m->params, args, &bad) < 0) {
		call_error(c, khoa_varlink_error(VARLINK_ERROR_INVALID_PARAMETER, "parameter", bad));
		return;
	}
	m->run(c, args);
}

/* A call that waits for the first snapshot, with its parameters (the
 * rare case: only until the first scan is done). */
struct waiting {
	struct call *call;
	const struct method *method;
	json_object *parameters;
};

static void
on_snapshot(bool complete, void *userdata)
{
	struct waiting *w = userdata;
	unsigned timeout = call_daemon(w->call)->rescan_timeout_s;

	if (complete)
		run(w->call, w->method, w->parameters);
	else
		call_error(w->call, khoa_error_add_int(
			khoa_error_newf(KHOA_ERROR_TIMEOUT, NULL, NULL,
					"the tokens were not read within %u seconds", timeout),
			"seconds", timeout));
	json_object_put(w->parameters);
	free(w);
}

static void
wait_for_snapshot(struct call *c, const struct method *m, json_object *parameters)
{
	struct khoad *d = call_daemon(c);
	struct waiting *w = calloc(1, sizeof(*w));
	if (!w || !(w->call = call_defer(c))) {
		free(w);
		call_error(c, NULL);
		return;
	}
	w->method = m;
	w->parameters = json_object_get(parameters);
	int r = d->when_ready(d, on_snapshot, w);
	if (r > 0)
		run(w->call, m, parameters);	/* ready after all */
	if (r != 0) {
		if (r < 0)
			call_error(w->call, NULL);
		json_object_put(w->parameters);
		free(w);
	}
}

void
methods_dispatch(struct call *c, json_object *parameters)
{
	const char *name = call_method(c);
	const struct method *m = find(name);
	char iface[256];

	if (!m) {
		interface_of(name, iface, sizeof(iface));
		if (!khoa_idl_find(iface))
			call_error(c, khoa_varlink_error(VARLINK_ERROR_INTERFACE_NOT_FOUND,
							 "interface", iface));
		else
			call_error(c, khoa_varlink_error(VARLINK_ERROR_METHOD_NOT_FOUND,
							 "method", name));
		return;
	}

	unsigned have = roles_of(call_daemon(c)->roles, call_peer(c));
	if (!roles_admit(have, m->roles)) {
		const char *need = roles_needed(m->roles);
		log_info("%s (uid %u) refused %s, which needs the role %s",
			 call_peer(c)->user, (unsigned)call_peer(c)->uid, name, need);
		call_error(c, khoa_error_newf(KHOA_ERROR_PERMISSION_DENIED, "role", need,
					      "%s needs the role %s", name, need));
		return;
	}

	struct khoad *d = call_daemon(c);
	if (m->snapshot && d->when_ready(d, NULL, NULL) == 0)
		wait_for_snapshot(c, m, parameters);
	else
		run(c, m, parameters);
}
