/* cmd_db.c: `ctip migrate` and `ctip backup`. */
#include "cli/cli.h"
#include "core/refdata.h"

#include <libgen.h>
#include <sys/stat.h>

int
ctip_cmd_migrate(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db(), *data = ctip_default_data();
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ "data", "DIR",
		  "reference data directory, reloaded after a "
		  "migration",
		  &data, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_err err = { 0 };
	struct ctip_store *st;
	int n, applied, version;

	n = ctip_cli_parse(cmd, opts, argc, argv, NULL, 0);
	if (n != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	if (ctip_store_open(&st, db, CTIP_OPEN_EXISTING, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	/* A migration may reshape a reference table: load them again. */
	if (st->ops->migrate(&applied, st, &err) != CTIP_OK ||
	    (applied > 0 && ctip_refdata_load(st, data, &err) != CTIP_OK) ||
	    st->ops->schema_version(&version, st, &err) != CTIP_OK) {
		st->ops->close(st);
		return ctip_cli_fail(&err);
	}
	st->ops->close(st);
	printf("ctip: %s is at schema version %d (%d migration%s applied)\n",
	       db, version, applied, applied == 1 ? "" : "s");
	return CTIP_EXIT_OK;
}

/*
 * Check that a backup can be made at path, for a message that says what is
 * in the way (the store checks again as it creates the file): CTIP_EEXIST
 * when a file or a directory is there, CTIP_ENOTFOUND when the directory
 * to hold it does not exist, CTIP_EINVAL when that is not a directory.
 * Other problems (permissions) are left to the store to report.
 */
static enum ctip_status
check_target(const char *path, struct ctip_err *err)
{
	char dir[4096];
	struct stat sb;
	int rc;

	if (stat(path, &sb) == 0)
		return ctip_err_set(err, CTIP_EEXIST,
				    "could not back up to \"%s\": %s", path,
				    S_ISDIR(sb.st_mode)
					    ? "it is a directory (name a new "
					      "file in it)"
					    : "the file exists");
	if (strlen(path) >= sizeof(dir))
		return CTIP_OK;
	/* dirname() may change its argument: work on a copy. */
	snprintf(dir, sizeof(dir), "%s", path);
	rc = stat(dirname(dir), &sb) == 0 ? 0 : errno;
	snprintf(dir, sizeof(dir), "%s", path);
	if (rc == ENOENT || rc == ENOTDIR)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "could not back up to \"%s\": directory "
				    "\"%s\" does not exist",
				    path, dirname(dir));
	if (rc == 0 && !S_ISDIR(sb.st_mode))
		return ctip_err_set(err, CTIP_EINVAL,
				    "could not back up to \"%s\": \"%s\" is "
				    "not a directory",
				    path, dirname(dir));
	return CTIP_OK;
}

int
ctip_cmd_backup(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db();
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database to copy", &db, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_err err = { 0 };
	struct ctip_store *st;
	char *pos[1];
	int n;

	n = ctip_cli_parse(cmd, opts, argc, argv, pos, 1);
	if (n < 0)
		return CTIP_EXIT_OK;
	if (n != 1) {
		if (n == 0)
			fprintf(stderr, "ctip backup: name the backup FILE; "
					"see \"ctip backup --help\"\n");
		return CTIP_EXIT_USAGE;
	}
	if (ctip_store_open(&st, db, CTIP_OPEN_EXISTING, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	if (check_target(pos[0], &err) != CTIP_OK ||
	    st->ops->backup(st, pos[0], &err) != CTIP_OK) {
		st->ops->close(st);
		return ctip_cli_fail(&err);
	}
	st->ops->close(st);
	printf("ctip: backed up %s to %s\n", db, pos[0]);
	return CTIP_EXIT_OK;
}
