/* cmd_key.c: `ctip key rotate`. */
#include "cli/cli.h"
#include "core/keys.h"
#include "core/setup.h"

int
ctip_cmd_key_rotate(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db(), *key = ctip_default_key();
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ "key", "FILE", "key file to add the new key to", &key, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_rotate_stats s;
	struct ctip_err err = { 0 };
	struct ctip_keyring kr;
	struct ctip_store *st;
	int n, rc;

	n = ctip_cli_parse(cmd, opts, argc, argv, NULL, 0);
	if (n != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	if (ctip_store_open(&st, db, CTIP_OPEN_EXISTING, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	rc = ctip_keyring_load(&kr, key, &err);
	if (rc == CTIP_OK)
		rc = ctip_key_check(st, &kr, &err);
	if (rc == CTIP_OK)
		rc = ctip_key_rotate(&s, st, &kr, key, &err);
	st->ops->close(st);
	ctip_keyring_wipe(&kr);
	if (rc != CTIP_OK)
		return ctip_cli_fail(&err);
	printf("ctip: key %u added to %s; %ld sealed values re-encrypted; "
	       "older keys stay in the file for backups made before today\n",
	       (unsigned)s.new_key_id, key, s.values_resealed);
	/* The offline copy made at init no longer opens the database, nor
	 * any backup made from now on. */
	printf("ctip: replace every offline copy of the key file with %s "
	       "now: backups made from now on need key %u\n",
	       key, (unsigned)s.new_key_id);
	return CTIP_EXIT_OK;
}
