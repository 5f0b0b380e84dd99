/*
 * USB hot-plug: a hint that a token or reader was plugged or pulled, so the
 * tokens are read again soon rather than at the next periodic scan.
 *
 * Listens to udev through an sd-device monitor (USB devices only) driven by
 * the libevent loop. Events are only hints: CHANGED runs once things have
 * been quiet for about a second (pcscd must see a new reader first), never
 * once per event.
 */
#pragma once

#include <event2/event.h>

struct hotplug;

/*
 * Calls CHANGED(USERDATA) on the loop thread after USB devices come or go.
 * NULL when the monitor cannot be set up (no netlink socket, no libsystemd
 * support); the reason is logged at debug level, and the daemon relies on slot
 * events and periodic scans. Without a running udevd it is set up but hears
 * nothing (containers, chroots).
 */
struct hotplug *hotplug_new(struct event_base *base, void (*changed)(void *userdata),
			    void *userdata);

/* Accepts NULL. */
void hotplug_free(struct hotplug *h);
