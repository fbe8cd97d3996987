/* cmd_db.c: `ctip migrate` and `ctip backup`. */
#include "cli/cli.h"
#include "core/refdata.h"

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
	if (st->ops->backup(st, pos[0], &err) != CTIP_OK) {
		st->ops->close(st);
		return ctip_cli_fail(&err);
	}
	st->ops->close(st);
	printf("ctip: backed up %s to %s\n", db, pos[0]);
	return CTIP_EXIT_OK;
}
