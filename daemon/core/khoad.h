/*
 * The daemon's context: what method handlers reach through call_daemon().
 * One per process, built by main.c; no globals.
 */
#pragma once

#include <stdbool.h>
#include <sys/queue.h>
#include <time.h>
#include <event2/event.h>

#include "periodic.h"

struct rules_profile;
struct pin_try;

/* A login the registry maps to a person (access.c), kept while the
 * registry has not changed since (khoad.registry_generation). */
struct login_seen {
	char user[33];		/* "" : an empty slot */
	int64_t person, organization;
	bool clerk;
	uint64_t generation;
};
#define KHOAD_LOGINS_SEEN 8

struct khoad {
	struct event_base *base;
	const struct interface *const *interfaces;	/* the methods (api/api.c) */
	struct server *server;
	struct scanner *scanner;
	struct inventory *inventory;
	struct store *store;
	struct events *events;
	struct watchers *watchers;	/* of io.khoa.Events.Watch */
	struct roles *roles;
	/*
	 * Upcalls, set by main.c, through which a room reaches one above it
	 * (docs/design-notes.md, "Rooms"): after every commit of the registry
	 * (the snapshot's replies show registrations: rebuilt); for a method
	 * that answers from the snapshot, whether every module has been read
	 * once: 1 when so (DONE is not called), else 0 and DONE once it has
	 * (COMPLETE false when the rescan timeout passed first; a NULL DONE
	 * only asks), or -ENOMEM.
	 */
	void (*committed)(struct khoad *d);
	int (*when_ready)(struct khoad *d, void (*done)(bool complete, void *arg), void *arg);
	/* Every PIN that reached a token, right or wrong (core/pin-try.h):
	 * the record of who tried it (registry/pin-tries.c). */
	void (*pin_tried)(struct khoad *d, const struct pin_try *t);
	struct rules_profile *rules;	/* [rules] of the configuration, else built in */
	char *forms_place;		/* [forms] place, or NULL (owned) */
	const char *config_path;	/* read again on SIGHUP */
	bool config_required;		/* named on the command line */
	bool expiry_warn_given;		/* --expiry-warn: not the profile's warn-days */
	LIST_HEAD(, pin_job) pin_jobs;	/* PIN operations under way (pin-ops.c) */
	struct pin_pace *pin_pace;	/* the delays between PIN tries (pin-pace.c) */
	unsigned rescan_timeout_s;
	unsigned seal_due_hours;	/* an organization token out longer is overdue */
	struct expiry *expiry;		/* certificate expiry warnings (expiry.c) */
	struct event *watchdog;		/* WATCHDOG=1 to systemd (service.c) */
	struct periodic seal_watch;	/* seal-watch.c */
	struct periodic report_watch;	/* report-watch.c */
	struct audit_watch *audit;	/* the audit trail's (audit-watch.c) */
	bool stopping;			/* tearing down: start nothing new */
	bool registry_away;		/* a shared registry's server not reachable */
	/* Counts the registry's changes heard of (a commit here, a
	 * notification of another workstation's, the server back): what is
	 * kept of it is kept for one generation. */
	uint64_t registry_generation;
	struct login_seen logins_seen[KHOAD_LOGINS_SEEN];
	struct timespec started;
};
