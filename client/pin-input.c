/* PINs: read without echo or from --pin-fd, kept in locked memory, sent in
 * a call built there, and wiped. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#include "i18n.h"
#include "pin-input.h"

/* Room for three PINs and the call that carries two, escaped (6 bytes a
 * byte at worst), with the method's name and a serial. */
#define ARENA_SIZE (16 * 1024)

struct pins {
	char *mem;		/* ARENA_SIZE bytes, mmap'd */
	size_t used;
	bool locked;		/* mlock'd */
	int fd;			/* --pin-fd, or -1: the terminal */
};

/* The signal that stopped a prompt; raised again once the PINs are wiped. */
static volatile sig_atomic_t caught_signal;

static void
on_signal(int sig)
{
	caught_signal = sig;
}

struct pins *
pins_new(int pin_fd)
{
	struct pins *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->mem = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p->mem == MAP_FAILED) {
		free(p);
		return NULL;
	}
	/* Not swapped out (when the limit on locked memory allows), not in a
	 * core dump, and no other process of the user may read it (ptrace). */
	p->locked = mlock(p->mem, ARENA_SIZE) == 0;
	madvise(p->mem, ARENA_SIZE, MADV_DONTDUMP);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	p->fd = pin_fd;
	return p;
}

static void
pins_wipe(void *arg)
{
	struct pins *p = arg;
	explicit_bzero(p->mem, ARENA_SIZE);
	p->used = 0;
}

void
pins_free(struct pins *p)
{
	if (p) {
		pins_wipe(p);
		if (p->locked)
			munlock(p->mem, ARENA_SIZE);
		munmap(p->mem, ARENA_SIZE);
		free(p);
	}
	if (caught_signal) {
		int sig = caught_signal;
		caught_signal = 0;
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

/* SIZE bytes of the arena, or NULL when it is full. */
static char *
arena_take(struct pins *p, size_t size)
{
	if (size > ARENA_SIZE - p->used)
		return NULL;
	char *mem = p->mem + p->used;
	p->used += size;
	return mem;
}

/* One line from FD into BUF (SIZE bytes), a byte at a time: nothing of the
 * input is left in a stdio buffer. The length, or a negative errno. */
static int
read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;
	bool too_long = false;

	for (;;) {
		char c;
		ssize_t n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR && !caught_signal)
			continue;
		if (n < 0) {
			int err = errno;
			explicit_bzero(&c, 1);
			return caught_signal ? -EINTR : -err;
		}
		if (n == 0 && len == 0 && !too_long)
			return -ENODATA;
		if (n == 0 || c == '\n')
			break;
		if (len + 1 < size)
			buf[len++] = c;
		else
			too_long = true;
		explicit_bzero(&c, 1);
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	if (too_long) {
		explicit_bzero(buf, size);
		return -EMSGSIZE;
	}
	return (int)len;
}

/* A line from the terminal, the echo off while it is typed, as readpassphrase
 * does: a signal at the prompt gives the terminal back before it acts. */
static int
read_terminal(const char *prompt, char *buf, size_t size)
{
	static const int signals[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU };
	struct sigaction sa = { .sa_handler = on_signal }, old_sa[7];
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0 || tcgetattr(fd, &old) < 0) {
		if (fd >= 0)
			close(fd);
		return -ENXIO;
	}
	sigemptyset(&sa.sa_mask);	/* no SA_RESTART: read() returns */
	for (size_t i = 0; i < sizeof(signals) / sizeof(*signals); i++)
		sigaction(signals[i], &sa, &old_sa[i]);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	if (write(fd, prompt, strlen(prompt)) < 0) {
		/* the prompt is a courtesy; the PIN can still be read */
	}
	int r = read_line(fd, buf, size);
	tcsetattr(fd, TCSAFLUSH, &old);
	if (r == -ENODATA || r == -EINTR) {
		/* the newline the user did not type */
		if (write(fd, "\n", 1) < 0) {
		}
	}
	for (size_t i = 0; i < sizeof(signals) / sizeof(*signals); i++)
		sigaction(signals[i], &old_sa[i], NULL);
	close(fd);
	return r;
}

int
pins_read(struct pins *p, const char *prompt, const char **pin)
{
	char *buf = arena_take(p, PIN_MAX + 1);
	if (!buf)
		return -ENOBUFS;
	int r = p->fd < 0 ? read_terminal(prompt, buf, PIN_MAX + 1)
			  : read_line(p->fd, buf, PIN_MAX + 1);
	if (r < 0)
		return r;
	*pin = buf;
	return 0;
}

int
pins_read_new(struct pins *p, const char *prompt, const char *again, const char **pin)
{
	if (p->fd >= 0)
		return pins_read(p, prompt, pin);
	for (int attempt = 0; attempt < 3; attempt++) {
		const char *first, *second;
		int r;
		if ((r = pins_read(p, prompt, &first)) < 0 || (r = pins_read(p, again, &second)) < 0)
			return r;
		bool same = strcmp(first, second) == 0;
		explicit_bzero((char *)second, PIN_MAX + 1);
		p->used -= PIN_MAX + 1;
		if (same) {
			*pin = first;
			return 0;
		}
		explicit_bzero((char *)first, PIN_MAX + 1);
		p->used -= PIN_MAX + 1;
		fprintf(stderr, "%s\n", _("The two new PINs differ; type them again."));
	}
	return -EINVAL;
}

bool
pins_ascii(const char *pin)
{
	for (const unsigned char *c = (const unsigned char *)pin; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			return false;
	return true;
}

void
pins_read_failed(const char *prog, int r)
{
	switch (r) {
	case -ENXIO:
		fprintf(stderr, _("%s: there is no terminal to ask the PIN on; give the PINs "
				  "with --pin-fd N\n"), prog);
		break;
	case -ENODATA:
		fprintf(stderr, _("%s: no PIN was given\n"), prog);
		break;
	case -EMSGSIZE:
		fprintf(stderr, _("%s: the PIN is longer than %d characters\n"), prog, PIN_MAX);
		break;
	case -EINVAL:
		fprintf(stderr, _("%s: the new PINs did not match; nothing was changed\n"), prog);
		break;
	case -EINTR:
		break;	/* Ctrl-C: the user knows */
	case -ENOBUFS:
		fprintf(stderr, "%s: %s\n", prog, _("out of memory"));
		break;
	default:
		fprintf(stderr, _("%s: cannot read the PIN: %s\n"), prog, strerror(-r));
		break;
	}
}

/* ----- the call's text ----- */

struct writer {
	char *buf;
	size_t size, len;
	bool full;
};

static void
put(struct writer *w, const char *s, size_t n)
{
	if (w->full || n > w->size - w->len) {
		w->full = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void
put_str(struct writer *w, const char *s)
{
	put(w, s, strlen(s));
}

/* S as a JSON string. */
static void
put_json_string(struct writer *w, const char *s)
{
	char esc[8];

	put(w, "\"", 1);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*c;
			put(w, esc, 2);
		} else if (*c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", *c);
			put(w, esc, 6);
		} else {
			put(w, (const char *)c, 1);
		}
	}
	explicit_bzero(esc, sizeof(esc));
	put(w, "\"", 1);
}

int
pins_call(struct client *cl, struct pins *p, const char *method,
	  const struct pin_param *params, json_object **out)
{
	size_t room = ARENA_SIZE - p->used;
	struct writer w = { .buf = arena_take(p, room), .size = room };

	put_str(&w, "{\"method\":");
	put_json_string(&w, method);
	put_str(&w, ",\"parameters\":{");
	for (const struct pin_param *q = params; q->key; q++) {
		if (q != params)
			put(&w, ",", 1);
		put_json_string(&w, q->key);
		put(&w, ":", 1);
		if (q->str)
			put_json_string(&w, q->str);
		else
			put_str(&w, q->literal);
	}
	put(&w, "}}", 3);	/* with the NUL that ends a message */
	if (!w.buf || w.full) {
		pins_wipe(p);
		*out = NULL;
		fprintf(stderr, "khoa: %s\n", _("out of memory"));
		return EXIT_ERROR_REPLY;
	}
	return client_call_text(cl, w.buf, w.len, pins_wipe, p, out);
}
