/* Client connections, who may connect, and the life of a call (the
 * listening socket at its path: socket.c). */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <systemd/sd-daemon.h>

#include "access.h"
#include "codec.h"
#include "errors.h"
#include "idl.h"
#include "khoad.h"
#include "log.h"
#include "message.h"
#include "methods.h"
#include "registry.h"
#include "roles.h"
#include "server.h"
#include "socket.h"

/* A client that lets this much of its replies pile up unread is dropped. */
#define OUTPUT_MAX	(16u * 1024 * 1024)
/* A client with this much of its replies unread gets no further call
 * answered (nor read) until it has read them: a client that pipelines calls
 * and never reads holds at most this and one reply of memory. */
#define OUTPUT_PAUSE	(64u * 1024)
/* Descriptors kept beyond the clients' for the registry, modules, logs. */
#define FD_RESERVE	64
/* A dropped client gets this long to read its last error. */
#define LINGER_SECONDS	5

struct conn {
	struct server *srv;
	struct bufferevent *bev;
	struct khoa_decoder *dec;
	struct peer peer;
	unsigned refs;
	bool closed;		/* bufferevent gone; replies are discarded */
	bool closing;		/* last error queued; close once written */
	bool busy;		/* a deferred call is outstanding */
	bool paused;		/* replies unread over OUTPUT_PAUSE */
	struct call *deferred;	/* that call */
	LIST_ENTRY(conn) entry;
};

struct server {
	struct event_base *base;
	struct khoad *daemon;
	struct evconnlistener *listener;
	char *path;
	bool activated;		/* the socket is systemd's (socket activation) */
	dev_t sock_dev;		/* the socket file khoad made, which it removes */
	ino_t sock_ino;		/* when it stops, if it is still there */
	unsigned n_clients;
	struct server_limits limits;
	LIST_HEAD(, conn) conns;
};

struct call {
	struct conn *conn;
	const char *method;
	unsigned flags;
	bool answered;
	bool deferred;		/* this struct is a heap copy */
	void (*on_close)(struct call *c, void *userdata);
	void *close_userdata;
	void (*on_drain)(struct call *c, void *userdata);
	void *drain_userdata;
	json_object *parameters;	/* borrowed while the handler runs; a
					 * deferred call holds a reference */
	struct caller caller;		/* filled by the dispatcher */
	char method_buf[];	/* a deferred call's copy of the name */
};

static void conn_process(struct conn *c);
static void on_event(struct bufferevent *bev, short what, void *arg);

static void
conn_unref(struct conn *c)
{
	if (--c->refs > 0)
		return;
	khoa_decoder_free(c->dec);
	free(c);
}

static void call_finish(struct call *c);

static void
conn_close(struct conn *c)
{
	if (c->closed)
		return;
	c->closed = true;
	if (c->deferred && c->deferred->on_close) {
		struct call *d = c->deferred;
		d->on_close(d, d->close_userdata);
		call_finish(d);
	}
	bufferevent_free(c->bev);
	c->bev = NULL;
	LIST_REMOVE(c, entry);
	c->srv->n_clients--;
	log_debug("client uid %u pid %d disconnected", (unsigned)c->peer.uid, (int)c->peer.pid);
	conn_unref(c);
}

static void
on_linger_written(struct bufferevent *bev, void *arg)
{
	conn_close(arg);
}

/* Queue one last error and drop the client once it is written. */
static void
conn_fail(struct conn *c, json_object *error)
{
	size_t len;
	char *bytes = error ? khoa_encode(error, &len) : NULL;
	json_object_put(error);

	c->closing = true;
	if (!bytes) {
		conn_close(c);
		return;
	}
	struct timeval linger = { .tv_sec = LINGER_SECONDS };
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_set_timeouts(c->bev, NULL, &linger);
	bufferevent_setcb(c->bev, NULL, on_linger_written, on_event, c);
	bufferevent_write(c->bev, bytes, len);
	free(bytes);
}

static void
conn_write(struct conn *c, const char *bytes, size_t len)
{
	if (c->closed || c->closing)
		return;
	struct evbuffer *out = bufferevent_get_output(c->bev);
	if (evbuffer_get_length(out) + len > OUTPUT_MAX) {
		log_warning("client uid %u pid %d does not read its replies; dropped",
			    (unsigned)c->peer.uid, (int)c->peer.pid);
		conn_close(c);
		return;
	}
	if (evbuffer_add(out, bytes, len) < 0) {
		log_error("out of memory; client uid %u dropped", (unsigned)c->peer.uid);
		conn_close(c);
	}
}

/* ----- calls ----- */

struct khoad *
call_daemon(const struct call *c)
{
	return c->conn->srv->daemon;
}

const struct peer *
call_peer(const struct call *c)
{
	return &c->conn->peer;
}

struct caller *
call_caller(struct call *c)
{
	return &c->caller;
}

const char *
call_method(const struct call *c)
{
	return c->method;
}

json_object *
call_parameters(const struct call *c)
{
	return c->parameters;
}

unsigned
call_flags(const struct call *c)
{
	return c->flags;
}

static void
call_finish(struct call *c)
{
	c->answered = true;
	if (!c->deferred)
		return;
	struct conn *conn = c->conn;
	json_object_put(c->parameters);
	free(c);
	conn->busy = false;
	conn->deferred = NULL;
	if (!conn->closed && !conn->closing)
		conn_process(conn);	/* calls that waited behind this one */
	conn_unref(conn);
}

#ifdef KHOA_CHECK_REPLIES
/*
 * Check builds (tests, sanitizers; meson option check_replies): whether MSG
 * (NUL-terminated) answers METHOD as the interface files say, its
 * parameters of the method's output or of the error's declared type, as
 * systemd's sd-varlink validates replies. False with WHY when not.
 */
static bool
reply_conforms(const char *method, const char *msg, char *why, size_t size)
{
	json_object *m = json_tokener_parse(msg), *params = NULL, *error = NULL, *none = NULL;
	const struct khoa_idl_type *type = NULL;
	bool ok = true;

	if (!m)
		return true;	/* out of memory: nothing to say of the reply */
	if (json_object_object_get_ex(m, "error", &error)) {
		const struct khoa_idl_error *e = khoa_idl_error(json_object_get_string(error));
		if (!e) {
			snprintf(why, size, "error %s is declared by no interface file",
				 json_object_get_string(error));
			ok = false;
		}
		type = e ? e->params : NULL;
	} else {
		const struct khoa_idl_method *im = khoa_idl_method(method);
		type = im ? im->out : NULL;
	}
	if (type && !json_object_object_get_ex(m, "parameters", &params))
		params = none = json_object_new_object();
	if (type && params && khoa_idl_validate(type, params, why, size) < 0)
		ok = false;
	json_object_put(none);
	json_object_put(m);
	return ok;
}

/* MSG, or in its place io.khoa.Internal when it does not conform (logged:
 * the integration tests fail on that line). A new message in *OWN to free. */
static const char *
checked(const char *method, const char *msg, size_t *len, char **own)
{
	char why[256];
	*own = NULL;
	if (reply_conforms(method, msg, why, sizeof(why)))
		return msg;
	log_error("the reply to %s does not match the interface: %s", method, why);
	json_object *e = khoa_err_internal("khoad's reply does not match its interface: %s", why);
	*own = e ? khoa_encode(e, len) : NULL;
	json_object_put(e);
	return *own ? *own : msg;
}
#endif

int
call_reply_message(struct call *c, const char *msg, size_t len)
{
#ifdef KHOA_CHECK_REPLIES
	char *own;
	msg = checked(c->method, msg, &len, &own);
#endif
	if (!(c->flags & KHOA_CALL_ONEWAY))
		conn_write(c->conn, msg, len);
#ifdef KHOA_CHECK_REPLIES
	free(own);
#endif
	call_finish(c);
	return 0;
}

static void
call_send(struct call *c, json_object *msg)
{
	size_t len;
	char *bytes = msg ? khoa_encode(msg, &len) : NULL;
	json_object_put(msg);
	if (!bytes) {
		log_error("out of memory answering %s", c->method);
		if (!c->conn->closed)
			conn_close(c->conn);
		call_finish(c);
		return;
	}
	call_reply_message(c, bytes, len);
	free(bytes);
}

int
call_reply(struct call *c, json_object *params)
{
	call_send(c, params ? khoa_reply_new(params, false) : NULL);
	return 0;
}

int
call_reply_object(struct call *c, const char *key, json_object *obj)
{
	json_object *params = obj ? json_object_new_object() : NULL;
	if (params && json_object_object_add(params, key, obj) == 0)
		return call_reply(c, params);
	json_object_put(params);
	json_object_put(obj);
	return call_reply(c, NULL);
}

int
call_fail(struct call *c, json_object *error)
{
	call_send(c, error);
	return CALL_FAILED;
}

int
call_fail_errno(struct call *c, int r)
{
	switch (r) {
	case -ENOMEM:
		return call_fail(c, NULL);
	case -ENOTCONN:		/* a shared registry's server away */
		return call_fail(c, khoa_err_registry_unavailable(false));
	case -EINPROGRESS:	/* lost during COMMIT: written or not, nobody knows */
		return call_fail(c, khoa_err_registry_unavailable(true));
	case -EROFS:		/* its disk full or read-only, or under the floor */
	case -ENOSPC: {
		const char *reason = NULL, *why = registry_read_only(call_daemon(c), &reason);
		return call_fail(c, khoa_err_registry_read_only(reason ? reason : "disk-full",
								why));
	}
	case -EBUSY:		/* another workstation's lock, held too long */
	case -ETIMEDOUT:
	case -EAGAIN:
		return call_fail(c, khoa_err_registry_busy());
	case -EACCES:		/* the registry's own refusal (row-level security) */
		return call_fail(c, khoa_err_permission_denied("", NULL, "registry",
			"the registry refused the change: it is not this workstation's to make"));
	default:
		return call_fail(c, khoa_err_internal("the registry could not be read or "
						      "written"));
	}
}

bool
call_answered(const struct call *c)
{
	return c->answered;
}

struct call *
call_defer(struct call *c)
{
	size_t n = strlen(c->method) + 1;
	struct call *d = malloc(sizeof(*d) + n);
	if (!d)
		return NULL;
	*d = *c;
	memcpy(d->method_buf, c->method, n);
	d->method = d->method_buf;
	d->deferred = true;
	/* A call deferred before its handler ran (waiting for the first scan)
	 * still needs them; released when the call is answered. */
	d->parameters = c->parameters ? json_object_get(c->parameters) : NULL;
	c->answered = true;	/* the copy answers now */
	d->conn->busy = true;
	d->conn->deferred = d;
	d->conn->refs++;
	return d;
}

void
call_on_close(struct call *c, void (*fn)(struct call *c, void *userdata), void *userdata)
{
	c->on_close = fn;
	c->close_userdata = userdata;
}

size_t
call_unread(const struct call *c)
{
	const struct conn *conn = c->conn;
	return conn->closed ? 0 : evbuffer_get_length(bufferevent_get_output(conn->bev));
}

void
call_on_drain(struct call *c, void (*fn)(struct call *c, void *userdata), void *userdata)
{
	c->on_drain = fn;
	c->drain_userdata = userdata;
}

int
call_stream(struct call *c, const char *msg, size_t len, size_t backlog)
{
	struct conn *conn = c->conn;

	if (conn->closed || conn->closing) {
		call_finish(c);
		return -EPIPE;
	}
	if (evbuffer_get_length(bufferevent_get_output(conn->bev)) > backlog) {
		log_warning("client uid %u pid %d fell %zu bytes behind its stream; dropped",
			    (unsigned)conn->peer.uid, (int)conn->peer.pid, backlog);
		c->on_close = NULL;
		conn_fail(conn, khoa_err_too_slow((int64_t)backlog));
		call_finish(c);
		return -ENOBUFS;
	}
#ifdef KHOA_CHECK_REPLIES
	char *own;
	msg = checked(c->method, msg, &len, &own);
	conn_write(conn, msg, len);
	free(own);
#else
	conn_write(conn, msg, len);
#endif
	return 0;
}

/* ----- reading calls ----- */

static void
conn_dispatch(struct conn *c, json_object *msg)
{
	struct khoa_call parsed;
	const char *bad;

	if (khoa_call_parse(msg, &parsed, &bad) < 0) {
		conn_fail(c, khoa_err_invalid_message("not a varlink call: bad \"%s\"", bad));
		return;
	}
	struct call call = { .conn = c, .method = parsed.method, .flags = parsed.flags,
			     .parameters = parsed.parameters };
	methods_dispatch(&call, parsed.parameters);
	if (!call.answered) {
		log_error("%s left a call unanswered", call.method);
		call_fail(&call, khoa_err_internal("the call was not answered"));
	}
}

static void
conn_process(struct conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	char chunk[64 * 1024];

	c->refs++;	/* a handler may close the connection under us */
	while (!c->closed && !c->closing && !c->busy) {
		json_object *msg;
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) > OUTPUT_PAUSE) {
			c->paused = true;	/* on_written() goes on */
			break;
		}
		enum khoa_decode r = khoa_decoder_next(c->dec, &msg);
		if (r == KHOA_DECODE_NEED_MORE) {
			int n = evbuffer_remove(in, chunk, sizeof(chunk));
			if (n <= 0)
				break;
			khoa_decoder_feed(c->dec, chunk, (size_t)n);
			explicit_bzero(chunk, (size_t)n);	/* maybe a PIN (secret.h) */
			continue;	/* a feed error shows in the next _next() */
		}
		if (r == KHOA_DECODE_MESSAGE) {
			conn_dispatch(c, msg);
			json_object_put(msg);
			continue;
		}
		log_warning("client uid %u pid %d sent a %s; dropped",
			    (unsigned)c->peer.uid, (int)c->peer.pid, khoa_decode_str(r));
		if (r == KHOA_DECODE_TOO_LARGE) {
			conn_fail(c, khoa_err_message_too_large(KHOA_MESSAGE_MAX));
		} else {
			conn_fail(c, khoa_err_invalid_message("%s", khoa_decode_str(r)));
		}
	}
	/* While a call is deferred, or replies wait to be read, leave later
	 * calls unread in the socket. Reading, a connection with no call for
	 * the idle timeout is closed (the read timeout). */
	if (!c->closed && !c->closing) {
		if (c->busy || c->paused)
			bufferevent_disable(c->bev, EV_READ);
		else
			bufferevent_enable(c->bev, EV_READ);
	}
	conn_unref(c);
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	conn_process(arg);
}

/* The output is down to OUTPUT_PAUSE (the write low-water mark): a paused
 * connection's calls are read again. */
static void
on_written(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	if (c->paused) {
		c->paused = false;
		conn_process(c);
	} else if (!c->closed && !c->closing && c->deferred && c->deferred->on_drain) {
		struct call *d = c->deferred;
		c->refs++;	/* the callback may finish the call, or close */
		d->on_drain(d, d->drain_userdata);
		conn_unref(c);
	}
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) {
		if ((what & BEV_EVENT_EOF) && khoa_decoder_pending(c->dec) > 0)
			log_warning("client uid %u pid %d hung up mid-message",
				    (unsigned)c->peer.uid, (int)c->peer.pid);
		else if ((what & BEV_EVENT_TIMEOUT) && (what & BEV_EVENT_READING))
			log_debug("client uid %u pid %d idle for %u s; closed",
				  (unsigned)c->peer.uid, (int)c->peer.pid,
				  c->srv->limits.idle_timeout_s);
		else if (what & BEV_EVENT_TIMEOUT)
			log_warning("client uid %u pid %d does not read its replies (none "
				    "read for %u s); dropped", (unsigned)c->peer.uid,
				    (int)c->peer.pid, c->srv->limits.idle_timeout_s);
		conn_close(c);
	}
}

/* ----- accepting ----- */

/* The caller's name and groups, for roles and for the record of who did what.
 * SO_PEERGROUPS gives the groups the process had when it connected, with no
 * look-up; the name comes from NSS once per connection. */
static void
peer_identify(int fd, struct peer *peer)
{
	socklen_t len = sizeof(peer->groups);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, peer->groups, &len) == 0)
		peer->n_groups = len / sizeof(gid_t);
	else
		log_debug("SO_PEERGROUPS: %m; using the primary group alone");

	struct passwd pw, *found = NULL;
	char buf[4096];
	if (getpwuid_r(peer->uid, &pw, buf, sizeof(buf), &found) == 0 && found &&
	    strlen(found->pw_name) < sizeof(peer->user))
		strcpy(peer->user, found->pw_name);
	else
		snprintf(peer->user, sizeof(peer->user), "%u", (unsigned)peer->uid);
}

/* Tells a client over the limit why, as the answer to whatever it will ask,
 * without waiting for it: one try, then the door closes. */
static void
refuse(int fd, unsigned limit)
{
	size_t len;
	json_object *err = khoa_err_too_many_clients(limit);
	char *bytes = err ? khoa_encode(err, &len) : NULL;
	if (bytes && send(fd, bytes, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		log_debug("could not tell a refused client why: %m");
	free(bytes);
	json_object_put(err);
	close(fd);
}

/* Whether PEER may take a connection, or the limit it would pass (*LIMIT):
 * the total; short of it, the reserve kept for root, technicians and
 * admins (so that they can always look, and stop what goes wrong); and the
 * share of one uid (root's excepted: khoad's own tools run as root). */
static bool
admit_peer(const struct server *srv, const struct peer *peer, unsigned *limit)
{
	const struct server_limits *l = &srv->limits;
	bool reserved = peer->uid == 0 ||
		(roles_of(srv->daemon->roles, peer) & (ROLE_TECHNICIAN | ROLE_ADMIN));
	unsigned mine = 0;
	const struct conn *c;

	*limit = l->max;
	if (srv->n_clients >= l->max)
		return false;
	if (!reserved && srv->n_clients >= l->max - l->reserve)
		return false;
	if (peer->uid == 0)
		return true;
	LIST_FOREACH(c, &srv->conns, entry)
		mine += c->peer.uid == peer->uid;
	*limit = l->per_user;
	return mine < l->per_user;
}

static void
on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen,
	  void *arg)
{
	struct server *srv = arg;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	unsigned limit;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		log_warning("cannot read a client's credentials: %m");
		close(fd);
		return;
	}
	struct peer peer = { .uid = cred.uid, .gid = cred.gid, .pid = cred.pid };
	peer_identify(fd, &peer);
	if (!admit_peer(srv, &peer, &limit)) {
		log_warning(limit == srv->limits.max
			    ? "too many clients (%u); refusing uid %u pid %d"
			    : "too many clients (%u of user uid %u); refusing pid %d",
			    limit == srv->limits.max ? srv->n_clients : limit,
			    (unsigned)cred.uid, (int)cred.pid);
		refuse(fd, limit);
		return;
	}

	struct conn *c = calloc(1, sizeof(*c));
	if (!c || !(c->dec = khoa_decoder_new_strict(KHOA_MESSAGE_MAX)) ||
	    !(c->bev = bufferevent_socket_new(srv->base, fd, BEV_OPT_CLOSE_ON_FREE))) {
		log_error("out of memory accepting a client");
		if (c)
			khoa_decoder_free(c->dec);
		free(c);
		close(fd);
		return;
	}
	c->srv = srv;
	c->refs = 1;
	c->peer = peer;
	LIST_INSERT_HEAD(&srv->conns, c, entry);
	srv->n_clients++;
	bufferevent_setcb(c->bev, on_read, on_written, on_event, c);
	bufferevent_setwatermark(c->bev, EV_WRITE, OUTPUT_PAUSE, 0);
	if (srv->limits.idle_timeout_s) {
		/* Read: no call for so long while one may come. Write: replies
		 * pending and none of them read for so long. */
		struct timeval idle = { .tv_sec = srv->limits.idle_timeout_s };
		bufferevent_set_timeouts(c->bev, &idle, &idle);
	}
	bufferevent_enable(c->bev, EV_READ);
	log_debug("client uid %u pid %d connected", (unsigned)cred.uid, (int)cred.pid);
}

/* The descriptors the limits need: the soft limit raised to the hard one,
 * and the clients fewer than the descriptors by FD_RESERVE (so that accept()
 * never meets EMFILE, which would leave the listener spinning). */
static void
fit_descriptors(struct server_limits *l)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t want = rl.rlim_max == RLIM_INFINITY ? 65536 + FD_RESERVE : rl.rlim_max;
		struct rlimit up = { .rlim_cur = want, .rlim_max = rl.rlim_max };
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl.rlim_cur = want;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)l->max + FD_RESERVE) {
		unsigned fit = rl.rlim_cur > 2 * FD_RESERVE ? (unsigned)rl.rlim_cur - FD_RESERVE
							    : FD_RESERVE;
		log_warning("%u descriptors allow %u clients, not %u", (unsigned)rl.rlim_cur,
			    fit, l->max);
		l->max = fit;
	}
	if (l->reserve >= l->max) {
		log_warning("a reserve of %u clients leaves none of %u to others; %u kept",
			    l->reserve, l->max, l->max / 2);
		l->reserve = l->max / 2;
	}
	if (l->per_user > l->max)
		l->per_user = l->max;
}

/* The socket khoad made, removed: only that file, not one put at its path
 * since. */
static void
remove_own_socket(const struct server *srv)
{
	struct stat st;
	if (!srv->activated && srv->sock_ino && lstat(srv->path, &st) == 0 &&
	    S_ISSOCK(st.st_mode) && st.st_dev == srv->sock_dev && st.st_ino == srv->sock_ino)
		unlink(srv->path);
}

struct server *
server_new(struct event_base *base, struct khoad *daemon, const char *path,
	   const struct server_limits *limits)
{
	struct server *srv = calloc(1, sizeof(*srv));
	int fd;

	if (!srv)
		return NULL;
	srv->base = base;
	srv->daemon = daemon;
	srv->limits = *limits;
	fit_descriptors(&srv->limits);
	LIST_INIT(&srv->conns);

	/* Socket activation: systemd made the socket and keeps it; khoad
	 * neither binds nor removes it. */
	if ((fd = socket_activated(&srv->path)) == -2)
		goto fail;
	srv->activated = fd >= 0;
	if (fd < 0 && (!(srv->path = strdup(path)) || (fd = socket_listen(path)) < 0))
		goto fail;
	struct stat st;
	if (!srv->activated && lstat(path, &st) == 0) {
		srv->sock_dev = st.st_dev;
		srv->sock_ino = st.st_ino;
	}
	srv->listener = evconnlistener_new(base, on_accept, srv,
					   LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
	if (!srv->listener) {
		close(fd);
		remove_own_socket(srv);
		goto fail;
	}
	return srv;
fail:
	free(srv->path);
	free(srv);
	return NULL;
}

void
server_disconnect_all(struct server *srv)
{
	if (!srv)
		return;
	if (srv->listener) {
		evconnlistener_free(srv->listener);
		srv->listener = NULL;
		remove_own_socket(srv);
	}
	while (!LIST_EMPTY(&srv->conns))
		conn_close(LIST_FIRST(&srv->conns));
}

void
server_free(struct server *srv)
{
	if (!srv)
		return;
	server_disconnect_all(srv);
	free(srv->path);
	free(srv);
}

const char *
server_path(const struct server *srv)
{
	return srv->path;
}

unsigned
server_n_clients(const struct server *srv)
{
	return srv->n_clients;
}
