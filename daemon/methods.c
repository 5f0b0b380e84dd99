/* The method table and its dispatcher. */
#include <stdalign.h>
#include <string.h>

#include "errors.h"
#include "idl.h"
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

void
methods_dispatch(struct call *c, json_object *parameters)
{
	const char *name = call_method(c);
	const struct method *m = find(name);
	char iface[256];
	const char *bad;

	if (!m) {
		interface_of(name, iface, sizeof(iface));
		if (!khoa_idl_find(iface))
			call_error(c, khoa_error_newf(VARLINK_ERROR_INTERFACE_NOT_FOUND,
						      "interface", iface,
						      "no interface %s here", iface));
		else
			call_error(c, khoa_error_newf(VARLINK_ERROR_METHOD_NOT_FOUND,
						      "method", name, "no method %s", name));
		return;
	}

	enum role have = role_of(call_peer(c));
	if (have < m->role) {
		log_info("uid %u (%s) refused %s, which needs %s",
			 (unsigned)call_peer(c)->uid, role_name(have), name, role_name(m->role));
		call_error(c, khoa_error_newf(KHOA_ERROR_PERMISSION_DENIED, "role",
					      role_name(m->role), "%s needs the role %s",
					      name, role_name(m->role)));
		return;
	}

	alignas(max_align_t) unsigned char args[METHOD_ARGS_MAX];
	memset(args, 0, sizeof(args));
	if (khoa_params_parse(parameters, m->params, args, &bad) < 0) {
		call_error(c, khoa_error_newf(VARLINK_ERROR_INVALID_PARAMETER, "parameter", bad,
					      "invalid parameter \"%s\" for %s", bad, name));
		return;
	}
	m->run(c, args);
}
