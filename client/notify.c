/* Desktop notifications through sd-bus loaded at run time: see notify.h. */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-bus.h>

#include "i18n.h"
#include "notify.h"

#define LIBSYSTEMD "libsystemd.so.0"
#define NOTIFY_TIMEOUT_US (3 * 1000 * 1000)

/* The sd-bus calls used, typed by the header's own prototypes. */
struct sd_bus_calls {
	__typeof__(sd_bus_open_user) *open_user;
	__typeof__(sd_bus_set_method_call_timeout) *set_method_call_timeout;
	__typeof__(sd_bus_call_method) *call_method;
	__typeof__(sd_bus_process) *process;
	__typeof__(sd_bus_error_free) *error_free;
	__typeof__(sd_bus_message_unref) *message_unref;
	__typeof__(sd_bus_flush_close_unref) *flush_close_unref;
};

static const struct {
	const char *name;
	size_t offset;
} symbols[] = {
	{ "sd_bus_open_user", offsetof(struct sd_bus_calls, open_user) },
	{ "sd_bus_set_method_call_timeout", offsetof(struct sd_bus_calls, set_method_call_timeout) },
	{ "sd_bus_call_method", offsetof(struct sd_bus_calls, call_method) },
	{ "sd_bus_process", offsetof(struct sd_bus_calls, process) },
	{ "sd_bus_error_free", offsetof(struct sd_bus_calls, error_free) },
	{ "sd_bus_message_unref", offsetof(struct sd_bus_calls, message_unref) },
	{ "sd_bus_flush_close_unref", offsetof(struct sd_bus_calls, flush_close_unref) },
};

struct notifier {
	void *lib;		/* libsystemd, once loaded */
	bool unavailable;	/* it could not be: said once, not tried again */
	struct sd_bus_calls sd;
	sd_bus *bus;		/* the user's bus, opened when first needed */
};

struct notifier *
notifier_new(void)
{
	return calloc(1, sizeof(struct notifier));
}

/* libsystemd and its calls, loaded the first time; false when it cannot be. */
static bool
load(struct notifier *n)
{
	if (n->lib)
		return true;
	if (n->unavailable)
		return false;
	n->lib = dlopen(LIBSYSTEMD, RTLD_NOW | RTLD_LOCAL);
	for (size_t i = 0; n->lib && i < sizeof(symbols) / sizeof(*symbols); i++) {
		void *fn = dlsym(n->lib, symbols[i].name);
		if (!fn) {
			dlclose(n->lib);
			n->lib = NULL;
		}
		/* A function pointer stored as the object dlsym gives (POSIX). */
		*(void **)((char *)&n->sd + symbols[i].offset) = fn;
	}
	if (!n->lib) {
		n->unavailable = true;
		/* TRANSLATORS: %s is the library's file name, libsystemd.so.0. */
		fprintf(stderr, _("khoa tray: desktop notifications are unavailable (%s cannot be "
				  "loaded); the notices are printed\n"), LIBSYSTEMD);
		return false;
	}
	return true;
}

static sd_bus *
user_bus(struct notifier *n)
{
	if (!n->bus && n->sd.open_user(&n->bus) < 0)
		n->bus = NULL;
	if (n->bus)
		n->sd.set_method_call_timeout(n->bus, NOTIFY_TIMEOUT_US);
	return n->bus;
}

bool
notifier_show(struct notifier *n, const char *summary, const char *body, bool critical)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	sd_bus *bus;

	if (!load(n) || !(bus = user_bus(n)))
		return false;
	int r = n->sd.call_method(bus, "org.freedesktop.Notifications",
				  "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
				  "Notify", &error, &reply, "susssasa{sv}i",
				  "khoa", 0u, "dialog-password", summary, body,
				  0, 1, "urgency", "y", critical ? 2 : 1, -1);
	n->sd.error_free(&error);
	n->sd.message_unref(reply);
	if (r < 0) {
		/* Gone with the session, or no notification service: print, and
		 * look for a bus again next time. */
		n->bus = n->sd.flush_close_unref(n->bus);
		return false;
	}
	while (n->sd.process(bus, NULL) > 0)
		;
	return true;
}

void
notifier_free(struct notifier *n)
{
	if (!n)
		return;
	if (n->bus)
		n->sd.flush_close_unref(n->bus);
	if (n->lib)
		dlclose(n->lib);
	free(n);
}
