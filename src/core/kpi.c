/* kpi.c: intake KPIs from the records. */
#include "core/kpi.h"
#include "core/person.h"

#include <time.h>

void
ctip_kpi_rate_fill(struct ctip_kpi_rate *r, long part, long whole, int pct,
		   bool strict)
{
	r->part = part;
	r->whole = whole;
	r->target = pct / 100.0;
	r->strict = strict;
	if (whole <= 0) {
		r->rate = -1.0;
		r->light = "none";
		return;
	}
	r->rate = (double)part / (double)whole;
	if (strict ? part * 100 > pct * whole : part * 100 >= pct * whole)
		r->light = "green";
	else if (part * 100 >= (pct - 10) * whole)
		r->light = "amber";
	else
		r->light = "red";
}

enum ctip_status
ctip_kpi_rates_fill(struct ctip_store *st, const struct ctip_kpi_ask *asks,
		    int n_asks, struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_rate_def *rates;
	enum ctip_status rc;
	int n, i, k;

	if ((rc = st->ops->reports->rates(&rates, &n, st, a, err)) != CTIP_OK)
		return rc;
	for (k = 0; k < n_asks; k++) {
		for (i = 0; i < n && strcmp(rates[i].code, asks[k].code) != 0;
		     i++)
			;
		if (i == n)
			return ctip_err_set(err, CTIP_ESTORE,
					    "the KPI catalogue has no rate %s "
					    "(run \"ctip ref load\" to load "
					    "data/indicators/rates.csv)",
					    asks[k].code);
		ctip_kpi_rate_fill(asks[k].out, asks[k].part, asks[k].whole,
				   rates[i].target_percent,
				   strcmp(rates[i].comparison, "above") == 0);
	}
	return CTIP_OK;
}

static double
share(long part, long whole)
{
	return whole > 0 ? (double)part / (double)whole : -1.0;
}

static time_t
epoch(const char *ts)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

void
ctip_kpi_midnight(char out[24], const char *date, int days)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += days;
	t = timegm(&tm) - CTIP_TZ_SECONDS;
	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

enum ctip_status
ctip_kpi_scope(struct ctip_kpi_filter *out, struct ctip_store *st,
	       const struct ctip_principal *p, const char *from, const char *to,
	       int64_t unit_id, const char *province, struct ctip_arena *a,
	       struct ctip_err *err)
{
	struct ctip_org_unit_row u;
	enum ctip_status rc;
	bool ok;

	memset(out, 0, sizeof(*out));
	if (p->must_change_password ||
	    !(p->roles &
	      ~(unsigned)(CTIP_ROLE_ADMINISTRATOR | CTIP_ROLE_AUDITOR)))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see statistics");
	if (from == NULL || !ctip_date_valid(from))
		return ctip_err_field(err, CTIP_EINVAL, "from",
				      "from: a date yyyy-mm-dd is required");
	if (to == NULL || !ctip_date_valid(to) || strcmp(to, from) < 0)
		return ctip_err_field(err, CTIP_EINVAL, "to",
				      "to: a date yyyy-mm-dd, not before from");
	if (unit_id != 0 && province != NULL)
		return ctip_err_field(err, CTIP_EINVAL, "unit",
				      "unit: give a unit or a province, not "
				      "both");
	out->from = from;
	out->to = to;
	if (unit_id != 0) {
		rc = st->ops->org_unit_get(&u, st, unit_id, a, err);
		if (rc == CTIP_ENOTFOUND)
			return ctip_err_field(err, CTIP_EINVAL, "unit",
					      "unit: no unit %lld",
					      (long long)unit_id);
		if (rc != CTIP_OK)
			return rc;
		if (strcmp(p->level, "nation") != 0 && unit_id != p->unit_id &&
		    (strcmp(p->level, "province") != 0 ||
		     u.province_code == NULL ||
		     strcmp(u.province_code, p->province_code) != 0))
			return ctip_err_field(err, CTIP_EFORBIDDEN, "unit",
					      "unit: outside your scope");
		out->unit_id = unit_id;
	} else if (province != NULL) {
		if (strlen(province) != 2)
			ok = false;
		else if ((rc = st->ops->ref_exists(&ok, st, CTIP_REF_ADMIN_UNIT,
						   province, err)) != CTIP_OK)
			return rc;
		if (!ok)
			return ctip_err_field(err, CTIP_EINVAL, "province",
					      "province: unknown province "
					      "\"%s\"",
					      province);
		if (strcmp(p->level, "nation") != 0 &&
		    (strcmp(p->level, "province") != 0 ||
		     strcmp(province, p->province_code) != 0))
			return ctip_err_field(err, CTIP_EFORBIDDEN, "province",
					      "province: outside your scope");
		out->province_code = province;
	} else if (strcmp(p->level, "commune") == 0) {
		out->unit_id = p->unit_id;
	} else if (strcmp(p->level, "province") == 0) {
		out->province_code = ctip_arena_strdup(a, p->province_code);
		if (out->province_code == NULL)
			return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	}
	return CTIP_OK;
}

enum ctip_status
ctip_kpi_place_scope(struct ctip_kpi_filter *out, const char **commune_out,
		     struct ctip_store *st, const struct ctip_principal *p,
		     const char *from, const char *to, const char *commune,
		     const char *province, struct ctip_arena *a,
		     struct ctip_err *err)
{
	struct ctip_admin_unit au;
	const char *own = NULL;
	enum ctip_status rc;

	*commune_out = NULL;
	if (commune != NULL && province != NULL)
		return ctip_err_field(err, CTIP_EINVAL, "commune",
				      "commune: give a commune or a province, "
				      "not both");
	if ((rc = ctip_kpi_scope(out, st, p, from, to, 0, province, a, err)) !=
	    CTIP_OK)
		return rc;
	if (commune == NULL && out->unit_id == 0)
		return CTIP_OK;
	if (commune == NULL) {
		/* A commune unit's default: its own commune. */
		commune = own = ctip_arena_strdup(a, p->admin_code);
		if (own == NULL)
			return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	}
	rc = st->ops->admin_unit_get(&au, st, commune, a, err);
	if (rc == CTIP_ENOTFOUND || (rc == CTIP_OK && au.province_code == NULL))
		return ctip_err_field(err, CTIP_EINVAL, "commune",
				      "commune: unknown commune \"%s\"",
				      commune);
	if (rc != CTIP_OK)
		return rc;
	if (own == NULL && strcmp(p->level, "nation") != 0 &&
	    (strcmp(p->level, "province") != 0 ||
	     strcmp(au.province_code, p->province_code) != 0) &&
	    (strcmp(p->level, "commune") != 0 ||
	     strcmp(commune, p->admin_code) != 0))
		return ctip_err_field(err, CTIP_EFORBIDDEN, "commune",
				      "commune: outside your scope");
	out->unit_id = 0;
	out->province_code = au.province_code;
	*commune_out = au.code;
	return CTIP_OK;
}

enum ctip_status
ctip_intake_kpi(struct ctip_intake_kpi *out, struct ctip_store *st,
		const struct ctip_principal *p, const char *from,
		const char *to, const char *commune, const char *province,
		struct ctip_arena *a, struct ctip_err *err)
{
	const char **received, **referred;
	char *from_ts, *to_ts;
	long *hours;
	int n, i;
	enum ctip_status rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ctip_kpi_place_scope(&out->filter, &out->filter.commune_code,
				       st, p, from, to, commune, province, a,
				       err)) != CTIP_OK)
		return rc;
	/* The store counts timestamps: from Viet Nam's midnight starting
	 * from to the one ending to. */
	from_ts = ctip_arena_alloc(a, 24);
	to_ts = ctip_arena_alloc(a, 24);
	if (from_ts == NULL || to_ts == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	ctip_kpi_midnight(from_ts, from, 0);
	ctip_kpi_midnight(to_ts, to, 1);
	out->filter.from = from_ts;
	out->filter.to = to_ts;
	if ((rc = st->ops->intake_counts(&out->counts, st, &out->filter,
					 err)) != CTIP_OK ||
	    (rc = st->ops->referral_by_agency(
		     &out->agencies, &out->agency_counts, &out->n_agencies, st,
		     &out->filter, a, err)) != CTIP_OK ||
	    (rc = st->ops->referral_delays(&received, &referred, &n, st,
					   &out->filter, a, err)) != CTIP_OK)
		return rc;
	out->share_classified =
		share(out->counts.classified, out->counts.received);
	out->share_resolved = share(out->counts.resolved, out->counts.received);
	out->share_tips_in_time =
		share(out->counts.tips_in_time, out->counts.tips);
	{
		const struct ctip_kpi_ask asks[] = {
			/* The programme's targets are about crime tips
			 * (denunciations, crime reports, prosecution
			 * recommendations: those on the legal clock), not
			 * every call. */
			{ &out->classified, "KPI_CLASSIFIED",
			  out->counts.tips_classified, out->counts.tips },
			{ &out->resolved, "KPI_RESOLVED",
			  out->counts.tips_resolved, out->counts.tips },
		};

		if ((rc = ctip_kpi_rates_fill(st, asks, CTIP_NELEM(asks), a,
					      err)) != CTIP_OK)
			return rc;
	}
	out->median_hours_to_referral = -1.0;
	if (n > 0) {
		/* Seconds, sorted; the median of an even count is the mean
		 * of the middle two. */
		hours = ctip_arena_alloc(a, (size_t)n * sizeof(*hours));
		if (hours == NULL)
			return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
		for (i = 0; i < n; i++)
			hours[i] =
				(long)(epoch(referred[i]) - epoch(received[i]));
		qsort(hours, (size_t)n, sizeof(*hours), cmp_long);
		out->median_hours_to_referral =
			(n % 2 ? (double)hours[n / 2]
			       : ((double)hours[n / 2 - 1] +
				  (double)hours[n / 2]) /
					 2.0) /
			3600.0;
	}
	return CTIP_OK;
}
