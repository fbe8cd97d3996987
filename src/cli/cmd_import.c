/* cmd_import.c: `ctip import FILE`: persons and events from CSV. */
#include "cli/cli.h"
#include "core/import.h"
#include "core/setup.h"
#include "util/fs.h"

#include <time.h>

#define IMPORT_FILE_LIMIT ((size_t)4 << 30)

/* The meta key recording that the file text[0..len) was imported:
 * "imported:" and the file's id (the audit log's object). */
static void
imported_key(char out[80], const char *text, size_t len)
{
	char id[33];

	ctip_import_file_id(id, text, len);
	snprintf(out, 80, "imported:%s", id);
}

int
ctip_cmd_import(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db(), *key = ctip_default_key();
	const char *agency = "POLICE";
	bool demo = false, again = false;
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ "key", "FILE", "key file", &key, NULL },
		{ "agency", "CODE",
		  "agency whose unit at each person's commune owns the person",
		  &agency, NULL },
		{ "demo", NULL, "mark the rows as synthetic demo data", NULL,
		  &demo },
		{ "again", NULL,
		  "import a file imported before once more (its persons are "
		  "then registered twice)",
		  NULL, &again },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_import_stats s;
	struct ctip_err err = { 0 };
	struct ctip_keyring kr;
	struct ctip_store *st;
	struct timespec t0, t1;
	struct ctip_arena a;
	char *pos[1], *text, *before = NULL, key_of[80], done[96], now[24];
	size_t len;
	double secs;
	int n;

	n = ctip_cli_parse(cmd, opts, argc, argv, pos, 1);
	if ((n = ctip_cli_one_arg(cmd, n, "the CSV FILE")) != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
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
	memset(&s, 0, sizeof(s));
	n = ctip_key_check(st, &kr, &err);
	/* The same file twice (an operator retrying an import that did
	 * succeed) would register every person twice. */
	imported_key(key_of, text, len);
	ctip_arena_init(&a, 4096);
	if (n == CTIP_OK && !again &&
	    (n = st->ops->meta_get(&before, st, key_of, &a, &err)) == CTIP_OK)
		n = ctip_err_set(&err, CTIP_EEXIST,
				 "%s was imported already (%s): pass --again "
				 "to import it once more",
				 pos[0], before);
	else if (n == CTIP_ENOTFOUND)
		n = CTIP_OK;
	ctip_arena_free(&a);
	if (n == CTIP_OK)
		n = ctip_import_persons(&s, st, &kr, text, len, agency, demo,
					&err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (n == CTIP_OK) {
		struct ctip_err e = { 0 };

		ctip_now(now);
		snprintf(done, sizeof(done), "on %s, %ld persons", now,
			 s.persons);
		if (st->ops->meta_set(st, key_of, done, &e) != CTIP_OK)
			fprintf(stderr,
				"ctip: warning: %s was imported, but not "
				"recorded as imported: %s\n",
				pos[0], e.msg);
	}
	st->ops->close(st);
	ctip_keyring_wipe(&kr);
	free(text);
	if (n != CTIP_OK) {
		/* One transaction: every row or none, in the same line. */
		size_t used = strlen(err.msg);

		snprintf(err.msg + used, sizeof(err.msg) - used,
			 "; nothing was imported");
		return ctip_cli_fail(&err);
	}
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("ctip: imported %ld person%s and %ld event%s from %s in %.2f "
	       "s (%.0f persons/s), checksum %016" PRIx64 "\n",
	       s.persons, s.persons == 1 ? "" : "s", s.events,
	       s.events == 1 ? "" : "s", pos[0], secs,
	       secs > 0 ? (double)s.persons / secs : 0.0, s.checksum);
	return CTIP_EXIT_OK;
}
