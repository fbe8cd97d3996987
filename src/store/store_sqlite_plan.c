/* store_sqlite_plan.c: plans in the SQLite backend: plans, sections,
 * tasks and their units, progress with its linked reports and
 * activities, cascade coverage, and the agency aliases of plan
 * documents. */
#include "store/sqlite_int.h"

enum {
	Q_INSERT = S_PLAN,
	Q_SECTION_INSERT,
	Q_TASK_INSERT,
	Q_TASK_UPDATE,
	Q_UNIT_INSERT,
	Q_UNITS_CLEAR,
	Q_TOUCH,
	Q_GET,
	Q_LIST,
	Q_SECTIONS,
	Q_TASKS,
	Q_TASK_UNITS,
	Q_PROGRESS,
	Q_PROGRESS_REPORTS,
	Q_ACTIVITIES,
	Q_COVERAGE,
	Q_PROGRESS_INSERT,
	Q_PROGRESS_UPDATE,
	Q_PROGRESS_ID,
	Q_PROGRESS_REPORTS_CLEAR,
	Q_PROGRESS_REPORT_INSERT,
	Q_ACTIVITY_LINK,
	Q_UNIT_TASKS,
	Q_ALIASES,
	Q_END
};

_Static_assert((int)Q_END <= (int)S_PLAN + 64,
	       "plan statements exceed their range");

#define PLAN_COLUMNS                                                           \
	"p.id, p.org_unit_id, u.name, p.admin_code, p.province_code, "         \
	"p.number, p.title, p.issued_on, p.legal_basis, p.parent_plan_id, "    \
	"p.period_from, p.period_to, p.created_by, p.created_at, "             \
	"p.updated_at, p.version, (SELECT count(*) FROM plan_task t WHERE "    \
	"t.plan_id = p.id)"

const char *
sq_plan_sql(int id)
{
	switch (id) {
	case Q_INSERT:
		return "INSERT INTO plan (org_unit_id, admin_code, "
		       "province_code, number, title, issued_on, legal_basis, "
		       "parent_plan_id, period_from, period_to, created_by, "
		       "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, "
		       "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)";
	case Q_SECTION_INSERT:
		return "INSERT INTO plan_section (plan_id, parent_id, seq, "
		       "number, title) VALUES (?1, ?2, ?3, ?4, ?5)";
	case Q_TASK_INSERT:
		return "INSERT INTO plan_task (plan_id, section_id, seq, "
		       "number, text, expected_output, timing, due_on, "
		       "month_day_from, month_day_to, source_task_id) VALUES "
		       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
	case Q_TASK_UPDATE:
		return "UPDATE plan_task SET text = ?2, expected_output = ?3, "
		       "timing = ?4, due_on = ?5, month_day_from = ?6, "
		       "month_day_to = ?7 WHERE id = ?1";
	case Q_UNIT_INSERT:
		return "INSERT INTO plan_task_unit (task_id, role, "
		       "org_unit_id, all_units, phrase) VALUES (?1, ?2, ?3, "
		       "?4, ?5)";
	case Q_UNITS_CLEAR:
		return "DELETE FROM plan_task_unit WHERE task_id = ?1";
	case Q_TOUCH:
		return "UPDATE plan SET version = version + 1, updated_at = ?3 "
		       "WHERE id = ?1 AND version = ?2";
	case Q_GET:
		return "SELECT " PLAN_COLUMNS " FROM plan p JOIN org_unit u ON "
		       "u.id = p.org_unit_id WHERE p.id = ?1";
	case Q_LIST:
		/* ?1 level, ?2 the user's place, ?3 its province. */
		return "SELECT " PLAN_COLUMNS " FROM plan p JOIN org_unit u ON "
		       "u.id = p.org_unit_id WHERE ?1 = 'nation' OR "
		       "p.admin_code = 'VN' OR p.admin_code = ?2 OR "
		       "p.admin_code = ?3 OR (?1 = 'province' AND "
		       "p.province_code = ?3) ORDER BY p.issued_on DESC, p.id "
		       "DESC";
	case Q_SECTIONS:
		return "SELECT id, plan_id, parent_id, seq, number, title FROM "
		       "plan_section WHERE plan_id = ?1 ORDER BY seq, id";
	case Q_TASKS:
		return "SELECT id, plan_id, section_id, seq, number, text, "
		       "expected_output, timing, due_on, month_day_from, "
		       "month_day_to, source_task_id FROM plan_task WHERE "
		       "plan_id = ?1 ORDER BY seq, id";
	case Q_TASK_UNITS:
		return "SELECT x.task_id, x.role, x.org_unit_id, x.all_units, "
		       "x.phrase, u.name FROM plan_task_unit x JOIN plan_task "
		       "t ON t.id = x.task_id LEFT JOIN org_unit u ON u.id = "
		       "x.org_unit_id WHERE t.plan_id = ?1 ORDER BY t.seq, "
		       "x.id";
	case Q_PROGRESS:
		return "SELECT g.id, g.task_id, g.org_unit_id, u.name, "
		       "g.period, g.status, g.reason, g.evidence, "
		       "g.reported_by, g.reported_at, g.version, "
		       "u.admin_code, CASE au.level WHEN 'nation' THEN NULL "
		       "ELSE coalesce(au.province_code, au.code) END FROM "
		       "task_progress g JOIN plan_task t ON t.id = g.task_id "
		       "JOIN org_unit u ON u.id = g.org_unit_id JOIN "
		       "admin_unit au ON au.code = u.admin_code WHERE "
		       "t.plan_id = ?1 ORDER BY t.seq, g.period, u.name, g.id";
	case Q_PROGRESS_REPORTS:
		return "SELECT r.progress_id, r.report_id FROM "
		       "task_progress_report r JOIN task_progress g ON g.id = "
		       "r.progress_id JOIN plan_task t ON t.id = g.task_id "
		       "WHERE t.plan_id = ?1 ORDER BY r.progress_id, "
		       "r.report_id";
	case Q_ACTIVITIES:
		return "SELECT a.id, a.plan_task_id, a.org_unit_id, a.kind, "
		       "a.title, a.started_on, a.participants FROM activity a "
		       "JOIN plan_task t ON t.id = a.plan_task_id WHERE "
		       "t.plan_id = ?1 ORDER BY a.started_on, a.id";
	case Q_COVERAGE:
		return "SELECT DISTINCT lt.source_task_id, lp.id, "
		       "lp.admin_code, CASE WHEN au.level = 'commune' THEN "
		       "au.province_code WHEN au.level = 'province' THEN "
		       "au.code END FROM plan_task lt JOIN plan lp ON lp.id "
		       "= lt.plan_id JOIN admin_unit au ON au.code = "
		       "lp.admin_code JOIN plan_task ut ON ut.id = "
		       "lt.source_task_id WHERE ut.plan_id = ?1 ORDER BY "
		       "lt.source_task_id, lp.admin_code, lp.id";
	case Q_PROGRESS_INSERT:
		return "INSERT INTO task_progress (task_id, org_unit_id, "
		       "period, status, reason, evidence, reported_by, "
		       "reported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
		       "ON CONFLICT (task_id, org_unit_id, period) DO NOTHING";
	case Q_PROGRESS_UPDATE:
		return "UPDATE task_progress SET status = ?4, reason = ?5, "
		       "evidence = ?6, reported_by = ?7, reported_at = ?8, "
		       "version = version + 1 WHERE task_id = ?1 AND "
		       "org_unit_id = ?2 AND period = ?3 AND version = ?9";
	case Q_PROGRESS_ID:
		return "SELECT id FROM task_progress WHERE task_id = ?1 AND "
		       "org_unit_id = ?2 AND period = ?3";
	case Q_PROGRESS_REPORTS_CLEAR:
		return "DELETE FROM task_progress_report WHERE progress_id = "
		       "?1";
	case Q_PROGRESS_REPORT_INSERT:
		return "INSERT INTO task_progress_report (progress_id, "
		       "report_id) VALUES (?1, ?2) ON CONFLICT (progress_id, "
		       "report_id) DO NOTHING";
	case Q_ACTIVITY_LINK:
		return "UPDATE activity SET plan_task_id = ?2 WHERE id = ?1";
	case Q_UNIT_TASKS:
		return "SELECT DISTINCT t.plan_id, t.id FROM plan_task t JOIN "
		       "plan_task_unit x ON x.task_id = t.id JOIN plan p ON "
		       "p.id = t.plan_id WHERE x.org_unit_id = ?1 OR "
		       "(x.all_units = 1 AND p.admin_code = ?2) ORDER BY "
		       "t.plan_id, t.seq";
	case Q_ALIASES:
		return "SELECT alias, agency FROM plan_agency_alias ORDER BY "
		       "length(alias) DESC, alias";
	default:
		return NULL;
	}
}

static int
insert(int64_t *id_out, struct ctip_store *st, const struct ctip_plan_row *r,
       struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_INSERT, err);

	if (q == NULL)
		return err->code;
	sq_bind_id(q, 1, r->org_unit_id);
	sq_bind_text(q, 2, r->admin_code);
	sq_bind_text(q, 3, r->province_code);
	sq_bind_text(q, 4, r->number);
	sq_bind_text(q, 5, r->title);
	sq_bind_text(q, 6, r->issued_on);
	sq_bind_text(q, 7, r->legal_basis);
	sq_bind_id(q, 8, r->parent_plan_id);
	sq_bind_text(q, 9, r->period_from);
	sq_bind_text(q, 10, r->period_to);
	sq_bind_id(q, 11, r->created_by);
	sq_bind_text(q, 12, r->created_at);
	return sq_insert_row(id_out, s, q, "store the plan", err);
}

static int
section_insert(int64_t *id_out, struct ctip_store *st,
	       const struct ctip_plan_section_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_SECTION_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->plan_id);
	sq_bind_id(q, 2, r->parent_id);
	sqlite3_bind_int(q, 3, r->seq);
	sq_bind_text(q, 4, r->number);
	sq_bind_text(q, 5, r->title);
	return sq_insert_row(id_out, s, q, "store the plan section", err);
}

/* Bind the timing columns of r from index i on. */
static void
bind_timing(sqlite3_stmt *q, int i, const struct ctip_plan_task_row *r)
{
	sq_bind_text(q, i, r->timing);
	sq_bind_text(q, i + 1, r->due_on);
	sq_bind_text(q, i + 2, r->month_day_from);
	sq_bind_text(q, i + 3, r->month_day_to);
}

static int
task_insert(int64_t *id_out, struct ctip_store *st,
	    const struct ctip_plan_task_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_TASK_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->plan_id);
	sq_bind_id(q, 2, r->section_id);
	sqlite3_bind_int(q, 3, r->seq);
	sq_bind_text(q, 4, r->number);
	sq_bind_text(q, 5, r->text);
	sq_bind_text(q, 6, r->expected_output);
	bind_timing(q, 7, r);
	sq_bind_id(q, 11, r->source_task_id);
	return sq_insert_row(id_out, s, q, "store the plan task", err);
}

static int
task_update(struct ctip_store *st, const struct ctip_plan_task_row *r,
	    struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_TASK_UPDATE, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->id);
	sq_bind_text(q, 2, r->text);
	sq_bind_text(q, 3, r->expected_output);
	bind_timing(q, 4, r);
	return sq_exec_change(s, q, "plan task", err);
}

static int
task_unit_insert(struct ctip_store *st, const struct ctip_plan_task_unit_row *r,
		 struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_UNIT_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->task_id);
	sq_bind_text(q, 2, r->role);
	sq_bind_id(q, 3, r->all_units ? 0 : r->org_unit_id);
	sqlite3_bind_int(q, 4, r->all_units ? 1 : 0);
	sq_bind_text(q, 5, r->phrase);
	return sq_exec_stmt(s, q, "store the task unit", err);
}

static int
task_units_clear(struct ctip_store *st, int64_t task_id, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_UNITS_CLEAR, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, task_id);
	return sq_exec_stmt(s, q, "clear the task units", err);
}

static int
touch(struct ctip_store *st, int64_t id, int version, const char *now,
      struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_TOUCH, err);
	int rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int(q, 2, version);
	sq_bind_text(q, 3, now);
	rc = sq_exec_stmt(s, q, "update the plan", err);
	if (rc == CTIP_OK && sqlite3_changes(s->db) == 0)
		rc = ctip_err_field(err, CTIP_ECONFLICT, "version",
				    "plan %lld was changed by someone else: "
				    "reload it",
				    (long long)id);
	return rc;
}

static void
read_plan(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_plan_row *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->org_unit_id = sqlite3_column_int64(q, 1);
	r->unit_name = sq_col_text(q, 2, a, ok);
	r->admin_code = sq_col_text(q, 3, a, ok);
	r->province_code = sq_col_text(q, 4, a, ok);
	r->number = sq_col_text(q, 5, a, ok);
	r->title = sq_col_text(q, 6, a, ok);
	r->issued_on = sq_col_text(q, 7, a, ok);
	r->legal_basis = sq_col_text(q, 8, a, ok);
	r->parent_plan_id = sqlite3_column_int64(q, 9);
	r->period_from = sq_col_text(q, 10, a, ok);
	r->period_to = sq_col_text(q, 11, a, ok);
	r->created_by = sqlite3_column_int64(q, 12);
	r->created_at = sq_col_text(q, 13, a, ok);
	r->updated_at = sq_col_text(q, 14, a, ok);
	r->version = sqlite3_column_int(q, 15);
	r->n_tasks = (long)sqlite3_column_int64(q, 16);
}

static int
get(struct ctip_plan_row *out, struct ctip_store *st, int64_t id,
    struct ctip_arena *a, struct ctip_err *err)
{
	return sq_get_one(out, S(st), Q_GET, id, "plan", read_plan, a, err);
}

static int
list(struct ctip_plan_row **out, int *n_out, struct ctip_store *st,
     const struct ctip_plan_scope *scope, struct ctip_arena *a,
     struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_LIST, err);

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, scope->level);
	sq_bind_text(q, 2, scope->admin_code);
	sq_bind_text(q, 3, scope->province_code);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q, read_plan,
			   a, err);
}

static void
read_section(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_plan_section_row *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->plan_id = sqlite3_column_int64(q, 1);
	r->parent_id = sqlite3_column_int64(q, 2);
	r->seq = sqlite3_column_int(q, 3);
	r->number = sq_col_text(q, 4, a, ok);
	r->title = sq_col_text(q, 5, a, ok);
}

static int
sections(struct ctip_plan_section_row **out, int *n_out, struct ctip_store *st,
	 int64_t plan_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st), Q_SECTIONS,
			  plan_id, read_section, a, err);
}

static void
read_task(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_plan_task_row *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->plan_id = sqlite3_column_int64(q, 1);
	r->section_id = sqlite3_column_int64(q, 2);
	r->seq = sqlite3_column_int(q, 3);
	r->number = sq_col_text(q, 4, a, ok);
	r->text = sq_col_text(q, 5, a, ok);
	r->expected_output = sq_col_text(q, 6, a, ok);
	r->timing = sq_col_text(q, 7, a, ok);
	r->due_on = sq_col_text(q, 8, a, ok);
	r->month_day_from = sq_col_text(q, 9, a, ok);
	r->month_day_to = sq_col_text(q, 10, a, ok);
	r->source_task_id = sqlite3_column_int64(q, 11);
}

static int
tasks(struct ctip_plan_task_row **out, int *n_out, struct ctip_store *st,
      int64_t plan_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st), Q_TASKS,
			  plan_id, read_task, a, err);
}

static void
read_task_unit(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_plan_task_unit_row *r = row;

	r->task_id = sqlite3_column_int64(q, 0);
	r->role = sq_col_text(q, 1, a, ok);
	r->org_unit_id = sqlite3_column_int64(q, 2);
	r->all_units = sqlite3_column_int(q, 3) != 0;
	r->phrase = sq_col_text(q, 4, a, ok);
	r->unit_name = sq_col_text(q, 5, a, ok);
}

static int
task_units(struct ctip_plan_task_unit_row **out, int *n_out,
	   struct ctip_store *st, int64_t plan_id, struct ctip_arena *a,
	   struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st),
			  Q_TASK_UNITS, plan_id, read_task_unit, a, err);
}

static void
read_progress(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_task_progress_row *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->task_id = sqlite3_column_int64(q, 1);
	r->org_unit_id = sqlite3_column_int64(q, 2);
	r->unit_name = sq_col_text(q, 3, a, ok);
	r->period = sq_col_text(q, 4, a, ok);
	r->status = sq_col_text(q, 5, a, ok);
	r->reason = sq_col_text(q, 6, a, ok);
	r->evidence = sq_col_text(q, 7, a, ok);
	r->reported_by = sqlite3_column_int64(q, 8);
	r->reported_at = sq_col_text(q, 9, a, ok);
	r->version = sqlite3_column_int(q, 10);
	r->unit_admin_code = sq_col_text(q, 11, a, ok);
	r->unit_province = sq_col_text(q, 12, a, ok);
}

static int
progress(struct ctip_task_progress_row **out, int *n_out, struct ctip_store *st,
	 int64_t plan_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st), Q_PROGRESS,
			  plan_id, read_progress, a, err);
}

static void
read_progress_report(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_progress_report_row *r = row;

	(void)a;
	(void)ok;
	r->progress_id = sqlite3_column_int64(q, 0);
	r->report_id = sqlite3_column_int64(q, 1);
}

static int
progress_reports(struct ctip_progress_report_row **out, int *n_out,
		 struct ctip_store *st, int64_t plan_id, struct ctip_arena *a,
		 struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st),
			  Q_PROGRESS_REPORTS, plan_id, read_progress_report, a,
			  err);
}

static void
read_activity(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_plan_activity_row *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->task_id = sqlite3_column_int64(q, 1);
	r->org_unit_id = sqlite3_column_int64(q, 2);
	r->kind = sq_col_text(q, 3, a, ok);
	r->title = sq_col_text(q, 4, a, ok);
	r->started_on = sq_col_text(q, 5, a, ok);
	r->participants = (long)sqlite3_column_int64(q, 6);
}

static int
activities(struct ctip_plan_activity_row **out, int *n_out,
	   struct ctip_store *st, int64_t plan_id, struct ctip_arena *a,
	   struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st),
			  Q_ACTIVITIES, plan_id, read_activity, a, err);
}

static void
read_coverage(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_plan_coverage_row *r = row;

	r->source_task_id = sqlite3_column_int64(q, 0);
	r->plan_id = sqlite3_column_int64(q, 1);
	r->admin_code = sq_col_text(q, 2, a, ok);
	r->province_code = sq_col_text(q, 3, a, ok);
}

static int
coverage(struct ctip_plan_coverage_row **out, int *n_out, struct ctip_store *st,
	 int64_t plan_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st), Q_COVERAGE,
			  plan_id, read_coverage, a, err);
}

/* A stale progress entry: CTIP_ECONFLICT naming "version". */
static int
stale(struct ctip_err *err, const struct ctip_task_progress_row *r)
{
	return ctip_err_field(err, CTIP_ECONFLICT, "version",
			      "the progress of task %lld for %s was changed "
			      "by someone else: reload it",
			      (long long)r->task_id, r->period);
}

static int
progress_save(int64_t *id_out, struct ctip_store *st,
	      const struct ctip_task_progress_row *r, const int64_t *report_ids,
	      int n_reports, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	int rc, i;

	q = sq_stmt(s, r->version == 0 ? Q_PROGRESS_INSERT : Q_PROGRESS_UPDATE,
		    err);
	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->task_id);
	sq_bind_id(q, 2, r->org_unit_id);
	sq_bind_text(q, 3, r->period);
	sq_bind_text(q, 4, r->status);
	sq_bind_text(q, 5, r->reason);
	sq_bind_text(q, 6, r->evidence);
	sq_bind_id(q, 7, r->reported_by);
	sq_bind_text(q, 8, r->reported_at);
	if (r->version != 0)
		sqlite3_bind_int(q, 9, r->version);
	rc = sq_exec_stmt(s, q, "store the progress", err);
	if (rc == CTIP_OK && sqlite3_changes(s->db) == 0)
		return stale(err, r);
	if (rc != CTIP_OK)
		return rc;
	if ((q = sq_stmt(s, Q_PROGRESS_ID, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->task_id);
	sq_bind_id(q, 2, r->org_unit_id);
	sq_bind_text(q, 3, r->period);
	rc = sq_step_one(s, q, "progress", err);
	if (rc == CTIP_OK)
		*id_out = sqlite3_column_int64(q, 0);
	sq_done(q);
	if (rc != CTIP_OK)
		return rc;
	if ((q = sq_stmt(s, Q_PROGRESS_REPORTS_CLEAR, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, *id_out);
	if ((rc = sq_exec_stmt(s, q, "clear the linked reports", err)) !=
	    CTIP_OK)
		return rc;
	for (i = 0; i < n_reports && rc == CTIP_OK; i++) {
		if ((q = sq_stmt(s, Q_PROGRESS_REPORT_INSERT, err)) == NULL)
			return err->code;
		sqlite3_bind_int64(q, 1, *id_out);
		sqlite3_bind_int64(q, 2, report_ids[i]);
		rc = sq_exec_stmt(s, q, "link the report", err);
	}
	return rc;
}

static int
activity_link(struct ctip_store *st, int64_t activity_id, int64_t task_id,
	      struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_ACTIVITY_LINK, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, activity_id);
	sq_bind_id(q, 2, task_id);
	return sq_exec_change(s, q, "activity", err);
}

static void
read_task_ref(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_plan_task_ref *r = row;

	(void)a;
	(void)ok;
	r->plan_id = sqlite3_column_int64(q, 0);
	r->task_id = sqlite3_column_int64(q, 1);
}

static int
unit_tasks(struct ctip_plan_task_ref **out, int *n_out, struct ctip_store *st,
	   int64_t unit_id, const char *admin_code, struct ctip_arena *a,
	   struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_UNIT_TASKS, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, unit_id);
	sq_bind_text(q, 2, admin_code);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   read_task_ref, a, err);
}

static void
read_alias(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_plan_alias_row *r = row;

	r->alias = sq_col_text(q, 0, a, ok);
	r->agency = sq_col_text(q, 1, a, ok);
}

static int
aliases(struct ctip_plan_alias_row **out, int *n_out, struct ctip_store *st,
	struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_ALIASES, err);

	if (q == NULL)
		return err->code;
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q, read_alias,
			   a, err);
}

const struct ctip_plan_ops sq_plan_ops = {
	.insert = insert,
	.section_insert = section_insert,
	.task_insert = task_insert,
	.task_update = task_update,
	.task_unit_insert = task_unit_insert,
	.task_units_clear = task_units_clear,
	.touch = touch,
	.get = get,
	.list = list,
	.sections = sections,
	.tasks = tasks,
	.task_units = task_units,
	.progress = progress,
	.progress_reports = progress_reports,
	.activities = activities,
	.coverage = coverage,
	.progress_save = progress_save,
	.activity_link = activity_link,
	.unit_tasks = unit_tasks,
	.aliases = aliases,
};
