/* main.c: the ctip command line: dispatch to subcommands. */
#include "cli/cli.h"
#include "util/log.h"

#include <sodium.h>
#include <sys/stat.h>

static int cmd_version(const struct ctip_cmd *cmd, int argc, char **argv);

static const struct ctip_cmd commands[] = {
	{ "init", "",
	  "create a database with reference data, a key file, "
	  "an administrator and demo data",
	  ctip_cmd_init },
	{ "migrate", "", "bring the database schema up to date (idempotent)",
	  ctip_cmd_migrate },
	{ "backup", "FILE", "copy the live database to FILE", ctip_cmd_backup },
	{ "restore", "BACKUP",
	  "replace the database with a backup, after checking it (server "
	  "stopped)",
	  ctip_cmd_restore },
	{ "ref stats", "", "print the row counts of the reference data",
	  ctip_cmd_ref_stats },
	{ "ref load", "", "reload the reference data from the data directory",
	  ctip_cmd_ref_load },
	{ "import", "FILE", "import persons and events from a CSV file",
	  ctip_cmd_import },
	{ "serve", "", "serve the web UI and the API", ctip_cmd_serve },
	{ "user add", "USERNAME", "create a user with a one-time password",
	  ctip_cmd_user_add },
	{ "user list", "", "list the users", ctip_cmd_user_list },
	{ "user disable", "USERNAME", "disable a user and end its sessions",
	  ctip_cmd_user_disable },
	{ "user reset-password", "USERNAME",
	  "give a user a new one-time password", ctip_cmd_user_reset },
	{ "org add", "", "create an org unit (agency at a place)",
	  ctip_cmd_org_add },
	{ "org list", "", "list the org units", ctip_cmd_org_list },
	{ "token create", "USERNAME",
	  "create an API token for a system acting as USERNAME",
	  ctip_cmd_token_create },
	{ "audit verify", "", "check the audit log's hash chain",
	  ctip_cmd_audit_verify },
	{ "key rotate", "",
	  "add a new data key and re-encrypt identity fields with it",
	  ctip_cmd_key_rotate },
	{ "plan import", "FILE",
	  "read a plan document and print the structure ctip proposes",
	  ctip_cmd_plan_import },
	{ "version", "", "print the version", cmd_version },
};

static int
cmd_version(const struct ctip_cmd *cmd, int argc, char **argv)
{
	static const struct ctip_opt opts[] = { { NULL, NULL, NULL, NULL,
						  NULL } };
	int n = ctip_cli_parse(cmd, opts, argc, argv, NULL, 0);

	if (n != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	printf("ctip %s\n", CTIP_VERSION);
	return CTIP_EXIT_OK;
}

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: ctip COMMAND [OPTIONS]\n\n"
		   "ctip is the counter-trafficking information system.\n\n"
		   "commands:\n");
	for (i = 0; i < CTIP_NELEM(commands); i++)
		fprintf(f, "  %-20s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\nRun \"ctip COMMAND --help\" for a command's options.\n"
		   "Exit codes: 0 done, 1 failed, 2 bad command line, "
		   "3 input refused, 4 not found.\n");
}

/*
 * Whether word is a command group (the first word of two-word commands:
 * "ref", "user"); if so, write its subcommands to f as "stats, load",
 * or one per line with their summaries when long_form is set.
 */
static bool
group(FILE *f, const char *word, bool long_form)
{
	size_t i, n;
	bool found = false;

	for (i = 0; i < CTIP_NELEM(commands); i++) {
		const char *name = commands[i].name;
		const char *sp = strchr(name, ' ');

		n = sp != NULL ? (size_t)(sp - name) : 0;
		if (sp == NULL || strlen(word) != n ||
		    strncmp(word, name, n) != 0)
			continue;
		if (f != NULL && long_form)
			fprintf(f, "  %-20s %s\n", name, commands[i].summary);
		else if (f != NULL)
			fprintf(f, "%s%s", found ? ", " : "", sp + 1);
		found = true;
	}
	return found;
}

int
main(int argc, char **argv)
{
	size_t i, n;

	/* Databases, backups and key files hold identity data: private to
	 * the service account whatever the caller's umask. */
	umask(077);
	if (sodium_init() < 0) {
		fputs("ctip: could not initialise libsodium\n", stderr);
		return CTIP_EXIT_FAIL;
	}
	if (argc < 2) {
		usage(stderr);
		return CTIP_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CTIP_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(&commands[CTIP_NELEM(commands) - 1], 0,
				   NULL);
	if (getenv("CTIP_DEBUG") != NULL)
		ctip_log_set_level(CTIP_LOG_DEBUG);
	for (i = 0; i < CTIP_NELEM(commands); i++) {
		const char *name = commands[i].name;
		const char *sp = strchr(name, ' ');

		/* Two-word commands ("ref stats") take two arguments. */
		if (sp == NULL) {
			if (strcmp(argv[1], name) == 0)
				return commands[i].run(&commands[i], argc - 2,
						       argv + 2);
			continue;
		}
		n = (size_t)(sp - name);
		if (strlen(argv[1]) == n && strncmp(argv[1], name, n) == 0 &&
		    argc >= 3 && strcmp(argv[2], sp + 1) == 0)
			return commands[i].run(&commands[i], argc - 3,
					       argv + 3);
	}
	/* A group alone ("ctip user"), or with an unknown subcommand:
	 * name the group's subcommands. */
	if (group(NULL, argv[1], false)) {
		if (argc >= 3 && (strcmp(argv[2], "--help") == 0 ||
				  strcmp(argv[2], "-h") == 0)) {
			printf("usage: ctip %s SUBCOMMAND [OPTIONS]\n\n"
			       "subcommands:\n",
			       argv[1]);
			group(stdout, argv[1], true);
			printf("\nRun \"ctip %s SUBCOMMAND --help\" for a "
			       "subcommand's options.\n",
			       argv[1]);
			return CTIP_EXIT_OK;
		}
		if (argc < 3 || argv[2][0] == '-')
			fprintf(stderr,
				"ctip %s: missing subcommand: ", argv[1]);
		else
			fprintf(stderr,
				"ctip: unknown command \"%s %s\"; \"%s\" "
				"takes ",
				argv[1], argv[2], argv[1]);
		group(stderr, argv[1], false);
		fprintf(stderr, "; see \"ctip %s --help\"\n", argv[1]);
		return CTIP_EXIT_USAGE;
	}
	fprintf(stderr,
		"ctip: unknown command \"%s%s%s\"; run \"ctip "
		"--help\" for the list\n",
		argv[1], argc >= 3 && argv[2][0] != '-' ? " " : "",
		argc >= 3 && argv[2][0] != '-' ? argv[2] : "");
	return CTIP_EXIT_USAGE;
}
