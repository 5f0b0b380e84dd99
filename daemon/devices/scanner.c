/* Periodic and on-demand scans across the per-module workers. */
#include <errno.h>
#include <stdlib.h>
#include <sys/queue.h>

#include "log.h"
#include "scanner.h"
#include "worker.h"

struct waiter {
	struct scanner *scanner;
	uint64_t *targets;	/* per worker: the generation that answers */
	struct event *timer;
	scanner_rescan_fn done;
	void *userdata;
	LIST_ENTRY(waiter) entry;
};

struct scanner {
	struct worker **workers;
	uint64_t *finished;	/* per worker: newest generation finished */
	size_t n;
	scanner_result_fn result;
	void *userdata;
	struct event_base *base;
	struct event *tick;
	LIST_HEAD(, waiter) waiters;
};

static void
waiter_free(struct waiter *w)
{
	LIST_REMOVE(w, entry);
	event_free(w->timer);
	free(w->targets);
	free(w);
}

static bool
waiter_satisfied(const struct scanner *s, const struct waiter *w)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->finished[i] < w->targets[i])
			return false;
	return true;
}

static void
on_scan(struct worker *wk, struct khoa_scan *scan, uint64_t gen, void *userdata)
{
	struct scanner *s = userdata;
	size_t i = 0;
	while (i < s->n && s->workers[i] != wk)
		i++;
	if (i == s->n)
		return;

	log_debug("module %s: %zu token(s) (scan %llu)", khoa_module_name(worker_module(wk)),
		  scan->tokens.n, (unsigned long long)gen);
	s->result(i, scan, s->userdata);
	s->finished[i] = gen;

	struct waiter *w, *next;
	for (w = LIST_FIRST(&s->waiters); w; w = next) {
		next = LIST_NEXT(w, entry);
		if (waiter_satisfied(s, w)) {
			scanner_rescan_fn done = w->done;
			void *ud = w->userdata;
			waiter_free(w);
			done(true, ud);
		}
	}
}

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct waiter *w = arg;
	scanner_rescan_fn done = w->done;
	void *ud = w->userdata;
	waiter_free(w);
	done(false, ud);
}

static void
request_all(struct scanner *s, uint64_t *targets)
{
	for (size_t i = 0; i < s->n; i++) {
		uint64_t gen = worker_request_scan(s->workers[i]);
		if (targets)
			targets[i] = gen;
	}
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	request_all(arg, NULL);
}

void
scanner_request(struct scanner *s)
{
	request_all(s, NULL);
}

struct scanner *
scanner_new(struct event_base *base, struct khoa_module **modules, size_t n,
	    unsigned interval_s, scanner_result_fn result, void *userdata)
{
	struct scanner *s = calloc(1, sizeof(*s));
	if (!s)
		goto fail;
	LIST_INIT(&s->waiters);
	s->result = result;
	s->userdata = userdata;
	s->base = base;
	s->workers = calloc(n + 1, sizeof(*s->workers));
	s->finished = calloc(n + 1, sizeof(*s->finished));
	if (!s->workers || !s->finished)
		goto fail;
	for (; s->n < n; s->n++) {
		if (!(s->workers[s->n] = worker_start(base, modules[s->n], on_scan, s)))
			goto fail;
		modules[s->n] = NULL;
	}
	if (interval_s > 0) {
		struct timeval tv = { .tv_sec = interval_s };
		if (!(s->tick = event_new(base, -1, EV_PERSIST, on_tick, s)) ||
		    event_add(s->tick, &tv) < 0)
			goto fail;
	}
	request_all(s, NULL);
	return s;
fail:
	log_error("cannot start the token workers");
	scanner_free(s);
	return NULL;
}

/* A waiter for the generations in TARGETS (taken), or for a new scan of
 * every module when TARGETS is NULL. */
static int
add_waiter(struct scanner *s, uint64_t *targets, unsigned timeout_s,
	   scanner_rescan_fn done, void *userdata)
{
	struct timeval tv = { .tv_sec = timeout_s };
	struct waiter *w = calloc(1, sizeof(*w));
	if (!w)
		goto fail;
	w->scanner = s;
	w->done = done;
	w->userdata = userdata;
	w->targets = targets;
	if (!w->targets && !(w->targets = calloc(s->n + 1, sizeof(*w->targets))))
		goto fail;
	if (!(w->timer = evtimer_new(s->base, on_timeout, w)) || evtimer_add(w->timer, &tv) < 0)
		goto fail;
	if (!targets)
		request_all(s, w->targets);
	if (waiter_satisfied(s, w)) {
		event_free(w->timer);
		free(w->targets);
		free(w);
		done(true, userdata);
		return 0;
	}
	LIST_INSERT_HEAD(&s->waiters, w, entry);
	return 0;
fail:
	if (w && w->timer)
		event_free(w->timer);
	free(w ? w->targets : targets);
	free(w);
	return -ENOMEM;
}

int
scanner_rescan(struct scanner *s, unsigned timeout_s, scanner_rescan_fn done, void *userdata)
{
	return add_waiter(s, NULL, timeout_s, done, userdata);
}

int
scanner_when_ready(struct scanner *s, unsigned timeout_s, scanner_rescan_fn done,
		   void *userdata)
{
	uint64_t *targets = calloc(s->n + 1, sizeof(*targets));
	if (!targets)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++)
		targets[i] = 1;		/* the scan every worker starts with */
	return add_waiter(s, targets, timeout_s, done, userdata);
}

struct worker *
scanner_worker(struct scanner *s, size_t i)
{
	return i < s->n ? s->workers[i] : NULL;
}

void
scanner_free(struct scanner *s)
{
	if (!s)
		return;
	while (!LIST_EMPTY(&s->waiters)) {
		struct waiter *w = LIST_FIRST(&s->waiters);
		scanner_rescan_fn done = w->done;
		void *ud = w->userdata;
		waiter_free(w);
		done(false, ud);
	}
	if (s->tick)
		event_free(s->tick);
	for (size_t i = 0; i < s->n; i++)
		worker_stop(s->workers[i], 2000);
	free(s->workers);
	free(s->finished);
	free(s);
}
