/*
 * The table of khoa's commands. Each command, each subcommand and each of
 * their options is a row that carries its help, so that the command line is
 * parsed, its required options checked and its --help printed from one
 * place (as p11-kit's usages[] and tmux's .args/.usage): options.c parses,
 * usage.c prints. A long option becomes one parameter of the method the
 * command calls ("--tax-code T" → "tax_code": "T").
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

struct client;

enum option_kind {
	OPTION_TEXT,	/* sent as given; "" clears a field on Update */
	OPTION_ID,	/* a registry ID: a whole number, 0 or more */
	OPTION_FLAG,	/* takes no value: FIELD becomes true */
	OPTION_FLAG_OFF,	/* takes no value: FIELD becomes false */
	OPTION_LIST,	/* repeatable: each value is appended to the array FIELD;
			 * an empty value sends the array without it ('' alone: []) */
};

enum option_need {
	OPTION_OPTIONAL,
	OPTION_REQUIRED,	/* the command cannot do without it */
};

/* An option; a table of them ends with a NULL name. */
struct param_option {
	const char *name;	/* "tax-code" */
	const char *field;	/* "tax_code" */
	enum option_kind kind;
	const char *value;	/* what it takes, for the help: NC_("metavar", "CODE"),
				   or literal values ("pdf|text"); NULL for a flag */
	const char *help;	/* what it is for, one line (N_) */
	enum option_need need;
};

/*
 * What a command or subcommand runs once its command line is parsed. PROG
 * names it in messages ("khoa org create"); PARAMS holds its options (a new
 * object, taken: passed on or put); ARGV[0..ARGC-1] are its other
 * arguments, as many as its row allows. The exit status.
 */
typedef int command_fn(struct client *cl, const char *prog, json_object *params, int argc,
		       char **argv);

/* What runs: a subcommand, or a command itself. */
struct runnable {
	const char *args;	/* its other arguments, for the usage: NC_("metavar",
				   "ID"); NULL: none */
	int min_args, max_args;
	const struct param_option *options;	/* NULL: none */
	command_fn *run;
};

/* A subcommand; a table of them ends with a NULL name. */
struct subcommand {
	const char *name;	/* "create" */
	const char *help;	/* one line (N_) */
	struct runnable is;
};

struct command {
	const char *name;	/* "org" */
	const char *synopsis;	/* NULL: made from the rows; else the usage line's
				   arguments where the rows cannot say them
				   ("[SERIAL] --holder ID | --org ID") (N_) */
	const char *help;	/* one line, in khoa --help (N_) */
	const char *about;	/* NULL, or what khoa NAME --help says first (N_) */
	const char *notes;	/* NULL, or what it says last (N_) */
	void (*lists)(FILE *out);	/* NULL, or writes the codes its options take,
					   with their names, after the notes */
	const struct subcommand *subs;	/* a family's subcommands, or NULL */
	/* A plain command; or a family when its first argument names none of
	 * its subcommands (khoa manager-change --org …); run NULL: none. */
	struct runnable is;
	const char *is_help;	/* that use of a family, one line (N_) */
};

/* usage.c: "Usage: khoa NAME …", then what CMD's rows say (khoa NAME --help). */
void command_usage(const struct command *cmd, FILE *out);
/* "Try 'khoa NAME --help' …" on stderr; returns EXIT_USAGE. */
int command_try_help(const struct command *cmd);
/* The list of COMMANDS (NULL-terminated) as khoa --help shows it. */
void command_list(const struct command *const *commands, FILE *out);
/* What R takes, for "Usage: PROG …" after a wrong command line: its
 * arguments and options (malloc'ed). */
char *runnable_synopsis(const struct runnable *r);
/* "--name NAME", "--no-input": O as written on a command line (malloc'ed). */
char *option_synopsis(const struct param_option *o);

/* options.c: runs CMD with ARGV (ARGV[0] is its name) as its rows say: a
 * subcommand, or CMD itself; the exit status. */
int command_run(struct client *cl, const struct command *cmd, int argc, char **argv);
