/*
 * khoa-fault.so's control directory (KHOA_FAULT_DIR): paths, counts read and
 * replaced atomically, the per-token lock, the lines of calls.log and
 * hangs.log, and the user-PIN counter kept in SERIAL.max-tries and
 * SERIAL.wrong-tries.  See fault.h and tests/fault/README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

#include <p11-kit/pkcs11.h>

#include "fault.h"

/* ------------------------------------------------------------ files */

bool
fault_path(char *buf, size_t size, const char *key, const char *suffix)
{
	int n = snprintf(buf, size, "%s/%s.%s", fault_dir, key, suffix);
	return n > 0 && (size_t)n < size;
}

bool
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
void
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
int
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

void
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
void
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
void
log_hang(const char *what, const char *fn, const char *key, const char *how)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "%s %s %s%s%s\n", what, fn, key, how ? " " : "",
			 how ? how : "");
	if ((size_t)n < sizeof(line))
		append_line("hangs", line, n);
}

/* ------------------------------------------------------- PIN counter */

/* DIR/SERIAL.max-tries, or 0 when lockout is off for that token. */
long
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

void
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

static CK_RV
pin_forward(const struct pin_call *c)
{
	if (c->set_pin)
		return real->C_SetPIN(c->h, c->pin, c->pin_len, c->new_pin, c->new_len);
	return real->C_Login(c->h, c->who, c->pin, c->pin_len);
}

/* The user-PIN check described at struct pin_call in fault.h. */
CK_RV
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
