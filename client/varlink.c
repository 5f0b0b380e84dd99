/* A blocking varlink connection for the command-line client. */
#include <errno.h>
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

struct varlink *
varlink_connect(const char *path, unsigned timeout_s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = timeout_s };

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(sa.sun_path, path);

	struct varlink *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (v->fd < 0 || connect(v->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(v->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
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

static int
receive(struct varlink *v, json_object **msg)
{
	char buf[64 * 1024];

	for (;;) {
		enum khoa_decode r = khoa_decoder_next(v->dec, msg);
		if (r == KHOA_DECODE_MESSAGE)
			return 0;
		if (r != KHOA_DECODE_NEED_MORE)
			return r == KHOA_DECODE_NO_MEMORY ? -ENOMEM : -EPROTO;

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

int
varlink_call(struct varlink *v, const char *method, json_object *params, json_object **reply)
{
	json_object *call = khoa_call_new(method, params, 0);
	size_t len;
	char *bytes = call ? khoa_encode(call, &len) : NULL;
	json_object_put(call);
	if (!bytes)
		return -ENOMEM;
	int sent = send_all(v->fd, bytes, len);
	free(bytes);
	/* A daemon that hung up may still have said why (TooManyClients). */
	if (sent < 0 && sent != -EPIPE && sent != -ECONNRESET)
		return sent;

	json_object *msg;
	struct khoa_reply parsed;
	const char *bad;
	int r = receive(v, &msg);
	if (r < 0)
		return sent < 0 ? sent : r;
	if (khoa_reply_parse(msg, &parsed, &bad) < 0) {
		json_object_put(msg);
		return -EPROTO;
	}
	*reply = msg;
	return 0;
}
