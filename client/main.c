/* khoa: global options, the command table, calls and error reporting. */
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "config.h"
#include "errors.h"
#include "format.h"
#include "i18n.h"
#include "message.h"

#define REPLY_TIMEOUT_S 90	/* longer than khoad's rescan timeout */

static const struct command *const commands[] = {
	&cmd_tokens,
	&cmd_token,
	&cmd_certs,
	&cmd_rescan,
	&cmd_status,
	NULL
};

static void
usage(FILE *out)
{
	fprintf(out, _("Usage: %s [--socket PATH] [--json] COMMAND [ARGS]\n"
		       "Show the signing tokens and certificates that khoad sees.\n\n"), "khoa");
	fprintf(out, "%s\n", _("Commands:"));
	for (const struct command *const *c = commands; *c; c++) {
		char left[64];
		snprintf(left, sizeof(left), "%s %s", (*c)->name, (*c)->args ? _((*c)->args) : "");
		fprintf(out, "  %-22s %s\n", left, _((*c)->help));
	}
	fprintf(out, "\n%s\n", _("Options:"));
	fprintf(out, _("  -s, --socket PATH      talk to khoad on PATH (default %s,\n"
		       "                         or $KHOA_SOCKET)\n"
		       "  -j, --json             print the daemon's answer as JSON\n"
		       "  -h, --help             show this help and exit\n"
		       "  -V, --version          show the version and exit\n\n"),
		KHOA_DEFAULT_SOCKET);
	fprintf(out, "%s\n", _("Exit status: 0 success, 1 the daemon refused or failed, "
			       "2 the daemon could not be reached, 64 wrong usage."));
}

int
client_show(struct client *cl, const char *method, json_object *params,
	    void (*human)(struct client *cl, json_object *answer))
{
	json_object *answer;
	int r = client_call(cl, method, params, &answer);
	if (r != EXIT_OK)
		return r;
	if (cl->json)
		puts(json_object_to_json_string_ext(answer, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_SPACED |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		human(cl, answer);
	json_object_put(answer);
	return EXIT_OK;
}

int
client_no_arguments(int argc, char **argv)
{
	if (argc <= 1)
		return EXIT_OK;
	fprintf(stderr, _("khoa %s: unexpected argument '%s'\n"), argv[0], argv[1]);
	return EXIT_USAGE;
}

/* An error reply in the user's language: known errors by name, with their
 * parameters; others with the daemon's own (English) message. */
static void
print_error(const char *error, json_object *p)
{
	const char *msg = jstr(p, "message");

	if (strcmp(error, KHOA_ERROR_NO_SUCH_TOKEN) == 0)
		fprintf(stderr, _("khoa: no token with serial %s is present\n"), jstr(p, "serial"));
	else if (strcmp(error, KHOA_ERROR_PERMISSION_DENIED) == 0)
		fprintf(stderr, _("khoa: permission denied: this needs the role %s\n"),
			jstr(p, "role"));
	else if (strcmp(error, KHOA_ERROR_TIMEOUT) == 0)
		fprintf(stderr, _("khoa: a token did not answer within %d seconds\n"),
			(int)jint(p, "seconds"));
	else if (strcmp(error, KHOA_ERROR_TOO_MANY_CLIENTS) == 0)
		fprintf(stderr, _("khoa: khoad has too many clients (%d); try again later\n"),
			(int)jint(p, "limit"));
	else if (strcmp(error, VARLINK_ERROR_METHOD_NOT_FOUND) == 0 ||
		 strcmp(error, VARLINK_ERROR_INTERFACE_NOT_FOUND) == 0)
		fprintf(stderr, _("khoa: this khoad does not know %s; is it older than khoa %s?\n"),
			*jstr(p, "method") ? jstr(p, "method") : jstr(p, "interface"), VERSION);
	else if (strcmp(error, VARLINK_ERROR_INVALID_PARAMETER) == 0)
		fprintf(stderr, _("khoa: khoad refused the parameter %s\n"), jstr(p, "parameter"));
	else
		fprintf(stderr, _("khoa: %s: %s\n"), error, *msg ? msg : _("(no message)"));
}

static int
unreachable(const struct client *cl, int err)
{
	fprintf(stderr, _("khoa: cannot reach khoad at %s: %s\n"), cl->socket, strerror(err));
	fprintf(stderr, "%s\n", _("Is khoad running? Start it (systemctl start khoad), or name its "
				  "socket with --socket or KHOA_SOCKET."));
	return EXIT_UNREACHABLE;
}

int
client_call(struct client *cl, const char *method, json_object *params, json_object **out)
{
	json_object *reply;
	struct khoa_reply parsed;
	const char *bad;
	int r;

	*out = NULL;
	if (!cl->conn && !(cl->conn = varlink_connect(cl->socket, REPLY_TIMEOUT_S))) {
		json_object_put(params);
		return unreachable(cl, errno);
	}
	r = varlink_call(cl->conn, method, params, &reply);
	if (r == -ENOMEM) {
		fprintf(stderr, "khoa: %s\n", _("out of memory"));
		return EXIT_ERROR_REPLY;
	}
	if (r == -EPROTO) {
		fprintf(stderr, _("khoa: khoad at %s sent something that is not a varlink reply\n"),
			cl->socket);
		return EXIT_UNREACHABLE;
	}
	if (r < 0)
		return unreachable(cl, -r);

	khoa_reply_parse(reply, &parsed, &bad);
	if (parsed.error) {
		print_error(parsed.error, parsed.parameters);
		json_object_put(reply);
		return EXIT_ERROR_REPLY;
	}
	*out = json_object_get(parsed.parameters);
	json_object_put(reply);
	return EXIT_OK;
}

/* Vietnamese must show as text, not escapes, even where no locale is set. */
static void
setup_locale(void)
{
	const char *dir = getenv("TEXTDOMAINDIR");

	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct client cl = { .socket = getenv("KHOA_SOCKET") };
	int c;

	setup_locale();
	if (!cl.socket || !*cl.socket)
		cl.socket = KHOA_DEFAULT_SOCKET;

	/* "+": options after the command belong to the command */
	while ((c = getopt_long(argc, argv, "+s:jhV", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			cl.socket = optarg;
			break;
		case 'j':
			cl.json = true;
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
		int r = (*cmd)->run(&cl, argc - optind, argv + optind);
		varlink_close(cl.conn);
		return r;
	}
	fprintf(stderr, _("khoa: unknown command '%s'\n"), name);
	fprintf(stderr, _("Try '%s --help' for more information.\n"), "khoa");
	return EXIT_USAGE;
}
