/* report.h: periodic reports (issue 6). A report form (data/forms/)
 * lays out indicators and KPI rates; a place (commune, province, VN)
 * reports a form for a period by its deadline. Until submitted, the
 * report is a draft computed from the records each time it is read; a
 * submission freezes it (the snapshot, JSON: docs/formats/
 * report-snapshot.md), and the level above approves it or returns it
 * with a comment. Aggregates only: no identity. */
#ifndef CTIP_REPORT_H
#define CTIP_REPORT_H

#include "core/access.h"

#include <jansson.h>

/* A reporting period: the statistical cut-off of Decree 09/2019/NĐ-CP
 * Art. 12 (from the 15th of the month before to the 14th of the last
 * month), and 1/7–30/9 for the peak period. */
struct ctip_period {
	char key[16];  /* 2026-Q1, 2026-H2, 2026, 2026-peak */
	int year, no;  /* no: 1-4 for quarters, 1-2 for halves, else 1 */
	char from[11]; /* yyyy-mm-dd, both days included */
	char to[11];
};

/*
 * Parse key as a period of period_type (quarter, half_year, year, peak).
 * CTIP_EINVAL naming "period" ("period: expected 2026-H1 or 2026-H2")
 * otherwise; years 2000-2100.
 */
CTIP_MUST_CHECK enum ctip_status ctip_period_parse(struct ctip_period *out,
						   const char *period_type,
						   const char *key,
						   struct ctip_err *err);

/* The period of period_type holding day (yyyy-mm-dd, valid). */
void ctip_period_of(struct ctip_period *out, const char *period_type,
		    const char *day);

/*
 * The due date (yyyy-mm-dd) of form's period for a place of province
 * (NULL for the nation): the province's own deadline for province forms
 * when it set one, else the form's; the first such day after the period
 * ends (10 January for an annual report: in the next year). *expected =
 * false (and due_on "") when the form has no deadline for that period
 * number (the national quarterly report is due for quarters 1 and 3).
 */
CTIP_MUST_CHECK enum ctip_status
ctip_report_due(char due_on[11], bool *expected, struct ctip_store *st,
		const struct ctip_form *form, const struct ctip_period *period,
		const char *province, struct ctip_err *err);

/* A report as its reader sees it. */
struct ctip_report_view {
	struct ctip_form form;
	struct ctip_period period;
	struct ctip_admin_unit place;
	const char *status; /* draft, submitted, approved, returned */
	bool stored;        /* rec holds the stored report */
	struct ctip_report_rec rec;
	char due_on[11]; /* "" when not expected */
	bool expected;
	json_t *body;             /* the report: the snapshot or the draft; the
				     caller releases it (json_decref) */
	int n_errors, n_warnings; /* of the body's findings */
	bool may_submit, may_review;
};

/*
 * The report of form for period (a key of the form's period type) and
 * place (a commune, a province or "VN", of the form's level): the
 * submitted snapshot, or a draft computed now when it was never
 * submitted or was returned (the returned snapshot's comment stays in
 * rec). Statistics roles (ctip_stats_may_see) in whose scope the place
 * lies. CTIP_ENOTFOUND naming "form"; CTIP_EINVAL naming "period" or
 * "place" (not of the form's level); CTIP_EFORBIDDEN naming "place"
 * outside p's scope.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_report_get(struct ctip_report_view *out, const struct ctip_access *ax,
		const struct ctip_principal *p, const char *form,
		const char *period, const char *place, struct ctip_arena *a,
		struct ctip_err *err);

/* The stored report id, as ctip_report_get shows it. CTIP_ENOTFOUND
 * outside p's scope as for a missing id. */
CTIP_MUST_CHECK enum ctip_status
ctip_report_get_id(struct ctip_report_view *out, const struct ctip_access *ax,
		   const struct ctip_principal *p, int64_t id,
		   struct ctip_arena *a, struct ctip_err *err);

/*
 * Submit the report: compute the draft now and freeze it. p must be a
 * statistician or supervisor of a unit of the place. A report not yet
 * stored (version 0) or returned (version: the version read). Refused
 * with CTIP_EINVAL naming "report" while validation errors remain, and
 * naming "note" when warnings remain without a note explaining them;
 * CTIP_ECONFLICT when it was submitted meanwhile (or is stale). The
 * snapshot is the report's until the next submission and its submit
 * step's for good (ctip_report_submission). Audited ("report.submit").
 */
CTIP_MUST_CHECK enum ctip_status
ctip_report_submit(int64_t *id_out, const struct ctip_access *ax,
		   const struct ctip_principal *p, const char *form,
		   const char *period, const char *place, const char *note,
		   int version, struct ctip_arena *a, struct ctip_err *err);

/*
 * Approve ("approve") or return ("return", with a comment) submitted
 * report id at version. p: a statistician or supervisor of the level
 * above the place (a province unit of the commune's province; a
 * national unit for a province); a national report has no level above.
 * CTIP_EINVAL naming "decision" or "comment"; CTIP_ECONFLICT when not
 * submitted or stale; CTIP_EFORBIDDEN. Audited ("report.approve",
 * "report.return").
 */
CTIP_MUST_CHECK enum ctip_status
ctip_report_review(const struct ctip_access *ax, const struct ctip_principal *p,
		   int64_t id, int version, const char *decision,
		   const char *comment, struct ctip_arena *a,
		   struct ctip_err *err);

/* One place expected to report. */
struct ctip_report_place {
	const char *code, *name;
	const char *status;       /* missing, submitted, approved, returned */
	int64_t report_id;        /* 0 when missing */
	const char *submitted_at; /* the first submission, or NULL */
	const char *timeliness;   /* on_time, late, overdue (missing past
				     the due date), pending (not due yet) */
};

struct ctip_report_completeness {
	struct ctip_form form;
	struct ctip_period period;
	char due_on[11];
	bool expected;
	struct ctip_report_place *places;
	int n_places;
	long submitted; /* submitted or approved */
	long returned;  /* to send again */
	long on_time, late, missing, overdue;
};

/*
 * Who has reported form for period: the communes of province for a
 * commune form (province required above province level; a province
 * unit's own by default), the 34 provinces for a province form, VN for
 * a national form; with the counts. Roles as ctip_report_get; a
 * commune unit may not see others. CTIP_EINVAL naming "province" when
 * needed and missing.
 */
CTIP_MUST_CHECK enum ctip_status ctip_report_completeness(
	struct ctip_report_completeness *out, const struct ctip_access *ax,
	const struct ctip_principal *p, const char *form, const char *period,
	const char *province, struct ctip_arena *a, struct ctip_err *err);

/* A reminder: a report of p's place to send (or send again), or the
 * reports below p's level not in or waiting for review. */
struct ctip_report_reminder {
	const char *kind; /* due (own report), review (waiting for p),
			     missing (places below past their due date) */
	struct ctip_form form;
	struct ctip_period period;
	char due_on[11];
	int days_left; /* negative: overdue */
	const char *place_code;
	const char *status; /* own report: missing or returned */
	long count;         /* review, missing: how many places */
};

/*
 * The reminders for p today: own reports due within 15 days or overdue
 * (up to 120 days back) and not submitted or returned; for province and
 * national units, the reports below waiting for their review, and the
 * places below that missed a due date in the last 120 days.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_report_reminders(struct ctip_report_reminder **out, int *n_out,
		      const struct ctip_access *ax,
		      const struct ctip_principal *p, struct ctip_arena *a,
		      struct ctip_err *err);

/*
 * A province's own deadline (month_day MM-DD) for period number no of a
 * province form; a statistician or supervisor of a province unit of that
 * province. CTIP_EINVAL naming "form", "period_no" or "month_day".
 * Audited ("report.deadline").
 */
CTIP_MUST_CHECK enum ctip_status
ctip_report_deadline_set(const struct ctip_access *ax,
			 const struct ctip_principal *p, const char *form,
			 int period_no, const char *month_day,
			 struct ctip_err *err);

/* One period of a trend. */
struct ctip_trend_point {
	struct ctip_period period;
	long total;
	bool partial; /* the period has not ended yet */
};

/*
 * Indicator code for the last count periods (1-12) of period_type, up to
 * the one holding today, for a commune, a province or p's own scope (as
 * ctip_stats_value, with its roles and codes); CTIP_EINVAL naming
 * "period_type" or "count". Points in a, oldest first.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_report_trend(struct ctip_trend_point **out, int *n_out,
		  struct ctip_store *st, const struct ctip_principal *p,
		  const char *code, const char *period_type, int count,
		  const char *commune, const char *province,
		  struct ctip_arena *a, struct ctip_err *err);

/* The forms, the rates and the steps of report id (scope as
 * ctip_report_get_id; each submit step with its number and whether its
 * snapshot was kept). */
CTIP_MUST_CHECK enum ctip_status
ctip_report_forms(struct ctip_form **out, int *n_out, struct ctip_store *st,
		  const struct ctip_principal *p, struct ctip_arena *a,
		  struct ctip_err *err);
CTIP_MUST_CHECK enum ctip_status
ctip_report_steps(struct ctip_report_step **out, int *n_out,
		  const struct ctip_access *ax, const struct ctip_principal *p,
		  int64_t id, struct ctip_arena *a, struct ctip_err *err);

/* One submission of a stored report, as it was submitted. */
struct ctip_report_submission {
	int64_t report_id;
	int n;                               /* 1, 2, ... */
	const struct ctip_report_step *step; /* its submit step, in a */
	const char *status_after; /* returned, approved, or current (the
				     one waiting for review) */
	const struct ctip_report_step *review; /* the step that returned or
						  approved it, in a; NULL
						  when current */
	json_t *body; /* the snapshot submitted; the caller releases it
			 (json_decref) */
};

/*
 * Submission n (1, 2, ...: the report's submit steps in order) of stored
 * report id, with the snapshot it submitted, what became of it and the
 * step that decided it. Who may: as ctip_report_get_id (a report outside
 * p's scope is CTIP_ENOTFOUND as a missing one). CTIP_EINVAL naming "n"
 * when n < 1; CTIP_ENOTFOUND when there is no such submission, or its
 * snapshot was not kept (submitted before 012_report_versions). Not
 * audited, as report reads are not (aggregates, no identity).
 */
CTIP_MUST_CHECK enum ctip_status
ctip_report_submission(struct ctip_report_submission *out,
		       const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id, int n,
		       struct ctip_arena *a, struct ctip_err *err);

/*
 * Check the forms' reference data after a load: every form's layout has
 * rows, deadlines parse ("n:MM-DD" with n a period number of its type),
 * every row's item is an indicator or a rate and its dimension one the
 * indicator allows, every rule's items exist. CTIP_EINVAL naming the
 * form, row or rule.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_report_catalogue_check(struct ctip_store *st, struct ctip_err *err);

#endif
