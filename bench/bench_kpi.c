/* bench_kpi.c: intake KPI computation (issue 4). Loads a fixed-seed
 * national history of intakes (default 1,000,000 over the 34 provinces and
 * 2022-01-01 to 2026-11-23) with their classification, legal clock,
 * resolution and referrals into a fresh SQLite database through the store,
 * then times ctip_intake_kpi for one province-year (a provincial
 * statistician; five runs) and for the whole country over the same year
 * (a national statistician; five runs). The generator tallies what it
 * inserts, and the KPIs must equal those tallies and, for the
 * province-year's received count, a straight SQL count; the figures end
 * with a checksum (FNV-1a over the KPI counts). --keep leaves the database
 * for EXPLAIN QUERY PLAN and index experiments with sqlite3; --sql runs
 * SQL on it after the load (say, a candidate index) before the timing. */
#include "bench_util.h"
#include "core/intake.h"
#include "core/kpi.h"
#include "core/org.h"
#include "core/person.h"

#include <sqlite3.h>

#define MAX_UNITS 4 /* intake-owning units per province */

const char bench_prog[] = "bench_kpi";

/* What the generator inserted for one province (or the nation) and year. */
struct tally {
	long received, classified, resolved, tips, tips_resolved, tips_in_time,
		referred, to_health, to_social;
};

struct province {
	const char *code;
	const char **communes;
	int n_communes;
	int64_t units[MAX_UNITS]; /* province police, 3 commune police */
	int64_t health, social;   /* referral targets */
	struct tally years[N_YEARS];
};

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* Median of n delays in seconds, in hours; -1 when n is 0. */
static double
median_hours(long *v, long n)
{
	if (n == 0)
		return -1.0;
	qsort(v, (size_t)n, sizeof(*v), cmp_long);
	return (n % 2 ? (double)v[n / 2]
		      : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0) /
	       3600.0;
}

static uint64_t
kpi_sum(uint64_t h, const struct ctip_intake_kpi *k)
{
	const struct ctip_intake_counts *c = &k->counts;
	int i;

	h = bench_fnv(h, c->received);
	h = bench_fnv(h, c->classified);
	h = bench_fnv(h, c->resolved);
	h = bench_fnv(h, c->tips);
	h = bench_fnv(h, c->tips_resolved);
	h = bench_fnv(h, c->tips_in_time);
	h = bench_fnv(h, c->referred);
	for (i = 0; i < k->n_agencies; i++)
		h = bench_fnv(h, k->agency_counts[i]);
	return bench_fnv(h, (long)(k->median_hours_to_referral * 1000.0 + 0.5));
}

static long
agency_count(const struct ctip_intake_kpi *k, const char *agency)
{
	int i;

	for (i = 0; i < k->n_agencies; i++)
		if (strcmp(k->agencies[i], agency) == 0)
			return k->agency_counts[i];
	return 0;
}

/* The KPI against the generator's tally; prints every difference. */
static bool
check(const char *what, const struct ctip_intake_kpi *k, const struct tally *t,
      double median)
{
	const struct ctip_intake_counts *c = &k->counts;
	bool ok = c->received == t->received &&
		  c->classified == t->classified &&
		  c->resolved == t->resolved && c->tips == t->tips &&
		  c->tips_resolved == t->tips_resolved &&
		  c->tips_in_time == t->tips_in_time &&
		  c->referred == t->referred &&
		  agency_count(k, "HEALTH") == t->to_health &&
		  agency_count(k, "SOCIAL_FACILITY") == t->to_social &&
		  k->n_agencies == (t->to_health > 0) + (t->to_social > 0) &&
		  k->median_hours_to_referral == median;

	if (!ok)
		fprintf(stderr,
			"bench_kpi: %s: KPI %ld %ld %ld %ld %ld %ld %ld %ld "
			"%ld %.3f, inserted %ld %ld %ld %ld %ld %ld %ld %ld "
			"%ld %.3f\n",
			what, c->received, c->classified, c->resolved, c->tips,
			c->tips_resolved, c->tips_in_time, c->referred,
			agency_count(k, "HEALTH"),
			agency_count(k, "SOCIAL_FACILITY"),
			k->median_hours_to_referral, t->received, t->classified,
			t->resolved, t->tips, t->tips_resolved, t->tips_in_time,
			t->referred, t->to_health, t->to_social, median);
	return ok;
}

static void
print_kpi(const char *what, const struct ctip_intake_kpi *k)
{
	const struct ctip_intake_counts *c = &k->counts;
	int i;

	printf("   %s: received %ld, classified %ld (%.1f%%), resolved %ld "
	       "(%.1f%%)\n",
	       what, c->received, c->classified, 100 * k->share_classified,
	       c->resolved, 100 * k->share_resolved);
	printf("   tips %ld, resolved %ld, in time %ld (%.1f%% of tips); "
	       "referred %ld;",
	       c->tips, c->tips_resolved, c->tips_in_time,
	       100 * k->share_tips_in_time, c->referred);
	for (i = 0; i < k->n_agencies; i++)
		printf(" %s %ld", k->agencies[i], k->agency_counts[i]);
	printf("; median %.2f h to referral\n", k->median_hours_to_referral);
}

/* One run of ctip_intake_kpi, for bench_time. */
struct kpi_run {
	struct ctip_intake_kpi *out;
	struct ctip_store *st;
	const struct ctip_principal *p;
	const char *from, *to;
};

static enum ctip_status
run_kpi(void *arg, struct ctip_arena *a, struct ctip_err *err)
{
	struct kpi_run *r = arg;

	return ctip_intake_kpi(r->out, r->st, r->p, r->from, r->to, NULL, NULL,
			       a, err);
}

static const char *const summaries[] = {
	"Người gọi báo con gái bị môi giới hứa việc làm nhà hàng, nghi bị "
	"đưa qua biên giới",
	"Phụ nữ gọi từ nước ngoài, bị giữ giấy tờ, làm việc không lương",
	"Hàng xóm thấy ba thiếu nữ bị đưa lên xe lúc nửa đêm",
	"Tin báo của đồn biên phòng về nhóm người vượt biên trái phép",
	"Người mẹ hỏi cách tìm con trai sang làm việc ở khu kinh tế đặc biệt",
	"Thông tin trên mạng xã hội tuyển lao động lương cao không cần kinh "
	"nghiệm",
	"Nạn nhân trở về cần hỗ trợ y tế và tâm lý",
	"Tố giác đối tượng môi giới kết hôn với người nước ngoài",
};
static const char *const names[] = {
	"Nguyễn Thị Hoa", "Trần Văn Minh", "Lê Thị Lan",   "Phạm Văn Đức",
	"Hoàng Thị Mai",  "Vũ Văn Hùng",   "Đặng Thị Thu", "Bùi Văn Long",
};
static const char *const tip_channels[] = { "DENUNCIATION", "CRIME_REPORT",
					    "PROSECUTION_RECOMMENDATION" };
static const char *const other_channels[] = {
	"HOTLINE_111", "HOTLINE_111", "HOTLINE_111", "HOTLINE_111",
	"WALK_IN",     "ONLINE",      "LETTER",      "CROSS_BORDER_HOTLINE",
	"PHONE_OTHER", "PRESS",
};
static const char *const other_classes[] = { "victim_help", "information",
					     "other" };
static const char *const urgencies[] = { "low", "normal", "normal", "high",
					 "critical" };
static const char *const decisions[] = { "initiate", "not_initiate",
					 "suspend" };

int
main(int argc, char **argv)
{
	long n_intakes = 1000000, k, t, tr, n_delays_p = 0, n_delays_n = 0;
	long *delays_p, *delays_n, sql_received = -1;
	unsigned long long seed = 20261124;
	int year = 2025, rc, n_communes, n_prov = 0, n_purposes, j, y;
	const char *data = CTIP_SRC_DIR "/data", *verify = NULL;
	const char *want = NULL, **purposes, *extra_sql = NULL;
	bool keep = false, ok;
	char sum[32];
	char now[24], received[24], vn_day[24], classified_at[24], deadline[24];
	char resolved_at[24], sent_at[24], ack_due[24], idem[32], from[32],
		to[32], phone[16];
	unsigned char *summary_enc, *name_enc, *phone_enc,
		bidx[CTIP_BLIND_BYTES];
	struct province prov[40], *pv = NULL;
	int by_code[100];
	struct ctip_commune *communes;
	struct ctip_err err = { 0 };
	struct bench_db b;
	struct ctip_keyring kr;
	struct ctip_store *st;
	struct ctip_arena a, ka;
	struct ctip_principal pp, pn;
	struct ctip_intake_kpi kp, kn;
	struct ctip_intake_row r;
	struct ctip_referral_row ref;
	struct tally nation = { 0 };
	struct timespec t0;
	const char *const roles[] = { "hotline_operator", NULL };
	int64_t uid, id, rid;
	double ms, sp[3], sn[3], med_p, med_n;
	uint64_t h = BENCH_FNV_BASIS;
	sqlite3 *raw;
	struct kpi_run run;
	const struct bench_opt opts[] = {
		{ "--intakes", "N", BENCH_LONG, &n_intakes },
		{ "--seed", "N", BENCH_ULL, &seed },
		{ "--province", "CODE", BENCH_STR, &want },
		{ "--year", "YYYY", BENCH_INT, &year },
		{ "--data", "DIR", BENCH_STR, &data },
		{ "--keep", NULL, BENCH_FLAG, &keep },
		{ "--sql", "SQL", BENCH_STR, &extra_sql },
		{ "--verify", "CHECKSUM", BENCH_STR, &verify },
	};

	if ((rc = bench_args(argc, argv, opts, COUNT(opts))) != 0 ||
	    (rc = bench_kpi_start(&b, "/tmp/ctip-bench-kpi-XXXXXX", "intakes",
				  n_intakes, year, seed)) != 0)
		return rc;
	ctip_arena_init(&a, (size_t)64 << 20);
	ctip_arena_init(&ka, (size_t)1 << 30);

	/* 1. Schema, reference data, org units, one user. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ctip_now(now);
	if (bench_db_open(&kr, &st, &b, data) != 0)
		return 1;
	if (st->ops->communes(&communes, &n_communes, st, &a, &err) !=
		    CTIP_OK ||
	    st->ops->ref_codes(&purposes, &n_purposes, st, CTIP_REF_PURPOSE, &a,
			       &err) != CTIP_OK)
		return bench_fail("reference data", &err);
	memset(prov, 0, sizeof(prov));
	memset(by_code, -1, sizeof(by_code));
	/* Communes come in code order, grouped by province. */
	for (j = 0; j < n_communes; j++) {
		int c = bench_province(communes[j].province_code);

		if (by_code[c] < 0) {
			if (n_prov == COUNT(prov))
				return 1;
			by_code[c] = n_prov;
			prov[n_prov].code = communes[j].province_code;
			prov[n_prov].communes = ctip_arena_alloc(
				&a, (size_t)n_communes * sizeof(char *));
			n_prov++;
		}
		pv = &prov[by_code[c]];
		pv->communes[pv->n_communes++] = communes[j].code;
	}
	for (j = 0; j < n_prov; j++) {
		pv = &prov[j];
		if (ctip_org_ensure(&pv->units[0], st, "POLICE", pv->code, now,
				    &err) != CTIP_OK ||
		    ctip_org_ensure(&pv->health, st, "HEALTH", pv->code, now,
				    &err) != CTIP_OK ||
		    ctip_org_ensure(&pv->social, st, "SOCIAL_FACILITY",
				    pv->code, now, &err) != CTIP_OK)
			return bench_fail("org units", &err);
		for (y = 1; y < MAX_UNITS; y++)
			if (ctip_org_ensure(
				    &pv->units[y], st, "POLICE",
				    pv->communes[(y - 1) * pv->n_communes / 3],
				    now, &err) != CTIP_OK)
				return bench_fail("org units", &err);
	}
	if (st->ops->user_insert(&uid, st, "bench", "Bench", prov[0].units[0],
				 "$argon2id$v=19$m=65536,t=2,p=1$"
				 "YmVuY2hiZW5jaA$"
				 "ZHVtbXlkdW1teWR1bW15ZHVtbXlkdW1teQ",
				 roles, now, &err) != CTIP_OK)
		return bench_fail("user", &err);
	if (want == NULL) {
		/* The largest province (most communes): the slowest one. */
		pv = &prov[0];
		for (j = 1; j < n_prov; j++)
			if (prov[j].n_communes > pv->n_communes)
				pv = &prov[j];
	} else if (strlen(want) != 2 || by_code[bench_province(want)] < 0) {
		fprintf(stderr, "bench_kpi: unknown province %s\n", want);
		return 2;
	} else {
		pv = &prov[by_code[bench_province(want)]];
	}
	printf("1. schema, reference data, %d provinces, units  %9.1f ms\n",
	       n_prov, bench_ms_since(&t0));

	/* 2. The intakes, one transaction. */
	delays_p = ctip_xmalloc((size_t)n_intakes * sizeof(long));
	delays_n = ctip_xmalloc((size_t)n_intakes * sizeof(long));
	summary_enc = ctip_xmalloc(1024);
	name_enc = ctip_xmalloc(256);
	phone_enc = ctip_xmalloc(64);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (bench_bulk_begin(st) != 0)
		return 1;
	for (k = 0; k < n_intakes; k++) {
		/* A place in proportion to the communes: provinces weigh as
		 * their number of communes. */
		const struct ctip_commune *c =
			&communes[bench_pick(n_communes)];
		struct province *p =
			&prov[by_code[bench_province(c->province_code)]];
		struct tally *ty;
		const char *s, *nm;
		bool tip, resolved, first = true;
		long d;

		t = T_FROM + bench_pick(T_TO - T_FROM);
		bench_stamp(received, t);
		/* Its year is Viet Nam's (UTC+7), as the KPIs count it. */
		bench_stamp(vn_day, t + 7 * 3600);
		y = (int)strtol(vn_day, NULL, 10) - YEAR0;
		ty = &p->years[y];
		memset(&r, 0, sizeof(r));
		r.owner_unit_id = p->units[bench_pick(MAX_UNITS)];
		r.province_code = p->code;
		r.commune_code = bench_chance(70) ? c->code : NULL;
		r.received_at = received;
		r.language = bench_chance(97) ? "vi" : "en";
		s = summaries[bench_pick(COUNT(summaries))];
		r.summary_enc_len = strlen(s) + CTIP_SEAL_OVERHEAD;
		ctip_seal(summary_enc, &kr, "intake.summary", s, strlen(s));
		r.summary_enc = summary_enc;
		r.reporter_anonymous = bench_chance(40);
		if (!r.reporter_anonymous) {
			nm = names[bench_pick(COUNT(names))];
			r.reporter_name_enc_len =
				strlen(nm) + CTIP_SEAL_OVERHEAD;
			ctip_seal(name_enc, &kr, "intake.reporter_name", nm,
				  strlen(nm));
			r.reporter_name_enc = name_enc;
			snprintf(phone, sizeof(phone), "09%08ld",
				 bench_pick(100000000));
			r.reporter_phone_enc_len = 10 + CTIP_SEAL_OVERHEAD;
			ctip_seal(phone_enc, &kr, "intake.reporter_phone",
				  phone, 10);
			r.reporter_phone_enc = phone_enc;
			ctip_blind(bidx, &kr, "phone", phone);
			r.reporter_phone_bidx = bidx;
		}
		/* 40% tips under the legal clock: three in four by a tip
		 * channel (classified or not), one in four a hotline call
		 * classified a trafficking tip. Others: 55% classified. */
		tip = bench_chance(40);
		if (tip && bench_chance(25)) {
			r.channel = "HOTLINE_111";
			r.classification = "trafficking_tip";
		} else if (tip) {
			r.channel =
				tip_channels[bench_pick(COUNT(tip_channels))];
			r.classification =
				bench_chance(55) ? "trafficking_tip" : NULL;
		} else {
			r.channel = other_channels[bench_pick(
				COUNT(other_channels))];
			r.classification =
				bench_chance(55)
					? other_classes[bench_pick(
						  COUNT(other_classes))]
					: NULL;
		}
		r.urgency = urgencies[bench_pick(COUNT(urgencies))];
		r.status = r.classification ? "classified" : "received";
		if (r.classification) {
			bench_stamp(classified_at,
				    t + 300 + bench_pick(2 * DAY));
			r.classified_at = classified_at;
			r.classified_by = uid;
			if (tip)
				r.purpose_code =
					purposes[bench_pick(n_purposes)];
		}
		if (tip) {
			if (!ctip_intake_deadline(deadline, received, "none"))
				return 1;
			r.deadline = deadline;
		}
		snprintf(idem, sizeof(idem), "bench-%08ld", k);
		r.idempotency_key = idem;
		bench_stamp(now, t + 60 + bench_pick(600));
		r.created_at = now;
		r.created_by = uid;
		if (st->ops->intake_insert(&id, st, &r, &err) != CTIP_OK)
			return bench_fail("intake", &err);
		ty->received++;
		ty->classified += r.classification != NULL;
		ty->tips += tip;
		/* Half resolved: tips by a decision, 70% of them within the
		 * 20 days; others within 30 days. */
		tr = tip ? (bench_chance(70)
				    ? t + HOUR + bench_pick(20 * DAY - HOUR)
				    : t + 20 * DAY + HOUR +
					      bench_pick(40 * DAY))
			 : t + HOUR + bench_pick(30 * DAY);
		resolved = bench_chance(50) && tr < T_TO;
		if (resolved) {
			bench_stamp(resolved_at, tr);
			r.id = id;
			r.version = 1;
			r.status = "resolved";
			r.extension = "none";
			r.resolved_at = resolved_at;
			r.resolved_by = uid;
			r.updated_at = resolved_at;
			if (tip) {
				r.decision =
					decisions[bench_pick(COUNT(decisions))];
				r.decided_at = resolved_at;
				r.decided_by = uid;
			}
			if (st->ops->intake_update(st, &r, &err) != CTIP_OK)
				return bench_fail("resolve", &err);
			ty->resolved++;
			ty->tips_resolved += tip;
			ty->tips_in_time +=
				tip && strcmp(resolved_at, deadline) <= 0;
		}
		/* 20% referred to the province's health department 1 to 72
		 * hours after receipt; one in five of those later also to a
		 * social protection facility. */
		if (bench_chance(20)) {
			d = HOUR + bench_pick(71 * HOUR + 1);
			for (j = 0; j < 2 && t + d < T_TO; j++) {
				memset(&ref, 0, sizeof(ref));
				bench_stamp(sent_at, t + d);
				bench_stamp(ack_due, t + d + 48 * HOUR);
				ref.object_type = "intake";
				ref.object_id = id;
				ref.from_unit_id = r.owner_unit_id;
				ref.to_unit_id = j == 0 ? p->health : p->social;
				ref.sent_at = sent_at;
				ref.sent_by = uid;
				ref.ack_due_at = ack_due;
				if (st->ops->referral_insert(&rid, st, &ref,
							     &err) != CTIP_OK)
					return bench_fail("referral", &err);
				if (first) {
					ty->referred++;
					if (y == year - YEAR0) {
						if (p == pv)
							delays_p[n_delays_p++] =
								d;
						delays_n[n_delays_n++] = d;
					}
					first = false;
				}
				if (j == 0)
					ty->to_health++;
				else
					ty->to_social++;
				if (!bench_chance(20))
					break;
				d += DAY + bench_pick(9 * DAY);
			}
		}
	}
	if (bench_bulk_commit(st) != 0)
		return 1;
	ms = bench_ms_since(&t0);
	printf("2. insert intakes (one transaction)             %9.1f ms "
	       "(%.0f intakes/s)\n",
	       ms, (double)n_intakes / (ms / 1e3));
	/* A fresh connection, as a server's: no bulk cache, the WAL
	 * checkpointed by the close. */
	st->ops->close(st);
	if (extra_sql != NULL) {
		char *msg = NULL;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (sqlite3_open(b.db, &raw) != SQLITE_OK ||
		    sqlite3_exec(raw, extra_sql, NULL, NULL, &msg) !=
			    SQLITE_OK) {
			fprintf(stderr, "bench_kpi: --sql: %s\n",
				msg ? msg : sqlite3_errmsg(raw));
			return 1;
		}
		sqlite3_close(raw);
		printf("   --sql %s: %.1f ms\n", extra_sql,
		       bench_ms_since(&t0));
	}
	/* Mapped, as the server's connection for counting routes. */
	if (ctip_store_open(&st, b.db, CTIP_OPEN_EXISTING, &err) != CTIP_OK ||
	    st->ops->map(st, true, &err) != CTIP_OK)
		return bench_fail("reopen", &err);
	for (j = 0; j < n_prov; j++) {
		struct tally *ty = &prov[j].years[year - YEAR0];

		nation.received += ty->received;
		nation.classified += ty->classified;
		nation.resolved += ty->resolved;
		nation.tips += ty->tips;
		nation.tips_resolved += ty->tips_resolved;
		nation.tips_in_time += ty->tips_in_time;
		nation.referred += ty->referred;
		nation.to_health += ty->to_health;
		nation.to_social += ty->to_social;
	}
	med_p = median_hours(delays_p, n_delays_p);
	med_n = median_hours(delays_n, n_delays_n);

	/* 3. One province-year, as that province's statistician. */
	snprintf(from, sizeof(from), "%d-01-01", year);
	snprintf(to, sizeof(to), "%d-12-31", year);
	memset(&pp, 0, sizeof(pp));
	pp.user_id = uid;
	pp.roles = CTIP_ROLE_STATISTICIAN;
	pp.unit_id = pv->units[0];
	snprintf(pp.level, sizeof(pp.level), "province");
	snprintf(pp.province_code, sizeof(pp.province_code), "%s", pv->code);
	printf("3. KPI province %s (%d of %d communes), %s to %s\n", pv->code,
	       pv->n_communes, n_communes, from, to);
	run = (struct kpi_run){ &kp, st, &pp, from, to };
	if (bench_time(sp, "province", 1, &ka, run_kpi, &run))
		return 1;
	print_kpi("province", &kp);
	ok = check("province-year", &kp, &pv->years[year - YEAR0], med_p);
	h = kpi_sum(h, &kp);

	/* 4. The whole country over the same year. */
	pn = pp;
	snprintf(pn.level, sizeof(pn.level), "nation");
	pn.province_code[0] = '\0';
	printf("4. KPI nation, %s to %s\n", from, to);
	run.out = &kn;
	run.p = &pn;
	if (bench_time(sn, "nation", 1, &ka, run_kpi, &run))
		return 1;
	print_kpi("nation", &kn);
	ok = check("nation-year", &kn, &nation, med_n) && ok;
	h = kpi_sum(h, &kn);
	st->ops->close(st);

	/* 5. The province-year's received count by straight SQL: Viet
	 * Nam's year begins at 17:00 UTC on 31 December. */
	snprintf(from, sizeof(from), "%d-12-31T17:00:00Z", year - 1);
	snprintf(to, sizeof(to), "%d-12-31T17:00:00Z", year);
	sql_received = bench_sql_count(
		b.db,
		"SELECT count(*) FROM intake WHERE province_code = ?1 AND "
		"received_at >= ?2 AND received_at < ?3",
		(const char *const[]){ pv->code, from, to }, 3);
	printf("5. SQL count of province %s in %d: %ld (KPI %ld)\n", pv->code,
	       year, sql_received, kp.counts.received);
	ok = ok && sql_received == kp.counts.received;

	bench_checksum(sum, h);
	printf("province-year %.1f ms (target 500 ms: %s), nation-year "
	       "%.1f ms (median of %d)\n",
	       sp[1], sp[1] < 500 ? "met" : "NOT met", sn[1], RUNS);

	ctip_keyring_wipe(&kr);
	ctip_arena_free(&a);
	ctip_arena_free(&ka);
	free(delays_p);
	free(delays_n);
	free(summary_enc);
	free(name_enc);
	free(phone_enc);
	bench_db_done(&b, keep);
	if (!ok) {
		fprintf(stderr, "bench_kpi: the KPIs differ from the data\n");
		return 1;
	}
	return bench_verify(verify, sum);
}
