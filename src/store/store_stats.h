/* store_stats.h: storage side of the statistics (issue 6): the indicator
 * catalogue and the counting rules (measures) behind the indicators.
 * Included by store.h. */
#ifndef CTIP_STORE_STATS_H
#define CTIP_STORE_STATS_H

#include "store/store.h"

/* The counting rules the store implements; core/stats.c names them
 * (data/indicators/README.md says what each counts). */
enum ctip_stats_measure {
	CTIP_M_PERSONS_RECEIVED,
	CTIP_M_MINORS_ACCOMPANYING,
	CTIP_M_PERSONS_VERIFIED,
	CTIP_M_PERSONS_IDENTIFIED,
	CTIP_M_PERSONS_SUPPORTED,
	CTIP_M_PERSONS_REINTEGRATED,
	CTIP_M_SERVICES_GIVEN,
	CTIP_M_INTAKES_RECEIVED,
	CTIP_M_INTAKES_CLASSIFIED,
	CTIP_M_INTAKES_RESOLVED,
	CTIP_M_INTAKES_RESOLVED_IN_TIME,
	CTIP_M_TIPS_RECEIVED,
	CTIP_M_TIPS_CLASSIFIED,
	CTIP_M_TIPS_RESOLVED,
	CTIP_M_CASES_INITIATED,
	CTIP_M_CASES_SOLVED,
	CTIP_M_CASES_INDICTED,
	CTIP_M_CASES_TRIED,
	CTIP_M_OFFENDERS,
	CTIP_M_REFERRALS,
	CTIP_M_CASES_COHORT_SOLVED,
	CTIP_M_CASES_COHORT_INDICTED,
	CTIP_M_CASES_COHORT_TRIED,
	CTIP_M_ACTIVITIES,
	CTIP_M_ACTIVITY_PARTICIPANTS,
	CTIP_M_N
};

/* The place counted. */
enum ctip_stats_scope {
	CTIP_SCOPE_NATION,
	CTIP_SCOPE_PROVINCE,
	CTIP_SCOPE_COMMUNE,
	CTIP_SCOPE_N
};

/* One count to make. Dates are yyyy-mm-dd, both included; the
 * timestamps are the same period for the measures dated by a timestamp
 * (intakes, referrals): from midnight UTC of from to midnight after to,
 * the end excluded. */
struct ctip_stats_query {
	enum ctip_stats_measure measure;
	enum ctip_stats_scope scope;
	const char *place;     /* province or commune code; NULL: nation */
	const char *from, *to; /* dates */
	const char *from_ts, *to_ts; /* timestamps */
	const char *dimension; /* a dimension name; NULL: the total only */
	const char *filter;    /* support type or activity kind, or NULL */
};

/* One category of a count. */
struct ctip_stats_cell {
	const char *category; /* in the caller's arena; "" for the total */
	long value;
};

/* An indicator of the catalogue, as stored. */
struct ctip_indicator {
	const char *code, *name_vi, *name_en;
	const char *counts;     /* persons, intakes, cases, ... */
	const char *measure;    /* a measure name */
	const char *filter;     /* support type, activity kind or NULL */
	const char *dimensions; /* space-separated dimension names */
};

struct ctip_stats_ops {
	/* Every indicator, by code; strings in a. */
	int (*indicators)(struct ctip_indicator **out, int *n_out,
			  struct ctip_store *st, struct ctip_arena *a,
			  struct ctip_err *err);
	/* The indicator with that code; CTIP_ENOTFOUND if none. */
	int (*indicator_get)(struct ctip_indicator *out, struct ctip_store *st,
			     const char *code, struct ctip_arena *a,
			     struct ctip_err *err);
	/*
	 * Count q: without a dimension one cell with category "" (the
	 * total, counted by unique person for person measures); with one,
	 * a cell per category present, in category order. Persons are
	 * counted once per category: for a dimension a person may have
	 * several values of (purpose, abroad, destination), the cells may
	 * add up to more than the total. The dimension must be one the
	 * measure's family allows (core checks it). Cells live in a.
	 */
	int (*count)(struct ctip_stats_cell **out, int *n_out,
		     struct ctip_store *st, const struct ctip_stats_query *q,
		     struct ctip_arena *a, struct ctip_err *err);
};

#endif
