/* khoa: global options, the command table and its help. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "config.h"
#include "i18n.h"
#include "language.h"
#include "table.h"

static const struct command *const commands[] = {
	&cmd_tokens,
	&cmd_token,
	&cmd_certs,
	&cmd_expiring,
	&cmd_rescan,
	&cmd_status,
	&cmd_register,
	&cmd_unregister,
	&cmd_confirm,
	&cmd_history,
	&cmd_watch,
	&cmd_org,
	&cmd_person,
	&cmd_pin,
	&cmd_pin_request,
	&cmd_request,
	&cmd_report,
	&cmd_tray,
	&cmd_handover,
	&cmd_custody,
	&cmd_seal,
	&cmd_manager_change,
	&cmd_print,
	&cmd_audit,
	&cmd_incident,
	&cmd_due,
	NULL
};

/* --width N: true having set it, else false having said why. */
static bool
width_option(const char *text)
{
	char *end;
	errno = 0;
	unsigned long width = strtoul(text, &end, 10);
	if (*text < '0' || *text > '9' || *end || errno || width > 100000) {
		fprintf(stderr, _("%s: --%s takes a whole number (0, 1, 2…), not '%s'\n"), "khoa",
			"width", text);
		return false;
	}
	table_set_width(width);
	return true;
}

static void
usage(FILE *out)
{
	fprintf(out, _("Usage: %s [--socket PATH] [--json] [--width N] COMMAND [ARGS]\n"
		       "Show the signing tokens and certificates that khoad sees, and keep\n"
		       "the registry of who holds them.\n\n"), "khoa");
	fprintf(out, "%s\n", _("Commands:"));
	command_list(commands, out);
	fprintf(out, "\n%s\n", _("Options:"));
	fprintf(out, _("  -s, --socket PATH      talk to khoad on PATH (default %s,\n"
		       "                         or $KHOA_SOCKET)\n"
		       "  -j, --json             print the daemon's answer as JSON\n"
		       "  -w, --width N          fit tables to N columns (0: no limit); by default\n"
		       "                         the terminal's width, or $COLUMNS, else no limit\n"
		       "  -h, --help             show this help and exit\n"
		       "  -V, --version          show the version and exit\n\n"),
		KHOA_DEFAULT_SOCKET);
	fprintf(out, "%s\n", _("Exit status: 0 success, 1 the daemon refused or failed, "
			       "2 the daemon could not be reached, 64 wrong usage."));
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "width", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct client cl = { .socket = getenv("KHOA_SOCKET") };
	int c;

	/* The version is a number: nothing to translate, so no locale to read
	 * (what a script asking for it should not pay for). */
	if (argc == 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("khoa %s\n", VERSION);
		return EXIT_OK;
	}
	language_setup();
	if (!cl.socket || !*cl.socket)
		cl.socket = KHOA_DEFAULT_SOCKET;

	/* "+": options after the command belong to the command */
	while ((c = getopt_long(argc, argv, "+s:jw:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			cl.socket = optarg;
			break;
		case 'j':
			cl.json = true;
			break;
		case 'w':
			if (!width_option(optarg))
				return EXIT_USAGE;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("khoa %s\n", VERSION);
			return EXIT_OK;
		default:
			fprintf(stderr, _("Try '%s --help' for more information.\n"), "khoa");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}

	const char *name = argv[optind];
	for (const struct command *const *cmd = commands; *cmd; cmd++) {
		if (strcmp((*cmd)->name, name) != 0)
			continue;
		if (optind + 1 < argc && (strcmp(argv[optind + 1], "--help") == 0 ||
					  strcmp(argv[optind + 1], "-h") == 0)) {
			command_usage(*cmd, stdout);
			return EXIT_OK;
		}
		int r = command_run(&cl, *cmd, argc - optind, argv + optind);
		varlink_close(cl.conn);
		return r;
	}
	fprintf(stderr, _("khoa: unknown command '%s'\n"), name);
	fprintf(stderr, _("Try '%s --help' for more information.\n"), "khoa");
	return EXIT_USAGE;
}
