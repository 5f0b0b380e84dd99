/*
 * The daemon's context: what method handlers reach through call_daemon().
 * One per process, built by main.c; no globals.
 */
#pragma once

#include <time.h>
#include <event2/event.h>

struct khoad {
	struct event_base *base;
	struct server *server;
	struct scanner *scanner;
	struct inventory *inventory;
	struct store *store;
	struct events *events;
	struct roles *roles;
	unsigned rescan_timeout_s;
	struct timespec started;
};
