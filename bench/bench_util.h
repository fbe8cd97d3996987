/* bench_util.h: what the benchmarks share: the command line, timing, a
 * fixed-seed generator, the FNV-1a checksum and its --verify, and a fresh
 * SQLite database with its key file in a temporary directory. Each bench
 * defines bench_prog, the name its messages start with. */
#ifndef CTIP_BENCH_UTIL_H
#define CTIP_BENCH_UTIL_H

#include "core/refdata.h"
#include "util/crypto.h"

#include <time.h>

/* The national history the KPI benches generate: 2022-01-01 up to
 * 2026-11-23, nothing after the day of the benchmark. */
#define YEAR0   2022
#define N_YEARS 5
#define T_FROM  1640995200L /* 2022-01-01T00:00:00Z */
#define T_TO    1795478400L /* 2026-11-24T00:00:00Z */
#define HOUR    3600L
#define DAY     86400L
#define RUNS    5 /* timed runs of each query */

#define COUNT(v) ((long)(sizeof(v) / sizeof((v)[0])))

/* "bench_kpi" and so on, defined by each bench. */
extern const char bench_prog[];

/* One option of the command line: --name ARG, or a flag when arg is NULL.
 * out is a long *, int *, unsigned long long *, const char ** or bool *
 * as kind says. */
enum bench_kind { BENCH_LONG, BENCH_INT, BENCH_ULL, BENCH_STR, BENCH_FLAG };

struct bench_opt {
	const char *name;
	const char *arg;
	enum bench_kind kind;
	void *out;
};

/* Read argv into the options; 0, or 2 after printing the usage (an
 * unknown option, --help, or an option without its value). */
int bench_args(int argc, char **argv, const struct bench_opt *opts, int n_opts);

/* Print "bench_prog: what: message" on stderr; 1, for main to return. */
int bench_fail(const char *what, const struct ctip_err *err);

/* Milliseconds from t0 to t1, and from t0 to now (CLOCK_MONOTONIC). */
double bench_ms(const struct timespec *t0, const struct timespec *t1);
double bench_ms_since(const struct timespec *t0);

/* Print the machine's load when the run starts (others share it). */
void bench_loadavg(void);

/* splitmix64: fixed seed, same sequence on every machine. bench_pick is
 * uniform in [0, n), bench_chance true with probability percent/100. */
void bench_seed(uint64_t seed);
uint64_t bench_rng(void);
long bench_pick(long n);
bool bench_chance(int percent);

/* t (seconds since the epoch, UTC) as 2026-11-24T00:00:00Z, and as
 * 2026-11-24. */
void bench_stamp(char out[24], long t);
void bench_day(char out[11], long t);

/* A province code ("01".."99") as a number. */
int bench_province(const char *code);

/* FNV-1a: h (starting at BENCH_FNV_BASIS) with the 8 bytes of v. */
#define BENCH_FNV_BASIS 0xcbf29ce484222325ULL
uint64_t bench_fnv(uint64_t h, long v);

/* Print "checksum HEX" of h, HEX into sum; bench_verify is 0 when verify
 * is NULL or sum, else 1 after saying so. */
void bench_checksum(char sum[32], uint64_t h);
int bench_verify(const char *verify, const char *sum);

/* RUNS runs of run(arg, a, err), a reset before each: prints their wall
 * and CPU times and min / median / max with digits decimals, and fills
 * stats with those three. 0, or 1 after bench_fail when a run fails. */
typedef enum ctip_status (*bench_run_fn)(void *arg, struct ctip_arena *a,
					 struct ctip_err *err);
int bench_time(double stats[3], const char *label, int digits,
	       struct ctip_arena *a, bench_run_fn run, void *arg);

/* A fresh database: dir from a template ending in XXXXXX, bench.db and
 * bench.key in it. */
struct bench_db {
	char dir[64], db[128], key[128];
};

/* Initialise libsodium, make the directory and the paths; 1 on failure. */
int bench_db_dir(struct bench_db *b, const char *tmpl);
/* Create the key file and the store, migrate it and load the reference
 * data of data_dir; 0, or 1 after bench_fail. */
int bench_db_open(struct ctip_keyring *kr, struct ctip_store **st,
		  const struct bench_db *b, const char *data_dir);
/* With keep, say where the database and key are; else remove them (and
 * the WAL files) and the directory. */
void bench_db_done(const struct bench_db *b, bool keep);

/* The start of a KPI bench of n things (noun: "intakes") in year: 2
 * after saying so unless year is one of the N_YEARS and n > 0; 1 when
 * bench_db_dir fails; else the generator seeded, the first line (counts,
 * seed, SQLite version, database) and the load average printed, 0. */
int bench_kpi_start(struct bench_db *b, const char *tmpl, const char *noun,
		    long n, int year, unsigned long long seed);

/* Bulk mode and a transaction around a load, then commit and leave bulk
 * mode; 0, or 1 after bench_fail. */
int bench_bulk_begin(struct ctip_store *st);
int bench_bulk_commit(struct ctip_store *st);

/* A count(*) by straight SQL on the database file, read-only, with the
 * texts args[0..n_args) bound to ?1, ?2...; -1 on failure. */
long bench_sql_count(const char *db, const char *sql, const char *const *args,
		     int n_args);

#endif
