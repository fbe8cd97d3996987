/* demo.h: demo casework for `ctip init --demo-records`: intakes, persons
 * registered from them, casework, referrals, criminal cases and
 * activities in one commune (Phường Ba Đình, Hà Nội), so that a trial
 * user of that commune sees a system in use. Every record is made
 * through the core functions a user's request goes through, by the
 * account "demo", which is disabled before it acts and can never sign
 * in: every rule, seal and audit entry applies, and the audit log says
 * who made them. All content is fiction, marked "[DỮ LIỆU MẪU]". */
#ifndef CTIP_DEMO_H
#define CTIP_DEMO_H

#include "core/access.h"

/* The commune and province the records are in. */
#define CTIP_DEMO_COMMUNE  "00004"
#define CTIP_DEMO_PROVINCE "01"
/* The account the records are made by. */
#define CTIP_DEMO_USER     "demo"

/* What was created. */
struct ctip_demo_records {
	long intakes, persons, referrals, cases, activities;
	char commune[128];  /* "Phường Ba Đình" */
	char province[128]; /* "Hà Nội" */
};

/*
 * Create the demo account (disabled) and the demo casework, dated from
 * now back about 60 days. The same seed gives the same records (names,
 * ages, times of day), relative to the day it runs. Needs the reference
 * data; CTIP_EEXIST if the account "demo" exists already. A refusal of
 * any core call stops here and is returned as it is.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_setup_demo_records(struct ctip_demo_records *out, struct ctip_store *st,
			const struct ctip_keyring *kr, uint64_t seed,
			struct ctip_err *err);

#endif
