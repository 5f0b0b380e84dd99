/*
 * khoa-fault.so's state inside the process: which serial is in which slot,
 * which slot each session is on, what this process has seen of a token's
 * removal; hangs; and the prologues that decide, before a call reaches the
 * real module, whether it goes on.  See fault.h and tests/fault/README.md.
 */
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <p11-kit/pkcs11.h>

#include "fault.h"

#define HANG_STEP_NS 20000000L		/* re-read the hang file every 20 ms */
#define MODULE_KEY "module"		/* module.hang: calls without a token */

struct session_entry {
	CK_SESSION_HANDLE handle;
	CK_SLOT_ID slot;
	bool dead;			/* its token was removed under it */
};

struct slot_entry {
	CK_SLOT_ID slot;
	char serial[SERIAL_MAX];
	bool removed_seen;		/* this process saw SERIAL.removed */
	bool logout_pending;		/* log out on the next session opened */
};

/* The maps; never held across a sleep or a call into the real module. */
static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;
static struct session_entry *sessions;
static size_t n_sessions, cap_sessions;
static struct slot_entry *slots;
static size_t n_slots, cap_slots;

/* ------------------------------------------------------------- maps */

void
trim_serial(const unsigned char raw[16], char out[SERIAL_MAX])
{
	size_t b = 0, e = 16;
	while (b < e && (raw[b] == ' ' || raw[b] == '\0'))
		b++;
	while (e > b && (raw[e - 1] == ' ' || raw[e - 1] == '\0'))
		e--;
	memcpy(out, raw + b, e - b);
	out[e - b] = '\0';
	/* it becomes a file name: refuse what could escape the directory */
	if (out[0] == '.' || strchr(out, '/'))
		out[0] = '\0';
}

static struct slot_entry *
slot_find(CK_SLOT_ID slot)
{
	for (size_t i = 0; i < n_slots; i++)
		if (slots[i].slot == slot)
			return &slots[i];
	return NULL;
}

/* Call with map_lock held. */
static struct slot_entry *
slot_put(CK_SLOT_ID slot, const char *serial)
{
	struct slot_entry *e = slot_find(slot);
	if (!e) {
		if (n_slots == cap_slots) {
			size_t cap = cap_slots ? 2 * cap_slots : 16;
			struct slot_entry *p = realloc(slots, cap * sizeof(*p));
			if (!p)
				return NULL;
			slots = p;
			cap_slots = cap;
		}
		e = &slots[n_slots++];
		*e = (struct slot_entry){ .slot = slot };
	}
	if (strcmp(e->serial, serial) != 0) {
		snprintf(e->serial, sizeof(e->serial), "%s", serial);
		e->removed_seen = e->logout_pending = false;
	}
	return e;
}

void
slot_remember(CK_SLOT_ID slot, const char *serial)
{
	pthread_mutex_lock(&map_lock);
	slot_put(slot, serial);
	pthread_mutex_unlock(&map_lock);
}

void
slot_forget(CK_SLOT_ID slot)
{
	pthread_mutex_lock(&map_lock);
	struct slot_entry *e = slot_find(slot);
	if (e)
		*e = slots[--n_slots];
	pthread_mutex_unlock(&map_lock);
}

/* The serial of the token in SLOT, asking the real module on a miss. */
void
slot_target(CK_SLOT_ID slot, struct target *t)
{
	t->slot = slot;
	t->serial[0] = '\0';
	pthread_mutex_lock(&map_lock);
	struct slot_entry *e = slot_find(slot);
	if (e)
		memcpy(t->serial, e->serial, SERIAL_MAX);
	pthread_mutex_unlock(&map_lock);
	if (e)
		return;

	CK_TOKEN_INFO info;
	if (real->C_GetTokenInfo(slot, &info) != CKR_OK)
		return;
	trim_serial(info.serialNumber, t->serial);
	slot_remember(slot, t->serial);
}

static struct session_entry *
session_find(CK_SESSION_HANDLE h)
{
	for (size_t i = 0; i < n_sessions; i++)
		if (sessions[i].handle == h)
			return &sessions[i];
	return NULL;
}

void
session_add(CK_SESSION_HANDLE h, CK_SLOT_ID slot)
{
	pthread_mutex_lock(&map_lock);
	struct session_entry *e = session_find(h);
	if (!e && n_sessions == cap_sessions) {
		size_t cap = cap_sessions ? 2 * cap_sessions : 16;
		struct session_entry *p = realloc(sessions, cap * sizeof(*p));
		if (p) {
			sessions = p;
			cap_sessions = cap;
		}
	}
	if (!e && n_sessions < cap_sessions)
		e = &sessions[n_sessions++];
	if (e)
		*e = (struct session_entry){ .handle = h, .slot = slot };
	pthread_mutex_unlock(&map_lock);
}

void
session_drop(CK_SESSION_HANDLE h)
{
	pthread_mutex_lock(&map_lock);
	struct session_entry *e = session_find(h);
	if (e)
		*e = sessions[--n_sessions];
	pthread_mutex_unlock(&map_lock);
}

void
sessions_drop_slot(CK_SLOT_ID slot)
{
	pthread_mutex_lock(&map_lock);
	for (size_t i = 0; i < n_sessions;) {
		if (sessions[i].slot == slot)
			sessions[i] = sessions[--n_sessions];
		else
			i++;
	}
	pthread_mutex_unlock(&map_lock);
}

void
maps_clear(void)
{
	pthread_mutex_lock(&map_lock);
	free(sessions);
	free(slots);
	sessions = NULL;
	slots = NULL;
	n_sessions = cap_sessions = n_slots = cap_slots = 0;
	pthread_mutex_unlock(&map_lock);
}

/*
 * Whether the token T is removed now.  The first time this process sees a
 * removal, the token drops every session it had, as a pulled token does: ours
 * are marked dead, and the next session opened after reinsertion starts
 * logged out.  The real module's sessions stay open until the application
 * closes them: closing them here could free a session another thread is
 * using inside the real module.
 */
bool
token_removed(const struct target *t)
{
	if (!t->serial[0])
		return false;
	bool removed = fault_exists(t->serial, "removed");

	pthread_mutex_lock(&map_lock);
	struct slot_entry *e = slot_put(t->slot, t->serial);
	if (e && removed && !e->removed_seen) {
		e->removed_seen = e->logout_pending = true;
		for (size_t i = 0; i < n_sessions; i++)
			if (sessions[i].slot == t->slot)
				sessions[i].dead = true;
	} else if (e && !removed) {
		e->removed_seen = false;
	}
	pthread_mutex_unlock(&map_lock);
	return removed;
}

/* Whether the first session opened on SLOT since the token was reinserted
 * must be logged out; true once per reinsertion. */
bool
slot_take_logout(CK_SLOT_ID slot)
{
	pthread_mutex_lock(&map_lock);
	struct slot_entry *e = slot_find(slot);
	bool logout = e && e->logout_pending;
	if (e)
		e->logout_pending = false;
	pthread_mutex_unlock(&map_lock);
	return logout;
}

/* ------------------------------------------------------------ hangs */

/* Seconds FN should hang for according to DIR/KEY.hang; <= 0: none. */
static double
hang_seconds(const char *key, const char *fn)
{
	char path[PATH_MAX], line[256], name[64];
	double secs, found = 0;
	if (!fault_path(path, sizeof(path), key, "hang"))
		return 0;
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lf", name, &secs) == 2 &&
		    (strcmp(name, fn) == 0 || strcmp(name, "*") == 0)) {
			found = secs;
			break;
		}
	}
	fclose(f);
	return found;
}

static double
seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/*
 * Sleeps while DIR/KEY.hang names FN (or "*"), re-reading it in small steps:
 * deleting the file or lowering the number cuts the hang short.  With a token
 * (T != NULL), the token's removal ends the hang too; returns whether it did.
 */
bool
hang(const char *fn, const struct target *t)
{
	const char *key = t ? t->serial : MODULE_KEY, *how;
	bool started = false, removed = false;
	if (!key[0])
		return false;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		double secs = hang_seconds(key, fn);
		double left = secs - seconds_since(&start);
		if (left <= 0) {
			how = secs > 0 ? "timeout" : "cut";
			break;
		}
		if (t && token_removed(t)) {
			how = "removed";
			removed = true;
			break;
		}
		if (!started) {
			log_hang("start", fn, key, NULL);
			started = true;
		}
		long ns = left < HANG_STEP_NS / 1e9 ? (long)(left * 1e9) : HANG_STEP_NS;
		struct timespec step = { 0, ns };
		nanosleep(&step, NULL);
	}
	if (started)
		log_hang("end", fn, key, how);
	return removed;
}

/* ---------------------------------------------------- call prologues */

/* Before a call on a slot: its token present?  hang? removed meanwhile? */
CK_RV
enter_slot(const char *fn, CK_SLOT_ID slot, struct target *t)
{
	slot_target(slot, t);
	if (token_removed(t))
		return CKR_TOKEN_NOT_PRESENT;
	if (hang(fn, t))
		return CKR_DEVICE_REMOVED;
	return CKR_OK;
}

/* Which slot a session is on; asks the real module for sessions we missed. */
static bool
session_slot(CK_SESSION_HANDLE h, CK_SLOT_ID *slot, bool *dead)
{
	pthread_mutex_lock(&map_lock);
	struct session_entry *e = session_find(h);
	if (e) {
		*slot = e->slot;
		*dead = e->dead;
	}
	pthread_mutex_unlock(&map_lock);
	if (e)
		return true;

	CK_SESSION_INFO info;
	if (real->C_GetSessionInfo(h, &info) != CKR_OK)
		return false;
	session_add(h, info.slotID);
	*slot = info.slotID;
	*dead = false;
	return true;
}

/* Before a call on a session: dead?  token removed?  hang?  removed meanwhile? */
CK_RV
enter_session(const char *fn, CK_SESSION_HANDLE h, struct target *t)
{
	bool dead = false;
	*t = (struct target){ 0 };
	if (!session_slot(h, &t->slot, &dead))
		return CKR_OK;		/* the real module will say what is wrong */
	slot_target(t->slot, t);
	if (token_removed(t))
		return CKR_DEVICE_REMOVED;
	if (dead)
		return CKR_SESSION_HANDLE_INVALID;	/* reinserted: old sessions are gone */
	if (hang(fn, t))
		return CKR_DEVICE_REMOVED;
	return CKR_OK;
}
