/* cmd_db.c: `ctip migrate`, `ctip backup` and `ctip restore`. */
#include "cli/cli.h"
#include "core/audit.h"
#include "core/refdata.h"
#include "core/setup.h"
#include "util/crypto.h"
#include "util/fs.h"

#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

int
ctip_cmd_migrate(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db(), *data = ctip_default_data();
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ "data", "DIR",
		  "reference data directory, reloaded after a "
		  "migration or when its files changed",
		  &data, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_err err = { 0 };
	struct ctip_store *st;
	int n, applied, version;
	bool changed = false;

	n = ctip_cli_parse(cmd, opts, argc, argv, NULL, 0);
	if (n != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	if (ctip_store_open(&st, db, CTIP_OPEN_EXISTING, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	/* The store refuses a schema that is not the migrations' (after
	 * repairing those of development builds), changing nothing. */
	if (st->ops->migrate(&applied, st, &err) != CTIP_OK) {
		st->ops->close(st);
		fprintf(stderr, "ctip: could not migrate \"%s\": %s\n", db,
			err.msg);
		return ctip_cli_exit_of(err.code);
	}
	/* A migration may reshape a reference table, and a newer ctip may
	 * bring corrected reference data: load them again. A migration
	 * applied has forgotten the digest of the data loaded (in its
	 * transaction), so a reload that fails or is killed here is done
	 * again by the next `ctip migrate`. */
	if (ctip_refdata_changed(&changed, st, data, &err) != CTIP_OK ||
	    (changed && ctip_refdata_load(st, data, &err) != CTIP_OK)) {
		st->ops->close(st);
		fprintf(stderr,
			"ctip: the schema of \"%s\" is %s (version %d), but "
			"its reference data could not be reloaded from "
			"\"%s\": %s; fix that and run \"ctip migrate\" "
			"again%s\n",
			db, applied > 0 ? "migrated" : "up to date",
			ctip_store_schema_latest(), data, err.msg,
			applied > 0 ? " (\"ctip serve\" refuses the database "
				      "until then)"
				    : "");
		return ctip_cli_exit_of(err.code);
	}
	if (st->ops->schema_version(&version, st, &err) != CTIP_OK) {
		st->ops->close(st);
		return ctip_cli_fail(&err);
	}
	st->ops->close(st);
	printf("ctip: %s is at schema version %d (%d migration%s applied)%s\n",
	       db, version, applied, applied == 1 ? "" : "s",
	       applied > 0 || changed ? "; reference data reloaded from "
					"the data directory"
				      : "");
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
	ctip_fs_dir_of(dir, sizeof(dir), path);
	rc = stat(dir, &sb) == 0 ? 0 : errno;
	if (rc == ENOENT || rc == ENOTDIR)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "could not back up to \"%s\": directory "
				    "\"%s\" does not exist",
				    path, dir);
	if (rc == 0 && !S_ISDIR(sb.st_mode))
		return ctip_err_set(err, CTIP_EINVAL,
				    "could not back up to \"%s\": \"%s\" is "
				    "not a directory",
				    path, dir);
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
	if ((n = ctip_cli_one_arg(cmd, n, "the backup FILE")) != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
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

/* The key file a restore checks the backup against. */
struct restore_key {
	const char *path;
	const char *from; /* the backup, for messages */
	bool given;       /* by --key or CTIP_KEY: it must open the backup */
	bool checked;
	bool audited; /* the restore is in the restored audit log */
};

/* The key file must open the backup's data: the same checks as every
 * command's (the index key's fingerprint, every data key it sealed
 * with). A default key file that does not exist is not checked. With
 * the key, the restore itself is appended to the copy's audit log (a
 * backup of the current schema: an older one's log is migrated first):
 * the entries made after the backup are gone, and the log says why. */
static enum ctip_status
check_key(struct ctip_store *copy, void *arg, struct ctip_err *err)
{
	struct restore_key *k = arg;
	struct ctip_audit_event ev = { .username = "system",
				       .action = "db.restore",
				       .object_type = "backup_file",
				       .ip = "cli" };
	struct ctip_keyring kr;
	enum ctip_status rc;
	char msg[sizeof(err->msg)], name[256];
	int version = 0;

	if (!k->given && access(k->path, F_OK) != 0)
		return CTIP_OK;
	rc = ctip_keyring_load(&kr, k->path, err);
	if (rc == CTIP_OK)
		rc = ctip_key_check(copy, &kr, err);
	if (rc == CTIP_OK)
		rc = copy->ops->schema_version(&version, copy, err);
	if (rc == CTIP_OK && version == ctip_store_schema_latest()) {
		snprintf(name, sizeof(name), "%s", k->from);
		ev.object_id = basename(name);
		rc = ctip_audit_write(copy, &kr, &ev, err);
		k->audited = rc == CTIP_OK;
	}
	ctip_keyring_wipe(&kr);
	if (rc == CTIP_EINVAL) {
		snprintf(msg, sizeof(msg), "%s", err->msg);
		return ctip_err_set(err, rc,
				    "backup \"%s\" refused, nothing was "
				    "changed: %s",
				    k->from, msg);
	}
	k->checked = rc == CTIP_OK;
	return rc;
}

int
ctip_cmd_restore(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db(), *key = NULL;
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database to replace (or create)", &db, NULL },
		{ "key", "FILE",
		  "key file that must open the backup (default: CTIP_KEY, "
		  "else var/ctip.key if it exists)",
		  &key, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_restore_info info;
	struct restore_key k = { 0 };
	struct ctip_err err = { 0 };
	char *pos[1];
	int n;

	n = ctip_cli_parse(cmd, opts, argc, argv, pos, 1);
	if ((n = ctip_cli_one_arg(cmd, n, "the BACKUP file")) != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	k.given = key != NULL ||
		  (getenv("CTIP_KEY") != NULL && getenv("CTIP_KEY")[0] != '\0');
	k.path = key != NULL ? key : ctip_default_key();
	k.from = pos[0];
	if (ctip_store_restore(&info, db, pos[0], check_key, &k, &err) !=
	    CTIP_OK) {
		n = ctip_cli_fail(&err);
		/* In use by a server: the command failed, not its input. */
		return err.code == CTIP_ECONFLICT ? CTIP_EXIT_FAIL : n;
	}
	printf("ctip: restored %s from %s (%s; schema version %d, integrity "
	       "check ok; %s%s%s)\n",
	       db, pos[0],
	       info.created ? "a new file" : "its contents replaced",
	       info.schema_version,
	       k.checked ? "the key file " : "key file not checked: ", k.path,
	       k.checked ? " opens it" : " does not exist");
	if (info.schema_version < ctip_store_schema_latest())
		printf("ctip: the backup is at schema version %d: run \"ctip "
		       "migrate\" before \"ctip serve\"\n",
		       info.schema_version);
	printf("ctip: every session ended (everyone signs in again); what "
	       "changed after the backup was made is gone, disabled users, "
	       "password resets and revoked API tokens included: apply them "
	       "again\n");
	if (!k.audited)
		printf("ctip: the restore is not in the audit log (%s)\n",
		       k.checked ? "the backup's schema is older"
				 : "no key file");
	return CTIP_EXIT_OK;
}
