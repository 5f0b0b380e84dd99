/*
 * A check the event loop runs every few seconds until the daemon stops
 * (the seal register's, the annual report's reminder). Its timer is a
 * one-shot event rearmed after each run, so the loop owns it
 * (event_base_free() frees one still pending) and nothing is kept to free.
 * P must live as long as the loop: a member of struct khoad.
 */
#pragma once

struct khoad;

struct periodic {
	struct khoad *d;
	unsigned interval_s;
	void (*check)(struct khoad *d);
	const char *what;	/* for the log: "the seal register's check" */
};

int periodic_start(struct periodic *p);
