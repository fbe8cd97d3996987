/* test_demo.c: the demo casework of `ctip init --demo-records` (core/demo.c):
 * what a user of Phường Ba Đình finds, made by a disabled account through
 * the core functions, with an intact audit log. */
#include "core/activity.h"
#include "core/case.h"
#include "core/demo.h"
#include "core/intake.h"
#include "core/referral.h"
#include "core/setup.h"

#include "helpers.h"

#define SEED 20261124u

static struct ctip_demo_records
make(struct db_fixture *f, uint64_t seed)
{
	struct ctip_demo_records r;
	struct ctip_err err = { 0 };

	if (ctip_setup_demo_records(&r, f->st, &f->kr, seed, &err) != CTIP_OK)
		fail_msg("demo records: %s (%s)", err.msg, err.field);
	return r;
}

static void
records_are_counted_and_placed_in_ba_dinh(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_demo_records r = make(f, SEED);

	assert_int_equal(r.intakes, 12);
	assert_int_equal(r.persons, 5);
	assert_int_equal(r.referrals, 2);
	assert_int_equal(r.cases, 2);
	assert_int_equal(r.activities, 2);
	assert_string_equal(r.commune, "Phường Ba Đình");
	assert_string_equal(r.province, "Hà Nội");
}

/* What the README's user (a case worker of Ba Đình, here also a hotline
 * operator) and an investigator of the unit find. */
static void
a_user_of_ba_dinh_sees_them(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal lan, inv;
	struct ctip_person_search s = { .limit = 200 };
	struct ctip_activity_filter fl = { .limit = 50 };
	struct ctip_person_view *found;
	struct ctip_activity *acts;
	struct ctip_case_rec *cases;
	struct ctip_intake_view v;
	struct ctip_err err = { 0 };
	int64_t *ids;
	int n = 0, i, from_intake = 0;

	make(f, SEED);
	lan = user_at(f, "lan", "POLICE", BA_DINH,
		      "hotline_operator,case_worker");
	inv = user_at(f, "hung", "POLICE", BA_DINH, "investigator");
	assert_int_equal(ctip_intake_list(&ids, &n, &f->ax, &lan, CTIP_DUE_ALL,
					  NULL, 100, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 12);
	for (i = 0; i < n; i++) {
		assert_int_equal(ctip_intake_echo(&v, &f->ax, &lan, ids[i],
						  &f->arena, &err),
				 CTIP_OK);
		/* Every one marked as made up. */
		assert_memory_equal(v.summary, "[DỮ LIỆU MẪU] ",
				    strlen("[DỮ LIỆU MẪU] "));
	}
	assert_int_equal(ctip_intake_list(&ids, &n, &f->ax, &lan,
					  CTIP_DUE_OVERDUE, NULL, 100,
					  &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ctip_intake_list(&ids, &n, &f->ax, &lan, CTIP_DUE_SOON,
					  NULL, 100, &f->arena, &err),
			 CTIP_OK);
	assert_true(n >= 1);
	assert_int_equal(ctip_intake_list(&ids, &n, &f->ax, &lan, CTIP_DUE_ALL,
					  "resolved", 100, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 5);

	/* The persons registered from intakes, in the unit's records and
	 * flagged synthetic like the imported demo persons. */
	assert_int_equal(
		ctip_person_find(&found, &n, &f->ax, &lan, &s, &f->arena, &err),
		CTIP_OK);
	for (i = 0; i < n; i++)
		if (found[i].view == CTIP_VIEW_IDENTITY &&
		    strcmp(found[i].rec.commune_code, BA_DINH) == 0 &&
		    found[i].rec.is_demo)
			from_intake++;
	assert_true(from_intake >= 5);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(DISTINCT person_id) FROM "
				  "intake_person",
				  NULL),
			 5);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM person p WHERE "
				  "p.is_demo = 1 AND p.id IN (SELECT person_id "
				  "FROM intake_person)",
				  NULL),
			 5);

	assert_int_equal(ctip_referral_list(&ids, &n, &f->ax, &lan, false, NULL,
					    50, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ctip_case_list(&cases, &n, &f->ax, &inv, NULL, 0, 50,
					&f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ctip_activity_list(&acts, &n, &f->ax, &lan, &fl,
					    &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 2);
}

/* The account that made them exists, is disabled, and did it all. */
static void
the_demo_account_is_disabled_and_in_the_log(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal p;
	struct ctip_user_row u;
	struct ctip_err err = { 0 };
	int64_t bad = -1;
	long rows = -1;

	make(f, SEED);
	assert_int_equal(f->st->ops->user_find(&u, f->st, CTIP_DEMO_USER,
					       &f->arena, &err),
			 CTIP_OK);
	assert_true(u.disabled);
	assert_string_equal(u.display_name, "Dữ liệu mẫu (tạo tự động)");
	assert_int_equal(ctip_auth_principal(&p, f->st, u.id, &err),
			 CTIP_EAUTH);
	/* Every record's entry names it; only its creation and disabling
	 * are the system's. */
	assert_true(raw_long(f->db,
			     "SELECT count(*) FROM audit_log WHERE "
			     "username = 'demo'",
			     NULL) > 50);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM audit_log WHERE "
				  "username <> 'demo'",
				  NULL),
			 2);
	assert_int_equal(ctip_audit_verify(&bad, &rows, f->st, &f->kr, &err),
			 CTIP_OK);
	assert_int_equal(bad, 0);
	assert_true(rows > 50);
	/* A second run finds the account taken and stops. */
	assert_int_equal(
		ctip_setup_demo_records(&(struct ctip_demo_records){ 0 }, f->st,
					&f->kr, SEED, &err),
		CTIP_EEXIST);
}

/* The times of day of the intakes and the activities' participants: what
 * the seed decides whatever day it runs. */
static char *
drawn(struct db_fixture *f)
{
	return raw_text(&f->arena, f->db,
			"SELECT group_concat(x, ',') FROM (SELECT "
			"substr(received_at, 12) AS x FROM intake UNION ALL "
			"SELECT participants FROM activity)",
			NULL);
}

static void
the_seed_decides(void **state)
{
	struct db_fixture *f = *state, g, h;
	char *mine, *same, *other;

	memset(&g, 0, sizeof(g));
	memset(&h, 0, sizeof(h));
	make(f, SEED);
	assert_int_equal(db_fixture_open(&g, true), 0);
	make(&g, SEED);
	assert_int_equal(db_fixture_open(&h, true), 0);
	make(&h, SEED + 1);
	mine = drawn(f);
	same = drawn(&g);
	other = drawn(&h);
	assert_non_null(mine);
	assert_string_equal(mine, same);
	assert_string_not_equal(mine, other);
	db_fixture_close(&g);
	db_fixture_close(&h);
}

/* ctip init --demo-records: only with demo persons. */
static void
init_makes_them_with_the_demo_persons(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_init_opts o = { 0 };
	struct ctip_init_result r;
	struct ctip_err err = { 0 };
	char db[160], key[160];

	snprintf(db, sizeof(db), "%s/with.db", f->dir);
	snprintf(key, sizeof(key), "%s/with.key", f->dir);
	o.db_path = db;
	o.key_path = key;
	o.data_dir = CTIP_TEST_DATA;
	o.admin = "admin";
	o.demo_persons = 20;
	o.demo_seed = SEED;
	o.demo_records = true;
	if (ctip_setup_init(&r, &o, &err) != CTIP_OK)
		fail_msg("init: %s", err.msg);
	assert_int_equal(r.demo.persons, 20);
	assert_int_equal(r.records.intakes, 12);
	assert_int_equal(r.records.persons, 5);
	assert_int_equal(raw_long(db, "SELECT count(*) FROM person", NULL), 25);

	/* Without demo persons the flag makes nothing. */
	snprintf(db, sizeof(db), "%s/without.db", f->dir);
	o.demo_persons = 0;
	assert_int_equal(ctip_setup_init(&r, &o, &err), CTIP_OK);
	assert_int_equal(r.records.intakes, 0);
	assert_int_equal(raw_long(db, "SELECT count(*) FROM intake", NULL), 0);
	assert_int_equal(raw_long(db,
				  "SELECT count(*) FROM app_user WHERE "
				  "username = 'demo'",
				  NULL),
			 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		LOADED(records_are_counted_and_placed_in_ba_dinh),
		LOADED(a_user_of_ba_dinh_sees_them),
		LOADED(the_demo_account_is_disabled_and_in_the_log),
		LOADED(the_seed_decides),
		EMPTY(init_makes_them_with_the_demo_persons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
