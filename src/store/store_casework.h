/* store_casework.h: storage of victim casework (issue 5): the process
 * steps of a person, consents, support services, protection measures and
 * follow-up visits. Included by store.h. Free text is sealed by core
 * (*_enc); strings read back live in the caller's arena. */
#ifndef CTIP_STORE_CASEWORK_H
#define CTIP_STORE_CASEWORK_H

#include "store/store.h"

/* One step of a person's process (person_step). */
struct ctip_step_row {
	int64_t id;
	int64_t person_id;
	const char *step;        /* receive, verify, identify, ... */
	const char *from_status; /* NULL for the reception */
	const char *to_status;
	const char *on_date; /* yyyy-mm-dd */
	int64_t unit_id;
	int64_t user_id;
	const unsigned char *reason_enc;
	size_t reason_enc_len;
	const char *evidence; /* identify: Art. 32.1 letters, "a,e,h" */
	const char *doc_type; /* identify: the confirming document */
	const char *doc_issuer;
	const unsigned char *doc_number_enc;
	size_t doc_number_enc_len;
	const char *doc_date;
	const char *created_at;
};

/* A change of a person's status, if its version is still version. */
struct ctip_status_change {
	int64_t person_id;
	int version;
	const char *status;
	const char *role;          /* the role after the step */
	const char *identified_on; /* set by an identification, else NULL */
	const char *now;
	int64_t user_id;
};

struct ctip_consent_row {
	int64_t id;
	int64_t person_id;
	const char *scope;
	const char *given_by; /* self or representative */
	const unsigned char *representative_enc;
	size_t representative_enc_len;
	const char *given_on;
	const char *withdrawn_on; /* or NULL */
	const unsigned char *withdrawal_enc;
	size_t withdrawal_enc_len;
	int64_t unit_id;
	int64_t created_by;
	const char *created_at;
	int version;
};

/* One line of the support ledger. */
struct ctip_service_row {
	int64_t id;
	int64_t person_id;
	const char *support_code;
	int64_t provider_unit_id;
	const char *provider; /* free text (a facility), or NULL */
	const char *provided_on;
	const char *location; /* in_vn or abroad */
	const char *unit;     /* day, kit, trip, once, ... */
	long quantity;
	long long amount_vnd;
	const char *regime; /* 2011 or 2024 */
	const unsigned char *override_enc;
	size_t override_enc_len;
	const unsigned char *note_enc;
	size_t note_enc_len;
	int64_t created_by;
	const char *created_at;
};

struct ctip_protection_row {
	int64_t id;
	int64_t person_id;
	const char *kind;
	const char *beneficiary; /* person or relative */
	const char *start_on;
	const char *end_on; /* or NULL while in force */
	int64_t unit_id;
	const unsigned char *note_enc;
	size_t note_enc_len;
	int64_t created_by;
	const char *created_at;
	int version;
};

struct ctip_follow_up_row {
	int64_t id;
	int64_t person_id;
	int64_t unit_id;
	const char *due_on;
	const char *done_on; /* with outcome, or both NULL */
	const char *outcome;
	const unsigned char *note_enc;
	size_t note_enc_len;
	int64_t created_by;
	const char *created_at;
	int version;
};

/* One cell of the entitlement matrix. */
struct ctip_entitlement_row {
	bool entitled;
	const char *legal_basis;
	const char *note;
};

/* A dated parameter of a support type (support_amount) valid on a date. */
struct ctip_support_limit {
	const char *unit;
	long long amount_vnd; /* per unit; -1 when not set */
	long max_units;       /* 0 when no limit */
	const char *legal_basis;
};

/* A trafficking event as stored, with its purposes. */
struct ctip_event_rec {
	int64_t id;
	bool abroad;
	const char *destination_country;
	const char *recruitment_means;
	const char *recruited_on;
	const char *exploited_from;
	const char *exploited_to;
	const char *discovery;
	const char *discovered_on;
	const char *purposes; /* comma-separated codes */
	const char *created_at;
};

/* Who may be a duplicate of a person about to be registered: the same
 * citizen ID, or the same name with a birth year within one year (or
 * unknown) and the same commune (or unknown). Within scope only. */
struct ctip_duplicate_query {
	const unsigned char *name_bidx;
	const unsigned char *citizen_id_bidx; /* or NULL */
	int birth_year;                       /* 0 when unknown */
	const char *commune_code;             /* or NULL */
};

struct ctip_casework_ops {
	int (*step_insert)(int64_t *out, struct ctip_store *st,
			   const struct ctip_step_row *row,
			   struct ctip_err *err);
	/* A person's steps, oldest first. */
	int (*steps)(struct ctip_step_row **out, int *n_out,
		     struct ctip_store *st, int64_t person_id,
		     struct ctip_arena *a, struct ctip_err *err);
	/* CTIP_ECONFLICT when the person changed since c->version. */
	int (*set_status)(struct ctip_store *st,
			  const struct ctip_status_change *c,
			  struct ctip_err *err);

	int (*consent_insert)(int64_t *out, struct ctip_store *st,
			      const struct ctip_consent_row *row,
			      struct ctip_err *err);
	int (*consent_withdraw)(struct ctip_store *st,
				const struct ctip_consent_row *row,
				struct ctip_err *err);
	int (*consents)(struct ctip_consent_row **out, int *n_out,
			struct ctip_store *st, int64_t person_id,
			struct ctip_arena *a, struct ctip_err *err);

	int (*service_insert)(int64_t *out, struct ctip_store *st,
			      const struct ctip_service_row *row,
			      struct ctip_err *err);
	int (*services)(struct ctip_service_row **out, int *n_out,
			struct ctip_store *st, int64_t person_id,
			struct ctip_arena *a, struct ctip_err *err);
	/* The cell of the matrix; CTIP_ENOTFOUND when the data lacks it. */
	int (*entitlement)(struct ctip_entitlement_row *out,
			   struct ctip_store *st, const char *support_code,
			   const char *role, const char *citizenship,
			   const char *location, struct ctip_arena *a,
			   struct ctip_err *err);
	/* The parameters of support_code valid on date. */
	int (*support_limits)(struct ctip_support_limit **out, int *n_out,
			      struct ctip_store *st, const char *support_code,
			      const char *date, struct ctip_arena *a,
			      struct ctip_err *err);

	int (*protection_insert)(int64_t *out, struct ctip_store *st,
				 const struct ctip_protection_row *row,
				 struct ctip_err *err);
	/* Set end_on of row->id (of row->person_id, at row->version). */
	int (*protection_end)(struct ctip_store *st,
			      const struct ctip_protection_row *row,
			      struct ctip_err *err);
	int (*protections)(struct ctip_protection_row **out, int *n_out,
			   struct ctip_store *st, int64_t person_id,
			   struct ctip_arena *a, struct ctip_err *err);

	int (*follow_up_insert)(int64_t *out, struct ctip_store *st,
				const struct ctip_follow_up_row *row,
				struct ctip_err *err);
	/* Record the visit (done_on, outcome, note) of row->id. */
	int (*follow_up_done)(struct ctip_store *st,
			      const struct ctip_follow_up_row *row,
			      struct ctip_err *err);
	int (*follow_ups)(struct ctip_follow_up_row **out, int *n_out,
			  struct ctip_store *st, int64_t person_id,
			  struct ctip_arena *a, struct ctip_err *err);
	/* Open visits due before date (yyyy-mm-dd) of the persons unit_id
	 * works on (owns, or was referred) that are still in its care (not
	 * closed, not found not to be victims), whoever scheduled them;
	 * soonest first, at most limit. */
	int (*follow_ups_due)(struct ctip_follow_up_row **out, int *n_out,
			      struct ctip_store *st, int64_t unit_id,
			      const char *before, int limit,
			      struct ctip_arena *a, struct ctip_err *err);

	int (*events)(struct ctip_event_rec **out, int *n_out,
		      struct ctip_store *st, int64_t person_id,
		      struct ctip_arena *a, struct ctip_err *err);
	/* Ids of the minors accompanying person_id. */
	int (*minors)(int64_t **out, int *n_out, struct ctip_store *st,
		      int64_t person_id, struct ctip_arena *a,
		      struct ctip_err *err);
	/* Ids of referrals of person_id, oldest first. */
	int (*referrals)(int64_t **out, int *n_out, struct ctip_store *st,
			 int64_t person_id, struct ctip_arena *a,
			 struct ctip_err *err);
	int (*duplicates)(int64_t **out, int *n_out, struct ctip_store *st,
			  const struct ctip_person_scope *scope,
			  const struct ctip_duplicate_query *q,
			  struct ctip_arena *a, struct ctip_err *err);
};

#endif
