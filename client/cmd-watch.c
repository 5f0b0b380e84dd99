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
	{ "since", "since", OPTION_ID, NC_("metavar", "ID"),
	  N_("first the recorded events after event ID"), OPTION_OPTIONAL },
	{ "serial", "serial", OPTION_TEXT, NC_("metavar", "SERIAL"),
	  N_("only the events of this token"), OPTION_OPTIONAL },
	{ NULL }
};

static void
print_event(const struct client *cl, json_object *answer)
{
	json_object *ev = NULL;
	char when[32], what[2048];

	json_object_object_get_ex(answer, "event", &ev);
	if (cl->json)
		puts(json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		printf("%s  %s\n", event_time(ev, when, sizeof(when)),
		       event_sentence(ev, what, sizeof(what)));
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
run_watch(struct client *cl, const char *prog, json_object *params, int argc, char **argv)
{
	json_object *answer;
	sigset_t old;
	bool continues = true;
	int r;

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
	.help = N_("print the events as they happen, until Ctrl-C"),
	.about = N_("Prints one line per event as khoad sees it, its time and a sentence: who did\n"
		    "what to which token (plugged in, removed, PIN tried, registered, handed\n"
		    "over, checked out like the seal, requests and their steps…).\n"
		    "With --json, each event is one JSON object on its own line.\n"),
	.is = { .options = watch_options, .run = run_watch },
};
