/* org.h: org units (agency x admin unit) and their display names. */
#ifndef CTIP_ORG_H
#define CTIP_ORG_H

#include "store/store.h"

/*
 * *out = the id of the org unit of agency at admin_code, created with its
 * usual name ("Công an xã An Phú", "Sở Y tế Lào Cai", "Bộ Công an") if
 * missing. CTIP_EINVAL (field "admin_code"/"agency") for unknown codes.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_org_ensure(int64_t *out, struct ctip_store *st, const char *agency,
		const char *admin_code, const char *now, struct ctip_err *err);

/*
 * ctip_org_ensure for a unit an administrator adds (or a user's unit):
 * also CTIP_EINVAL naming "agency" when the agency has no unit at the
 * place's level (data/agencies.csv: the national hotline 111 is national
 * only). Plans and imports name units as their documents do, with
 * ctip_org_ensure.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_org_add(int64_t *out, struct ctip_store *st, const char *agency,
	     const char *admin_code, const char *now, struct ctip_err *err);

/* Remembers org unit ids of one agency by admin unit during a bulk job. */
struct ctip_org_cache {
	const char *agency;  /* borrowed */
	int64_t *by_commune; /* indexed by the numeric commune code */
	int64_t by_province[100];
};

void ctip_org_cache_init(struct ctip_org_cache *c, const char *agency);
void ctip_org_cache_free(struct ctip_org_cache *c);

/* ctip_org_ensure through the cache; admin_code is a 2- or 5-digit code. */
CTIP_MUST_CHECK enum ctip_status
ctip_org_for_place(int64_t *out, struct ctip_org_cache *c,
		   struct ctip_store *st, const char *admin_code,
		   const char *now, struct ctip_err *err);

#endif
