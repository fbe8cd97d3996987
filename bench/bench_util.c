/* bench_util.c: what the benchmarks share (bench_util.h). */
#include "bench_util.h"

#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

int
bench_args(int argc, char **argv, const struct bench_opt *opts, int n_opts)
{
	const struct bench_opt *o;
	int i, j;

	for (i = 1; i < argc; i++) {
		for (j = 0; j < n_opts; j++)
			if (strcmp(argv[i], opts[j].name) == 0 &&
			    (opts[j].arg == NULL || i + 1 < argc))
				break;
		if (j == n_opts) {
			fprintf(stderr, "usage: %s", bench_prog);
			for (j = 0; j < n_opts; j++)
				if (opts[j].arg != NULL)
					fprintf(stderr, " [%s %s]",
						opts[j].name, opts[j].arg);
				else
					fprintf(stderr, " [%s]", opts[j].name);
			fprintf(stderr, "\n");
			return 2;
		}
		o = &opts[j];
		switch (o->kind) {
		case BENCH_LONG:
			*(long *)o->out = strtol(argv[++i], NULL, 10);
			break;
		case BENCH_INT:
			*(int *)o->out = (int)strtol(argv[++i], NULL, 10);
			break;
		case BENCH_ULL:
			*(unsigned long long *)o->out =
				strtoull(argv[++i], NULL, 10);
			break;
		case BENCH_STR:
			*(const char **)o->out = argv[++i];
			break;
		case BENCH_FLAG:
			*(bool *)o->out = true;
			break;
		}
	}
	return 0;
}

int
bench_fail(const char *what, const struct ctip_err *err)
{
	fprintf(stderr, "%s: %s: %s\n", bench_prog, what, err->msg);
	return 1;
}

double
bench_ms(const struct timespec *t0, const struct timespec *t1)
{
	return (double)(t1->tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1->tv_nsec - t0->tv_nsec) / 1e6;
}

double
bench_ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return bench_ms(t0, &t1);
}

void
bench_loadavg(void)
{
	char line[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f != NULL) {
		if (fgets(line, sizeof(line), f) == NULL)
			line[0] = '\0';
		fclose(f);
	}
	printf("load average: %s", line);
}

static uint64_t rng_state;

void
bench_seed(uint64_t seed)
{
	rng_state = seed;
}

uint64_t
bench_rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

long
bench_pick(long n)
{
	return (long)(bench_rng() % (uint64_t)n);
}

bool
bench_chance(int percent)
{
	return bench_pick(100) < percent;
}

void
bench_stamp(char out[24], long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
bench_day(char out[11], long t)
{
	char stamp[24];

	bench_stamp(stamp, t);
	memcpy(out, stamp, 10);
	out[10] = '\0';
}

int
bench_province(const char *code)
{
	return (int)strtol(code, NULL, 10) % 100;
}

uint64_t
bench_fnv(uint64_t h, long v)
{
	uint64_t x = (uint64_t)v;
	int i;

	for (i = 0; i < 8; i++, x >>= 8) {
		h ^= x & 0xff;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void
bench_checksum(char sum[32], uint64_t h)
{
	snprintf(sum, 32, "%016" PRIx64, h);
	printf("checksum %s\n", sum);
}

int
bench_verify(const char *verify, const char *sum)
{
	if (verify == NULL || strcmp(verify, sum) == 0)
		return 0;
	fprintf(stderr, "%s: checksum %s, expected %s\n", bench_prog, sum,
		verify);
	return 1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
bench_time(double stats[3], const char *label, int digits, struct ctip_arena *a,
	   bench_run_fn run, void *arg)
{
	struct ctip_err err = { 0 };
	struct timespec t0, c0, c1;
	double ms[RUNS], cpu[RUNS];
	int i;

	for (i = 0; i < RUNS; i++) {
		ctip_arena_reset(a);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (run(arg, a, &err) != CTIP_OK)
			return bench_fail("KPI", &err);
		ms[i] = bench_ms_since(&t0);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
		cpu[i] = bench_ms(&c0, &c1);
	}
	/* CPU time too: on a shared machine, wall time includes waiting
	 * for a core. */
	printf("   %s runs, wall/CPU ms:", label);
	for (i = 0; i < RUNS; i++)
		printf(" %.*f/%.*f", digits, ms[i], digits, cpu[i]);
	printf("\n");
	qsort(ms, RUNS, sizeof(*ms), cmp_double);
	stats[0] = ms[0];
	stats[1] = ms[RUNS / 2];
	stats[2] = ms[RUNS - 1];
	printf("   min %.*f / median %.*f / max %.*f ms\n", digits, stats[0],
	       digits, stats[1], digits, stats[2]);
	return 0;
}

int
bench_db_dir(struct bench_db *b, const char *tmpl)
{
	snprintf(b->dir, sizeof(b->dir), "%s", tmpl);
	if (sodium_init() < 0 || mkdtemp(b->dir) == NULL)
		return 1;
	snprintf(b->db, sizeof(b->db), "%s/bench.db", b->dir);
	snprintf(b->key, sizeof(b->key), "%s/bench.key", b->dir);
	return 0;
}

int
bench_db_open(struct ctip_keyring *kr, struct ctip_store **st,
	      const struct bench_db *b, const char *data_dir)
{
	struct ctip_err err = { 0 };
	int applied;

	if (ctip_keyring_create(b->key, &err) != CTIP_OK ||
	    ctip_keyring_load(kr, b->key, &err) != CTIP_OK)
		return bench_fail("key file", &err);
	if (ctip_store_open(st, b->db, CTIP_OPEN_CREATE, &err) != CTIP_OK ||
	    (*st)->ops->migrate(&applied, *st, &err) != CTIP_OK ||
	    ctip_refdata_load(*st, data_dir, &err) != CTIP_OK)
		return bench_fail("setup", &err);
	return 0;
}

void
bench_db_done(const struct bench_db *b, bool keep)
{
	char path[160];

	if (keep) {
		printf("kept %s (key %s)\n", b->db, b->key);
		return;
	}
	unlink(b->db);
	snprintf(path, sizeof(path), "%s-wal", b->db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", b->db);
	unlink(path);
	unlink(b->key);
	rmdir(b->dir);
}

int
bench_kpi_start(struct bench_db *b, const char *tmpl, const char *noun, long n,
		int year, unsigned long long seed)
{
	if (year < YEAR0 || year >= YEAR0 + N_YEARS || n < 1) {
		fprintf(stderr, "%s: --year %d..%d, --%s > 0\n", bench_prog,
			YEAR0, YEAR0 + N_YEARS - 1, noun);
		return 2;
	}
	if (bench_db_dir(b, tmpl) != 0)
		return 1;
	bench_seed(seed);
	printf("%s: %ld %s, seed %llu, SQLite %s %s\n", bench_prog, n, noun,
	       seed, sqlite3_libversion(), b->db);
	bench_loadavg();
	return 0;
}

int
bench_bulk_begin(struct ctip_store *st)
{
	struct ctip_err err = { 0 };

	if (st->ops->bulk(st, true, &err) != CTIP_OK ||
	    st->ops->begin(st, &err) != CTIP_OK)
		return bench_fail("begin", &err);
	return 0;
}

int
bench_bulk_commit(struct ctip_store *st)
{
	struct ctip_err err = { 0 };

	if (st->ops->commit(st, &err) != CTIP_OK ||
	    st->ops->bulk(st, false, &err) != CTIP_OK)
		return bench_fail("commit", &err);
	return 0;
}

long
bench_sql_count(const char *db, const char *sql, const char *const *args,
		int n_args)
{
	sqlite3 *raw;
	sqlite3_stmt *q;
	long n = -1;
	int i;

	if (sqlite3_open_v2(db, &raw, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK &&
	    sqlite3_prepare_v2(raw, sql, -1, &q, NULL) == SQLITE_OK) {
		for (i = 0; i < n_args; i++)
			sqlite3_bind_text(q, i + 1, args[i], -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW)
			n = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	sqlite3_close(raw);
	return n;
}
