/* referral.h: referrals (chuyển tuyến) of an intake or a person from one
 * unit to another: sent -> accepted or refused -> completed, or withdrawn
 * by the sender. The receiving unit sees exactly the referred record
 * while the referral stands; every step is audited. */
#ifndef CTIP_REFERRAL_H
#define CTIP_REFERRAL_H

#include "core/access.h"

#define CTIP_REFERRAL_ACK_HOURS 48 /* to accept or refuse */

/* A referral as a user of either unit sees it. */
struct ctip_referral_view {
	struct ctip_referral_row row; /* sealed fields cleared */
	const char *note;             /* decrypted, or NULL */
	const char *refusal_reason;   /* decrypted, or NULL */
	bool late;                    /* unanswered past ack_due_at */
};

/*
 * Refer object_type ("intake" or "person") object_id to unit to_unit_id
 * with an optional note. p must see the record with identity (its unit
 * owns it, or it was referred to it); CTIP_ENOTFOUND otherwise, as for a
 * record that does not exist. CTIP_ECONFLICT if an open referral of the
 * same record to the same unit exists.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_referral_send(int64_t *out, const struct ctip_access *ax,
		   const struct ctip_principal *p, const char *object_type,
		   int64_t object_id, int64_t to_unit_id, const char *note,
		   struct ctip_err *err);

/* Steps on referral id at the version the user saw: accept or refuse
 * (with a reason) by the receiving unit, complete by the receiving unit
 * after accepting, withdraw by the sender while sent or accepted. A
 * refusal or withdrawal ends the receiving unit's access. */
CTIP_MUST_CHECK enum ctip_status
ctip_referral_respond(const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id, int version,
		      bool accept, const char *reason, struct ctip_err *err);
CTIP_MUST_CHECK enum ctip_status
ctip_referral_complete(const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id, int version,
		       struct ctip_err *err);
CTIP_MUST_CHECK enum ctip_status
ctip_referral_withdraw(const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id, int version,
		       struct ctip_err *err);

/* Referral id as p sees it (a user of the sending or receiving unit;
 * CTIP_ENOTFOUND otherwise, audited as denied). With open, a handler's
 * read also releases the note and the refusal reason, and is audited
 * "referral.read"; without, they are NULL (lists). */
CTIP_MUST_CHECK enum ctip_status
ctip_referral_read(struct ctip_referral_view *out, const struct ctip_access *ax,
		   const struct ctip_principal *p, int64_t id, bool open,
		   struct ctip_arena *a, struct ctip_err *err);

/* Ids of the referrals to p's unit (inbox) or from it, by status (NULL:
 * all), and the inbox's counts by status and of late ones. */
CTIP_MUST_CHECK enum ctip_status
ctip_referral_list(int64_t **out, int *n_out, const struct ctip_access *ax,
		   const struct ctip_principal *p, bool inbox,
		   const char *status, int limit, struct ctip_arena *a,
		   struct ctip_err *err);
CTIP_MUST_CHECK enum ctip_status
ctip_referral_counts(long counts[5], long *late, const struct ctip_access *ax,
		     const struct ctip_principal *p, struct ctip_err *err);

#endif
