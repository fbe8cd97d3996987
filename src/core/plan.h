/* plan.h: plans and their tasks (issue 7). A unit issues a plan for its
 * place (commune, province or the nation) with numbered sections and
 * tasks; each task has lead and coordinating units and a timing. A lower
 * level implements an upper plan by copying its tasks (cascade), and the
 * units responsible report progress per reporting period with evidence:
 * free text, activities they recorded and reports they submitted. The
 * contract of the HTTP API is docs/api-plans.md; plans, like reports,
 * are built here as JSON (the PLAN shape) because the export and the API
 * share it. */
#ifndef CTIP_PLAN_H
#define CTIP_PLAN_H

#include "core/access.h"

#include <jansson.h>

/* Limits on what one plan may hold. */
#define CTIP_PLAN_MAX_SECTIONS 500
#define CTIP_PLAN_MAX_TASKS    2000
#define CTIP_PLAN_MAX_UNITS    50 /* lead or coordinating units per task */

/*
 * Read the plan document text[0..len) (UTF-8 plain text or Markdown,
 * docs/plan-import.md) and propose its structure: *out = {"proposal":
 * PROPOSAL, "stats": {"tasks","with_lead","unmatched_units"}} as in
 * docs/api-plans.md; the caller releases it (json_decref). Nothing is
 * stored, nothing is created: each unit whose agency the alias table
 * (plan_agency_alias) knows is matched to the existing org unit of that
 * agency at the place (unit_id null when there is none yet: POST
 * /api/plans creates it from {"agency"}); agency "ALL" gives all_units
 * true.
 *
 * The place is p's admin unit when p is not NULL (p must be a supervisor
 * or statistician: CTIP_EFORBIDDEN otherwise; place is ignored), or the
 * admin unit code place when p is NULL (the command line; CTIP_EINVAL
 * naming "place" when unknown).
 *
 * CTIP_EINVAL naming "file" for an empty text, a binary one (NUL byte or
 * invalid UTF-8, with the byte offset) or one without tasks;
 * CTIP_ETOOBIG for a text over CTIP_PLAN_MAX_BYTES or a full arena a.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_plan_import(json_t **out, struct ctip_store *st,
		 const struct ctip_principal *p, const char *place,
		 const char *text, size_t len, struct ctip_arena *a,
		 struct ctip_err *err);

/*
 * Create a plan of p's unit from in, the JSON body of POST /api/plans
 * (docs/api-plans.md): number, title (required), issued_on, period_from,
 * period_to (dates), legal_basis, parent_plan_id (a plan of a level
 * above p's place that p sees), sections [{key, number, title, parent}],
 * tasks [{section, number, text, expected_output, timing,
 * source_task_id (a task of the parent plan), lead, coordinate}] with
 * at least one task, each with at least one lead. A unit is {"unit_id"},
 * {"all_units": true} or {"agency": CODE} (the org unit of that agency
 * at the plan's place, created if missing), with an optional "phrase".
 * Supervisors and statisticians (CTIP_EFORBIDDEN); CTIP_EINVAL naming the
 * field as "tasks[2].timing". Audited ("plan.create") in the same
 * transaction.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_plan_create(int64_t *id_out, const struct ctip_access *ax,
		 const struct ctip_principal *p, const json_t *in,
		 struct ctip_arena *a, struct ctip_err *err);

/*
 * Plan id as PLAN JSON (docs/api-plans.md) into *out (the caller
 * releases it), with each task's next due date, status, overdue flag,
 * progress and its coverage by lower plans. Every role but
 * administrators and auditors (CTIP_EFORBIDDEN) sees the plans of its
 * place, of the places above it and below it; CTIP_ENOTFOUND otherwise,
 * as for a missing id.
 */
CTIP_MUST_CHECK enum ctip_status ctip_plan_get(json_t **out,
					       const struct ctip_access *ax,
					       const struct ctip_principal *p,
					       int64_t id, struct ctip_arena *a,
					       struct ctip_err *err);

/* The plans p sees, newest issued first: *out = {"items": [{"id",
 * "number","title","issued_on","unit_name","admin_code",
 * "parent_plan_id","tasks","overdue"}]}. Roles as ctip_plan_get. */
CTIP_MUST_CHECK enum ctip_status ctip_plan_list(json_t **out,
						const struct ctip_access *ax,
						const struct ctip_principal *p,
						struct ctip_arena *a,
						struct ctip_err *err);

/*
 * A plan of p's unit implementing plan id (a plan of a level above p's
 * place): in = {"task_ids": [...], "number", "title", "issued_on",
 * "period_from", "period_to"}; the sections of plan id are copied, and
 * each chosen task with its text, timing and source_task_id, p's unit as
 * lead. *id_out = the new plan. CTIP_EINVAL naming "task_ids" (empty, or
 * not tasks of plan id) or another field; CTIP_EFORBIDDEN for a plan of
 * p's level or below, or another role. Audited ("plan.cascade").
 */
CTIP_MUST_CHECK enum ctip_status
ctip_plan_cascade(int64_t *id_out, const struct ctip_access *ax,
		  const struct ctip_principal *p, int64_t id, const json_t *in,
		  struct ctip_arena *a, struct ctip_err *err);

/*
 * Change task tid of plan id, a plan of p's own unit: in = {"text",
 * "expected_output", "timing", "lead", "coordinate", "version" (the
 * plan's)}, checked as in ctip_plan_create (fields named without the
 * "tasks[i]." prefix). CTIP_ECONFLICT when the plan changed meanwhile.
 * Audited ("plan.task.update").
 */
CTIP_MUST_CHECK enum ctip_status
ctip_plan_task_update(const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id, int64_t tid,
		      const json_t *in, struct ctip_arena *a,
		      struct ctip_err *err);

/*
 * Report the progress of p's unit on task tid of plan id: in =
 * {"period" (2026-H1, 2026-H2 or 2026), "status" (not_started,
 * in_progress, done, cannot_do), "reason" (required for cannot_do),
 * "evidence", "activity_ids" (activities in p's scope, linked to the
 * task: activity.plan_task_id), "report_ids" (submitted reports of p's
 * scope; they replace the entry's), "version" (0 for the unit's first
 * entry of that period)}. p: a supervisor, statistician, case worker or
 * investigator of a unit named on the task, of any unit of the plan's
 * place for an all-units task, or of the issuing unit (CTIP_EFORBIDDEN
 * otherwise). CTIP_ECONFLICT naming "version" when stale. Audited
 * ("plan.progress").
 */
CTIP_MUST_CHECK enum ctip_status
ctip_plan_progress(const struct ctip_access *ax, const struct ctip_principal *p,
		   int64_t id, int64_t tid, const json_t *in,
		   struct ctip_arena *a, struct ctip_err *err);

/*
 * The roll-up of plan id for period (2026-H1, 2026-H2 or 2026): *out =
 * {"period", "by_unit": [{"unit_id","unit_name","tasks","not_started",
 * "in_progress","done","cannot_do","overdue"}], "by_section":
 * [{"section_id","number","title", same counts}]}. By unit: each unit
 * named on a task or reporting on it, with its own status for the
 * period; by section: the tasks directly in it, with their status over
 * units. Roles and scope as ctip_plan_get; CTIP_EINVAL naming "period".
 */
CTIP_MUST_CHECK enum ctip_status
ctip_plan_rollup(json_t **out, const struct ctip_access *ax,
		 const struct ctip_principal *p, int64_t id, const char *period,
		 struct ctip_arena *a, struct ctip_err *err);

/*
 * Tasks of p's unit overdue or due within days (0-366) from today:
 * *out = {"items": [{"plan_id","plan_title","task_id","number","text",
 * "due_on","days_left","status","overdue"}]}, soonest first; the status
 * is the unit's own. Tasks of p's unit: it leads or coordinates them, or
 * they are all-unit tasks of a plan of its place. CTIP_EINVAL naming
 * "days".
 */
CTIP_MUST_CHECK enum ctip_status ctip_plan_due(json_t **out,
					       const struct ctip_access *ax,
					       const struct ctip_principal *p,
					       int days, struct ctip_arena *a,
					       struct ctip_err *err);

#endif
