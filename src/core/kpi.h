/* kpi.h: the programme's intake KPIs, computed from the records for a
 * unit or a province and a period (issue 4): share received and
 * classified, share resolved, share of tips resolved within the legal
 * time, referrals by destination, median time to referral. */
#ifndef CTIP_KPI_H
#define CTIP_KPI_H

#include "core/authz.h"

/* One KPI rate: part of whole, against the programme's target. */
struct ctip_kpi_rate {
	long part, whole;
	double rate;       /* part / whole; -1 when whole is 0 */
	double target;     /* a share: 0.90 for 90% */
	bool strict;       /* the target is "above" (>), not "at least" */
	const char *light; /* "green" (target met), "amber" (within 10
			      points), "red", "none" (whole is 0) */
};

/* Fill r: part of whole against the target of pct percent ("above" when
 * strict, else "at least"), compared in integers (9 of 10 is exactly
 * 90%); amber within 10 points. */
void ctip_kpi_rate_fill(struct ctip_kpi_rate *r, long part, long whole, int pct,
			bool strict);

/* A rate to fill: part of whole, against the catalogue's rate code. */
struct ctip_kpi_ask {
	struct ctip_kpi_rate *out;
	const char *code; /* KPI_SOLVED, ... */
	long part, whole;
};

/* Fill each ask's rate against the target and comparison of its code in
 * the catalogue (data/indicators/rates.csv), the one place the
 * programme's targets are written; read once for all. */
CTIP_MUST_CHECK enum ctip_status
ctip_kpi_rates_fill(struct ctip_store *st, const struct ctip_kpi_ask *asks,
		    int n_asks, struct ctip_arena *a, struct ctip_err *err);

struct ctip_intake_kpi {
	struct ctip_kpi_filter filter; /* the scope and period counted */
	struct ctip_intake_counts counts;
	double share_classified;   /* of received; -1 when none received */
	double share_resolved;     /* of received; -1 when none */
	double share_tips_in_time; /* of tips; -1 when no tips */
	struct ctip_kpi_rate classified; /* of received (KPI_CLASSIFIED) */
	struct ctip_kpi_rate resolved;   /* of received (KPI_RESOLVED) */
	const char **agencies;           /* referrals by receiving agency */
	long *agency_counts;
	int n_agencies;
	double median_hours_to_referral; /* -1 when nothing was referred */
};

/* The instant Viet Nam's day date + days (date yyyy-mm-dd, valid) begins,
 * as a UTC timestamp (yyyy-mm-ddTHH:MM:SSZ): with days 0 the included
 * start of a period from date, with days 1 the excluded end of a period
 * to date. Records are stamped in UTC; periods are Viet Nam's days. */
void ctip_kpi_midnight(char out[24], const char *date, int days);

/*
 * Check a request for statistics by p and resolve its scope into *out:
 * from and to (yyyy-mm-dd, to not before from) as given, and the unit or
 * province counted. unit_id (0: none) or province (NULL: none), at most
 * one, must exist and lie in p's scope: a commune unit sees only itself,
 * a province unit its province and its units, national units anything.
 * Without either, the scope is p's own unit for commune units, p's
 * province for province units, the nation for national units.
 * CTIP_EFORBIDDEN for administrators, auditors and users who must change
 * their password, or naming "unit" or "province" outside p's scope;
 * CTIP_EINVAL naming "from", "to", "unit" or "province"; CTIP_ETOOBIG.
 * Strings live in a or are the arguments.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_kpi_scope(struct ctip_kpi_filter *out, struct ctip_store *st,
	       const struct ctip_principal *p, const char *from, const char *to,
	       int64_t unit_id, const char *province, struct ctip_arena *a,
	       struct ctip_err *err);

/*
 * ctip_kpi_scope for counts by place (issue 6): a commune (NULL: none)
 * instead of a unit. The commune must be one: CTIP_EINVAL naming
 * "commune" otherwise, or when a province is given too; and in p's
 * scope: a commune unit's own, any of a province unit's province, any
 * for national units; CTIP_EFORBIDDEN naming "commune" otherwise.
 * *commune_out is the commune counted (p's own commune by default for
 * commune units, with out->unit_id 0) or NULL when a province or the
 * nation is; out->province_code is the commune's province then. The
 * other checks and codes are ctip_kpi_scope's.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_kpi_place_scope(struct ctip_kpi_filter *out, const char **commune_out,
		     struct ctip_store *st, const struct ctip_principal *p,
		     const char *from, const char *to, const char *commune,
		     const char *province, struct ctip_arena *a,
		     struct ctip_err *err);

/*
 * KPIs of the intakes received from `from` to `to` (yyyy-mm-dd, both
 * included) at a place, as the statistics count them (by the intake's
 * commune and province, whoever handles it): p's own commune for a
 * commune unit, its province (or one of its communes) for a province
 * unit, the nation, one province or one commune for national units;
 * commune and province as ctip_kpi_place_scope's, which checks them.
 * out->filter holds timestamps. Strings and arrays live in a.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_intake_kpi(struct ctip_intake_kpi *out, struct ctip_store *st,
		const struct ctip_principal *p, const char *from,
		const char *to, const char *commune, const char *province,
		struct ctip_arena *a, struct ctip_err *err);

#endif
