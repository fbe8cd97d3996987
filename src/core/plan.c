/* plan.c: plans and their tasks (issue 7): import proposals, creation
 * and cascade, task changes, progress, the PLAN view with due dates,
 * status and coverage, the roll-up and the due list. */
#include "core/plan.h"
#include "core/activity.h"
#include "core/audit.h"
#include "core/org.h"
#include "core/plan_parse.h"
#include "core/report.h"
#include "util/text.h"

#include <ctype.h>

static const char *const timings[] = { "once",      "continuous", "yearly",
				       "half_year", "year",       NULL };
static const char *const statuses[] = { "not_started", "in_progress", "done",
					"cannot_do", NULL };

#define DUE_SOON_DAYS 30

/* ---- dates ------------------------------------------------------------ */

/* Days since 1970-01-01 of a valid yyyy-mm-dd (H. Hinnant's algorithm). */
static long
day_number(const char *d)
{
	long y = strtol(d, NULL, 10), m = strtol(d + 5, NULL, 10),
	     dd = strtol(d + 8, NULL, 10), era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Whether md (MM-DD) is a day of every year. */
static bool
month_day_valid(const char *md)
{
	char d[11];

	if (md == NULL || strlen(md) != 5 || md[2] != '-')
		return false;
	snprintf(d, sizeof(d), "2023-%s", md);
	return ctip_date_valid(d);
}

/* The level of an admin unit code: VN, a province (2 digits), a commune. */
static const char *
level_of(const char *admin_code)
{
	if (strcmp(admin_code, "VN") == 0)
		return "nation";
	return strlen(admin_code) == 2 ? "province" : "commune";
}

/* ---- who may do what -------------------------------------------------- */

static bool
may_read(const struct ctip_principal *p)
{
	return !p->must_change_password &&
	       (p->roles &
		~(unsigned)(CTIP_ROLE_ADMINISTRATOR | CTIP_ROLE_AUDITOR)) != 0;
}

static bool
may_write(const struct ctip_principal *p)
{
	return !p->must_change_password &&
	       (p->roles & (CTIP_ROLE_SUPERVISOR | CTIP_ROLE_STATISTICIAN));
}

static bool
may_report(const struct ctip_principal *p)
{
	return !p->must_change_password &&
	       (p->roles & (CTIP_ROLE_SUPERVISOR | CTIP_ROLE_STATISTICIAN |
			    CTIP_ROLE_CASE_WORKER | CTIP_ROLE_INVESTIGATOR));
}

/* Whether p sees plan r: its place, the places above and below it. */
static bool
in_scope(const struct ctip_principal *p, const struct ctip_plan_row *r)
{
	if (strcmp(p->level, "nation") == 0 ||
	    strcmp(r->admin_code, "VN") == 0 ||
	    strcmp(r->admin_code, p->admin_code) == 0)
		return true;
	if (strcmp(p->level, "commune") == 0)
		return strcmp(r->admin_code, p->province_code) == 0;
	return r->province_code != NULL &&
	       strcmp(r->province_code, p->province_code) == 0;
}

/* Whether plan r is of a level above p's place that p implements: the
 * nation's for a province or commune, p's province's for a commune. */
static bool
is_above(const struct ctip_principal *p, const struct ctip_plan_row *r)
{
	if (strcmp(p->level, "nation") == 0)
		return false;
	if (strcmp(r->admin_code, "VN") == 0)
		return true;
	return strcmp(p->level, "commune") == 0 &&
	       strcmp(r->admin_code, p->province_code) == 0;
}

/* Plan id if p may see it; CTIP_ENOTFOUND in the same words otherwise. */
static enum ctip_status
visible_plan(struct ctip_plan_row *out, struct ctip_store *st,
	     const struct ctip_principal *p, int64_t id, struct ctip_arena *a,
	     struct ctip_err *err)
{
	enum ctip_status rc;

	if (!may_read(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see plans");
	rc = st->ops->plans->get(out, st, id, a, err);
	if (rc == CTIP_OK && !in_scope(p, out))
		rc = CTIP_ENOTFOUND;
	if (rc == CTIP_ENOTFOUND)
		return ctip_err_set(err, CTIP_ENOTFOUND, "no plan %lld",
				    (long long)id);
	return rc;
}

/* ---- a plan read whole ------------------------------------------------ */

struct loaded {
	struct ctip_plan_row plan;
	struct ctip_plan_section_row *sections;
	int n_sections;
	struct ctip_plan_task_row *tasks;
	int n_tasks;
	struct ctip_plan_task_unit_row *units;
	int n_units;
	struct ctip_task_progress_row *progress;
	int n_progress;
	struct ctip_progress_report_row *reports;
	int n_reports;
	struct ctip_plan_activity_row *acts;
	int n_acts;
	struct ctip_plan_coverage_row *cov;
	int n_cov;
};

static enum ctip_status
load(struct loaded *l, struct ctip_store *st, const struct ctip_plan_row *plan,
     struct ctip_arena *a, struct ctip_err *err)
{
	const struct ctip_plan_ops *o = st->ops->plans;
	int64_t id = plan->id;
	enum ctip_status rc;

	memset(l, 0, sizeof(*l));
	l->plan = *plan;
	if ((rc = o->sections(&l->sections, &l->n_sections, st, id, a, err)) !=
		    CTIP_OK ||
	    (rc = o->tasks(&l->tasks, &l->n_tasks, st, id, a, err)) !=
		    CTIP_OK ||
	    (rc = o->task_units(&l->units, &l->n_units, st, id, a, err)) !=
		    CTIP_OK ||
	    (rc = o->progress(&l->progress, &l->n_progress, st, id, a, err)) !=
		    CTIP_OK ||
	    (rc = o->progress_reports(&l->reports, &l->n_reports, st, id, a,
				      err)) != CTIP_OK ||
	    (rc = o->activities(&l->acts, &l->n_acts, st, id, a, err)) !=
		    CTIP_OK)
		return rc;
	return o->coverage(&l->cov, &l->n_cov, st, id, a, err);
}

/* ---- due dates and status -------------------------------------------- */

/* When a task is due now, and which progress entries count for it. */
struct due {
	char on[11];  /* yyyy-mm-dd, "" when never (continuous) */
	char key[16]; /* the period whose entries count; "" for all */
};

/* The report deadline of the plan's level for the period of type
 * (half_year, year) holding today: the half-year report's for the first
 * half, the annual report's for the second half and the year. */
static enum ctip_status
report_deadline(struct due *d, struct ctip_store *st,
		const struct ctip_plan_row *plan, const char *type,
		const char *today, struct ctip_arena *a, struct ctip_err *err)
{
	static const char *const forms[][3] = {
		{ "commune", "BC_XA_6T", "BC_XA_NAM" },
		{ "province", "BC_TINH_6T", "BC_TINH_NAM" },
		{ "nation", "BC_QG_6T", "BC_QG_NAM" },
	};
	const char *level = level_of(plan->admin_code);
	struct ctip_period per, year;
	struct ctip_form form;
	enum ctip_status rc;
	bool expected = false, half;
	size_t i;

	ctip_period_of(&per, type, today);
	snprintf(d->key, sizeof(d->key), "%s", per.key);
	half = strcmp(type, "half_year") == 0 && per.no == 1;
	ctip_period_of(&year, "year", today);
	for (i = 0; i < CTIP_NELEM(forms); i++)
		if (strcmp(forms[i][0], level) == 0)
			break;
	if (i == CTIP_NELEM(forms))
		return CTIP_OK;
	rc = st->ops->reports->form_get(&form, st, forms[i][half ? 1 : 2], a,
					err);
	if (rc == CTIP_ENOTFOUND)
		return CTIP_OK; /* no report forms loaded: no due date */
	if (rc != CTIP_OK)
		return rc;
	rc = ctip_report_due(d->on, &expected, st, &form, half ? &per : &year,
			     plan->province_code, err);
	if (rc == CTIP_OK && !expected)
		d->on[0] = '\0';
	return rc;
}

static enum ctip_status
due_of(struct due *d, struct ctip_store *st, const struct ctip_plan_row *plan,
       const struct ctip_plan_task_row *t, const char *today,
       struct ctip_arena *a, struct ctip_err *err)
{
	memset(d, 0, sizeof(*d));
	if (strcmp(t->timing, "once") == 0) {
		snprintf(d->on, sizeof(d->on), "%s", t->due_on);
		return CTIP_OK;
	}
	if (strcmp(t->timing, "yearly") == 0) {
		snprintf(d->on, sizeof(d->on), "%.4s-%s", today,
			 t->month_day_to);
		snprintf(d->key, sizeof(d->key), "%.4s", today);
		return CTIP_OK;
	}
	if (strcmp(t->timing, "continuous") == 0)
		return CTIP_OK;
	return report_deadline(d, st, plan, t->timing, today, a, err);
}

/* Whether an entry of period counts for key ("" counts all; a year
 * counts its halves; the second half counts the year's entry). */
static bool
period_counts(const char *period, const char *key)
{
	size_t n = strlen(key);

	if (n == 0 || strcmp(period, key) == 0)
		return true;
	if (n == 4)
		return strncmp(period, key, 4) == 0;
	return strcmp(key + 4, "-H2") == 0 && strlen(period) == 4 &&
	       strncmp(period, key, 4) == 0;
}

/* The latest entry of unit on task tid counting for key
 * (period_counts), or NULL. */
static const struct ctip_task_progress_row *
latest(const struct loaded *l, int64_t tid, int64_t unit, const char *key)
{
	const struct ctip_task_progress_row *best = NULL, *g;
	int i;

	for (i = 0; i < l->n_progress; i++) {
		g = &l->progress[i];
		if (g->task_id != tid || g->org_unit_id != unit)
			continue;
		if (!period_counts(g->period, key))
			continue;
		if (best == NULL ||
		    strcmp(g->reported_at, best->reported_at) > 0 ||
		    (strcmp(g->reported_at, best->reported_at) == 0 &&
		     g->id > best->id))
			best = g;
	}
	return best;
}

static const char *
unit_status(const struct loaded *l, int64_t tid, int64_t unit, const char *key)
{
	const struct ctip_task_progress_row *g = latest(l, tid, unit, key);

	return g != NULL ? g->status : "not_started";
}

/*
 * A task's status over its units: done when every lead unit is done (or,
 * for a task without a named lead unit, every unit that reported);
 * in_progress when any unit is at work or done; cannot_do when a unit
 * cannot do it and none is at work; not_started otherwise.
 */
static const char *
task_status(const struct loaded *l, int64_t tid, const char *key)
{
	int64_t seen[64];
	int n_seen = 0, n_lead = 0, n_lead_done = 0, n_done = 0, n_work = 0,
	    n_cannot = 0, i, j;
	const char *s;

	for (i = 0; i < l->n_units; i++) {
		const struct ctip_plan_task_unit_row *u = &l->units[i];

		if (u->task_id != tid || u->all_units ||
		    strcmp(u->role, "lead") != 0)
			continue;
		n_lead++;
		if (strcmp(unit_status(l, tid, u->org_unit_id, key), "done") ==
		    0)
			n_lead_done++;
	}
	for (i = 0; i < l->n_progress; i++) {
		const struct ctip_task_progress_row *g = &l->progress[i];

		if (g->task_id != tid)
			continue;
		for (j = 0; j < n_seen; j++)
			if (seen[j] == g->org_unit_id)
				break;
		if (j < n_seen || n_seen == (int)CTIP_NELEM(seen))
			continue;
		seen[n_seen++] = g->org_unit_id;
		s = unit_status(l, tid, g->org_unit_id, key);
		if (latest(l, tid, g->org_unit_id, key) == NULL)
			continue;
		if (strcmp(s, "done") == 0)
			n_done++;
		if (strcmp(s, "done") == 0 || strcmp(s, "in_progress") == 0)
			n_work++;
		if (strcmp(s, "cannot_do") == 0)
			n_cannot++;
	}
	if (n_lead > 0 ? n_lead_done == n_lead
		       : n_done > 0 && n_done == n_work && n_cannot == 0)
		return "done";
	if (n_work > 0)
		return "in_progress";
	if (n_cannot > 0)
		return "cannot_do";
	return "not_started";
}

static bool
settled(const char *status)
{
	return strcmp(status, "done") == 0 || strcmp(status, "cannot_do") == 0;
}

static bool
is_overdue(const struct due *d, const char *status, const char *today)
{
	return d->on[0] != '\0' && strcmp(d->on, today) < 0 && !settled(status);
}

/* ---- PLAN JSON -------------------------------------------------------- */

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
id_or_null(int64_t id)
{
	return id != 0 ? json_integer(id) : json_null();
}

static json_t *
timing_json(const struct ctip_plan_task_row *t)
{
	json_t *j = json_pack("{s:s}", "kind", t->timing);

	if (strcmp(t->timing, "once") == 0)
		json_object_set_new(j, "due_on", json_string(t->due_on));
	if (strcmp(t->timing, "yearly") == 0) {
		json_object_set_new(j, "from",
				    str_or_null(t->month_day_from != NULL
							? t->month_day_from
							: t->month_day_to));
		json_object_set_new(j, "to", json_string(t->month_day_to));
	}
	return j;
}

static json_t *
units_json(const struct loaded *l, int64_t tid, const char *role)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < l->n_units; i++) {
		const struct ctip_plan_task_unit_row *u = &l->units[i];

		if (u->task_id != tid || strcmp(u->role, role) != 0)
			continue;
		json_array_append_new(
			arr, json_pack("{s:o, s:o, s:b, s:o}", "unit_id",
				       id_or_null(u->org_unit_id), "unit_name",
				       str_or_null(u->unit_name), "all_units",
				       u->all_units, "phrase",
				       str_or_null(u->phrase)));
	}
	return arr;
}

/* The dates a period key covers (the statistical cut-off). */
static bool
period_range(struct ctip_period *out, const char *key)
{
	return ctip_period_parse(out, strlen(key) == 4 ? "year" : "half_year",
				 key, NULL) == CTIP_OK;
}

/* Whether period per (as period_range gives) meets plan r's period. By
 * the calendar's halves and years, not the statistical cut-off (which
 * starts a year on 15 December before): else a 2026 plan would take
 * progress for 2027-H1. */
static bool
period_in_plan(const struct ctip_period *per, const struct ctip_plan_row *r)
{
	char from[11], to[11];
	bool second = strlen(per->key) > 4 && per->no == 2;
	bool first = strlen(per->key) > 4 && per->no == 1;

	snprintf(from, sizeof(from), "%04d-%s", per->year,
		 second ? "07-01" : "01-01");
	snprintf(to, sizeof(to), "%04d-%s", per->year,
		 first ? "06-30" : "12-31");
	return strcmp(to, r->period_from) >= 0 &&
	       strcmp(from, r->period_to) <= 0;
}

static json_t *
progress_json(const struct loaded *l, const struct ctip_task_progress_row *g)
{
	json_t *acts = json_array(), *reps = json_array();
	struct ctip_period per;
	bool ranged = period_range(&per, g->period);
	int i;

	for (i = 0; i < l->n_acts; i++) {
		const struct ctip_plan_activity_row *x = &l->acts[i];

		if (x->task_id != g->task_id ||
		    x->org_unit_id != g->org_unit_id)
			continue;
		if (ranged && (strcmp(x->started_on, per.from) < 0 ||
			       strcmp(x->started_on, per.to) > 0))
			continue;
		json_array_append_new(
			acts,
			json_pack("{s:I, s:s, s:s, s:s, s:I}", "id",
				  (json_int_t)x->id, "kind", x->kind, "title",
				  x->title, "started_on", x->started_on,
				  "participants", (json_int_t)x->participants));
	}
	for (i = 0; i < l->n_reports; i++)
		if (l->reports[i].progress_id == g->id)
			json_array_append_new(
				reps, json_integer(l->reports[i].report_id));
	return json_pack(
		"{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:i, s:o, "
		"s:o}",
		"id", (json_int_t)g->id, "unit_id", (json_int_t)g->org_unit_id,
		"unit_name", g->unit_name, "period", g->period, "status",
		g->status, "reason", str_or_null(g->reason), "evidence",
		str_or_null(g->evidence), "reported_at", g->reported_at,
		"version", g->version, "activities", acts, "report_ids", reps);
}

/* The places that made a plan from task tid, and how many plans: of those
 * within p's own place (ctip_authz_within), as progress is shown. */
static json_t *
coverage_json(const struct loaded *l, const struct ctip_principal *p,
	      int64_t tid)
{
	json_t *places = json_array();
	int64_t last_plan = 0;
	int n_plans = 0, i;
	size_t k;

	for (i = 0; i < l->n_cov; i++) {
		const struct ctip_plan_coverage_row *c = &l->cov[i];
		bool have = false;

		if (c->source_task_id != tid ||
		    !ctip_authz_within(p, c->admin_code, c->province_code))
			continue;
		if (c->plan_id != last_plan)
			n_plans++;
		last_plan = c->plan_id;
		for (k = 0; k < json_array_size(places); k++)
			if (strcmp(json_string_value(json_array_get(places, k)),
				   c->admin_code) == 0)
				have = true;
		if (!have)
			json_array_append_new(places,
					      json_string(c->admin_code));
	}
	return json_pack("{s:i, s:o}", "plans", n_plans, "places", places);
}

/* Whether viewer p sees progress entry g in full: the entries of units
 * in its own scope (a commune unit: its commune's; a province unit: its
 * province's; national units: all). Others count in the task's status
 * only, as activities are seen (activity.c). */
static bool
progress_visible(const struct ctip_principal *p,
		 const struct ctip_task_progress_row *g)
{
	return ctip_authz_within(p, g->unit_admin_code, g->unit_province);
}

static enum ctip_status
plan_json(json_t **out, struct ctip_store *st, const struct loaded *l,
	  const struct ctip_principal *p, const char *today,
	  struct ctip_arena *a, struct ctip_err *err)
{
	const struct ctip_plan_row *r = &l->plan;
	json_t *j, *secs = json_array(), *tasks = json_array();
	enum ctip_status rc = CTIP_OK;
	struct due d;
	int i, k;

	for (i = 0; i < l->n_sections; i++) {
		const struct ctip_plan_section_row *s = &l->sections[i];

		json_array_append_new(
			secs, json_pack("{s:I, s:o, s:s, s:s}", "id",
					(json_int_t)s->id, "parent_id",
					id_or_null(s->parent_id), "number",
					s->number, "title", s->title));
	}
	for (i = 0; i < l->n_tasks && rc == CTIP_OK; i++) {
		const struct ctip_plan_task_row *t = &l->tasks[i];
		json_t *prog = json_array();
		const char *status;

		if ((rc = due_of(&d, st, r, t, today, a, err)) != CTIP_OK)
			break;
		for (k = 0; k < l->n_progress; k++)
			if (l->progress[k].task_id == t->id &&
			    progress_visible(p, &l->progress[k]))
				json_array_append_new(
					prog,
					progress_json(l, &l->progress[k]));
		status = task_status(l, t->id, d.key);
		json_array_append_new(
			tasks,
			json_pack("{s:I, s:o, s:s, s:s, s:o, s:o, s:o, s:o, "
				  "s:o, s:o, s:o, s:s, s:b, s:o}",
				  "id", (json_int_t)t->id, "section_id",
				  id_or_null(t->section_id), "number",
				  t->number, "text", t->text, "expected_output",
				  str_or_null(t->expected_output), "timing",
				  timing_json(t), "source_task_id",
				  id_or_null(t->source_task_id), "due_on",
				  d.on[0] != '\0' ? json_string(d.on)
						  : json_null(),
				  "lead", units_json(l, t->id, "lead"),
				  "coordinate",
				  units_json(l, t->id, "coordinate"),
				  "progress", prog, "status", status, "overdue",
				  is_overdue(&d, status, today), "coverage",
				  coverage_json(l, p, t->id)));
	}
	j = json_pack("{s:I, s:o, s:s, s:s, s:o, s:o, s:s, s:s, s:I, s:s, "
		      "s:s, s:i, s:o, s:o}",
		      "id", (json_int_t)r->id, "number", str_or_null(r->number),
		      "title", r->title, "issued_on", r->issued_on,
		      "legal_basis", str_or_null(r->legal_basis),
		      "parent_plan_id", id_or_null(r->parent_plan_id),
		      "period_from", r->period_from, "period_to", r->period_to,
		      "unit_id", (json_int_t)r->org_unit_id, "unit_name",
		      r->unit_name, "admin_code", r->admin_code, "version",
		      r->version, "sections", secs, "tasks", tasks);
	if (rc != CTIP_OK) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return CTIP_OK;
}

enum ctip_status
ctip_plan_get(json_t **out, const struct ctip_access *ax,
	      const struct ctip_principal *p, int64_t id, struct ctip_arena *a,
	      struct ctip_err *err)
{
	struct ctip_plan_row r;
	struct loaded l;
	char today[11];
	enum ctip_status rc;

	*out = NULL;
	if ((rc = visible_plan(&r, ax->st, p, id, a, err)) != CTIP_OK ||
	    (rc = load(&l, ax->st, &r, a, err)) != CTIP_OK)
		return rc;
	ctip_today(today);
	return plan_json(out, ax->st, &l, p, today, a, err);
}

/* How many tasks of l are overdue. */
static enum ctip_status
count_overdue(int *out, struct ctip_store *st, const struct loaded *l,
	      const char *today, struct ctip_arena *a, struct ctip_err *err)
{
	struct due d;
	enum ctip_status rc;
	int i;

	*out = 0;
	for (i = 0; i < l->n_tasks; i++) {
		if ((rc = due_of(&d, st, &l->plan, &l->tasks[i], today, a,
				 err)) != CTIP_OK)
			return rc;
		if (is_overdue(&d, task_status(l, l->tasks[i].id, d.key),
			       today))
			(*out)++;
	}
	return CTIP_OK;
}

enum ctip_status
ctip_plan_list(json_t **out, const struct ctip_access *ax,
	       const struct ctip_principal *p, struct ctip_arena *a,
	       struct ctip_err *err)
{
	struct ctip_plan_scope scope = { .level = p->level,
					 .admin_code = p->admin_code,
					 .province_code = p->province_code };
	struct ctip_plan_row *rows;
	struct loaded l;
	char today[11];
	json_t *items;
	int n, i, overdue;
	enum ctip_status rc;

	*out = NULL;
	if (!may_read(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see plans");
	if ((rc = ax->st->ops->plans->list(&rows, &n, ax->st, &scope, a,
					   err)) != CTIP_OK)
		return rc;
	ctip_today(today);
	items = json_array();
	for (i = 0; i < n; i++) {
		if (!in_scope(p, &rows[i]))
			continue;
		if ((rc = load(&l, ax->st, &rows[i], a, err)) != CTIP_OK ||
		    (rc = count_overdue(&overdue, ax->st, &l, today, a, err)) !=
			    CTIP_OK) {
			json_decref(items);
			return rc;
		}
		json_array_append_new(
			items,
			json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:o, s:I, "
				  "s:i}",
				  "id", (json_int_t)rows[i].id, "number",
				  str_or_null(rows[i].number), "title",
				  rows[i].title, "issued_on", rows[i].issued_on,
				  "unit_name", rows[i].unit_name, "admin_code",
				  rows[i].admin_code, "parent_plan_id",
				  id_or_null(rows[i].parent_plan_id), "tasks",
				  (json_int_t)rows[i].n_tasks, "overdue",
				  overdue));
	}
	*out = json_pack("{s:o}", "items", items);
	return CTIP_OK;
}

/* ---- input ------------------------------------------------------------ */

/* A plan to write, checked. */
struct draft_unit {
	int64_t unit_id;
	bool all_units;
	const char *agency; /* to find or create at the plan's place */
	const char *phrase;
};

struct draft_task {
	int section; /* index into sections, -1 for none */
	struct ctip_plan_task_row row;
	struct draft_unit *lead, *coord;
	int n_lead, n_coord;
};

/* Unit i of t's n_lead + n_coord, the leads first. */
static const struct draft_unit *
unit_at(const struct draft_task *t, int i)
{
	return i < t->n_lead ? &t->lead[i] : &t->coord[i - t->n_lead];
}

struct draft_section {
	const char *key;
	int parent; /* index, -1 for none */
	struct ctip_plan_section_row row;
};

struct draft {
	struct ctip_plan_row plan;
	struct draft_section *sections;
	int n_sections;
	struct draft_task *tasks;
	int n_tasks;
};

/* A string member key of o into *out (NULL when absent or null), checked
 * as text of at most max characters; field names it in errors. */
static enum ctip_status
get_str(const char **out, const json_t *o, const char *key, const char *field,
	size_t max, bool required, struct ctip_err *err)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v != NULL && !json_is_null(v) && !json_is_string(v))
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: a string is required", field);
	if (v != NULL && json_is_string(v))
		*out = json_string_value(v);
	if (ctip_text_check(*out, max, required, field, err) != CTIP_OK)
		return CTIP_EINVAL;
	if (*out != NULL && ctip_text_blank(*out))
		*out = NULL;
	return CTIP_OK;
}

static enum ctip_status
get_date(const char **out, const json_t *o, const char *key, const char *field,
	 struct ctip_err *err)
{
	const json_t *v = json_object_get(o, key);

	*out = json_is_string(v) ? json_string_value(v) : NULL;
	if (*out == NULL || !ctip_date_valid(*out))
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: a date yyyy-mm-dd is required",
				      field);
	return CTIP_OK;
}

/* An optional positive id member: *out 0 when absent or null. */
static enum ctip_status
get_id(int64_t *out, const json_t *o, const char *key, const char *field,
       struct ctip_err *err)
{
	const json_t *v = json_object_get(o, key);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return CTIP_OK;
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: an id is required", field);
	*out = json_integer_value(v);
	return CTIP_OK;
}

/* The timing object v into t's timing columns; prefix names the field. */
static enum ctip_status
get_timing(struct ctip_plan_task_row *t, const json_t *v, const char *field,
	   struct ctip_err *err)
{
	const char *kind, *due, *from, *to;

	t->due_on = t->month_day_from = t->month_day_to = NULL;
	kind = json_string_value(json_object_get(v, "kind"));
	if (!json_is_object(v) || kind == NULL || !ctip_one_of(kind, timings))
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: {\"kind\": once, continuous, "
				      "yearly, half_year or year} is required",
				      field);
	t->timing = kind;
	if (strcmp(kind, "once") == 0) {
		due = json_string_value(json_object_get(v, "due_on"));
		if (due == NULL || !ctip_date_valid(due))
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s: a task done once needs "
					      "due_on, a date yyyy-mm-dd",
					      field);
		t->due_on = due;
	} else if (strcmp(kind, "yearly") == 0) {
		from = json_string_value(json_object_get(v, "from"));
		to = json_string_value(json_object_get(v, "to"));
		if (!month_day_valid(from) || !month_day_valid(to))
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s: a yearly task needs from "
					      "and to, days MM-DD",
					      field);
		t->month_day_from = from;
		t->month_day_to = to;
	}
	return CTIP_OK;
}

/* The unit list member key of o (lead or coordinate). */
/* Whether org unit u is at place (an admin code) or below it. */
static bool
unit_below(const struct ctip_org_unit_row *u, const char *place)
{
	return strcmp(place, "VN") == 0 || strcmp(u->admin_code, place) == 0 ||
	       (u->province_code != NULL &&
		strcmp(u->province_code, place) == 0);
}

static enum ctip_status
get_units(struct draft_unit **out, int *n_out, struct ctip_store *st,
	  const char *place, const json_t *o, const char *key,
	  const char *prefix, bool required, struct ctip_arena *a,
	  struct ctip_err *err)
{
	const json_t *arr = json_object_get(o, key), *u, *all;
	struct ctip_org_unit_row unit;
	char field[64];
	struct ctip_err e2 = { 0 };
	enum ctip_status rc;
	bool known;
	size_t i;

	*out = NULL;
	*n_out = 0;
	snprintf(field, sizeof(field), "%s%s", prefix, key);
	if (arr != NULL && !json_is_null(arr) && !json_is_array(arr))
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: a list of units is required", field);
	if (required && json_array_size(arr) == 0)
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: at least one lead unit is required",
				      field);
	if (json_array_size(arr) > CTIP_PLAN_MAX_UNITS)
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: at most %d units", field,
				      CTIP_PLAN_MAX_UNITS);
	if (json_array_size(arr) == 0)
		return CTIP_OK;
	*out = ctip_arena_alloc(a, json_array_size(arr) * sizeof(**out));
	if (*out == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "plan too large");
	json_array_foreach(arr, i, u)
	{
		struct draft_unit *d = &(*out)[i];
		const char *phrase;

		memset(d, 0, sizeof(*d));
		snprintf(field, sizeof(field), "%s%s[%zu]", prefix, key, i);
		if (!json_is_object(u))
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s: {\"unit_id\"}, "
					      "{\"all_units\": true} or "
					      "{\"agency\"} is required",
					      field);
		if (get_str(&phrase, u, "phrase", field, 500, false, err) !=
		    CTIP_OK)
			return CTIP_EINVAL;
		d->phrase = phrase;
		all = json_object_get(u, "all_units");
		if (all != NULL && !json_is_null(all) && !json_is_boolean(all))
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s.all_units: true or false",
					      field);
		if (json_is_true(all)) {
			d->all_units = true;
		} else if (json_object_get(u, "unit_id") != NULL &&
			   !json_is_null(json_object_get(u, "unit_id"))) {
			if (get_id(&d->unit_id, u, "unit_id", field, err) !=
			    CTIP_OK)
				return CTIP_EINVAL;
			rc = st->ops->org_unit_get(&unit, st, d->unit_id, a,
						   &e2);
			if (rc == CTIP_ENOTFOUND)
				return ctip_err_field(err, CTIP_EINVAL, field,
						      "%s: no org unit %lld",
						      field,
						      (long long)d->unit_id);
			if (rc != CTIP_OK)
				return ctip_err_set(err, rc, "%s", e2.msg);
			/* A plan assigns its own place's units and those
			 * below it. */
			if (!unit_below(&unit, place))
				return ctip_err_field(err, CTIP_EINVAL, field,
						      "%s: org unit %lld is "
						      "not at the plan's "
						      "place or below it",
						      field,
						      (long long)d->unit_id);
		} else if (json_is_string(json_object_get(u, "agency"))) {
			d->agency =
				json_string_value(json_object_get(u, "agency"));
			if ((rc = st->ops->ref_exists(
				     &known, st, CTIP_REF_AGENCY, d->agency,
				     err)) != CTIP_OK)
				return rc;
			if (!known)
				return ctip_err_field(err, CTIP_EINVAL, field,
						      "%s: unknown agency "
						      "\"%s\"",
						      field, d->agency);
		} else {
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s: {\"unit_id\"}, "
					      "{\"all_units\": true} or "
					      "{\"agency\"} is required",
					      field);
		}
	}
	*n_out = (int)json_array_size(arr);
	return CTIP_OK;
}

/* Whether x and y name the same unit: one org unit, one agency at the
 * plan's place, or every unit. */
static bool
same_unit(const struct draft_unit *x, const struct draft_unit *y)
{
	if (x->all_units || y->all_units)
		return x->all_units && y->all_units;
	if (x->agency != NULL || y->agency != NULL)
		return x->agency != NULL && y->agency != NULL &&
		       strcmp(x->agency, y->agency) == 0;
	return x->unit_id == y->unit_id;
}

/* A unit listed twice in t's lead and coordinating units (which one
 * does it play?) is an error naming its second place. */
static enum ctip_status
units_once(const struct draft_task *t, const char *prefix, struct ctip_err *err)
{
	int n = t->n_lead + t->n_coord, i, k;

	for (i = 1; i < n; i++)
		for (k = 0; k < i; k++) {
			char field[64];

			if (!same_unit(unit_at(t, i), unit_at(t, k)))
				continue;
			snprintf(field, sizeof(field), "%s%s[%d]", prefix,
				 i < t->n_lead ? "lead" : "coordinate",
				 i < t->n_lead ? i : i - t->n_lead);
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s: the unit is listed twice "
					      "for the task",
					      field);
		}
	return CTIP_OK;
}

/* The task fields of v (text, expected_output, timing, lead,
 * coordinate) into t; prefix ("tasks[2]." or "") names the fields. */
static enum ctip_status
get_task_body(struct draft_task *t, struct ctip_store *st, const char *place,
	      const json_t *v, const char *prefix, struct ctip_arena *a,
	      struct ctip_err *err)
{
	char field[64];

	snprintf(field, sizeof(field), "%stext", prefix);
	if (get_str(&t->row.text, v, "text", field, 4000, true, err) != CTIP_OK)
		return CTIP_EINVAL;
	snprintf(field, sizeof(field), "%sexpected_output", prefix);
	if (get_str(&t->row.expected_output, v, "expected_output", field, 2000,
		    false, err) != CTIP_OK)
		return CTIP_EINVAL;
	snprintf(field, sizeof(field), "%stiming", prefix);
	if (get_timing(&t->row, json_object_get(v, "timing"), field, err) !=
	    CTIP_OK)
		return CTIP_EINVAL;
	if (get_units(&t->lead, &t->n_lead, st, place, v, "lead", prefix, true,
		      a, err) != CTIP_OK ||
	    get_units(&t->coord, &t->n_coord, st, place, v, "coordinate",
		      prefix, false, a, err) != CTIP_OK)
		return err->code;
	return units_once(t, prefix, err);
}

/* Index of section key in d, -1 if none. */
static int
section_index(const struct draft *d, const char *key, int before)
{
	int i;

	for (i = 0; i < before; i++)
		if (strcmp(d->sections[i].key, key) == 0)
			return i;
	return -1;
}

/* Whether task tid is one of parent's. */
static bool
task_of(const struct ctip_plan_task_row *tasks, int n, int64_t tid)
{
	int i;

	for (i = 0; i < n; i++)
		if (tasks[i].id == tid)
			return true;
	return false;
}

/* The header fields of a plan (number, title, issued_on, period). */
static enum ctip_status
get_header(struct ctip_plan_row *r, const json_t *in, struct ctip_err *err)
{
	char today[11];

	if (get_str(&r->number, in, "number", "number", 100, false, err) !=
		    CTIP_OK ||
	    get_str(&r->title, in, "title", "title", 500, true, err) !=
		    CTIP_OK ||
	    get_date(&r->issued_on, in, "issued_on", "issued_on", err) !=
		    CTIP_OK ||
	    get_date(&r->period_from, in, "period_from", "period_from", err) !=
		    CTIP_OK ||
	    get_date(&r->period_to, in, "period_to", "period_to", err) !=
		    CTIP_OK)
		return CTIP_EINVAL;
	if (strcmp(r->period_to, r->period_from) < 0)
		return ctip_err_field(err, CTIP_EINVAL, "period_to",
				      "period_to: before period_from");
	/* A plan is entered once signed, and no earlier than the years
	 * progress can be reported for (the periods of 2000 on). */
	ctip_today(today);
	if (strcmp(r->issued_on, today) > 0)
		return ctip_err_field(err, CTIP_EINVAL, "issued_on",
				      "issued_on: after today (%s)", today);
	if (strcmp(r->issued_on, "2000-01-01") < 0)
		return ctip_err_field(err, CTIP_EINVAL, "issued_on",
				      "issued_on: before 2000-01-01");
	return CTIP_OK;
}

/* The parent plan of a new plan of p: one p sees, of a level above. */
static enum ctip_status
check_parent(struct ctip_plan_row *out, struct ctip_store *st,
	     const struct ctip_principal *p, int64_t id, struct ctip_arena *a,
	     struct ctip_err *err)
{
	enum ctip_status rc = visible_plan(out, st, p, id, a, err);

	if (rc == CTIP_ENOTFOUND)
		return ctip_err_field(err, CTIP_EINVAL, "parent_plan_id",
				      "parent_plan_id: no plan %lld",
				      (long long)id);
	if (rc != CTIP_OK)
		return rc;
	if (!is_above(p, out))
		return ctip_err_field(err, CTIP_EINVAL, "parent_plan_id",
				      "parent_plan_id: plan %lld is not of a "
				      "level above yours",
				      (long long)id);
	return CTIP_OK;
}

/* Fill the place and authorship of a new plan of p. */
static void
plan_of(struct ctip_plan_row *r, const struct ctip_principal *p,
	const char *now)
{
	r->org_unit_id = p->unit_id;
	r->admin_code = p->admin_code;
	r->province_code =
		p->province_code[0] != '\0' ? p->province_code : NULL;
	r->created_by = p->user_id;
	r->created_at = now;
	r->updated_at = now;
}

static enum ctip_status
parse_create(struct draft *d, struct ctip_store *st,
	     const struct ctip_principal *p, const json_t *in,
	     struct ctip_arena *a, struct ctip_err *err)
{
	const json_t *secs = json_object_get(in, "sections"),
		     *tasks = json_object_get(in, "tasks"), *v;
	struct ctip_plan_row parent;
	struct ctip_plan_task_row *ptasks = NULL;
	int n_ptasks = 0;
	char field[64];
	enum ctip_status rc;
	size_t i;

	if (!json_is_object(in))
		return ctip_err_set(err, CTIP_EINVAL,
				    "a JSON object is required");
	if ((rc = get_header(&d->plan, in, err)) != CTIP_OK ||
	    (rc = get_str(&d->plan.legal_basis, in, "legal_basis",
			  "legal_basis", 2000, false, err)) != CTIP_OK ||
	    (rc = get_id(&d->plan.parent_plan_id, in, "parent_plan_id",
			 "parent_plan_id", err)) != CTIP_OK)
		return rc;
	if (d->plan.parent_plan_id != 0 &&
	    ((rc = check_parent(&parent, st, p, d->plan.parent_plan_id, a,
				err)) != CTIP_OK ||
	     (rc = st->ops->plans->tasks(&ptasks, &n_ptasks, st,
					 d->plan.parent_plan_id, a, err)) !=
		     CTIP_OK))
		return rc;
	if (secs != NULL && !json_is_null(secs) && !json_is_array(secs))
		return ctip_err_field(err, CTIP_EINVAL, "sections",
				      "sections: a list is required");
	if (json_array_size(secs) > CTIP_PLAN_MAX_SECTIONS)
		return ctip_err_field(err, CTIP_EINVAL, "sections",
				      "sections: at most %d",
				      CTIP_PLAN_MAX_SECTIONS);
	if (!json_is_array(tasks) || json_array_size(tasks) == 0)
		return ctip_err_field(err, CTIP_EINVAL, "tasks",
				      "tasks: at least one task is required");
	if (json_array_size(tasks) > CTIP_PLAN_MAX_TASKS)
		return ctip_err_field(err, CTIP_EINVAL, "tasks",
				      "tasks: at most %d", CTIP_PLAN_MAX_TASKS);
	d->n_sections = (int)json_array_size(secs);
	d->n_tasks = (int)json_array_size(tasks);
	d->sections = ctip_arena_alloc(a, (size_t)(d->n_sections + 1) *
						  sizeof(*d->sections));
	d->tasks = ctip_arena_alloc(a, (size_t)d->n_tasks * sizeof(*d->tasks));
	if (d->sections == NULL || d->tasks == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "plan too large");
	json_array_foreach(secs, i, v)
	{
		struct draft_section *s = &d->sections[i];
		const char *parent_key;

		memset(s, 0, sizeof(*s));
		snprintf(field, sizeof(field), "sections[%zu]", i);
		if (!json_is_object(v))
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s: an object is required",
					      field);
		snprintf(field, sizeof(field), "sections[%zu].key", i);
		if (get_str(&s->key, v, "key", field, 100, true, err) !=
		    CTIP_OK)
			return CTIP_EINVAL;
		if (section_index(d, s->key, (int)i) >= 0)
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s: \"%s\" is used twice", field,
					      s->key);
		snprintf(field, sizeof(field), "sections[%zu].number", i);
		if (get_str(&s->row.number, v, "number", field, 50, false,
			    err) != CTIP_OK)
			return CTIP_EINVAL;
		if (s->row.number == NULL)
			s->row.number = "";
		snprintf(field, sizeof(field), "sections[%zu].title", i);
		if (get_str(&s->row.title, v, "title", field, 1000, true,
			    err) != CTIP_OK)
			return CTIP_EINVAL;
		snprintf(field, sizeof(field), "sections[%zu].parent", i);
		if (get_str(&parent_key, v, "parent", field, 100, false, err) !=
		    CTIP_OK)
			return CTIP_EINVAL;
		s->parent = parent_key == NULL
				    ? -1
				    : section_index(d, parent_key, (int)i);
		if (parent_key != NULL && s->parent < 0)
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s: no section \"%s\" before "
					      "this one",
					      field, parent_key);
		s->row.seq = (int)i + 1;
	}
	json_array_foreach(tasks, i, v)
	{
		struct draft_task *t = &d->tasks[i];
		const char *key, *number;
		char prefix[32];

		memset(t, 0, sizeof(*t));
		snprintf(prefix, sizeof(prefix), "tasks[%zu].", i);
		snprintf(field, sizeof(field), "tasks[%zu]", i);
		if (!json_is_object(v))
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s: an object is required",
					      field);
		snprintf(field, sizeof(field), "%ssection", prefix);
		if (get_str(&key, v, "section", field, 100, false, err) !=
		    CTIP_OK)
			return CTIP_EINVAL;
		t->section =
			key == NULL ? -1 : section_index(d, key, d->n_sections);
		if (key != NULL && t->section < 0)
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s: no section \"%s\"", field,
					      key);
		snprintf(field, sizeof(field), "%snumber", prefix);
		if (get_str(&number, v, "number", field, 50, false, err) !=
		    CTIP_OK)
			return CTIP_EINVAL;
		t->row.number = number != NULL ? number : "";
		t->row.seq = (int)i + 1;
		snprintf(field, sizeof(field), "%ssource_task_id", prefix);
		if (get_id(&t->row.source_task_id, v, "source_task_id", field,
			   err) != CTIP_OK)
			return CTIP_EINVAL;
		if (t->row.source_task_id != 0 &&
		    !task_of(ptasks, n_ptasks, t->row.source_task_id))
			return ctip_err_field(err, CTIP_EINVAL, field,
					      "%s: task %lld is not a task of "
					      "the parent plan",
					      field,
					      (long long)t->row.source_task_id);
		if ((rc = get_task_body(t, st, p->admin_code, v, prefix, a,
					err)) != CTIP_OK)
			return rc;
	}
	return CTIP_OK;
}

/* The org unit id of u at the plan's place (created for an agency). */
static enum ctip_status
unit_id_of(int64_t *out, struct ctip_store *st, const struct draft_unit *u,
	   const char *admin_code, const char *now, struct ctip_err *err)
{
	*out = u->unit_id;
	if (u->agency == NULL || u->all_units)
		return CTIP_OK;
	return ctip_org_ensure(out, st, u->agency, admin_code, now, err);
}

static enum ctip_status
write_units(struct ctip_store *st, int64_t tid, const struct draft_task *t,
	    const char *admin_code, const char *now, struct ctip_err *err)
{
	struct ctip_plan_task_unit_row row;
	enum ctip_status rc = CTIP_OK;
	int i;

	for (i = 0; i < t->n_lead + t->n_coord && rc == CTIP_OK; i++) {
		const struct draft_unit *u = unit_at(t, i);

		memset(&row, 0, sizeof(row));
		row.task_id = tid;
		row.role = i < t->n_lead ? "lead" : "coordinate";
		row.all_units = u->all_units;
		row.phrase = u->phrase;
		rc = unit_id_of(&row.org_unit_id, st, u, admin_code, now, err);
		if (rc == CTIP_OK)
			rc = st->ops->plans->task_unit_insert(st, &row, err);
	}
	return rc;
}

/* Write draft d, its audit entry (action) and commit, in one
 * transaction. */
static enum ctip_status
write_draft(int64_t *id_out, const struct ctip_access *ax,
	    const struct ctip_principal *p, struct draft *d, const char *action,
	    struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_store *st = ax->st;
	const struct ctip_plan_ops *o = st->ops->plans;
	int64_t *sec_ids, tid;
	enum ctip_status rc;
	int i;

	sec_ids = ctip_arena_alloc(a, (size_t)(d->n_sections + 1) *
					      sizeof(*sec_ids));
	if (sec_ids == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "plan too large");
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	rc = o->insert(id_out, st, &d->plan, err);
	for (i = 0; i < d->n_sections && rc == CTIP_OK; i++) {
		struct draft_section *s = &d->sections[i];

		s->row.plan_id = *id_out;
		s->row.parent_id = s->parent >= 0 ? sec_ids[s->parent] : 0;
		rc = o->section_insert(&sec_ids[i], st, &s->row, err);
	}
	for (i = 0; i < d->n_tasks && rc == CTIP_OK; i++) {
		struct draft_task *t = &d->tasks[i];

		t->row.plan_id = *id_out;
		t->row.section_id = t->section >= 0 ? sec_ids[t->section] : 0;
		rc = o->task_insert(&tid, st, &t->row, err);
		if (rc == CTIP_OK)
			rc = write_units(st, tid, t, d->plan.admin_code,
					 d->plan.created_at, err);
	}
	if (rc == CTIP_OK)
		rc = ctip_audit_change(ax->st, ax->kr, p, action, "plan",
				       *id_out, NULL, err);
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK) {
		st->ops->rollback(st);
		*id_out = 0;
	}
	return rc;
}

enum ctip_status
ctip_plan_create(int64_t *id_out, const struct ctip_access *ax,
		 const struct ctip_principal *p, const json_t *in,
		 struct ctip_arena *a, struct ctip_err *err)
{
	struct draft d;
	char now[24];
	enum ctip_status rc;

	*id_out = 0;
	if (!may_write(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not create plans");
	memset(&d, 0, sizeof(d));
	if ((rc = parse_create(&d, ax->st, p, in, a, err)) != CTIP_OK)
		return rc;
	ctip_now(now);
	plan_of(&d.plan, p, now);
	return write_draft(id_out, ax, p, &d, "plan.create", a, err);
}

enum ctip_status
ctip_plan_cascade(int64_t *id_out, const struct ctip_access *ax,
		  const struct ctip_principal *p, int64_t id, const json_t *in,
		  struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_store *st = ax->st;
	struct ctip_plan_row up;
	struct loaded l;
	struct draft d;
	struct draft_unit *own;
	const json_t *ids = json_object_get(in, "task_ids"), *v;
	char now[24];
	enum ctip_status rc;
	size_t i;
	int k, s;

	*id_out = 0;
	if ((rc = visible_plan(&up, st, p, id, a, err)) != CTIP_OK)
		return rc;
	if (!may_write(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not create plans");
	if (!is_above(p, &up))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "plan %lld is not of a level above yours",
				    (long long)id);
	memset(&d, 0, sizeof(d));
	if (!json_is_object(in))
		return ctip_err_set(err, CTIP_EINVAL,
				    "a JSON object is required");
	if ((rc = get_header(&d.plan, in, err)) != CTIP_OK)
		return rc;
	if (!json_is_array(ids) || json_array_size(ids) == 0 ||
	    json_array_size(ids) > CTIP_PLAN_MAX_TASKS)
		return ctip_err_field(err, CTIP_EINVAL, "task_ids",
				      "task_ids: a list of the tasks to take "
				      "over is required");
	if ((rc = load(&l, st, &up, a, err)) != CTIP_OK)
		return rc;
	d.n_sections = l.n_sections;
	d.sections = ctip_arena_alloc(a, (size_t)(l.n_sections + 1) *
						 sizeof(*d.sections));
	d.tasks = ctip_arena_alloc(a, json_array_size(ids) * sizeof(*d.tasks));
	own = ctip_arena_alloc(a, sizeof(*own));
	if (d.sections == NULL || d.tasks == NULL || own == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "plan too large");
	memset(own, 0, sizeof(*own));
	own->unit_id = p->unit_id;
	for (s = 0; s < l.n_sections; s++) {
		memset(&d.sections[s], 0, sizeof(d.sections[s]));
		d.sections[s].key = "";
		d.sections[s].parent = -1;
		for (k = 0; k < s; k++)
			if (l.sections[k].id == l.sections[s].parent_id)
				d.sections[s].parent = k;
		d.sections[s].row.seq = s + 1;
		d.sections[s].row.number = l.sections[s].number;
		d.sections[s].row.title = l.sections[s].title;
	}
	json_array_foreach(ids, i, v)
	{
		struct draft_task *t = &d.tasks[i];
		int64_t tid = json_is_integer(v) ? json_integer_value(v) : 0;

		for (k = 0; k < l.n_tasks; k++)
			if (l.tasks[k].id == tid)
				break;
		if (k == l.n_tasks)
			return ctip_err_field(err, CTIP_EINVAL, "task_ids",
					      "task_ids: %lld is not a task of "
					      "plan %lld",
					      (long long)tid, (long long)id);
		for (s = 0; s < (int)i; s++)
			if (d.tasks[s].row.source_task_id == tid)
				return ctip_err_field(
					err, CTIP_EINVAL, "task_ids",
					"task_ids: %lld is listed "
					"twice",
					(long long)tid);
		memset(t, 0, sizeof(*t));
		t->row = l.tasks[k];
		t->row.id = 0;
		t->row.seq = (int)i + 1;
		t->row.source_task_id = tid;
		t->section = -1;
		for (s = 0; s < l.n_sections; s++)
			if (l.sections[s].id == l.tasks[k].section_id)
				t->section = s;
		t->lead = own;
		t->n_lead = 1;
	}
	d.n_tasks = (int)json_array_size(ids);
	ctip_now(now);
	plan_of(&d.plan, p, now);
	d.plan.parent_plan_id = id;
	d.plan.legal_basis = NULL;
	return write_draft(id_out, ax, p, &d, "plan.cascade", a, err);
}

/* Task tid of loaded plan l, or NULL. */
static const struct ctip_plan_task_row *
task_in(const struct loaded *l, int64_t tid)
{
	int i;

	for (i = 0; i < l->n_tasks; i++)
		if (l->tasks[i].id == tid)
			return &l->tasks[i];
	return NULL;
}

enum ctip_status
ctip_plan_task_update(const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id, int64_t tid,
		      const json_t *in, struct ctip_arena *a,
		      struct ctip_err *err)
{
	struct ctip_store *st = ax->st;
	struct ctip_plan_row r;
	struct ctip_plan_task_row *tasks;
	struct draft_task t;
	const json_t *ver = json_object_get(in, "version");
	char now[24];
	enum ctip_status rc;
	int n, i;

	if ((rc = visible_plan(&r, st, p, id, a, err)) != CTIP_OK ||
	    (rc = st->ops->plans->tasks(&tasks, &n, st, id, a, err)) != CTIP_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (tasks[i].id == tid)
			break;
	if (i == n)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "no task %lld in plan %lld", (long long)tid,
				    (long long)id);
	if (!may_write(p) || r.org_unit_id != p->unit_id)
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "only the unit that issued plan %lld may "
				    "change its tasks",
				    (long long)id);
	if (!json_is_object(in))
		return ctip_err_set(err, CTIP_EINVAL,
				    "a JSON object is required");
	if (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
	    json_integer_value(ver) > INT32_MAX)
		return ctip_err_field(err, CTIP_EINVAL, "version",
				      "version: the version you saw is "
				      "required");
	memset(&t, 0, sizeof(t));
	t.row = tasks[i];
	if ((rc = get_task_body(&t, st, r.admin_code, in, "", a, err)) !=
	    CTIP_OK)
		return rc;
	ctip_now(now);
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	rc = st->ops->plans->touch(st, id, (int)json_integer_value(ver), now,
				   err);
	if (rc == CTIP_OK)
		rc = st->ops->plans->task_update(st, &t.row, err);
	if (rc == CTIP_OK)
		rc = st->ops->plans->task_units_clear(st, tid, err);
	if (rc == CTIP_OK)
		rc = write_units(st, tid, &t, r.admin_code, now, err);
	if (rc == CTIP_OK)
		rc = ctip_audit_change(ax->st, ax->kr, p, "plan.task.update",
				       "plan_task", tid, NULL, err);
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK)
		st->ops->rollback(st);
	return rc;
}

/* ---- progress --------------------------------------------------------- */

/* Whether p's unit answers for task tid of l: named on it, any unit of
 * the plan's place for an all-units task, or the issuing unit. */
static bool
answers_for(const struct loaded *l, const struct ctip_principal *p, int64_t tid)
{
	int i;

	if (l->plan.org_unit_id == p->unit_id)
		return true;
	for (i = 0; i < l->n_units; i++) {
		const struct ctip_plan_task_unit_row *u = &l->units[i];

		if (u->task_id != tid)
			continue;
		if (!u->all_units && u->org_unit_id == p->unit_id)
			return true;
		if (u->all_units &&
		    strcmp(l->plan.admin_code, p->admin_code) == 0)
			return true;
	}
	return false;
}

/* Whether report r lies in p's scope. */
static bool
report_in_scope(const struct ctip_principal *p, const struct ctip_report_rec *r)
{
	if (strcmp(p->level, "nation") == 0 ||
	    strcmp(r->place_code, p->admin_code) == 0)
		return true;
	return strcmp(p->level, "province") == 0 && r->province_code != NULL &&
	       strcmp(r->province_code, p->province_code) == 0;
}

/* The ids of list member key of in (at most 200), checked positive. */
static enum ctip_status
get_ids(int64_t **out, int *n_out, const json_t *in, const char *key,
	struct ctip_arena *a, struct ctip_err *err)
{
	const json_t *arr = json_object_get(in, key), *v;
	size_t i;

	*out = NULL;
	*n_out = 0;
	if (arr == NULL || json_is_null(arr))
		return CTIP_OK;
	if (!json_is_array(arr) || json_array_size(arr) > 200)
		return ctip_err_field(err, CTIP_EINVAL, key,
				      "%s: a list of at most 200 ids", key);
	*out = ctip_arena_alloc(a, (json_array_size(arr) + 1) * sizeof(**out));
	if (*out == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "too many ids");
	json_array_foreach(arr, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return ctip_err_field(err, CTIP_EINVAL, key,
					      "%s: ids are positive whole "
					      "numbers",
					      key);
		(*out)[i] = json_integer_value(v);
	}
	*n_out = (int)json_array_size(arr);
	return CTIP_OK;
}

enum ctip_status
ctip_plan_progress(const struct ctip_access *ax, const struct ctip_principal *p,
		   int64_t id, int64_t tid, const json_t *in,
		   struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_store *st = ax->st;
	struct ctip_plan_row r;
	struct loaded l;
	struct ctip_task_progress_row g;
	struct ctip_period per;
	struct ctip_activity act;
	struct ctip_report_rec rep;
	struct ctip_err e2 = { 0 };
	const json_t *ver = json_object_get(in, "version");
	int64_t *acts, *reps, pid;
	int n_acts, n_reps, i;
	char now[24];
	enum ctip_status rc;

	if ((rc = visible_plan(&r, st, p, id, a, err)) != CTIP_OK ||
	    (rc = load(&l, st, &r, a, err)) != CTIP_OK)
		return rc;
	if (task_in(&l, tid) == NULL)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "no task %lld in plan %lld", (long long)tid,
				    (long long)id);
	if (!may_report(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not report progress");
	if (!answers_for(&l, p, tid))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your unit is not named on task %lld",
				    (long long)tid);
	if (!json_is_object(in))
		return ctip_err_set(err, CTIP_EINVAL,
				    "a JSON object is required");
	memset(&g, 0, sizeof(g));
	g.task_id = tid;
	g.org_unit_id = p->unit_id;
	g.period = json_string_value(json_object_get(in, "period"));
	if (g.period == NULL || !period_range(&per, g.period))
		return ctip_err_field(err, CTIP_EINVAL, "period",
				      "period: a half year (2026-H1) or a year "
				      "(2026) is required");
	if (!period_in_plan(&per, &r))
		return ctip_err_field(err, CTIP_EINVAL, "period",
				      "period: %s is outside the plan's "
				      "period, %s to %s",
				      g.period, r.period_from, r.period_to);
	g.status = json_string_value(json_object_get(in, "status"));
	if (g.status == NULL || !ctip_one_of(g.status, statuses))
		return ctip_err_field(err, CTIP_EINVAL, "status",
				      "status: one of not_started, "
				      "in_progress, done, cannot_do");
	if (get_str(&g.reason, in, "reason", "reason", 2000, false, err) !=
		    CTIP_OK ||
	    get_str(&g.evidence, in, "evidence", "evidence", 4000, false,
		    err) != CTIP_OK)
		return CTIP_EINVAL;
	if (strcmp(g.status, "cannot_do") == 0 && g.reason == NULL)
		return ctip_err_field(err, CTIP_EINVAL, "reason",
				      "reason: required when the task cannot "
				      "be done");
	if (!json_is_integer(ver) || json_integer_value(ver) < 0 ||
	    json_integer_value(ver) > INT32_MAX)
		return ctip_err_field(err, CTIP_EINVAL, "version",
				      "version: the version you saw is "
				      "required (0 for a first entry)");
	g.version = (int)json_integer_value(ver);
	if ((rc = get_ids(&acts, &n_acts, in, "activity_ids", a, err)) !=
		    CTIP_OK ||
	    (rc = get_ids(&reps, &n_reps, in, "report_ids", a, err)) != CTIP_OK)
		return rc;
	for (i = 0; i < n_acts; i++) {
		rc = ctip_activity_get(&act, ax, p, acts[i], a, &e2);
		if (rc == CTIP_ENOTFOUND)
			return ctip_err_field(err, CTIP_EINVAL, "activity_ids",
					      "activity_ids: no activity %lld "
					      "in your scope",
					      (long long)acts[i]);
		if (rc != CTIP_OK)
			return ctip_err_set(err, rc, "%s", e2.msg);
		/* Only the unit that recorded an activity links it. */
		if (act.org_unit_id != p->unit_id)
			return ctip_err_field(err, CTIP_EINVAL, "activity_ids",
					      "activity_ids: activity %lld was "
					      "recorded by another unit",
					      (long long)acts[i]);
	}
	for (i = 0; i < n_reps; i++) {
		rc = st->ops->reports->get_id(&rep, st, reps[i], a, &e2);
		if (rc == CTIP_OK && !report_in_scope(p, &rep))
			rc = CTIP_ENOTFOUND;
		if (rc == CTIP_ENOTFOUND)
			return ctip_err_field(err, CTIP_EINVAL, "report_ids",
					      "report_ids: no report %lld in "
					      "your scope",
					      (long long)reps[i]);
		if (rc != CTIP_OK)
			return ctip_err_set(err, rc, "%s", e2.msg);
	}
	ctip_now(now);
	g.reported_by = p->user_id;
	g.reported_at = now;
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	rc = st->ops->plans->progress_save(&pid, st, &g, reps, n_reps, err);
	for (i = 0; i < n_acts && rc == CTIP_OK; i++)
		rc = st->ops->plans->activity_link(st, acts[i], tid, err);
	if (rc == CTIP_OK)
		rc = ctip_audit_change(ax->st, ax->kr, p, "plan.progress",
				       "plan_task", tid, NULL, err);
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK)
		st->ops->rollback(st);
	return rc;
}

/* ---- roll-up and due list --------------------------------------------- */

struct counts {
	int tasks, not_started, in_progress, done, cannot_do, overdue;
};

static void
count(struct counts *c, const char *status, bool overdue)
{
	c->tasks++;
	if (strcmp(status, "done") == 0)
		c->done++;
	else if (strcmp(status, "in_progress") == 0)
		c->in_progress++;
	else if (strcmp(status, "cannot_do") == 0)
		c->cannot_do++;
	else
		c->not_started++;
	if (overdue)
		c->overdue++;
}

static json_t *
counts_json(json_t *j, const struct counts *c)
{
	json_object_update_new(
		j, json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "tasks",
			     c->tasks, "not_started", c->not_started,
			     "in_progress", c->in_progress, "done", c->done,
			     "cannot_do", c->cannot_do, "overdue", c->overdue));
	return j;
}

/* Whether unit (at admin_code) leads task tid of l: named as a lead
 * unit, or of the plan's place when all its units lead (as answers_for). */
static bool
unit_leads(const struct loaded *l, int64_t tid, int64_t unit,
	   const char *admin_code)
{
	const struct ctip_plan_task_unit_row *u;
	int i;

	for (i = 0; i < l->n_units; i++) {
		u = &l->units[i];
		if (u->task_id != tid || strcmp(u->role, "lead") != 0)
			continue;
		if (u->all_units ? strcmp(l->plan.admin_code, admin_code) == 0
				 : u->org_unit_id == unit)
			return true;
	}
	return false;
}

/* Whether unit is on task tid of l (named, or reported on it). */
static bool
unit_on_task(const struct loaded *l, int64_t tid, int64_t unit)
{
	int i;

	for (i = 0; i < l->n_units; i++)
		if (l->units[i].task_id == tid && !l->units[i].all_units &&
		    l->units[i].org_unit_id == unit)
			return true;
	for (i = 0; i < l->n_progress; i++)
		if (l->progress[i].task_id == tid &&
		    l->progress[i].org_unit_id == unit)
			return true;
	return false;
}

enum ctip_status
ctip_plan_rollup(json_t **out, const struct ctip_access *ax,
		 const struct ctip_principal *p, int64_t id, const char *period,
		 struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_org_unit_row o;
	struct ctip_plan_row r;
	struct ctip_period per;
	struct loaded l;
	struct due *dues;
	int64_t *units;
	const char **names, **codes;
	int n_units = 0, i, k, s;
	char today[11];
	json_t *by_unit, *by_section;
	enum ctip_status rc;

	*out = NULL;
	if ((rc = visible_plan(&r, ax->st, p, id, a, err)) != CTIP_OK)
		return rc;
	if (period == NULL || !period_range(&per, period))
		return ctip_err_field(err, CTIP_EINVAL, "period",
				      "period: a half year (2026-H1) or a year "
				      "(2026) is required");
	if ((rc = load(&l, ax->st, &r, a, err)) != CTIP_OK)
		return rc;
	ctip_today(today);
	dues = ctip_arena_alloc(a, (size_t)(l.n_tasks + 1) * sizeof(*dues));
	units = ctip_arena_alloc(a, (size_t)(l.n_units + l.n_progress + 1) *
					    sizeof(*units));
	names = ctip_arena_alloc(a, (size_t)(l.n_units + l.n_progress + 1) *
					    sizeof(*names));
	codes = ctip_arena_alloc(a, (size_t)(l.n_units + l.n_progress + 1) *
					    sizeof(*codes));
	if (dues == NULL || units == NULL || names == NULL || codes == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "plan too large");
	for (i = 0; i < l.n_tasks; i++)
		if ((rc = due_of(&dues[i], ax->st, &r, &l.tasks[i], today, a,
				 err)) != CTIP_OK)
			return rc;
	/* The units: named on a task, or reporting, in order of first
	 * mention. */
	for (i = 0; i < l.n_units + l.n_progress; i++) {
		int64_t u = i < l.n_units
				    ? l.units[i].org_unit_id
				    : l.progress[i - l.n_units].org_unit_id;
		const char *name =
			i < l.n_units ? l.units[i].unit_name
				      : l.progress[i - l.n_units].unit_name;

		if (u == 0)
			continue;
		for (k = 0; k < n_units; k++)
			if (units[k] == u)
				break;
		if (k < n_units)
			continue;
		/* A unit's own counts are its progress: only of units within
		 * p's place, as the plan shows progress. */
		if ((rc = ax->st->ops->org_unit_get(&o, ax->st, u, a, err)) !=
		    CTIP_OK)
			return rc;
		if (!ctip_authz_within(p, o.admin_code, o.province_code))
			continue;
		units[n_units] = u;
		codes[n_units] = o.admin_code;
		names[n_units++] = name;
	}
	by_unit = json_array();
	for (k = 0; k < n_units; k++) {
		struct counts c = { 0 };

		for (i = 0; i < l.n_tasks; i++) {
			const char *st;

			if (!unit_on_task(&l, l.tasks[i].id, units[k]))
				continue;
			/* Its latest entry for the period (a year's
			 * halves count for the year), as the plan shows
			 * it; late only where it leads. */
			st = unit_status(&l, l.tasks[i].id, units[k], period);
			count(&c, st,
			      is_overdue(&dues[i], st, today) &&
				      unit_leads(&l, l.tasks[i].id, units[k],
						 codes[k]));
		}
		json_array_append_new(
			by_unit,
			counts_json(json_pack("{s:I, s:s}", "unit_id",
					      (json_int_t)units[k], "unit_name",
					      names[k] ? names[k] : ""),
				    &c));
	}
	by_section = json_array();
	for (s = -1; s < l.n_sections; s++) {
		int64_t sid = s >= 0 ? l.sections[s].id : 0;
		struct counts c = { 0 };

		for (i = 0; i < l.n_tasks; i++) {
			const char *st;

			if (l.tasks[i].section_id != sid)
				continue;
			st = task_status(&l, l.tasks[i].id, period);
			count(&c, st, is_overdue(&dues[i], st, today));
		}
		if (s < 0 && c.tasks == 0)
			continue;
		json_array_append_new(
			by_section,
			counts_json(
				json_pack("{s:o, s:o, s:o}", "section_id",
					  id_or_null(sid), "number",
					  s >= 0 ? json_string(
							   l.sections[s].number)
						 : json_null(),
					  "title",
					  s >= 0 ? json_string(
							   l.sections[s].title)
						 : json_null()),
				&c));
	}
	*out = json_pack("{s:s, s:o, s:o}", "period", period, "by_unit",
			 by_unit, "by_section", by_section);
	return CTIP_OK;
}

/* Order of due items: soonest first. */
static int
by_due(const void *x, const void *y)
{
	json_t *const *a = x, *const *b = y;

	return strcmp(json_string_value(json_object_get(*a, "due_on")),
		      json_string_value(json_object_get(*b, "due_on")));
}

enum ctip_status
ctip_plan_due(json_t **out, const struct ctip_access *ax,
	      const struct ctip_principal *p, int days, struct ctip_arena *a,
	      struct ctip_err *err)
{
	struct ctip_store *st = ax->st;
	struct ctip_plan_task_ref *refs;
	struct ctip_plan_row r;
	struct loaded l;
	struct due d;
	char today[11], until[11];
	json_t **items, *arr;
	int n, n_items = 0, i;
	int64_t loaded_id = 0;
	enum ctip_status rc;

	*out = NULL;
	if (!may_read(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see plans");
	if (days < 0 || days > 366)
		return ctip_err_field(err, CTIP_EINVAL, "days",
				      "days: from 0 to 366");
	if ((rc = st->ops->plans->unit_tasks(&refs, &n, st, p->unit_id,
					     p->admin_code, a, err)) != CTIP_OK)
		return rc;
	items = ctip_arena_alloc(a, (size_t)(n + 1) * sizeof(*items));
	if (items == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "too many tasks");
	ctip_today(today);
	ctip_date_add(until, today, days, 0);
	for (i = 0; i < n; i++) {
		const struct ctip_plan_task_row *t;
		const char *status;

		if (refs[i].plan_id != loaded_id) {
			rc = st->ops->plans->get(&r, st, refs[i].plan_id, a,
						 err);
			if (rc == CTIP_OK && !in_scope(p, &r)) {
				loaded_id = 0;
				continue;
			}
			if (rc == CTIP_OK)
				rc = load(&l, st, &r, a, err);
			if (rc != CTIP_OK)
				goto fail;
			loaded_id = refs[i].plan_id;
		}
		if ((t = task_in(&l, refs[i].task_id)) == NULL)
			continue;
		if ((rc = due_of(&d, st, &l.plan, t, today, a, err)) != CTIP_OK)
			goto fail;
		status = unit_status(&l, t->id, p->unit_id, d.key);
		if (d.on[0] == '\0' || strcmp(d.on, until) > 0 ||
		    settled(status))
			continue;
		items[n_items++] = json_pack(
			"{s:I, s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:b}",
			"plan_id", (json_int_t)l.plan.id, "plan_title",
			l.plan.title, "task_id", (json_int_t)t->id, "number",
			t->number, "text", t->text, "due_on", d.on, "days_left",
			(json_int_t)(day_number(d.on) - day_number(today)),
			"status", status, "overdue", strcmp(d.on, today) < 0);
	}
	qsort(items, (size_t)n_items, sizeof(*items), by_due);
	arr = json_array();
	for (i = 0; i < n_items; i++)
		json_array_append_new(arr, items[i]);
	*out = json_pack("{s:o}", "items", arr);
	return CTIP_OK;
fail:
	for (i = 0; i < n_items; i++)
		json_decref(items[i]);
	return rc;
}

/* ---- import ----------------------------------------------------------- */

/* The date of a deadline phrase ("trước ngày 30/6/2026", "chậm nhất
 * ngày 15 tháng 12 năm 2026") in key (a search key: "truoc ngay 30 6
 * 2026"), as yyyy-mm-dd in out; false without a whole, valid date. */
static bool
deadline_date(char out[11], const char *key)
{
	static const char *const words[] = { "truoc ngay ", "cham nhat ngay ",
					     NULL };
	const char *x = NULL;
	int i, d, m, y, n = 0;

	for (i = 0; words[i] != NULL && x == NULL; i++)
		if ((x = strstr(key, words[i])) != NULL)
			x += strlen(words[i]);
	if (x == NULL ||
	    (sscanf(x, "%2d %2d %4d%n", &d, &m, &y, &n) != 3 &&
	     sscanf(x, "%2d thang %2d nam %4d%n", &d, &m, &y, &n) != 3) ||
	    isdigit((unsigned char)x[n]))
		return false;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return y >= 2000 && ctip_date_valid(out);
}

/* A TIMING read from a task's timing words where they say it plainly
 * ("thường xuyên", "hằng năm", "6 tháng", "trước ngày 30/6/2026"), else
 * null: a date without a year or "định kỳ" is left to the reviewer. */
static json_t *
timing_guess(const char *text)
{
	char key[512], due[11];

	if (text == NULL || ctip_text_key(key, sizeof(key), text) < 0)
		return json_null();
	if (deadline_date(due, key))
		return json_pack("{s:s, s:s}", "kind", "once", "due_on", due);
	if (strstr(key, "thuong xuyen") != NULL)
		return json_pack("{s:s}", "kind", "continuous");
	if (strstr(key, "hang nam") != NULL)
		return json_pack("{s:s}", "kind", "year");
	if (strstr(key, "6 thang") != NULL || strstr(key, "sau thang") != NULL)
		return json_pack("{s:s}", "kind", "half_year");
	return json_null();
}

static json_t *
proposal_units(const struct ctip_plan_unit *units, int n, struct ctip_store *st,
	       const char *place, int *unmatched, struct ctip_arena *a,
	       struct ctip_err *err, enum ctip_status *rc)
{
	json_t *arr = json_array();
	struct ctip_org_unit_row o;
	int64_t uid;
	int i;

	for (i = 0; i < n && *rc == CTIP_OK; i++) {
		const struct ctip_plan_unit *u = &units[i];
		bool all = u->agency != NULL && strcmp(u->agency, "ALL") == 0;
		const char *name = NULL;

		uid = 0;
		if (u->agency == NULL)
			(*unmatched)++;
		if (u->agency != NULL && !all) {
			*rc = st->ops->org_unit_find(&uid, st, u->agency, place,
						     err);
			if (*rc == CTIP_ENOTFOUND) {
				*rc = CTIP_OK;
				uid = 0;
			}
			if (*rc == CTIP_OK && uid != 0 &&
			    (*rc = st->ops->org_unit_get(&o, st, uid, a,
							 err)) == CTIP_OK)
				name = o.name;
		}
		json_array_append_new(
			arr, json_pack("{s:o, s:o, s:b, s:o, s:o}", "phrase",
				       str_or_null(u->phrase), "agency",
				       str_or_null(u->agency), "all_units", all,
				       "unit_id", id_or_null(uid), "unit_name",
				       str_or_null(name)));
	}
	return arr;
}

enum ctip_status
ctip_plan_import(json_t **out, struct ctip_store *st,
		 const struct ctip_principal *p, const char *place,
		 const char *text, size_t len, struct ctip_arena *a,
		 struct ctip_err *err)
{
	struct ctip_plan_alias_row *rows;
	struct ctip_plan_alias *aliases;
	struct ctip_plan_doc doc;
	struct ctip_admin_unit au;
	json_t *secs, *tasks, *j;
	char key[24];
	int n_aliases, i, with_lead = 0, unmatched = 0;
	enum ctip_status rc = CTIP_OK;

	*out = NULL;
	if (p != NULL) {
		if (!may_write(p))
			return ctip_err_set(err, CTIP_EFORBIDDEN,
					    "your role may not create plans");
		place = p->admin_code;
	} else {
		rc = place != NULL
			     ? st->ops->admin_unit_get(&au, st, place, a, err)
			     : CTIP_ENOTFOUND;
		if (rc == CTIP_ENOTFOUND)
			return ctip_err_field(err, CTIP_EINVAL, "place",
					      "place: unknown admin unit "
					      "\"%s\"",
					      place != NULL ? place : "");
		if (rc != CTIP_OK)
			return rc;
	}
	if ((rc = st->ops->plans->aliases(&rows, &n_aliases, st, a, err)) !=
	    CTIP_OK)
		return rc;
	aliases =
		ctip_arena_alloc(a, (size_t)(n_aliases + 1) * sizeof(*aliases));
	if (aliases == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "too many aliases");
	for (i = 0; i < n_aliases; i++) {
		aliases[i].alias = rows[i].alias;
		aliases[i].agency = rows[i].agency;
	}
	if ((rc = ctip_plan_parse(&doc, text, len, aliases, n_aliases, a,
				  err)) != CTIP_OK)
		return rc;
	secs = json_array();
	for (i = 0; i < doc.n_sections; i++) {
		const struct ctip_plan_section *s = &doc.sections[i];
		char parent[24];

		snprintf(key, sizeof(key), "s%d", i + 1);
		snprintf(parent, sizeof(parent), "s%d", s->parent + 1);
		json_array_append_new(
			secs, json_pack("{s:s, s:s, s:s, s:o}", "key", key,
					"number", s->number, "title",
					s->title ? s->title : "", "parent",
					s->parent >= 0 ? json_string(parent)
						       : json_null()));
	}
	tasks = json_array();
	for (i = 0; i < doc.n_tasks && rc == CTIP_OK; i++) {
		const struct ctip_plan_task *t = &doc.tasks[i];
		json_t *lead, *coord;
		char section[24];

		snprintf(key, sizeof(key), "t%d", i + 1);
		snprintf(section, sizeof(section), "s%d", t->section + 1);
		lead = proposal_units(t->lead, t->n_lead, st, place, &unmatched,
				      a, err, &rc);
		coord = proposal_units(t->coord, t->n_coord, st, place,
				       &unmatched, a, err, &rc);
		if (t->n_lead > 0)
			with_lead++;
		json_array_append_new(
			tasks,
			json_pack("{s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o, "
				  "s:o}",
				  "key", key, "section",
				  t->section >= 0 ? json_string(section)
						  : json_null(),
				  "number", t->number, "ref", t->ref, "text",
				  t->text, "timing", timing_guess(t->timing),
				  "timing_text", str_or_null(t->timing), "lead",
				  lead, "coordinate", coord));
	}
	j = json_pack("{s:{s:o, s:o, s:o, s:o, s:o}, s:{s:i, s:i, s:i}}",
		      "proposal", "title", str_or_null(doc.title), "number",
		      str_or_null(doc.number), "date", str_or_null(doc.date),
		      "sections", secs, "tasks", tasks, "stats", "tasks",
		      doc.n_tasks, "with_lead", with_lead, "unmatched_units",
		      unmatched);
	if (rc != CTIP_OK) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return CTIP_OK;
}
