/* The log: stderr, or the journal under systemd (log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "log.h"

static bool verbose;

void
log_set_verbose(bool v)
{
	verbose = v;
}

/* Whether stderr is the journal: JOURNAL_STREAM is "DEVICE:INODE" of it
 * (systemd.exec(5)); a child that inherited the variable but not the
 * stream writes to stderr. */
static bool
to_journal(void)
{
	static int journal = -1;
	if (journal < 0) {
		const char *e = getenv("JOURNAL_STREAM");
		unsigned long long dev, ino;
		struct stat st;
		journal = e && sscanf(e, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &st) == 0 &&
			  (unsigned long long)st.st_dev == dev &&
			  (unsigned long long)st.st_ino == ino;
	}
	return journal;
}

static void
vlog(int prio, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (to_journal() && sd_journal_send("MESSAGE=%s", line, "PRIORITY=%d", prio,
					    "SYSLOG_IDENTIFIER=khoad", NULL) >= 0)
		return;
	/* One fprintf per line keeps lines from two threads whole. */
	fprintf(stderr, "khoad: %s%s\n",
		prio <= LOG_ERR ? "error: " : prio == LOG_WARNING ? "warning: " : "", line);
}

#define DEFINE_LOG(fn, prio, cond)			\
	void fn(const char *fmt, ...)			\
	{						\
		if (!(cond))				\
			return;				\
		va_list ap;				\
		va_start(ap, fmt);			\
		vlog(prio, fmt, ap);			\
		va_end(ap);				\
	}

void
log_info_id(const char *type, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (to_journal() && sd_journal_send("MESSAGE=%s", line, "PRIORITY=%d", LOG_INFO,
					    "SYSLOG_IDENTIFIER=khoad", "MESSAGE_ID=%s",
					    log_message_id(type), NULL) >= 0)
		return;
	fprintf(stderr, "khoad: %s\n", line);
}

DEFINE_LOG(log_error, LOG_ERR, true)
DEFINE_LOG(log_warning, LOG_WARNING, true)
DEFINE_LOG(log_info, LOG_INFO, true)
DEFINE_LOG(log_debug, LOG_DEBUG, verbose)

const char *
log_message_id(const char *type)
{
	for (const struct log_message_id *m = log_message_ids; type && m->type; m++)
		if (strcmp(m->type, type) == 0)
			return m->id;
	return NULL;
}

static const char *
member_str(json_object *obj, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static long long
member_int(json_object *obj, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_int))
		return 0;
	return (long long)json_object_get_int64(v);
}

/* Adds "KEY=VALUE" to the entry being built when VALUE is given. */
static void
add_field(struct iovec *iov, int *n, char *buf, size_t size, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	snprintf(buf, size, "%s=%s", key, value);
	iov[(*n)++] = (struct iovec){ .iov_base = buf, .iov_len = strlen(buf) };
}

/* The events Sở TT&TT must act on (issue 16): warnings, not news. */
static bool
is_alert(const char *type)
{
	static const char *const alerts[] = {
		"token.lost", "token.damaged", "token.found", "certificate.term_exceeded",
		"certificate.revocation_due", "token.return_overdue", NULL,
	};
	for (const char *const *a = alerts; type && *a; a++)
		if (strcmp(*a, type) == 0)
			return true;
	return false;
}

void
log_event(json_object *event)
{
	json_object *details = NULL;
	const char *type = member_str(event, "type");
	const char *serial = member_str(event, "token_serial");
	char message[512], request_text[24] = "", event_id[24];
	char f[9][600];
	struct iovec iov[9];
	int n = 0;

	json_object_object_get_ex(event, "details", &details);
	/* The certificate and the request an event is about, by its kind. */
	const char *cert = member_str(details, "certificate");
	if (!cert && type && strncmp(type, "certificate.", 12) == 0)
		cert = member_str(details, "serial");
	long long request = member_int(details, "request");
	if (!request)
		request = member_int(details, "request_id");
	if (!request && type && strstr(type, "request."))
		request = member_int(details, "id");
	if (request)
		snprintf(request_text, sizeof(request_text), "%lld", request);

	snprintf(message, sizeof(message), "%s%s%s%s%s%s%s", type ? type : "event",
		 serial ? " token " : "", serial ? serial : "", cert ? " certificate " : "",
		 cert ? cert : "", request ? " request " : "", request_text);
	/* an event that says the record cannot be trusted is an error, and
	 * says why */
	bool error = type && strcmp(type, "audit.broken") == 0;
	if (error && member_str(details, "summary"))
		snprintf(message, sizeof(message), "%s: %s", type, member_str(details, "summary"));
	if (!to_journal()) {
		if (verbose || error)
			fprintf(stderr, "khoad: %sevent %s\n", error ? "error: " : "", message);
		return;
	}
	snprintf(event_id, sizeof(event_id), "%lld", member_int(event, "id"));
	add_field(iov, &n, f[n], sizeof(f[0]), "MESSAGE", message);
	/* LOG_ERR, LOG_WARNING, LOG_INFO */
	add_field(iov, &n, f[n], sizeof(f[0]), "PRIORITY", error ? "3" : is_alert(type) ? "4" : "6");
	add_field(iov, &n, f[n], sizeof(f[0]), "SYSLOG_IDENTIFIER", "khoad");
	add_field(iov, &n, f[n], sizeof(f[0]), "MESSAGE_ID", log_message_id(type));
	add_field(iov, &n, f[n], sizeof(f[0]), "KHOA_EVENT", type);
	add_field(iov, &n, f[n], sizeof(f[0]), "KHOA_EVENT_ID", event_id);
	add_field(iov, &n, f[n], sizeof(f[0]), "TOKEN_SERIAL", serial);
	add_field(iov, &n, f[n], sizeof(f[0]), "CERT_SERIAL", cert);
	add_field(iov, &n, f[n], sizeof(f[0]), "REQUEST_ID", request_text);
	sd_journal_sendv(iov, n);
}
