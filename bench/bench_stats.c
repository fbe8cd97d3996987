/* bench_stats.c: the statistical indicators (issue 6, phase 1). Loads a
 * fixed-seed national dataset into a fresh SQLite database: the demo
 * generator's persons and events (default 1,000,000) through the import
 * path, then, by fixed rules on the person ids as in tests/unit/
 * test_stats.c, verification and reintegration steps, support services,
 * one intake for every person (1,000,000 intakes by default), a case for
 * every seventh with its offenders, and referrals. Then times, as a national
 * statistician, every indicator of the catalogue for the nation over the
 * half-year 2025-01-01 to 2025-06-30 (five runs), the same by each indicator's
 * first dimension, and every indicator for each of the 34 provinces; then the
 * periodic reports (issue 6): the national half-year report, the 34
 * provinces', one commune's after a change in it, and every commune's. Prints
 * the figures and a checksum (FNV-1a over every value); --verify compares it.
 * --keep leaves the database for EXPLAIN QUERY PLAN. */
#include "bench_util.h"
#include "core/org.h"
#include "core/report.h"
#include "core/setup.h"
#include "core/stats.h"

#include <sqlite3.h>

const char bench_prog[] = "bench_stats";

#define FROM "2025-01-01"
#define TO   "2025-06-30"

/* Run sql on the database file through a connection of its own. */
static int
exec_sql(const char *db, const char *sql)
{
	sqlite3 *conn = NULL;
	char *msg = NULL;
	int rc;

	if (sqlite3_open(db, &conn) != SQLITE_OK)
		return 1;
	sqlite3_busy_timeout(conn, 60000);
	rc = sqlite3_exec(conn, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fprintf(stderr, "bench_stats: %s: %s\n", sql, msg);
	sqlite3_free(msg);
	sqlite3_close(conn);
	return rc != SQLITE_OK;
}

/* One report of a form, period and place, for bench_time. */
struct report_run {
	const struct ctip_access *ax;
	const struct ctip_principal *p;
	const char *form, *period, *place;
	uint64_t h; /* checksum of the last run's totals */
	int rows;
};

static enum ctip_status
run_report(void *arg, struct ctip_arena *a, struct ctip_err *err)
{
	struct report_run *r = arg;
	struct ctip_report_view v;
	json_t *row;
	size_t i;
	enum ctip_status rc;

	rc = ctip_report_get(&v, r->ax, r->p, r->form, r->period, r->place, a,
			     err);
	if (rc != CTIP_OK)
		return rc;
	r->h = BENCH_FNV_BASIS;
	r->rows = 0;
	json_array_foreach(json_object_get(v.body, "rows"), i, row)
	{
		json_t *t = json_object_get(row, "total");

		r->h = bench_fnv(
			r->h,
			t != NULL ? (long)json_integer_value(t)
				  : (long)json_integer_value(
					    json_object_get(row, "numerator")));
		r->rows++;
	}
	json_decref(v.body);
	return CTIP_OK;
}

/* Every indicator for one place, by dim (NULL, or "first": the
 * indicator's first dimension), for bench_time. */
struct all_run {
	struct ctip_store *st;
	const struct ctip_principal *p;
	const struct ctip_indicator *inds;
	int n_inds;
	const char *province;
	bool by_first;
	uint64_t h;   /* checksum of the last run */
	long n_cells; /* values of the last run */
};

static enum ctip_status
run_all(void *arg, struct ctip_arena *a, struct ctip_err *err)
{
	struct all_run *r = arg;
	struct ctip_stats_value v;
	char dim[32];
	enum ctip_status rc;
	int i, j;

	r->h = BENCH_FNV_BASIS;
	r->n_cells = 0;
	for (i = 0; i < r->n_inds; i++) {
		snprintf(dim, sizeof(dim), "%s", r->inds[i].dimensions);
		dim[strcspn(dim, " ")] = '\0';
		rc = ctip_stats_value(&v, r->st, r->p, r->inds[i].code, FROM,
				      TO, NULL, r->province,
				      r->by_first ? dim : NULL, a, err);
		if (rc != CTIP_OK)
			return rc;
		r->h = bench_fnv(r->h, v.total);
		for (j = 0; j < v.n_values; j++)
			r->h = bench_fnv(r->h, v.values[j].value);
		r->n_cells += 1 + v.n_values;
	}
	return CTIP_OK;
}

int
main(int argc, char **argv)
{
	long n = 1000000;
	unsigned long long seed = 20261124;
	const char *data = CTIP_SRC_DIR "/data", *verify = NULL;
	bool keep = false, all_communes = false;
	const struct bench_opt opts[] = {
		{ "--persons", "N", BENCH_LONG, &n },
		{ "--seed", "N", BENCH_ULL, &seed },
		{ "--data", "DIR", BENCH_STR, &data },
		{ "--verify", "SUM", BENCH_STR, &verify },
		{ "--keep", NULL, BENCH_FLAG, &keep },
		{ "--all-communes", NULL, BENCH_FLAG, &all_communes },
	};
	struct ctip_import_stats is;
	struct ctip_err err = { 0 };
	struct ctip_keyring kr;
	struct ctip_store *st = NULL;
	struct ctip_principal pn;
	struct ctip_indicator *inds;
	struct ctip_commune *communes;
	struct ctip_arena a, ka;
	struct all_run run;
	struct timespec t0;
	struct bench_db b;
	double sn[3], sd[3], sp[3], sr[3], sc[3];
	struct ctip_access ax = { 0 };
	struct report_run rr;
	const char *roles[] = { "statistician", NULL };
	char sql[4096], sum[32];
	bool seen[100] = { false };
	int64_t unit = 0, uid = 0;
	uint64_t h = BENCH_FNV_BASIS;
	int n_inds, n_communes, c, rc;
	long n_prov = 0;

	if ((rc = bench_args(argc, argv, opts, COUNT(opts))) != 0)
		return rc;
	if (n <= 0) {
		fprintf(stderr, "bench_stats: --persons must be positive\n");
		return 2;
	}
	if (bench_db_dir(&b, "/tmp/ctip-bench-stats-XXXXXX") != 0)
		return 1;
	printf("bench_stats: %ld persons, seed %llu, SQLite %s, %s\n", n, seed,
	       sqlite3_libversion(), b.db);
	bench_loadavg();
	ctip_arena_init(&a, 64u << 20);
	ctip_arena_init(&ka, 64u << 20);
	if (bench_db_open(&kr, &st, &b, data) != 0)
		return 1;

	/* 1. Persons and events, the import path. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ctip_setup_demo(&is, st, &kr, n, seed, &err) != CTIP_OK)
		return bench_fail("demo", &err);
	printf("1. persons and events (import path)             %9.1f ms "
	       "(%ld persons, %ld events)\n",
	       bench_ms_since(&t0), is.persons, is.events);

	/* 2. Casework, intakes, cases, offenders and referrals. */
	if (ctip_org_ensure(&unit, st, "POLICE", "VN", "2026-11-24T00:00:00Z",
			    &err) != CTIP_OK ||
	    st->ops->user_insert(&uid, st, "bench-stat", "bench-stat", unit,
				 "-", roles, "2026-11-24T00:00:00Z",
				 &err) != CTIP_OK)
		return bench_fail("user", &err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	snprintf(
		sql, sizeof(sql),
		"BEGIN;"
		"INSERT INTO person_step (person_id, step, from_status, "
		"to_status, on_date, unit_id, created_at) SELECT id, 'verify', "
		"'received', 'verifying', date(received_on, '+1 day'), "
		"owner_unit_id, '2026-11-24T00:00:00Z' FROM person WHERE id %% "
		"3 = 0 AND role <> 'accompanying_minor';"
		"INSERT INTO person_step (person_id, step, from_status, "
		"to_status, on_date, unit_id, created_at) SELECT id, "
		"'reintegrate', 'support', 'reintegration', date(received_on, "
		"'+30 days'), owner_unit_id, '2026-11-24T00:00:00Z' FROM "
		"person "
		"WHERE id %% 5 = 0;"
		"INSERT INTO support_service (person_id, support_code, "
		"provider_unit_id, provided_on, location, unit, quantity, "
		"amount_vnd, regime, created_at) SELECT id, CASE id / 2 %% 10 "
		"WHEN 0 THEN 'ESSENTIAL' WHEN 1 THEN 'MEDICAL' WHEN 2 THEN "
		"'INTERPRETATION' WHEN 3 THEN 'LEGAL_COUNSEL' WHEN 4 THEN "
		"'LEGAL_AID' WHEN 5 THEN 'TRAVEL' WHEN 6 THEN 'PSYCHOLOGICAL' "
		"WHEN 7 THEN 'EDUCATION' WHEN 8 THEN 'VOCATIONAL' ELSE "
		"'HARDSHIP' END, owner_unit_id, date(received_on, '+2 days'), "
		"'in_vn', 'day', 1, 0, '2024', '2026-11-24T00:00:00Z' FROM "
		"person WHERE id %% 2 = 0;"
		"INSERT INTO support_service (person_id, support_code, "
		"provider_unit_id, provided_on, location, unit, quantity, "
		"amount_vnd, regime, created_at) SELECT id, 'MEDICAL', "
		"owner_unit_id, date(received_on, '+3 days'), 'in_vn', 'year', "
		"1, 0, '2024', '2026-11-24T00:00:00Z' FROM person WHERE id %% "
		"6 "
		"= 0;"
		"INSERT INTO intake (owner_unit_id, province_code, "
		"commune_code, "
		"received_at, channel, language, reporter_anonymous, "
		"summary_enc, classification, purpose_code, urgency, status, "
		"deadline, resolved_at, created_at, created_by, updated_at) "
		"SELECT owner_unit_id, province_code, commune_code, "
		"received_on "
		"|| 'T08:00:00Z', 'HOTLINE_111', 'vi', 1, x'00', CASE id %% 3 "
		"WHEN 0 THEN NULL WHEN 1 THEN 'trafficking_tip' ELSE "
		"'victim_help' END, CASE id %% 4 WHEN 1 THEN 'SEX' WHEN 3 THEN "
		"'LABOUR.BEGGING' END, 'normal', CASE WHEN id %% 3 = 0 THEN "
		"'received' WHEN id %% 5 < 3 THEN 'resolved' ELSE 'classified' "
		"END, CASE id %% 3 WHEN 1 THEN received_on || 'T12:00:00Z' "
		"END, "
		"CASE WHEN id %% 3 <> 0 AND id %% 5 < 3 THEN received_on || "
		"CASE "
		"id / 2 %% 2 WHEN 0 THEN 'T11:00:00Z' ELSE 'T13:00:00Z' END "
		"END, '2026-11-24T00:00:00Z', %lld, '2026-11-24T00:00:00Z' "
		"FROM person;"
		"INSERT INTO criminal_case (owner_unit_id, province_code, "
		"stage, "
		"article, title_enc, created_at, created_by, updated_at, "
		"initiated_on, solved_on, indicted_on, tried_on) SELECT "
		"owner_unit_id, province_code, 'tried', CASE id %% 3 WHEN 0 "
		"THEN "
		"'150' WHEN 1 THEN '151' END, x'00', '2026-11-24T00:00:00Z', "
		"%lld, '2026-11-24T00:00:00Z', date(received_on, '+5 days'), "
		"date(received_on, '+90 days'), CASE WHEN id %% 2 = 0 THEN "
		"date(received_on, '+150 days') END, CASE WHEN id %% 4 = 0 "
		"THEN "
		"date(received_on, '+300 days') END FROM person WHERE id %% 7 "
		"= "
		"0;"
		"INSERT INTO case_offender (case_id, role, sex, "
		"citizen_id_bidx, "
		"created_at, created_by) SELECT id, 'recruiter', CASE id %% 2 "
		"WHEN 0 THEN 'M' ELSE 'F' END, CAST('bidx' || (id %% 9973) AS "
		"BLOB), '2026-11-24T00:00:00Z', %lld FROM criminal_case;"
		"INSERT INTO referral (object_type, object_id, from_unit_id, "
		"to_unit_id, status, sent_at, sent_by, ack_due_at) SELECT "
		"'intake', id, owner_unit_id, %lld, 'sent', received_at, %lld, "
		"received_at FROM intake WHERE id %% 3 = 0;"
		"INSERT INTO activity (org_unit_id, province_code, "
		"commune_code, kind, title, started_on, ended_on, "
		"participants, created_by, created_at, updated_at) SELECT "
		"owner_unit_id, province_code, commune_code, CASE id %% 4 "
		"WHEN 0 THEN 'communication' WHEN 1 THEN 'training' WHEN 2 "
		"THEN 'inspection' ELSE 'operation' END, 'x', received_on, "
		"received_on, id %% 200, %lld, '2026-11-24T00:00:00Z', "
		"'2026-11-24T00:00:00Z' FROM person WHERE id %% 50 = 0;"
		"COMMIT;",
		(long long)uid, (long long)uid, (long long)uid, (long long)unit,
		(long long)uid, (long long)uid);
	if (exec_sql(b.db, sql) != 0)
		return 1;
	printf("2. steps, services, intakes, cases, referrals   %9.1f ms\n",
	       bench_ms_since(&t0));
	/* A fresh connection, as a server's. */
	st->ops->close(st);
	/* Mapped, as the server's connection for counting routes. */
	if (ctip_store_open(&st, b.db, CTIP_OPEN_EXISTING, &err) != CTIP_OK ||
	    st->ops->map(st, true, &err) != CTIP_OK)
		return bench_fail("reopen", &err);

	memset(&pn, 0, sizeof(pn));
	pn.user_id = uid;
	pn.roles = CTIP_ROLE_STATISTICIAN;
	pn.unit_id = unit;
	snprintf(pn.level, sizeof(pn.level), "nation");
	if (ctip_stats_indicators(&inds, &n_inds, st, &pn, &a, &err) !=
		    CTIP_OK ||
	    st->ops->communes(&communes, &n_communes, st, &a, &err) != CTIP_OK)
		return bench_fail("catalogue", &err);

	/* 3. Every indicator for the nation, the half-year. */
	printf("3. %d indicators, nation, %s to %s\n", n_inds, FROM, TO);
	run = (struct all_run){ st, &pn, inds, n_inds, NULL, false, 0, 0 };
	if (bench_time(sn, "nation-totals", 1, &ka, run_all, &run))
		return 1;
	h = bench_fnv(h, (long)run.h);
	/* 4. The same by each indicator's first dimension. */
	printf("4. %d indicators, nation, by their first dimension\n", n_inds);
	run.by_first = true;
	if (bench_time(sd, "nation-by-dimension", 1, &ka, run_all, &run))
		return 1;
	h = bench_fnv(h, (long)run.h);
	printf("   %ld values\n", run.n_cells);
	/* 5. Every indicator for each province (totals). */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run.by_first = false;
	for (c = 0; c < n_communes; c++) {
		if (seen[bench_province(communes[c].province_code)])
			continue;
		seen[bench_province(communes[c].province_code)] = true;
		run.province = communes[c].province_code;
		ctip_arena_reset(&ka);
		if (run_all(&run, &ka, &err) != CTIP_OK)
			return bench_fail("province", &err);
		h = bench_fnv(h, (long)run.h);
		n_prov++;
	}
	sp[1] = bench_ms_since(&t0);
	printf("5. %d indicators x %ld province runs           %9.1f ms\n",
	       n_inds, n_prov, sp[1]);

	/* 6. The national half-year report (every row of the form, its
	 * splits, rates and rules), as the national statistician reads
	 * it; 2025-H1 is 2024-12-15 to 2025-06-14. */
	ax.st = st;
	ax.kr = &kr;
	snprintf(pn.admin_code, sizeof(pn.admin_code), "VN");
	rr = (struct report_run){ &ax, &pn, "BC_QG_6T", "2025-H1", "VN", 0, 0 };
	printf("6. national half-year report BC_QG_6T 2025-H1\n");
	if (bench_time(sr, "report-nation", 1, &ka, run_report, &rr))
		return 1;
	h = bench_fnv(h, (long)rr.h);
	printf("   %d rows\n", rr.rows);
	/* 7. The 34 provinces' half-year reports. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(seen, 0, sizeof(seen));
	rr.form = "BC_TINH_6T";
	for (c = 0; c < n_communes; c++) {
		if (seen[bench_province(communes[c].province_code)])
			continue;
		seen[bench_province(communes[c].province_code)] = true;
		rr.place = communes[c].province_code;
		ctip_arena_reset(&ka);
		if (run_report(&rr, &ka, &err) != CTIP_OK)
			return bench_fail("province report", &err);
		h = bench_fnv(h, (long)rr.h);
	}
	printf("7. %ld province reports BC_TINH_6T               %9.1f ms\n",
	       n_prov, bench_ms_since(&t0));
	/* 8. One commune's change: a person of the first commune received
	 * in the half-year, then that commune's report computed again. */
	snprintf(sql, sizeof(sql),
		 "UPDATE person SET received_on = '2025-03-03' WHERE id = "
		 "(SELECT min(id) FROM person WHERE commune_code = '%s')",
		 communes[0].code);
	if (exec_sql(b.db, sql) != 0)
		return 1;
	rr = (struct report_run){
		&ax, &pn, "BC_XA_6T", "2025-H1", communes[0].code, 0, 0
	};
	printf("8. one commune's report after its change (%s)\n",
	       communes[0].code);
	if (bench_time(sc, "report-commune", 2, &ka, run_report, &rr))
		return 1;
	h = bench_fnv(h, (long)rr.h);
	/* 9. Every commune's report, one after the other (long: only on
	 * request). */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (c = 0; all_communes && c < n_communes; c++) {
		rr.place = communes[c].code;
		ctip_arena_reset(&ka);
		if (run_report(&rr, &ka, &err) != CTIP_OK)
			return bench_fail("commune report", &err);
		h = bench_fnv(h, (long)rr.h);
	}
	if (all_communes)
		printf("9. %d commune reports BC_XA_6T             %9.1f ms\n",
		       n_communes, bench_ms_since(&t0));
	st->ops->close(st);

	bench_checksum(sum, h);
	/* The by-dimension run gives every total too: it is the report. */
	printf("nation half-year, all indicators: %.1f ms totals only, %.1f "
	       "ms with a dimension each (medians of %d; target 2000 ms: "
	       "%s)\n",
	       sn[1], sd[1], RUNS, sd[1] < 2000 ? "met" : "NOT met");
	printf("national half-year report: %.1f ms (target 2000 ms: %s); one "
	       "commune's report after a change: %.2f ms (target 100 ms: "
	       "%s)\n",
	       sr[1], sr[1] < 2000 ? "met" : "NOT met", sc[1],
	       sc[1] < 100 ? "met" : "NOT met");
	ctip_keyring_wipe(&kr);
	ctip_arena_free(&a);
	ctip_arena_free(&ka);
	bench_db_done(&b, keep);
	return bench_verify(verify, sum);
}
