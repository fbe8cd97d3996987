/* store_plan.h: storage side of plan tracking (issue 7): plans, their
 * sections and tasks with the units responsible, progress per unit and
 * reporting period with its evidence, and the alias table that reads
 * agency names in plan documents. Included by store.h. */
#ifndef CTIP_STORE_PLAN_H
#define CTIP_STORE_PLAN_H

#include "store/store.h"

/* A plan as stored. */
struct ctip_plan_row {
	int64_t id;
	int64_t org_unit_id;       /* the issuing unit */
	const char *unit_name;     /* read only */
	const char *admin_code;    /* the plan's place: VN, province, commune */
	const char *province_code; /* NULL for the nation's */
	const char *number;        /* or NULL */
	const char *title;
	const char *issued_on;
	const char *legal_basis; /* or NULL */
	int64_t parent_plan_id;  /* 0: none */
	const char *period_from, *period_to;
	int64_t created_by;
	const char *created_at, *updated_at;
	int version;
	long n_tasks; /* read only, in lists */
};

/* Which plans a listing returns: those of admin_code and of province
 * (its own and its communes' when level is "province"), and VN's; every
 * plan when level is "nation". */
struct ctip_plan_scope {
	const char *level;         /* nation, province, commune */
	const char *admin_code;    /* the user's place */
	const char *province_code; /* "" or NULL for the nation */
};

struct ctip_plan_section_row {
	int64_t id, plan_id, parent_id; /* parent_id 0: a top section */
	int seq;
	const char *number, *title;
};

struct ctip_plan_task_row {
	int64_t id, plan_id, section_id; /* section_id 0: none */
	int seq;
	const char *number, *text, *expected_output;
	const char *timing; /* once, continuous, yearly, half_year, year */
	const char *due_on; /* once only */
	const char *month_day_from, *month_day_to; /* yearly only */
	int64_t source_task_id;                    /* 0: none */
};

/* A unit on a task: org_unit_id, or all_units. */
struct ctip_plan_task_unit_row {
	int64_t task_id;
	const char *role; /* lead, coordinate */
	int64_t org_unit_id;
	bool all_units;
	const char *phrase;    /* or NULL */
	const char *unit_name; /* read only; NULL for all_units */
};

struct ctip_task_progress_row {
	int64_t id, task_id, org_unit_id;
	const char *unit_name;                       /* read only */
	const char *unit_admin_code, *unit_province; /* the unit's place;
							province NULL for
							the nation */
	const char *period; /* 2026-H1, 2026-H2, 2026 */
	const char *status; /* not_started, in_progress, done, cannot_do */
	const char *reason, *evidence;
	int64_t reported_by;
	const char *reported_at;
	int version;
};

/* A report linked to a progress entry. */
struct ctip_progress_report_row {
	int64_t progress_id, report_id;
};

/* An activity linked to a task of a plan. */
struct ctip_plan_activity_row {
	int64_t id, task_id, org_unit_id;
	const char *kind, *title, *started_on;
	long participants;
};

/* A task of a lower plan copied from a task of this plan. */
struct ctip_plan_coverage_row {
	int64_t source_task_id, plan_id;
	const char *admin_code;    /* the place of the plan */
	const char *province_code; /* its province; NULL for the nation */
};

/* A row of plan_agency_alias. */
struct ctip_plan_alias_row {
	const char *alias, *agency;
};

/* A task a unit answers for (named on it, or all units of its place). */
struct ctip_plan_task_ref {
	int64_t plan_id, task_id;
};

struct ctip_plan_ops {
	/* Writes; the caller holds the transaction. insert sets *id_out. */
	int (*insert)(int64_t *id_out, struct ctip_store *st,
		      const struct ctip_plan_row *r, struct ctip_err *err);
	int (*section_insert)(int64_t *id_out, struct ctip_store *st,
			      const struct ctip_plan_section_row *r,
			      struct ctip_err *err);
	int (*task_insert)(int64_t *id_out, struct ctip_store *st,
			   const struct ctip_plan_task_row *r,
			   struct ctip_err *err);
	/* Change text, expected_output and timing of task r->id. */
	int (*task_update)(struct ctip_store *st,
			   const struct ctip_plan_task_row *r,
			   struct ctip_err *err);
	int (*task_unit_insert)(struct ctip_store *st,
				const struct ctip_plan_task_unit_row *r,
				struct ctip_err *err);
	/* Remove every unit of task_id. */
	int (*task_units_clear)(struct ctip_store *st, int64_t task_id,
				struct ctip_err *err);
	/* Bump plan id's version from version (CTIP_ECONFLICT naming
	 * "version" when it changed) and set updated_at. */
	int (*touch)(struct ctip_store *st, int64_t id, int version,
		     const char *now, struct ctip_err *err);

	/* Reads; rows in a. get: CTIP_ENOTFOUND if there is no plan id. */
	int (*get)(struct ctip_plan_row *out, struct ctip_store *st, int64_t id,
		   struct ctip_arena *a, struct ctip_err *err);
	/* Plans in scope, newest issued first, with their task counts. */
	int (*list)(struct ctip_plan_row **out, int *n_out,
		    struct ctip_store *st, const struct ctip_plan_scope *scope,
		    struct ctip_arena *a, struct ctip_err *err);
	/* A plan's sections and tasks in seq order, its task units, its
	 * progress (by task, unit, period), the reports linked to that
	 * progress, the activities linked to its tasks, and the tasks of
	 * lower plans copied from its tasks. */
	int (*sections)(struct ctip_plan_section_row **out, int *n_out,
			struct ctip_store *st, int64_t plan_id,
			struct ctip_arena *a, struct ctip_err *err);
	int (*tasks)(struct ctip_plan_task_row **out, int *n_out,
		     struct ctip_store *st, int64_t plan_id,
		     struct ctip_arena *a, struct ctip_err *err);
	int (*task_units)(struct ctip_plan_task_unit_row **out, int *n_out,
			  struct ctip_store *st, int64_t plan_id,
			  struct ctip_arena *a, struct ctip_err *err);
	int (*progress)(struct ctip_task_progress_row **out, int *n_out,
			struct ctip_store *st, int64_t plan_id,
			struct ctip_arena *a, struct ctip_err *err);
	int (*progress_reports)(struct ctip_progress_report_row **out,
				int *n_out, struct ctip_store *st,
				int64_t plan_id, struct ctip_arena *a,
				struct ctip_err *err);
	int (*activities)(struct ctip_plan_activity_row **out, int *n_out,
			  struct ctip_store *st, int64_t plan_id,
			  struct ctip_arena *a, struct ctip_err *err);
	int (*coverage)(struct ctip_plan_coverage_row **out, int *n_out,
			struct ctip_store *st, int64_t plan_id,
			struct ctip_arena *a, struct ctip_err *err);

	/* Progress of a unit on a task for a period: a first entry
	 * (r->version 0: CTIP_ECONFLICT naming "version" if one exists
	 * already) or a change of the entry at r->version (CTIP_ECONFLICT
	 * when stale). *id_out is the entry's id. Its linked reports are
	 * replaced by report_ids[0..n_reports). */
	int (*progress_save)(int64_t *id_out, struct ctip_store *st,
			     const struct ctip_task_progress_row *r,
			     const int64_t *report_ids, int n_reports,
			     struct ctip_err *err);
	/* Link activity id to task_id (activity.plan_task_id). */
	int (*activity_link)(struct ctip_store *st, int64_t activity_id,
			     int64_t task_id, struct ctip_err *err);

	/* The tasks unit_id answers for: named on them, or all-unit tasks
	 * of plans of admin_code. */
	int (*unit_tasks)(struct ctip_plan_task_ref **out, int *n_out,
			  struct ctip_store *st, int64_t unit_id,
			  const char *admin_code, struct ctip_arena *a,
			  struct ctip_err *err);
	/* The plan_agency_alias table, longest alias first. */
	int (*aliases)(struct ctip_plan_alias_row **out, int *n_out,
		       struct ctip_store *st, struct ctip_arena *a,
		       struct ctip_err *err);
};

#endif
