/* The listening socket's path (socket.h): what is there, whether it may be
 * replaced, binding and listening, and the socket systemd passes. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/util.h>
#include <systemd/sd-daemon.h>

#include "log.h"
#include "server.h"
#include "socket.h"

/* Whether something answers on SA (a live daemon rather than a leftover):
 * only a refused connection says nobody does. */
static bool
socket_alive(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return true;	/* not known to be stale */
	bool alive = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 ||
		     errno != ECONNREFUSED;
	close(fd);
	return alive;
}

int
server_path_free(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_error("socket path too long: %s", path);
		return -1;
	}
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 1;
		log_error("cannot look at the socket path %s: %m", path);
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		log_error("%s is %s, not a socket; khoad does not remove it to listen there", path,
			  S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode)
			  ? "a directory" : S_ISREG(st.st_mode) ? "a regular file"
			  : "a file of another kind");
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (socket_alive(&sa)) {
		log_error("another khoad is listening on %s", path);
		return -1;
	}
	return 0;
}

/* PATH, which bind() found taken, removed when it is provably stale
 * (server_path_free()): 0 when removed, -1 when not (logged, and khoad
 * does not start). */
static int
remove_stale_socket(const char *path)
{
	int r = server_path_free(path);
	if (r < 0)
		return -1;
	if (r == 0 && unlink(path) < 0 && errno != ENOENT) {
		log_error("cannot remove the stale socket %s: %m", path);
		return -1;
	}
	return 0;
}

int
socket_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_error("socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);

	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		log_error("socket: %m");
		return -1;
	}
	/* Anyone who can reach the socket may read; methods check roles. The
	 * socket is made 0666 (the umask, 077 in khoad, lifted for bind()),
	 * not chmod()ed by its path afterwards, which would follow whatever
	 * was put there meanwhile. */
	mode_t mask = umask(0111);
	int bound = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (bound < 0 && errno == EADDRINUSE) {
		if (remove_stale_socket(path) < 0) {
			umask(mask);
			close(fd);
			return -1;
		}
		bound = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	}
	int saved = errno;
	umask(mask);
	errno = saved;
	if (bound < 0 || listen(fd, SOMAXCONN) < 0)
		goto fail;
	return fd;
fail:
	log_error("cannot listen on %s: %m", path);
	close(fd);
	return -1;
}

/* The socket systemd passed (socket activation): its descriptor and, in
 * *PATH, where it is; -1 when none was passed, -2 when what was passed is
 * not one khoad can serve (logged). */
int
socket_activated(char **path)
{
	struct sockaddr_un sa = { 0 };
	socklen_t len = sizeof(sa);
	int n = sd_listen_fds(1), fd = SD_LISTEN_FDS_START;

	if (n == 0)
		return -1;
	if (n < 0 || n > 1) {
		log_error(n < 0 ? "cannot take the sockets systemd passed"
				: "systemd passed more than one socket; khoad serves one");
		return -2;
	}
	if (sd_is_socket_unix(fd, SOCK_STREAM, 1, NULL, 0) <= 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		log_error("the socket systemd passed is not a listening Unix stream socket");
		return -2;
	}
	if (evutil_make_socket_nonblocking(fd) < 0 || evutil_make_socket_closeonexec(fd) < 0 ||
	    !(*path = strdup(len > offsetof(struct sockaddr_un, sun_path) && sa.sun_path[0]
				     ? sa.sun_path : "(unnamed)")))
		return -2;
	return fd;
}

