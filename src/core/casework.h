/* casework.h: following a person through the process of Law 53/2024:
 * reception, verification, identification, protection, support,
 * reintegration and closing (a state machine), with consents, the support
 * ledger checked against the entitlement matrix, protection measures and
 * follow-up visits. Every change is authorized (the owning unit or one the
 * person was referred to), validated field by field and audited in the
 * same transaction. */
#ifndef CTIP_CASEWORK_H
#define CTIP_CASEWORK_H

#include "core/access.h"

#define CTIP_EVIDENCE_MAX 9 /* the sources of Art. 32.1, a to i */

/* A step of the process. Strings are borrowed. */
struct ctip_step_input {
	const char *step;   /* verify, identify, reject, protect, support,
			       reintegrate, close, reopen */
	const char *on;     /* yyyy-mm-dd it happened; NULL: today */
	const char *reason; /* required for reject, close and reopen */
	/* identify: evidence sources of Art. 32.1 (a, b, c, d, dd for đ, e,
	 * g, h, i) and the confirming document */
	const char *evidence[CTIP_EVIDENCE_MAX];
	int n_evidence;
	const char *doc_type, *doc_issuer, *doc_number, *doc_date;
	int version; /* of the person, as the user saw it */
};

/*
 * Record step in of person id for p. CTIP_ETRANSITION naming the current
 * status when the step is not allowed from it; CTIP_EINVAL naming the
 * field for bad input; CTIP_ECONFLICT if the person changed since
 * in->version. A reintegration schedules follow-up visits after 1, 3, 6
 * and 12 months. *step_id = the new step.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_step(int64_t *step_id, const struct ctip_access *ax,
		   const struct ctip_principal *p, int64_t id,
		   const struct ctip_step_input *in, struct ctip_err *err);

/*
 * Before a user registers in: a victim comes with their identification
 * (in->identification, else CTIP_EINVAL naming "identification") and is
 * stored under identification (*role) until
 * ctip_casework_identify_registered records it; nobody else has one
 * (*role = in->role).
 */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_registering(const char **role, const struct ctip_person_input *in,
			  struct ctip_err *err);

/*
 * Identify person id, registered by p a moment ago (as under
 * identification) inside the caller's open transaction, with in (the
 * step "identify"; its date, no earlier than the reception, is the
 * reception's when not given): the person becomes a victim. Audited as
 * a step, beside the registration's entry.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_identify_registered(const struct ctip_access *ax,
				  const struct ctip_principal *p, int64_t id,
				  const struct ctip_step_input *in,
				  const char *now, struct ctip_err *err);

/* The steps a person in status (of role) may take next, as a
 * NULL-terminated list of step names in out (at most 8). */
void ctip_casework_next_steps(const char *out[9], const char *role,
			      const char *status);

/* Whether a person may receive one support type, and on what terms. */
struct ctip_entitlement {
	const char *support_code;
	bool entitled;
	const char *refusal;      /* why not (English), NULL when entitled */
	const char *refusal_code; /* closed, not_victim, not_in_matrix,
				     adult_not_entitled; NULL if entitled */
	const char *legal_basis;
	const char *regime; /* "2011" or "2024": whose amounts and limits */
	struct ctip_support_limit *limits; /* dated parameters of the regime */
	long *used; /* units already given, one per limit */
	int n_limits;
};

/*
 * The entitlement of person id to each of the ten support types at
 * location ("in_vn" or "abroad"): out[10]. The matrix is looked up by the
 * person's role and citizenship; an accompanying minor gets the minor's
 * cell and never more than the adult they accompany (whose citizenship
 * class is used). Nothing while the person is closed or not a victim.
 * The regime is the 2011 law's for persons identified (or, not yet
 * identified, received) before 2025-07-01 (Law 53/2024 Art. 63).
 */
CTIP_MUST_CHECK enum ctip_status ctip_casework_entitlements(
	struct ctip_entitlement out[10], const struct ctip_access *ax,
	const struct ctip_principal *p, int64_t id, const char *location,
	struct ctip_arena *a, struct ctip_err *err);

/* One support service given. */
struct ctip_service_input {
	const char *support_code;
	const char *provider; /* facility or organisation, or NULL */
	const char *provided_on;
	const char *location; /* in_vn (default) or abroad */
	const char *unit;     /* of the regime's parameters, e.g. day */
	long quantity;
	long long amount_vnd;
	const char *note;
	const char *override_reason; /* to give it despite a refusal */
};

/*
 * Add a line to the support ledger of person id. CTIP_ENOTENTITLED with
 * the reason when the person is not entitled or the quantity would pass
 * the regime's limit, unless in->override_reason is given (audited as
 * "person.support.override").
 */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_service(int64_t *out, const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id,
		      const struct ctip_service_input *in,
		      struct ctip_err *err);

struct ctip_consent_input {
	const char *scope;          /* data_processing, data_sharing,
				       contact_family, media, research */
	const char *given_by;       /* self or representative */
	const char *representative; /* name and relation, for a
				       representative */
	const char *given_on;
};

/* Record a consent; a person under 18 on given_on consents through a
 * legal representative. */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_consent(int64_t *out, const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id,
		      const struct ctip_consent_input *in,
		      struct ctip_err *err);

/* Withdraw consent consent_id of person id on date on. */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_withdraw(const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id,
		       int64_t consent_id, int version, const char *on,
		       const char *reason, struct ctip_err *err);

struct ctip_protection_input {
	const char *kind;
	const char *beneficiary; /* person or relative */
	const char *start_on;
	const char *end_on; /* or NULL */
	const char *note;
};

CTIP_MUST_CHECK enum ctip_status
ctip_casework_protect(int64_t *out, const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id,
		      const struct ctip_protection_input *in,
		      struct ctip_err *err);

/* End protection measure measure_id of person id on date on. */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_protect_end(const struct ctip_access *ax,
			  const struct ctip_principal *p, int64_t id,
			  int64_t measure_id, int version, const char *on,
			  struct ctip_err *err);

/* Schedule a follow-up visit of person id on due_on. */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_follow_up(int64_t *out, const struct ctip_access *ax,
			const struct ctip_principal *p, int64_t id,
			const char *due_on, const char *note,
			struct ctip_err *err);

/* Record visit visit_id of person id: done_on, outcome (stable,
 * needs_support, at_risk, moved, unreachable) and a note. */
CTIP_MUST_CHECK enum ctip_status ctip_casework_visit(
	const struct ctip_access *ax, const struct ctip_principal *p,
	int64_t id, int64_t visit_id, int version, const char *done_on,
	const char *outcome, const char *note, struct ctip_err *err);

/* A trafficking event added to person id. */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_event(int64_t *out, const struct ctip_access *ax,
		    const struct ctip_principal *p, int64_t id,
		    const struct ctip_event_input *in, struct ctip_err *err);

/* A person's casework as p may see it: sealed notes opened only for an
 * identity view (they are identity data), else NULL. */
struct ctip_casework {
	struct ctip_step_row *steps;
	int n_steps;
	const char **step_reasons; /* opened, per step */
	const char **step_doc_numbers;
	struct ctip_event_rec *events;
	int n_events;
	struct ctip_consent_row *consents;
	int n_consents;
	const char **consent_representatives;
	const char **consent_withdrawals; /* reasons */
	struct ctip_service_row *services;
	int n_services;
	const char **service_notes;
	const char **service_overrides;
	long long total_vnd;
	struct ctip_protection_row *protections;
	int n_protections;
	const char **protection_notes;
	struct ctip_follow_up_row *follow_ups;
	int n_follow_ups;
	const char **follow_up_notes;
	int64_t *minors;
	int n_minors;
	int64_t *intakes; /* the intakes the person was registered from */
	int n_intakes;
	const char *next_steps[9];
};

/* Load the casework of rec, which p was authorized to see as view (by
 * ctip_person_authorize, whose audit entry covers this read), from one
 * state of the database: not inside a write transaction. */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_load(struct ctip_casework *out, struct ctip_store *st,
		   const struct ctip_keyring *kr,
		   const struct ctip_person_rec *rec, enum ctip_view view,
		   struct ctip_arena *a, struct ctip_err *err);

/*
 * The person page in two halves, like ctip_person_authorize and
 * ctip_person_release: ctip_casework_authorize is ctip_person_authorize
 * and, when it allows, the casework's rows still sealed, both from one
 * state of the database (not inside a write transaction);
 * ctip_casework_open opens the rows' notes for pp's view once the audit
 * entry is committed.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_authorize(struct ctip_person_pending *pp,
			struct ctip_casework *cw, const struct ctip_access *ax,
			const struct ctip_principal *p, int64_t id,
			const char *reason, struct ctip_arena *a,
			struct ctip_err *err);
CTIP_MUST_CHECK enum ctip_status
ctip_casework_open(struct ctip_casework *cw, const struct ctip_keyring *kr,
		   const struct ctip_person_rec *rec, enum ctip_view view,
		   struct ctip_arena *a, struct ctip_err *err);

/* One entry of a person's timeline, oldest first. */
struct ctip_timeline_entry {
	const char *on;   /* yyyy-mm-dd or a timestamp */
	char day[11];     /* on as a day in Viet Nam: orders the timeline */
	int seq;          /* the order entries were gathered in: last tie */
	const char *at;   /* when it was recorded (orders a day) */
	const char *kind; /* step, event, intake, referral, case, service,
			     consent, protection, follow_up */
	int64_t id;
	const char *what;   /* the step, support code, scope, kind... */
	const char *detail; /* opened note or NULL */
};

/* The timeline of person id: every event, referral, intake, case,
 * decision and service, audited as a read ("person.read"). */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_timeline(struct ctip_timeline_entry **out, int *n_out,
		       const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id,
		       const char *reason, struct ctip_arena *a,
		       struct ctip_err *err);

/* Open follow-up visits of p's unit due by today + days at the latest
 * (the overdue ones first). */
CTIP_MUST_CHECK enum ctip_status
ctip_casework_visits_due(struct ctip_follow_up_row **out, int *n_out,
			 const struct ctip_access *ax,
			 const struct ctip_principal *p, int days,
			 struct ctip_arena *a, struct ctip_err *err);

#endif
