/* A blocking varlink connection for the command-line client. */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "codec.h"
#include "message.h"
#include "varlink.h"

struct varlink {
	int fd;
	struct khoa_decoder *dec;
};

/*
 * Whether the server on FD may be talked to: its uid (SO_PEERCRED, the
 * listening socket's maker's) in *UID, 0 when it is root (systemd's socket,
 * khoad.socket), khoad's user (KHOAD_USER, the unit's User=) or this client's
 * own user (a khoad started by hand), else -EPERM.
 */
static int
check_server(int fd, uid_t *uid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	*uid = cred.uid;
	if (cred.uid == 0 || cred.uid == getuid() || cred.uid == geteuid())
		return 0;
	const struct passwd *pw = getpwnam(KHOAD_USER);
	return pw && pw->pw_uid == cred.uid ? 0 : -EPERM;
}

struct varlink *
varlink_connect(const char *path, unsigned timeout_s, uid_t *server_uid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = timeout_s };
	uid_t uid = (uid_t)-1;
	int r;

	*server_uid = (uid_t)-1;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(sa.sun_path, path);

	struct varlink *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (v->fd < 0 || connect(v->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	/* Before anything is sent (a PIN, say): the server is khoad's. */
	if ((r = check_server(v->fd, &uid)) < 0) {
		if (r == -EPERM)
			*server_uid = uid;
		errno = -r;
		goto fail;
	}
	if (setsockopt(v->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(v->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		goto fail;
	if (!(v->dec = khoa_decoder_new(KHOA_MESSAGE_MAX * 64))) {
		errno = ENOMEM;
		goto fail;
	}
	return v;
fail:;
	int saved = errno;
	if (v->fd >= 0)
		close(v->fd);
	free(v);
	errno = saved;
	return NULL;
}

void
varlink_close(struct varlink *v)
{
	if (!v)
		return;
	close(v->fd);
	khoa_decoder_free(v->dec);
	free(v);
}

static int
send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
varlink_set_reply_timeout(struct varlink *v, unsigned timeout_s)
{
	struct timeval tv = { .tv_sec = timeout_s };
	return setsockopt(v->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ? -errno : 0;
}

/* Blocks until FD or STOP_FD (unless -1) is readable: 0, or -EINTR for STOP_FD. */
static int
wait_readable(int fd, int stop_fd)
{
	struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = stop_fd, .events = POLLIN } };

	if (stop_fd < 0)
		return 0;
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (p[1].revents)
			return -EINTR;
		if (p[0].revents)
			return 0;
	}
}

static int
receive(struct varlink *v, int stop_fd, json_object **msg)
{
	char buf[64 * 1024];

	for (;;) {
		enum khoa_decode r = khoa_decoder_next(v->dec, msg);
		if (r == KHOA_DECODE_MESSAGE)
			return 0;
		if (r != KHOA_DECODE_NEED_MORE)
			return r == KHOA_DECODE_NO_MEMORY ? -ENOMEM : -EPROTO;

		int w = wait_readable(v->fd, stop_fd);
		if (w < 0)
			return w;
		ssize_t n = recv(v->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (n == 0)
			return -ECONNRESET;
		if (khoa_decoder_feed(v->dec, buf, (size_t)n) == KHOA_DECODE_NO_MEMORY)
			return -ENOMEM;
	}
}

/* Sends the call; 0, or a negative errno. A daemon that hung up may still
 * have said why (TooManyClients): -EPIPE and -ECONNRESET leave that to be
 * read. */
static int
send_call(struct varlink *v, const char *method, json_object *params, unsigned flags)
{
	json_object *call = khoa_call_new(method, params, flags);
	size_t len;
	char *bytes = call ? khoa_encode(call, &len) : NULL;
	json_object_put(call);
	if (!bytes)
		return -ENOMEM;
	int sent = send_all(v->fd, bytes, len);
	free(bytes);
	return sent;
}

/* The next message, which must be a reply. */
static int
next_reply(struct varlink *v, int stop_fd, json_object **reply)
{
	json_object *msg;
	struct khoa_reply parsed;
	const char *bad;
	int r = receive(v, stop_fd, &msg);
	if (r < 0)
		return r;
	if (khoa_reply_parse(msg, &parsed, &bad) < 0) {
		json_object_put(msg);
		return -EPROTO;
	}
	*reply = msg;
	return 0;
}

static bool
peer_hung_up(int r)
{
	return r == -EPIPE || r == -ECONNRESET;
}

int
varlink_call(struct varlink *v, const char *method, json_object *params, json_object **reply)
{
	int sent = send_call(v, method, params, 0);
	if (sent < 0 && !peer_hung_up(sent))
		return sent;
	int r = next_reply(v, -1, reply);
	return r < 0 && sent < 0 ? sent : r;
}

int
varlink_send(struct varlink *v, const char *text, size_t len)
{
	return send_all(v->fd, text, len);
}

int
varlink_call_more(struct varlink *v, const char *method, json_object *params)
{
	int sent = send_call(v, method, params, KHOA_CALL_MORE);
	return peer_hung_up(sent) ? 0 : sent;
}

int
varlink_next(struct varlink *v, int stop_fd, json_object **reply)
{
	return next_reply(v, stop_fd, reply);
}
