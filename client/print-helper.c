/* Running khoa-print with a record on its standard input: see print-helper.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "config.h"
#include "format.h"
#include "i18n.h"
#include "print-helper.h"
#include "table.h"

static const char *
helper_path(void)
{
	const char *path = getenv("KHOA_PRINT_HELPER");
	return path && *path ? path : KHOA_PRINT_HELPER;
}

/* TEXT to FD whole; false when the helper stopped reading (it says why). */
static bool
write_all(int fd, const char *text, size_t len)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old;
	bool ok = true;

	/* A helper that exits early closes the pipe: EPIPE, not a signal. */
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGPIPE, &ignore, &old);
	while (len > 0) {
		ssize_t n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ok = false;
			break;
		}
		text += n;
		len -= (size_t)n;
	}
	sigaction(SIGPIPE, &old, NULL);
	return ok;
}

/* The helper's status as khoa's, saying what the helper could not. */
static int
helper_status(const char *prog, const char *path, int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus) == 0 ? EXIT_OK : EXIT_ERROR_REPLY;
	if (WIFSIGNALED(wstatus))
		/* TRANSLATORS: the helper program, and the signal that ended it. */
		fprintf(stderr, _("%s: %s was ended by signal %d (%s)\n"), prog, path,
			WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
	return EXIT_ERROR_REPLY;
}

int
print_helper_run(const char *prog, const char *form, json_object *record, json_object *header,
		 json_object *opts)
{
	static const struct { const char *option, *key; bool in_header; } passed[] = {
		{ "--format", "format", false },
		{ "--output", "output", false },
		{ "--place", "place", false },
		{ "--number", "number", false },
		{ "--agency", "agency", true },
		{ "--managing-agency", "managing_agency", true },
	};
	const char *path = helper_path();
	char *argv[3 + 2 * sizeof(passed) / sizeof(*passed)];
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	sigset_t defaults;
	size_t n = 0;
	int pipefd[2], r, wstatus;
	pid_t pid;

	argv[n++] = (char *)prog;
	argv[n++] = (char *)form;
	for (size_t i = 0; i < sizeof(passed) / sizeof(*passed); i++) {
		const char *value = jstr(passed[i].in_header ? header : opts, passed[i].key);
		if (*value) {
			argv[n++] = (char *)passed[i].option;
			argv[n++] = (char *)value;
		}
	}
	argv[n] = NULL;

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		fprintf(stderr, _("%s: cannot run %s: %s\n"), prog, path, strerror(errno));
		return EXIT_ERROR_REPLY;
	}
	/* The helper reads the record on its standard input, and gets SIGPIPE
	 * back in its default way should khoa have it ignored. */
	if ((r = posix_spawn_file_actions_init(&actions)) != 0 ||
	    (r = posix_spawn_file_actions_adddup2(&actions, pipefd[0], STDIN_FILENO)) != 0 ||
	    (r = posix_spawnattr_init(&attr)) != 0)
		die_oom();
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	/* What khoa said so far comes before what the helper says. */
	fflush(stdout);
	fflush(stderr);
	r = posix_spawn(&pid, path, &actions, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attr);
	close(pipefd[0]);
	if (r != 0) {
		close(pipefd[1]);
		if (r == ENOENT)
			/* TRANSLATORS: khoa-print renders the forms; the path where
			   khoa looked for it. */
			fprintf(stderr, _("%s: khoa-print is not installed at %s\n"), prog, path);
		else
			fprintf(stderr, _("%s: cannot run %s: %s\n"), prog, path, strerror(r));
		return EXIT_ERROR_REPLY;
	}

	size_t len;
	const char *text = json_object_to_json_string_length(record, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (!text)
		die_oom();
	write_all(pipefd[1], text, len);
	close(pipefd[1]);
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, _("%s: cannot run %s: %s\n"), prog, path, strerror(errno));
			return EXIT_ERROR_REPLY;
		}
	}
	return helper_status(prog, path, wstatus);
}
