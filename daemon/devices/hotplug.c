/*
 * USB hot-plug through sd-device, inside the libevent loop.
 *
 * libsystemd 252 has no sd_device_monitor_get_fd(): the monitor runs on an
 * sd_event of its own, whose epoll fd libevent watches; when it is readable
 * sd_event_run(e, 0) dispatches what is pending without blocking (the way
 * sd_event_get_fd(3) documents for embedding sd-event in a foreign loop).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-device.h>
#include <systemd/sd-event.h>

#include "hotplug.h"
#include "log.h"

/* Quiet time after the last USB event before CHANGED runs. */
#define HOTPLUG_SETTLE_MS 1000

struct hotplug {
	sd_event *sd_event;
	sd_device_monitor *monitor;
	struct event *io;	/* sd_event's fd is readable */
	struct event *settle;	/* quiet since the last USB event */
	void (*changed)(void *userdata);
	void *userdata;
};

static int
on_device(sd_device_monitor *monitor, sd_device *dev, void *userdata)
{
	struct hotplug *h = userdata;
	sd_device_action_t action;
	const char *path = NULL;

	if (sd_device_get_action(dev, &action) < 0 ||
	    (action != SD_DEVICE_ADD && action != SD_DEVICE_REMOVE))
		return 0;
	(void)sd_device_get_syspath(dev, &path);
	log_debug("USB device %s: %s", action == SD_DEVICE_ADD ? "added" : "removed",
		  path ? path : "?");

	/* (Re)arming pushes the deadline back: a burst gives one call. */
	struct timeval tv = { .tv_sec = HOTPLUG_SETTLE_MS / 1000,
			      .tv_usec = (HOTPLUG_SETTLE_MS % 1000) * 1000 };
	if (evtimer_add(h->settle, &tv) < 0)
		h->changed(h->userdata);
	return 0;
}

static void
on_settled(evutil_socket_t fd, short what, void *arg)
{
	struct hotplug *h = arg;
	h->changed(h->userdata);
}

static void
on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct hotplug *h = arg;
	int r;

	while ((r = sd_event_run(h->sd_event, 0)) > 0)
		;
	if (r < 0) {
		/* The fd would stay readable: stop watching rather than spin. */
		log_warning("USB hot-plug monitor failed (%s); relying on periodic scans",
			    strerror(-r));
		event_del(h->io);
	}
}

struct hotplug *
hotplug_new(struct event_base *base, void (*changed)(void *userdata), void *userdata)
{
	const char *step;
	int r, fd;

	struct hotplug *h = calloc(1, sizeof(*h));
	if (!h) {
		log_debug("no USB hot-plug: out of memory");
		return NULL;
	}
	h->changed = changed;
	h->userdata = userdata;

	if ((r = sd_event_new(&h->sd_event)) < 0) {
		step = "sd_event_new";
		goto fail;
	}
	if ((r = sd_device_monitor_new(&h->monitor)) < 0) {
		step = "sd_device_monitor_new";
		goto fail;
	}
	if ((r = sd_device_monitor_filter_add_match_subsystem_devtype(h->monitor, "usb",
								       "usb_device")) < 0) {
		step = "sd_device_monitor_filter_add_match_subsystem_devtype";
		goto fail;
	}
	if ((r = sd_device_monitor_attach_event(h->monitor, h->sd_event)) < 0) {
		step = "sd_device_monitor_attach_event";
		goto fail;
	}
	if ((r = sd_device_monitor_start(h->monitor, on_device, h)) < 0) {
		step = "sd_device_monitor_start";
		goto fail;
	}
	if ((fd = sd_event_get_fd(h->sd_event)) < 0) {
		r = fd;
		step = "sd_event_get_fd";
		goto fail;
	}
	r = -ENOMEM;
	step = "libevent";
	if (!(h->io = event_new(base, fd, EV_READ | EV_PERSIST, on_readable, h)) ||
	    !(h->settle = evtimer_new(base, on_settled, h)) || event_add(h->io, NULL) < 0)
		goto fail;

	/* Without udevd nothing comes; sd-device even leaves the monitor out
	 * of udev's netlink group when this file is missing and /dev is not
	 * a devtmpfs. */
	if (access("/run/udev/control", F_OK) < 0)
		log_debug("watching USB devices, but udevd does not seem to run "
			  "(no /run/udev/control): no hot-plug event may come");
	else
		log_debug("watching USB devices for hot-plug");
	return h;
fail:
	log_debug("no USB hot-plug: %s: %s", step, strerror(-r));
	hotplug_free(h);
	return NULL;
}

void
hotplug_free(struct hotplug *h)
{
	if (!h)
		return;
	if (h->io)
		event_free(h->io);
	if (h->settle)
		event_free(h->settle);
	sd_device_monitor_unref(h->monitor);	/* stops it and detaches it */
	sd_event_unref(h->sd_event);
	free(h);
}
