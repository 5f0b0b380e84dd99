/*
 * Who is calling: the credentials of a client's process, read once when it
 * connects (SO_PEERCRED, SO_PEERGROUPS) and kept with the connection; and
 * who did something, as the record names them. Plain data, so that roles
 * and the record can be worked out without the socket.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PEER_GROUPS_MAX 64

struct peer {
	uid_t uid;
	gid_t gid;
	pid_t pid;
	char user[64];			/* login name, or the uid in decimal */
	gid_t groups[PEER_GROUPS_MAX];	/* supplementary groups (SO_PEERGROUPS) */
	size_t n_groups;
};

/* Who did it, in events and steps: a caller's uid and login (what khoad
 * does of itself is recorded without one: a NULL actor). */
struct actor {
	int64_t uid;
	const char *user;
};
