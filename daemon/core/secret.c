/* PINs in locked, wiped memory. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "log.h"
#include "secret.h"

struct secret {
	char *buf;	/* one locked allocation, NUL-terminated */
	size_t len, cap;
};

struct secret *
secret_take(json_object *params, const char *key, bool *enomem)
{
	json_object *v;
	*enomem = false;
	if (!params || !json_object_object_get_ex(params, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;

	char *text = (char *)json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);
	long page = sysconf(_SC_PAGESIZE);
	size_t cap = ((len + 1 + (size_t)page - 1) / (size_t)page) * (size_t)page;
	struct secret *s = calloc(1, sizeof(*s));
	if (!s || posix_memalign((void **)&s->buf, (size_t)page, cap) != 0) {
		free(s);
		OPENSSL_cleanse(text, len);
		*enomem = true;
		return NULL;
	}
	if (mlock(s->buf, cap) < 0)
		log_debug("cannot lock a PIN in memory: %m");	/* RLIMIT_MEMLOCK */
	s->cap = cap;
	s->len = len;
	memcpy(s->buf, text, len);
	s->buf[len] = '\0';
	/* The message's copy goes; the parameters object keeps an empty one. */
	OPENSSL_cleanse(text, len);
	return s;
}

const char *
secret_str(const struct secret *s)
{
	return s->buf;
}

size_t
secret_len(const struct secret *s)
{
	return s->len;
}

void
secret_free(struct secret *s)
{
	if (!s)
		return;
	OPENSSL_cleanse(s->buf, s->cap);
	munlock(s->buf, s->cap);
	free(s->buf);
	free(s);
}

/* libevent's buffers (a client's input is read into them first) wiped
 * before they go back to the allocator. */
static void
wiping_free(void *p)
{
	if (p)
		OPENSSL_cleanse(p, malloc_usable_size(p));
	free(p);
}

static void *
wiping_realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	if (n == 0) {
		wiping_free(p);
		return NULL;
	}
	void *q = malloc(n);
	if (!q)
		return NULL;
	size_t old = malloc_usable_size(p);
	memcpy(q, p, old < n ? old : n);
	wiping_free(p);
	return q;
}

void
secret_wipe_event_buffers(void)
{
	event_set_mem_functions(malloc, wiping_realloc, wiping_free);
}
