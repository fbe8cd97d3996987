/* bench_case_kpi.c: the criminal-case KPI computation (issue 5). Loads a
 * fixed-seed national history of criminal cases (default 200,000, about
 * 200 times the country's real yearly count, over the 34 provinces and
 * 2022-01-01 to 2026-11-23) with their stage changes into a fresh SQLite
 * database through the store, then times ctip_case_kpi for the whole
 * country over one year (a national statistician; five runs), for the
 * whole country over the five years, and for the largest province over
 * the year. The generator tallies what it inserts; the KPIs must equal
 * those tallies and a straight SQL count; the figures end with a checksum
 * (FNV-1a over the counts). --keep leaves the database for EXPLAIN QUERY
 * PLAN. */
#include "bench_util.h"
#include "core/case.h"
#include "core/org.h"
#include "core/person.h"

#define MAX_UNITS 3 /* case-owning police units per province */

const char bench_prog[] = "bench_case_kpi";

static const char *const chain[] = { "initiated", "investigated", "solved",
				     "indicted",  "tried",        "verdict" };

/* What the generator inserted, for one province (or the nation) and year. */
struct tally {
	long initiated, reached[6], suspended, closed;
};

struct province {
	const char *code;
	int n_communes;
	const char *commune; /* one commune, for the commune police unit */
	int64_t units[MAX_UNITS];
	struct tally years[N_YEARS];
};

static uint64_t
kpi_sum(uint64_t h, const struct ctip_case_kpi *k)
{
	const struct ctip_case_counts *c = &k->counts;

	h = bench_fnv(h, c->initiated);
	h = bench_fnv(h, c->investigated);
	h = bench_fnv(h, c->solved);
	h = bench_fnv(h, c->indicted);
	h = bench_fnv(h, c->tried);
	h = bench_fnv(h, c->verdict);
	h = bench_fnv(h, c->suspended);
	return bench_fnv(h, c->closed);
}

static void
add(struct tally *to, const struct tally *t)
{
	int i;

	to->initiated += t->initiated;
	for (i = 0; i < 6; i++)
		to->reached[i] += t->reached[i];
	to->suspended += t->suspended;
	to->closed += t->closed;
}

static bool
check(const char *what, const struct ctip_case_kpi *k, const struct tally *t)
{
	const struct ctip_case_counts *c = &k->counts;
	bool ok = c->initiated == t->initiated &&
		  c->investigated == t->reached[1] &&
		  c->solved == t->reached[2] && c->indicted == t->reached[3] &&
		  c->tried == t->reached[4] && c->verdict == t->reached[5] &&
		  c->suspended == t->suspended && c->closed == t->closed;

	if (!ok)
		fprintf(stderr,
			"bench_case_kpi: %s: KPI %ld %ld %ld %ld %ld %ld %ld "
			"%ld, inserted %ld %ld %ld %ld %ld %ld %ld %ld\n",
			what, c->initiated, c->investigated, c->solved,
			c->indicted, c->tried, c->verdict, c->suspended,
			c->closed, t->initiated, t->reached[1], t->reached[2],
			t->reached[3], t->reached[4], t->reached[5],
			t->suspended, t->closed);
	return ok;
}

static void
print_kpi(const char *what, const struct ctip_case_kpi *k)
{
	const struct ctip_case_counts *c = &k->counts;

	printf("   %s: initiated %ld, investigated %ld, solved %ld, indicted "
	       "%ld, tried %ld, verdict %ld; suspended %ld, closed %ld\n",
	       what, c->initiated, c->investigated, c->solved, c->indicted,
	       c->tried, c->verdict, c->suspended, c->closed);
	printf("   solved/initiated %.1f%% (%s), indicted/solved %.1f%% (%s), "
	       "tried/indicted %.1f%% (%s)\n",
	       100 * k->solved.rate, k->solved.light, 100 * k->indicted.rate,
	       k->indicted.light, 100 * k->tried.rate, k->tried.light);
}

/* One run of ctip_case_kpi, for bench_time. */
struct kpi_run {
	struct ctip_case_kpi *out;
	struct ctip_store *st;
	const struct ctip_principal *p;
	const char *from, *to;
};

static enum ctip_status
run_kpi(void *arg, struct ctip_arena *a, struct ctip_err *err)
{
	struct kpi_run *r = arg;

	return ctip_case_kpi(r->out, r->st, r->p, r->from, r->to, 0, NULL, a,
			     err);
}

static const char *const titles[] = {
	"Đường dây đưa phụ nữ sang biên giới bán làm vợ",
	"Tuyển lao động lương cao đưa sang khu kinh tế đặc biệt",
	"Mua bán trẻ sơ sinh qua mạng xã hội",
	"Ép buộc lao động trong cơ sở sản xuất",
	"Môi giới mang thai hộ vì mục đích thương mại",
};

int
main(int argc, char **argv)
{
	long n_cases = 200000, k, t, sql_initiated = -1;
	unsigned long long seed = 20261124;
	int year = 2025, rc, n_communes, n_prov = 0, j, y, reach;
	const char *data = CTIP_SRC_DIR "/data", *verify = NULL;
	bool keep = false, ok;
	char sum[32];
	char now[24], created[24], dates[7][11], from[16], to[16];
	unsigned char *title_enc;
	struct province prov[40], *pv = NULL;
	int by_code[100];
	struct ctip_commune *communes;
	struct ctip_err err = { 0 };
	struct bench_db b;
	struct ctip_keyring kr;
	struct ctip_store *st;
	struct ctip_arena a, ka;
	struct ctip_principal pn, pp;
	struct ctip_case_kpi kn, kall, kp;
	struct ctip_case_row row;
	struct ctip_case_rec rec;
	struct ctip_case_stage_row sr;
	struct tally nation = { 0 }, all = { 0 };
	struct timespec t0;
	const char *const roles[] = { "investigator", NULL };
	int64_t uid, id, sid;
	double ms, sn[3], sall[3], sp[3];
	uint64_t h = BENCH_FNV_BASIS;
	struct kpi_run run;
	const struct bench_opt opts[] = {
		{ "--cases", "N", BENCH_LONG, &n_cases },
		{ "--seed", "N", BENCH_ULL, &seed },
		{ "--year", "YYYY", BENCH_INT, &year },
		{ "--data", "DIR", BENCH_STR, &data },
		{ "--keep", NULL, BENCH_FLAG, &keep },
		{ "--verify", "CHECKSUM", BENCH_STR, &verify },
	};

	if ((rc = bench_args(argc, argv, opts, COUNT(opts))) != 0 ||
	    (rc = bench_kpi_start(&b, "/tmp/ctip-bench-case-XXXXXX", "cases",
				  n_cases, year, seed)) != 0)
		return rc;
	ctip_arena_init(&a, (size_t)64 << 20);
	ctip_arena_init(&ka, (size_t)1 << 20);

	/* 1. Schema, reference data, police units, one user. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ctip_now(now);
	if (bench_db_open(&kr, &st, &b, data) != 0)
		return 1;
	if (st->ops->communes(&communes, &n_communes, st, &a, &err) != CTIP_OK)
		return bench_fail("reference data", &err);
	memset(prov, 0, sizeof(prov));
	memset(by_code, -1, sizeof(by_code));
	for (j = 0; j < n_communes; j++) {
		int c = bench_province(communes[j].province_code);

		if (by_code[c] < 0) {
			if (n_prov == COUNT(prov))
				return 1;
			by_code[c] = n_prov;
			prov[n_prov].code = communes[j].province_code;
			prov[n_prov].commune = communes[j].code;
			n_prov++;
		}
		prov[by_code[c]].n_communes++;
	}
	for (j = 0; j < n_prov; j++) {
		pv = &prov[j];
		/* The province police, a commune police, the province
		 * procuracy (owner of none: it moves the later stages). */
		if (ctip_org_ensure(&pv->units[0], st, "POLICE", pv->code, now,
				    &err) != CTIP_OK ||
		    ctip_org_ensure(&pv->units[1], st, "POLICE", pv->commune,
				    now, &err) != CTIP_OK ||
		    ctip_org_ensure(&pv->units[2], st, "BORDER_GUARD", pv->code,
				    now, &err) != CTIP_OK)
			return bench_fail("org units", &err);
	}
	if (st->ops->user_insert(&uid, st, "bench", "Bench", prov[0].units[0],
				 "-", roles, now, &err) != CTIP_OK)
		return bench_fail("user", &err);
	pv = &prov[0];
	for (j = 1; j < n_prov; j++)
		if (prov[j].n_communes > pv->n_communes)
			pv = &prov[j];
	printf("1. schema, reference data, %d provinces, units  %9.1f ms\n",
	       n_prov, bench_ms_since(&t0));

	/* 2. The cases with their stage changes, one transaction. Each is
	 * opened as a lead, initiated 0-30 days later; 93% are solved, 95%
	 * of those indicted, 91% of those tried, 97% of those given a
	 * verdict; each step 20-120 days after the one before, and only if
	 * that day has come. Of the cases that stop short, one in three is
	 * suspended, one in three closed. */
	title_enc = ctip_xmalloc(512);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (bench_bulk_begin(st) != 0)
		return 1;
	for (k = 0; k < n_cases; k++) {
		const struct ctip_commune *c =
			&communes[bench_pick(n_communes)];
		struct province *p =
			&prov[by_code[bench_province(c->province_code)]];
		const char *s = titles[bench_pick(COUNT(titles))];
		static const int odds[6] = { 100, 96, 93, 95, 91, 97 };
		struct tally *ty;
		long tt, last = 0;
		bool stopped;

		t = T_FROM + bench_pick(T_TO - T_FROM - 31 * DAY);
		bench_stamp(created, t);
		memset(&row, 0, sizeof(row));
		row.owner_unit_id = p->units[bench_pick(2)];
		row.province_code = p->code;
		row.stage = "lead";
		row.article = bench_chance(80)   ? "150"
			      : bench_chance(75) ? "151"
						 : "other";
		row.title_enc_len = strlen(s) + CTIP_SEAL_OVERHEAD;
		ctip_seal(title_enc, &kr, "case.title", s, strlen(s));
		row.title_enc = title_enc;
		row.created_at = created;
		row.created_by = uid;
		if (st->ops->case_insert(&id, st, &row, &err) != CTIP_OK)
			return bench_fail("case", &err);
		/* How far it goes, and on which days. */
		tt = t + bench_pick(31) * DAY;
		for (reach = 0; reach < 6; reach++) {
			if (reach > 0)
				tt += (20 + bench_pick(101)) * DAY;
			if (tt >= T_TO || !bench_chance(odds[reach]))
				break;
			bench_day(dates[reach], tt);
			last = tt;
		}
		if (reach == 0)
			continue; /* still a lead */
		memset(&rec, 0, sizeof(rec));
		rec.id = id;
		rec.owner_unit_id = row.owner_unit_id;
		rec.province_code = row.province_code;
		rec.article = row.article;
		rec.title_enc = title_enc;
		rec.title_enc_len = row.title_enc_len;
		rec.case_number = "01/BENCH";
		rec.initiated_on = dates[0];
		rec.investigated_on = reach > 1 ? dates[1] : NULL;
		rec.solved_on = reach > 2 ? dates[2] : NULL;
		rec.indicted_on = reach > 3 ? dates[3] : NULL;
		rec.tried_on = reach > 4 ? dates[4] : NULL;
		rec.verdict_on = reach > 5 ? dates[5] : NULL;
		rec.stage = chain[reach - 1];
		rec.stage_on = dates[reach - 1];
		rec.updated_at = created;
		rec.version = 1;
		ty = &p->years[(int)strtol(dates[0], NULL, 10) - YEAR0];
		ty->initiated++;
		for (j = 0; j < reach; j++)
			ty->reached[j]++;
		stopped = reach < 6 && bench_chance(67);
		if (stopped) {
			bool susp = bench_chance(50);

			tt = last + (10 + bench_pick(60)) * DAY;
			bench_day(dates[6], tt < T_TO ? tt : last);
			rec.suspended_from = susp ? rec.stage : NULL;
			rec.stage = susp ? "suspended" : "closed";
			rec.stage_on = dates[6];
			ty->suspended += susp;
			ty->closed += !susp;
		}
		if (st->ops->cases->update(st, &rec, &err) != CTIP_OK)
			return bench_fail("update", &err);
		/* The history: one row per step taken. */
		for (j = 0; j < reach + stopped; j++) {
			memset(&sr, 0, sizeof(sr));
			sr.case_id = id;
			sr.from_stage = j == 0 ? "lead" : chain[j - 1];
			sr.to_stage = j < reach ? chain[j] : rec.stage;
			sr.on_date = j < reach ? dates[j] : dates[6];
			sr.unit_id = row.owner_unit_id;
			sr.user_id = uid;
			sr.created_at = created;
			if (st->ops->cases->stage_insert(&sid, st, &sr, &err) !=
			    CTIP_OK)
				return bench_fail("stage", &err);
		}
	}
	if (bench_bulk_commit(st) != 0)
		return 1;
	ms = bench_ms_since(&t0);
	printf("2. insert cases and stages (one transaction)    %9.1f ms "
	       "(%.0f cases/s)\n",
	       ms, (double)n_cases / (ms / 1e3));
	/* A fresh connection, as a server's. */
	st->ops->close(st);
	/* Mapped, as the server's connection for counting routes. */
	if (ctip_store_open(&st, b.db, CTIP_OPEN_EXISTING, &err) != CTIP_OK ||
	    st->ops->map(st, true, &err) != CTIP_OK)
		return bench_fail("reopen", &err);
	for (j = 0; j < n_prov; j++) {
		add(&nation, &prov[j].years[year - YEAR0]);
		for (y = 0; y < N_YEARS; y++)
			add(&all, &prov[j].years[y]);
	}

	/* 3. The whole country over one year, as a national statistician. */
	snprintf(from, sizeof(from), "%d-01-01", year);
	snprintf(to, sizeof(to), "%d-12-31", year);
	memset(&pn, 0, sizeof(pn));
	pn.user_id = uid;
	pn.roles = CTIP_ROLE_STATISTICIAN;
	pn.unit_id = prov[0].units[0];
	snprintf(pn.level, sizeof(pn.level), "nation");
	printf("3. KPI nation, %s to %s\n", from, to);
	run = (struct kpi_run){ &kn, st, &pn, from, to };
	if (bench_time(sn, "nation-year", 2, &ka, run_kpi, &run))
		return 1;
	print_kpi("nation-year", &kn);
	ok = check("nation-year", &kn, &nation);
	h = kpi_sum(h, &kn);

	/* 4. The whole country over the five years. */
	printf("4. KPI nation, %d-01-01 to %d-12-31\n", YEAR0,
	       YEAR0 + N_YEARS - 1);
	snprintf(from, sizeof(from), "%d-01-01", YEAR0);
	snprintf(to, sizeof(to), "%d-12-31", YEAR0 + N_YEARS - 1);
	run.out = &kall;
	if (bench_time(sall, "nation-5-years", 2, &ka, run_kpi, &run))
		return 1;
	print_kpi("nation-5-years", &kall);
	ok = check("nation-5-years", &kall, &all) && ok;
	h = kpi_sum(h, &kall);

	/* 5. The largest province over the year, as its statistician. */
	snprintf(from, sizeof(from), "%d-01-01", year);
	snprintf(to, sizeof(to), "%d-12-31", year);
	pp = pn;
	snprintf(pp.level, sizeof(pp.level), "province");
	snprintf(pp.province_code, sizeof(pp.province_code), "%s", pv->code);
	printf("5. KPI province %s (%d communes), %s to %s\n", pv->code,
	       pv->n_communes, from, to);
	run.out = &kp;
	run.p = &pp;
	if (bench_time(sp, "province-year", 2, &ka, run_kpi, &run))
		return 1;
	print_kpi("province-year", &kp);
	ok = check("province-year", &kp, &pv->years[year - YEAR0]) && ok;
	h = kpi_sum(h, &kp);
	st->ops->close(st);

	/* 6. The nation-year's initiated count by straight SQL. */
	snprintf(from, sizeof(from), "%d", year);
	sql_initiated =
		bench_sql_count(b.db,
				"SELECT count(*) FROM criminal_case WHERE "
				"substr(initiated_on, 1, 4) = ?1",
				(const char *const[]){ from }, 1);
	printf("6. SQL count of cases initiated in %d: %ld (KPI %ld)\n", year,
	       sql_initiated, kn.counts.initiated);
	ok = ok && sql_initiated == kn.counts.initiated;

	bench_checksum(sum, h);
	printf("nation-year %.2f ms (target 1000 ms: %s), nation-5-years "
	       "%.2f ms, province-year %.2f ms (medians of %d)\n",
	       sn[1], sn[1] < 1000 ? "met" : "NOT met", sall[1], sp[1], RUNS);

	ctip_keyring_wipe(&kr);
	ctip_arena_free(&a);
	ctip_arena_free(&ka);
	free(title_enc);
	bench_db_done(&b, keep);
	if (!ok) {
		fprintf(stderr,
			"bench_case_kpi: the KPIs differ from the data\n");
		return 1;
	}
	return bench_verify(verify, sum);
}
