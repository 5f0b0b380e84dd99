/*
 * khoa-fault.so: a PKCS#11 module for tests.  It forwards every call to a
 * real module (SoftHSM2 unless KHOA_FAULT_MODULE names another) and adds the
 * faults a real token shows and SoftHSM2 never does: a user PIN that locks
 * after N wrong tries, calls that hang, a token pulled out (also mid-call).
 *
 * Faults are driven from outside the process through files in the directory
 * named by KHOA_FAULT_DIR, keyed by token serial, so every process using the
 * module (khoad, pkcs11-tool, the client tests) sees one token state.  Without
 * KHOA_FAULT_DIR the module hands out the real function list untouched.
 * The protocol is described in tests/fault/README.md.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <p11-kit/pkcs11.h>

#define DEFAULT_MODULE "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"
#define SERIAL_MAX 17			/* CK_TOKEN_INFO.serialNumber + NUL */
#define HANG_STEP_NS 20000000L		/* re-read the hang file every 20 ms */
#define MODULE_KEY "module"		/* module.hang: calls without a token */

#define EXPORT __attribute__((visibility("default")))

/* The token a call is about; serial[0] == '\0' when unknown (no faults). */
struct target {
	CK_SLOT_ID slot;
	char serial[SERIAL_MAX];
};

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

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static CK_RV load_rv = CKR_GENERAL_ERROR;
static CK_FUNCTION_LIST *real;		/* the real module's list */
static CK_FUNCTION_LIST fault_list;	/* ours: a copy with entries replaced */
static const char *fault_dir;		/* KHOA_FAULT_DIR, NULL: pass-through */
static char fault_dir_buf[PATH_MAX - 64];

/* The maps; never held across a sleep or a call into the real module. */
static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;
static struct session_entry *sessions;
static size_t n_sessions, cap_sessions;
static struct slot_entry *slots;
static size_t n_slots, cap_slots;

/* ------------------------------------------------------------ files */

static bool
fault_path(char *buf, size_t size, const char *key, const char *suffix)
{
	int n = snprintf(buf, size, "%s/%s.%s", fault_dir, key, suffix);
	return n > 0 && (size_t)n < size;
}

static bool
fault_exists(const char *key, const char *suffix)
{
	char path[PATH_MAX];
	return fault_path(path, sizeof(path), key, suffix) && access(path, F_OK) == 0;
}

/* Reads the first integer in DIR/KEY.SUFFIX; false if missing or unreadable. */
static bool
read_long(const char *key, const char *suffix, long *value)
{
	char path[PATH_MAX];
	if (!fault_path(path, sizeof(path), key, suffix))
		return false;
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool ok = fscanf(f, "%ld", value) == 1;
	fclose(f);
	return ok;
}

/* Replaces DIR/KEY.SUFFIX atomically (temporary file + rename). */
static void
write_long(const char *key, const char *suffix, long value)
{
	char path[PATH_MAX], tmp[PATH_MAX + 64];
	if (!fault_path(path, sizeof(path), key, suffix))
		return;
	snprintf(tmp, sizeof(tmp), "%s.%ld.%lu.tmp", path, (long)getpid(),
		 (unsigned long)pthread_self());
	FILE *f = fopen(tmp, "we");
	if (!f)
		return;
	fprintf(f, "%ld\n", value);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		unlink(tmp);
}

/* Serializes PIN bookkeeping on one token across threads and processes. */
static int
token_lock(const char *serial)
{
	char path[PATH_MAX];
	if (!fault_path(path, sizeof(path), serial, "lock"))
		return -1;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static void
token_unlock(int fd)
{
	if (fd >= 0)
		close(fd);		/* releases the flock */
}

static const char *
rv_name(CK_RV rv, char *buf, size_t size)
{
	static const struct {
		CK_RV rv;
		const char *name;
	} names[] = {
#define N(x) { x, #x }
		N(CKR_OK), N(CKR_HOST_MEMORY), N(CKR_GENERAL_ERROR), N(CKR_FUNCTION_FAILED),
		N(CKR_ARGUMENTS_BAD), N(CKR_DEVICE_ERROR), N(CKR_DEVICE_REMOVED),
		N(CKR_FUNCTION_NOT_SUPPORTED), N(CKR_OPERATION_NOT_INITIALIZED),
		N(CKR_PIN_INCORRECT), N(CKR_PIN_INVALID), N(CKR_PIN_LEN_RANGE),
		N(CKR_PIN_EXPIRED), N(CKR_PIN_LOCKED), N(CKR_SESSION_CLOSED),
		N(CKR_SESSION_HANDLE_INVALID), N(CKR_SESSION_READ_ONLY),
		N(CKR_SESSION_READ_ONLY_EXISTS), N(CKR_SESSION_READ_WRITE_SO_EXISTS),
		N(CKR_SLOT_ID_INVALID), N(CKR_TOKEN_NOT_PRESENT), N(CKR_TOKEN_NOT_RECOGNIZED),
		N(CKR_USER_ALREADY_LOGGED_IN), N(CKR_USER_NOT_LOGGED_IN),
		N(CKR_USER_PIN_NOT_INITIALIZED), N(CKR_USER_TYPE_INVALID),
		N(CKR_USER_ANOTHER_ALREADY_LOGGED_IN), N(CKR_USER_TOO_MANY_TYPES),
		N(CKR_CRYPTOKI_NOT_INITIALIZED),
#undef N
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].rv == rv)
			return names[i].name;
	snprintf(buf, size, "0x%08lx", (unsigned long)rv);
	return buf;
}

/* Appends one line to DIR/NAME: a single write() on an O_APPEND file, so
 * lines from several threads and processes never interleave. */
static void
append_line(const char *name, const char *line, int n)
{
	char path[PATH_MAX];
	if (n <= 0 || !fault_path(path, sizeof(path), name, "log"))
		return;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	ssize_t w = write(fd, line, (size_t)n);
	(void)w;
	close(fd);
}

/* One line per PIN call in DIR/calls.log: FUNCTION SERIAL RESULT WHO ORIGIN.
 * Never the PIN. */
static void
log_call(const char *fn, const struct target *t, CK_RV rv, const char *who, bool forwarded)
{
	char line[256], rvbuf[24];
	int n = snprintf(line, sizeof(line), "%s %s %s %s %s\n", fn,
			 t->serial[0] ? t->serial : "-", rv_name(rv, rvbuf, sizeof(rvbuf)), who,
			 forwarded ? "module" : "fault");
	if ((size_t)n < sizeof(line))
		append_line("calls", line, n);
}

/* DIR/hangs.log: "start FUNCTION KEY", then "end FUNCTION KEY HOW". */
static void
log_hang(const char *what, const char *fn, const char *key, const char *how)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "%s %s %s%s%s\n", what, fn, key, how ? " " : "",
			 how ? how : "");
	if ((size_t)n < sizeof(line))
		append_line("hangs", line, n);
}

/* ------------------------------------------------------------- maps */

static void
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

static void
slot_remember(CK_SLOT_ID slot, const char *serial)
{
	pthread_mutex_lock(&map_lock);
	slot_put(slot, serial);
	pthread_mutex_unlock(&map_lock);
}

static void
slot_forget(CK_SLOT_ID slot)
{
	pthread_mutex_lock(&map_lock);
	struct slot_entry *e = slot_find(slot);
	if (e)
		*e = slots[--n_slots];
	pthread_mutex_unlock(&map_lock);
}

/* The serial of the token in SLOT, asking the real module on a miss. */
static void
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

static void
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

static void
session_drop(CK_SESSION_HANDLE h)
{
	pthread_mutex_lock(&map_lock);
	struct session_entry *e = session_find(h);
	if (e)
		*e = sessions[--n_sessions];
	pthread_mutex_unlock(&map_lock);
}

static void
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

static void
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
static bool
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
static bool
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
static CK_RV
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
static CK_RV
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

/* ------------------------------------------------------- PIN counter */

/* DIR/SERIAL.max-tries, or 0 when lockout is off for that token. */
static long
max_tries(const char *serial)
{
	long n;
	if (!serial[0] || !read_long(serial, "max-tries", &n) || n <= 0)
		return 0;
	return n;
}

static long
wrong_tries(const char *serial)
{
	long n;
	if (!read_long(serial, "wrong-tries", &n) || n < 0)
		return 0;
	return n;
}

static void
apply_pin_flags(const char *serial, CK_FLAGS *flags)
{
	long max = max_tries(serial);
	if (!max)
		return;
	long count = wrong_tries(serial);
	*flags &= ~(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
	if (count >= max)
		*flags |= CKF_USER_PIN_LOCKED;
	else if (count > 0)
		*flags |= CKF_USER_PIN_COUNT_LOW;
	if (count == max - 1)
		*flags |= CKF_USER_PIN_FINAL_TRY;
}

/*
 * A user-PIN check (C_Login as user or context-specific, C_SetPIN outside an
 * SO session) against the counter.  CHECK runs the real call; it does not run
 * at all once the token is locked.  The token's lock file is held throughout,
 * so two processes trying PINs at once count both tries, as a card would.
 */
struct pin_call {
	CK_SESSION_HANDLE h;
	CK_USER_TYPE who;
	CK_UTF8CHAR_PTR pin, new_pin;
	CK_ULONG pin_len, new_len;
	bool set_pin;
};

static CK_RV
pin_forward(const struct pin_call *c)
{
	if (c->set_pin)
		return real->C_SetPIN(c->h, c->pin, c->pin_len, c->new_pin, c->new_len);
	return real->C_Login(c->h, c->who, c->pin, c->pin_len);
}

static CK_RV
pin_check(const struct target *t, const struct pin_call *c, bool *forwarded)
{
	long max = max_tries(t->serial);
	*forwarded = true;
	if (!max)
		return pin_forward(c);

	int lock = token_lock(t->serial);
	long count = wrong_tries(t->serial);
	CK_RV rv;
	if (count >= max) {
		*forwarded = false;
		rv = CKR_PIN_LOCKED;
	} else {
		rv = pin_forward(c);
		if (rv == CKR_PIN_INCORRECT)
			write_long(t->serial, "wrong-tries", count + 1);
		else if (rv == CKR_OK && count != 0)
			write_long(t->serial, "wrong-tries", 0);
	}
	token_unlock(lock);
	return rv;
}

static const char *
user_name(CK_USER_TYPE who)
{
	switch (who) {
	case CKU_USER:
		return "USER";
	case CKU_SO:
		return "SO";
	case CKU_CONTEXT_SPECIFIC:
		return "CONTEXT_SPECIFIC";
	default:
		return "OTHER";
	}
}

/* ------------------------------------------------ replaced functions */

static CK_RV
fault_C_Initialize(CK_VOID_PTR args)
{
	hang("C_Initialize", NULL);
	maps_clear();
	return real->C_Initialize(args);
}

static CK_RV
fault_C_Finalize(CK_VOID_PTR reserved)
{
	hang("C_Finalize", NULL);
	CK_RV rv = real->C_Finalize(reserved);
	maps_clear();			/* SoftHSM2's slot IDs change on re-initialize */
	return rv;
}

static CK_RV
fault_C_GetInfo(CK_INFO_PTR info)
{
	hang("C_GetInfo", NULL);
	return real->C_GetInfo(info);
}

static CK_RV
fault_C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR slot, CK_VOID_PTR reserved)
{
	hang("C_WaitForSlotEvent", NULL);
	return real->C_WaitForSlotEvent(flags, slot, reserved);
}

static CK_RV
fault_C_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count)
{
	hang("C_GetSlotList", NULL);
	if (!present)
		return real->C_GetSlotList(present, list, count);
	if (!count)
		return CKR_ARGUMENTS_BAD;

	CK_SLOT_ID *all = NULL;
	CK_ULONG n = 0;
	CK_RV rv;
	for (;;) {
		rv = real->C_GetSlotList(CK_TRUE, NULL, &n);
		if (rv != CKR_OK)
			return rv;
		CK_SLOT_ID *p = realloc(all, (n ? n : 1) * sizeof(*p));
		if (!p) {
			free(all);
			return CKR_HOST_MEMORY;
		}
		all = p;
		rv = real->C_GetSlotList(CK_TRUE, all, &n);
		if (rv != CKR_BUFFER_TOO_SMALL)
			break;
	}
	if (rv != CKR_OK) {
		free(all);
		return rv;
	}

	CK_ULONG kept = 0;
	for (CK_ULONG i = 0; i < n; i++) {
		struct target t;
		slot_target(all[i], &t);
		if (!token_removed(&t))
			all[kept++] = all[i];
	}
	if (!list) {
		*count = kept;
	} else if (*count < kept) {
		*count = kept;
		rv = CKR_BUFFER_TOO_SMALL;
	} else {
		memcpy(list, all, kept * sizeof(*list));
		*count = kept;
	}
	free(all);
	return rv;
}

static CK_RV
fault_C_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info)
{
	struct target t;
	slot_target(slot, &t);
	if (!token_removed(&t))
		hang("C_GetSlotInfo", &t);
	CK_RV rv = real->C_GetSlotInfo(slot, info);
	if (rv == CKR_OK && token_removed(&t))
		info->flags &= ~CKF_TOKEN_PRESENT;
	return rv;
}

static CK_RV
fault_C_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info)
{
	struct target t;
	CK_RV rv = enter_slot("C_GetTokenInfo", slot, &t);
	if (rv != CKR_OK)
		return rv;
	rv = real->C_GetTokenInfo(slot, info);
	if (rv == CKR_OK) {
		trim_serial(info->serialNumber, t.serial);
		slot_remember(slot, t.serial);
		if (t.serial[0])
			apply_pin_flags(t.serial, &info->flags);
	} else if (rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_SLOT_ID_INVALID) {
		slot_forget(slot);
	}
	return rv;
}

static CK_RV
fault_C_GetMechanismList(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count)
{
	struct target t;
	CK_RV rv = enter_slot("C_GetMechanismList", slot, &t);
	return rv != CKR_OK ? rv : real->C_GetMechanismList(slot, list, count);
}

static CK_RV
fault_C_GetMechanismInfo(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info)
{
	struct target t;
	CK_RV rv = enter_slot("C_GetMechanismInfo", slot, &t);
	return rv != CKR_OK ? rv : real->C_GetMechanismInfo(slot, type, info);
}

static CK_RV
fault_C_InitToken(CK_SLOT_ID slot, CK_UTF8CHAR_PTR pin, CK_ULONG len, CK_UTF8CHAR_PTR label)
{
	struct target t;
	CK_RV rv = enter_slot("C_InitToken", slot, &t);
	if (rv != CKR_OK)
		return rv;
	rv = real->C_InitToken(slot, pin, len, label);
	if (rv == CKR_OK) {
		if (t.serial[0] && max_tries(t.serial)) {
			int lock = token_lock(t.serial);
			write_long(t.serial, "wrong-tries", 0);
			token_unlock(lock);
		}
		slot_forget(slot);	/* a fresh token may carry a new serial */
	}
	return rv;
}

static CK_RV
fault_C_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify,
		    CK_SESSION_HANDLE_PTR session)
{
	struct target t;
	CK_RV rv = enter_slot("C_OpenSession", slot, &t);
	if (rv != CKR_OK)
		return rv;
	rv = real->C_OpenSession(slot, flags, app, notify, session);
	if (rv != CKR_OK)
		return rv;
	session_add(*session, slot);

	/* The first session after a reinsertion: the real module may still be
	 * logged in through the dead ones, a reinserted token is not. */
	pthread_mutex_lock(&map_lock);
	struct slot_entry *e = slot_find(slot);
	bool logout = e && e->logout_pending;
	if (e)
		e->logout_pending = false;
	pthread_mutex_unlock(&map_lock);
	if (logout)
		real->C_Logout(*session);
	return CKR_OK;
}

/* Closing a session its token already dropped succeeds (and frees the real
 * module's session). */
static CK_RV
fault_C_CloseSession(CK_SESSION_HANDLE h)
{
	struct target t;
	CK_RV rv = enter_session("C_CloseSession", h, &t);
	if (rv != CKR_OK) {
		real->C_CloseSession(h);
		session_drop(h);
		return CKR_OK;
	}
	rv = real->C_CloseSession(h);
	if (rv == CKR_OK || rv == CKR_SESSION_HANDLE_INVALID)
		session_drop(h);
	return rv;
}

static CK_RV
fault_C_CloseAllSessions(CK_SLOT_ID slot)
{
	struct target t;
	slot_target(slot, &t);
	if (!token_removed(&t))
		hang("C_CloseAllSessions", &t);
	CK_RV rv = real->C_CloseAllSessions(slot);
	sessions_drop_slot(slot);
	return rv;
}

static CK_RV
fault_C_Login(CK_SESSION_HANDLE h, CK_USER_TYPE who, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
	struct target t;
	bool forwarded = false;
	CK_RV rv = enter_session("C_Login", h, &t);
	if (rv == CKR_OK) {
		if (who == CKU_SO) {
			forwarded = true;
			rv = real->C_Login(h, who, pin, len);
		} else {
			struct pin_call c = { .h = h, .who = who, .pin = pin, .pin_len = len };
			rv = pin_check(&t, &c, &forwarded);
		}
	}
	log_call("C_Login", &t, rv, user_name(who), forwarded);
	return rv;
}

static CK_RV
fault_C_SetPIN(CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR old_pin, CK_ULONG old_len,
	       CK_UTF8CHAR_PTR new_pin, CK_ULONG new_len)
{
	struct target t;
	bool forwarded = false, so = false;
	CK_RV rv = enter_session("C_SetPIN", h, &t);
	if (rv == CKR_OK) {
		CK_SESSION_INFO info;
		so = real->C_GetSessionInfo(h, &info) == CKR_OK && info.state == CKS_RW_SO_FUNCTIONS;
		if (so) {
			forwarded = true;
			rv = real->C_SetPIN(h, old_pin, old_len, new_pin, new_len);
		} else {
			struct pin_call c = { .h = h, .who = CKU_USER, .pin = old_pin,
					      .pin_len = old_len, .new_pin = new_pin,
					      .new_len = new_len, .set_pin = true };
			rv = pin_check(&t, &c, &forwarded);
		}
	}
	log_call("C_SetPIN", &t, rv, so ? "SO" : "USER", forwarded);
	return rv;
}

static CK_RV
fault_C_InitPIN(CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
	struct target t;
	bool forwarded = false;
	CK_RV rv = enter_session("C_InitPIN", h, &t);
	if (rv == CKR_OK) {
		forwarded = true;
		rv = real->C_InitPIN(h, pin, len);
		if (rv == CKR_OK && t.serial[0] && max_tries(t.serial)) {
			int lock = token_lock(t.serial);
			write_long(t.serial, "wrong-tries", 0);	/* unlocked */
			token_unlock(lock);
		}
	}
	log_call("C_InitPIN", &t, rv, "USER", forwarded);
	return rv;
}

/*
 * Every other call on a session: refused with CKR_DEVICE_REMOVED while the
 * token is out, may hang, otherwise forwarded untouched.
 */
#define SESSION_CALL(name, params, args)				\
	static CK_RV							\
	fault_##name params						\
	{								\
		struct target t;					\
		CK_RV rv = enter_session(#name, hSession, &t);		\
		return rv != CKR_OK ? rv : real->name args;		\
	}

SESSION_CALL(C_GetSessionInfo, (CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR a),
	     (hSession, a))
SESSION_CALL(C_GetOperationState,
	     (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG_PTR b), (hSession, a, b))
SESSION_CALL(C_SetOperationState,
	     (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG b, CK_OBJECT_HANDLE c,
	      CK_OBJECT_HANDLE d), (hSession, a, b, c, d))
SESSION_CALL(C_Logout, (CK_SESSION_HANDLE hSession), (hSession))
SESSION_CALL(C_CreateObject,
	     (CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR a, CK_ULONG b,
	      CK_OBJECT_HANDLE_PTR c), (hSession, a, b, c))
SESSION_CALL(C_CopyObject,
	     (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a, CK_ATTRIBUTE_PTR b, CK_ULONG c,
	      CK_OBJECT_HANDLE_PTR d), (hSession, a, b, c, d))
SESSION_CALL(C_DestroyObject, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a),
	     (hSession, a))
SESSION_CALL(C_GetObjectSize,
	     (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a, CK_ULONG_PTR b),
	     (hSession, a, b))
SESSION_CALL(C_GetAttributeValue,
	     (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a, CK_ATTRIBUTE_PTR b, CK_ULONG c),
	     (hSession, a, b, c))
SESSION_CALL(C_SetAttributeValue,
	     (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a, CK_ATTRIBUTE_PTR b, CK_ULONG c),
	     (hSession, a, b, c))
SESSION_CALL(C_FindObjectsInit,
	     (CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR a, CK_ULONG b), (hSession, a, b))
SESSION_CALL(C_FindObjects,
	     (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR a, CK_ULONG b, CK_ULONG_PTR c),
	     (hSession, a, b, c))
SESSION_CALL(C_FindObjectsFinal, (CK_SESSION_HANDLE hSession), (hSession))

/* The one-shot, update and final shapes shared by many operations. */
#define SESSION_INIT(name)						\
	SESSION_CALL(name, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a,	\
			    CK_OBJECT_HANDLE b), (hSession, a, b))
#define SESSION_INOUT(name)						\
	SESSION_CALL(name, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG b,	\
			    CK_BYTE_PTR c, CK_ULONG_PTR d), (hSession, a, b, c, d))
#define SESSION_IN(name)						\
	SESSION_CALL(name, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG b),	\
		     (hSession, a, b))
#define SESSION_OUT(name)						\
	SESSION_CALL(name, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG_PTR b),	\
		     (hSession, a, b))

SESSION_INIT(C_EncryptInit)
SESSION_INOUT(C_Encrypt)
SESSION_INOUT(C_EncryptUpdate)
SESSION_OUT(C_EncryptFinal)
SESSION_INIT(C_DecryptInit)
SESSION_INOUT(C_Decrypt)
SESSION_INOUT(C_DecryptUpdate)
SESSION_OUT(C_DecryptFinal)
SESSION_CALL(C_DigestInit, (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a), (hSession, a))
SESSION_INOUT(C_Digest)
SESSION_IN(C_DigestUpdate)
SESSION_CALL(C_DigestKey, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE a), (hSession, a))
SESSION_OUT(C_DigestFinal)
SESSION_INIT(C_SignInit)
SESSION_INOUT(C_Sign)
SESSION_IN(C_SignUpdate)
SESSION_OUT(C_SignFinal)
SESSION_INIT(C_SignRecoverInit)
SESSION_INOUT(C_SignRecover)
SESSION_INIT(C_VerifyInit)
SESSION_CALL(C_Verify,
	     (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG b, CK_BYTE_PTR c, CK_ULONG d),
	     (hSession, a, b, c, d))
SESSION_IN(C_VerifyUpdate)
SESSION_IN(C_VerifyFinal)
SESSION_INIT(C_VerifyRecoverInit)
SESSION_INOUT(C_VerifyRecover)
SESSION_INOUT(C_DigestEncryptUpdate)
SESSION_INOUT(C_DecryptDigestUpdate)
SESSION_INOUT(C_SignEncryptUpdate)
SESSION_INOUT(C_DecryptVerifyUpdate)
SESSION_CALL(C_GenerateKey,
	     (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a, CK_ATTRIBUTE_PTR b, CK_ULONG c,
	      CK_OBJECT_HANDLE_PTR d), (hSession, a, b, c, d))
SESSION_CALL(C_GenerateKeyPair,
	     (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a, CK_ATTRIBUTE_PTR b, CK_ULONG c,
	      CK_ATTRIBUTE_PTR d, CK_ULONG e, CK_OBJECT_HANDLE_PTR f, CK_OBJECT_HANDLE_PTR g),
	     (hSession, a, b, c, d, e, f, g))
SESSION_CALL(C_WrapKey,
	     (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b,
	      CK_OBJECT_HANDLE c, CK_BYTE_PTR d, CK_ULONG_PTR e), (hSession, a, b, c, d, e))
SESSION_CALL(C_UnwrapKey,
	     (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b, CK_BYTE_PTR c,
	      CK_ULONG d, CK_ATTRIBUTE_PTR e, CK_ULONG f, CK_OBJECT_HANDLE_PTR g),
	     (hSession, a, b, c, d, e, f, g))
SESSION_CALL(C_DeriveKey,
	     (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR a, CK_OBJECT_HANDLE b,
	      CK_ATTRIBUTE_PTR c, CK_ULONG d, CK_OBJECT_HANDLE_PTR e), (hSession, a, b, c, d, e))
SESSION_IN(C_SeedRandom)
SESSION_CALL(C_GenerateRandom, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR a, CK_ULONG b),
	     (hSession, a, b))
SESSION_CALL(C_GetFunctionStatus, (CK_SESSION_HANDLE hSession), (hSession))
SESSION_CALL(C_CancelFunction, (CK_SESSION_HANDLE hSession), (hSession))

/* ------------------------------------------------------------ loading */

static void
load(void)
{
	const char *path = getenv("KHOA_FAULT_MODULE");
	if (!path || !*path)
		path = DEFAULT_MODULE;
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		fprintf(stderr, "khoa-fault: cannot load %s: %s\n", path, dlerror());
		return;
	}
	CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(dl, "C_GetFunctionList");
	if (!get || get(&real) != CKR_OK || !real) {
		fprintf(stderr, "khoa-fault: %s: no usable C_GetFunctionList\n", path);
		real = NULL;
		return;
	}
	const char *dir = getenv("KHOA_FAULT_DIR");
	if (dir && *dir) {
		if (strlen(dir) >= sizeof(fault_dir_buf)) {
			fprintf(stderr, "khoa-fault: KHOA_FAULT_DIR too long\n");
			return;
		}
		fault_dir = strcpy(fault_dir_buf, dir);
	}

	fault_list = *real;
	fault_list.C_GetFunctionList = C_GetFunctionList;
#define HOOK(name)						\
	do {							\
		if (real->name)					\
			fault_list.name = fault_##name;		\
	} while (0)
	HOOK(C_Initialize);
	HOOK(C_Finalize);
	HOOK(C_GetInfo);
	HOOK(C_GetSlotList);
	HOOK(C_GetSlotInfo);
	HOOK(C_GetTokenInfo);
	HOOK(C_GetMechanismList);
	HOOK(C_GetMechanismInfo);
	HOOK(C_InitToken);
	HOOK(C_InitPIN);
	HOOK(C_SetPIN);
	HOOK(C_OpenSession);
	HOOK(C_CloseSession);
	HOOK(C_CloseAllSessions);
	HOOK(C_GetSessionInfo);
	HOOK(C_GetOperationState);
	HOOK(C_SetOperationState);
	HOOK(C_Login);
	HOOK(C_Logout);
	HOOK(C_CreateObject);
	HOOK(C_CopyObject);
	HOOK(C_DestroyObject);
	HOOK(C_GetObjectSize);
	HOOK(C_GetAttributeValue);
	HOOK(C_SetAttributeValue);
	HOOK(C_FindObjectsInit);
	HOOK(C_FindObjects);
	HOOK(C_FindObjectsFinal);
	HOOK(C_EncryptInit);
	HOOK(C_Encrypt);
	HOOK(C_EncryptUpdate);
	HOOK(C_EncryptFinal);
	HOOK(C_DecryptInit);
	HOOK(C_Decrypt);
	HOOK(C_DecryptUpdate);
	HOOK(C_DecryptFinal);
	HOOK(C_DigestInit);
	HOOK(C_Digest);
	HOOK(C_DigestUpdate);
	HOOK(C_DigestKey);
	HOOK(C_DigestFinal);
	HOOK(C_SignInit);
	HOOK(C_Sign);
	HOOK(C_SignUpdate);
	HOOK(C_SignFinal);
	HOOK(C_SignRecoverInit);
	HOOK(C_SignRecover);
	HOOK(C_VerifyInit);
	HOOK(C_Verify);
	HOOK(C_VerifyUpdate);
	HOOK(C_VerifyFinal);
	HOOK(C_VerifyRecoverInit);
	HOOK(C_VerifyRecover);
	HOOK(C_DigestEncryptUpdate);
	HOOK(C_DecryptDigestUpdate);
	HOOK(C_SignEncryptUpdate);
	HOOK(C_DecryptVerifyUpdate);
	HOOK(C_GenerateKey);
	HOOK(C_GenerateKeyPair);
	HOOK(C_WrapKey);
	HOOK(C_UnwrapKey);
	HOOK(C_DeriveKey);
	HOOK(C_SeedRandom);
	HOOK(C_GenerateRandom);
	HOOK(C_GetFunctionStatus);
	HOOK(C_CancelFunction);
	HOOK(C_WaitForSlotEvent);
#undef HOOK
	load_rv = CKR_OK;
}

EXPORT CK_RV
C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
	if (!list)
		return CKR_ARGUMENTS_BAD;
	pthread_once(&load_once, load);
	if (load_rv != CKR_OK)
		return load_rv;
	*list = fault_dir ? &fault_list : real;
	return CKR_OK;
}
