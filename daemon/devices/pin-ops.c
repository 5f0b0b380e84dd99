/* PIN operations as jobs on the token's worker, with a time limit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <p11-kit/p11-kit.h>

#include "errors.h"
#include "inventory.h"
#include "khoa-limits.h"
#include "log.h"
#include "message.h"
#include "pin-ops.h"
#include "reasons.h"
#include "pin-pace.h"
#include "pin-try.h"
#include "pin.h"
#include "scanner.h"
#include "worker.h"

struct pin_job {
	struct khoad *d;
	char *serial;
	bool reset;			/* with the SO PIN; else the user PIN's change */
	struct secret *login_pin, *new_pin;
	pin_done_fn done;
	void *userdata;
	struct event *timer;
	bool answered;			/* the caller has had its outcome */
	bool listed;			/* in d->pin_jobs: the token is busy */
	/* who presented the PIN, for the record (the caller may be gone by
	 * the time the token answers) */
	uid_t uid;
	pid_t pid;
	char user[sizeof(((struct peer *)0)->user)];
	/* written by the worker thread, read after it ran: */
	CK_RV rv;
	struct khoa_pin_login login;
	CK_FLAGS flags;
	bool have_flags;
	LIST_ENTRY(pin_job) entry;
};

static void
answer(struct pin_job *job, const struct pin_outcome *o)
{
	if (job->answered)
		return;
	job->answered = true;
	job->done(o, job->userdata);
}

/* The token is no longer busy with JOB. */
static void
job_unlist(struct pin_job *job)
{
	if (job->listed) {
		LIST_REMOVE(job, entry);
		job->listed = false;
	}
}

static void
job_free(struct pin_job *job)
{
	job_unlist(job);
	if (job->timer)
		event_free(job->timer);
	secret_free(job->login_pin);
	secret_free(job->new_pin);
	free(job->serial);
	free(job);
}

/* On the worker thread. */
static void
run(struct khoa_module *m, void *arg)
{
	struct pin_job *job = arg;
	const char *a = secret_str(job->login_pin), *b = secret_str(job->new_pin);
	size_t alen = secret_len(job->login_pin), blen = secret_len(job->new_pin);

	job->rv = job->reset ? khoa_pin_init(m, job->serial, a, alen, b, blen, &job->login)
			     : khoa_pin_change(m, job->serial, a, alen, b, blen, &job->login);
	job->have_flags = khoa_pin_flags(m, job->serial, &job->flags) == CKR_OK;
}

static enum pin_result
result_of(CK_RV rv)
{
	switch (rv) {
	case CKR_OK:
		return PIN_OK;
	case CKR_PIN_INCORRECT:
		return PIN_INCORRECT;
	case CKR_PIN_LOCKED:
		return PIN_LOCKED;
	case CKR_PIN_INVALID:
	case CKR_PIN_LEN_RANGE:
		return PIN_INVALID;
	case CKR_TOKEN_NOT_PRESENT:
	case CKR_DEVICE_REMOVED:
	case CKR_SLOT_ID_INVALID:
	case CKR_SESSION_HANDLE_INVALID:
		return PIN_NO_TOKEN;
	default:
		return PIN_FAILED;
	}
}

static int64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* What the token said of the PIN JOB presented (C_Login did answer). */
static enum pin_try_result
try_result(const struct pin_job *job, bool locked)
{
	CK_RV rv = job->login.rv;

	/* Logged in already, C_Login checked nothing; C_SetPIN checks the
	 * old PIN itself. (khoad logs out of every session it opens.) */
	if (rv == CKR_USER_ALREADY_LOGGED_IN)
		rv = job->rv == CKR_PIN_INCORRECT ? CKR_PIN_INCORRECT : CKR_OK;
	switch (rv) {
	case CKR_OK:
		return PIN_TRY_RIGHT;
	case CKR_PIN_INCORRECT:
		return locked ? PIN_TRY_LOCKED : PIN_TRY_WRONG;
	case CKR_PIN_LOCKED:
		return PIN_TRY_LOCKED;
	default:
		return PIN_TRY_FAILED;
	}
}

/* JOB's PIN reached the token: the pace of the next try, and the record. */
static void
record_try(struct pin_job *job)
{
	struct khoad *d = job->d;
	enum pin_kind kind = job->reset ? PIN_KIND_SO : PIN_KIND_USER;
	CK_FLAGS f = job->have_flags ? job->flags : 0;
	bool locked = f & (job->reset ? CKF_SO_PIN_LOCKED : CKF_USER_PIN_LOCKED);
	bool final_try = f & (job->reset ? CKF_SO_PIN_FINAL_TRY : CKF_USER_PIN_FINAL_TRY);
	struct pin_try t = {
		.serial = job->serial,
		.kind = kind,
		.result = try_result(job, locked),
		.error = p11_kit_strerror(job->login.rv),
		.tries_left = locked ? 0 : final_try ? 1 : -1,
		.actor = { .uid = job->uid, .user = job->user },
		.pid = job->pid,
		.have_flags = job->have_flags,
		.flags = job->flags,
	};

	if (t.result == PIN_TRY_RIGHT) {
		pin_pace_right(d->pin_pace, job->serial, kind);
		/* A reset gave the token a new user PIN: its holder starts afresh. */
		if (job->reset && job->rv == CKR_OK)
			pin_pace_right(d->pin_pace, job->serial, PIN_KIND_USER);
	} else {
		int delay = pin_pace_wrong(d->pin_pace, job->serial, kind, now_ns());
		if (delay < 0)
			log_error("token %s: out of memory: its next PIN try is not paced",
				  job->serial);
		t.delay_s = delay > 0 ? (unsigned)delay : 0;
	}
	if (d->pin_tried)
		d->pin_tried(d, &t);
}

/* On the loop thread, once the worker ran the job (or will not). */
static void
on_ran(void *arg, bool ran)
{
	struct pin_job *job = arg;
	struct pin_outcome o = { .result = PIN_FAILED, .error = "khoad is stopping" };

	if (ran) {
		o.result = result_of(job->rv);
		o.so = job->reset;
		o.error = p11_kit_strerror(job->rv);
		o.rule = KR(PIN_REFUSED);
		if (job->have_flags) {
			CK_FLAGS f = job->flags;
			/* The guards of the next call (final try, locked) must not
			 * wait for the next scan: three quick wrong PINs in a row
			 * would otherwise spend the last try unasked. */
			if (!job->d->stopping && inventory_set_flags(job->d->inventory, job->serial, f) &&
			    inventory_rebuild(job->d->inventory) < 0)
				log_error("cannot rebuild the token list");
			o.locked = job->reset ? (f & CKF_SO_PIN_LOCKED) : (f & CKF_USER_PIN_LOCKED);
			o.final_try = job->reset ? (f & CKF_SO_PIN_FINAL_TRY) : (f & CKF_USER_PIN_FINAL_TRY);
		}
		/* The flags changed: let the snapshot and the registry see it. */
		if (!job->d->stopping)
			scanner_request(job->d->scanner);
		/* Before the caller hears: its next call finds the delay and the event. */
		if (job->login.called)
			record_try(job);
	}
	/* Free before answering: answering may run the caller's next call on
	 * this very token. */
	job_unlist(job);
	answer(job, &o);
	job_free(job);
}

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct pin_job *job = arg;
	struct pin_outcome o = { .result = PIN_TIMEOUT, .timeout_s = job->d->rescan_timeout_s };
	log_warning("token %s did not answer within %u s; it stays busy until it does",
		    job->serial, job->d->rescan_timeout_s);
	answer(job, &o);
}

/* Whether the token could ever accept PIN: printable ASCII within its
 * length limits (a PIN typed with a Vietnamese input method on, or with
 * letters the token never takes, costs no try). */
static const char *
pin_rule(const struct khoa_token *t, const struct secret *pin)
{
	const char *p = secret_str(pin);
	size_t len = secret_len(pin);
	unsigned long min = t->min_pin_len, max = t->max_pin_len;

	if (min == 0 || min > KHOA_PIN_LEN_MAX)
		min = 1;
	if (max == 0 || max > KHOA_PIN_LEN_MAX)
		max = KHOA_PIN_LEN_MAX;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e)
			return KR(PIN_CHARSET);
	if (len < min || len > max)
		return KR(PIN_LENGTH);
	return NULL;
}

static bool
busy(struct khoad *d, const char *serial)
{
	struct pin_job *j;
	LIST_FOREACH(j, &d->pin_jobs, entry)
		if (strcmp(j->serial, serial) == 0)
			return true;
	return false;
}

/* Whether a PIN for token T is refused before it is tried: then true, with
 * the refusal in O. None of these costs the token a try. */
static bool
refused(struct khoad *d, const struct khoa_token *t, enum pin_kind kind,
	const struct secret *login_pin, const struct secret *new_pin, bool allow_final_try,
	struct pin_outcome *o)
{
	bool so = kind == PIN_KIND_SO;
	unsigned long f = t->flags;

	if (busy(d, t->serial))
		o->result = PIN_BUSY;
	else if ((o->rule = pin_rule(t, login_pin)) || (o->rule = pin_rule(t, new_pin)))
		o->result = PIN_INVALID;
	else if (f & (so ? CKF_SO_PIN_LOCKED : CKF_USER_PIN_LOCKED))
		o->result = PIN_LOCKED;
	else if ((f & (so ? CKF_SO_PIN_FINAL_TRY : CKF_USER_PIN_FINAL_TRY)) && !allow_final_try)
		o->result = PIN_FINAL_TRY;
	/* Last: a locked token or a final try says so at once, not after a
	 * wait that would end in the same refusal. */
	else if ((o->wait_s = pin_pace_wait(d->pin_pace, t->serial, kind, now_ns())) > 0)
		o->result = PIN_TRY_LATER;
	else
		return false;
	return true;
}

static void
start(struct khoad *d, const char *serial, enum pin_kind kind, struct secret *login_pin,
      struct secret *new_pin, bool allow_final_try, const struct peer *who,
      pin_done_fn done, void *userdata)
{
	struct pin_outcome o = { .result = PIN_FAILED, .error = "out of memory" };
	size_t module;
	const struct khoa_token *t = inventory_find_in(d->inventory, serial, &module);
	struct worker *w = t ? scanner_worker(d->scanner, module) : NULL;
	struct pin_job *job = NULL;

	if (!t || !w) {
		o.result = PIN_NO_TOKEN;
	} else if (refused(d, t, kind, login_pin, new_pin, allow_final_try, &o)) {
		if (o.result == PIN_TRY_LATER)
			log_debug("token %s: %s PIN not tried, %u s to wait (uid %u, pid %ld)", serial,
				  pin_kind_name(kind), o.wait_s, (unsigned)who->uid, (long)who->pid);
	} else if ((job = calloc(1, sizeof(*job))) && (job->serial = strdup(serial))) {
		struct timeval tv = { .tv_sec = d->rescan_timeout_s };
		*job = (struct pin_job){ .d = d, .serial = job->serial,
					 .reset = kind == PIN_KIND_SO,
					 .login_pin = login_pin, .new_pin = new_pin,
					 .done = done, .userdata = userdata,
					 .uid = who->uid, .pid = who->pid };
		snprintf(job->user, sizeof(job->user), "%s", who->user);
		LIST_INSERT_HEAD(&d->pin_jobs, job, entry);
		job->listed = true;
		if (!(job->timer = evtimer_new(d->base, on_timeout, job)) ||
		    evtimer_add(job->timer, &tv) < 0 ||
		    worker_submit(w, run, on_ran, job) < 0) {
			job_free(job);	/* frees the secrets */
			done(&o, userdata);
		}
		return;
	}
	if (job)
		free(job);
	secret_free(login_pin);
	secret_free(new_pin);
	done(&o, userdata);
}

void
pin_change(struct khoad *d, const char *serial, struct secret *old_pin,
	   struct secret *new_pin, bool allow_final_try, const struct peer *who,
	   pin_done_fn done, void *userdata)
{
	start(d, serial, PIN_KIND_USER, old_pin, new_pin, allow_final_try, who, done, userdata);
}

void
pin_reset(struct khoad *d, const char *serial, struct secret *so_pin,
	  struct secret *new_pin, const struct peer *who, pin_done_fn done, void *userdata)
{
	start(d, serial, PIN_KIND_SO, so_pin, new_pin, false, who, done, userdata);
}

json_object *
pin_outcome_error(const struct pin_outcome *o, const char *serial)
{
	switch (o->result) {
	case PIN_OK:
		return NULL;
	case PIN_INCORRECT:
		return khoa_err_pin_incorrect(serial, o->so ? "so" : "user", o->final_try, o->locked);
	case PIN_LOCKED:
		return khoa_err_pin_locked(serial);
	case PIN_FINAL_TRY:
		return khoa_err_final_try(serial);
	case PIN_INVALID:
		return khoa_err_pin_invalid(serial, o->rule);
	case PIN_NO_TOKEN:
		return khoa_err_no_such_token(serial);
	case PIN_BUSY:
		return khoa_err_token_busy(serial);
	case PIN_TIMEOUT:
		return khoa_err_timeout(o->timeout_s, "token %s did not answer within %u seconds",
					serial, o->timeout_s);
	case PIN_TRY_LATER:
		return khoa_err_try_later(serial, o->wait_s);
	case PIN_FAILED:
		break;
	}
	return khoa_err_internal("token %s: %s", serial, o->error ? o->error : "failed");
}
