/* store_report.h: storage side of the periodic reports and activities
 * (issue 6): the forms, their rows, rates and validation rules
 * (reference data), provinces' deadlines, submitted reports with their
 * workflow, and the activities units record. Included by store.h. */
#ifndef CTIP_STORE_REPORT_H
#define CTIP_STORE_REPORT_H

#include "store/store.h"

/* A KPI rate of the catalogue (data/indicators/rates.csv). */
struct ctip_rate_def {
	const char *code, *name_vi, *name_en;
	const char *numerator, *denominator; /* indicator codes */
	int target_percent;
	const char *comparison; /* at_least, above */
	const char *legal_basis;
};

/* A report form (data/forms/forms.csv). */
struct ctip_form {
	const char *code, *name_vi, *name_en;
	const char *level;       /* commune, province, nation */
	const char *period_type; /* quarter, half_year, year, peak */
	const char *deadlines;   /* "n:MM-DD ..." per period number */
	const char *layout;
	const char *legal_basis;
};

/* A row of a layout (data/forms/rows.csv). */
struct ctip_form_row {
	int seq;
	const char *section_vi, *section_en;
	const char *label_no, *label_vi, *label_en;
	const char *item; /* an indicator or a rate code */
	const char *by;   /* a dimension, or NULL */
};

/* A validation rule (data/forms/rules.csv): left op right. */
struct ctip_rule {
	const char *code, *left, *op, *right, *severity;
	const char *message_vi, *message_en;
};

/* A report as stored (from its first submission). */
struct ctip_report_rec {
	int64_t id;
	const char *form_code, *period, *place_code;
	const char *province_code; /* NULL for the nation's */
	const char *status;        /* submitted, approved, returned */
	const char *due_on;        /* yyyy-mm-dd */
	const char *snapshot;      /* JSON; NULL in lists */
	const char *note;          /* the submitter's explanation */
	const char *first_submitted_at, *submitted_at;
	int64_t submitted_by, submitted_unit_id;
	const char *reviewed_at;
	int64_t reviewed_by;
	const char *review_comment;
	int version;
};

/* A step of a report's workflow. */
struct ctip_report_step {
	int64_t id;
	const char *action; /* submit, approve, return */
	const char *at;
	int64_t user_id, unit_id;
	const char *user_name, *unit_name;
	const char *comment;
	int submission; /* submit steps: 1, 2, ... in order; else 0 */
	bool kept;      /* a submit step holds the snapshot it submitted (false
			   for submissions made before 012_report_versions) */
};

/* An activity a unit recorded. */
struct ctip_activity {
	int64_t id, org_unit_id;
	const char *unit_name;                    /* read only */
	const char *province_code, *commune_code; /* the unit's place */
	const char *kind; /* communication, training, inspection, operation */
	const char *title;
	const char *started_on, *ended_on;
	long participants;
	const char *note;
	int64_t created_by;
	const char *created_at, *updated_at;
	int version;
};

/* Which activities to list: all set fields must match. */
struct ctip_activity_filter {
	int64_t unit_id;           /* 0: any */
	const char *province_code; /* NULL: any */
	const char *commune_code;  /* NULL: any */
	const char *kind;          /* NULL: any */
	const char *from, *to;     /* started_on range; NULL: open */
	int64_t before_id;         /* 0: from the newest */
	int limit;
};

struct ctip_report_ops {
	/* The catalogue's rates, forms (by code), a layout's rows (by seq)
	 * and the validation rules; rows in a. */
	int (*rates)(struct ctip_rate_def **out, int *n_out,
		     struct ctip_store *st, struct ctip_arena *a,
		     struct ctip_err *err);
	int (*forms)(struct ctip_form **out, int *n_out, struct ctip_store *st,
		     struct ctip_arena *a, struct ctip_err *err);
	/* CTIP_ENOTFOUND if there is no such form. */
	int (*form_get)(struct ctip_form *out, struct ctip_store *st,
			const char *code, struct ctip_arena *a,
			struct ctip_err *err);
	int (*rows)(struct ctip_form_row **out, int *n_out,
		    struct ctip_store *st, const char *layout,
		    struct ctip_arena *a, struct ctip_err *err);
	int (*rules)(struct ctip_rule **out, int *n_out, struct ctip_store *st,
		     struct ctip_arena *a, struct ctip_err *err);

	/* A province's own deadline (MM-DD) for a form's period number;
	 * *found false when it keeps the form's. */
	int (*deadline_get)(char out[6], bool *found, struct ctip_store *st,
			    const char *form, const char *province,
			    int period_no, struct ctip_err *err);
	int (*deadline_set)(struct ctip_store *st, const char *form,
			    const char *province, int period_no,
			    const char *month_day, int64_t user_id,
			    const char *at, struct ctip_err *err);

	/* The report of a form, period and place; CTIP_ENOTFOUND if it
	 * was never submitted. */
	int (*get)(struct ctip_report_rec *out, struct ctip_store *st,
		   const char *form, const char *period, const char *place,
		   struct ctip_arena *a, struct ctip_err *err);
	int (*get_id)(struct ctip_report_rec *out, struct ctip_store *st,
		      int64_t id, struct ctip_arena *a, struct ctip_err *err);
	/* The reports of a form and period, of one province's places
	 * (province NULL: every place), without their snapshots. */
	int (*list)(struct ctip_report_rec **out, int *n_out,
		    struct ctip_store *st, const char *form, const char *period,
		    const char *province, struct ctip_arena *a,
		    struct ctip_err *err);
	/* Store a submission: a new report (r->id 0; *id_out its id) or a
	 * returned one submitted again (r->id, r->version the version
	 * read: CTIP_ECONFLICT if it changed). Adds the submit step, which
	 * keeps r->snapshot as well (the report's is replaced by the next
	 * submission, the step's stays). */
	int (*submit)(int64_t *id_out, struct ctip_store *st,
		      const struct ctip_report_rec *r, struct ctip_err *err);
	/* Approve or return (status) report id at version; adds the
	 * step. CTIP_ECONFLICT if the version changed. */
	int (*review)(struct ctip_store *st, int64_t id, int version,
		      const char *status, int64_t user_id, int64_t unit_id,
		      const char *at, const char *comment,
		      struct ctip_err *err);
	/* The steps of report_id, oldest first, in a. */
	int (*steps)(struct ctip_report_step **out, int *n_out,
		     struct ctip_store *st, int64_t report_id,
		     struct ctip_arena *a, struct ctip_err *err);
	/* The snapshot (JSON, in a) that submission n (1, 2, ...: the
	 * report's submit steps in order) of report_id submitted.
	 * CTIP_ENOTFOUND when there is no such submission or its snapshot
	 * was not kept. */
	int (*submission)(const char **out, struct ctip_store *st,
			  int64_t report_id, int n, struct ctip_arena *a,
			  struct ctip_err *err);

	/* Activities. insert sets *id_out; update changes the fields of
	 * r->id at r->version (CTIP_ECONFLICT otherwise). */
	int (*activity_insert)(int64_t *id_out, struct ctip_store *st,
			       const struct ctip_activity *r,
			       struct ctip_err *err);
	int (*activity_update)(struct ctip_store *st,
			       const struct ctip_activity *r,
			       struct ctip_err *err);
	int (*activity_get)(struct ctip_activity *out, struct ctip_store *st,
			    int64_t id, struct ctip_arena *a,
			    struct ctip_err *err);
	/* Newest first. */
	int (*activity_list)(struct ctip_activity **out, int *n_out,
			     struct ctip_store *st,
			     const struct ctip_activity_filter *f,
			     struct ctip_arena *a, struct ctip_err *err);
};

#endif
