/*
 * A command's command line, by table: each long option becomes one parameter
 * of the method the command calls ("--tax-code T" → "tax_code": "T"), and
 * command families dispatch to their subcommands ("khoa org create").
 */
#pragma once

#include <stdint.h>
#include <json-c/json.h>

#include "client.h"

enum option_kind {
	OPTION_TEXT,	/* sent as given; "" clears a field on Update */
	OPTION_ID,	/* a registry ID: a whole number, 0 or more */
	OPTION_FLAG,	/* takes no value: FIELD becomes true */
	OPTION_LIST,	/* repeatable: each value is appended to the array FIELD */
};

struct param_option {
	const char *name;	/* "tax-code" */
	const char *field;	/* "tax_code" */
	enum option_kind kind;
};

/* What the command line asks for once parsed. */
enum options_result {
	OPTIONS_OK,
	OPTIONS_HELP,		/* --help: the usage is printed; exit 0 */
	OPTIONS_BAD,		/* said why on stderr; exit EXIT_USAGE */
};

/* The exit status for OPTIONS_HELP or OPTIONS_BAD. */
int options_exit(enum options_result r);

/*
 * Parses ARGV[1..ARGC-1] (GNU getopt: options and arguments in any order,
 * "--" ends the options). Options in OPTS (NULL-name terminated; OPTS may be
 * NULL) go into PARAMS. Between MIN and MAX other arguments must remain; they
 * are left, in order, at ARGV[*first..ARGC-1]. PROG names the command in
 * messages ("khoa org create"); ARGS is the usage of its arguments ("ID").
 * --help prints CMD's usage.
 */
enum options_result options_parse(const struct command *cmd, const char *prog,
				  int argc, char **argv,
				  const struct param_option *opts, json_object *params,
				  const char *args, int min, int max, int *first);

/* A registry ID as typed: true and *id, or false having said it is not one. */
bool options_id(const char *prog, const char *text, int64_t *id);

/* PARAMS has FIELD, else "PROG: OPTION is required" and false. */
bool options_require(const char *prog, json_object *params, const char *field,
		     const char *option);

/* Adds KEY: VALUE to OBJ; out of memory ends khoa. */
void param_str(json_object *obj, const char *key, const char *value);
void param_int(json_object *obj, const char *key, int64_t value);
void param_bool(json_object *obj, const char *key, bool value);
/* Appends VALUE to the array KEY of OBJ, made when missing. */
void param_append(json_object *obj, const char *key, const char *value);
/* A new empty object; out of memory ends khoa. */
json_object *param_new(void);

/* The subcommands of a command family, in a table that ends with a NULL
 * name. PROG is "khoa org create"; ARGV[0] is the subcommand's name. */
struct subcommand {
	const char *name;
	int (*run)(struct client *cl, const char *prog, int argc, char **argv);
};

/* Runs the subcommand ARGV[1] of CMD; its exit status. */
int subcommand_run(struct client *cl, const struct command *cmd,
		   const struct subcommand *subs, int argc, char **argv);

/* What a subcommand on one record does ("khoa request show ID", "khoa
 * request reject ID --note TEXT"): OPTS (may be NULL) are its options,
 * REQUIRED the one it cannot do without (NULL: none), METHOD is called
 * with them and "id", and HUMAN shows the answer. */
struct id_call {
	const struct param_option *opts;
	const struct param_option *required;
	const char *method;
	void (*human)(struct client *cl, json_object *answer);
};

/* Runs "PROG ID [OPTIONS]" of CMD as C says; the exit status. */
int options_run_id(struct client *cl, const struct command *cmd, const char *prog, int argc,
		   char **argv, const struct id_call *c);
