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
#include "registry.h"

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

int
methods_refuse(struct call *c, unsigned admit, const struct scope *s, const char *why)
{
	char scope[160];
	const char *need = access_needed(call_daemon(c), admit, s, scope, sizeof(scope));
	const struct peer *p = call_peer(c);
	const char *of = *scope ? " of " : "";

	log_info("%s (uid %u) refused %s, which needs the role %s%s%s", p->user,
		 (unsigned)p->uid, call_method(c), need, of, scope);
	return call_fail(c, khoa_err_permission_denied(need, *scope ? scope : NULL, NULL,
						       "%s needs the role %s%s%s%s", call_method(c),
						       need, of, scope, why));
}

/* Whether the caller may call M on what ARGS name; refused (answered)
 * when not. 1 admitted, 0 refused, or a negative errno. */
static int
admit(struct call *c, const struct method *m, const unsigned char *args)
{
	struct scope s;
	int64_t id = 0, id2 = 0;
	const char *text = NULL;
	int r;

	if ((m->admit & ADMIT_ANYONE) || m->subject == SUBJECT_NONE)
		return 1;	/* the role, checked before the parameters, was enough */
	if (m->subject == SUBJECT_TOKEN)
		memcpy(&text, args + m->key, sizeof(text));
	else
		memcpy(&id, args + m->key, sizeof(id));
	if (m->subject == SUBJECT_HOLDER) {
		memcpy(&id2, args + m->key2, sizeof(id2));
		memcpy(&text, args + m->key3, sizeof(text));
	}
	if ((r = access_subject(call_daemon(c), m->subject, id, id2, text, &s)) < 0)
		return r;
	/* A record that does not exist: its handler says so to whoever may
	 * act on some record of the kind (checked before the parameters). */
	if ((!s.known && !s.unregistered) || access_admits(call_caller(c), m->admit, &s))
		return 1;
	methods_refuse(c, m->admit, &s, "");
	return 0;
}

/* Parses the parameters, admits the call, runs the handler, and gives the
 * generic answer when it returns a failure without answering (server.h). */
static void
run(struct call *c, const struct method *m, json_object *parameters)
{
	alignas(max_align_t) unsigned char args[METHOD_ARGS_MAX];
	const char *bad;

	memset(args, 0, sizeof(args));
	if (m->init)
		m->init(args);
	int r = registry_serials_as_recorded(call_daemon(c), parameters);
	if (r < 0) {
		call_fail_errno(c, r);
		return;
	}
	if (khoa_params_parse(parameters, m->params, args, &bad) < 0) {
		call_fail(c, khoa_err_invalid_parameter(bad));
		return;
	}
	r = admit(c, m, args);
	if (r == 0)
		return;
	if (r > 0)
		r = m->run(c, args);
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
	int r = access_caller(d, call_peer(c), call_caller(c));
	if (r < 0) {
		call_fail_errno(c, r);
		return;
	}
	if (!access_may_ever(call_caller(c), m->admit)) {
		methods_refuse(c, m->admit, NULL, "");
		return;
	}

	if (m->snapshot && d->when_ready(d, NULL, NULL) == 0)
		wait_for_snapshot(c, m, parameters);
	else
		run(c, m, parameters);
}
