/* The method table and its dispatcher. */
#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "idl.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "methods.h"

/* The interface of IFACES named by the part of METHOD before its last dot. */
static const struct interface *
find_interface(const struct interface *const *ifaces, const char *method)
{
	const char *dot = strrchr(method, '.');
	size_t n = dot ? (size_t)(dot - method) : 0;
	for (const struct interface *const *i = ifaces; n && *i; i++)
		if (strlen((*i)->name) == n && strncmp((*i)->name, method, n) == 0)
			return *i;
	return NULL;
}

static const struct method *
find(const struct interface *const *ifaces, const char *name)
{
	const struct interface *i = find_interface(ifaces, name);
	for (const struct method *m = i ? i->methods : NULL; m && m->name; m++)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

int
methods_check(const struct interface *const *ifaces, char *why, size_t size)
{
	for (const struct interface *const *i = ifaces; *i; i++) {
		const struct khoa_idl_interface *idl = khoa_idl_find((*i)->name);
		if (!idl) {
			snprintf(why, size, "interface %s is in no interface file", (*i)->name);
			return -EINVAL;
		}
		for (const struct interface *const *j = ifaces; j < i; j++)
			if (strcmp((*i)->name, (*j)->name) == 0) {
				snprintf(why, size, "interface %s is implemented twice", (*i)->name);
				return -EINVAL;
			}
		for (const struct method *m = (*i)->methods; m->name; m++) {
			const struct khoa_idl_method *im = khoa_idl_method(m->name);
			if (!im || find_interface(ifaces, m->name) != *i) {
				snprintf(why, size, "method %s is not one of %s's interface file",
					 m->name, (*i)->name);
				return -EINVAL;
			}
			if (find(ifaces, m->name) != m) {
				snprintf(why, size, "method %s is implemented twice", m->name);
				return -EINVAL;
			}
			if (khoa_idl_check_params(im, m->params, why, size) < 0)
				return -EINVAL;
		}
	}
	for (const struct khoa_idl_interface *i = khoa_idl_interfaces; i->name; i++)
		for (const struct khoa_idl_method *m = i->methods; m->name; m++)
			if (!find(ifaces, m->name)) {
				snprintf(why, size, "method %s of the interface files is not "
					 "implemented", m->name);
				return -EINVAL;
			}
	return 0;
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

/* Parses the parameters, runs the handler, and gives the generic answer
 * when it returns a failure without answering (server.h). */
static void
run(struct call *c, const struct method *m, json_object *parameters)
{
	alignas(max_align_t) unsigned char args[METHOD_ARGS_MAX];
	const char *bad;

	memset(args, 0, sizeof(args));
	if (m->init)
		m->init(args);
	if (khoa_params_parse(parameters, m->params, args, &bad) < 0) {
		call_fail(c, khoa_err_invalid_parameter(bad));
		return;
	}
	int r = m->run(c, args);
	if (r >= 0)
		return;
	if (call_answered(c))
		log_error("%s failed (%s) after answering", m->name, strerror(-r));
	else
		call_fail_errno(c, r);
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
		call_fail(w->call, khoa_err_timeout(timeout, "the tokens were not read within %u "
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
		call_fail_errno(c, -ENOMEM);
		return;
	}
	w->method = m;
	w->parameters = json_object_get(parameters);
	int r = d->when_ready(d, on_snapshot, w);
	if (r > 0)
		run(w->call, m, parameters);	/* ready after all */
	if (r != 0) {
		if (r < 0)
			call_fail_errno(w->call, r);
		json_object_put(w->parameters);
		free(w);
	}
}

void
methods_dispatch(struct call *c, json_object *parameters)
{
	const char *name = call_method(c);
	const struct method *m = find(call_daemon(c)->interfaces, name);
	char iface[256];

	if (!m) {
		interface_of(name, iface, sizeof(iface));
		if (!khoa_idl_find(iface))
			call_fail(c, khoa_err_interface_not_found(iface));
		else if (khoa_idl_has_method(name))
			call_fail(c, khoa_err_method_not_implemented(name));
		else
			call_fail(c, khoa_err_method_not_found(name));
		return;
	}

	struct khoad *d = call_daemon(c);
	unsigned have = roles_of(d->roles, call_peer(c));
	if (!roles_admit(have, m->roles)) {
		const char *need = roles_needed(m->roles);
		log_info("%s (uid %u) refused %s, which needs the role %s",
			 call_peer(c)->user, (unsigned)call_peer(c)->uid, name, need);
		call_fail(c, khoa_err_permission_denied(need, NULL, NULL, "%s needs the role %s", name, need));
		return;
	}

	if (m->snapshot && d->when_ready(d, NULL, NULL) == 0)
		wait_for_snapshot(c, m, parameters);
	else
		run(c, m, parameters);
}
