/* stats.c: statistical indicators from the records (issue 6, phase 1). */
#include "core/stats.h"
#include "core/activity.h"
#include "core/kpi.h"
#include "util/text.h"

/* Dimensions, as bits of a measure's allowed set. */
static const char *const dim_names[] = {
	"sex",    "age_band",    "ethnic",  "ethnicity", "purpose",
	"abroad", "destination", "article", "province",  "commune",
};
enum {
	D_SEX = 1u << 0,
	D_AGE = 1u << 1,
	D_ETHNIC = 1u << 2,
	D_ETHNICITY = 1u << 3,
	D_PURPOSE = 1u << 4,
	D_ABROAD = 1u << 5,
	D_DESTINATION = 1u << 6,
	D_ARTICLE = 1u << 7,
	D_PROVINCE = 1u << 8,
	D_COMMUNE = 1u << 9,
	D_PLACE = D_PROVINCE | D_COMMUNE,
	D_PERSON = D_SEX | D_AGE | D_ETHNIC | D_ETHNICITY | D_PURPOSE |
		   D_ABROAD | D_DESTINATION | D_PLACE,
	/* A person may have several: of each event. */
	MULTI_VALUED = D_PURPOSE | D_ABROAD | D_DESTINATION,
};

/* What a measure's filter names. */
enum filter_kind { F_NONE, F_SUPPORT, F_ACTIVITY };

/* Each measure: its name, what it counts, the dimensions its statement
 * can split by, and what its filter names. */
static const struct {
	const char *name;
	const char *counts;
	unsigned dims;
	enum filter_kind filter;
} measures[CTIP_M_N] = {
	[CTIP_M_PERSONS_RECEIVED] = { "persons_received", "persons", D_PERSON,
				      F_NONE },
	[CTIP_M_MINORS_ACCOMPANYING] = { "minors_accompanying", "persons",
					 D_PERSON, F_NONE },
	[CTIP_M_PERSONS_VERIFIED] = { "persons_verified", "persons", D_PERSON,
				      F_NONE },
	[CTIP_M_PERSONS_IDENTIFIED] = { "persons_identified", "persons",
					D_PERSON, F_NONE },
	[CTIP_M_PERSONS_SUPPORTED] = { "persons_supported", "persons", D_PERSON,
				       F_SUPPORT },
	[CTIP_M_PERSONS_REINTEGRATED] = { "persons_reintegrated", "persons",
					  D_PERSON, F_NONE },
	[CTIP_M_SERVICES_GIVEN] = { "services_given", "services", D_PERSON,
				    F_SUPPORT },
	[CTIP_M_INTAKES_RECEIVED] = { "intakes_received", "intakes",
				      D_PURPOSE | D_PLACE, F_NONE },
	[CTIP_M_INTAKES_CLASSIFIED] = { "intakes_classified", "intakes",
					D_PURPOSE | D_PLACE, F_NONE },
	[CTIP_M_INTAKES_RESOLVED] = { "intakes_resolved", "intakes",
				      D_PURPOSE | D_PLACE, F_NONE },
	[CTIP_M_INTAKES_RESOLVED_IN_TIME] = { "intakes_resolved_in_time",
					      "intakes", D_PURPOSE | D_PLACE,
					      F_NONE },
	[CTIP_M_TIPS_RECEIVED] = { "tips_received", "intakes",
				   D_PURPOSE | D_PLACE, F_NONE },
	[CTIP_M_TIPS_CLASSIFIED] = { "tips_classified", "intakes",
				     D_PURPOSE | D_PLACE, F_NONE },
	[CTIP_M_TIPS_RESOLVED] = { "tips_resolved", "intakes",
				   D_PURPOSE | D_PLACE, F_NONE },
	[CTIP_M_CASES_INITIATED] = { "cases_initiated", "cases",
				     D_ARTICLE | D_PLACE, F_NONE },
	[CTIP_M_CASES_SOLVED] = { "cases_solved", "cases", D_ARTICLE | D_PLACE,
				  F_NONE },
	[CTIP_M_CASES_INDICTED] = { "cases_indicted", "cases",
				    D_ARTICLE | D_PLACE, F_NONE },
	[CTIP_M_CASES_TRIED] = { "cases_tried", "cases", D_ARTICLE | D_PLACE,
				 F_NONE },
	[CTIP_M_OFFENDERS] = { "offenders", "offenders",
			       D_SEX | D_ARTICLE | D_PLACE, F_NONE },
	[CTIP_M_REFERRALS] = { "referrals", "referrals", D_PLACE, F_NONE },
	[CTIP_M_CASES_COHORT_SOLVED] = { "cases_cohort_solved", "cases",
					 D_ARTICLE | D_PLACE, F_NONE },
	[CTIP_M_CASES_COHORT_INDICTED] = { "cases_cohort_indicted", "cases",
					   D_ARTICLE | D_PLACE, F_NONE },
	[CTIP_M_CASES_COHORT_TRIED] = { "cases_cohort_tried", "cases",
					D_ARTICLE | D_PLACE, F_NONE },
	[CTIP_M_ACTIVITIES] = { "activities", "activities", D_PLACE,
				F_ACTIVITY },
	[CTIP_M_ACTIVITY_PARTICIPANTS] = { "activity_participants",
					   "participants", D_PLACE,
					   F_ACTIVITY },
};

bool
ctip_stats_measure_parse(enum ctip_stats_measure *out, const char *name)
{
	int m;

	for (m = 0; m < CTIP_M_N; m++)
		if (strcmp(measures[m].name, name) == 0) {
			*out = (enum ctip_stats_measure)m;
			return true;
		}
	return false;
}

/* The bit of dimension name[0..len), 0 if unknown. */
static unsigned
dim_bit(const char *name, size_t len)
{
	size_t d;

	for (d = 0; d < CTIP_NELEM(dim_names); d++)
		if (strlen(dim_names[d]) == len &&
		    strncmp(dim_names[d], name, len) == 0)
			return 1u << d;
	return 0;
}

/* Whether the space-separated list holds dimension name. */
static bool
list_has(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *w = list;

	while (*w != '\0') {
		while (*w == ' ')
			w++;
		if (strncmp(w, name, len) == 0 &&
		    (w[len] == ' ' || w[len] == '\0'))
			return true;
		while (*w != ' ' && *w != '\0')
			w++;
	}
	return false;
}

enum ctip_status
ctip_stats_indicator_check(struct ctip_store *st, const char **vals,
			   struct ctip_err *err)
{
	enum ctip_stats_measure m;
	const char *w, *end;
	unsigned bit;
	bool known;
	enum ctip_status rc;

	if (vals[4] == NULL || !ctip_stats_measure_parse(&m, vals[4]))
		return ctip_err_field(err, CTIP_EINVAL, "measure",
				      "measure: unknown measure \"%s\"",
				      vals[4] ? vals[4] : "");
	if (vals[3] == NULL || strcmp(vals[3], measures[m].counts) != 0)
		return ctip_err_field(err, CTIP_EINVAL, "counts",
				      "counts: measure %s counts %s, not "
				      "\"%s\"",
				      measures[m].name, measures[m].counts,
				      vals[3] ? vals[3] : "");
	if (vals[5] != NULL && vals[5][0] != '\0') {
		if (measures[m].filter == F_NONE)
			return ctip_err_field(err, CTIP_EINVAL, "filter",
					      "filter: measure %s takes no "
					      "filter",
					      measures[m].name);
		if (measures[m].filter == F_ACTIVITY) {
			if (!ctip_one_of(vals[5], ctip_activity_kinds))
				return ctip_err_field(err, CTIP_EINVAL,
						      "filter",
						      "filter: unknown "
						      "activity kind \"%s\"",
						      vals[5]);
		} else if ((rc = st->ops->ref_exists(&known, st,
						     CTIP_REF_SUPPORT_TYPE,
						     vals[5], err)) != CTIP_OK)
			return rc;
		else if (!known)
			return ctip_err_field(err, CTIP_EINVAL, "filter",
					      "filter: unknown support type "
					      "\"%s\"",
					      vals[5]);
	}
	if (vals[6] == NULL)
		return ctip_err_field(err, CTIP_EINVAL, "dimensions",
				      "dimensions: required");
	for (w = vals[6]; *w != '\0'; w = end) {
		while (*w == ' ')
			w++;
		for (end = w; *end != ' ' && *end != '\0'; end++)
			;
		if (end == w)
			break;
		bit = dim_bit(w, (size_t)(end - w));
		if (bit == 0)
			return ctip_err_field(err, CTIP_EINVAL, "dimensions",
					      "dimensions: unknown dimension "
					      "\"%.*s\"",
					      (int)(end - w), w);
		if (!(measures[m].dims & bit))
			return ctip_err_field(err, CTIP_EINVAL, "dimensions",
					      "dimensions: measure %s cannot "
					      "be split by %.*s",
					      measures[m].name, (int)(end - w),
					      w);
	}
	return CTIP_OK;
}

/* Statisticians, supervisors and the casework roles see aggregates. */
bool
ctip_stats_may_see(const struct ctip_principal *p)
{
	return !p->must_change_password &&
	       (p->roles & (CTIP_ROLE_STATISTICIAN | CTIP_ROLE_SUPERVISOR |
			    CTIP_ROLE_CASE_WORKER | CTIP_ROLE_INVESTIGATOR));
}

enum ctip_status
ctip_stats_indicators(struct ctip_indicator **out, int *n_out,
		      struct ctip_store *st, const struct ctip_principal *p,
		      struct ctip_arena *a, struct ctip_err *err)
{
	*out = NULL;
	*n_out = 0;
	if (!ctip_stats_may_see(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see statistics");
	return st->ops->stats->indicators(out, n_out, st, a, err);
}

enum ctip_status
ctip_stats_count(struct ctip_stats_value *out, struct ctip_store *st,
		 enum ctip_stats_scope scope, const char *place,
		 const char *from, const char *to, const char *by,
		 struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_stats_query q;
	struct ctip_stats_cell *cells;
	enum ctip_stats_measure m;
	char *from_ts, *to_ts;
	int n, i;
	enum ctip_status rc;

	/* Checked on load; a row changed since by hand is refused. */
	if (!ctip_stats_measure_parse(&m, out->ind.measure))
		return ctip_err_field(err, CTIP_EINVAL, "indicator",
				      "indicator: %s has an unknown measure",
				      out->ind.code);
	if (by != NULL && (!list_has(out->ind.dimensions, by) ||
			   dim_bit(by, strlen(by)) == 0 ||
			   !(measures[m].dims & dim_bit(by, strlen(by)))))
		return ctip_err_field(err, CTIP_EINVAL, "by",
				      "by: %s cannot be split by \"%s\" (it "
				      "allows: %s)",
				      out->ind.code, by, out->ind.dimensions);
	from_ts = ctip_arena_alloc(a, 24);
	to_ts = ctip_arena_alloc(a, 24);
	if (from_ts == NULL || to_ts == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	ctip_kpi_midnight(from_ts, from, 0);
	ctip_kpi_midnight(to_ts, to, 1);
	out->scope = scope;
	out->place = place;
	out->from = from;
	out->to = to;
	out->by = by;
	out->total = 0;
	out->values = NULL;
	out->n_values = 0;
	q = (struct ctip_stats_query){
		.measure = m,
		.scope = scope,
		.place = place,
		.from = from,
		.to = to,
		.from_ts = from_ts,
		.to_ts = to_ts,
		.filter = out->ind.filter,
	};
	if (by != NULL) {
		q.dimension = by;
		if ((rc = st->ops->stats->count(&out->values, &out->n_values,
						st, &q, a, err)) != CTIP_OK)
			return rc;
		/* A dimension with one value per thing counted partitions the
		 * total. By purpose, abroad or destination a person with
		 * several events is in several categories but one person,
		 * and an offender in cases of two articles or places is one
		 * offender: then the total is counted on its own. */
		if (ctip_stats_partitions(&out->ind, by)) {
			for (i = 0; i < out->n_values; i++)
				out->total += out->values[i].value;
			return CTIP_OK;
		}
		q.dimension = NULL;
	}
	if ((rc = st->ops->stats->count(&cells, &n, st, &q, a, err)) != CTIP_OK)
		return rc;
	for (i = 0; i < n; i++)
		out->total += cells[i].value;
	return CTIP_OK;
}

bool
ctip_stats_partitions(const struct ctip_indicator *ind, const char *by)
{
	enum ctip_stats_measure m;

	return ctip_stats_measure_parse(&m, ind->measure) &&
	       !(dim_bit(by, strlen(by)) & MULTI_VALUED) &&
	       m != CTIP_M_OFFENDERS;
}

enum ctip_status
ctip_stats_value(struct ctip_stats_value *out, struct ctip_store *st,
		 const struct ctip_principal *p, const char *code,
		 const char *from, const char *to, const char *commune,
		 const char *province, const char *by, struct ctip_arena *a,
		 struct ctip_err *err)
{
	enum ctip_status rc;

	if ((rc = ctip_stats_request(out, st, p, code, from, to, commune,
				     province, a, err)) != CTIP_OK)
		return rc;
	return ctip_stats_count(out, st, out->scope, out->place, from, to, by,
				a, err);
}

enum ctip_status
ctip_stats_request(struct ctip_stats_value *out, struct ctip_store *st,
		   const struct ctip_principal *p, const char *code,
		   const char *from, const char *to, const char *commune,
		   const char *province, struct ctip_arena *a,
		   struct ctip_err *err)
{
	struct ctip_kpi_filter f;
	const char *c;
	enum ctip_status rc;

	memset(out, 0, sizeof(*out));
	if (!ctip_stats_may_see(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see statistics");
	if (code == NULL || code[0] == '\0')
		return ctip_err_field(err, CTIP_EINVAL, "indicator",
				      "indicator: required");
	rc = st->ops->stats->indicator_get(&out->ind, st, code, a, err);
	if (rc == CTIP_ENOTFOUND)
		return ctip_err_field(err, CTIP_ENOTFOUND, "indicator",
				      "indicator: no indicator \"%s\"", code);
	if (rc != CTIP_OK)
		return rc;
	if ((rc = ctip_kpi_place_scope(&f, &c, st, p, from, to, commune,
				       province, a, err)) != CTIP_OK)
		return rc;
	out->scope = c != NULL                 ? CTIP_SCOPE_COMMUNE
		     : f.province_code != NULL ? CTIP_SCOPE_PROVINCE
					       : CTIP_SCOPE_NATION;
	out->place = c != NULL ? c : f.province_code;
	out->from = from;
	out->to = to;
	return CTIP_OK;
}
