/* The log: stderr, or the journal under systemd (log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

void
log_event(json_object *event)
{
	json_object *details = NULL;
	const char *type = member_str(event, "type");
	const char *serial = member_str(event, "token_serial");
	const char *id = log_message_id(type);
	char message[512], fields[4][96];
	int n = 0;

	json_object_object_get_ex(event, "details", &details);
	/* The certificate and the request an event is about, by its kind. */
	const char *cert = member_str(details, "certificate");
	if (!cert && type && strncmp(type, "certificate.", 12) == 0)
		cert = member_str(details, "serial");
	long long request = member_int(details, "request");
	if (!request && type && strstr(type, "request."))
		request = member_int(details, "id");

	snprintf(message, sizeof(message), "%s%s%s%s%s", type ? type : "event",
		 serial ? " token " : "", serial ? serial : "", cert ? " certificate " : "",
		 cert ? cert : "");
	if (request)
		snprintf(message + strlen(message), sizeof(message) - strlen(message),
			 " request %lld", request);
	if (!to_journal()) {
		if (verbose)
			fprintf(stderr, "khoad: event %s\n", message);
		return;
	}
	/* Optional fields: an empty "KEY=" is not sent. */
	snprintf(fields[n++], sizeof(fields[0]), "TOKEN_SERIAL=%s", serial ? serial : "");
	snprintf(fields[n++], sizeof(fields[0]), "CERT_SERIAL=%s", cert ? cert : "");
	snprintf(fields[n++], sizeof(fields[0]), "REQUEST_ID=%lld", request);
	snprintf(fields[n++], sizeof(fields[0]), "MESSAGE_ID=%s", id ? id : "");
	sd_journal_send("MESSAGE=%s", message, "PRIORITY=%d", LOG_INFO,
			"SYSLOG_IDENTIFIER=khoad", "KHOA_EVENT=%s", type ? type : "",
			"KHOA_EVENT_ID=%lld", member_int(event, "id"),
			"%s", serial ? fields[0] : "KHOA_NO_TOKEN=1",
			"%s", cert ? fields[1] : "KHOA_NO_CERT=1",
			"%s", request ? fields[2] : "KHOA_NO_REQUEST=1",
			"%s", id ? fields[3] : "KHOA_NO_MESSAGE_ID=1", NULL);
}
