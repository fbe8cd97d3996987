/* cmd_ref.c: `ctip ref stats` and `ctip ref load`. */
#include "cli/cli.h"
#include "core/refdata.h"

static int
print_stats(struct ctip_store *st)
{
	struct ctip_ref_stats s;
	struct ctip_err err = { 0 };
	int k;

	if (ctip_refdata_stats(&s, st, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	printf("%-22s %6ld\n", "provinces", s.provinces);
	printf("%-22s %6ld\n", "communes", s.communes);
	for (k = 0; k < CTIP_REF_N_KINDS; k++)
		if (k != CTIP_REF_ADMIN_UNIT)
			printf("%-22s %6ld\n",
			       ctip_ref_name((enum ctip_ref_kind)k), s.rows[k]);
	return CTIP_EXIT_OK;
}

static int
run(const struct ctip_cmd *cmd, int argc, char **argv, bool load)
{
	const char *db = ctip_default_db(), *data = ctip_default_data();
	/* Each subcommand's help lists only its own options: --data is
	 * ref load's. */
	const struct ctip_opt load_opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ "data", "DIR", "reference data directory", &data, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	const struct ctip_opt stats_opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_err err = { 0 };
	struct ctip_store *st;
	int n, rc;

	n = ctip_cli_parse(cmd, load ? load_opts : stats_opts, argc, argv, NULL,
			   0);
	if (n != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	if (ctip_store_open(&st, db, CTIP_OPEN_EXISTING, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	if (load && ctip_refdata_load(st, data, &err) != CTIP_OK) {
		st->ops->close(st);
		return ctip_cli_fail(&err);
	}
	rc = print_stats(st);
	st->ops->close(st);
	return rc;
}

int
ctip_cmd_ref_stats(const struct ctip_cmd *cmd, int argc, char **argv)
{
	return run(cmd, argc, argv, false);
}

int
ctip_cmd_ref_load(const struct ctip_cmd *cmd, int argc, char **argv)
{
	return run(cmd, argc, argv, true);
}
