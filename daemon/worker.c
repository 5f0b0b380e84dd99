/* One thread per module: scan on request, hand results back to the loop. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "worker.h"

struct worker {
	struct khoa_module *module;
	struct event *done_ev;
	worker_done_fn done;
	void *userdata;

	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	/* under lock: */
	uint64_t requested;	/* newest generation asked for */
	uint64_t scanned;	/* newest generation started */
	bool stopping;
	bool has_result;
	struct khoa_scan result;
	uint64_t result_gen;
};

const struct khoa_module *
worker_module(const struct worker *w)
{
	return w->module;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->stopping && w->scanned == w->requested)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->stopping)
			break;
		uint64_t gen = w->scanned = w->requested;
		pthread_mutex_unlock(&w->lock);

		struct khoa_scan scan;
		if (khoa_module_scan(w->module, &scan) == -ENOMEM && !scan.error)
			scan.error = strdup("out of memory");

		pthread_mutex_lock(&w->lock);
		/* A result the loop has not taken yet is stale now: replace it. */
		khoa_scan_clear(&w->result);
		w->result = scan;
		w->result_gen = gen;
		w->has_result = true;
		pthread_mutex_unlock(&w->lock);
		event_active(w->done_ev, 0, 0);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* On the loop thread. */
static void
on_done(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	struct khoa_scan scan;
	uint64_t gen;

	pthread_mutex_lock(&w->lock);
	if (!w->has_result) {
		pthread_mutex_unlock(&w->lock);
		return;
	}
	scan = w->result;
	gen = w->result_gen;
	memset(&w->result, 0, sizeof(w->result));
	w->has_result = false;
	pthread_mutex_unlock(&w->lock);

	w->done(w, &scan, gen, w->userdata);
	khoa_scan_clear(&scan);
}

struct worker *
worker_start(struct event_base *base, struct khoa_module *module,
	     worker_done_fn done, void *userdata)
{
	struct worker *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->module = module;
	w->done = done;
	w->userdata = userdata;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (!(w->done_ev = event_new(base, -1, 0, on_done, w)))
		goto fail;
	int r = pthread_create(&w->thread, NULL, worker_main, w);
	if (r != 0) {
		log_error("cannot start the worker of module %s: %s",
			  khoa_module_name(module), strerror(r));
		goto fail;
	}
	return w;
fail:
	if (w->done_ev)
		event_free(w->done_ev);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
	return NULL;
}

uint64_t
worker_request_scan(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	uint64_t gen = ++w->requested;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return gen;
}

void
worker_stop(struct worker *w, unsigned timeout_ms)
{
	struct timespec deadline;

	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	if (pthread_timedjoin_np(w->thread, NULL, &deadline) != 0) {
		/* Stuck inside its module: freeing anything it uses would crash it. */
		log_warning("module %s did not finish its scan; leaving it behind",
			    khoa_module_name(w->module));
		pthread_detach(w->thread);
		return;
	}
	event_free(w->done_ev);
	khoa_scan_clear(&w->result);
	khoa_module_free(w->module);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
