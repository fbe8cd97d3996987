/* cli.h: subcommands and their shared option parsing. */
#ifndef CTIP_CLI_H
#define CTIP_CLI_H

#include "util/err.h"

/* Exit codes (docs/cli.md). */
enum {
	CTIP_EXIT_OK = 0,      /* done */
	CTIP_EXIT_FAIL = 1,    /* the command failed; stderr says why */
	CTIP_EXIT_USAGE = 2,   /* bad command line */
	CTIP_EXIT_INPUT = 3,   /* input data refused (validation) */
	CTIP_EXIT_MISSING = 4, /* database, file or record not found */
};

/* One option: --name VALUE (arg != NULL) or a --name flag. */
struct ctip_opt {
	const char *name; /* without the dashes */
	const char *arg;  /* placeholder for the value, NULL for a flag */
	const char *help;
	const char **value; /* set for options with a value */
	bool *flag;         /* set for flags */
};

struct ctip_cmd {
	const char *name; /* "init", "ref stats" */
	const char *args; /* positional arguments for the usage line */
	const char *summary;
	int (*run)(const struct ctip_cmd *cmd, int argc, char **argv);
};

/*
 * Parse argv (after the command name) against opts (terminated by a NULL
 * name) and put up to max_pos positional arguments in pos. Returns -1
 * after printing help for --help, CTIP_EXIT_USAGE after printing an error,
 * else the number of positional arguments.
 */
int ctip_cli_parse(const struct ctip_cmd *cmd, const struct ctip_opt *opts,
		   int argc, char **argv, char **pos, int max_pos);

/*
 * For a command of exactly one positional argument, named what in the
 * error ("the backup FILE"), after ctip_cli_parse returned n: 0 to go on,
 * -1 after --help (the command exits 0), else CTIP_EXIT_USAGE after
 * saying what is missing.
 */
int ctip_cli_one_arg(const struct ctip_cmd *cmd, int n, const char *what);

/* The exit code of a failure with status code (CTIP_EXIT_INPUT for bad
 * input, CTIP_EXIT_MISSING for a missing file, else CTIP_EXIT_FAIL). */
int ctip_cli_exit_of(enum ctip_status code);

/* Print "ctip: MESSAGE" on stderr and return the exit code for code. */
int ctip_cli_fail(const struct ctip_err *err);

/* Defaults, overridable by environment: CTIP_DB, CTIP_KEY, CTIP_DATA,
 * CTIP_WEB. */
const char *ctip_default_db(void);
const char *ctip_default_key(void);
const char *ctip_default_data(void);
const char *ctip_default_web(void);

int ctip_cmd_init(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_migrate(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_backup(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_restore(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_ref_stats(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_ref_load(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_import(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_serve(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_user_add(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_user_list(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_user_disable(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_user_reset(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_org_add(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_org_list(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_token_create(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_audit_verify(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_key_rotate(const struct ctip_cmd *cmd, int argc, char **argv);
int ctip_cmd_plan_import(const struct ctip_cmd *cmd, int argc, char **argv);

#endif
