/* store_sqlite_report.c: periodic reports and activities in the SQLite
 * backend: the forms' reference data, provinces' deadlines, submitted
 * reports and their steps, activities. */
#include "store/sqlite_int.h"

enum {
	Q_RATES = S_REPORT,
	Q_FORMS,
	Q_FORM_GET,
	Q_ROWS,
	Q_RULES,
	Q_DEADLINE_GET,
	Q_DEADLINE_SET,
	Q_GET,
	Q_GET_ID,
	Q_LIST,
	Q_INSERT,
	Q_RESUBMIT,
	Q_REVIEW,
	Q_STEP_INSERT,
	Q_STEPS,
	Q_SUBMISSION,
	Q_ACT_INSERT,
	Q_ACT_UPDATE,
	Q_ACT_GET,
	Q_ACT_LIST,
	Q_END
};

_Static_assert((int)Q_END <= (int)S_REPORT + 64,
	       "report statements exceed their range");

#define FORM_COLUMNS                                                           \
	"code, name_vi, name_en, level, period_type, deadlines, layout, "      \
	"legal_basis"
#define REPORT_COLUMNS(snapshot)                                               \
	"id, form_code, period, place_code, province_code, status, "           \
	"due_on, " snapshot                                                    \
	", note, first_submitted_at, submitted_at, submitted_by, "             \
	"submitted_unit_id, reviewed_at, reviewed_by, review_comment, "        \
	"version"
#define ACTIVITY_COLUMNS                                                       \
	"a.id, a.org_unit_id, u.name, a.province_code, a.commune_code, "       \
	"a.kind, a.title, a.started_on, a.ended_on, a.participants, a.note, "  \
	"a.created_by, a.created_at, a.updated_at, a.version"

const char *
sq_report_sql(int id)
{
	switch (id) {
	case Q_RATES:
		return "SELECT code, name_vi, name_en, numerator, denominator, "
		       "target_percent, comparison, legal_basis FROM kpi_rate "
		       "ORDER BY code";
	case Q_FORMS:
		return "SELECT " FORM_COLUMNS " FROM report_form ORDER BY code";
	case Q_FORM_GET:
		return "SELECT " FORM_COLUMNS " FROM report_form WHERE code = "
		       "?1";
	case Q_ROWS:
		return "SELECT seq, section_vi, section_en, label_no, "
		       "label_vi, label_en, item, by_dim FROM form_row WHERE "
		       "layout = ?1 ORDER BY seq";
	case Q_RULES:
		return "SELECT code, left_item, op, right_item, severity, "
		       "message_vi, message_en FROM validation_rule ORDER BY "
		       "code";
	case Q_DEADLINE_GET:
		return "SELECT month_day FROM form_deadline WHERE form_code = "
		       "?1 AND province_code = ?2 AND period_no = ?3";
	case Q_DEADLINE_SET:
		return "INSERT INTO form_deadline (form_code, province_code, "
		       "period_no, month_day, set_by, set_at) VALUES (?1, ?2, "
		       "?3, ?4, ?5, ?6) ON CONFLICT (form_code, province_code, "
		       "period_no) DO UPDATE SET month_day = "
		       "excluded.month_day, set_by = excluded.set_by, set_at "
		       "= excluded.set_at";
	case Q_GET:
		return "SELECT " REPORT_COLUMNS(
			"snapshot") " FROM report WHERE "
				    "form_code = ?1 "
				    "AND period = ?2 "
				    "AND place_code = "
				    "?3";
	case Q_GET_ID:
		return "SELECT " REPORT_COLUMNS(
			"snapshot") " FROM report WHERE "
				    "id = ?1";
	case Q_LIST:
		return "SELECT " REPORT_COLUMNS("NULL") " FROM report WHERE "
							"form_code = ?1 AND "
							"period = ?2 AND (?3 "
							"IS NULL OR "
							"province_code = ?3) "
							"ORDER BY place_code";
	case Q_INSERT:
		return "INSERT INTO report (form_code, period, place_code, "
		       "province_code, status, due_on, snapshot, note, "
		       "first_submitted_at, submitted_at, submitted_by, "
		       "submitted_unit_id) VALUES (?1, ?2, ?3, ?4, "
		       "'submitted', "
		       "?5, ?6, ?7, ?8, ?8, ?9, ?10)";
	case Q_RESUBMIT:
		return "UPDATE report SET status = 'submitted', snapshot = ?2, "
		       "note = ?3, submitted_at = ?4, submitted_by = ?5, "
		       "submitted_unit_id = ?6, reviewed_at = NULL, "
		       "reviewed_by = NULL, version = version + 1 WHERE id = "
		       "?1 AND version = ?7";
	case Q_REVIEW:
		return "UPDATE report SET status = ?2, reviewed_at = ?3, "
		       "reviewed_by = ?4, review_comment = ?5, version = "
		       "version + 1 WHERE id = ?1 AND version = ?6";
	case Q_STEP_INSERT:
		return "INSERT INTO report_step (report_id, action, at, "
		       "user_id, unit_id, comment, snapshot) VALUES (?1, ?2, "
		       "?3, ?4, ?5, ?6, ?7)";
	/* A submit step's number is how many submit steps of its report
	 * came up to it (report_step_report covers the count). */
	case Q_STEPS:
		return "SELECT s.id, s.action, s.at, s.user_id, s.unit_id, "
		       "u.display_name, o.name, s.comment, CASE WHEN s.action "
		       "= 'submit' THEN (SELECT count(*) FROM report_step t "
		       "WHERE t.report_id = s.report_id AND t.action = "
		       "'submit' AND t.id <= s.id) ELSE 0 END, CASE WHEN "
		       "s.snapshot IS NULL THEN 0 ELSE 1 END FROM report_step "
		       "s JOIN app_user u ON u.id = s.user_id JOIN org_unit o "
		       "ON o.id = s.unit_id WHERE s.report_id = ?1 ORDER BY "
		       "s.id";
	case Q_SUBMISSION:
		return "SELECT snapshot FROM report_step WHERE report_id = ?1 "
		       "AND action = 'submit' ORDER BY id LIMIT 1 OFFSET ?2";
	case Q_ACT_INSERT:
		return "INSERT INTO activity (org_unit_id, province_code, "
		       "commune_code, kind, title, started_on, ended_on, "
		       "participants, note, created_by, created_at, "
		       "updated_at) "
		       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
		       "?11)";
	case Q_ACT_UPDATE:
		return "UPDATE activity SET kind = ?2, title = ?3, started_on "
		       "= ?4, ended_on = ?5, participants = ?6, note = ?7, "
		       "updated_at = ?8, version = version + 1 WHERE id = ?1 "
		       "AND version = ?9";
	case Q_ACT_GET:
		return "SELECT " ACTIVITY_COLUMNS " FROM activity a JOIN "
		       "org_unit u ON u.id = a.org_unit_id WHERE a.id = ?1";
	case Q_ACT_LIST:
		return "SELECT " ACTIVITY_COLUMNS " FROM activity a JOIN "
		       "org_unit u ON u.id = a.org_unit_id WHERE (?1 = 0 OR "
		       "a.org_unit_id = ?1) AND (?2 IS NULL OR a.province_code "
		       "= ?2) AND (?3 IS NULL OR a.commune_code = ?3) AND (?4 "
		       "IS NULL OR a.kind = ?4) AND (?5 IS NULL OR "
		       "a.started_on >= ?5) AND (?6 IS NULL OR a.started_on <= "
		       "?6) AND (?7 = 0 OR a.id < ?7) ORDER BY a.id DESC LIMIT "
		       "?8";
	default:
		return NULL;
	}
}

static void
read_rate(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_rate_def *r = row;

	r->code = sq_col_text(q, 0, a, ok);
	r->name_vi = sq_col_text(q, 1, a, ok);
	r->name_en = sq_col_text(q, 2, a, ok);
	r->numerator = sq_col_text(q, 3, a, ok);
	r->denominator = sq_col_text(q, 4, a, ok);
	r->target_percent = sqlite3_column_int(q, 5);
	r->comparison = sq_col_text(q, 6, a, ok);
	r->legal_basis = sq_col_text(q, 7, a, ok);
}

static void
read_form(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_form *r = row;

	r->code = sq_col_text(q, 0, a, ok);
	r->name_vi = sq_col_text(q, 1, a, ok);
	r->name_en = sq_col_text(q, 2, a, ok);
	r->level = sq_col_text(q, 3, a, ok);
	r->period_type = sq_col_text(q, 4, a, ok);
	r->deadlines = sq_col_text(q, 5, a, ok);
	r->layout = sq_col_text(q, 6, a, ok);
	r->legal_basis = sq_col_text(q, 7, a, ok);
}

static void
read_row(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_form_row *r = row;

	r->seq = sqlite3_column_int(q, 0);
	r->section_vi = sq_col_text(q, 1, a, ok);
	r->section_en = sq_col_text(q, 2, a, ok);
	r->label_no = sq_col_text(q, 3, a, ok);
	r->label_vi = sq_col_text(q, 4, a, ok);
	r->label_en = sq_col_text(q, 5, a, ok);
	r->item = sq_col_text(q, 6, a, ok);
	r->by = sq_col_text(q, 7, a, ok);
}

static void
read_rule(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_rule *r = row;

	r->code = sq_col_text(q, 0, a, ok);
	r->left = sq_col_text(q, 1, a, ok);
	r->op = sq_col_text(q, 2, a, ok);
	r->right = sq_col_text(q, 3, a, ok);
	r->severity = sq_col_text(q, 4, a, ok);
	r->message_vi = sq_col_text(q, 5, a, ok);
	r->message_en = sq_col_text(q, 6, a, ok);
}

/* Every row of statement id, bound with text ?1 (or nothing). */
static int
read_rows(void **out, int *n_out, size_t size, struct ctip_store *st, int id,
	  const char *key, sq_row_reader read, struct ctip_arena *a,
	  struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, id, err);

	if (q == NULL)
		return err->code;
	if (key != NULL)
		sq_bind_text(q, 1, key);
	return sq_read_all(out, n_out, size, s, q, read, a, err);
}

static int
rates(struct ctip_rate_def **out, int *n_out, struct ctip_store *st,
      struct ctip_arena *a, struct ctip_err *err)
{
	return read_rows((void **)out, n_out, sizeof(**out), st, Q_RATES, NULL,
			 read_rate, a, err);
}

static int
forms(struct ctip_form **out, int *n_out, struct ctip_store *st,
      struct ctip_arena *a, struct ctip_err *err)
{
	return read_rows((void **)out, n_out, sizeof(**out), st, Q_FORMS, NULL,
			 read_form, a, err);
}

static int
form_get(struct ctip_form *out, struct ctip_store *st, const char *code,
	 struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_form *all;
	int n, rc;

	rc = read_rows((void **)&all, &n, sizeof(*all), st, Q_FORM_GET, code,
		       read_form, a, err);
	if (rc != CTIP_OK)
		return rc;
	if (n == 0)
		return ctip_err_set(err, CTIP_ENOTFOUND, "no form \"%s\"",
				    code);
	*out = all[0];
	return CTIP_OK;
}

static int
rows(struct ctip_form_row **out, int *n_out, struct ctip_store *st,
     const char *layout, struct ctip_arena *a, struct ctip_err *err)
{
	return read_rows((void **)out, n_out, sizeof(**out), st, Q_ROWS, layout,
			 read_row, a, err);
}

static int
rules(struct ctip_rule **out, int *n_out, struct ctip_store *st,
      struct ctip_arena *a, struct ctip_err *err)
{
	return read_rows((void **)out, n_out, sizeof(**out), st, Q_RULES, NULL,
			 read_rule, a, err);
}

static int
deadline_get(char out[6], bool *found, struct ctip_store *st, const char *form,
	     const char *province, int period_no, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_DEADLINE_GET, err);
	const unsigned char *v;
	int rc;

	*found = false;
	out[0] = '\0';
	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, form);
	sq_bind_text(q, 2, province);
	sqlite3_bind_int(q, 3, period_no);
	rc = sq_step_one(s, q, "deadline", err);
	if (rc == CTIP_OK) {
		v = sqlite3_column_text(q, 0);
		if (v != NULL && strlen((const char *)v) == 5) {
			memcpy(out, v, 6);
			*found = true;
		}
	}
	sq_done(q);
	return rc == CTIP_ENOTFOUND ? CTIP_OK : rc;
}

static int
deadline_set(struct ctip_store *st, const char *form, const char *province,
	     int period_no, const char *month_day, int64_t user_id,
	     const char *at, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_DEADLINE_SET, err);

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, form);
	sq_bind_text(q, 2, province);
	sqlite3_bind_int(q, 3, period_no);
	sq_bind_text(q, 4, month_day);
	sq_bind_id(q, 5, user_id);
	sq_bind_text(q, 6, at);
	return sq_exec_stmt(s, q, "store the deadline", err);
}

static void
read_report(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_report_rec *r = row;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(q, 0);
	r->form_code = sq_col_text(q, 1, a, ok);
	r->period = sq_col_text(q, 2, a, ok);
	r->place_code = sq_col_text(q, 3, a, ok);
	r->province_code = sq_col_text(q, 4, a, ok);
	r->status = sq_col_text(q, 5, a, ok);
	r->due_on = sq_col_text(q, 6, a, ok);
	r->snapshot = sq_col_text(q, 7, a, ok);
	r->note = sq_col_text(q, 8, a, ok);
	r->first_submitted_at = sq_col_text(q, 9, a, ok);
	r->submitted_at = sq_col_text(q, 10, a, ok);
	r->submitted_by = sqlite3_column_int64(q, 11);
	r->submitted_unit_id = sqlite3_column_int64(q, 12);
	r->reviewed_at = sq_col_text(q, 13, a, ok);
	r->reviewed_by = sqlite3_column_int64(q, 14);
	r->review_comment = sq_col_text(q, 15, a, ok);
	r->version = sqlite3_column_int(q, 16);
}

static int
get(struct ctip_report_rec *out, struct ctip_store *st, const char *form,
    const char *period, const char *place, struct ctip_arena *a,
    struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_GET, err);
	bool ok = true;
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, form);
	sq_bind_text(q, 2, period);
	sq_bind_text(q, 3, place);
	rc = sq_step_one(s, q, "report", err);
	if (rc == CTIP_OK)
		read_report(q, out, a, &ok);
	sq_done(q);
	if (rc == CTIP_OK && !ok)
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	return rc;
}

static int
get_id(struct ctip_report_rec *out, struct ctip_store *st, int64_t id,
       struct ctip_arena *a, struct ctip_err *err)
{
	return sq_get_one(out, S(st), Q_GET_ID, id, "report", read_report, a,
			  err);
}

static int
list(struct ctip_report_rec **out, int *n_out, struct ctip_store *st,
     const char *form, const char *period, const char *province,
     struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_LIST, err);

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, form);
	sq_bind_text(q, 2, period);
	sq_bind_text(q, 3, province);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   read_report, a, err);
}

static int
step_insert(struct sqlite_store *s, int64_t report_id, const char *action,
	    const char *at, int64_t user_id, int64_t unit_id,
	    const char *comment, const char *snapshot, struct ctip_err *err)
{
	sqlite3_stmt *q = sq_stmt(s, Q_STEP_INSERT, err);
	int64_t id;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, report_id);
	sq_bind_text(q, 2, action);
	sq_bind_text(q, 3, at);
	sq_bind_id(q, 4, user_id);
	sq_bind_id(q, 5, unit_id);
	sq_bind_text(q, 6, comment);
	sq_bind_text(q, 7, snapshot);
	return sq_insert_row(&id, s, q, "store the report step", err);
}

/* A stale version: CTIP_ECONFLICT naming "version". */
static int
stale(struct ctip_err *err, int64_t id)
{
	return ctip_err_field(err, CTIP_ECONFLICT, "version",
			      "report %lld was changed by someone else: "
			      "reload it",
			      (long long)id);
}

static int
submit(int64_t *id_out, struct ctip_store *st, const struct ctip_report_rec *r,
       struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	bool own;
	int rc;

	own = sq_own_begin(s, err, &rc);
	if (rc != CTIP_OK)
		return rc;
	q = sq_stmt(s, r->id == 0 ? Q_INSERT : Q_RESUBMIT, err);
	if (q == NULL) {
		rc = err->code;
	} else if (r->id == 0) {
		sq_bind_text(q, 1, r->form_code);
		sq_bind_text(q, 2, r->period);
		sq_bind_text(q, 3, r->place_code);
		sq_bind_text(q, 4, r->province_code);
		sq_bind_text(q, 5, r->due_on);
		sq_bind_text(q, 6, r->snapshot);
		sq_bind_text(q, 7, r->note);
		sq_bind_text(q, 8, r->submitted_at);
		sq_bind_id(q, 9, r->submitted_by);
		sq_bind_id(q, 10, r->submitted_unit_id);
		rc = sq_insert_row(id_out, s, q, "store the report", err);
	} else {
		sqlite3_bind_int64(q, 1, r->id);
		sq_bind_text(q, 2, r->snapshot);
		sq_bind_text(q, 3, r->note);
		sq_bind_text(q, 4, r->submitted_at);
		sq_bind_id(q, 5, r->submitted_by);
		sq_bind_id(q, 6, r->submitted_unit_id);
		sqlite3_bind_int(q, 7, r->version);
		rc = sq_exec_stmt(s, q, "store the report", err);
		if (rc == CTIP_OK && sqlite3_changes(s->db) == 0)
			rc = stale(err, r->id);
		*id_out = r->id;
	}
	if (rc == CTIP_OK)
		rc = step_insert(s, *id_out, "submit", r->submitted_at,
				 r->submitted_by, r->submitted_unit_id, r->note,
				 r->snapshot, err);
	return sq_own_end(s, own, rc, err);
}

static int
review(struct ctip_store *st, int64_t id, int version, const char *status,
       int64_t user_id, int64_t unit_id, const char *at, const char *comment,
       struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	bool own;
	int rc;

	own = sq_own_begin(s, err, &rc);
	if (rc != CTIP_OK)
		return rc;
	q = sq_stmt(s, Q_REVIEW, err);
	if (q == NULL) {
		rc = err->code;
	} else {
		sqlite3_bind_int64(q, 1, id);
		sq_bind_text(q, 2, status);
		sq_bind_text(q, 3, at);
		sq_bind_id(q, 4, user_id);
		sq_bind_text(q, 5, comment);
		sqlite3_bind_int(q, 6, version);
		rc = sq_exec_stmt(s, q, "store the review", err);
		if (rc == CTIP_OK && sqlite3_changes(s->db) == 0)
			rc = stale(err, id);
	}
	if (rc == CTIP_OK)
		rc = step_insert(s, id,
				 strcmp(status, "approved") == 0 ? "approve"
								 : "return",
				 at, user_id, unit_id, comment, NULL, err);
	return sq_own_end(s, own, rc, err);
}

static void
read_step(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_report_step *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->action = sq_col_text(q, 1, a, ok);
	r->at = sq_col_text(q, 2, a, ok);
	r->user_id = sqlite3_column_int64(q, 3);
	r->unit_id = sqlite3_column_int64(q, 4);
	r->user_name = sq_col_text(q, 5, a, ok);
	r->unit_name = sq_col_text(q, 6, a, ok);
	r->comment = sq_col_text(q, 7, a, ok);
	r->submission = sqlite3_column_int(q, 8);
	r->kept = sqlite3_column_int(q, 9) != 0;
}

static int
steps(struct ctip_report_step **out, int *n_out, struct ctip_store *st,
      int64_t report_id, struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_STEPS, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, report_id);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q, read_step,
			   a, err);
}

static int
submission(const char **out, struct ctip_store *st, int64_t report_id, int n,
	   struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	bool ok = true;
	int rc;

	*out = NULL;
	if (n < 1)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "report %lld has no submission %d",
				    (long long)report_id, n);
	if ((q = sq_stmt(s, Q_SUBMISSION, err)) == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, report_id);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)n - 1);
	rc = sq_step_one(s, q, "submission", err);
	if (rc == CTIP_OK)
		*out = sq_col_text(q, 0, a, &ok);
	sq_done(q);
	if (rc == CTIP_ENOTFOUND)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "report %lld has no submission %d",
				    (long long)report_id, n);
	if (rc != CTIP_OK)
		return rc;
	if (!ok)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	if (*out == NULL)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "submission %d of report %lld was made "
				    "before submissions were kept",
				    n, (long long)report_id);
	return CTIP_OK;
}

static int
activity_insert(int64_t *id_out, struct ctip_store *st,
		const struct ctip_activity *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_ACT_INSERT, err);

	if (q == NULL)
		return err->code;
	sq_bind_id(q, 1, r->org_unit_id);
	sq_bind_text(q, 2, r->province_code);
	sq_bind_text(q, 3, r->commune_code);
	sq_bind_text(q, 4, r->kind);
	sq_bind_text(q, 5, r->title);
	sq_bind_text(q, 6, r->started_on);
	sq_bind_text(q, 7, r->ended_on);
	sqlite3_bind_int64(q, 8, r->participants);
	sq_bind_text(q, 9, r->note);
	sq_bind_id(q, 10, r->created_by);
	sq_bind_text(q, 11, r->created_at);
	return sq_insert_row(id_out, s, q, "store the activity", err);
}

static int
activity_update(struct ctip_store *st, const struct ctip_activity *r,
		struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_ACT_UPDATE, err);
	int rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->id);
	sq_bind_text(q, 2, r->kind);
	sq_bind_text(q, 3, r->title);
	sq_bind_text(q, 4, r->started_on);
	sq_bind_text(q, 5, r->ended_on);
	sqlite3_bind_int64(q, 6, r->participants);
	sq_bind_text(q, 7, r->note);
	sq_bind_text(q, 8, r->updated_at);
	sqlite3_bind_int(q, 9, r->version);
	rc = sq_exec_stmt(s, q, "update the activity", err);
	if (rc == CTIP_OK && sqlite3_changes(s->db) == 0)
		rc = ctip_err_field(err, CTIP_ECONFLICT, "version",
				    "activity %lld was changed by someone "
				    "else: reload it",
				    (long long)r->id);
	return rc;
}

static void
read_activity(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_activity *r = row;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(q, 0);
	r->org_unit_id = sqlite3_column_int64(q, 1);
	r->unit_name = sq_col_text(q, 2, a, ok);
	r->province_code = sq_col_text(q, 3, a, ok);
	r->commune_code = sq_col_text(q, 4, a, ok);
	r->kind = sq_col_text(q, 5, a, ok);
	r->title = sq_col_text(q, 6, a, ok);
	r->started_on = sq_col_text(q, 7, a, ok);
	r->ended_on = sq_col_text(q, 8, a, ok);
	r->participants = (long)sqlite3_column_int64(q, 9);
	r->note = sq_col_text(q, 10, a, ok);
	r->created_by = sqlite3_column_int64(q, 11);
	r->created_at = sq_col_text(q, 12, a, ok);
	r->updated_at = sq_col_text(q, 13, a, ok);
	r->version = sqlite3_column_int(q, 14);
}

static int
activity_get(struct ctip_activity *out, struct ctip_store *st, int64_t id,
	     struct ctip_arena *a, struct ctip_err *err)
{
	return sq_get_one(out, S(st), Q_ACT_GET, id, "activity", read_activity,
			  a, err);
}

static int
activity_list(struct ctip_activity **out, int *n_out, struct ctip_store *st,
	      const struct ctip_activity_filter *f, struct ctip_arena *a,
	      struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_ACT_LIST, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, f->unit_id);
	sq_bind_text(q, 2, f->province_code);
	sq_bind_text(q, 3, f->commune_code);
	sq_bind_text(q, 4, f->kind);
	sq_bind_text(q, 5, f->from);
	sq_bind_text(q, 6, f->to);
	sqlite3_bind_int64(q, 7, f->before_id);
	sqlite3_bind_int(q, 8, f->limit);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   read_activity, a, err);
}

const struct ctip_report_ops sq_report_ops = {
	.rates = rates,
	.forms = forms,
	.form_get = form_get,
	.rows = rows,
	.rules = rules,
	.deadline_get = deadline_get,
	.deadline_set = deadline_set,
	.get = get,
	.get_id = get_id,
	.list = list,
	.submit = submit,
	.review = review,
	.steps = steps,
	.submission = submission,
	.activity_insert = activity_insert,
	.activity_update = activity_update,
	.activity_get = activity_get,
	.activity_list = activity_list,
};
