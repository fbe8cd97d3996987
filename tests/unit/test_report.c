/* test_report.c: periodic reports (issue 6): periods and deadlines, the
 * draft against a second code path (each row's indicator counted on its
 * own), the frozen snapshot, validation, the submission workflow and who
 * may do what, completeness and timeliness, reminders, activities. */
#include "core/activity.h"
#include "core/report.h"
#include "core/setup.h"
#include "core/stats.h"

#include "helpers.h"

#include <math.h>

#define H1 "2026-H1"

static void
period_is(const char *type, const char *key, const char *from, const char *to)
{
	struct ctip_period p;
	struct ctip_err err = { 0 };

	assert_int_equal(ctip_period_parse(&p, type, key, &err), CTIP_OK);
	assert_string_equal(p.key, key);
	assert_string_equal(p.from, from);
	assert_string_equal(p.to, to);
}

static void
periods_follow_the_statistical_cut_off(void **state)
{
	struct ctip_period p;
	struct ctip_err err = { 0 };
	static const char *const bad[][2] = {
		{ "quarter", "2026-Q5" },   { "quarter", "2026-Q0" },
		{ "quarter", "2026" },      { "half_year", "2026-H3" },
		{ "half_year", "2026-Q1" }, { "year", "2026-H1" },
		{ "year", "26" },           { "year", "1999" },
		{ "peak", "2026" },         { "year", "" },
		{ "year", "２０２６" },     { "quarter", "2026-Q1x" },
	};
	size_t i;

	(void)state;
	period_is("quarter", "2026-Q1", "2025-12-15", "2026-03-14");
	period_is("quarter", "2026-Q2", "2026-03-15", "2026-06-14");
	period_is("quarter", "2026-Q4", "2026-09-15", "2026-12-14");
	period_is("half_year", "2026-H1", "2025-12-15", "2026-06-14");
	period_is("half_year", "2026-H2", "2026-06-15", "2026-12-14");
	period_is("year", "2026", "2025-12-15", "2026-12-14");
	period_is("peak", "2026-peak", "2026-07-01", "2026-09-30");
	for (i = 0; i < CTIP_NELEM(bad); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(
			ctip_period_parse(&p, bad[i][0], bad[i][1], &err),
			CTIP_EINVAL);
		assert_string_equal(err.field, "period");
	}
	assert_int_equal(ctip_period_parse(&p, "week", "2026", &err),
			 CTIP_EINVAL);
	ctip_period_of(&p, "quarter", "2026-12-20");
	assert_string_equal(p.key, "2027-Q1");
	ctip_period_of(&p, "half_year", "2026-06-14");
	assert_string_equal(p.key, "2026-H1");
	ctip_period_of(&p, "half_year", "2026-06-15");
	assert_string_equal(p.key, "2026-H2");
	ctip_period_of(&p, "year", "2026-12-14");
	assert_string_equal(p.key, "2026");
}

static void
due_dates_come_from_the_form_or_the_province(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal prov =
		user_at(f, "hn.stat", "POLICE", "01", "statistician");
	struct ctip_principal comm =
		user_at(f, "bd.stat", "POLICE", BA_DINH, "statistician");
	struct ctip_form form;
	struct ctip_period p;
	struct ctip_err err = { 0 };
	char due[11];
	bool expected;

	assert_int_equal(f->st->ops->reports->form_get(
				 &form, f->st, "BC_QG_QUY", &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(ctip_period_parse(&p, "quarter", "2026-Q1", &err),
			 CTIP_OK);
	assert_int_equal(
		ctip_report_due(due, &expected, f->st, &form, &p, NULL, &err),
		CTIP_OK);
	assert_true(expected);
	assert_string_equal(due, "2026-03-20");
	/* The second quarter is the half-year report's. */
	assert_int_equal(ctip_period_parse(&p, "quarter", "2026-Q2", &err),
			 CTIP_OK);
	assert_int_equal(
		ctip_report_due(due, &expected, f->st, &form, &p, NULL, &err),
		CTIP_OK);
	assert_false(expected);

	assert_int_equal(f->st->ops->reports->form_get(
				 &form, f->st, "BC_TINH_6T", &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(ctip_period_parse(&p, "half_year", H1, &err), CTIP_OK);
	assert_int_equal(
		ctip_report_due(due, &expected, f->st, &form, &p, "01", &err),
		CTIP_OK);
	assert_string_equal(due, "2026-06-18");
	assert_int_equal(ctip_report_deadline_set(&f->ax, &prov, "BC_TINH_6T",
						  1, "06-25", &err),
			 CTIP_OK);
	assert_int_equal(
		ctip_report_due(due, &expected, f->st, &form, &p, "01", &err),
		CTIP_OK);
	assert_string_equal(due, "2026-06-25");
	/* A day on or before the period's end falls in the next year. */
	assert_int_equal(f->st->ops->reports->form_get(
				 &form, f->st, "BC_TINH_NAM", &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(ctip_report_deadline_set(&f->ax, &prov, "BC_TINH_NAM",
						  1, "01-10", &err),
			 CTIP_OK);
	assert_int_equal(ctip_period_parse(&p, "year", "2026", &err), CTIP_OK);
	assert_int_equal(
		ctip_report_due(due, &expected, f->st, &form, &p, "01", &err),
		CTIP_OK);
	assert_string_equal(due, "2027-01-10");
	assert_int_equal(f->st->ops->reports->form_get(
				 &form, f->st, "BC_TINH_6T", &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(ctip_period_parse(&p, "half_year", H1, &err), CTIP_OK);
	/* Another province keeps the form's. */
	assert_int_equal(
		ctip_report_due(due, &expected, f->st, &form, &p, "79", &err),
		CTIP_OK);
	assert_string_equal(due, "2026-06-18");
	/* Refusals name the field. */
	assert_int_equal(ctip_report_deadline_set(&f->ax, &prov, "BC_TINH_6T",
						  1, "02-30", &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "month_day");
	assert_int_equal(ctip_report_deadline_set(&f->ax, &prov, "BC_TINH_6T",
						  3, "06-20", &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "period_no");
	assert_int_equal(ctip_report_deadline_set(&f->ax, &prov, "BC_XA_6T", 1,
						  "06-20", &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "form");
	assert_int_equal(ctip_report_deadline_set(&f->ax, &comm, "BC_TINH_6T",
						  1, "06-20", &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM audit_log WHERE action "
				  "= 'report.deadline'",
				  NULL),
			 2);
}

/* --- a populated database --- */

static int
data_setup(void **state)
{
	struct db_fixture *f;
	struct ctip_import_stats is;
	struct ctip_err err = { 0 };
	char sql[1024];

	if (db_setup(state, true) != 0)
		return -1;
	f = *state;
	if (ctip_setup_demo(&is, f->st, &f->kr, 2000, 77u, &err) != CTIP_OK) {
		print_error("demo: %s\n", err.msg);
		return -1;
	}
	/* A tenth of the persons in Ba Đình, received in the first half of
	 * 2026, some identified in it. */
	snprintf(sql, sizeof(sql),
		 "UPDATE person SET province_code = '01', commune_code = "
		 "'" BA_DINH "', received_on = '2026-0' || (1 + id %% 5) || "
		 "'-10', identified_on = CASE WHEN id %% 3 = 0 THEN "
		 "'2026-05-20' END WHERE id %% 10 = 0");
	if (raw_exec(f->db, sql) != SQLITE_OK)
		return -1;
	/* As many again received before it and identified in it: more
	 * identified than received, a warning. */
	if (raw_exec(f->db,
		     "UPDATE person SET province_code = '01', commune_code = "
		     "'" BA_DINH "', received_on = '2025-06-01', "
		     "identified_on = '2026-05-20' WHERE id % 10 = 1 AND role "
		     "<> 'accompanying_minor'") != SQLITE_OK)
		return -1;
	return 0;
}

/* The total of row seq of a report body. */
static long
row_total(json_t *body, const char *item, const char *by)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(body, "rows"), i, r)
	{
		const char *b = json_string_value(json_object_get(r, "by"));

		if (strcmp(json_string_value(json_object_get(r, "item")),
			   item) == 0 &&
		    ((by == NULL && b == NULL) ||
		     (by != NULL && b != NULL && strcmp(by, b) == 0)))
			return (long)json_integer_value(
				json_object_get(r, "total"));
	}
	fail_msg("no row %s", item);
	return -1;
}

/* Every count row of the report equals the indicator counted on its own
 * (ctip_stats_value) for the same place and period, every split row's
 * cells the dimension's values, and every rate its two counts. */
static void
check_rows(struct db_fixture *f, const struct ctip_principal *p,
	   const struct ctip_report_view *v)
{
	struct ctip_stats_value sv;
	struct ctip_err err = { 0 };
	const char *commune =
		strcmp(v->place.level, "commune") == 0 ? v->place.code : NULL;
	const char *province =
		strcmp(v->place.level, "province") == 0 ? v->place.code : NULL;
	json_t *r, *c;
	size_t i, k;
	int n_rows = 0, j;

	json_array_foreach(json_object_get(v->body, "rows"), i, r)
	{
		const char *kind =
			json_string_value(json_object_get(r, "kind"));
		const char *item =
			json_string_value(json_object_get(r, "item"));
		const char *by = json_string_value(json_object_get(r, "by"));

		n_rows++;
		if (strcmp(kind, "rate") == 0) {
			long num = (long)json_integer_value(
				json_object_get(r, "numerator"));
			long den = (long)json_integer_value(
				json_object_get(r, "denominator"));
			json_t *rate = json_object_get(r, "rate");

			if (den == 0)
				assert_true(json_is_null(rate));
			else
				assert_true(fabs(json_real_value(rate) -
						 (double)num / (double)den) <
					    1e-9);
			continue;
		}
		assert_int_equal(ctip_stats_value(&sv, f->st, p, item,
						  v->period.from, v->period.to,
						  commune, province, by,
						  &f->arena, &err),
				 CTIP_OK);
		if (by == NULL) {
			assert_int_equal(
				json_integer_value(json_object_get(r, "total")),
				sv.total);
			continue;
		}
		/* Each category the count has is a cell with its value;
		 * cells it lacks are the fixed ones, zero. */
		for (j = 0; j < sv.n_values; j++) {
			bool found = false;

			json_array_foreach(json_object_get(r, "cells"), k, c) if (
				strcmp(json_string_value(
					       json_object_get(c, "category")),
				       sv.values[j].category) == 0)
			{
				assert_int_equal(
					json_integer_value(
						json_object_get(c, "value")),
					sv.values[j].value);
				found = true;
			}
			assert_true(found);
		}
	}
	assert_true(n_rows > 20);
}

static void
draft_rows_equal_each_indicator_counted_alone(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal nat =
		user_at(f, "vn.stat", "POLICE", "VN", "statistician");
	struct ctip_report_view v;
	struct ctip_err err = { 0 };
	static const char *const cases[][3] = {
		{ "BC_XA_6T", H1, BA_DINH },
		{ "BC_TINH_6T", H1, "01" },
		{ "BC_QG_6T", H1, "VN" },
		{ "BC_QG_QUY", "2026-Q1", "VN" },
	};
	size_t i;

	for (i = 0; i < CTIP_NELEM(cases); i++) {
		assert_int_equal(ctip_report_get(&v, &f->ax, &nat, cases[i][0],
						 cases[i][1], cases[i][2],
						 &f->arena, &err),
				 CTIP_OK);
		assert_string_equal(v.status, "draft");
		check_rows(f, &nat, &v);
		json_decref(v.body);
	}
	/* Ba Đình received persons in the half-year, by the data. */
	assert_int_equal(ctip_report_get(&v, &f->ax, &nat, "BC_XA_6T", H1,
					 BA_DINH, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(row_total(v.body, "V_RECEIVED", NULL),
			 raw_long(f->db,
				  "SELECT count(*) FROM person WHERE "
				  "commune_code = ?1 AND role <> "
				  "'accompanying_minor' AND received_on "
				  "BETWEEN '2025-12-15' AND '2026-06-14'",
				  BA_DINH));
	assert_true(row_total(v.body, "V_RECEIVED", NULL) > 0);
	assert_int_equal(row_total(v.body, "V_RECEIVED", "sex"),
			 row_total(v.body, "V_RECEIVED", NULL));
	json_decref(v.body);
}

static void
a_submitted_report_does_not_change_when_records_do(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal st =
		user_at(f, "bd.stat", "POLICE", BA_DINH, "statistician");
	struct ctip_principal hn =
		user_at(f, "hn.sup", "POLICE", "01", "supervisor");
	struct ctip_report_view v;
	struct ctip_err err = { 0 };
	int64_t id, again;
	long before;
	char *frozen;

	assert_int_equal(ctip_report_get(&v, &f->ax, &st, "BC_XA_6T", H1, NULL,
					 &f->arena, &err),
			 CTIP_OK);
	assert_true(v.may_submit);
	before = row_total(v.body, "V_RECEIVED", NULL);
	json_decref(v.body);
	/* The half-year has more persons identified than received: a
	 * warning, which needs a note. */
	assert_int_equal(ctip_report_submit(&id, &f->ax, &st, "BC_XA_6T", H1,
					    NULL, NULL, 0, &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "note");
	assert_int_equal(ctip_report_submit(&id, &f->ax, &st, "BC_XA_6T", H1,
					    NULL, "Tiếp nhận từ kỳ trước", 0,
					    &f->arena, &err),
			 CTIP_OK);
	frozen = raw_text(&f->arena, f->db,
			  "SELECT snapshot FROM report WHERE id = 1", NULL);
	assert_non_null(frozen);
	/* More persons of Ba Đình received in the half-year. */
	assert_int_equal(raw_exec(f->db,
				  "UPDATE person SET commune_code = '" BA_DINH
				  "', province_code = '01', received_on = "
				  "'2026-02-02' WHERE id % 10 = 5"),
			 SQLITE_OK);
	assert_int_equal(ctip_report_get(&v, &f->ax, &st, "BC_XA_6T", H1, NULL,
					 &f->arena, &err),
			 CTIP_OK);
	assert_string_equal(v.status, "submitted");
	assert_false(v.may_submit);
	assert_int_equal(row_total(v.body, "V_RECEIVED", NULL), before);
	json_decref(v.body);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT snapshot FROM report WHERE id = 1",
				     NULL),
			    frozen);
	/* Submitted twice: refused. */
	assert_int_equal(ctip_report_submit(&again, &f->ax, &st, "BC_XA_6T", H1,
					    NULL, "x", 0, &f->arena, &err),
			 CTIP_ECONFLICT);
	/* Returned: the draft is computed again, with the new persons. */
	assert_int_equal(ctip_report_review(&f->ax, &hn, id, 1, "return", NULL,
					    &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "comment");
	assert_int_equal(ctip_report_review(&f->ax, &hn, id, 1, "return",
					    "Kiểm tra lại số liệu", &f->arena,
					    &err),
			 CTIP_OK);
	assert_int_equal(ctip_report_get(&v, &f->ax, &st, "BC_XA_6T", H1, NULL,
					 &f->arena, &err),
			 CTIP_OK);
	assert_string_equal(v.status, "returned");
	assert_true(v.may_submit);
	assert_string_equal(v.rec.review_comment, "Kiểm tra lại số liệu");
	assert_true(row_total(v.body, "V_RECEIVED", NULL) > before);
	json_decref(v.body);
	/* Submitted again at the version read, then approved. */
	assert_int_equal(ctip_report_submit(&again, &f->ax, &st, "BC_XA_6T", H1,
					    NULL, "Đã bổ sung", 1, &f->arena,
					    &err),
			 CTIP_ECONFLICT);
	assert_int_equal(ctip_report_submit(&id, &f->ax, &st, "BC_XA_6T", H1,
					    NULL, "Đã bổ sung", 2, &f->arena,
					    &err),
			 CTIP_OK);
	assert_int_equal(ctip_report_review(&f->ax, &hn, id, 3, "approve", NULL,
					    &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(
		ctip_report_get_id(&v, &f->ax, &hn, id, &f->arena, &err),
		CTIP_OK);
	assert_string_equal(v.status, "approved");
	assert_true(row_total(v.body, "V_RECEIVED", NULL) > before);
	json_decref(v.body);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM report_step WHERE "
				  "report_id = 1",
				  NULL),
			 4);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM audit_log WHERE "
				  "object_type = 'report'",
				  NULL),
			 4);
}

static void
who_may_submit_review_and_see(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal st =
		user_at(f, "bd.stat", "POLICE", BA_DINH, "statistician");
	struct ctip_principal cw =
		user_at(f, "bd.cw", "POLICE", BA_DINH, "case_worker");
	struct ctip_principal other =
		user_at(f, "nh.stat", "POLICE", NGOC_HA, "statistician");
	struct ctip_principal hcm =
		user_at(f, "hcm.stat", "POLICE", "79", "statistician");
	struct ctip_principal hn =
		user_at(f, "hn.stat", "POLICE", "01", "statistician");
	struct ctip_principal adm =
		user_at(f, "adm", "POLICE", "VN", "administrator");
	struct ctip_report_view v;
	struct ctip_err err = { 0 };
	int64_t id;

	/* Another commune, another province, an administrator: nothing. */
	assert_int_equal(ctip_report_get(&v, &f->ax, &other, "BC_XA_6T", H1,
					 BA_DINH, &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_string_equal(err.field, "place");
	assert_int_equal(ctip_report_get(&v, &f->ax, &hcm, "BC_XA_6T", H1,
					 BA_DINH, &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_report_get(&v, &f->ax, &adm, "BC_XA_6T", H1,
					 BA_DINH, &f->arena, &err),
			 CTIP_EFORBIDDEN);
	/* A place of another level, an unknown form or period. */
	assert_int_equal(ctip_report_get(&v, &f->ax, &hn, "BC_XA_6T", H1, "01",
					 &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "place");
	assert_int_equal(ctip_report_get(&v, &f->ax, &hn, "BC_NOPE", H1, "01",
					 &f->arena, &err),
			 CTIP_ENOTFOUND);
	assert_string_equal(err.field, "form");
	assert_int_equal(ctip_report_get(&v, &f->ax, &hn, "BC_XA_6T", "2026",
					 BA_DINH, &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "period");
	/* A case worker sees but does not submit; the province does not
	 * submit a commune's report; a period not over is refused. */
	assert_int_equal(ctip_report_submit(&id, &f->ax, &cw, "BC_XA_6T", H1,
					    NULL, "x", 0, &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_report_submit(&id, &f->ax, &hn, "BC_XA_6T", H1,
					    BA_DINH, "x", 0, &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_report_submit(&id, &f->ax, &st, "BC_XA_6T",
					    "2027-H1", NULL, "x", 0, &f->arena,
					    &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "period");
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM report", NULL),
			 0);
	assert_int_equal(ctip_report_submit(&id, &f->ax, &st, "BC_XA_6T", H1,
					    NULL, "x", 0, &f->arena, &err),
			 CTIP_OK);
	/* Only the level above reviews: not the commune, not another
	 * province, not a case worker. */
	assert_int_equal(ctip_report_review(&f->ax, &st, id, 1, "approve", NULL,
					    &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_report_review(&f->ax, &hcm, id, 1, "approve",
					    NULL, &f->arena, &err),
			 CTIP_ENOTFOUND);
	assert_int_equal(ctip_report_review(&f->ax, &hn, id, 1, "maybe", NULL,
					    &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "decision");
	assert_int_equal(ctip_report_review(&f->ax, &hn, id, 7, "approve", NULL,
					    &f->arena, &err),
			 CTIP_ECONFLICT);
	assert_int_equal(ctip_report_review(&f->ax, &hn, id, 1, "approve", NULL,
					    &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(ctip_report_review(&f->ax, &hn, id, 2, "return", "x",
					    &f->arena, &err),
			 CTIP_ECONFLICT);
	/* The id of a report outside the scope is as a missing one. */
	assert_int_equal(
		ctip_report_get_id(&v, &f->ax, &other, id, &f->arena, &err),
		CTIP_ENOTFOUND);
	assert_int_equal(
		ctip_report_get_id(&v, &f->ax, &hn, 999, &f->arena, &err),
		CTIP_ENOTFOUND);
}

/* Each submission is kept as it was submitted: the first, returned, keeps
 * its rows when records change and the report is submitted again. */
static void
every_submission_is_kept_as_submitted(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal st =
		user_at(f, "bd.stat", "POLICE", BA_DINH, "statistician");
	struct ctip_principal hn =
		user_at(f, "hn.sup", "POLICE", "01", "supervisor");
	struct ctip_principal other =
		user_at(f, "nh.stat", "POLICE", NGOC_HA, "statistician");
	struct ctip_principal hcm =
		user_at(f, "hcm.stat", "POLICE", "79", "statistician");
	struct ctip_principal cw =
		user_at(f, "bd.cw", "POLICE", BA_DINH, "case_worker");
	struct ctip_report_submission s1, s2;
	struct ctip_report_step *steps;
	struct ctip_err err = { 0 };
	const char *first;
	int64_t id;
	long before;
	int n;

	assert_int_equal(ctip_report_submit(&id, &f->ax, &st, "BC_XA_6T", H1,
					    NULL, "Tiếp nhận từ kỳ trước", 0,
					    &f->arena, &err),
			 CTIP_OK);
	first = raw_text(&f->arena, f->db,
			 "SELECT snapshot FROM report WHERE id = 1", NULL);
	/* Submission 1 is current until reviewed, and is the report's. */
	assert_int_equal(ctip_report_submission(&s1, &f->ax, &hn, id, 1,
						&f->arena, &err),
			 CTIP_OK);
	assert_string_equal(s1.status_after, "current");
	assert_null(s1.review);
	assert_string_equal(s1.step->action, "submit");
	assert_string_equal(s1.step->comment, "Tiếp nhận từ kỳ trước");
	before = row_total(s1.body, "V_RECEIVED", NULL);
	json_decref(s1.body);
	assert_int_equal(ctip_report_submission(&s1, &f->ax, &st, id, 2,
						&f->arena, &err),
			 CTIP_ENOTFOUND);
	/* Returned, more persons received, submitted again. */
	assert_int_equal(ctip_report_review(&f->ax, &hn, id, 1, "return",
					    "Kiểm tra lại số liệu", &f->arena,
					    &err),
			 CTIP_OK);
	assert_int_equal(raw_exec(f->db,
				  "UPDATE person SET commune_code = '" BA_DINH
				  "', province_code = '01', received_on = "
				  "'2026-02-02' WHERE id % 10 = 5"),
			 SQLITE_OK);
	assert_int_equal(ctip_report_submit(&id, &f->ax, &st, "BC_XA_6T", H1,
					    NULL, "Đã bổ sung", 2, &f->arena,
					    &err),
			 CTIP_OK);
	/* The report's snapshot is the second; the first is still there,
	 * byte for byte, with its smaller count. */
	assert_string_not_equal(
		raw_text(&f->arena, f->db,
			 "SELECT snapshot FROM report WHERE id = 1", NULL),
		first);
	assert_string_equal(
		raw_text(&f->arena, f->db,
			 "SELECT snapshot FROM report_step WHERE id = 1", NULL),
		first);
	assert_int_equal(ctip_report_submission(&s1, &f->ax, &st, id, 1,
						&f->arena, &err),
			 CTIP_OK);
	assert_int_equal(ctip_report_submission(&s2, &f->ax, &st, id, 2,
						&f->arena, &err),
			 CTIP_OK);
	assert_string_equal(s1.status_after, "returned");
	assert_string_equal(s1.review->action, "return");
	assert_string_equal(s1.review->comment, "Kiểm tra lại số liệu");
	assert_string_equal(s2.status_after, "current");
	assert_int_equal(row_total(s1.body, "V_RECEIVED", NULL), before);
	assert_true(row_total(s2.body, "V_RECEIVED", NULL) > before);
	assert_string_equal(
		json_string_value(json_object_get(s2.body, "submitted_at")),
		s2.step->at);
	json_decref(s1.body);
	json_decref(s2.body);
	/* Approved: submission 2 says so. */
	assert_int_equal(ctip_report_review(&f->ax, &hn, id, 3, "approve", NULL,
					    &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(ctip_report_submission(&s2, &f->ax, &hn, id, 2,
						&f->arena, &err),
			 CTIP_OK);
	assert_string_equal(s2.status_after, "approved");
	json_decref(s2.body);
	/* The steps number the submissions; review steps keep nothing. */
	assert_int_equal(
		ctip_report_steps(&steps, &n, &f->ax, &st, id, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 4);
	assert_int_equal(steps[0].submission, 1);
	assert_true(steps[0].kept);
	assert_int_equal(steps[1].submission, 0);
	assert_false(steps[1].kept);
	assert_int_equal(steps[2].submission, 2);
	assert_true(steps[2].kept);
	assert_int_equal(steps[3].submission, 0);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM report_step WHERE "
				  "snapshot IS NOT NULL AND action <> 'submit'",
				  NULL),
			 0);
	/* Outside the scope is as missing; a bad number names n. */
	assert_int_equal(ctip_report_submission(&s1, &f->ax, &other, id, 1,
						&f->arena, &err),
			 CTIP_ENOTFOUND);
	assert_null(s1.body);
	assert_int_equal(ctip_report_submission(&s1, &f->ax, &hcm, id, 1,
						&f->arena, &err),
			 CTIP_ENOTFOUND);
	assert_int_equal(ctip_report_submission(&s1, &f->ax, &cw, id, 1,
						&f->arena, &err),
			 CTIP_OK);
	json_decref(s1.body);
	assert_int_equal(ctip_report_submission(&s1, &f->ax, &st, id, 0,
						&f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "n");
	assert_int_equal(ctip_report_submission(&s1, &f->ax, &st, 999, 1,
						&f->arena, &err),
			 CTIP_ENOTFOUND);
	/* A submission whose snapshot was not kept (made before
	 * 012_report_versions) is numbered but not found. */
	assert_int_equal(raw_exec(f->db, "UPDATE report_step SET snapshot = "
					 "NULL WHERE id = 1"),
			 SQLITE_OK);
	assert_int_equal(
		ctip_report_steps(&steps, &n, &f->ax, &st, id, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(steps[0].submission, 1);
	assert_false(steps[0].kept);
	assert_int_equal(ctip_report_submission(&s1, &f->ax, &st, id, 1,
						&f->arena, &err),
			 CTIP_ENOTFOUND);
	assert_non_null(strstr(err.msg, "before submissions were kept"));
}

static void
validation_errors_block_the_submission(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal st =
		user_at(f, "bd.stat", "POLICE", BA_DINH, "statistician");
	struct ctip_report_view v;
	struct ctip_err err = { 0 };
	json_t *x;
	size_t i;
	int64_t id;
	bool seen = false;

	/* A rule that the data breaks, as an error. */
	assert_int_equal(raw_exec(f->db,
				  "INSERT INTO validation_rule VALUES ('T', "
				  "'V_RECEIVED', '<=', 'V_MINORS', 'error', "
				  "'Lỗi', 'Broken')"),
			 SQLITE_OK);
	assert_int_equal(ctip_report_get(&v, &f->ax, &st, "BC_XA_6T", H1, NULL,
					 &f->arena, &err),
			 CTIP_OK);
	assert_true(v.n_errors >= 1);
	json_array_foreach(
		json_object_get(v.body, "findings"), i,
		x) if (strcmp(json_string_value(json_object_get(x, "code")),
			      "T") == 0)
	{
		assert_string_equal(
			json_string_value(json_object_get(x, "message_vi")),
			"Lỗi");
		seen = true;
	}
	assert_true(seen);
	json_decref(v.body);
	assert_int_equal(ctip_report_submit(&id, &f->ax, &st, "BC_XA_6T", H1,
					    NULL, "giải trình", 0, &f->arena,
					    &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "report");
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM report", NULL),
			 0);
}

static void
completeness_counts_who_reported_and_when(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal bd =
		user_at(f, "bd.stat", "POLICE", BA_DINH, "statistician");
	struct ctip_principal nh =
		user_at(f, "nh.stat", "POLICE", NGOC_HA, "statistician");
	struct ctip_principal hn =
		user_at(f, "hn.stat", "POLICE", "01", "statistician");
	struct ctip_report_completeness c;
	struct ctip_report_reminder *r;
	struct ctip_err err = { 0 };
	int64_t id;
	int i, n, reviews = 0;
	long communes;

	assert_int_equal(ctip_report_submit(&id, &f->ax, &bd, "BC_XA_6T", H1,
					    NULL, "x", 0, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(ctip_report_submit(&id, &f->ax, &nh, "BC_XA_6T", H1,
					    NULL, "x", 0, &f->arena, &err),
			 CTIP_OK);
	/* Ba Đình's was in by its deadline. */
	assert_int_equal(raw_exec(f->db,
				  "UPDATE report SET first_submitted_at = "
				  "'2026-06-14T20:00:00Z' WHERE place_code = "
				  "'" BA_DINH "'"),
			 SQLITE_OK);
	assert_int_equal(ctip_report_completeness(&c, &f->ax, &hn, "BC_XA_6T",
						  H1, NULL, &f->arena, &err),
			 CTIP_OK);
	communes = raw_long(f->db,
			    "SELECT count(*) FROM admin_unit WHERE "
			    "province_code = '01'",
			    NULL);
	assert_int_equal(c.n_places, communes);
	assert_string_equal(c.due_on, "2026-06-15");
	assert_int_equal(c.submitted, 2);
	assert_int_equal(c.on_time, 1);
	assert_int_equal(c.late, 1);
	assert_int_equal(c.missing, communes - 2);
	assert_int_equal(c.overdue, communes - 2);
	for (i = 0; i < c.n_places; i++)
		if (strcmp(c.places[i].code, BA_DINH) == 0)
			assert_string_equal(c.places[i].timeliness, "on_time");
		else if (strcmp(c.places[i].code, NGOC_HA) == 0)
			assert_string_equal(c.places[i].timeliness, "late");
		else
			assert_string_equal(c.places[i].timeliness, "overdue");
	/* A commune sees no one else's; a province needs no province. */
	assert_int_equal(ctip_report_completeness(&c, &f->ax, &bd, "BC_XA_6T",
						  H1, NULL, &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_report_completeness(&c, &f->ax, &hn, "BC_XA_6T",
						  H1, "79", &f->arena, &err),
			 CTIP_EFORBIDDEN);
	/* The province is reminded of the two waiting for its review. */
	assert_int_equal(
		ctip_report_reminders(&r, &n, &f->ax, &hn, &f->arena, &err),
		CTIP_OK);
	for (i = 0; i < n; i++)
		if (strcmp(r[i].kind, "review") == 0 &&
		    strcmp(r[i].form.code, "BC_XA_6T") == 0 &&
		    strcmp(r[i].period.key, H1) == 0) {
			assert_int_equal(r[i].count, 2);
			reviews++;
		}
	assert_int_equal(reviews, 1);
	/* Ngọc Hà's, sent back, is to be sent again: not in, not missing,
	 * and still late by its first sending. */
	assert_int_equal(ctip_report_review(&f->ax, &hn, id, 1, "return",
					    "Bổ sung", &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(ctip_report_completeness(&c, &f->ax, &hn, "BC_XA_6T",
						  H1, NULL, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(c.submitted, 1);
	assert_int_equal(c.returned, 1);
	assert_int_equal(c.missing, communes - 2);
	assert_int_equal(c.late, 1);
}

static void
a_province_is_reminded_of_its_own_report(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal hn =
		user_at(f, "hn.stat", "POLICE", "01", "statistician");
	struct ctip_report_reminder *r;
	struct ctip_err err = { 0 };
	char today[11], soon[11], md[6];
	int i, n, found = 0;

	/* The province moves its annual deadline to five days from now. */
	ctip_today(today);
	ctip_date_add(soon, today, 5, 0);
	memcpy(md, soon + 5, sizeof(md));
	assert_int_equal(ctip_report_deadline_set(&f->ax, &hn, "BC_TINH_NAM", 1,
						  md, &err),
			 CTIP_OK);
	assert_int_equal(
		ctip_report_reminders(&r, &n, &f->ax, &hn, &f->arena, &err),
		CTIP_OK);
	for (i = 0; i < n; i++)
		if (strcmp(r[i].kind, "due") == 0 &&
		    strcmp(r[i].form.code, "BC_TINH_NAM") == 0) {
			assert_int_equal(r[i].days_left, 5);
			assert_string_equal(r[i].due_on, soon);
			assert_string_equal(r[i].place_code, "01");
			found++;
		}
	assert_int_equal(found, 1);
}

static void
activities_are_recorded_once_and_counted(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal bd =
		user_at(f, "bd.cw", "POLICE", BA_DINH, "case_worker");
	struct ctip_principal nh =
		user_at(f, "nh.cw", "POLICE", NGOC_HA, "case_worker");
	struct ctip_principal hn =
		user_at(f, "hn.stat", "POLICE", "01", "statistician");
	struct ctip_principal aud =
		user_at(f, "aud", "POLICE", "VN", "auditor");
	struct ctip_activity_input in = { .kind = "communication",
					  .title = "Tuyên truyền 30/7",
					  .started_on = "2026-03-01",
					  .ended_on = "2026-03-02",
					  .participants = 120 };
	struct ctip_activity_input bad;
	struct ctip_activity_filter fl = { .limit = 50 };
	struct ctip_activity act, *rows;
	struct ctip_report_view v;
	struct ctip_err err = { 0 };
	int64_t id;
	int n;
	size_t i;
	static const struct {
		const char *field;
		struct ctip_activity_input in;
	} bads[] = {
		{ "kind",
		  { .kind = "party",
		    .title = "x",
		    .started_on = "2026-03-01",
		    .ended_on = "2026-03-01" } },
		{ "title",
		  { .kind = "training",
		    .title = " ",
		    .started_on = "2026-03-01",
		    .ended_on = "2026-03-01" } },
		{ "started_on",
		  { .kind = "training",
		    .title = "x",
		    .started_on = "2026-02-30",
		    .ended_on = "2026-03-01" } },
		{ "started_on",
		  { .kind = "training",
		    .title = "x",
		    .started_on = "2099-01-01",
		    .ended_on = "2099-01-01" } },
		{ "ended_on",
		  { .kind = "training",
		    .title = "x",
		    .started_on = "2026-03-01",
		    .ended_on = "2026-02-01" } },
		{ "participants",
		  { .kind = "training",
		    .title = "x",
		    .started_on = "2026-03-01",
		    .ended_on = "2026-03-01",
		    .participants = -1 } },
	};

	for (i = 0; i < CTIP_NELEM(bads); i++) {
		bad = bads[i].in;
		assert_int_equal(
			ctip_activity_create(&id, &f->ax, &bd, &bad, &err),
			CTIP_EINVAL);
		assert_string_equal(err.field, bads[i].field);
	}
	assert_int_equal(ctip_activity_create(&id, &f->ax, &aud, &in, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM activity", NULL),
			 0);
	assert_int_equal(ctip_activity_create(&id, &f->ax, &bd, &in, &err),
			 CTIP_OK);
	assert_int_equal(
		ctip_activity_get(&act, &f->ax, &bd, id, &f->arena, &err),
		CTIP_OK);
	assert_string_equal(act.commune_code, BA_DINH);
	assert_string_equal(act.province_code, "01");
	/* Another commune neither sees nor changes it; the province sees
	 * it but only its unit changes it. */
	assert_int_equal(
		ctip_activity_get(&act, &f->ax, &nh, id, &f->arena, &err),
		CTIP_ENOTFOUND);
	in.version = 1;
	in.participants = 150;
	assert_int_equal(
		ctip_activity_update(&f->ax, &hn, id, &in, &f->arena, &err),
		CTIP_EFORBIDDEN);
	assert_int_equal(
		ctip_activity_update(&f->ax, &bd, id, &in, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(
		ctip_activity_update(&f->ax, &bd, id, &in, &f->arena, &err),
		CTIP_ECONFLICT);
	assert_int_equal(ctip_activity_list(&rows, &n, &f->ax, &hn, &fl,
					    &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 1);
	fl = (struct ctip_activity_filter){ .limit = 50 };
	assert_int_equal(ctip_activity_list(&rows, &n, &f->ax, &nh, &fl,
					    &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 0);
	/* Filters: a commune may name its own place, not another; the
	 * province not a commune of another province. */
	fl = (struct ctip_activity_filter){ .limit = 50,
					    .commune_code = BA_DINH,
					    .province_code = "01" };
	assert_int_equal(ctip_activity_list(&rows, &n, &f->ax, &bd, &fl,
					    &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 1);
	fl = (struct ctip_activity_filter){ .limit = 50,
					    .commune_code = BA_DINH };
	assert_int_equal(ctip_activity_list(&rows, &n, &f->ax, &nh, &fl,
					    &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_string_equal(err.field, "commune");
	fl = (struct ctip_activity_filter){ .limit = 50,
					    .commune_code = BA_DINH };
	assert_int_equal(ctip_activity_list(&rows, &n, &f->ax, &hn, &fl,
					    &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 1);
	fl = (struct ctip_activity_filter){ .limit = 50, .commune_code = "01" };
	assert_int_equal(ctip_activity_list(&rows, &n, &f->ax, &hn, &fl,
					    &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "commune");
	/* Counted in the commune's and the province's reports. */
	assert_int_equal(ctip_report_get(&v, &f->ax, &hn, "BC_XA_6T", H1,
					 BA_DINH, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(row_total(v.body, "ACT_COMMUNICATION", NULL), 1);
	assert_int_equal(row_total(v.body, "ACT_COMMUNICATION_PEOPLE", NULL),
			 150);
	json_decref(v.body);
	assert_int_equal(ctip_report_get(&v, &f->ax, &hn, "BC_TINH_6T", H1,
					 "01", &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(row_total(v.body, "ACT_COMMUNICATION_PEOPLE", NULL),
			 150);
	json_decref(v.body);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM audit_log WHERE "
				  "object_type = 'activity'",
				  NULL),
			 2);
}

static void
a_broken_form_stops_the_load(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };

	assert_int_equal(ctip_report_catalogue_check(f->st, &err), CTIP_OK);
	assert_int_equal(raw_exec(f->db,
				  "UPDATE form_row SET by_dim = 'article' "
				  "WHERE item = 'V_RECEIVED' AND by_dim = "
				  "'sex' AND layout = 'commune'"),
			 SQLITE_OK);
	assert_int_equal(ctip_report_catalogue_check(f->st, &err), CTIP_EINVAL);
	assert_non_null(strstr(err.msg, "layout commune row"));
	assert_int_equal(raw_exec(f->db,
				  "UPDATE form_row SET by_dim = 'sex', item = "
				  "'NOPE' WHERE by_dim = 'article' AND layout "
				  "= 'commune'"),
			 SQLITE_OK);
	assert_int_equal(ctip_report_catalogue_check(f->st, &err), CTIP_EINVAL);
	assert_non_null(strstr(err.msg, "\"NOPE\""));
	assert_int_equal(raw_exec(f->db,
				  "UPDATE form_row SET item = 'V_RECEIVED' "
				  "WHERE item = 'NOPE'; UPDATE report_form SET "
				  "deadlines = '3:06-15' WHERE code = "
				  "'BC_XA_6T'"),
			 SQLITE_OK);
	assert_int_equal(ctip_report_catalogue_check(f->st, &err), CTIP_EINVAL);
	assert_non_null(strstr(err.msg, "form BC_XA_6T: deadlines"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(periods_follow_the_statistical_cut_off),
		LOADED(due_dates_come_from_the_form_or_the_province),
		cmocka_unit_test_setup_teardown(
			draft_rows_equal_each_indicator_counted_alone,
			data_setup, db_teardown),
		cmocka_unit_test_setup_teardown(
			a_submitted_report_does_not_change_when_records_do,
			data_setup, db_teardown),
		cmocka_unit_test_setup_teardown(who_may_submit_review_and_see,
						data_setup, db_teardown),
		cmocka_unit_test_setup_teardown(
			every_submission_is_kept_as_submitted, data_setup,
			db_teardown),
		cmocka_unit_test_setup_teardown(
			validation_errors_block_the_submission, data_setup,
			db_teardown),
		cmocka_unit_test_setup_teardown(
			completeness_counts_who_reported_and_when, data_setup,
			db_teardown),
		LOADED(a_province_is_reminded_of_its_own_report),
		LOADED(activities_are_recorded_once_and_counted),
		LOADED(a_broken_form_stops_the_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
