/* What the PostgreSQL backend (pg.c) decides without a server, for its
 * unit tests. */
#pragma once

#include <stdbool.h>

/* The majors khoad is built and tested for (PQserverVersion() / 10000). */
#define PG_MAJOR_MIN 15
#define PG_MAJOR_MAX 17

/* Whether a server of SERVER_VERSION (PQserverVersion()) is one of them. */
bool pg_version_supported(int server_version);

/* An error's SQLSTATE as the store's negative errno: -EEXIST a constraint,
 * -EACCES a privilege or row-level security, -EAGAIN run it again,
 * -EBUSY a lock held elsewhere too long, -ETIMEDOUT a statement too long,
 * -ENOTCONN the server gone (or no SQLSTATE at all), -EIO the rest. */
int pg_sqlstate_errno(const char *state);
