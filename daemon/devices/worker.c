/* One thread per module: scan on request, hand results back to the loop;
 * and, for modules that can, one more that waits for slot events. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include "log.h"
#include "worker.h"

/*
 * A wait for slot events answered sooner than SLOT_QUICK_MS did not really
 * wait. A module that keeps failing at once (OpenSC without pcscd answers
 * CKR_GENERAL_ERROR immediately), or keeps reporting events at once, would
 * make the waiting thread spin: it stops after this many in a row.
 */
#define SLOT_QUICK_MS		1000
#define SLOT_MAX_QUICK_ERRORS	3
#define SLOT_MAX_QUICK_EVENTS	20

struct job {
	worker_job_fn run;
	worker_job_done_fn done;
	void *arg;
	bool ran;
	STAILQ_ENTRY(job) entry;
};
STAILQ_HEAD(job_list, job);

enum slot_state {
	SLOT_NONE,	/* no waiting thread yet */
	SLOT_RUNNING,	/* slot_thread started: join it */
	SLOT_OFF,	/* none, and none will start */
};

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
	struct job_list jobs;		/* to run, in order */
	struct job_list finished;	/* run, for the loop to answer */

	/* Written by the worker thread only; read by worker_stop() once that
	 * thread has been joined. */
	enum slot_state slot;
	pthread_t slot_thread;
};

const struct khoa_module *
worker_module(const struct worker *w)
{
	return w->module;
}

static bool
is_stopping(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	bool stopping = w->stopping;
	pthread_mutex_unlock(&w->lock);
	return stopping;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * The second thread: the only code besides the worker that calls the module,
 * and only C_WaitForSlotEvent (see module.h). worker_stop() finalizes the
 * module to end a wait in progress, then joins this thread.
 */
static void *
slot_main(void *arg)
{
	struct worker *w = arg;
	const char *name = khoa_module_name(w->module);
	unsigned quick_errors = 0, quick_events = 0;

	log_debug("module %s: waiting for slot events", name);
	while (!is_stopping(w)) {
		uint64_t start = now_ms();
		int r = khoa_module_wait_slot_event(w->module);
		bool quick = now_ms() - start < SLOT_QUICK_MS;

		if (r > 0) {
			quick_errors = 0;
			quick_events = quick ? quick_events + 1 : 0;
			if (quick_events >= SLOT_MAX_QUICK_EVENTS) {
				log_debug("module %s: reports slot events without pause; "
					  "no longer waiting for them", name);
				break;
			}
			log_debug("module %s: slot event", name);
			worker_request_scan(w);
		} else if (r == 0) {
			log_debug("module %s: cannot wait for slot events (not supported)", name);
			break;
		} else if (r == -ESHUTDOWN) {
			if (!is_stopping(w))
				log_debug("module %s: finalized; no longer waiting for slot events",
					  name);
			break;
		} else {
			/* A failure after a real wait (pcscd went away) is worth
			 * another try; failures at once are not. */
			quick_events = 0;
			quick_errors = quick ? quick_errors + 1 : 0;
			if (quick_errors >= SLOT_MAX_QUICK_ERRORS) {
				log_debug("module %s: waiting for slot events fails (%s); "
					  "no longer waiting for them", name, strerror(-r));
				break;
			}
		}
	}
	return NULL;
}

/* On the worker thread, after the first successful scan. Whether a module
 * is re-initialized by scans is settled by then, and never changes. */
static void
start_slot_thread(struct worker *w)
{
	if (!khoa_module_watchable(w->module)) {
		log_debug("module %s: re-initialized by each scan; not waiting for slot events",
			  khoa_module_name(w->module));
		w->slot = SLOT_OFF;
		return;
	}
	int r = pthread_create(&w->slot_thread, NULL, slot_main, w);
	if (r != 0) {
		log_warning("module %s: cannot wait for slot events: %s",
			    khoa_module_name(w->module), strerror(r));
		w->slot = SLOT_OFF;
		return;
	}
	w->slot = SLOT_RUNNING;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->stopping && w->scanned == w->requested && STAILQ_EMPTY(&w->jobs))
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->stopping)
			break;
		/* Jobs first: a person waits for each; scans are periodic. */
		struct job *job = STAILQ_FIRST(&w->jobs);
		if (job) {
			STAILQ_REMOVE_HEAD(&w->jobs, entry);
			pthread_mutex_unlock(&w->lock);
			job->run(w->module, job->arg);
			job->ran = true;
			pthread_mutex_lock(&w->lock);
			STAILQ_INSERT_TAIL(&w->finished, job, entry);
			pthread_mutex_unlock(&w->lock);
			event_active(w->done_ev, 0, 0);
			pthread_mutex_lock(&w->lock);
			continue;
		}
		uint64_t gen = w->scanned = w->requested;
		pthread_mutex_unlock(&w->lock);

		struct khoa_scan scan;
		int r = khoa_module_scan(w->module, &scan);
		if (r == -ENOMEM && !scan.error)
			scan.error = strdup("out of memory");
		if (r == 0 && w->slot == SLOT_NONE)
			start_slot_thread(w);

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

/* On the loop thread: the jobs the worker has run. */
static void
answer_jobs(struct worker *w)
{
	struct job_list finished;

	STAILQ_INIT(&finished);
	pthread_mutex_lock(&w->lock);
	STAILQ_CONCAT(&finished, &w->finished);
	pthread_mutex_unlock(&w->lock);
	while (!STAILQ_EMPTY(&finished)) {
		struct job *job = STAILQ_FIRST(&finished);
		STAILQ_REMOVE_HEAD(&finished, entry);
		job->done(job->arg, true);
		free(job);
	}
}

/* On the loop thread. */
static void
on_done(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	struct khoa_scan scan;
	uint64_t gen;

	answer_jobs(w);
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
	STAILQ_INIT(&w->jobs);
	STAILQ_INIT(&w->finished);
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

int
worker_submit(struct worker *w, worker_job_fn run, worker_job_done_fn done, void *arg)
{
	struct job *job = calloc(1, sizeof(*job));
	if (!job)
		return -ENOMEM;
	*job = (struct job){ .run = run, .done = done, .arg = arg };
	pthread_mutex_lock(&w->lock);
	STAILQ_INSERT_TAIL(&w->jobs, job, entry);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

/* Joins THREAD if it ends within TIMEOUT_MS. */
static bool
join_within(pthread_t thread, unsigned timeout_ms)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	return pthread_timedjoin_np(thread, NULL, &deadline) == 0;
}

void
worker_stop(struct worker *w, unsigned timeout_ms)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);

	if (!join_within(w->thread, timeout_ms)) {
		/* Stuck inside its module: freeing anything it uses would crash it.
		 * A thread waiting for slot events stays behind with it. */
		log_warning("module %s did not finish its scan; leaving it behind",
			    khoa_module_name(w->module));
		pthread_detach(w->thread);
		return;
	}
	/* No scan runs any more. Finalizing ends a wait for slot events in
	 * progress (it returns CKR_CRYPTOKI_NOT_INITIALIZED); the waiting thread
	 * must be gone before the module is unloaded. */
	khoa_module_finalize(w->module);
	if (w->slot == SLOT_RUNNING && !join_within(w->slot_thread, timeout_ms)) {
		/* It still uses the module and W's lock: keep both. */
		log_warning("module %s did not end its wait for slot events; leaving it behind",
			    khoa_module_name(w->module));
		pthread_detach(w->slot_thread);
		return;
	}
	/* Answer what ran, then what never will. */
	answer_jobs(w);
	while (!STAILQ_EMPTY(&w->jobs)) {
		struct job *job = STAILQ_FIRST(&w->jobs);
		STAILQ_REMOVE_HEAD(&w->jobs, entry);
		job->done(job->arg, false);
		free(job);
	}
	event_free(w->done_ev);
	khoa_scan_clear(&w->result);
	khoa_module_free(w->module);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
