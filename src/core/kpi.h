/* kpi.h: the programme's intake KPIs, computed from the records for a
 * unit or a province and a period (issue 4): share received and
 * classified, share resolved, share of tips resolved within the legal
 * time, referrals by destination, median time to referral. */
#ifndef CTIP_KPI_H
#define CTIP_KPI_H

#include "core/authz.h"

struct ctip_intake_kpi {
	struct ctip_kpi_filter filter; /* the scope and period counted */
	struct ctip_intake_counts counts;
	double share_classified;   /* of received; -1 when none received */
	double share_resolved;     /* of received; -1 when none */
	double share_tips_in_time; /* of tips; -1 when no tips */
	const char **agencies;     /* referrals by receiving agency */
	long *agency_counts;
	int n_agencies;
	double median_hours_to_referral; /* -1 when nothing was referred */
};

/*
 * KPIs of the intakes received from `from` to `to` (yyyy-mm-dd, both
 * included) for p's scope: the own unit for a commune unit's handlers,
 * the province for province units, the nation (or one province given as
 * province) for national supervisors and statisticians. CTIP_EFORBIDDEN
 * for administrators and auditors, CTIP_EINVAL naming "from", "to" or
 * "province". Strings and arrays live in a.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_intake_kpi(struct ctip_intake_kpi *out, struct ctip_store *st,
		const struct ctip_principal *p, const char *from,
		const char *to, const char *province, struct ctip_arena *a,
		struct ctip_err *err);

#endif
