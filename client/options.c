/* Command lines to parameters, with getopt_long and the rows of command.h. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "options.h"
#include "table.h"

#define OPTION_HELP	'h'
#define OPTION_FIRST	256	/* getopt's val for OPTS[i] is OPTION_FIRST + i */

json_object *
param_new(void)
{
	json_object *obj = json_object_new_object();
	if (!obj)
		die_oom();
	return obj;
}

void
param_str(json_object *obj, const char *key, const char *value)
{
	json_object *v = json_object_new_string(value);
	if (!v || json_object_object_add(obj, key, v) < 0)
		die_oom();
}

void
param_bool(json_object *obj, const char *key, bool value)
{
	json_object *v = json_object_new_boolean(value);
	if (!v || json_object_object_add(obj, key, v) < 0)
		die_oom();
}

void
param_append(json_object *obj, const char *key, const char *value)
{
	json_object *arr, *v;
	if (!json_object_object_get_ex(obj, key, &arr)) {
		if (!(arr = json_object_new_array()) || json_object_object_add(obj, key, arr) < 0)
			die_oom();
	}
	if (*value && (!(v = json_object_new_string(value)) || json_object_array_add(arr, v) < 0))
		die_oom();
}

void
param_int(json_object *obj, const char *key, int64_t value)
{
	json_object *v = json_object_new_int64(value);
	if (!v || json_object_object_add(obj, key, v) < 0)
		die_oom();
}

/* TEXT as a whole number of digits only, 0 and up: true with *OUT. */
static bool
whole_number(const char *text, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end || errno)
		return false;
	*out = v;
	return true;
}

bool
options_id(const char *prog, const char *text, int64_t *id)
{
	if (whole_number(text, id))
		return true;
	fprintf(stderr, _("%s: '%s' is not an ID (a whole number)\n"), prog, text);
	return false;
}

bool
options_take_id(const char *prog, const char *text, json_object *params, const char *field)
{
	int64_t id;
	if (!options_id(prog, text, &id))
		return false;
	param_int(params, field, id);
	return true;
}

/* What a parse comes to. */
enum parsed {
	PARSED_OK,
	PARSED_HELP,		/* --help: the usage is printed; exit 0 */
	PARSED_BAD,		/* said why on stderr; exit EXIT_USAGE */
};

static struct option *
longopts_of(const struct param_option *opts)
{
	size_t n = 0;
	while (opts && opts[n].name)
		n++;
	struct option *longopts = calloc(n + 2, sizeof(*longopts));
	if (!longopts)
		die_oom();
	for (size_t i = 0; i < n; i++)
		longopts[i] = (struct option){ opts[i].name,
					       opts[i].kind == OPTION_FLAG ||
					       opts[i].kind == OPTION_FLAG_OFF ? no_argument
									       : required_argument,
					       NULL, OPTION_FIRST + (int)i };
	longopts[n] = (struct option){ "help", no_argument, NULL, OPTION_HELP };
	return longopts;
}

/* The options alone, into PARAMS. */
static enum parsed
parse_options(const struct command *cmd, const char *prog, int argc, char **argv,
	      const struct param_option *opts, json_object *params)
{
	struct option *longopts = longopts_of(opts);
	enum parsed result = PARSED_OK;
	int c;

	while (result == PARSED_OK && (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		const struct param_option *o = c >= OPTION_FIRST ? &opts[c - OPTION_FIRST] : NULL;
		int64_t id;
		if (c == OPTION_HELP) {
			command_usage(cmd, stdout);
			result = PARSED_HELP;
		} else if (!o) {
			command_try_help(cmd);
			result = PARSED_BAD;
		} else if (o->kind == OPTION_TEXT) {
			param_str(params, o->field, optarg);
		} else if (o->kind == OPTION_FLAG || o->kind == OPTION_FLAG_OFF) {
			param_bool(params, o->field, o->kind == OPTION_FLAG);
		} else if (o->kind == OPTION_LIST) {
			param_append(params, o->field, optarg);
		} else if (whole_number(optarg, &id)) {
			param_int(params, o->field, id);
		} else {
			/* TRANSLATORS: "khoa seal out: --hours takes a whole number
			 * (0, 1, 2…), not '-1'" */
			fprintf(stderr, _("%s: --%s takes a whole number (0, 1, 2…), not '%s'\n"),
				prog, o->name, optarg);
			result = PARSED_BAD;
		}
	}
	free(longopts);
	return result;
}

/* ARGV[1..ARGC-1] as R's row says (GNU getopt: options and arguments in any
 * order, "--" ends the options): its options in PARAMS, its other
 * arguments counted and left at ARGV[*first..ARGC-1], its required options
 * there. PROG names it in messages ("khoa org create"). */
static enum parsed
parse(const struct command *cmd, const struct runnable *r, const char *prog, int argc,
      char **argv, json_object *params, int *first)
{
	/* getopt names ARGV[0] in its messages; optind 0 starts a new scan
	 * (GNU), so that this works after main's own getopt. */
	char *name = argv[0];
	argv[0] = (char *)prog;
	optind = 0;
	enum parsed p = parse_options(cmd, prog, argc, argv, r->options, params);
	argv[0] = name;
	*first = optind;
	if (p != PARSED_OK)
		return p;

	int n = argc - optind;
	if (n > r->max_args) {
		fprintf(stderr, _("%s: unexpected argument '%s'\n"), prog, argv[optind + r->max_args]);
		return PARSED_BAD;
	}
	if (n < r->min_args) {
		char *synopsis = runnable_synopsis(r);
		fprintf(stderr, _("Usage: %s %s\n"), prog, synopsis);
		free(synopsis);
		command_try_help(cmd);
		return PARSED_BAD;
	}
	for (const struct param_option *o = r->options; o && o->name; o++) {
		if (o->need == OPTION_REQUIRED && !json_object_object_get_ex(params, o->field, NULL)) {
			char *option = option_synopsis(o);
			/* TRANSLATORS: an option and what it takes, "--name NAME". */
			fprintf(stderr, _("%s: %s is required\n"), prog, option);
			free(option);
			return PARSED_BAD;
		}
	}
	return PARSED_OK;
}

/* R of CMD, run as PROG with ARGV. */
static int
run(struct client *cl, const struct command *cmd, const struct runnable *r, const char *prog,
    int argc, char **argv)
{
	json_object *params = param_new();
	int first;

	switch (parse(cmd, r, prog, argc, argv, params, &first)) {
	case PARSED_OK:
		return r->run(cl, prog, params, argc - first, argv + first);
	case PARSED_HELP:
		json_object_put(params);
		return EXIT_OK;
	default:
		json_object_put(params);
		return EXIT_USAGE;
	}
}

int
command_run(struct client *cl, const struct command *cmd, int argc, char **argv)
{
	char prog[128];

	if (cmd->subs) {
		if (argc < 2) {
			command_usage(cmd, stderr);
			return EXIT_USAGE;
		}
		for (const struct subcommand *s = cmd->subs; s->name; s++) {
			if (strcmp(s->name, argv[1]) != 0)
				continue;
			snprintf(prog, sizeof(prog), "khoa %s %s", cmd->name, s->name);
			return run(cl, cmd, &s->is, prog, argc - 1, argv + 1);
		}
		if (!cmd->is.run) {
			fprintf(stderr, _("khoa %s: unknown subcommand '%s'\n"), cmd->name, argv[1]);
			return command_try_help(cmd);
		}
	}
	snprintf(prog, sizeof(prog), "khoa %s", cmd->name);
	return run(cl, cmd, &cmd->is, prog, argc, argv);
}

int
options_run_id(struct client *cl, const char *prog, json_object *params, const char *text,
	       const struct id_call *c)
{
	if (!options_take_id(prog, text, params, "id")) {
		json_object_put(params);
		return EXIT_USAGE;
	}
	return client_show(cl, c->method, params, c->human);
}
