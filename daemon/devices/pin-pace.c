/* The delays between PIN tries (pin-pace.h). */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "pin-pace.h"

#define NS 1000000000LL

struct count {
	LIST_ENTRY(count) entry;
	enum pin_kind kind;
	unsigned wrong;		/* wrong tries in a row */
	int64_t until;		/* no try before (CLOCK_MONOTONIC ns) */
	char serial[];
};

struct pin_pace {
	LIST_HEAD(, count) counts;
	unsigned n;
};

struct pin_pace *
pin_pace_new(void)
{
	struct pin_pace *p = calloc(1, sizeof(*p));
	if (p)
		LIST_INIT(&p->counts);
	return p;
}

static void
drop(struct pin_pace *p, struct count *c)
{
	LIST_REMOVE(c, entry);
	free(c);
	p->n--;
}

void
pin_pace_free(struct pin_pace *p)
{
	if (!p)
		return;
	while (!LIST_EMPTY(&p->counts))
		drop(p, LIST_FIRST(&p->counts));
	free(p);
}

unsigned
pin_pace_delay(unsigned n)
{
	/* 2^6 is past the cap already: no shift that could overflow. */
	if (n == 0)
		return 0;
	if (n > 6)
		return PIN_PACE_CAP_S;
	unsigned s = 1u << (n - 1);
	return s < PIN_PACE_CAP_S ? s : PIN_PACE_CAP_S;
}

/* Whether C's delay ran out an hour ago or more, with no wrong try since. */
static bool
stale(const struct count *c, int64_t now)
{
	return now - c->until >= (int64_t)PIN_PACE_FORGET_S * NS;
}

static struct count *
find(struct pin_pace *p, const char *serial, enum pin_kind kind)
{
	struct count *c;
	LIST_FOREACH(c, &p->counts, entry)
		if (c->kind == kind && strcmp(c->serial, serial) == 0)
			return c;
	return NULL;
}

unsigned
pin_pace_wait(struct pin_pace *p, const char *serial, enum pin_kind kind, int64_t now)
{
	struct count *c = find(p, serial, kind);
	if (!c || now >= c->until)
		return 0;
	/* Rounded up: a caller told "1" and back in a second is accepted. */
	return (unsigned)((c->until - now + NS - 1) / NS);
}

/* Room for one more: the stale counts go, and at the bound the one whose
 * delay ran out first. */
static void
make_room(struct pin_pace *p, int64_t now)
{
	struct count *c, *next, *first = NULL;

	for (c = LIST_FIRST(&p->counts); c; c = next) {
		next = LIST_NEXT(c, entry);
		if (stale(c, now))
			drop(p, c);
		else if (!first || c->until < first->until)
			first = c;
	}
	if (p->n >= PIN_PACE_MAX && first)
		drop(p, first);
}

int
pin_pace_wrong(struct pin_pace *p, const char *serial, enum pin_kind kind, int64_t now)
{
	struct count *c = find(p, serial, kind);

	if (c && stale(c, now))
		c->wrong = 0;
	if (!c) {
		size_t len = strlen(serial) + 1;
		make_room(p, now);
		if (!(c = calloc(1, sizeof(*c) + len)))
			return -ENOMEM;
		memcpy(c->serial, serial, len);
		c->kind = kind;
		LIST_INSERT_HEAD(&p->counts, c, entry);
		p->n++;
	}
	if (c->wrong < UINT_MAX)
		c->wrong++;
	unsigned delay = pin_pace_delay(c->wrong);
	c->until = now + (int64_t)delay * NS;
	return (int)delay;
}

void
pin_pace_right(struct pin_pace *p, const char *serial, enum pin_kind kind)
{
	struct count *c = find(p, serial, kind);
	if (c)
		drop(p, c);
}

unsigned
pin_pace_count(const struct pin_pace *p)
{
	return p->n;
}
