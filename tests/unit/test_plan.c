/* test_plan.c: plans (issue 7): creation with its checks naming the
 * field, who sees which plan, cascade and coverage, progress and who may
 * report it, the due list and the roll-up, the audit entries of every
 * write, and the import proposal from the seed documents. */
#include "core/activity.h"
#include "core/plan.h"

#include "helpers.h"

#define PLANS CTIP_TEST_DATA "/../tests/unit/data/plans"

/* A JSON value from text; fails the test if it does not parse. */
static json_t *
J(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	if (j == NULL)
		fail_msg("bad test JSON: %s: %s", e.text, text);
	return j;
}

/* A plan body with one section and tasks (a JSON array text). */
static json_t *
plan_body(const char *tasks)
{
	char text[8192];

	snprintf(text, sizeof(text),
		 "{\"number\": \"12/KH-UBND\", \"title\": \"Kế hoạch "
		 "phòng, chống mua bán người năm 2026\", \"issued_on\": "
		 "\"2026-01-10\", \"period_from\": \"2026-01-01\", "
		 "\"period_to\": \"2026-12-31\", \"sections\": [{\"key\": "
		 "\"II\", \"number\": \"II\", \"title\": \"NHIỆM VỤ\"}, "
		 "{\"key\": \"1\", \"number\": \"1\", \"title\": \"Truyền "
		 "thông\", \"parent\": \"II\"}], \"tasks\": %s}",
		 tasks);
	return J(text);
}

/* Create a plan as p from a tasks array; the status. */
static enum ctip_status
create(int64_t *id, struct db_fixture *f, const struct ctip_principal *p,
       const char *tasks, struct ctip_err *err)
{
	json_t *in = plan_body(tasks);
	enum ctip_status rc;

	memset(err, 0, sizeof(*err));
	rc = ctip_plan_create(id, &f->ax, p, in, &f->arena, err);
	json_decref(in);
	return rc;
}

static long
audits(struct db_fixture *f, const char *action)
{
	return raw_long(f->db,
			"SELECT count(*) FROM audit_log WHERE action = ?1",
			action);
}

/* The PLAN of id as p sees it (the caller releases it). */
static json_t *
plan_of(struct db_fixture *f, const struct ctip_principal *p, int64_t id)
{
	struct ctip_err err = { 0 };
	json_t *j = NULL;

	if (ctip_plan_get(&j, &f->ax, p, id, &f->arena, &err) != CTIP_OK)
		fail_msg("plan %lld as %s: %s", (long long)id, p->username,
			 err.msg);
	return j;
}

static json_t *
task_of(json_t *plan, size_t i)
{
	return json_array_get(json_object_get(plan, "tasks"), i);
}

static void
bad_input_names_the_field(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal hn =
		user_at(f, "hn.sup", "PEOPLES_COMMITTEE", "01", "supervisor");
	struct ctip_err err;
	int64_t id;
	static const struct {
		const char *tasks, *field;
	} bad[] = {
		{ "[]", "tasks" },
		{ "[{\"text\": \"a\", \"timing\": {\"kind\": \"once\"}, "
		  "\"lead\": [{\"all_units\": true}]}]",
		  "tasks[0].timing" },
		{ "[{\"text\": \"a\", \"timing\": {\"kind\": \"continuous\"}, "
		  "\"lead\": [{\"all_units\": true}]}, {\"text\": \"b\", "
		  "\"timing\": {\"kind\": \"continuous\"}, \"lead\": "
		  "[{\"all_units\": true}]}, {\"text\": \"c\", \"timing\": "
		  "{\"kind\": \"yearly\", \"from\": \"07-01\", \"to\": "
		  "\"09-31\"}, \"lead\": [{\"all_units\": true}]}]",
		  "tasks[2].timing" },
		{ "[{\"text\": \"a\", \"timing\": {\"kind\": \"once\", "
		  "\"due_on\": \"2026-02-30\"}, \"lead\": [{\"all_units\": "
		  "true}]}]",
		  "tasks[0].timing" },
		{ "[{\"text\": \"a\", \"timing\": {\"kind\": \"weekly\"}, "
		  "\"lead\": [{\"all_units\": true}]}]",
		  "tasks[0].timing" },
		{ "[{\"text\": \"a\", \"timing\": {\"kind\": \"year\"}, "
		  "\"lead\": []}]",
		  "tasks[0].lead" },
		{ "[{\"text\": \"a\", \"timing\": {\"kind\": \"year\"}}]",
		  "tasks[0].lead" },
		{ "[{\"text\": \" \", \"timing\": {\"kind\": \"year\"}, "
		  "\"lead\": [{\"all_units\": true}]}]",
		  "tasks[0].text" },
		{ "[{\"text\": \"a\", \"timing\": {\"kind\": \"year\"}, "
		  "\"lead\": [{\"unit_id\": 99999}]}]",
		  "tasks[0].lead[0]" },
		{ "[{\"text\": \"a\", \"timing\": {\"kind\": \"year\"}, "
		  "\"lead\": [{\"agency\": \"NOPE\"}]}]",
		  "tasks[0].lead[0]" },
		{ "[{\"text\": \"a\", \"timing\": {\"kind\": \"year\"}, "
		  "\"lead\": [{\"all_units\": true}], \"coordinate\": "
		  "[{\"x\": 1}]}]",
		  "tasks[0].coordinate[0]" },
		{ "[{\"text\": \"a\", \"section\": \"IX\", \"timing\": "
		  "{\"kind\": \"year\"}, \"lead\": [{\"all_units\": true}]}]",
		  "tasks[0].section" },
		{ "[{\"text\": \"a\", \"timing\": {\"kind\": \"year\"}, "
		  "\"source_task_id\": 1, \"lead\": [{\"all_units\": true}]}]",
		  "tasks[0].source_task_id" },
	};
	size_t i;

	for (i = 0; i < CTIP_NELEM(bad); i++) {
		assert_int_equal(create(&id, f, &hn, bad[i].tasks, &err),
				 CTIP_EINVAL);
		assert_string_equal(err.field, bad[i].field);
	}
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM plan", NULL), 0);
	assert_int_equal(audits(f, "plan.create"), 0);
}

static void
a_plan_is_created_and_read_back(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal hn =
		user_at(f, "hn.sup", "PEOPLES_COMMITTEE", "01", "supervisor");
	int64_t police = unit_at(f, "POLICE", "01");
	struct ctip_err err;
	char tasks[1024];
	json_t *j, *t, *lead;
	int64_t id;

	snprintf(tasks, sizeof(tasks),
		 "[{\"section\": \"1\", \"number\": \"1.1\", \"text\": "
		 "\"Tuyên truyền\", \"timing\": {\"kind\": \"yearly\", "
		 "\"from\": \"07-01\", \"to\": \"09-30\"}, \"lead\": "
		 "[{\"unit_id\": %lld}], \"coordinate\": [{\"agency\": "
		 "\"HEALTH\", \"phrase\": \"Sở Y tế\"}, {\"all_units\": "
		 "true}]}, {\"section\": \"II\", \"number\": \"2\", \"text\": "
		 "\"Rà soát\", \"expected_output\": \"Báo cáo\", \"timing\": "
		 "{\"kind\": \"once\", \"due_on\": \"2026-06-30\"}, \"lead\": "
		 "[{\"agency\": \"POLICE\"}]}]",
		 (long long)police);
	assert_int_equal(create(&id, f, &hn, tasks, &err), CTIP_OK);
	assert_true(id > 0);
	assert_int_equal(audits(f, "plan.create"), 1);
	j = plan_of(f, &hn, id);
	assert_string_equal(json_string_value(json_object_get(j, "admin_code")),
			    "01");
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "sections")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "tasks")), 2);
	t = task_of(j, 0);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(t, "timing"), "to")),
			    "09-30");
	lead = json_array_get(json_object_get(t, "lead"), 0);
	assert_int_equal(json_integer_value(json_object_get(lead, "unit_id")),
			 police);
	assert_int_equal(json_array_size(json_object_get(t, "coordinate")), 2);
	/* {"agency"} found the existing police unit, and created Health's. */
	assert_int_equal(
		json_integer_value(json_object_get(
			json_array_get(json_object_get(task_of(j, 1), "lead"),
				       0),
			"unit_id")),
		police);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM org_unit WHERE "
				  "agency_code = 'HEALTH' AND admin_code = "
				  "'01'",
				  NULL),
			 1);
	assert_string_equal(
		json_string_value(json_object_get(task_of(j, 1), "due_on")),
		"2026-06-30");
	assert_string_equal(
		json_string_value(json_object_get(task_of(j, 1), "status")),
		"not_started");
	json_decref(j);
}

static const char *const ONE_TASK =
	"[{\"number\": \"1\", \"text\": \"Tuyên truyền\", \"timing\": "
	"{\"kind\": \"continuous\"}, \"lead\": [{\"all_units\": true}]}]";

static void
plans_are_seen_at_their_place_above_and_below(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal hn =
		user_at(f, "hn.sup", "PEOPLES_COMMITTEE", "01", "supervisor");
	struct ctip_principal bd =
		user_at(f, "bd.stat", "POLICE", BA_DINH, "statistician");
	struct ctip_principal nh =
		user_at(f, "nh.cw", "POLICE", NGOC_HA, "case_worker");
	struct ctip_principal hcm =
		user_at(f, "hcm.sup", "POLICE", "79", "supervisor");
	struct ctip_principal vn =
		user_at(f, "vn.stat", "POLICE", "VN", "statistician");
	struct ctip_principal adm =
		user_at(f, "hn.adm", "POLICE", "01", "administrator");
	struct ctip_principal aud =
		user_at(f, "hn.aud", "POLICE", "01", "auditor");
	struct ctip_err err = { 0 };
	int64_t prov, comm, nation, none;
	json_t *j;

	assert_int_equal(create(&prov, f, &hn, ONE_TASK, &err), CTIP_OK);
	assert_int_equal(create(&comm, f, &bd, ONE_TASK, &err), CTIP_OK);
	assert_int_equal(create(&nation, f, &vn, ONE_TASK, &err), CTIP_OK);
	/* A case worker may read, not create. */
	assert_int_equal(create(&none, f, &nh, ONE_TASK, &err),
			 CTIP_EFORBIDDEN);
	/* A commune sees its own, its province's and the nation's. */
	json_decref(plan_of(f, &bd, prov));
	json_decref(plan_of(f, &bd, nation));
	json_decref(plan_of(f, &hn, comm));
	json_decref(plan_of(f, &vn, comm));
	assert_int_equal(ctip_plan_get(&j, &f->ax, &nh, comm, &f->arena, &err),
			 CTIP_ENOTFOUND);
	assert_string_equal(err.msg, "no plan 2");
	assert_int_equal(ctip_plan_get(&j, &f->ax, &nh, 99, &f->arena, &err),
			 CTIP_ENOTFOUND);
	assert_string_equal(err.msg, "no plan 99");
	assert_int_equal(ctip_plan_get(&j, &f->ax, &hcm, prov, &f->arena, &err),
			 CTIP_ENOTFOUND);
	assert_int_equal(ctip_plan_get(&j, &f->ax, &hcm, comm, &f->arena, &err),
			 CTIP_ENOTFOUND);
	json_decref(plan_of(f, &hcm, nation));
	assert_int_equal(ctip_plan_get(&j, &f->ax, &adm, prov, &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_plan_get(&j, &f->ax, &aud, prov, &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_plan_list(&j, &f->ax, &adm, &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_plan_list(&j, &f->ax, &nh, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	json_decref(j);
	assert_int_equal(ctip_plan_list(&j, &f->ax, &hn, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 3);
	json_decref(j);
	assert_int_equal(ctip_plan_list(&j, &f->ax, &hcm, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
}

static void
cascade_copies_tasks_and_shows_coverage_above(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal hn =
		user_at(f, "hn.sup", "PEOPLES_COMMITTEE", "01", "supervisor");
	struct ctip_principal bd = user_at(f, "bd.stat", "PEOPLES_COMMITTEE",
					   BA_DINH, "statistician");
	struct ctip_principal nh = user_at(f, "nh.stat", "PEOPLES_COMMITTEE",
					   NGOC_HA, "statistician");
	struct ctip_err err = { 0 };
	int64_t prov, low, low2, t0, t1;
	char body[512];
	json_t *j, *in, *cov;

	assert_int_equal(
		create(&prov, f, &hn,
		       "[{\"section\": \"1\", \"number\": \"1\", \"text\": "
		       "\"Tuyên truyền\", \"timing\": {\"kind\": \"year\"}, "
		       "\"lead\": [{\"all_units\": true}]}, {\"number\": "
		       "\"2\", \"text\": \"Kiểm tra\", \"timing\": {\"kind\": "
		       "\"half_year\"}, \"lead\": [{\"agency\": "
		       "\"POLICE\"}]}]",
		       &err),
		CTIP_OK);
	j = plan_of(f, &hn, prov);
	t0 = json_integer_value(json_object_get(task_of(j, 0), "id"));
	t1 = json_integer_value(json_object_get(task_of(j, 1), "id"));
	json_decref(j);
	snprintf(body, sizeof(body),
		 "{\"task_ids\": [%lld, %lld], \"title\": \"Kế hoạch xã\", "
		 "\"issued_on\": \"2026-02-01\", \"period_from\": "
		 "\"2026-01-01\", \"period_to\": \"2026-12-31\"}",
		 (long long)t0, (long long)t1);
	in = J(body);
	assert_int_equal(
		ctip_plan_cascade(&low, &f->ax, &bd, prov, in, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(ctip_plan_cascade(&low2, &f->ax, &nh, prov, in,
					   &f->arena, &err),
			 CTIP_OK);
	/* Not downwards, nor sideways. */
	assert_int_equal(ctip_plan_cascade(&low2, &f->ax, &hn, prov, in,
					   &f->arena, &err),
			 CTIP_EFORBIDDEN);
	json_decref(in);
	in = J("{\"task_ids\": [999], \"title\": \"x\", \"issued_on\": "
	       "\"2026-02-01\", \"period_from\": \"2026-01-01\", "
	       "\"period_to\": \"2026-12-31\"}");
	assert_int_equal(ctip_plan_cascade(&low2, &f->ax, &bd, prov, in,
					   &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "task_ids");
	json_decref(in);
	assert_int_equal(audits(f, "plan.cascade"), 2);

	j = plan_of(f, &bd, low);
	assert_int_equal(
		json_integer_value(json_object_get(j, "parent_plan_id")), prov);
	assert_int_equal(json_array_size(json_object_get(j, "tasks")), 2);
	assert_int_equal(json_integer_value(json_object_get(task_of(j, 0),
							    "source_task_id")),
			 t0);
	assert_int_equal(
		json_integer_value(json_object_get(
			json_array_get(json_object_get(task_of(j, 0), "lead"),
				       0),
			"unit_id")),
		bd.unit_id);
	assert_int_equal(json_array_size(json_object_get(j, "sections")), 2);
	json_decref(j);

	j = plan_of(f, &hn, prov);
	cov = json_object_get(task_of(j, 0), "coverage");
	assert_int_equal(json_integer_value(json_object_get(cov, "plans")), 2);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(cov, "places"), 0)),
			    BA_DINH);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(cov, "places"), 1)),
			    NGOC_HA);
	json_decref(j);
}

/* Progress body. */
static enum ctip_status
report(struct db_fixture *f, const struct ctip_principal *p, int64_t id,
       int64_t tid, const char *body, struct ctip_err *err)
{
	json_t *in = J(body);
	enum ctip_status rc;

	memset(err, 0, sizeof(*err));
	rc = ctip_plan_progress(&f->ax, p, id, tid, in, &f->arena, err);
	json_decref(in);
	return rc;
}

static void
progress_is_reported_by_the_units_named(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal hn =
		user_at(f, "hn.sup", "PEOPLES_COMMITTEE", "01", "supervisor");
	struct ctip_principal pol =
		user_at(f, "hn.pol", "POLICE", "01", "investigator");
	struct ctip_principal hea =
		user_at(f, "hn.hea", "HEALTH", "01", "case_worker");
	struct ctip_principal edu =
		user_at(f, "hn.edu", "EDUCATION", "01", "case_worker");
	struct ctip_principal polhcm =
		user_at(f, "hcm.pol", "POLICE", "79", "investigator");
	struct ctip_principal judge =
		user_at(f, "hn.judge", "COURT", "01", "judge");
	struct ctip_activity_input ai = { .kind = "communication",
					  .title = "Truyền thông",
					  .started_on = "2026-03-02",
					  .ended_on = "2026-03-02",
					  .participants = 40 };
	struct ctip_err err = { 0 };
	int64_t id, t0, t1, act, other_act;
	char body[512];
	json_t *j, *g;

	assert_int_equal(
		create(&id, f, &hn,
		       "[{\"number\": \"1\", \"text\": \"Điều tra\", "
		       "\"timing\": {\"kind\": \"once\", \"due_on\": "
		       "\"2026-06-30\"}, \"lead\": [{\"agency\": \"POLICE\"}], "
		       "\"coordinate\": [{\"agency\": \"HEALTH\"}]}, "
		       "{\"number\": \"2\", \"text\": \"Tuyên truyền\", "
		       "\"timing\": {\"kind\": \"continuous\"}, \"lead\": "
		       "[{\"all_units\": true}]}]",
		       &err),
		CTIP_OK);
	j = plan_of(f, &hn, id);
	t0 = json_integer_value(json_object_get(task_of(j, 0), "id"));
	t1 = json_integer_value(json_object_get(task_of(j, 1), "id"));
	json_decref(j);

	/* Who may report: named units, all units of the place for an
	 * all-units task, the issuing unit; not others, not judges. */
	assert_int_equal(report(f, &edu, id, t0,
				"{\"period\": \"2026-H1\", \"status\": "
				"\"done\", \"version\": 0}",
				&err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(report(f, &polhcm, id, t0,
				"{\"period\": \"2026-H1\", \"status\": "
				"\"done\", \"version\": 0}",
				&err),
			 CTIP_ENOTFOUND);
	assert_int_equal(report(f, &judge, id, t1,
				"{\"period\": \"2026-H1\", \"status\": "
				"\"done\", \"version\": 0}",
				&err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(report(f, &edu, id, t1,
				"{\"period\": \"2026-H1\", \"status\": "
				"\"in_progress\", \"version\": 0}",
				&err),
			 CTIP_OK);
	/* Checks. */
	assert_int_equal(report(f, &pol, id, t0,
				"{\"period\": \"2026-Q1\", \"status\": "
				"\"done\", \"version\": 0}",
				&err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "period");
	assert_int_equal(report(f, &pol, id, t0,
				"{\"period\": \"2026\", \"status\": "
				"\"finished\", \"version\": 0}",
				&err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "status");
	assert_int_equal(report(f, &pol, id, t0,
				"{\"period\": \"2026\", \"status\": "
				"\"cannot_do\", \"version\": 0}",
				&err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "reason");
	assert_int_equal(report(f, &pol, id, t0,
				"{\"period\": \"2026\", \"status\": "
				"\"done\"}",
				&err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "version");
	assert_int_equal(report(f, &pol, id, t0,
				"{\"period\": \"2026-H1\", \"status\": "
				"\"done\", \"version\": 0, \"report_ids\": "
				"[5]}",
				&err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "report_ids");

	/* Activities: the reporter's own scope only. */
	assert_int_equal(ctip_activity_create(&act, &f->ax, &pol, &ai, &err),
			 CTIP_OK);
	assert_int_equal(
		ctip_activity_create(&other_act, &f->ax, &polhcm, &ai, &err),
		CTIP_OK);
	snprintf(body, sizeof(body),
		 "{\"period\": \"2026-H1\", \"status\": \"in_progress\", "
		 "\"evidence\": \"Đã mở 2 đợt\", \"version\": 0, "
		 "\"activity_ids\": [%lld]}",
		 (long long)other_act);
	assert_int_equal(report(f, &pol, id, t0, body, &err), CTIP_EINVAL);
	assert_string_equal(err.field, "activity_ids");
	snprintf(body, sizeof(body),
		 "{\"period\": \"2026-H1\", \"status\": \"in_progress\", "
		 "\"evidence\": \"Đã mở 2 đợt\", \"version\": 0, "
		 "\"activity_ids\": [%lld]}",
		 (long long)act);
	assert_int_equal(report(f, &pol, id, t0, body, &err), CTIP_OK);
	assert_int_equal(raw_long(f->db,
				  "SELECT plan_task_id FROM activity WHERE id "
				  "= 1",
				  NULL),
			 t0);
	/* A second first entry is stale; so is an old version. */
	assert_int_equal(report(f, &pol, id, t0, body, &err), CTIP_ECONFLICT);
	assert_string_equal(err.field, "version");
	assert_int_equal(report(f, &pol, id, t0,
				"{\"period\": \"2026-H1\", \"status\": "
				"\"done\", \"version\": 1}",
				&err),
			 CTIP_OK);
	assert_int_equal(report(f, &pol, id, t0,
				"{\"period\": \"2026-H1\", \"status\": "
				"\"done\", \"version\": 1}",
				&err),
			 CTIP_ECONFLICT);
	assert_int_equal(report(f, &hea, id, t0,
				"{\"period\": \"2026-H1\", \"status\": "
				"\"cannot_do\", \"reason\": \"Thiếu kinh "
				"phí\", \"version\": 0}",
				&err),
			 CTIP_OK);
	assert_int_equal(audits(f, "plan.progress"), 4);

	j = plan_of(f, &hn, id);
	/* The lead unit is done: the task is done. */
	assert_string_equal(
		json_string_value(json_object_get(task_of(j, 0), "status")),
		"done");
	assert_false(json_is_true(json_object_get(task_of(j, 0), "overdue")));
	assert_int_equal(
		json_array_size(json_object_get(task_of(j, 0), "progress")), 2);
	g = json_array_get(json_object_get(task_of(j, 0), "progress"), 0);
	assert_int_equal(json_integer_value(json_object_get(g, "version")), 2);
	assert_int_equal(json_array_size(json_object_get(g, "activities")), 1);
	assert_string_equal(
		json_string_value(json_object_get(task_of(j, 1), "status")),
		"in_progress");
	json_decref(j);
}

static void
tasks_are_changed_by_their_unit_at_the_version_read(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal hn =
		user_at(f, "hn.sup", "PEOPLES_COMMITTEE", "01", "supervisor");
	struct ctip_principal hn2 =
		user_at(f, "hn.pol", "POLICE", "01", "supervisor");
	struct ctip_err err = { 0 };
	int64_t id, tid;
	json_t *j, *in;

	assert_int_equal(create(&id, f, &hn, ONE_TASK, &err), CTIP_OK);
	j = plan_of(f, &hn, id);
	tid = json_integer_value(json_object_get(task_of(j, 0), "id"));
	json_decref(j);
	in = J("{\"text\": \"Tuyên truyền lưu động\", \"timing\": {\"kind\": "
	       "\"once\", \"due_on\": \"2026-09-30\"}, \"lead\": "
	       "[{\"agency\": \"YOUTH_UNION\"}], \"version\": 1}");
	assert_int_equal(ctip_plan_task_update(&f->ax, &hn2, id, tid, in,
					       &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_plan_task_update(&f->ax, &hn, id, tid, in,
					       &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(ctip_plan_task_update(&f->ax, &hn, id, tid, in,
					       &f->arena, &err),
			 CTIP_ECONFLICT);
	assert_string_equal(err.field, "version");
	json_decref(in);
	in = J("{\"text\": \"x\", \"timing\": {\"kind\": \"yearly\", "
	       "\"from\": \"07-01\"}, \"lead\": [{\"all_units\": true}], "
	       "\"version\": 2}");
	assert_int_equal(ctip_plan_task_update(&f->ax, &hn, id, tid, in,
					       &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "timing");
	json_decref(in);
	assert_int_equal(audits(f, "plan.task.update"), 1);
	j = plan_of(f, &hn, id);
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 2);
	assert_string_equal(
		json_string_value(json_object_get(task_of(j, 0), "text")),
		"Tuyên truyền lưu động");
	assert_string_equal(
		json_string_value(json_object_get(task_of(j, 0), "due_on")),
		"2026-09-30");
	json_decref(j);
}

static void
the_due_list_and_rollup_follow_status_and_dates(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal hn =
		user_at(f, "hn.sup", "PEOPLES_COMMITTEE", "01", "supervisor");
	struct ctip_principal pol =
		user_at(f, "hn.pol", "POLICE", "01", "investigator");
	struct ctip_principal health =
		user_at(f, "hn.health", "HEALTH", "01", "case_worker");
	struct ctip_err err = { 0 };
	char today[11], past[11], soon[11], later[11], tasks[1024];
	int64_t id, t0, t1, t2;
	json_t *j, *items, *by_unit, *by_section, *u;
	size_t k;

	ctip_today(today);
	ctip_date_add(past, today, -3, 0);
	ctip_date_add(soon, today, 10, 0);
	ctip_date_add(later, today, 90, 0);
	snprintf(tasks, sizeof(tasks),
		 "[{\"section\": \"1\", \"number\": \"1\", \"text\": "
		 "\"Quá hạn\", \"timing\": {\"kind\": \"once\", \"due_on\": "
		 "\"%s\"}, \"lead\": [{\"agency\": \"POLICE\"}], "
		 "\"coordinate\": [{\"agency\": \"HEALTH\"}]}, "
		 "{\"section\": \"1\", \"number\": \"2\", \"text\": \"Sắp "
		 "đến hạn\", \"timing\": {\"kind\": \"once\", \"due_on\": "
		 "\"%s\"}, \"lead\": [{\"all_units\": true}]}, {\"number\": "
		 "\"3\", \"text\": \"Còn xa\", \"timing\": {\"kind\": "
		 "\"once\", \"due_on\": \"%s\"}, \"lead\": [{\"agency\": "
		 "\"POLICE\"}]}]",
		 past, soon, later);
	assert_int_equal(create(&id, f, &hn, tasks, &err), CTIP_OK);
	j = plan_of(f, &hn, id);
	t0 = json_integer_value(json_object_get(task_of(j, 0), "id"));
	t1 = json_integer_value(json_object_get(task_of(j, 1), "id"));
	t2 = json_integer_value(json_object_get(task_of(j, 2), "id"));
	assert_true(json_is_true(json_object_get(task_of(j, 0), "overdue")));
	assert_false(json_is_true(json_object_get(task_of(j, 1), "overdue")));
	json_decref(j);

	assert_int_equal(ctip_plan_due(&j, &f->ax, &pol, 30, &f->arena, &err),
			 CTIP_OK);
	items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 2);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(items, 0), "task_id")),
			 t0);
	assert_true(json_is_true(
		json_object_get(json_array_get(items, 0), "overdue")));
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(items, 0), "days_left")),
			 -3);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(items, 1), "task_id")),
			 t1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(items, 1), "days_left")),
			 10);
	json_decref(j);
	assert_int_equal(ctip_plan_due(&j, &f->ax, &pol, 400, &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "days");

	/* Done, it leaves the list. */
	assert_int_equal(report(f, &pol, id, t0,
				"{\"period\": \"2026\", \"status\": "
				"\"done\", \"version\": 0}",
				&err),
			 CTIP_OK);
	assert_int_equal(ctip_plan_due(&j, &f->ax, &pol, 30, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	assert_int_equal(report(f, &pol, id, t2,
				"{\"period\": \"2026\", \"status\": "
				"\"in_progress\", \"version\": 0}",
				&err),
			 CTIP_OK);
	/* Done later, in the second half: the year counts its halves. */
	assert_int_equal(report(f, &pol, id, t2,
				"{\"period\": \"2026-H2\", \"status\": "
				"\"done\", \"version\": 0}",
				&err),
			 CTIP_OK);

	assert_int_equal(ctip_plan_rollup(&j, &f->ax, &hn, id, "2026-H3",
					  &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "period");
	assert_int_equal(
		ctip_plan_rollup(&j, &f->ax, &hn, id, "2026", &f->arena, &err),
		CTIP_OK);
	by_unit = json_object_get(j, "by_unit");
	assert_int_equal(json_array_size(by_unit), 2);
	for (k = 0; k < 2; k++) {
		u = json_array_get(by_unit, k);
		if (json_integer_value(json_object_get(u, "unit_id")) ==
		    pol.unit_id) {
			assert_int_equal(
				json_integer_value(json_object_get(u, "tasks")),
				2);
			assert_int_equal(
				json_integer_value(json_object_get(u, "done")),
				2);
			assert_int_equal(json_integer_value(
						 json_object_get(u, "overdue")),
					 0);
		} else {
			/* The coordinating unit of the overdue task: on it,
			 * not late for it (the lead unit answers for it). */
			assert_int_equal(json_integer_value(
						 json_object_get(u, "unit_id")),
					 health.unit_id);
			assert_int_equal(
				json_integer_value(json_object_get(u, "tasks")),
				1);
			assert_int_equal(json_integer_value(json_object_get(
						 u, "not_started")),
					 1);
			assert_int_equal(json_integer_value(
						 json_object_get(u, "overdue")),
					 0);
		}
	}
	by_section = json_object_get(j, "by_section");
	assert_int_equal(json_array_size(by_section), 3);
	/* Section II has no task of its own; section 1 has two. */
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(by_section, 0), "tasks")),
			 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(by_section, 1), "tasks")),
			 0);
	u = json_array_get(by_section, 2);
	assert_int_equal(json_integer_value(json_object_get(u, "tasks")), 2);
	assert_int_equal(json_integer_value(json_object_get(u, "done")), 1);
	assert_int_equal(json_integer_value(json_object_get(u, "not_started")),
			 1);
	json_decref(j);
	/* In the first half nothing was reported. */
	assert_int_equal(ctip_plan_rollup(&j, &f->ax, &hn, id, "2026-H1",
					  &f->arena, &err),
			 CTIP_OK);
	u = json_array_get(json_object_get(j, "by_unit"), 0);
	assert_int_equal(json_integer_value(json_object_get(u, "not_started")),
			 2);
	json_decref(j);

	/* A task all the place's units lead is late for each that reports
	 * on it unfinished. */
	snprintf(tasks, sizeof(tasks),
		 "[{\"number\": \"1\", \"text\": \"Mọi đơn vị\", \"timing\": "
		 "{\"kind\": \"once\", \"due_on\": \"%s\"}, \"lead\": "
		 "[{\"all_units\": true}]}]",
		 past);
	assert_int_equal(create(&id, f, &hn, tasks, &err), CTIP_OK);
	j = plan_of(f, &hn, id);
	t0 = json_integer_value(json_object_get(task_of(j, 0), "id"));
	json_decref(j);
	assert_int_equal(report(f, &pol, id, t0,
				"{\"period\": \"2026\", \"status\": "
				"\"in_progress\", \"version\": 0}",
				&err),
			 CTIP_OK);
	assert_int_equal(
		ctip_plan_rollup(&j, &f->ax, &hn, id, "2026", &f->arena, &err),
		CTIP_OK);
	u = json_array_get(json_object_get(j, "by_unit"), 0);
	assert_int_equal(json_integer_value(json_object_get(u, "unit_id")),
			 pol.unit_id);
	assert_int_equal(json_integer_value(json_object_get(u, "overdue")), 1);
	json_decref(j);
}

/* Tasks listed in a seed's .expected file. */
static int
expected_tasks(const char *path)
{
	size_t n = 0, i;
	char *text = file_get(path, &n);
	int count = 0;
	bool start = true;

	assert_non_null(text);
	for (i = 0; i < n; i++) {
		if (start && text[i] != '#' && text[i] != '\n')
			count++;
		start = text[i] == '\n';
	}
	free(text);
	return count;
}

static void
the_seed_documents_are_proposed_with_their_tasks(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal hn =
		user_at(f, "hn.sup", "PEOPLES_COMMITTEE", "01", "supervisor");
	static const char *const seeds[] = { "000_4563534232ebab9a",
					     "001_bd0e0520140911f5",
					     "003_87d156a7c71ba5a1",
					     "004_55e8217417afd0fc" };
	int64_t police = unit_at(f, "POLICE", "01");
	struct ctip_err err = { 0 };
	char path[512];
	bool matched_police = false, saw_all = false, saw_timing = false;
	size_t i, k, n;
	json_t *j, *tasks, *t, *u;
	char *text;

	for (i = 0; i < CTIP_NELEM(seeds); i++) {
		snprintf(path, sizeof(path), "%s/%s.txt", PLANS, seeds[i]);
		text = file_get(path, &n);
		assert_non_null(text);
		assert_int_equal(ctip_plan_import(&j, f->st, &hn, NULL, text, n,
						  &f->arena, &err),
				 CTIP_OK);
		free(text);
		snprintf(path, sizeof(path), "%s/%s.expected", PLANS, seeds[i]);
		tasks = json_object_get(json_object_get(j, "proposal"),
					"tasks");
		assert_int_equal(json_array_size(tasks), expected_tasks(path));
		assert_int_equal(json_integer_value(json_object_get(
					 json_object_get(j, "stats"), "tasks")),
				 expected_tasks(path));
		json_array_foreach(tasks, k, t)
		{
			size_t m;

			if (json_is_object(json_object_get(t, "timing")))
				saw_timing = true;
			json_array_foreach(json_object_get(t, "lead"), m, u)
			{
				if (json_integer_value(json_object_get(
					    u, "unit_id")) == police)
					matched_police = true;
				if (json_is_true(
					    json_object_get(u, "all_units")))
					saw_all = true;
			}
		}
		json_decref(j);
	}
	assert_true(matched_police);
	assert_true(saw_all);
	assert_true(saw_timing);
	/* The command line names the place; nothing is stored. */
	snprintf(path, sizeof(path), "%s/%s.txt", PLANS, seeds[1]);
	text = file_get(path, &n);
	assert_int_equal(ctip_plan_import(&j, f->st, NULL, "79", text, n,
					  &f->arena, &err),
			 CTIP_OK);
	json_decref(j);
	assert_int_equal(ctip_plan_import(&j, f->st, NULL, "7", text, n,
					  &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "place");
	free(text);
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM plan", NULL), 0);
}

static void
bad_documents_are_refused_naming_the_file(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal hn =
		user_at(f, "hn.sup", "PEOPLES_COMMITTEE", "01", "supervisor");
	struct ctip_principal cw =
		user_at(f, "hn.cw", "POLICE", "01", "case_worker");
	struct ctip_err err = { 0 };
	json_t *j;

	assert_int_equal(
		ctip_plan_import(&j, f->st, &hn, NULL, "", 0, &f->arena, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "file");
	assert_string_equal(err.msg, "file is empty: no text to read");
	assert_int_equal(ctip_plan_import(&j, f->st, &hn, NULL, "ab\0c", 4,
					  &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "file");
	assert_string_equal(err.msg, "file is binary: NUL byte at byte 2");
	assert_int_equal(ctip_plan_import(&j, f->st, &hn, NULL, "ab\xff", 3,
					  &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "file");
	assert_int_equal(ctip_plan_import(&j, f->st, &hn, NULL,
					  "Chỉ là một đoạn văn.\n", 25,
					  &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "file");
	assert_int_equal(
		ctip_plan_import(&j, f->st, &cw, NULL, "x", 1, &f->arena, &err),
		CTIP_EFORBIDDEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		LOADED(bad_input_names_the_field),
		LOADED(a_plan_is_created_and_read_back),
		LOADED(plans_are_seen_at_their_place_above_and_below),
		LOADED(cascade_copies_tasks_and_shows_coverage_above),
		LOADED(progress_is_reported_by_the_units_named),
		LOADED(tasks_are_changed_by_their_unit_at_the_version_read),
		LOADED(the_due_list_and_rollup_follow_status_and_dates),
		LOADED(the_seed_documents_are_proposed_with_their_tasks),
		LOADED(bad_documents_are_refused_naming_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
