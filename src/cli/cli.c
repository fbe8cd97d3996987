/* cli.c: option parsing and defaults shared by the subcommands. */
#include "cli/cli.h"

static void
help(const struct ctip_cmd *cmd, const struct ctip_opt *opts)
{
	const struct ctip_opt *o;
	char left[64];

	printf("usage: ctip %s [OPTIONS]%s%s\n\n%s.\n", cmd->name,
	       cmd->args[0] ? " " : "", cmd->args, cmd->summary);
	printf("\noptions:\n");
	for (o = opts; o->name != NULL; o++) {
		snprintf(left, sizeof(left), "--%s%s%s", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		printf("  %-22s %s", left, o->help);
		if (o->value != NULL && *o->value != NULL)
			printf(" (default: %s)", *o->value);
		printf("\n");
	}
	printf("  %-22s %s\n", "--help", "show this help");
	printf("\nExit codes: 0 done, 1 failed, 2 bad command line, 3 input "
	       "refused, 4 not found.\n");
}

int
ctip_cli_one_arg(const struct ctip_cmd *cmd, int n, const char *what)
{
	if (n < 0)
		return -1;
	if (n == 1)
		return 0;
	if (n == 0)
		fprintf(stderr, "ctip %s: name %s; see \"ctip %s --help\"\n",
			cmd->name, what, cmd->name);
	return CTIP_EXIT_USAGE;
}

int
ctip_cli_parse(const struct ctip_cmd *cmd, const struct ctip_opt *opts,
	       int argc, char **argv, char **pos, int max_pos)
{
	const struct ctip_opt *o;
	const char *name, *eq;
	size_t len;
	int i, n_pos = 0;
	bool only_pos = false;

	for (i = 0; i < argc; i++) {
		if (only_pos || argv[i][0] != '-' || argv[i][1] == '\0') {
			if (n_pos == max_pos) {
				fprintf(stderr,
					"ctip %s: unexpected argument \"%s\"; "
					"see \"ctip %s --help\"\n",
					cmd->name, argv[i], cmd->name);
				return CTIP_EXIT_USAGE;
			}
			pos[n_pos++] = argv[i];
			continue;
		}
		if (strcmp(argv[i], "--") == 0) {
			only_pos = true;
			continue;
		}
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			help(cmd, opts);
			return -1;
		}
		name = argv[i] + (argv[i][1] == '-' ? 2 : 1);
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		for (o = opts; o->name != NULL; o++)
			if (strlen(o->name) == len &&
			    strncmp(o->name, name, len) == 0)
				break;
		if (o->name == NULL) {
			fprintf(stderr,
				"ctip %s: unknown option \"%s\"; see \"ctip "
				"%s --help\"\n",
				cmd->name, argv[i], cmd->name);
			return CTIP_EXIT_USAGE;
		}
		if (o->arg == NULL) {
			if (eq != NULL) {
				fprintf(stderr,
					"ctip %s: option --%s takes no value\n",
					cmd->name, o->name);
				return CTIP_EXIT_USAGE;
			}
			*o->flag = true;
			continue;
		}
		if (eq != NULL) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			fprintf(stderr,
				"ctip %s: option --%s needs a value (%s)\n",
				cmd->name, o->name, o->arg);
			return CTIP_EXIT_USAGE;
		}
	}
	return n_pos;
}

int
ctip_cli_fail(const struct ctip_err *err)
{
	fprintf(stderr, "ctip: %s\n", err->msg);
	return ctip_cli_exit_of(err->code);
}

int
ctip_cli_exit_of(enum ctip_status code)
{
	switch (code) {
	case CTIP_EINVAL:
	case CTIP_EEXIST:
	case CTIP_ECONFLICT:
	case CTIP_ETOOBIG:
		return CTIP_EXIT_INPUT;
	case CTIP_ENOTFOUND:
		return CTIP_EXIT_MISSING;
	default:
		return CTIP_EXIT_FAIL;
	}
}

static const char *
env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : fallback;
}

const char *
ctip_default_db(void)
{
	return env_or("CTIP_DB", "var/ctip.db");
}

const char *
ctip_default_key(void)
{
	return env_or("CTIP_KEY", "var/ctip.key");
}

const char *
ctip_default_data(void)
{
	return env_or("CTIP_DATA", CTIP_SRC_DIR "/data");
}

const char *
ctip_default_web(void)
{
	return env_or("CTIP_WEB", CTIP_SRC_DIR "/web");
}
