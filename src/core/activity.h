/* activity.h: activities a unit records once — communication campaigns,
 * training courses, inspections, peak crackdown operations — counted by
 * the statistics (ACT_* indicators) and by plan progress (issue 7). They
 * hold no identity data. */
#ifndef CTIP_ACTIVITY_H
#define CTIP_ACTIVITY_H

#include "core/access.h"

/* The kinds, NULL-terminated. */
extern const char *const ctip_activity_kinds[];

/* What a unit records; version for an update. */
struct ctip_activity_input {
	const char *kind, *title, *started_on, *ended_on, *note;
	long participants;
	int version;
};

/*
 * Record an activity of p's unit: kind one of ctip_activity_kinds, title
 * (1-300 characters), started_on (yyyy-mm-dd, not after today in Viet
 * Nam), ended_on (not before started_on), participants (0-10,000,000),
 * note (up to 2,000, optional). Case workers, investigators,
 * statisticians and supervisors; CTIP_EFORBIDDEN for others; CTIP_EINVAL
 * naming the field. Audited ("activity.create").
 */
CTIP_MUST_CHECK enum ctip_status
ctip_activity_create(int64_t *id_out, const struct ctip_access *ax,
		     const struct ctip_principal *p,
		     const struct ctip_activity_input *in,
		     struct ctip_err *err);

/* Change activity id of p's own unit at in->version: the same checks;
 * CTIP_ENOTFOUND outside p's scope, CTIP_EFORBIDDEN for another unit's,
 * CTIP_ECONFLICT when stale. Audited ("activity.update"). */
CTIP_MUST_CHECK enum ctip_status
ctip_activity_update(const struct ctip_access *ax,
		     const struct ctip_principal *p, int64_t id,
		     const struct ctip_activity_input *in, struct ctip_arena *a,
		     struct ctip_err *err);

/* Activity id, when in p's scope (a commune unit: its own; a province
 * unit: its province's; national: any); CTIP_ENOTFOUND otherwise. */
CTIP_MUST_CHECK enum ctip_status
ctip_activity_get(struct ctip_activity *out, const struct ctip_access *ax,
		  const struct ctip_principal *p, int64_t id,
		  struct ctip_arena *a, struct ctip_err *err);

/* The activities in p's scope matching f (f->unit_id, province and
 * commune narrowed to p's scope: CTIP_EFORBIDDEN naming the field
 * outside it; CTIP_EINVAL naming "kind", "from", "to", "limit"). */
CTIP_MUST_CHECK enum ctip_status
ctip_activity_list(struct ctip_activity **out, int *n_out,
		   const struct ctip_access *ax, const struct ctip_principal *p,
		   struct ctip_activity_filter *f, struct ctip_arena *a,
		   struct ctip_err *err);

#endif
