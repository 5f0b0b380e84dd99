/* A disk that takes no write (issue 15): the registry read-only while its
 * disk is full, mounted read-only or under the free-space floor, and
 * writable again once there is room (store.h, store-private.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "store-private.h"

/* S takes no change from now on, for REASON, WHY (taken); said once. */
void
store_disk_refuses(struct store *s, const char *reason, char *why)
{
	if (s->read_only) {
		free(why);
		return;
	}
	s->read_only = why;
	s->read_only_reason = reason;
	if (s->reader)	/* a reader's (a verification's): its writer says it */
		return;
	log_warning("registry %s: takes no change for now (%s): %s; it is still read, and "
		    "takes changes again once there is room", s->backend->describe(s->conn),
		    reason, why ? why : "no room");
}

/* Whether a change may begin: 0, or -EROFS (read-only now, or from now on:
 * less free than the floor on the disk). */
int
store_room_for_change(struct store *s)
{
	uint64_t avail;
	char *why = NULL;
	int r;

	/* Lifted as soon as there is room: under the floor, at once; a
	 * connection opened read-only is tried again at most once a second
	 * (and by the daemon's timer). */
	if (s->read_only && strcmp(s->read_only_reason, "low-space") != 0) {
		time_t now = time(NULL);
		if (now == s->reopened)
			return -EROFS;
		s->reopened = now;
	}
	if (s->read_only)
		return store_try_writable(s);
	if (!s->backend->space || (r = s->backend->space(s->conn, &avail)) == -EROFS) {
		if (s->backend->space)
			store_disk_refuses(s, "read-only", strdup("its disk is mounted read-only"));
		return s->backend->space ? -EROFS : 0;
	}
	if (r < 0 || !s->floor || avail >= s->floor)
		return 0;
	if (asprintf(&why, "%.1f MiB free on its disk, under the floor of %.1f MiB",
		     (double)avail / (1 << 20), (double)s->floor / (1 << 20)) < 0)
		why = NULL;
	store_disk_refuses(s, "low-space", why);
	return -EROFS;
}

void
store_set_floor(struct store *s, uint64_t bytes)
{
	s->floor = bytes;
}

const char *
store_read_only(struct store *s, const char **reason)
{
	if (reason)
		*reason = s->read_only_reason;
	return s->read_only ? s->read_only : s->read_only_reason ? "" : NULL;
}

int
store_try_writable(struct store *s)
{
	uint64_t avail = 0;
	char *why = NULL;
	int r = s->backend->space ? s->backend->space(s->conn, &avail) : 0;

	if (!s->read_only_reason)
		return 0;
	if (r == -EROFS || (r == 0 && avail < s->floor))
		return -EROFS;
	if (s->backend->writable && s->backend->writable(s->conn) < 0 &&
	    s->backend->reopen(s->conn, &why) < 0) {
		log_debug("registry %s: still read-only: %s", s->backend->describe(s->conn),
			  why ? why : "out of memory");
		free(why);
		return -EROFS;
	}
	free(s->read_only);
	s->read_only = NULL;
	s->read_only_reason = NULL;
	log_info("registry %s: takes changes again (%.1f MiB free on its disk)",
		 s->backend->describe(s->conn), (double)avail / (1 << 20));
	return 0;
}

