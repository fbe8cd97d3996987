/* cmd_import.c: `ctip import FILE`: persons and events from CSV. */
#include "cli/cli.h"
#include "core/import.h"
#include "core/setup.h"
#include "util/fs.h"

#include <time.h>

#define IMPORT_FILE_LIMIT ((size_t)4 << 30)

int
ctip_cmd_import(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db(), *key = ctip_default_key();
	const char *agency = "POLICE";
	bool demo = false;
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ "key", "FILE", "key file", &key, NULL },
		{ "agency", "CODE",
		  "agency whose unit at each person's commune owns the person",
		  &agency, NULL },
		{ "demo", NULL, "mark the rows as synthetic demo data", NULL,
		  &demo },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_import_stats s;
	struct ctip_err err = { 0 };
	struct ctip_keyring kr;
	struct ctip_store *st;
	struct timespec t0, t1;
	char *pos[1], *text;
	size_t len;
	double secs;
	int n;

	n = ctip_cli_parse(cmd, opts, argc, argv, pos, 1);
	if (n < 0)
		return CTIP_EXIT_OK;
	if (n != 1) {
		if (n == 0)
			fprintf(stderr, "ctip import: name the CSV FILE; see "
					"\"ctip import --help\"\n");
		return CTIP_EXIT_USAGE;
	}
	if (ctip_fs_read(&text, &len, pos[0], IMPORT_FILE_LIMIT, &err) !=
	    CTIP_OK)
		return ctip_cli_fail(&err);
	if (ctip_keyring_load(&kr, key, &err) != CTIP_OK) {
		free(text);
		return ctip_cli_fail(&err);
	}
	if (ctip_store_open(&st, db, CTIP_OPEN_EXISTING, &err) != CTIP_OK) {
		free(text);
		ctip_keyring_wipe(&kr);
		return ctip_cli_fail(&err);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = ctip_key_check(st, &kr, &err);
	if (n == CTIP_OK)
		n = ctip_import_persons(&s, st, &kr, text, len, agency, demo,
					&err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	st->ops->close(st);
	ctip_keyring_wipe(&kr);
	free(text);
	if (n != CTIP_OK) {
		if (s.persons == 0)
			fprintf(stderr, "ctip: %s: nothing was imported\n",
				pos[0]);
		return ctip_cli_fail(&err);
	}
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("ctip: imported %ld persons and %ld events from %s in %.2f s "
	       "(%.0f persons/s), checksum %016" PRIx64 "\n",
	       s.persons, s.events, pos[0], secs,
	       secs > 0 ? (double)s.persons / secs : 0.0, s.checksum);
	return CTIP_EXIT_OK;
}
