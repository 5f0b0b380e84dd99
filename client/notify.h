/*
 * Desktop notifications for khoa tray: org.freedesktop.Notifications on the
 * user's session bus, through sd-bus. libsystemd is loaded (dlopen) when the
 * first notification is sent, not linked: every other command starts
 * without it. Without libsystemd, a bus or a notification service, nothing
 * is shown and the caller prints instead; a missing libsystemd is said once.
 */
#pragma once

#include <stdbool.h>

struct notifier;

/* Nothing is loaded or opened yet; NULL when out of memory. */
struct notifier *notifier_new(void);

/* Shows SUMMARY and BODY (urgency critical or normal); false when it could
 * not: the caller prints it. After a failure the bus is looked for again
 * next time (the session may be back). */
bool notifier_show(struct notifier *n, const char *summary, const char *body, bool critical);

/* Closes the bus and unloads libsystemd; N may be NULL. */
void notifier_free(struct notifier *n);
