/* Command lines to parameters, with getopt_long and a table. */
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
	if (!(v = json_object_new_string(value)) || json_object_array_add(arr, v) < 0)
		die_oom();
}

void
param_int(json_object *obj, const char *key, int64_t value)
{
	json_object *v = json_object_new_int64(value);
	if (!v || json_object_object_add(obj, key, v) < 0)
		die_oom();
}

int
options_exit(enum options_result r)
{
	return r == OPTIONS_BAD ? EXIT_USAGE : EXIT_OK;
}

bool
options_id(const char *prog, const char *text, int64_t *id)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end || errno) {
		fprintf(stderr, _("%s: '%s' is not an ID (a whole number)\n"), prog, text);
		return false;
	}
	*id = v;
	return true;
}

bool
options_require(const char *prog, json_object *params, const char *field, const char *option)
{
	if (json_object_object_get_ex(params, field, NULL))
		return true;
	fprintf(stderr, _("%s: %s is required\n"), prog, option);
	return false;
}

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
					       opts[i].kind == OPTION_FLAG ? no_argument
									   : required_argument,
					       NULL, OPTION_FIRST + (int)i };
	longopts[n] = (struct option){ "help", no_argument, NULL, OPTION_HELP };
	return longopts;
}

/* The options alone. */
static enum options_result
parse(const struct command *cmd, const char *prog, int argc, char **argv,
      const struct param_option *opts, json_object *params)
{
	struct option *longopts = longopts_of(opts);
	enum options_result result = OPTIONS_OK;
	int c;

	while (result == OPTIONS_OK && (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		const struct param_option *o = c >= OPTION_FIRST ? &opts[c - OPTION_FIRST] : NULL;
		int64_t id;
		if (c == OPTION_HELP) {
			command_usage(cmd, stdout);
			result = OPTIONS_HELP;
		} else if (!o) {
			command_try_help(cmd);
			result = OPTIONS_BAD;
		} else if (o->kind == OPTION_TEXT) {
			param_str(params, o->field, optarg);
		} else if (o->kind == OPTION_FLAG) {
			param_bool(params, o->field, true);
		} else if (o->kind == OPTION_LIST) {
			param_append(params, o->field, optarg);
		} else if (options_id(prog, optarg, &id)) {
			param_int(params, o->field, id);
		} else {
			result = OPTIONS_BAD;
		}
	}
	free(longopts);
	return result;
}

enum options_result
options_parse(const struct command *cmd, const char *prog, int argc, char **argv,
	      const struct param_option *opts, json_object *params,
	      const char *args, int min, int max, int *first)
{
	/* getopt names ARGV[0] in its messages; optind 0 starts a new scan
	 * (GNU), so that this works after main's own getopt. */
	char *name = argv[0];
	argv[0] = (char *)prog;
	optind = 0;
	enum options_result r = parse(cmd, prog, argc, argv, opts, params);
	argv[0] = name;
	*first = optind;
	if (r != OPTIONS_OK)
		return r;

	int n = argc - optind;
	if (n > max) {
		fprintf(stderr, _("%s: unexpected argument '%s'\n"), prog, argv[optind + max]);
	} else if (n < min) {
		fprintf(stderr, _("Usage: %s %s\n"), prog, args);
		command_try_help(cmd);
	} else {
		return OPTIONS_OK;
	}
	return OPTIONS_BAD;
}

int
subcommand_run(struct client *cl, const struct command *cmd, const struct subcommand *subs,
	       int argc, char **argv)
{
	if (argc < 2) {
		command_usage(cmd, stderr);
		return EXIT_USAGE;
	}
	for (const struct subcommand *s = subs; s->name; s++) {
		if (strcmp(s->name, argv[1]) != 0)
			continue;
		char *prog;
		if (asprintf(&prog, "khoa %s %s", cmd->name, s->name) < 0)
			die_oom();
		int r = s->run(cl, prog, argc - 1, argv + 1);
		free(prog);
		return r;
	}
	fprintf(stderr, _("khoa %s: unknown subcommand '%s'\n"), cmd->name, argv[1]);
	return command_try_help(cmd);
}

int
options_run_id(struct client *cl, const struct command *cmd, const char *prog, int argc,
	       char **argv, const struct id_call *c)
{
	json_object *params = param_new();
	char option[64];
	int first;
	int64_t id;

	enum options_result r = options_parse(cmd, prog, argc, argv, c->opts, params, _("ID"),
					      1, 1, &first);
	if (r == OPTIONS_OK && !options_id(prog, argv[first], &id))
		r = OPTIONS_BAD;
	if (r == OPTIONS_OK && c->required) {
		snprintf(option, sizeof(option), "--%s", c->required->name);
		if (!options_require(prog, params, c->required->field, option))
			r = OPTIONS_BAD;
	}
	if (r != OPTIONS_OK) {
		json_object_put(params);
		return options_exit(r);
	}
	param_int(params, "id", id);
	return client_show(cl, c->method, params, c->human);
}
