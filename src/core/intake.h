/* intake.h: tips and reports (hotline-111 calls, walk-ins, letters,
 * online reports, denunciations, crime reports, prosecution
 * recommendations): receive, classify, and for tips the legal clock of
 * the Criminal Procedure Code Art. 147 to a decision. */
#ifndef CTIP_INTAKE_H
#define CTIP_INTAKE_H

#include "core/access.h"

#define CTIP_INTAKE_SUMMARY_MAX  4000 /* characters */
#define CTIP_INTAKE_MENTIONS_MAX 10   /* phones, and names */
#define CTIP_INTAKE_DUE_SOON     3    /* days: "due soon" */

/* An intake as entered. Strings are borrowed. */
struct ctip_intake_input {
	const char *received_at; /* yyyy-mm-ddThh:mm:ssZ, not in the future */
	const char *channel;     /* data/intake-channels.csv */
	const char *language;    /* ISO 639-1, "vi" when NULL */
	const char *province_code;
	const char *commune_code; /* or NULL */
	const char *summary;
	bool reporter_anonymous;
	const char *reporter_name;  /* NULL when anonymous */
	const char *reporter_phone; /* NULL when anonymous or unknown */
	const char *phones[CTIP_INTAKE_MENTIONS_MAX];
	int n_phones;
	const char *names[CTIP_INTAKE_MENTIONS_MAX];
	int n_names;
	const char *classification;  /* or NULL: not yet classified */
	const char *purpose;         /* or NULL */
	const char *urgency;         /* "normal" when NULL */
	const char *idempotency_key; /* or NULL */
};

/* An intake as a user may see it; strings in the caller's arena. */
struct ctip_intake_view {
	struct ctip_intake_row row; /* sealed fields cleared */
	enum ctip_view view;
	/* identity: set only for CTIP_VIEW_IDENTITY */
	const char *summary, *reporter_name, *reporter_phone;
	const char *decision_note, *resolution;
	const char *phones[CTIP_INTAKE_MENTIONS_MAX];
	int n_phones;
	const char *names[CTIP_INTAKE_MENTIONS_MAX];
	int n_names;
	bool legal;    /* the Art. 147 clock applies */
	bool overdue;  /* unresolved past its deadline */
	bool due_soon; /* unresolved, deadline within CTIP_INTAKE_DUE_SOON days
			*/
	/* the reader may know the persons registered and the cases opened
	 * from it (identity, not a national unit: the hotline holds none) */
	bool links;
};

/*
 * Record an intake owned by p's unit (audited "intake.create"). With an
 * idempotency key that p already used, nothing is created and *existed
 * is set: *out is the earlier intake (a double click or a retry). Field
 * errors are CTIP_EINVAL naming the field; CTIP_EFORBIDDEN if p's role
 * may not receive intakes.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_intake_create(int64_t *out, bool *existed, const struct ctip_access *ax,
		   const struct ctip_principal *p,
		   const struct ctip_intake_input *in, struct ctip_err *err);

/* Intake id as p may see it (CTIP_ENOTFOUND outside the scope; an
 * identity view is audited "intake.read" first). */
CTIP_MUST_CHECK enum ctip_status
ctip_intake_read(struct ctip_intake_view *out, const struct ctip_access *ax,
		 const struct ctip_principal *p, int64_t id,
		 struct ctip_arena *a, struct ctip_err *err);

/* As ctip_intake_read, without the "intake.read" entry: only for answering
 * the request that just created or changed intake id, whose answer holds
 * what its author sent and whose "intake.create" (or step) entry is
 * already in the log. */
CTIP_MUST_CHECK enum ctip_status
ctip_intake_echo(struct ctip_intake_view *out, const struct ctip_access *ax,
		 const struct ctip_principal *p, int64_t id,
		 struct ctip_arena *a, struct ctip_err *err);

/* Steps, each on the intake's current version (CTIP_ECONFLICT if it
 * moved), audited, by a user of the owning unit:
 * classify (hotline operator, case worker, investigator; starts the legal
 * clock when classified a trafficking tip); extend (investigator; tips:
 * "complex" then once "procuracy"); decide (investigator; tips: initiate,
 * not_initiate or suspend; resolves); resolve (non-tips). */
CTIP_MUST_CHECK enum ctip_status
ctip_intake_classify(const struct ctip_access *ax,
		     const struct ctip_principal *p, int64_t id, int version,
		     const char *classification, const char *purpose,
		     const char *urgency, struct ctip_err *err);
CTIP_MUST_CHECK enum ctip_status
ctip_intake_extend(const struct ctip_access *ax, const struct ctip_principal *p,
		   int64_t id, int version, const char *kind,
		   struct ctip_err *err);
CTIP_MUST_CHECK enum ctip_status
ctip_intake_decide(const struct ctip_access *ax, const struct ctip_principal *p,
		   int64_t id, int version, const char *decision,
		   const char *note, struct ctip_err *err);
CTIP_MUST_CHECK enum ctip_status
ctip_intake_resolve(const struct ctip_access *ax,
		    const struct ctip_principal *p, int64_t id, int version,
		    const char *resolution, struct ctip_err *err);

/* Ids of p's unit's intakes: all (newest first; of one status unless
 * status is NULL), overdue or due soon. CTIP_EINVAL naming "status". */
CTIP_MUST_CHECK enum ctip_status
ctip_intake_list(int64_t **out, int *n_out, const struct ctip_access *ax,
		 const struct ctip_principal *p, enum ctip_due due,
		 const char *status, int limit, struct ctip_arena *a,
		 struct ctip_err *err);

/* Earlier contacts with phone: the intakes p's unit owns or was referred,
 * and the persons a search by that phone shows p without a reason (each
 * audited "person.search"). Nothing else, not even a count. */
CTIP_MUST_CHECK enum ctip_status
ctip_intake_repeat(int64_t **intakes, int *n_intakes, int64_t **persons,
		   int *n_persons, const struct ctip_access *ax,
		   const struct ctip_principal *p, const char *phone,
		   struct ctip_arena *a, struct ctip_err *err);

/* CTIP_OK if p handles intake id with identity (its unit owns it or it
 * was referred to it), else CTIP_ENOTFOUND, audited as p's action
 * denied. Outside any write transaction. */
CTIP_MUST_CHECK enum ctip_status
ctip_intake_visible(const struct ctip_access *ax,
		    const struct ctip_principal *p, int64_t id,
		    const char *action, struct ctip_err *err);

#define CTIP_MINORS_MAX 10 /* accompanying minors registered at once */

/*
 * One action from an intake to the records: register the person it is
 * about (role victim or under_identification) and the minors who came
 * with them (role set to accompanying_minor, linked to the adult), owned
 * by p's unit and linked to the intake both ways, in one transaction,
 * audited. ids[0] is the adult, then the minors. CTIP_EINVAL naming
 * "person.<field>" or "minors[i].<field>".
 */
CTIP_MUST_CHECK enum ctip_status ctip_intake_register_persons(
	int64_t *ids, int *n_ids, const struct ctip_access *ax,
	const struct ctip_principal *p, int64_t intake_id,
	struct ctip_person_input *adult, struct ctip_person_input *minors,
	int n_minors, struct ctip_err *err);

/*
 * One action from an intake to a criminal-case lead: an investigator of a
 * unit that handles intake id opens a case at stage "lead", owned by that
 * unit, with the Penal Code article when known ("150", "151", "other" or
 * NULL) and a short title (sealed), linked to the intake both ways, in one
 * transaction, audited "case.create". Issue 5 takes the case on from
 * there. CTIP_EINVAL naming "article" or "title".
 */
CTIP_MUST_CHECK enum ctip_status
ctip_intake_open_case(int64_t *out, const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t intake_id,
		      const char *article, const char *title,
		      struct ctip_err *err);

/* The Art. 147 deadline: received_at + 20 days, or 2 months for
 * "complex", plus 2 more months for "procuracy" (a month without the
 * day ends on its last day, Art. 134). False if received_at is not a
 * timestamp. */
bool ctip_intake_deadline(char out[24], const char *received_at,
			  const char *extension);

#endif
