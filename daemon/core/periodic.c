/* A check run from the event loop at intervals (periodic.h). */
#include <sys/time.h>
#include <event2/event.h>

#include "khoad.h"
#include "log.h"
#include "periodic.h"

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct periodic *p = arg;
	(void)fd;
	(void)what;
	p->check(p->d);
	if (!p->d->stopping && periodic_start(p) < 0)
		log_error("cannot schedule %s", p->what);
}

int
periodic_start(struct periodic *p)
{
	struct timeval tv = { .tv_sec = p->interval_s };
	return event_base_once(p->d->base, -1, EV_TIMEOUT, on_tick, p, &tv);
}
