/* bench_import.c: bulk import speed. Generates a fixed-seed national
 * dataset (persons with trafficking events over the 3,321 communes),
 * writes it in the persons CSV format and times `ctip import`'s code path
 * into a fresh SQLite database. Prints numbered steps in milliseconds,
 * persons/s and a checksum of the input (--verify HEX fails the run if the
 * data differ), in the manner of SQLite's speedtest1. */
#include "core/import.h"
#include "core/refdata.h"
#include "core/synth.h"
#include "util/fs.h"

#include <sodium.h>
#include <time.h>
#include <unistd.h>

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int
fail(const char *what, const struct ctip_err *err)
{
	fprintf(stderr, "bench_import: %s: %s\n", what, err->msg);
	return 1;
}

int
main(int argc, char **argv)
{
	long persons = 1000000, got;
	bool no_events = false;
	unsigned long long seed = 20261124;
	const char *data = CTIP_SRC_DIR "/data", *verify = NULL;
	char dir[] = "/tmp/ctip-bench-XXXXXX", db[128], key[128], sum[32];
	struct ctip_synth_record *r = ctip_xmalloc(sizeof(*r));
	struct ctip_import_stats s;
	struct ctip_err err = { 0 };
	struct ctip_commune *communes;
	struct ctip_keyring kr;
	struct ctip_store *st;
	struct ctip_synth g;
	struct ctip_arena a;
	struct ctip_buf csv;
	struct timespec t0;
	int n_communes, applied, i;
	double ms;
	long k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--persons") == 0 && i + 1 < argc)
			persons = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			data = argv[++i];
		else if (strcmp(argv[i], "--no-events") == 0)
			no_events = true;
		else if (strcmp(argv[i], "--verify") == 0 && i + 1 < argc)
			verify = argv[++i];
		else {
			fprintf(stderr, "usage: bench_import [--persons N] "
					"[--seed N] [--data DIR] [--no-events] "
					"[--verify CHECKSUM]\n");
			return 2;
		}
	}
	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	snprintf(db, sizeof(db), "%s/bench.db", dir);
	snprintf(key, sizeof(key), "%s/bench.key", dir);
	ctip_arena_init(&a, 16u << 20);
	ctip_buf_init(&csv, (size_t)8 << 30);
	printf("bench_import: %ld persons, seed %llu, SQLite %s\n", persons,
	       seed, db);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ctip_keyring_create(key, &err) != CTIP_OK ||
	    ctip_keyring_load(&kr, key, &err) != CTIP_OK)
		return fail("key file", &err);
	if (ctip_store_open(&st, db, CTIP_OPEN_CREATE, &err) != CTIP_OK ||
	    st->ops->migrate(&applied, st, &err) != CTIP_OK ||
	    ctip_refdata_load(st, data, &err) != CTIP_OK)
		return fail("setup", &err);
	printf("1. schema and reference data      %9.1f ms\n", ms_since(&t0));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (st->ops->communes(&communes, &n_communes, st, &a, &err) != CTIP_OK)
		return fail("communes", &err);
	ctip_synth_init(&g, seed, communes, n_communes);
	if (ctip_buf_printf(&csv, "%s\n", ctip_import_header) != CTIP_OK)
		return 1;
	for (k = 0; k < persons; k++) {
		ctip_synth_next(&g, r);
		/* --no-events: persons only, to see what events cost. */
		if (no_events)
			r->has_event = false;
		if (ctip_synth_csv(&csv, r) != CTIP_OK)
			return 1;
	}
	ms = ms_since(&t0);
	printf("2. generate CSV                   %9.1f ms (%.1f MB)\n", ms,
	       (double)csv.len / 1e6);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ctip_import_persons(&s, st, &kr, csv.data, csv.len, "POLICE", false,
				&err) != CTIP_OK)
		return fail("import", &err);
	ms = ms_since(&t0);
	printf("3. import (one transaction)       %9.1f ms\n", ms);
	printf("   %ld persons, %ld events: %.0f persons/s\n", s.persons,
	       s.events, (double)s.persons / (ms / 1e3));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (st->ops->count(&got, st, CTIP_COUNT_PERSONS, &err) != CTIP_OK)
		return fail("count", &err);
	printf("4. count persons                  %9.1f ms (%ld)\n",
	       ms_since(&t0), got);
	snprintf(sum, sizeof(sum), "%016" PRIx64, s.checksum);
	printf("checksum %s\n", sum);

	st->ops->close(st);
	ctip_keyring_wipe(&kr);
	ctip_buf_free(&csv);
	ctip_arena_free(&a);
	free(r);
	unlink(db);
	snprintf(db, sizeof(db), "%s/bench.db-wal", dir);
	unlink(db);
	snprintf(db, sizeof(db), "%s/bench.db-shm", dir);
	unlink(db);
	unlink(key);
	rmdir(dir);
	if (got != persons) {
		fprintf(stderr,
			"bench_import: expected %ld persons, found "
			"%ld\n",
			persons, got);
		return 1;
	}
	if (verify != NULL && strcmp(verify, sum) != 0) {
		fprintf(stderr, "bench_import: checksum %s, expected %s\n", sum,
			verify);
		return 1;
	}
	return 0;
}
