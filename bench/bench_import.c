/* bench_import.c: bulk import speed. Generates a fixed-seed national
 * dataset (persons with trafficking events over the 3,321 communes),
 * writes it in the persons CSV format and times `ctip import`'s code path
 * into a fresh SQLite database. Prints numbered steps in milliseconds,
 * persons/s and a checksum of the input (--verify HEX fails the run if the
 * data differ), in the manner of SQLite's speedtest1. */
#include "bench_util.h"
#include "core/import.h"
#include "core/synth.h"
#include "util/fs.h"

const char bench_prog[] = "bench_import";

int
main(int argc, char **argv)
{
	long persons = 1000000, got;
	bool no_events = false;
	unsigned long long seed = 20261124;
	const char *data = CTIP_SRC_DIR "/data", *verify = NULL;
	char sum[32];
	struct bench_db b;
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
	int n_communes, rc;
	double ms;
	long k;
	const struct bench_opt opts[] = {
		{ "--persons", "N", BENCH_LONG, &persons },
		{ "--seed", "N", BENCH_ULL, &seed },
		{ "--data", "DIR", BENCH_STR, &data },
		{ "--no-events", NULL, BENCH_FLAG, &no_events },
		{ "--verify", "CHECKSUM", BENCH_STR, &verify },
	};

	if ((rc = bench_args(argc, argv, opts, COUNT(opts))) != 0)
		return rc;
	if (bench_db_dir(&b, "/tmp/ctip-bench-XXXXXX") != 0)
		return 1;
	ctip_arena_init(&a, 16u << 20);
	ctip_buf_init(&csv, (size_t)8 << 30);
	printf("bench_import: %ld persons, seed %llu, SQLite %s\n", persons,
	       seed, b.db);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (bench_db_open(&kr, &st, &b, data) != 0)
		return 1;
	printf("1. schema and reference data      %9.1f ms\n",
	       bench_ms_since(&t0));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (st->ops->communes(&communes, &n_communes, st, &a, &err) != CTIP_OK)
		return bench_fail("communes", &err);
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
	ms = bench_ms_since(&t0);
	printf("2. generate CSV                   %9.1f ms (%.1f MB)\n", ms,
	       (double)csv.len / 1e6);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ctip_import_persons(&s, st, &kr, csv.data, csv.len, "POLICE", false,
				&err) != CTIP_OK)
		return bench_fail("import", &err);
	ms = bench_ms_since(&t0);
	printf("3. import (one transaction)       %9.1f ms\n", ms);
	printf("   %ld persons, %ld events: %.0f persons/s\n", s.persons,
	       s.events, (double)s.persons / (ms / 1e3));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (st->ops->count(&got, st, CTIP_COUNT_PERSONS, &err) != CTIP_OK)
		return bench_fail("count", &err);
	printf("4. count persons                  %9.1f ms (%ld)\n",
	       bench_ms_since(&t0), got);
	bench_checksum(sum, s.checksum);

	st->ops->close(st);
	ctip_keyring_wipe(&kr);
	ctip_buf_free(&csv);
	ctip_arena_free(&a);
	free(r);
	bench_db_done(&b, false);
	if (got != persons) {
		fprintf(stderr,
			"bench_import: expected %ld persons, found "
			"%ld\n",
			persons, got);
		return 1;
	}
	return bench_verify(verify, sum);
}
