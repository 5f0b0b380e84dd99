/* khoad's command line (options.h). */
#include <errno.h>
#include <getopt.h>
#include <libintl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "khoa-limits.h"
#include "options.h"

#define _(s) gettext(s)
#define N_(s) (s)

int
options_init(struct options *o, int argc)
{
	const char *socket = getenv("KHOA_SOCKET");

	*o = (struct options){
		.socket = socket && *socket ? socket : KHOA_DEFAULT_SOCKET,
		.state_dir = KHOA_DEFAULT_STATE_DIR,
		.config = KHOA_DEFAULT_CONFIG,
		.watch_backlog_kib = 256,
		.seal_due_hours = KHOA_SEAL_HOURS_DEFAULT,
		.scan_interval = 5,
		.rescan_timeout = 30,
	};
	/* every argument a --module at most */
	return (o->modules = calloc((size_t)argc + 1, sizeof(*o->modules))) ? 0 : -ENOMEM;
}

void
options_release(struct options *o)
{
	free(o->modules);
	o->modules = NULL;
}

static void
usage(FILE *out)
{
	fprintf(out, _("Usage: %s [OPTION]...\n"
		       "Keep watch over the PKCS#11 signing tokens of this workstation and\n"
		       "answer khoa clients on a varlink socket.\n\n"), "khoad");
	fprintf(out, _("  -s, --socket PATH        listen on PATH (default %s, or $KHOA_SOCKET)\n"
		       "  -d, --state-dir DIR      keep the registry in DIR (default %s)\n"
		       "  -r, --registry URL       keep it in the PostgreSQL database at URL, a\n"
		       "                           libpq connection string or postgresql:// URI\n"
		       "                           (its password in ~/.pgpass, never here)\n"
		       "      --workstation NAME   this workstation's name in a shared registry\n"
		       "                           (default: the host name)\n"
		       "  -c, --config FILE        read roles and rules from FILE (default %s)\n"
		       "  -m, --module PATH        load this PKCS#11 module (repeatable) instead\n"
		       "                           of the modules registered with p11-kit\n"
		       "  -i, --scan-interval SEC  read every token again each SEC seconds\n"
		       "                           (default 5; 0: only on request)\n"
		       "      --rescan-timeout SEC give up waiting for a module after SEC seconds\n"
		       "                           (default 30)\n"
		       "      --max-clients N      accept at most N clients at once (default:\n"
		       "                           max of [clients], 1024)\n"
		       "      --watch-backlog KIB  drop a watcher that falls KIB behind (default 256)\n"
		       "      --seal-due-hours N   an organization token checked out longer is\n"
		       "                           overdue (default 8)\n"
		       "      --expiry-warn DAYS,… warn that a certificate expires DAYS days ahead\n"
		       "                           (default: warn-days of [rules], or 120,90,60)\n"
		       "      --check-config       check the configuration file, print the\n"
		       "                           settings in effect and exit\n"
		       "      --import-sqlite PATH import the standalone registry at PATH (a state\n"
		       "                           directory) into the shared one and exit\n"
		       "  -v, --verbose            log every scan and client\n"
		       "  -h, --help               show this help and exit\n"
		       "  -V, --version            show the version and exit\n"),
		KHOA_DEFAULT_SOCKET, KHOA_DEFAULT_STATE_DIR, KHOA_DEFAULT_CONFIG);
}

static bool
parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

enum { OPT_RESCAN_TIMEOUT = 256, OPT_MAX_CLIENTS, OPT_WATCH_BACKLOG, OPT_SEAL_DUE_HOURS,
       OPT_EXPIRY_WARN, OPT_CHECK_CONFIG, OPT_WORKSTATION, OPT_IMPORT_SQLITE };

/* The options that take a whole number: where it goes, its bounds, and
 * what is said of a value outside them. */
static const struct number_option {
	int opt;
	size_t offset;		/* of an unsigned in struct options */
	unsigned min, max;
	const char *what;	/* N_(): what is invalid */
} number_options[] = {
	{ 'i', offsetof(struct options, scan_interval), 0, 86400,
	  N_("scan interval") },
	{ OPT_RESCAN_TIMEOUT, offsetof(struct options, rescan_timeout), 1, 3600,
	  N_("rescan timeout") },
	{ OPT_MAX_CLIENTS, offsetof(struct options, max_clients), 1, 65536,
	  N_("client limit") },
	{ OPT_WATCH_BACKLOG, offsetof(struct options, watch_backlog_kib), 1, 1024 * 1024,
	  N_("watch backlog") },
	{ OPT_SEAL_DUE_HOURS, offsetof(struct options, seal_due_hours), 1, KHOA_SEAL_HOURS_MAX,
	  N_("seal due hours") },
};

/* Option C's value into O when it takes a number: 1 done, 0 not such an
 * option, -1 a value out of its bounds (said). */
static int
number_option(int c, const char *value, struct options *o)
{
	for (size_t i = 0; i < sizeof(number_options) / sizeof(*number_options); i++) {
		const struct number_option *n = &number_options[i];
		unsigned *to = (unsigned *)((char *)o + n->offset);
		if (n->opt != c)
			continue;
		if (parse_uint(value, n->max, to) && *to >= n->min)
			return 1;
		/* TRANSLATORS: "khoad: invalid scan interval: 99999" */
		fprintf(stderr, _("khoad: invalid %s: %s\n"), _(n->what), value);
		return -1;
	}
	return 0;
}

int
options_parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "state-dir", required_argument, NULL, 'd' },
		{ "registry", required_argument, NULL, 'r' },
		{ "workstation", required_argument, NULL, OPT_WORKSTATION },
		{ "config", required_argument, NULL, 'c' },
		{ "watch-backlog", required_argument, NULL, OPT_WATCH_BACKLOG },
		{ "seal-due-hours", required_argument, NULL, OPT_SEAL_DUE_HOURS },
		{ "expiry-warn", required_argument, NULL, OPT_EXPIRY_WARN },
		{ "module", required_argument, NULL, 'm' },
		{ "scan-interval", required_argument, NULL, 'i' },
		{ "rescan-timeout", required_argument, NULL, OPT_RESCAN_TIMEOUT },
		{ "max-clients", required_argument, NULL, OPT_MAX_CLIENTS },
		{ "check-config", no_argument, NULL, OPT_CHECK_CONFIG },
		{ "import-sqlite", required_argument, NULL, OPT_IMPORT_SQLITE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, n;

	while ((c = getopt_long(argc, argv, "s:d:r:c:m:i:vhV", longopts, NULL)) != -1) {
		if ((n = number_option(c, optarg, o)) != 0) {
			if (n < 0)
				return -1;
			continue;
		}
		switch (c) {
		case 's':
			o->socket = optarg;
			break;
		case 'd':
			o->state_dir = optarg;
			break;
		case 'r':
			o->registry = optarg;
			break;
		case OPT_WORKSTATION:
			o->workstation = optarg;
			break;
		case 'c':
			o->config = optarg;
			o->config_given = true;
			break;
		case OPT_EXPIRY_WARN:
			if (!expiry_parse_warn(optarg, o->expiry_warn)) {
				fprintf(stderr, _("khoad: invalid expiry warnings: %s\n"), optarg);
				return -1;
			}
			o->expiry_warn_given = true;
			break;
		case 'm':
			/* argv outlives the options: keep pointers into it */
			o->modules[o->n_modules++] = optarg;
			break;
		case OPT_CHECK_CONFIG:
			o->check_config = true;
			break;
		case OPT_IMPORT_SQLITE:
			o->import_sqlite = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("khoad %s\n", VERSION);
			return 1;
		default:
			fprintf(stderr, _("Try '%s --help' for more information.\n"), "khoad");
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, _("khoad: unexpected argument: %s\n"), argv[optind]);
		return -1;
	}
	return 0;
}
