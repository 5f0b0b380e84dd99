/*
 * Who is calling: the credentials of a client's process, read once when it
 * connects (SO_PEERCRED, SO_PEERGROUPS) and kept with the connection. Plain
 * data, so that the roles of a caller can be worked out without the socket.
 */
#pragma once

#include <stddef.h>
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
