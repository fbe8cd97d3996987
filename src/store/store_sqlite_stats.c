/* store_sqlite_stats.c: the statistics in the SQLite backend: the
 * indicator catalogue and one counting statement per measure and scope.
 *
 * Every count statement takes the same parameters: ?1 the province or
 * commune code (NULL for the nation), ?2 and ?3 the period (dates, or
 * timestamps with the end excluded for intakes and referrals), ?4 the
 * dimension (NULL: the total) and ?5 a support type (NULL: any). The
 * dimension is a bound value chosen by a CASE, so one statement serves
 * the total and every disaggregation; the person measures have two more,
 * joining the trafficking events for abroad and destination, and their
 * purposes too for purpose. The SQL is the subset SQLite and
 * PostgreSQL share. */
#include "store/sqlite_int.h"

enum {
	Q_INDICATORS = S_STATS,
	Q_INDICATOR_GET,
	Q_COUNT, /* + measure * CTIP_SCOPE_N + scope */
	Q_EVENTS = Q_COUNT + CTIP_M_N * CTIP_SCOPE_N, /* person measures */
	Q_PURPOSES = Q_EVENTS + (CTIP_M_SERVICES_GIVEN + 1) * CTIP_SCOPE_N,
	Q_END = Q_PURPOSES + (CTIP_M_SERVICES_GIVEN + 1) * CTIP_SCOPE_N
};

_Static_assert((int)Q_END <= (int)S_STATS + 128,
	       "stats statements exceed their range");

#define INDICATOR_COLUMNS                                                      \
	"code, name_vi, name_en, counts, measure, filter, dimensions"

/* Age on the day ref, from the birth date or else the birth year (as
 * ctip_age_on), NULL when neither is known. */
#define AGE(ref)                                                               \
	"(CASE WHEN p.birth_date IS NOT NULL THEN CAST(substr(" ref            \
	", 1, 4) AS INTEGER) - CAST(substr(p.birth_date, 1, 4) AS INTEGER) "   \
	"- CASE WHEN substr(p.birth_date, 6, 5) > substr(" ref ", 6, 5) "      \
	"THEN 1 ELSE 0 END WHEN p.birth_year IS NOT NULL THEN "                \
	"CAST(substr(" ref ", 1, 4) AS INTEGER) - p.birth_year END)"

/* The category of a person p (events e, purposes pu) by dimension ?4.
 * Kept unformatted: clang-format splits the string at every macro. */
/* clang-format off */
#define AGE_BAND(ref)                                                          \
	"CASE WHEN " AGE(ref) " IS NULL THEN 'unknown' "                       \
	"WHEN " AGE(ref) " < 16 THEN 'under_16' "                              \
	"WHEN " AGE(ref) " < 18 THEN '16_17' "                                 \
	"WHEN " AGE(ref) " <= 30 THEN '18_30' ELSE 'over_30' END"
#define PERSON_DIM(ref)                                                        \
	"CASE ?4 WHEN 'sex' THEN p.sex "                                       \
	"WHEN 'age_band' THEN " AGE_BAND(ref) " "                              \
	"WHEN 'ethnic' THEN CASE WHEN p.ethnicity_code IS NULL THEN "          \
	"'unknown' WHEN p.ethnicity_code = '01' THEN 'kinh' ELSE "             \
	"'minority' END "                                                      \
	"WHEN 'ethnicity' THEN coalesce(p.ethnicity_code, 'unknown') "         \
	EVENT_DIMS                                                             \
	"WHEN 'province' THEN p.province_code "                                \
	"WHEN 'commune' THEN coalesce(p.commune_code, 'unknown') "             \
	"ELSE '' END"

/* The dimensions of a person's events, and the joins they need: the
 * events for abroad and destination, their purposes too for purpose. */
#define ABROAD_BRANCHES                                                        \
	"WHEN 'abroad' THEN CASE e.abroad WHEN 1 THEN 'abroad' WHEN 0 THEN "   \
	"'domestic' ELSE 'unknown' END "                                       \
	"WHEN 'destination' THEN coalesce(e.destination_country, "             \
	"CASE e.abroad WHEN 0 THEN 'VN' ELSE 'unknown' END) "
#define EVENT_TABLES " LEFT JOIN trafficking_event e ON e.person_id = p.id "
#define PURPOSE_BRANCH                                                         \
	"WHEN 'purpose' THEN coalesce(pu.parent_code, pu.code, 'unknown') "
#define PURPOSE_TABLES                                                         \
	EVENT_TABLES "LEFT JOIN event_purpose ep ON ep.event_id = e.id "       \
		     "LEFT JOIN purpose pu ON pu.code = ep.purpose_code "

#define P_COMMUNE  "p.commune_code = ?1"
#define P_PROVINCE "p.province_code = ?1"
#define ANYWHERE   "?1 IS NULL"

/* Persons whose own date column col lies in the period. */
#define PERSON_BY_DATE(col, cond, scope)                                       \
	"SELECT " PERSON_DIM("p." col) ", count(DISTINCT p.id) "               \
	"FROM person p" EVENT_JOINS                                            \
	"WHERE p." col " >= ?2 AND p." col " <= ?3 AND " cond                  \
	" AND " scope " GROUP BY 1 ORDER BY 1"

/* Persons with a row of source (person_id, d: the first date in the
 * period, the reference date of the person's age). */
#define PERSON_BY_SOURCE(source, scope)                                        \
	"SELECT " PERSON_DIM("m.d") ", count(DISTINCT p.id) "                  \
	"FROM (" source ") m JOIN person p ON p.id = m.person_id" EVENT_JOINS  \
	"WHERE " scope " GROUP BY 1 ORDER BY 1"

/* The sources, for the nation: read by date. */
#define STEPS(step)                                                            \
	"SELECT person_id, min(on_date) AS d FROM person_step WHERE step = "   \
	"'" step "' AND on_date >= ?2 AND on_date <= ?3 GROUP BY person_id"

#define SUPPORTED                                                              \
	"SELECT person_id, min(provided_on) AS d FROM support_service WHERE "  \
	"provided_on >= ?2 AND provided_on <= ?3 AND (?5 IS NULL OR "          \
	"support_code = ?5) GROUP BY person_id"

/* The same for a province or a commune (where: on person q), read from
 * the place's persons (CROSS JOIN keeps that order in SQLite), each
 * person's rows through its person_id index: a commune's few hundred
 * persons, not the nation's steps of the period. The date and step are
 * compared as expressions (x || '') so that the planner cannot pick the
 * national date index for the inner loop instead, which would read the
 * whole period once per person. */
#define STEPS_OF(step, where)                                                  \
	"SELECT s.person_id, min(s.on_date) AS d FROM person q CROSS JOIN "    \
	"person_step s WHERE " where " AND s.person_id = q.id AND s.step || "  \
	"'' = '" step "' AND s.on_date || '' >= ?2 AND s.on_date || '' <= ?3 " \
	"GROUP BY s.person_id"

#define SUPPORTED_OF(where)                                                    \
	"SELECT s.person_id, min(s.provided_on) AS d FROM person q CROSS "     \
	"JOIN support_service s WHERE " where " AND s.person_id = q.id AND "   \
	"s.provided_on || '' >= ?2 AND s.provided_on || '' <= ?3 AND (?5 IS "  \
	"NULL OR s.support_code = ?5) GROUP BY s.person_id"

/* Services given in the period, each counted (not by person): for the
 * nation by date, for a place from its persons. */
#define SERVICES_FROM(from, day, scope)                                        \
	"SELECT " PERSON_DIM("s.provided_on") ", count(DISTINCT s.id) "        \
	"FROM " from EVENT_JOINS "WHERE s.person_id = p.id AND " day " >= ?2 " \
	"AND " day " <= ?3 AND (?5 IS NULL OR s.support_code = ?5) AND " scope \
	" GROUP BY 1 ORDER BY 1"
#define SERVICES(scope)                                                        \
	SERVICES_FROM("support_service s JOIN person p ON p.id = "             \
		      "s.person_id",                                           \
		      "s.provided_on", scope)
#define SERVICES_OF(scope)                                                     \
	SERVICES_FROM("person p CROSS JOIN support_service s",                 \
		      "s.provided_on || ''", scope)
/* clang-format on */

/* Intakes received in the period (timestamps) meeting cond. */
#define INTAKES(cond, scope)                                                   \
	"SELECT CASE ?4 WHEN 'purpose' THEN coalesce(pu.parent_code, "         \
	"pu.code, 'unknown') WHEN 'province' THEN i.province_code WHEN "       \
	"'commune' THEN coalesce(i.commune_code, 'unknown') ELSE '' END, "     \
	"count(*) FROM intake i LEFT JOIN purpose pu ON pu.code = "            \
	"i.purpose_code WHERE i.received_at >= ?2 AND i.received_at < ?3 "     \
	"AND " cond " AND " scope " GROUP BY 1 ORDER BY 1"
#define I_COMMUNE  "i.commune_code = ?1"
#define I_PROVINCE "i.province_code = ?1"

/* A case's commune is its owning unit's, when that is a commune unit. */
#define CASE_DIM                                                               \
	"CASE ?4 WHEN 'article' THEN coalesce(c.article, 'unknown') WHEN "     \
	"'province' THEN c.province_code WHEN 'commune' THEN CASE WHEN "       \
	"au.level = 'commune' THEN au.code ELSE 'none' END "
#define CASE_FROM                                                              \
	" FROM criminal_case c JOIN org_unit u ON u.id = c.owner_unit_id "     \
	"JOIN admin_unit au ON au.code = u.admin_code "
#define C_COMMUNE                                                              \
	"c.owner_unit_id IN (SELECT id FROM org_unit WHERE admin_code = ?1)"
#define C_PROVINCE "c.province_code = ?1"

/* Cases that reached a stage (its first day col) in the period. */
#define CASES(col, scope)                                                      \
	"SELECT " CASE_DIM "ELSE '' END, count(*)" CASE_FROM "WHERE c." col    \
	" >= ?2 AND c." col " <= ?3 AND " scope " GROUP BY 1 ORDER BY 1"

/* Cases initiated in the period that have reached a stage (col set):
 * the cohort of the case KPIs. */
#define COHORT(col, scope)                                                     \
	"SELECT " CASE_DIM "ELSE '' END, count(*)" CASE_FROM "WHERE "          \
	"c.initiated_on >= ?2 AND c.initiated_on <= ?3 AND c." col " IS NOT "  \
	"NULL AND " scope " GROUP BY 1 ORDER BY 1"

/* Activities that started in the period (?5: one kind), placed by the
 * recording unit: a national unit's only in the nation. what is
 * count(*) or the sum of participants. */
#define ACTIVITIES(what, scope)                                                \
	"SELECT CASE ?4 WHEN 'province' THEN coalesce(a.province_code, "       \
	"'none') WHEN 'commune' THEN coalesce(a.commune_code, 'none') ELSE "   \
	"'' END, " what " FROM activity a WHERE a.started_on >= ?2 AND "       \
	"a.started_on <= ?3 AND (?5 IS NULL OR a.kind = ?5) AND " scope        \
	" GROUP BY 1 ORDER BY 1"
#define A_COMMUNE  "a.commune_code = ?1"
#define A_PROVINCE "a.province_code = ?1"
#define ACTIVITY_SCOPES(what)                                                  \
	{                                                                      \
		[CTIP_SCOPE_NATION] = ACTIVITIES(what, ANYWHERE),              \
		[CTIP_SCOPE_PROVINCE] = ACTIVITIES(what, A_PROVINCE),          \
		[CTIP_SCOPE_COMMUNE] = ACTIVITIES(what, A_COMMUNE),            \
	}
#define COHORT_SCOPES(col)                                                     \
	{                                                                      \
		[CTIP_SCOPE_NATION] = COHORT(col, ANYWHERE),                   \
		[CTIP_SCOPE_PROVINCE] = COHORT(col, C_PROVINCE),               \
		[CTIP_SCOPE_COMMUNE] = COHORT(col, C_COMMUNE),                 \
	}

/* Offenders of the cases initiated in the period: the same citizen ID
 * (blind index) is one offender, one without is one per row. */
#define OFFENDERS(scope)                                                       \
	"SELECT " CASE_DIM "WHEN 'sex' THEN o.sex ELSE '' END, "               \
	"count(DISTINCT o.citizen_id_bidx) + sum(CASE WHEN "                   \
	"o.citizen_id_bidx IS NULL THEN 1 ELSE 0 END) FROM case_offender o "   \
	"JOIN criminal_case c ON c.id = o.case_id JOIN org_unit u ON u.id = "  \
	"c.owner_unit_id JOIN admin_unit au ON au.code = u.admin_code WHERE "  \
	"c.initiated_on >= ?2 AND c.initiated_on <= ?3 AND " scope             \
	" GROUP BY 1 ORDER BY 1"

/* Referrals sent in the period (timestamps), placed by the sending
 * unit: a commune unit in its commune, a province unit in its province
 * only, a national unit in the nation only. */
#define REFERRALS_FROM(from, scope)                                            \
	"SELECT CASE ?4 WHEN 'province' THEN CASE au.level WHEN 'nation' "     \
	"THEN 'none' ELSE coalesce(au.province_code, au.code) END WHEN "       \
	"'commune' THEN CASE WHEN au.level = 'commune' THEN au.code ELSE "     \
	"'none' END ELSE '' END, count(*) FROM " from " AND " scope            \
	" GROUP BY 1 ORDER BY 1"
#define REFERRALS(scope)                                                       \
	REFERRALS_FROM("referral r JOIN org_unit u ON u.id = r.from_unit_id "  \
		       "JOIN admin_unit au ON au.code = u.admin_code WHERE "   \
		       "r.sent_at >= ?2 AND r.sent_at < ?3",                   \
		       scope)
/* A place's referrals from its units (as STEPS_OF, the date compared as
 * an expression keeps the national date index out of the inner loop). */
#define REFERRALS_OF(scope)                                                    \
	REFERRALS_FROM("admin_unit au CROSS JOIN org_unit u CROSS JOIN "       \
		       "referral r WHERE u.admin_code = au.code AND "          \
		       "r.from_unit_id = u.id AND r.sent_at || '' >= ?2 AND "  \
		       "r.sent_at || '' < ?3",                                 \
		       scope)
#define R_COMMUNE  "au.code = ?1"
#define R_PROVINCE "(au.province_code = ?1 OR au.code = ?1)"

#define NOT_MINOR "p.role <> 'accompanying_minor'"
#define MINOR     "p.role = 'accompanying_minor'"

#define BY_SCOPE(m)                                                            \
	{                                                                      \
		[CTIP_SCOPE_NATION] = m(ANYWHERE),                             \
		[CTIP_SCOPE_PROVINCE] = m(P_PROVINCE),                         \
		[CTIP_SCOPE_COMMUNE] = m(P_COMMUNE),                           \
	}

#define RECEIVED(sc)   PERSON_BY_DATE("received_on", NOT_MINOR, sc)
#define MINORS(sc)     PERSON_BY_DATE("received_on", MINOR, sc)
#define IDENTIFIED(sc) PERSON_BY_DATE("identified_on", "1 = 1", sc)
/* Persons by a source of theirs: the nation by date, a place from its
 * persons. */
#define BY_SOURCE(all, of)                                                     \
	{                                                                      \
		[CTIP_SCOPE_NATION] = PERSON_BY_SOURCE(all, ANYWHERE),         \
		[CTIP_SCOPE_PROVINCE] = PERSON_BY_SOURCE(                      \
			of("q.province_code = ?1"), P_PROVINCE),               \
		[CTIP_SCOPE_COMMUNE] = PERSON_BY_SOURCE(                       \
			of("q.commune_code = ?1"), P_COMMUNE),                 \
	}
#define VERIFY_OF(w)      STEPS_OF("verify", w)
#define REINTEGRATE_OF(w) STEPS_OF("reintegrate", w)

#define INTAKE_SCOPES(cond)                                                    \
	{                                                                      \
		[CTIP_SCOPE_NATION] = INTAKES(cond, ANYWHERE),                 \
		[CTIP_SCOPE_PROVINCE] = INTAKES(cond, I_PROVINCE),             \
		[CTIP_SCOPE_COMMUNE] = INTAKES(cond, I_COMMUNE),               \
	}
#define CASE_SCOPES(col)                                                       \
	{                                                                      \
		[CTIP_SCOPE_NATION] = CASES(col, ANYWHERE),                    \
		[CTIP_SCOPE_PROVINCE] = CASES(col, C_PROVINCE),                \
		[CTIP_SCOPE_COMMUNE] = CASES(col, C_COMMUNE),                  \
	}

/* The person measures' statements, in the order of enum
 * ctip_stats_measure (they come first); built twice below: without the
 * person's events, and with them for the dimensions that need them. */
#define PERSON_MEASURES                                                        \
	BY_SCOPE(RECEIVED), BY_SCOPE(MINORS),                                  \
		BY_SOURCE(STEPS("verify"), VERIFY_OF), BY_SCOPE(IDENTIFIED),   \
		BY_SOURCE(SUPPORTED, SUPPORTED_OF),                            \
		BY_SOURCE(STEPS("reintegrate"), REINTEGRATE_OF),               \
	{                                                                      \
		[CTIP_SCOPE_NATION] = SERVICES(ANYWHERE),                      \
		[CTIP_SCOPE_PROVINCE] = SERVICES_OF(P_PROVINCE),               \
		[CTIP_SCOPE_COMMUNE] = SERVICES_OF(P_COMMUNE),                 \
	}
#define N_PERSON_MEASURES (CTIP_M_SERVICES_GIVEN + 1)
_Static_assert(CTIP_M_PERSONS_RECEIVED == 0 &&
		       CTIP_M_MINORS_ACCOMPANYING == 1 &&
		       CTIP_M_PERSONS_VERIFIED == 2 &&
		       CTIP_M_PERSONS_IDENTIFIED == 3 &&
		       CTIP_M_PERSONS_SUPPORTED == 4 &&
		       CTIP_M_PERSONS_REINTEGRATED == 5 &&
		       CTIP_M_SERVICES_GIVEN == 6,
	       "PERSON_MEASURES lists the person measures in enum order");

/* Joining a person's events costs a third of a person count even when
 * its condition is false: only the event dimensions have them. */
#define EVENT_DIMS  ""
#define EVENT_JOINS " "
static const char *const count_sql[CTIP_M_N][CTIP_SCOPE_N] = {
	PERSON_MEASURES,
	[CTIP_M_INTAKES_RECEIVED] = INTAKE_SCOPES("1 = 1"),
	[CTIP_M_INTAKES_CLASSIFIED] =
		INTAKE_SCOPES("i.classification IS NOT NULL"),
	[CTIP_M_INTAKES_RESOLVED] = INTAKE_SCOPES("i.status = 'resolved'"),
	/* As the intake KPIs' tips resolved in time. */
	[CTIP_M_INTAKES_RESOLVED_IN_TIME] = INTAKE_SCOPES(
		"i.deadline IS NOT NULL AND i.status = 'resolved' AND "
		"i.resolved_at <= i.deadline"),
	/* Crime tips: the intakes on the legal clock (denunciations, crime
	 * reports, prosecution recommendations, and anything classified a
	 * trafficking tip), as the intake KPIs' tips. */
	[CTIP_M_TIPS_RECEIVED] = INTAKE_SCOPES("i.deadline IS NOT NULL"),
	[CTIP_M_TIPS_CLASSIFIED] = INTAKE_SCOPES(
		"i.deadline IS NOT NULL AND i.classification IS NOT NULL"),
	[CTIP_M_TIPS_RESOLVED] = INTAKE_SCOPES(
		"i.deadline IS NOT NULL AND i.status = 'resolved'"),
	[CTIP_M_CASES_INITIATED] = CASE_SCOPES("initiated_on"),
	[CTIP_M_CASES_SOLVED] = CASE_SCOPES("solved_on"),
	[CTIP_M_CASES_INDICTED] = CASE_SCOPES("indicted_on"),
	[CTIP_M_CASES_TRIED] = CASE_SCOPES("tried_on"),
	[CTIP_M_OFFENDERS] = {
		[CTIP_SCOPE_NATION] = OFFENDERS(ANYWHERE),
		[CTIP_SCOPE_PROVINCE] = OFFENDERS(C_PROVINCE),
		[CTIP_SCOPE_COMMUNE] = OFFENDERS(C_COMMUNE),
	},
	[CTIP_M_REFERRALS] = {
		[CTIP_SCOPE_NATION] = REFERRALS(ANYWHERE),
		[CTIP_SCOPE_PROVINCE] = REFERRALS_OF(R_PROVINCE),
		[CTIP_SCOPE_COMMUNE] = REFERRALS_OF(R_COMMUNE),
	},
	[CTIP_M_CASES_COHORT_SOLVED] = COHORT_SCOPES("solved_on"),
	[CTIP_M_CASES_COHORT_INDICTED] = COHORT_SCOPES("indicted_on"),
	[CTIP_M_CASES_COHORT_TRIED] = COHORT_SCOPES("tried_on"),
	[CTIP_M_ACTIVITIES] = ACTIVITY_SCOPES("count(*)"),
	[CTIP_M_ACTIVITY_PARTICIPANTS] = ACTIVITY_SCOPES("sum(a.participants)"),
};
#undef EVENT_DIMS
#undef EVENT_JOINS

/* The person measures by abroad or destination, and by purpose. */
#define EVENT_DIMS  ABROAD_BRANCHES
#define EVENT_JOINS EVENT_TABLES
static const char *const event_sql[N_PERSON_MEASURES][CTIP_SCOPE_N] = {
	PERSON_MEASURES,
};
#undef EVENT_DIMS
#undef EVENT_JOINS
#define EVENT_DIMS  PURPOSE_BRANCH
#define EVENT_JOINS PURPOSE_TABLES
static const char *const purpose_sql[N_PERSON_MEASURES][CTIP_SCOPE_N] = {
	PERSON_MEASURES,
};
#undef EVENT_DIMS
#undef EVENT_JOINS

const char *
sq_stats_sql(int id)
{
	switch (id) {
	case Q_INDICATORS:
		return "SELECT " INDICATOR_COLUMNS " FROM indicator ORDER BY "
		       "code";
	case Q_INDICATOR_GET:
		return "SELECT " INDICATOR_COLUMNS " FROM indicator WHERE "
		       "code = ?1";
	default:
		break;
	}
	if (id >= Q_COUNT && id < Q_EVENTS)
		return count_sql[(id - Q_COUNT) / CTIP_SCOPE_N]
				[(id - Q_COUNT) % CTIP_SCOPE_N];
	if (id >= Q_EVENTS && id < Q_PURPOSES)
		return event_sql[(id - Q_EVENTS) / CTIP_SCOPE_N]
				[(id - Q_EVENTS) % CTIP_SCOPE_N];
	if (id >= Q_PURPOSES && id < Q_END)
		return purpose_sql[(id - Q_PURPOSES) / CTIP_SCOPE_N]
				  [(id - Q_PURPOSES) % CTIP_SCOPE_N];
	return NULL;
}

static void
read_indicator(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_indicator *r = row;

	r->code = sq_col_text(q, 0, a, ok);
	r->name_vi = sq_col_text(q, 1, a, ok);
	r->name_en = sq_col_text(q, 2, a, ok);
	r->counts = sq_col_text(q, 3, a, ok);
	r->measure = sq_col_text(q, 4, a, ok);
	r->filter = sq_col_text(q, 5, a, ok);
	r->dimensions = sq_col_text(q, 6, a, ok);
}

static int
indicators(struct ctip_indicator **out, int *n_out, struct ctip_store *st,
	   struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_INDICATORS, err);

	if (q == NULL)
		return err->code;
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   read_indicator, a, err);
}

static int
indicator_get(struct ctip_indicator *out, struct ctip_store *st,
	      const char *code, struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_INDICATOR_GET, err);
	bool ok = true;
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, code);
	rc = sq_step_one(s, q, "indicator", err);
	if (rc == CTIP_OK)
		read_indicator(q, out, a, &ok);
	sq_done(q);
	if (rc == CTIP_OK && !ok)
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	return rc;
}

static void
read_cell(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_stats_cell *c = row;

	c->category = sq_col_text(q, 0, a, ok);
	if (c->category == NULL)
		c->category = "unknown";
	c->value = (long)sqlite3_column_int64(q, 1);
}

/* Measures dated by a timestamp rather than a day. */
static bool
by_timestamp(enum ctip_stats_measure m)
{
	return (m >= CTIP_M_INTAKES_RECEIVED && m <= CTIP_M_TIPS_RESOLVED) ||
	       m == CTIP_M_REFERRALS;
}

/* The first statement id for q: the person measures by an event's
 * dimension have statements of their own. */
static int
first_id(const struct ctip_stats_query *q)
{
	if (q->measure > CTIP_M_SERVICES_GIVEN || q->dimension == NULL)
		return Q_COUNT;
	if (strcmp(q->dimension, "purpose") == 0)
		return Q_PURPOSES;
	if (strcmp(q->dimension, "abroad") == 0 ||
	    strcmp(q->dimension, "destination") == 0)
		return Q_EVENTS;
	return Q_COUNT;
}

static int
count(struct ctip_stats_cell **out, int *n_out, struct ctip_store *st,
      const struct ctip_stats_query *qy, struct ctip_arena *a,
      struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	bool ts = by_timestamp(qy->measure);

	assert(qy->measure < CTIP_M_N && qy->scope < CTIP_SCOPE_N);
	q = sq_stmt(s,
		    first_id(qy) + (int)qy->measure * CTIP_SCOPE_N +
			    (int)qy->scope,
		    err);
	if (q == NULL)
		return err->code;
	/* Parameters a statement does not use answer SQLITE_RANGE: the
	 * same five are bound to every statement. */
	sq_bind_text(q, 1, qy->scope == CTIP_SCOPE_NATION ? NULL : qy->place);
	sq_bind_text(q, 2, ts ? qy->from_ts : qy->from);
	sq_bind_text(q, 3, ts ? qy->to_ts : qy->to);
	sq_bind_text(q, 4, qy->dimension);
	sq_bind_text(q, 5, qy->filter);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q, read_cell,
			   a, err);
}

const struct ctip_stats_ops sq_stats_ops = {
	.indicators = indicators,
	.indicator_get = indicator_get,
	.count = count,
};
