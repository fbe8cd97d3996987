/* store_case.h: storage of criminal cases (issue 5): stages, offenders,
 * victims and the case KPIs. Included by store.h. */
#ifndef CTIP_STORE_CASE_H
#define CTIP_STORE_CASE_H

#include "store/store.h"

/* A criminal case as stored, every column (strings and blobs in the
 * caller's arena when read). Dates are yyyy-mm-dd, NULL until reached. */
struct ctip_case_rec {
	int64_t id;
	int64_t owner_unit_id;
	const char *province_code;
	const char *stage;   /* lead .. verdict, suspended, closed */
	const char *article; /* "150", "151", "other" or NULL */
	const unsigned char *title_enc;
	size_t title_enc_len;
	const char *case_number; /* NULL until initiated */
	const char *initiated_on;
	const char *investigated_on;
	const char *solved_on;
	const char *indicted_on;
	const char *tried_on;
	const char *verdict_on;
	const char *stage_on;       /* day of the current stage */
	const char *suspended_from; /* stage to resume to, or NULL */
	const char *created_at;
	int64_t created_by;
	const char *updated_at;
	int version;
};

/* One stage change of a case. */
struct ctip_case_stage_row {
	int64_t id;
	int64_t case_id;
	const char *from_stage;
	const char *to_stage; /* a stage, or "resumed" */
	const char *on_date;  /* yyyy-mm-dd */
	int64_t unit_id;
	int64_t user_id;
	const unsigned char *note_enc;
	size_t note_enc_len;
	const char *created_at;
};

/* One offender of a case; identity sealed. */
struct ctip_case_offender_row {
	int64_t id;
	int64_t case_id;
	const char *role; /* organiser, recruiter, broker, transporter, ... */
	const char *sex;  /* F, M or U */
	int birth_year;   /* 0 when unknown */
	const char *nationality; /* alpha-2 or NULL */
	const unsigned char *name_enc;
	size_t name_enc_len;
	const unsigned char *citizen_id_enc;
	size_t citizen_id_enc_len;
	const unsigned char *citizen_id_bidx; /* CTIP_BLIND_BYTES or NULL */
	const char *created_at;
	int64_t created_by;
};

/* A victim of a case with what its age at the time needs. */
struct ctip_case_victim_row {
	int64_t person_id;
	const char *sex;
	const char *birth_date; /* or NULL */
	int birth_year;         /* 0 when unknown */
	/* Earliest day of the person's trafficking events (recruited, else
	 * exploited from, else discovered), or NULL without events. */
	const char *event_on;
	const char *linked_at;
};

/* Which cases a listing returns: of one unit (unit_id) or one province
 * (province_code), of one stage unless stage is NULL, with ids below
 * before_id unless it is 0, newest first, at most limit. */
struct ctip_case_filter {
	int64_t unit_id;
	const char *province_code;
	const char *stage;
	int64_t before_id;
	int limit;
};

/* Counts behind the case KPIs: cases initiated in the period, and of
 * them how many reached each later stage, and where they are now. */
struct ctip_case_counts {
	long initiated, investigated, solved, indicted, tried, verdict;
	long suspended, closed; /* current stage */
};

struct ctip_case_ops {
	/* Ids of the criminal cases person_id is linked to as a victim,
	 * oldest first. */
	int (*person_cases)(int64_t **out, int *n_out, struct ctip_store *st,
			    int64_t person_id, struct ctip_arena *a,
			    struct ctip_err *err);
	/* Case id with every column; CTIP_ENOTFOUND ("case") if none. */
	int (*get)(struct ctip_case_rec *out, struct ctip_store *st, int64_t id,
		   struct ctip_arena *a, struct ctip_err *err);
	/* Write the mutable columns (stage to suspended_from, title,
	 * article, case number, updated_at) if the version is still
	 * rec->version, and bump it; CTIP_ECONFLICT naming "version"
	 * otherwise. */
	int (*update)(struct ctip_store *st, const struct ctip_case_rec *rec,
		      struct ctip_err *err);
	/* Ids of cases per f. */
	int (*list)(int64_t **out, int *n_out, struct ctip_store *st,
		    const struct ctip_case_filter *f, struct ctip_arena *a,
		    struct ctip_err *err);
	/* Stage changes: add one; read a case's, in order. */
	int (*stage_insert)(int64_t *out, struct ctip_store *st,
			    const struct ctip_case_stage_row *row,
			    struct ctip_err *err);
	int (*stages)(struct ctip_case_stage_row **out, int *n_out,
		      struct ctip_store *st, int64_t case_id,
		      struct ctip_arena *a, struct ctip_err *err);
	/* Offenders: add one; read a case's, in order. */
	int (*offender_insert)(int64_t *out, struct ctip_store *st,
			       const struct ctip_case_offender_row *row,
			       struct ctip_err *err);
	int (*offenders)(struct ctip_case_offender_row **out, int *n_out,
			 struct ctip_store *st, int64_t case_id,
			 struct ctip_arena *a, struct ctip_err *err);
	/* Victims: link a person (CTIP_EEXIST if linked already); read a
	 * case's, by person id. */
	int (*victim_link)(struct ctip_store *st, int64_t case_id,
			   int64_t person_id, const char *now, int64_t by,
			   struct ctip_err *err);
	int (*victims)(struct ctip_case_victim_row **out, int *n_out,
		       struct ctip_store *st, int64_t case_id,
		       struct ctip_arena *a, struct ctip_err *err);
	/* KPI counts of the cases initiated from f->from to f->to (dates
	 * yyyy-mm-dd, both included) of f's scope (unit, province or,
	 * with neither, the nation); one statement per scope. */
	int (*kpi_counts)(struct ctip_case_counts *out, struct ctip_store *st,
			  const struct ctip_kpi_filter *f,
			  struct ctip_err *err);
};

#endif
