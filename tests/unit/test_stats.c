/* test_stats.c: the statistical indicators (issue 6, phase 1) against an
 * independent computation: the records are read back row by row and
 * counted here in C, by other rules written from the catalogue's
 * definitions, at national, province and commune level, in total and by
 * every dimension each indicator allows. */
#include "core/kpi.h"
#include "core/setup.h"
#include "core/stats.h"

#include "helpers.h"

#define SEED      20261124u
#define N_PERSONS 3000
#define FROM      "2024-01-01"
#define TO        "2025-12-31"

/* --- the records, as read back from the database file --- */

struct ev {
	int abroad;
	char dest[4];       /* "" when NULL */
	char purposes[128]; /* level-1 codes, space-separated, "" if none */
};

struct pers {
	int64_t id;
	char role[24], sex[2], bd[12], eth[8], prov[4], comm[8];
	int by; /* 0: unknown */
	char received[12], identified[12];
	struct ev *evs;
	int n_evs;
};

/* One countable thing of a measure: its unique key, its date, its place
 * and what its categories come from. */
struct item {
	char key[80];
	char date[24]; /* a day or a timestamp: its first 10 characters */
	char prov[4], comm[8];                /* comm "" when in no commune */
	const struct pers *p;                 /* person measures: the person */
	char sex[2], article[8], purpose[32]; /* other measures */
};

static int first_m;
static char (*firsts)[12];
static int *order;

struct world {
	struct pers *ps;
	int n_ps;
	struct item *items[CTIP_M_N];
	int n_items[CTIP_M_N];
	char (*purpose_parent)[2][32]; /* code, level-1 code */
	int n_purposes;
};

static struct world W;

/* The leading number of s (a year), 0 if none. */
static int
year_of(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

static const struct pers *
person_of(int64_t id)
{
	int lo = 0, hi = W.n_ps - 1, mid;

	while (lo <= hi) {
		mid = (lo + hi) / 2;
		if (W.ps[mid].id == id)
			return &W.ps[mid];
		if (W.ps[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static void
col(char *out, size_t cap, sqlite3_stmt *q, int i)
{
	const unsigned char *v = sqlite3_column_text(q, i);

	snprintf(out, cap, "%s", v ? (const char *)v : "");
}

static const char *
level1(const char *code)
{
	int i;

	for (i = 0; i < W.n_purposes; i++)
		if (strcmp(W.purpose_parent[i][0], code) == 0)
			return W.purpose_parent[i][1];
	return "unknown";
}

static struct item *
add_item(int m)
{
	struct item *it;

	W.items[m] = realloc(W.items[m],
			     (size_t)(W.n_items[m] + 1) * sizeof(struct item));
	assert_non_null(W.items[m]);
	it = &W.items[m][W.n_items[m]++];
	memset(it, 0, sizeof(*it));
	return it;
}

static void
person_item(int m, const char *key, const char *date, const struct pers *p)
{
	struct item *it = add_item(m);

	snprintf(it->key, sizeof(it->key), "%s", key);
	snprintf(it->date, sizeof(it->date), "%.23s", date);
	snprintf(it->prov, sizeof(it->prov), "%s", p->prov);
	snprintf(it->comm, sizeof(it->comm), "%s", p->comm);
	it->p = p;
}

static void
read_world(const char *db)
{
	first_m = -1;
	sqlite3_stmt *q;
	struct pers *p;
	struct item *it;
	char key[80], s[64], code[32];
	int i;

	memset(&W, 0, sizeof(W));
	q = raw_query(db, "SELECT code, coalesce(parent_code, code) FROM "
			  "purpose");
	while (sqlite3_step(q) == SQLITE_ROW) {
		W.purpose_parent = realloc(W.purpose_parent,
					   (size_t)(W.n_purposes + 1) *
						   sizeof(*W.purpose_parent));
		col(W.purpose_parent[W.n_purposes][0], 32, q, 0);
		col(W.purpose_parent[W.n_purposes][1], 32, q, 1);
		W.n_purposes++;
	}
	raw_done(q);

	q = raw_query(db, "SELECT id, role, sex, birth_date, birth_year, "
			  "ethnicity_code, province_code, commune_code, "
			  "received_on, identified_on FROM person ORDER BY id");
	while (sqlite3_step(q) == SQLITE_ROW) {
		W.ps = realloc(W.ps, (size_t)(W.n_ps + 1) * sizeof(*W.ps));
		p = &W.ps[W.n_ps++];
		memset(p, 0, sizeof(*p));
		p->id = sqlite3_column_int64(q, 0);
		col(p->role, sizeof(p->role), q, 1);
		col(p->sex, sizeof(p->sex), q, 2);
		col(p->bd, sizeof(p->bd), q, 3);
		p->by = sqlite3_column_int(q, 4);
		col(p->eth, sizeof(p->eth), q, 5);
		col(p->prov, sizeof(p->prov), q, 6);
		col(p->comm, sizeof(p->comm), q, 7);
		col(p->received, sizeof(p->received), q, 8);
		col(p->identified, sizeof(p->identified), q, 9);
	}
	raw_done(q);

	q = raw_query(db, "SELECT id, person_id, abroad, destination_country "
			  "FROM trafficking_event ORDER BY id");
	while (sqlite3_step(q) == SQLITE_ROW) {
		struct ev *e;
		sqlite3_stmt *pq;

		p = (struct pers *)person_of(sqlite3_column_int64(q, 1));
		assert_non_null(p);
		p->evs = realloc(p->evs, (size_t)(p->n_evs + 1) * sizeof(*e));
		e = &p->evs[p->n_evs++];
		memset(e, 0, sizeof(*e));
		e->abroad = sqlite3_column_int(q, 2);
		col(e->dest, sizeof(e->dest), q, 3);
		snprintf(s, sizeof(s), "%lld",
			 (long long)sqlite3_column_int64(q, 0));
		pq = raw_query(db, "SELECT purpose_code FROM event_purpose "
				   "WHERE event_id = CAST(?1 AS INTEGER)");
		sqlite3_bind_text(pq, 1, s, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(pq) == SQLITE_ROW) {
			col(code, sizeof(code), pq, 0);
			if (strstr(e->purposes, level1(code)) == NULL) {
				size_t used = strlen(e->purposes);

				snprintf(e->purposes + used,
					 sizeof(e->purposes) - used, "%s%s",
					 used > 0 ? " " : "", level1(code));
			}
		}
		raw_done(pq);
	}
	raw_done(q);

	for (i = 0; i < W.n_ps; i++) {
		p = &W.ps[i];
		snprintf(key, sizeof(key), "p%lld", (long long)p->id);
		person_item(strcmp(p->role, "accompanying_minor") == 0
				    ? CTIP_M_MINORS_ACCOMPANYING
				    : CTIP_M_PERSONS_RECEIVED,
			    key, p->received, p);
		if (p->identified[0] != '\0')
			person_item(CTIP_M_PERSONS_IDENTIFIED, key,
				    p->identified, p);
	}

	q = raw_query(db, "SELECT person_id, step, on_date FROM person_step");
	while (sqlite3_step(q) == SQLITE_ROW) {
		p = (struct pers *)person_of(sqlite3_column_int64(q, 0));
		snprintf(key, sizeof(key), "p%lld", (long long)p->id);
		col(s, sizeof(s), q, 1);
		col(code, sizeof(code), q, 2);
		if (strcmp(s, "verify") == 0)
			person_item(CTIP_M_PERSONS_VERIFIED, key, code, p);
		else if (strcmp(s, "reintegrate") == 0)
			person_item(CTIP_M_PERSONS_REINTEGRATED, key, code, p);
	}
	raw_done(q);

	/* Services: the key of a person measure is the person, of
	 * services_given the service; the support type rides in purpose. */
	q = raw_query(db, "SELECT id, person_id, support_code, provided_on "
			  "FROM support_service");
	while (sqlite3_step(q) == SQLITE_ROW) {
		p = (struct pers *)person_of(sqlite3_column_int64(q, 1));
		col(code, sizeof(code), q, 3);
		snprintf(key, sizeof(key), "p%lld", (long long)p->id);
		person_item(CTIP_M_PERSONS_SUPPORTED, key, code, p);
		col(W.items[CTIP_M_PERSONS_SUPPORTED]
			   [W.n_items[CTIP_M_PERSONS_SUPPORTED] - 1]
				   .purpose,
		    32, q, 2);
		snprintf(key, sizeof(key), "s%lld",
			 (long long)sqlite3_column_int64(q, 0));
		person_item(CTIP_M_SERVICES_GIVEN, key, code, p);
		col(W.items[CTIP_M_SERVICES_GIVEN]
			   [W.n_items[CTIP_M_SERVICES_GIVEN] - 1]
				   .purpose,
		    32, q, 2);
	}
	raw_done(q);

	q = raw_query(db, "SELECT id, province_code, commune_code, "
			  "received_at, classification, status, deadline, "
			  "resolved_at, purpose_code FROM intake");
	while (sqlite3_step(q) == SQLITE_ROW) {
		char cls[32], status[16], deadline[24], resolved[24];
		int m;

		col(cls, sizeof(cls), q, 4);
		col(status, sizeof(status), q, 5);
		col(deadline, sizeof(deadline), q, 6);
		col(resolved, sizeof(resolved), q, 7);
		for (m = CTIP_M_INTAKES_RECEIVED; m <= CTIP_M_TIPS_RESOLVED;
		     m++) {
			bool tip = m >= CTIP_M_TIPS_RECEIVED;

			/* Crime tips: those on the legal clock. */
			if (tip && deadline[0] == 0)
				continue;
			if (((m == CTIP_M_INTAKES_CLASSIFIED ||
			      m == CTIP_M_TIPS_CLASSIFIED) &&
			     cls[0] == 0) ||
			    ((m == CTIP_M_INTAKES_RESOLVED ||
			      m == CTIP_M_TIPS_RESOLVED) &&
			     strcmp(status, "resolved") != 0) ||
			    (m == CTIP_M_INTAKES_RESOLVED_IN_TIME &&
			     (deadline[0] == 0 ||
			      strcmp(status, "resolved") != 0 ||
			      strcmp(resolved, deadline) > 0)))
				continue;
			it = add_item(m);
			snprintf(it->key, sizeof(it->key), "i%lld",
				 (long long)sqlite3_column_int64(q, 0));
			col(it->prov, sizeof(it->prov), q, 1);
			col(it->comm, sizeof(it->comm), q, 2);
			col(it->date, sizeof(it->date), q, 3);
			col(code, sizeof(code), q, 8);
			snprintf(it->purpose, sizeof(it->purpose), "%s",
				 code[0] ? level1(code) : "unknown");
		}
	}
	raw_done(q);

	q = raw_query(db, "SELECT c.id, c.province_code, a.code, a.level, "
			  "c.article, c.initiated_on, c.solved_on, "
			  "c.indicted_on, c.tried_on FROM criminal_case c, "
			  "org_unit u, admin_unit a WHERE u.id = "
			  "c.owner_unit_id AND a.code = u.admin_code");
	while (sqlite3_step(q) == SQLITE_ROW) {
		static const int ms[] = { CTIP_M_CASES_INITIATED,
					  CTIP_M_CASES_SOLVED,
					  CTIP_M_CASES_INDICTED,
					  CTIP_M_CASES_TRIED };
		char level[16];
		int k;

		/* The KPI cohort: initiated in the period, since solved,
		 * indicted or tried, dated by the initiation. */
		static const int cohort[] = { -1, CTIP_M_CASES_COHORT_SOLVED,
					      CTIP_M_CASES_COHORT_INDICTED,
					      CTIP_M_CASES_COHORT_TRIED };

		for (k = 0; k < 8; k++) {
			if (sqlite3_column_type(q, 5 + k % 4) == SQLITE_NULL ||
			    (k >= 4 &&
			     (cohort[k - 4] < 0 ||
			      sqlite3_column_type(q, 5) == SQLITE_NULL)))
				continue;
			it = add_item(k < 4 ? ms[k] : cohort[k - 4]);
			snprintf(it->key, sizeof(it->key), "c%lld",
				 (long long)sqlite3_column_int64(q, 0));
			col(it->prov, sizeof(it->prov), q, 1);
			col(level, sizeof(level), q, 3);
			if (strcmp(level, "commune") == 0)
				col(it->comm, sizeof(it->comm), q, 2);
			col(it->article, sizeof(it->article), q, 4);
			if (it->article[0] == 0)
				snprintf(it->article, sizeof(it->article),
					 "unknown");
			col(it->date, sizeof(it->date), q, k < 4 ? 5 + k : 5);
		}
	}
	raw_done(q);

	/* Activities: one item each, and one per participant (the sum of
	 * participants is then a count of distinct items); the kind is
	 * the filter. */
	q = raw_query(db, "SELECT id, province_code, commune_code, kind, "
			  "started_on, participants FROM activity");
	while (sqlite3_step(q) == SQLITE_ROW) {
		long k, n = (long)sqlite3_column_int64(q, 5);

		for (k = -1; k < n; k++) {
			it = add_item(k < 0 ? CTIP_M_ACTIVITIES
					    : CTIP_M_ACTIVITY_PARTICIPANTS);
			snprintf(it->key, sizeof(it->key), "a%lld.%ld",
				 (long long)sqlite3_column_int64(q, 0), k);
			col(it->prov, sizeof(it->prov), q, 1);
			col(it->comm, sizeof(it->comm), q, 2);
			col(it->purpose, sizeof(it->purpose), q, 3);
			col(it->date, sizeof(it->date), q, 4);
		}
	}
	raw_done(q);

	q = raw_query(db,
		      "SELECT o.id, hex(o.citizen_id_bidx), o.sex, "
		      "c.province_code, a.code, a.level, c.article, "
		      "c.initiated_on FROM case_offender o, criminal_case "
		      "c, org_unit u, admin_unit a WHERE c.id = o.case_id "
		      "AND u.id = c.owner_unit_id AND a.code = u.admin_code "
		      "AND c.initiated_on IS NOT NULL");
	while (sqlite3_step(q) == SQLITE_ROW) {
		char level[16];

		it = add_item(CTIP_M_OFFENDERS);
		col(s, sizeof(s), q, 1);
		if (s[0] != '\0')
			snprintf(it->key, sizeof(it->key), "b%s", s);
		else
			snprintf(it->key, sizeof(it->key), "o%lld",
				 (long long)sqlite3_column_int64(q, 0));
		col(it->sex, sizeof(it->sex), q, 2);
		col(it->prov, sizeof(it->prov), q, 3);
		col(level, sizeof(level), q, 5);
		if (strcmp(level, "commune") == 0)
			col(it->comm, sizeof(it->comm), q, 4);
		col(it->article, sizeof(it->article), q, 6);
		if (it->article[0] == 0)
			snprintf(it->article, sizeof(it->article), "unknown");
		col(it->date, sizeof(it->date), q, 7);
	}
	raw_done(q);

	q = raw_query(db, "SELECT r.id, a.code, a.level, a.province_code, "
			  "r.sent_at FROM referral r, org_unit u, admin_unit "
			  "a WHERE u.id = r.from_unit_id AND a.code = "
			  "u.admin_code");
	while (sqlite3_step(q) == SQLITE_ROW) {
		char level[16];

		it = add_item(CTIP_M_REFERRALS);
		snprintf(it->key, sizeof(it->key), "r%lld",
			 (long long)sqlite3_column_int64(q, 0));
		col(level, sizeof(level), q, 2);
		if (strcmp(level, "commune") == 0) {
			col(it->comm, sizeof(it->comm), q, 1);
			col(it->prov, sizeof(it->prov), q, 3);
		} else if (strcmp(level, "province") == 0) {
			col(it->prov, sizeof(it->prov), q, 1);
		}
		col(it->date, sizeof(it->date), q, 4);
	}
	raw_done(q);
}

static void
free_world(void)
{
	int i;

	for (i = 0; i < W.n_ps; i++)
		free(W.ps[i].evs);
	free(W.ps);
	for (i = 0; i < CTIP_M_N; i++)
		free(W.items[i]);
	free(W.purpose_parent);
	memset(&W, 0, sizeof(W));
	free(firsts);
	free(order);
	firsts = NULL;
	order = NULL;
	first_m = -1;
}

/* --- the counting rules, from the catalogue's definitions --- */

/* Age on day (yyyy-mm-dd): whole years from the birth date, else the
 * difference of years from the birth year; -1 unknown. */
static int
age_on(const struct pers *p, const char *day)
{
	int y = year_of(day);

	if (p->bd[0] != '\0')
		return y - year_of(p->bd) -
		       (strncmp(p->bd + 5, day + 5, 5) > 0 ? 1 : 0);
	if (p->by != 0)
		return y - p->by;
	return -1;
}

/* Categories of item it by dim on day, space-separated into out. */
static void
categories(char *out, size_t cap, const struct item *it, const char *dim,
	   const char *day)
{
	const struct pers *p = it->p;
	int i, a;

	out[0] = '\0';
	if (strcmp(dim, "province") == 0) {
		snprintf(out, cap, "%s", it->prov[0] ? it->prov : "none");
		return;
	}
	if (strcmp(dim, "commune") == 0) {
		snprintf(out, cap, "%s", it->comm[0] ? it->comm : "none");
		return;
	}
	if (strcmp(dim, "article") == 0) {
		snprintf(out, cap, "%s", it->article);
		return;
	}
	if (p == NULL) {
		snprintf(out, cap, "%s",
			 strcmp(dim, "sex") == 0 ? it->sex : it->purpose);
		return;
	}
	if (strcmp(dim, "sex") == 0) {
		snprintf(out, cap, "%s", p->sex);
	} else if (strcmp(dim, "age_band") == 0) {
		a = age_on(p, day);
		snprintf(out, cap, "%s",
			 a < 0 && p->bd[0] == 0 && p->by == 0 ? "unknown"
			 : a < 16                             ? "under_16"
			 : a < 18                             ? "16_17"
			 : a <= 30                            ? "18_30"
							      : "over_30");
	} else if (strcmp(dim, "ethnic") == 0) {
		snprintf(out, cap, "%s",
			 p->eth[0] == 0              ? "unknown"
			 : strcmp(p->eth, "01") == 0 ? "kinh"
						     : "minority");
	} else if (strcmp(dim, "ethnicity") == 0) {
		snprintf(out, cap, "%s", p->eth[0] ? p->eth : "unknown");
	} else if (p->n_evs == 0) {
		snprintf(out, cap, "unknown");
	} else {
		for (i = 0; i < p->n_evs; i++) {
			const struct ev *e = &p->evs[i];
			const char *c;

			if (strcmp(dim, "purpose") == 0)
				c = e->purposes[0] ? e->purposes : "unknown";
			else if (strcmp(dim, "abroad") == 0)
				c = e->abroad ? "abroad" : "domestic";
			else
				c = e->dest[0]   ? e->dest
				    : !e->abroad ? "VN"
						 : "unknown";
			if (out[0] != '\0')
				strncat(out, " ", cap - strlen(out) - 1);
			strncat(out, c, cap - strlen(out) - 1);
		}
	}
}

struct pair {
	char cat[32], key[80];
};

static int
cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->cat, y->cat);

	return c != 0 ? c : strcmp(x->key, y->key);
}

/* The first day in the period of each item's key, for measure m with
 * filter: computed once per (m, filter) and kept for the next calls. */
static char first_filter[32];

static int
cmp_order(const void *a, const void *b)
{
	const struct item *x = &W.items[first_m][*(const int *)a];
	const struct item *y = &W.items[first_m][*(const int *)b];
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : strncmp(x->date, y->date, 10);
}

static bool
in_period(const struct item *it, const char *filter)
{
	return strncmp(it->date, FROM, 10) >= 0 &&
	       strncmp(it->date, TO, 10) <= 0 &&
	       (filter == NULL || strcmp(it->purpose, filter) == 0);
}

static void
first_days(int m, const char *filter)
{
	int n = W.n_items[m], i, j;

	if (first_m == m && strcmp(first_filter, filter ? filter : "") == 0)
		return;
	first_m = m;
	snprintf(first_filter, sizeof(first_filter), "%s",
		 filter ? filter : "");
	free(firsts);
	free(order);
	firsts = calloc((size_t)n + 1, sizeof(*firsts));
	order = calloc((size_t)n + 1, sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort(order, (size_t)n, sizeof(*order), cmp_order);
	for (i = 0; i < n; i = j) {
		const char *first = NULL;

		for (j = i; j < n && strcmp(W.items[m][order[j]].key,
					    W.items[m][order[i]].key) == 0;
		     j++)
			if (first == NULL &&
			    in_period(&W.items[m][order[j]], filter))
				first = W.items[m][order[j]].date;
		for (int k = i; k < j; k++)
			snprintf(firsts[order[k]], 12, "%.10s",
				 first ? first : "");
	}
}

struct expect {
	long total;
	int n;
	char cats[4096][32];
	long values[4096];
};

/*
 * The expected value of measure m (support type filter, or NULL) for a
 * place (level "nation", "province" or "commune") and the period, by dim
 * (NULL: total only): the distinct keys in scope and period; by a
 * dimension, the distinct (category, key) pairs, the key's date-bound
 * categories (age) taken on its first day in the period.
 */
static void
expected(struct expect *out, int m, const char *filter, const char *level,
	 const char *place, const char *dim)
{
	struct item *items = W.items[m];
	struct pair *pairs =
		calloc((size_t)W.n_items[m] * 8 + 1, sizeof(*pairs));
	int n = 0, i, k;
	char day[12], cats[256], *w, *save;

	memset(out, 0, sizeof(*out));
	first_days(m, filter);
	for (i = 0; i < W.n_items[m]; i++) {
		struct item *it = &items[i];

		if (!in_period(it, filter))
			continue;
		if ((strcmp(level, "province") == 0 &&
		     strcmp(it->prov, place) != 0) ||
		    (strcmp(level, "commune") == 0 &&
		     strcmp(it->comm, place) != 0))
			continue;
		snprintf(day, sizeof(day), "%s", firsts[i]);
		if (dim == NULL) {
			snprintf(cats, sizeof(cats), "-");
		} else {
			categories(cats, sizeof(cats), it, dim, day);
		}
		for (w = strtok_r(cats, " ", &save); w != NULL;
		     w = strtok_r(NULL, " ", &save)) {
			snprintf(pairs[n].cat, sizeof(pairs[n].cat), "%s", w);
			snprintf(pairs[n].key, sizeof(pairs[n].key), "%s",
				 it->key);
			n++;
		}
	}
	qsort(pairs, (size_t)n, sizeof(*pairs), cmp_pair);
	for (i = 0; i < n; i++) {
		if (i > 0 && cmp_pair(&pairs[i], &pairs[i - 1]) == 0)
			continue;
		k = out->n - 1;
		if (k < 0 || strcmp(out->cats[k], pairs[i].cat) != 0) {
			assert_true(out->n < 4096);
			k = out->n++;
			snprintf(out->cats[k], 32, "%s", pairs[i].cat);
		}
		out->values[k]++;
	}
	if (dim == NULL)
		out->total = out->n > 0 ? out->values[0] : 0;
	free(pairs);
}

/* --- the data --- */

static void
exec_ok(struct db_fixture *f, const char *sql)
{
	if (raw_exec(f->db, sql) != SQLITE_OK)
		fail_msg("could not run: %s", sql);
}

/* Synthetic persons and events (the demo generator), then casework,
 * services, intakes, cases, offenders and referrals derived from them
 * by fixed rules, so that some persons have two verifications, two
 * reintegrations, two services of one type and services of two types,
 * some cases belong to a province unit, and some offenders appear in two
 * cases. */
static int
stats_setup(void **state)
{
	struct db_fixture *f;
	struct ctip_import_stats is;
	struct ctip_err err = { 0 };
	struct ctip_principal u;
	char sql[2048];
	int64_t hn;

	if (db_setup(state, true) != 0)
		return -1;
	f = *state;
	if (ctip_setup_demo(&is, f->st, &f->kr, N_PERSONS, SEED, &err) !=
	    CTIP_OK) {
		print_error("demo: %s\n", err.msg);
		return -1;
	}
	u = user_at(f, "maker", "POLICE", BA_DINH, "investigator");
	hn = unit_at(f, "POLICE", "01");
	/* A quarter of the persons moved to two communes of Hà Nội, so
	 * that communes have more than one or two. */
	snprintf(sql, sizeof(sql),
		 "UPDATE person SET province_code = '01', commune_code = "
		 "CASE WHEN id %% 8 = 0 THEN '" BA_DINH "' ELSE '" NGOC_HA
		 "' END, owner_unit_id = CASE WHEN id %% 8 = 0 THEN %lld "
		 "ELSE %lld END WHERE id %% 4 = 0",
		 (long long)u.unit_id,
		 (long long)unit_at(f, "POLICE", NGOC_HA));
	exec_ok(f, sql);
	exec_ok(f, "INSERT INTO person_step (person_id, step, from_status, "
		   "to_status, on_date, unit_id, created_at) SELECT id, "
		   "'verify', 'received', 'verifying', date(received_on, "
		   "'+1 day'), owner_unit_id, '" NOW "' FROM person WHERE "
		   "id % 3 = 0 AND role <> 'accompanying_minor'");
	exec_ok(f, "INSERT INTO person_step (person_id, step, from_status, "
		   "to_status, on_date, unit_id, created_at) SELECT id, "
		   "'verify', 'verifying', 'verifying', date(received_on, "
		   "'+200 days'), owner_unit_id, '" NOW "' FROM person WHERE "
		   "id % 9 = 0 AND role <> 'accompanying_minor'");
	exec_ok(f, "INSERT INTO person_step (person_id, step, from_status, "
		   "to_status, on_date, unit_id, created_at) SELECT id, "
		   "'reintegrate', 'support', 'reintegration', "
		   "date(received_on, '+30 days'), owner_unit_id, '" NOW
		   "' FROM person WHERE id % 5 = 0");
	exec_ok(f, "INSERT INTO person_step (person_id, step, from_status, "
		   "to_status, on_date, unit_id, created_at) SELECT id, "
		   "'reintegrate', 'support', 'reintegration', "
		   "date(received_on, '+400 days'), owner_unit_id, '" NOW
		   "' FROM person WHERE id % 10 = 0");
#define SUPPORT_OF_ID                                                          \
	"CASE id / 2 % 10 WHEN 0 THEN 'ESSENTIAL' WHEN 1 THEN 'MEDICAL' WHEN " \
	"2 THEN 'INTERPRETATION' WHEN 3 THEN 'LEGAL_COUNSEL' WHEN 4 THEN "     \
	"'LEGAL_AID' WHEN 5 THEN 'TRAVEL' WHEN 6 THEN 'PSYCHOLOGICAL' WHEN 7 " \
	"THEN 'EDUCATION' WHEN 8 THEN 'VOCATIONAL' ELSE 'HARDSHIP' END"
	exec_ok(f,
		"INSERT INTO support_service (person_id, support_code, "
		"provider_unit_id, provided_on, location, unit, quantity, "
		"amount_vnd, regime, created_at) SELECT id, " SUPPORT_OF_ID
		", owner_unit_id, date(received_on, '+2 days'), 'in_vn', "
		"'day', 1, 0, '2024', '" NOW "' FROM person WHERE id % 2 = 0");
	exec_ok(f, "INSERT INTO support_service (person_id, support_code, "
		   "provider_unit_id, provided_on, location, unit, quantity, "
		   "amount_vnd, regime, created_at) SELECT id, 'MEDICAL', "
		   "owner_unit_id, date(received_on, '+3 days'), 'in_vn', "
		   "'visit', 1, 0, '2024', '" NOW
		   "' FROM person WHERE id % 6 = 0");
	exec_ok(f,
		"INSERT INTO support_service (person_id, support_code, "
		"provider_unit_id, provided_on, location, unit, quantity, "
		"amount_vnd, regime, created_at) SELECT id, " SUPPORT_OF_ID
		", owner_unit_id, date(received_on, '+365 days'), 'in_vn', "
		"'day', 1, 0, '2024', '" NOW "' FROM person WHERE id % 10 = 0");
	snprintf(
		sql, sizeof(sql),
		"INSERT INTO intake (owner_unit_id, province_code, "
		"commune_code, received_at, channel, language, "
		"reporter_anonymous, summary_enc, classification, "
		"purpose_code, urgency, status, deadline, resolved_at, "
		"created_at, created_by, updated_at) SELECT owner_unit_id, "
		"province_code, commune_code, received_on || 'T0' || (id %% "
		"10) || ':00:00Z', 'HOTLINE_111', 'vi', 1, x'00', CASE id %% 3 "
		"WHEN 0 THEN NULL WHEN 1 THEN 'trafficking_tip' ELSE "
		"'victim_help' END, CASE id %% 4 WHEN 0 THEN NULL WHEN 1 THEN "
		"'SEX' WHEN 2 THEN 'LABOUR.BEGGING' ELSE 'ORGAN' END, "
		"'normal', CASE WHEN id %% 3 = 0 THEN 'received' WHEN id %% 5 "
		"< 3 THEN 'resolved' ELSE 'classified' END, CASE id %% 3 WHEN "
		"1 THEN received_on || 'T12:00:00Z' END, CASE WHEN id %% 3 <> "
		"0 AND id %% 5 < 3 THEN received_on || CASE id / 2 %% 2 WHEN 0 "
		"THEN 'T11:00:00Z' ELSE 'T13:00:00Z' END END, '" NOW
		"', %lld, '" NOW "' FROM person WHERE id %% 2 = 1",
		(long long)u.user_id);
	exec_ok(f, sql);
	/* A case for every seventh person: owned by the person's unit, or
	 * by Hà Nội's province police for a third of Hà Nội's. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO criminal_case (owner_unit_id, province_code, "
		 "stage, article, title_enc, created_at, created_by, "
		 "updated_at, initiated_on, solved_on, indicted_on, tried_on) "
		 "SELECT CASE WHEN province_code = '01' AND id %% 3 = 0 THEN "
		 "%lld ELSE owner_unit_id END, province_code, 'tried', CASE "
		 "id %% 3 WHEN 0 THEN '150' WHEN 1 THEN '151' ELSE NULL END, "
		 "x'00', '" NOW "', %lld, '" NOW "', date(received_on, '+5 "
		 "days'), date(received_on, '+90 days'), CASE WHEN id %% 2 = 0 "
		 "THEN date(received_on, '+150 days') END, CASE WHEN id %% 4 = "
		 "0 THEN date(received_on, '+300 days') END FROM person "
		 "WHERE id %% 7 = 0",
		 (long long)hn, (long long)u.user_id);
	exec_ok(f, sql);
	/* Offenders: each case's first shares a citizen ID with the cases
	 * of the same id % 97; even cases have a second without one. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO case_offender (case_id, role, sex, "
		 "citizen_id_bidx, created_at, created_by) SELECT id, "
		 "'recruiter', CASE id %% 2 WHEN 0 THEN 'M' ELSE 'F' END, "
		 "CAST('bidx' || (id %% 97) AS BLOB), '" NOW "', %lld FROM "
		 "criminal_case",
		 (long long)u.user_id);
	exec_ok(f, sql);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO case_offender (case_id, role, sex, created_at, "
		 "created_by) SELECT id, 'broker', 'U', '" NOW "', %lld FROM "
		 "criminal_case WHERE id %% 2 = 0",
		 (long long)u.user_id);
	exec_ok(f, sql);
	/* Referrals: each intake's owner to Hà Nội's province police, and
	 * from there on for every fifth. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO referral (object_type, object_id, from_unit_id, "
		 "to_unit_id, status, sent_at, sent_by, ack_due_at) SELECT "
		 "'intake', id, owner_unit_id, %lld, 'sent', received_at, "
		 "%lld, received_at FROM intake WHERE owner_unit_id <> %lld",
		 (long long)hn, (long long)u.user_id, (long long)hn);
	exec_ok(f, sql);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO referral (object_type, object_id, from_unit_id, "
		 "to_unit_id, status, sent_at, sent_by, ack_due_at) SELECT "
		 "'intake', id, %lld, owner_unit_id, 'sent', received_at, "
		 "%lld, received_at FROM intake WHERE owner_unit_id <> %lld "
		 "AND id %% 5 = 0",
		 (long long)hn, (long long)u.user_id, (long long)hn);
	exec_ok(f, sql);
	/* Activities of commune units, of Hà Nội's province police (in no
	 * commune) and of a national unit (in no province). */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO activity (org_unit_id, province_code, "
		 "commune_code, kind, title, started_on, ended_on, "
		 "participants, created_by, created_at, updated_at) SELECT "
		 "CASE id %% 3 WHEN 0 THEN owner_unit_id WHEN 1 THEN %lld "
		 "ELSE %lld END, CASE id %% 3 WHEN 2 THEN NULL WHEN 1 THEN "
		 "'01' ELSE province_code END, CASE id %% 3 WHEN 0 THEN "
		 "commune_code END, CASE id %% 4 WHEN 0 THEN 'communication' "
		 "WHEN 1 THEN 'training' WHEN 2 THEN 'inspection' ELSE "
		 "'operation' END, 'x', received_on, received_on, id %% 37, "
		 "%lld, '" NOW "', '" NOW "' FROM person WHERE id %% 11 = 0",
		 (long long)hn, (long long)unit_at(f, "POLICE", "VN"),
		 (long long)u.user_id);
	exec_ok(f, sql);
	read_world(f->db);
	return 0;
}

static int
stats_teardown(void **state)
{
	free_world();
	return db_teardown(state);
}

/* --- the checks --- */

/* The store's value of ind at a place by dim, compared with expected();
 * the total returned. */
static long
check_one(struct db_fixture *f, const struct ctip_principal *p,
	  const struct ctip_indicator *ind, const char *level,
	  const char *place, const char *dim)
{
	struct ctip_stats_value v;
	struct ctip_err err = { 0 };
	struct ctip_arena a;
	static struct expect e, t; /* 160 KiB each */
	enum ctip_stats_measure m;
	long total;
	int i;

	(void)f;
	assert_true(ctip_stats_measure_parse(&m, ind->measure));
	ctip_arena_init(&a, 1u << 20);
	assert_int_equal(
		ctip_stats_value(&v, f->st, p, ind->code, FROM, TO,
				 strcmp(level, "commune") == 0 ? place : NULL,
				 strcmp(level, "province") == 0 ? place : NULL,
				 dim, &a, &err),
		CTIP_OK);
	expected(&t, (int)m, ind->filter, level, place, NULL);
	if (v.total != t.total)
		fail_msg("%s at %s %s: total %ld, expected %ld", ind->code,
			 level, place ? place : "", v.total, t.total);
	total = v.total;
	if (dim == NULL) {
		ctip_arena_free(&a);
		return total;
	}
	expected(&e, (int)m, ind->filter, level, place, dim);
	if (v.n_values != e.n)
		fail_msg("%s at %s %s by %s: %d categories, expected %d",
			 ind->code, level, place ? place : "", dim, v.n_values,
			 e.n);
	for (i = 0; i < e.n; i++)
		if (strcmp(v.values[i].category, e.cats[i]) != 0 ||
		    v.values[i].value != e.values[i])
			fail_msg("%s at %s %s by %s: %s = %ld, expected %s = "
				 "%ld",
				 ind->code, level, place ? place : "", dim,
				 v.values[i].category, v.values[i].value,
				 e.cats[i], e.values[i]);
	ctip_arena_free(&a);
	return total;
}

/* Each dimension of ind's list, in turn, into dims; the count. */
static int
dims_of(char dims[16][16], const struct ctip_indicator *ind)
{
	char copy[256], *w, *save;
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", ind->dimensions);
	for (w = strtok_r(copy, " ", &save); w != NULL && n < 16;
	     w = strtok_r(NULL, " ", &save))
		snprintf(dims[n++], 16, "%s", w);
	return n;
}

/* Measures whose value is a partition of the nation over communes. */
static bool
partition(const struct ctip_indicator *ind)
{
	return strcmp(ind->counts, "persons") == 0 ||
	       strcmp(ind->counts, "services") == 0 ||
	       strcmp(ind->counts, "intakes") == 0;
}

static void
every_indicator_equals_the_independent_count(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal nat =
		user_at(f, "stat", "POLICE", "VN", "statistician");
	struct ctip_indicator *inds;
	struct ctip_commune *communes;
	struct ctip_err err = { 0 };
	char dims[16][16];
	const char *provs[] = { "01", NULL };
	long nation, sum_prov, prov, sum_comm;
	int n, n_communes, i, d, n_dims, c, k, checked = 0;

	assert_int_equal(
		ctip_stats_indicators(&inds, &n, f->st, &nat, &f->arena, &err),
		CTIP_OK);
	assert_true(n >= 27);
	assert_int_equal(f->st->ops->communes(&communes, &n_communes, f->st,
					      &f->arena, &err),
			 CTIP_OK);
	/* The other province checked in detail: the first person's. */
	provs[1] = W.ps[0].prov;
	for (i = 0; i < n; i++) {
		n_dims = dims_of(dims, &inds[i]);
		assert_true(n_dims > 0);
		/* The nation and the detailed provinces by every dimension. */
		nation = check_one(f, &nat, &inds[i], "nation", NULL, NULL);
		/* The data give every indicator something to count. */
		if (nation <= 0)
			fail_msg("%s: nothing counted", inds[i].code);
		for (d = 0; d < n_dims; d++) {
			check_one(f, &nat, &inds[i], "nation", NULL, dims[d]);
			check_one(f, &nat, &inds[i], "province", provs[0],
				  dims[d]);
			check_one(f, &nat, &inds[i], "province", provs[1],
				  dims[d]);
		}
		/* Every province, by its first dimension; they add up to the
		 * nation except where the measure is not a partition. */
		sum_prov = 0;
		for (c = 0; c < n_communes; c++) {
			for (k = 0; k < c; k++)
				if (strcmp(communes[k].province_code,
					   communes[c].province_code) == 0)
					break;
			if (k == c)
				sum_prov += check_one(
					f, &nat, &inds[i], "province",
					communes[c].province_code, dims[0]);
		}
		/* Offenders are unique across cases: one in cases of two
		 * provinces is one in the nation. */
		if (partition(&inds[i]) || strcmp(inds[i].counts, "cases") == 0)
			assert_int_equal(sum_prov, nation);
		else if (strcmp(inds[i].counts, "offenders") == 0)
			assert_true(sum_prov > nation);
		else
			assert_true(sum_prov <= nation);
		/* The communes of the detailed provinces, each by its first
		 * dimension, adding up to the province for partitions. */
		for (k = 0; k < 2; k++) {
			prov = check_one(f, &nat, &inds[i], "province",
					 provs[k], NULL);
			sum_comm = 0;
			for (c = 0; c < n_communes; c++)
				if (strcmp(communes[c].province_code,
					   provs[k]) == 0)
					sum_comm += check_one(
						f, &nat, &inds[i], "commune",
						communes[c].code,
						k == 0 ? dims[0] : NULL);
			if (getenv("CTIP_TEST_VERBOSE"))
				print_message("%s: nation %ld, province %s "
					      "%ld, its communes %ld\n",
					      inds[i].code, nation, provs[k],
					      prov, sum_comm);
			if (partition(&inds[i]))
				assert_int_equal(sum_comm, prov);
			else
				assert_true(sum_comm <= prov ||
					    strcmp(inds[i].counts,
						   "offenders") == 0);
		}
		checked++;
	}
	assert_int_equal(checked, n);
}

/* The value of code for p; the code returned, err filled. */
static int
value_of(struct db_fixture *f, const struct ctip_principal *p, const char *code,
	 const char *from, const char *to, const char *commune,
	 const char *province, const char *by, struct ctip_stats_value *v,
	 struct ctip_err *err)
{
	memset(err, 0, sizeof(*err));
	return ctip_stats_value(v, f->st, p, code, from, to, commune, province,
				by, &f->arena, err);
}

static long
sum_of(const struct ctip_stats_value *v)
{
	long sum = 0;
	int i;

	for (i = 0; i < v->n_values; i++)
		sum += v->values[i].value;
	return sum;
}

static void
a_person_with_two_services_counts_once(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal nat =
		user_at(f, "stat", "POLICE", "VN", "statistician");
	struct ctip_stats_value v;
	struct ctip_err err = { 0 };
	struct ctip_indicator *inds;
	long any, by_type = 0, services;
	int n, i, n_types = 0;

	assert_int_equal(
		ctip_stats_indicators(&inds, &n, f->st, &nat, &f->arena, &err),
		CTIP_OK);

	assert_int_equal(value_of(f, &nat, "V_SUPPORTED", FROM, TO, NULL, NULL,
				  NULL, &v, &err),
			 CTIP_OK);
	any = v.total;
	for (i = 0; i < n; i++) {
		if (strncmp(inds[i].code, "V_SUPPORTED_", 12) != 0)
			continue;
		assert_int_equal(value_of(f, &nat, inds[i].code, FROM, TO, NULL,
					  NULL, NULL, &v, &err),
				 CTIP_OK);
		by_type += v.total;
		n_types++;
	}
	assert_int_equal(value_of(f, &nat, "SVC_GIVEN", FROM, TO, NULL, NULL,
				  NULL, &v, &err),
			 CTIP_OK);
	services = v.total;
	/* Every sixth person has a medical service and another, every
	 * tenth two of one type: persons are fewer than their services,
	 * and fewer than the sum of the persons by type. */
	assert_int_equal(n_types, 10);
	assert_true(any > 0);
	assert_true(any < by_type);
	assert_true(any < services);
	/* By sex the persons add up to the total; by purpose a person with
	 * events of two purposes is in both, once in the total. */
	assert_int_equal(value_of(f, &nat, "V_RECEIVED", FROM, TO, NULL, NULL,
				  "sex", &v, &err),
			 CTIP_OK);
	assert_int_equal(sum_of(&v), v.total);
	assert_int_equal(value_of(f, &nat, "V_RECEIVED", FROM, TO, NULL, NULL,
				  "purpose", &v, &err),
			 CTIP_OK);
	assert_true(sum_of(&v) >= v.total);
	/* An offender in cases of two articles is one offender. */
	assert_int_equal(value_of(f, &nat, "OFFENDERS", FROM, TO, NULL, NULL,
				  "article", &v, &err),
			 CTIP_OK);
	assert_true(sum_of(&v) > v.total);
}

static void
bad_requests_name_the_field(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal nat =
		user_at(f, "stat", "POLICE", "VN", "statistician");
	struct ctip_principal prov =
		user_at(f, "sup", "POLICE", "01", "supervisor");
	struct ctip_principal com =
		user_at(f, "cw", "POLICE", BA_DINH, "case_worker");
	struct ctip_principal hot =
		user_at(f, "hot", "POLICE", BA_DINH, "hotline_operator");
	struct ctip_principal adm =
		user_at(f, "adm", "POLICE", "VN", "administrator");
	struct ctip_stats_value v;
	struct ctip_commune *communes;
	struct ctip_err err;
	const char *elsewhere = NULL;
	int n_communes, c;

	assert_int_equal(f->st->ops->communes(&communes, &n_communes, f->st,
					      &f->arena, &err),
			 CTIP_OK);
	for (c = 0; c < n_communes && elsewhere == NULL; c++)
		if (strcmp(communes[c].province_code, "01") != 0)
			elsewhere = communes[c].code;
	assert_non_null(elsewhere);
	assert_int_equal(
		value_of(f, &nat, "NOPE", FROM, TO, NULL, NULL, NULL, &v, &err),
		CTIP_ENOTFOUND);
	assert_string_equal(err.field, "indicator");
	assert_int_equal(
		value_of(f, &nat, NULL, FROM, TO, NULL, NULL, NULL, &v, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "indicator");
	assert_int_equal(value_of(f, &nat, "CASE_SOLVED", FROM, TO, NULL, NULL,
				  "sex", &v, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "by");
	assert_int_equal(value_of(f, &nat, "V_RECEIVED", FROM, TO, NULL, NULL,
				  "colour", &v, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "by");
	assert_int_equal(value_of(f, &nat, "V_RECEIVED", "2024-13-01", TO, NULL,
				  NULL, NULL, &v, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "from");
	assert_int_equal(value_of(f, &nat, "V_RECEIVED", TO, FROM, NULL, NULL,
				  NULL, &v, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "to");
	assert_int_equal(value_of(f, &nat, "V_RECEIVED", FROM, TO, "99999",
				  NULL, NULL, &v, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "commune");
	assert_int_equal(value_of(f, &nat, "V_RECEIVED", FROM, TO, BA_DINH,
				  "01", NULL, &v, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "commune");
	/* Scope: a province unit sees its province and its communes. */
	assert_int_equal(value_of(f, &prov, "V_RECEIVED", FROM, TO, NGOC_HA,
				  NULL, NULL, &v, &err),
			 CTIP_OK);
	assert_int_equal(v.scope, CTIP_SCOPE_COMMUNE);
	assert_int_equal(value_of(f, &prov, "V_RECEIVED", FROM, TO, NULL, "79",
				  NULL, &v, &err),
			 CTIP_EFORBIDDEN);
	assert_string_equal(err.field, "province");
	assert_int_equal(value_of(f, &prov, "V_RECEIVED", FROM, TO, elsewhere,
				  NULL, NULL, &v, &err),
			 CTIP_EFORBIDDEN);
	assert_string_equal(err.field, "commune");
	assert_int_equal(value_of(f, &prov, "V_RECEIVED", FROM, TO, NULL, NULL,
				  NULL, &v, &err),
			 CTIP_OK);
	assert_int_equal(v.scope, CTIP_SCOPE_PROVINCE);
	assert_string_equal(v.place, "01");
	/* A commune unit: its own commune only, by default. */
	assert_int_equal(value_of(f, &com, "V_RECEIVED", FROM, TO, NULL, NULL,
				  NULL, &v, &err),
			 CTIP_OK);
	assert_int_equal(v.scope, CTIP_SCOPE_COMMUNE);
	assert_string_equal(v.place, BA_DINH);
	assert_int_equal(value_of(f, &com, "V_RECEIVED", FROM, TO, NGOC_HA,
				  NULL, NULL, &v, &err),
			 CTIP_EFORBIDDEN);
	assert_string_equal(err.field, "commune");
	assert_int_equal(value_of(f, &com, "V_RECEIVED", FROM, TO, NULL, "01",
				  NULL, &v, &err),
			 CTIP_EFORBIDDEN);
	assert_string_equal(err.field, "province");
	/* The nation by default for national units. */
	assert_int_equal(value_of(f, &nat, "V_RECEIVED", FROM, TO, NULL, NULL,
				  NULL, &v, &err),
			 CTIP_OK);
	assert_int_equal(v.scope, CTIP_SCOPE_NATION);
	assert_null(v.place);
	/* Roles. */
	assert_int_equal(value_of(f, &hot, "V_RECEIVED", FROM, TO, NULL, NULL,
				  NULL, &v, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(value_of(f, &adm, "V_RECEIVED", FROM, TO, NULL, NULL,
				  NULL, &v, &err),
			 CTIP_EFORBIDDEN);
}

static void
catalogue_rows_are_checked(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	const char *ok[] = { "X",
			     "x",
			     "x",
			     "persons",
			     "persons_received",
			     NULL,
			     "sex age_band commune" };
	const char *row[7];

	assert_int_equal(ctip_stats_indicator_check(f->st, ok, &err), CTIP_OK);
	memcpy(row, ok, sizeof(row));
	row[4] = "persons_counted";
	assert_int_equal(ctip_stats_indicator_check(f->st, row, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "measure");
	memcpy(row, ok, sizeof(row));
	row[3] = "cases";
	assert_int_equal(ctip_stats_indicator_check(f->st, row, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "counts");
	memcpy(row, ok, sizeof(row));
	row[5] = "MEDICAL";
	assert_int_equal(ctip_stats_indicator_check(f->st, row, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "filter");
	row[4] = "persons_supported";
	assert_int_equal(ctip_stats_indicator_check(f->st, row, &err), CTIP_OK);
	row[5] = "MASSAGE";
	assert_int_equal(ctip_stats_indicator_check(f->st, row, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "filter");
	assert_string_equal(err.msg,
			    "filter: unknown support type \"MASSAGE\"");
	memcpy(row, ok, sizeof(row));
	row[6] = "sex colour";
	assert_int_equal(ctip_stats_indicator_check(f->st, row, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "dimensions");
	assert_non_null(strstr(err.msg, "colour"));
	memcpy(row, ok, sizeof(row));
	row[6] = "sex article";
	assert_int_equal(ctip_stats_indicator_check(f->st, row, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "dimensions");
}

/* A bad catalogue row stops the reference load, naming line and field. */
static void
a_bad_catalogue_line_stops_the_load(void **state)
{
	struct db_fixture *f = *state;
	static const char *const files[] = {
		"admin-units.csv",     "ethnic-groups.csv",
		"countries.csv",       "purposes.csv",
		"support-types.csv",   "support-entitlements.csv",
		"support-amounts.csv", "intake-channels.csv",
		"agencies.csv",        "indicators/rates.csv",
		"forms/forms.csv",     "forms/rows.csv",
		"forms/rules.csv",     "plan-agency-aliases.csv",
	};
	struct ctip_err err = { 0 };
	char dir[256], from[512], to[512];
	size_t i;

	/* Every file there (the load reads them all for their digest first),
	 * the catalogue of indicators replaced. */
	snprintf(dir, sizeof(dir), "%s/data", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(to, sizeof(to), "%s/indicators", dir);
	assert_int_equal(mkdir(to, 0700), 0);
	snprintf(to, sizeof(to), "%s/forms", dir);
	assert_int_equal(mkdir(to, 0700), 0);
	for (i = 0; i < CTIP_NELEM(files); i++) {
		snprintf(from, sizeof(from), "%s/%s", CTIP_TEST_DATA, files[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, files[i]);
		assert_int_equal(symlink(from, to), 0);
	}
	snprintf(to, sizeof(to), "%s/indicators/indicators.csv", dir);
	assert_true(file_puts(
		to, "code,name_vi,name_en,counts,measure,filter,dimensions\n"
		    "A,a,a,persons,persons_received,,sex\n"
		    "B,b,b,persons,persons_received,,sex age\n"));
	assert_int_equal(ctip_refdata_load(f->st, dir, &err), CTIP_EINVAL);
	assert_non_null(strstr(err.msg, "indicators.csv line 3"));
	assert_non_null(strstr(err.msg, "dimensions: unknown dimension "
					"\"age\""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			every_indicator_equals_the_independent_count,
			stats_setup, stats_teardown),
		cmocka_unit_test_setup_teardown(
			a_person_with_two_services_counts_once, stats_setup,
			stats_teardown),
		LOADED(bad_requests_name_the_field),
		LOADED(catalogue_rows_are_checked),
		EMPTY(a_bad_catalogue_line_stops_the_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
