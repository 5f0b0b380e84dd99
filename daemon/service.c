/* khoad under systemd: sd_notify(3) from the event loop (service.h). */
#include <stdint.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>
#include <event2/event.h>

#include "inventory.h"
#include "log.h"
#include "server.h"
#include "service.h"
#include "store.h"

static void
on_watchdog(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	sd_notify(0, "WATCHDOG=1");
}

int
service_ready(struct khoad *d)
{
	uint64_t usec = 0;

	sd_notify(0, "READY=1\nSTATUS=Listening; reading the tokens");
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return 0;
	/* Twice per period: one late tick is not yet a miss. */
	struct timeval tv = { .tv_sec = (time_t)(usec / 2 / 1000000),
			      .tv_usec = (suseconds_t)(usec / 2 % 1000000) };
	if (!(d->watchdog = event_new(d->base, -1, EV_PERSIST, on_watchdog, d)) ||
	    event_add(d->watchdog, &tv) < 0) {
		log_error("cannot start the watchdog's timer");
		return -1;
	}
	log_debug("watchdog: every %llu ms", (unsigned long long)(usec / 2 / 1000));
	return 0;
}

void
service_status(struct khoad *d)
{
	struct timespec t = inventory_time(d->inventory);
	struct tm tm;
	char when[16] = "";

	if (t.tv_sec) {
		localtime_r(&t.tv_sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	}
	const char *reason = NULL, *why = d->store ? store_read_only(d->store, &reason) : NULL;
	char ro[320] = "";

	if (why)	/* (issue 15: a full or read-only disk, or under the floor) */
		snprintf(ro, sizeof(ro), "The registry is read-only (%s%s%s): changes are refused "
			 "until there is room; ", reason, *why ? ": " : "", why);
	sd_notifyf(0, "STATUS=%s%s%zu tokens, %zu certificates, %u clients; last scan %s",
		   d->registry_away ? "The registry's server is not reachable; " : "", ro,
		   inventory_n_tokens(d->inventory), inventory_n_certs(d->inventory),
		   server_n_clients(d->server), *when ? when : "not yet");
}

void
service_reloading(void)
{
	sd_notify(0, "RELOADING=1\nSTATUS=Reloading the configuration");
}

void
service_reloaded(struct khoad *d)
{
	sd_notify(0, "READY=1");
	service_status(d);
}

void
service_stopping(void)
{
	sd_notify(0, "STOPPING=1\nSTATUS=Stopping");
}

void
service_free(struct khoad *d)
{
	if (d->watchdog)
		event_free(d->watchdog);
	d->watchdog = NULL;
}
