/* Logging to stderr, with journald priority prefixes under systemd. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

#include "log.h"

static bool verbose;

void
log_set_verbose(bool v)
{
	verbose = v;
}

static void
vlog(int prio, const char *fmt, va_list ap)
{
	static int journal = -1;
	if (journal < 0)
		journal = getenv("JOURNAL_STREAM") != NULL;

	/* One fprintf per line keeps lines from two threads whole. */
	char line[1024];
	vsnprintf(line, sizeof(line), fmt, ap);
	if (journal)
		fprintf(stderr, "<%d>%s\n", prio, line);
	else
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
