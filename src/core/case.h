/* case.h: criminal cases from lead to verdict (issue 5): the stages of
 * the Criminal Procedure Code as a state machine, offenders with their
 * role, linked victims and intakes, the Art. 150/151 check of the
 * victims' ages, and the programme's case KPIs. Scope: ctip_authz_case.
 * Every write is audited in its own transaction; reads that open sealed
 * fields are audited before they are opened. */
#ifndef CTIP_CASE_H
#define CTIP_CASE_H

#include "core/access.h"
#include "core/kpi.h"

#define CTIP_CASE_TITLE_MAX     500  /* characters */
#define CTIP_CASE_NOTE_MAX      2000 /* a stage change's reason or note */
#define CTIP_CASE_NUMBER_MAX    40
#define CTIP_CASE_OFFENDERS_MAX 200 /* per case */
#define CTIP_CASE_VICTIMS_MAX   500
#define CTIP_CASE_INTAKES_MAX   200
#define CTIP_CASE_LIST_MAX      200 /* cases in one listing */
/* "Today" for step dates is the date in Viet Nam (UTC+7). */

/* A stage change as the user asks it. */
struct ctip_case_step {
	const char *to;   /* the next stage, "suspended", "closed" or
			     "resumed" */
	const char *on;   /* yyyy-mm-dd it happened: not in the future, not
			     before the current stage's day */
	const char *note; /* reason: required to suspend or close */
	/* To initiate: the case number and, unless the case has one, the
	 * article. */
	const char *case_number;
	const char *article;
};

/* An offender as entered; strings borrowed. */
struct ctip_offender_input {
	const char *role; /* organiser, recruiter, broker, transporter, buyer,
			     other */
	const char *sex;  /* F, M, U; NULL: U */
	int birth_year;   /* 0: unknown */
	const char *nationality; /* alpha-2 or NULL */
	const char *name;        /* or NULL: not identified yet */
	const char *citizen_id;  /* 12 digits or NULL */
};

/* A stage change as shown: the row with its note opened. */
struct ctip_case_stage {
	struct ctip_case_stage_row row; /* note_enc cleared */
	const char *note;               /* NULL in a pseudonymised view */
	const char *by;                 /* the user's display name */
};

/* An offender as shown. */
struct ctip_case_offender {
	struct ctip_case_offender_row row; /* sealed fields cleared */
	const char *name, *citizen_id;     /* NULL in a pseudonymised view */
};

/* A victim as shown: no identity (that is the person record's, under its
 * own scope), the pseudonym and the age at the time. */
struct ctip_case_victim {
	struct ctip_case_victim_row row;
	char pseudonym[16];
	const char *age_on;   /* the day the age is taken at, or NULL */
	int age_min, age_max; /* the age then, -1 when unknown; equal when the
				 birth date is known */
};

/* A disagreement between the article and the victims' ages. */
struct ctip_case_warning {
	const char *code;  /* "art151_expected" or "art150_expected" */
	int64_t person_id; /* the victim under 16 (art151_expected), or 0 */
	int age;           /* that victim's greatest possible age, or -1 */
};

/* A case as p sees it; everything in the caller's arena. */
struct ctip_case_detail {
	struct ctip_case_rec rec; /* title_enc cleared */
	struct ctip_case_scope scope;
	const char *title; /* NULL in a pseudonymised view */
	struct ctip_org_unit_row owner;
	struct ctip_case_stage *stages;
	int n_stages;
	struct ctip_case_offender *offenders;
	int n_offenders;
	struct ctip_case_victim *victims;
	int n_victims;
	int64_t *intake_ids;
	int n_intakes;
	struct ctip_case_warning *warnings;
	int n_warnings;
	/* The values of ctip_case_step.to that p may ask now. */
	const char *next[4];
	int n_next;
};

/*
 * Open a lead of p's unit (stage "lead") with a title (sealed) and the
 * article when known ("150", "151", "other" or NULL), in p's province,
 * audited "case.create". CTIP_EFORBIDDEN unless p investigates for a
 * commune or province unit; CTIP_EINVAL naming "title" or "article".
 */
CTIP_MUST_CHECK enum ctip_status
ctip_case_create(int64_t *out, const struct ctip_access *ax,
		 const struct ctip_principal *p, const char *article,
		 const char *title, struct ctip_err *err);

/*
 * Case id as p sees it, with its stage changes, offenders, victims,
 * intakes, warnings and the steps p may take. A view with sealed fields
 * is audited ("case.read") before they are opened. CTIP_ENOTFOUND when
 * it does not exist or is outside p's scope (the same answer).
 */
CTIP_MUST_CHECK enum ctip_status
ctip_case_detail(struct ctip_case_detail *out, const struct ctip_access *ax,
		 const struct ctip_principal *p, int64_t id,
		 struct ctip_arena *a, struct ctip_err *err);

/*
 * Move case id, at the version p saw, one step: the next stage of the
 * chain lead -> initiated -> investigated -> solved -> indicted -> tried
 * -> verdict; "suspended" or "closed" from any open stage (and "closed"
 * from suspended), with a reason; "resumed" from suspended to the stage
 * it was suspended at. Initiating needs the case number and an article.
 * The step is stored with its day, user, unit and note (sealed) and
 * audited ("case.stage"). CTIP_EINVAL naming "to", "on", "note",
 * "case_number" or "article"; CTIP_ENOTFOUND outside p's scope;
 * CTIP_ECONFLICT naming "version" for a stale version, and naming "to"
 * with a message naming both stages when the step is not allowed from
 * the current stage; CTIP_EFORBIDDEN when the step is another agency's.
 */
CTIP_MUST_CHECK enum ctip_status ctip_case_move(const struct ctip_access *ax,
						const struct ctip_principal *p,
						int64_t id, int version,
						const struct ctip_case_step *in,
						struct ctip_err *err);

/*
 * Change the title, the article or the case number (after initiation) of
 * case id at version; NULL leaves a field as it is. Investigators only;
 * audited "case.update". CTIP_EINVAL naming the field.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_case_edit(const struct ctip_access *ax, const struct ctip_principal *p,
	       int64_t id, int version, const char *title, const char *article,
	       const char *case_number, struct ctip_err *err);

/*
 * Add an offender to case id at version (investigators; audited
 * "case.offender_add"); name and citizen ID are sealed, the citizen ID
 * blind-indexed. CTIP_EINVAL naming "role", "sex", "birth_year",
 * "nationality", "name" or "citizen_id".
 */
CTIP_MUST_CHECK enum ctip_status
ctip_case_add_offender(int64_t *out, const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id, int version,
		       const struct ctip_offender_input *in,
		       struct ctip_err *err);

/*
 * Link person person_id as a victim of case id at version
 * (investigators; audited "case.victim_link"). p must see the person
 * with identity (reason: as for reading the person);
 * CTIP_ENOTFOUND naming "person_id" otherwise, as for a person that does
 * not exist; CTIP_EEXIST if linked already.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_case_link_victim(const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id, int version,
		      int64_t person_id, const char *reason,
		      struct ctip_err *err);

/*
 * Link intake intake_id (which p must handle; CTIP_ENOTFOUND naming
 * "intake_id" otherwise) to case id at version (investigators; audited
 * "case.intake_link"); CTIP_EEXIST if linked already.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_case_link_intake(const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id, int version,
		      int64_t intake_id, struct ctip_err *err);

/*
 * The cases p may see, newest first: its unit's, or its province's for a
 * province police, procuracy or court unit; of one stage unless stage is
 * NULL; ids below before_id unless it is 0; at most limit (1..200).
 * Rows carry no sealed field (title_enc cleared). CTIP_EFORBIDDEN for
 * national units and roles without case access; CTIP_EINVAL naming
 * "stage" or "limit".
 */
CTIP_MUST_CHECK enum ctip_status
ctip_case_list(struct ctip_case_rec **out, int *n_out,
	       const struct ctip_access *ax, const struct ctip_principal *p,
	       const char *stage, int64_t before_id, int limit,
	       struct ctip_arena *a, struct ctip_err *err);

struct ctip_case_kpi {
	struct ctip_kpi_filter filter; /* from, to: dates, both included */
	struct ctip_case_counts counts;
	/* Against the targets of the catalogue (KPI_SOLVED, KPI_INDICTED,
	 * KPI_TRIED in data/indicators/rates.csv). */
	struct ctip_kpi_rate solved;   /* solved / initiated */
	struct ctip_kpi_rate indicted; /* indicted / solved */
	struct ctip_kpi_rate tried;    /* tried / indicted */
};

/*
 * The programme's case KPIs over the cases initiated from `from` to `to`
 * (yyyy-mm-dd, both included) in a scope: unit_id (0: none) or province
 * (NULL: none), at most one; by default p's own unit for commune units,
 * p's province for province units, the nation for national units. A
 * commune unit sees only itself, a province unit its province and its
 * units; national units anything. Everyone but administrators and
 * auditors. CTIP_EINVAL naming "from", "to", "unit" or "province";
 * CTIP_EFORBIDDEN naming "unit" or "province" outside p's scope.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_case_kpi(struct ctip_case_kpi *out, struct ctip_store *st,
	      const struct ctip_principal *p, const char *from, const char *to,
	      int64_t unit_id, const char *province, struct ctip_arena *a,
	      struct ctip_err *err);

/* The age range on date of a person born on birth_date (or NULL) or in
 * birth_year (or 0): *min = *max with a birth date, max - 1 with only a
 * year, both -1 when unknown. */
void ctip_case_age_on(int *min, int *max, const char *birth_date,
		      int birth_year, const char *date);

#endif
