/* khoa watch: the events as they happen, one line each, until Ctrl-C. */
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "client.h"
#include "event.h"
#include "format.h"
#include "i18n.h"
#include "options.h"

static const struct param_option watch_options[] = {
	{ "since", "since", OPTION_ID },
	{ "serial", "serial", OPTION_TEXT },
	{ NULL, NULL, 0 }
};

static void
print_event(const struct client *cl, json_object *answer)
{
	json_object *ev = NULL;
	char when[32], what[512], details[1024];

	json_object_object_get_ex(answer, "event", &ev);
	if (cl->json) {
		puts(json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	} else {
		const char *serial = jstr(ev, "token_serial");
		const char *d = event_details(ev, details, sizeof(details));
		printf("%s  %-16s  %s  (%s)%s%s\n", event_time(ev, when, sizeof(when)),
		       *serial ? serial : "-", event_what(ev, what, sizeof(what)),
		       event_actor(ev), *d ? "  " : "", d);
	}
	fflush(stdout);
}

int
client_stop_signals(sigset_t *old)
{
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, old) < 0)
		return -1;
	int fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		sigprocmask(SIG_SETMASK, old, NULL);
	return fd;
}

void
client_stop_signals_end(int fd, const sigset_t *old)
{
	struct signalfd_siginfo si;
	if (fd < 0)
		return;
	while (read(fd, &si, sizeof(si)) == sizeof(si))
		;
	close(fd);
	sigprocmask(SIG_SETMASK, old, NULL);
}

static int
run_watch(struct client *cl, int argc, char **argv)
{
	json_object *params = param_new(), *answer;
	sigset_t old;
	bool continues = true;
	int first, r;

	enum options_result o = options_parse(&cmd_watch, "khoa watch", argc, argv, watch_options,
					      params, "", 0, 0, &first);
	if (o != OPTIONS_OK) {
		json_object_put(params);
		return options_exit(o);
	}
	int stop = client_stop_signals(&old);
	if ((r = client_stream_open(cl, "io.khoa.Events.Watch", params)) != EXIT_OK)
		goto out;
	if (!cl->json)
		fprintf(stderr, "%s\n", _("Watching for events (Ctrl-C to stop)…"));
	while (continues) {
		if ((r = client_stream_next(cl, stop, &answer, &continues)) != EXIT_OK)
			break;
		if (!answer)	/* a signal: the user is done */
			break;
		print_event(cl, answer);
		json_object_put(answer);
	}
out:
	client_stop_signals_end(stop, &old);
	return r;
}

const struct command cmd_watch = {
	.name = "watch",
	.args = N_("[--since ID] [--serial SERIAL]"),
	.help = N_("print the events as they happen, until Ctrl-C"),
	.run = run_watch,
	.usage = N_("Prints one line per event as khoad sees it: tokens plugged in and removed,\n"
		    "PIN and certificate changes, registrations, changes to the registry.\n"
		    "With --json, each event is one JSON object on its own line.\n"
		    "\n"
		    "  --since ID           first the recorded events after event ID\n"
		    "  --serial SERIAL      only the events of this token\n"),
};
