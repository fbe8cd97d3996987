/* stats.h: statistical indicators computed from the records (issue 6,
 * phase 1): the catalogue (data/indicators/indicators.csv), and one
 * indicator's value for a commune, a province or the nation over a
 * period, in total and by one dimension. Aggregates only: no identity. */
#ifndef CTIP_STATS_H
#define CTIP_STATS_H

#include "core/authz.h"

/* One indicator's value. */
struct ctip_stats_value {
	struct ctip_indicator ind;   /* the catalogue row */
	enum ctip_stats_scope scope; /* what place counted */
	const char *place;     /* the province or commune code; NULL: nation */
	const char *from, *to; /* the period, both days included */
	long total;            /* unique persons for person measures */
	const char *by;        /* the dimension; NULL: none */
	struct ctip_stats_cell *values; /* one per category, in order */
	int n_values;
};

/*
 * Check one catalogue row before it is stored; vals in the column order
 * of ctip_ref_columns(CTIP_REF_INDICATOR): code, name_vi, name_en,
 * counts, measure, filter, dimensions. CTIP_EINVAL naming the field
 * ("measure: unknown measure \"x\"") when the measure is unknown, counts
 * is not the measure's unit, a filter is given to a measure that takes
 * none or is not a support type of st, or a dimension is unknown or not
 * one the measure allows; CTIP_ESTORE.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_stats_indicator_check(struct ctip_store *st, const char **vals,
			   struct ctip_err *err);

/* The measure named name; false if there is none. */
bool ctip_stats_measure_parse(enum ctip_stats_measure *out, const char *name);

/*
 * The catalogue, by code, for p: statisticians, supervisors, case
 * workers and investigators of any level. CTIP_EFORBIDDEN for others
 * (and users who must change their password); CTIP_ESTORE. Rows in a.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_stats_indicators(struct ctip_indicator **out, int *n_out,
		      struct ctip_store *st, const struct ctip_principal *p,
		      struct ctip_arena *a, struct ctip_err *err);

/*
 * The value of indicator code from `from` to `to` (yyyy-mm-dd, both
 * included) for a commune or a province (at most one; NULL: none) or by
 * default p's own scope (ctip_kpi_place_scope: a commune unit's commune,
 * a province unit's province, the nation for national units), in total
 * and, when by is not NULL, by that dimension. Roles as for
 * ctip_stats_indicators. CTIP_ENOTFOUND naming "indicator" for an
 * unknown code; CTIP_EINVAL naming "indicator", "by", "from", "to",
 * "commune" or "province"; CTIP_EFORBIDDEN (naming "commune" or
 * "province" outside p's scope); CTIP_ESTORE; CTIP_ETOOBIG. Strings and
 * cells live in a.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_stats_value(struct ctip_stats_value *out, struct ctip_store *st,
		 const struct ctip_principal *p, const char *code,
		 const char *from, const char *to, const char *commune,
		 const char *province, const char *by, struct ctip_arena *a,
		 struct ctip_err *err);

/*
 * The checks of ctip_stats_value (roles, indicator, period, place and
 * scope, with its codes) without the count: out->ind, scope, place,
 * from and to filled, total 0.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_stats_request(struct ctip_stats_value *out, struct ctip_store *st,
		   const struct ctip_principal *p, const char *code,
		   const char *from, const char *to, const char *commune,
		   const char *province, struct ctip_arena *a,
		   struct ctip_err *err);

/*
 * Count the indicator out->ind (filled by the caller) for a place and a
 * period, without checking who asks (callers check: ctip_stats_value,
 * the reports): scope and place (a province or commune code; NULL for
 * the nation), from and to (valid yyyy-mm-dd), by a dimension or NULL.
 * CTIP_EINVAL naming "by" when the indicator cannot be split by it;
 * CTIP_ESTORE; CTIP_ETOOBIG.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_stats_count(struct ctip_stats_value *out, struct ctip_store *st,
		 enum ctip_stats_scope scope, const char *place,
		 const char *from, const char *to, const char *by,
		 struct ctip_arena *a, struct ctip_err *err);

/* Whether the categories of ind by dimension by add up to its total
 * (each thing counted falls in exactly one). */
bool ctip_stats_partitions(const struct ctip_indicator *ind, const char *by);

/* Whether p may see statistics: statisticians, supervisors, case
 * workers and investigators who need not change their password. */
bool ctip_stats_may_see(const struct ctip_principal *p);

#endif
