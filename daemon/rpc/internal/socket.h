/*
 * The socket khoad listens on, by its path (socket.c): a stale socket left
 * by a daemon that died is replaced, nothing else at the path ever is
 * (server_path_free(), server.h); the socket is made 0666 (anyone may
 * read; the methods check roles). Or the socket systemd passes.
 */
#pragma once

/* A listening, non-blocking socket bound at PATH; -1 (logged). */
int socket_listen(const char *path);

/* The socket systemd passed (socket activation): its descriptor and, in
 * *PATH (malloc'd), where it is; -1 when none was passed, -2 when what was
 * passed is not one khoad can serve (logged). */
int socket_activated(char **path);
