/* test_access.c: roles and scopes (authz), the hash-chained audit log and
 * its group-commit queue, signing in (auth), reading and registering
 * persons on a user's behalf (access) and key rotation (keys). */
#include "core/access.h"
#include "core/casework.h"
#include "core/auth.h"
#include "core/keys.h"
#include "core/org.h"
#include "core/refdata.h"

#include "helpers.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>

/* A commune of Hồ Chí Minh (79); BA_DINH and NGOC_HA are in helpers.h. */
#define THU_DAU_MOT "25747"

/* --- raw access to the database file, as someone with the file would --- */

static long
audit_rows(struct db_fixture *f)
{
	return raw_long(f->db, "SELECT count(*) FROM audit_log", NULL);
}

/* Audit rows of action with outcome. */
static long
audit_count(struct db_fixture *f, const char *action, const char *outcome)
{
	const char *sql =
		ctip_arena_printf(&f->arena,
				  "SELECT count(*) FROM audit_log WHERE "
				  "action = ?1 AND outcome = '%s'",
				  outcome);

	return raw_long(f->db, sql, action);
}

/* The newest audit row. */
static struct ctip_audit_row
last_audit(struct db_fixture *f)
{
	struct ctip_audit_filter flt = { .limit = 1 };
	struct ctip_audit_row *rows = NULL;
	struct ctip_err err = { 0 };
	int n = 0;

	assert_int_equal(
		f->st->ops->audit_list(&rows, &n, f->st, &flt, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 1);
	return rows[0];
}

static void
expect_intact(struct db_fixture *f, long rows)
{
	struct ctip_err err = { 0 };
	int64_t bad = -1;
	long n = -1;

	assert_int_equal(ctip_audit_verify(&bad, &n, f->st, &f->kr, &err),
			 CTIP_OK);
	assert_int_equal(bad, 0);
	assert_int_equal(n, rows);
}

static int64_t
verify_bad_id(struct db_fixture *f)
{
	struct ctip_err err = { 0 };
	int64_t bad = -1;
	long n = -1;

	assert_int_equal(ctip_audit_verify(&bad, &n, f->st, &f->kr, &err),
			 CTIP_OK);
	return bad;
}

/* --- users and persons --- */

/* Register in as p (whose unit then owns it); its id. */
static int64_t
register_as(struct db_fixture *f, const struct ctip_principal *p,
	    struct ctip_person_input in)
{
	struct ctip_err err = { 0 };
	int64_t id = 0;

	if (ctip_person_register(&id, &f->ax, p, &in, &err) != CTIP_OK)
		fail_msg("register: %s", err.msg);
	assert_true(id > 0);
	return id;
}

/* A second person, in Ngọc Hà. */
static struct ctip_person_input
binh(void)
{
	struct ctip_person_input p = person_dao();

	p.commune_code = NGOC_HA;
	p.sex = "M";
	p.full_name = "Trần Văn Bình";
	p.citizen_id = "001088004321";
	p.phone = "0987 654 321";
	p.address = NULL;
	p.birth_date = "1988-11-30";
	return p;
}

/* --- authz --- */

static void
role_names_and_bits_round_trip(void **state)
{
	static const char *const names[] = {
		"hotline_operator", "case_worker",   "investigator",
		"procurator",       "judge",         "statistician",
		"supervisor",       "administrator", "auditor",
	};
	unsigned i;

	(void)state;
	for (i = 0; i < CTIP_NELEM(names); i++) {
		assert_int_equal(ctip_role_bit(names[i]), 1u << i);
		assert_string_equal(ctip_role_name(1u << i), names[i]);
	}
	assert_int_equal(ctip_role_bit(names[1]), CTIP_ROLE_CASE_WORKER);
	assert_int_equal(ctip_role_bit("auditor"), CTIP_ROLE_AUDITOR);
	assert_int_equal(ctip_role_bit("root"), 0);
	assert_int_equal(ctip_role_bit(""), 0);
	assert_int_equal(ctip_role_bit("Auditor"), 0);
	assert_null(ctip_role_name(0));
	assert_null(
		ctip_role_name(CTIP_ROLE_CASE_WORKER | CTIP_ROLE_SUPERVISOR));
	assert_null(ctip_role_name(1u << 9));
}

static void
role_lists_parse_into_bits_and_skip_unknown_names(void **state)
{
	(void)state;
	assert_int_equal(ctip_roles_parse("case_worker,supervisor"),
			 CTIP_ROLE_CASE_WORKER | CTIP_ROLE_SUPERVISOR);
	assert_int_equal(ctip_roles_parse("auditor"), CTIP_ROLE_AUDITOR);
	assert_int_equal(ctip_roles_parse(""), 0);
	assert_int_equal(ctip_roles_parse(",auditor,"), CTIP_ROLE_AUDITOR);
	assert_int_equal(ctip_roles_parse("root,judge,,x"), CTIP_ROLE_JUDGE);
	assert_int_equal(ctip_roles_parse("case_worker ,judge"),
			 CTIP_ROLE_JUDGE);
	/* A name too long for any role is skipped, not cut to one. */
	assert_int_equal(
		ctip_roles_parse("administrator_of_everything_and_more_roles,"
				 "statistician"),
		CTIP_ROLE_STATISTICIAN);
	assert_int_equal(ctip_roles_parse("hotline_operator,case_worker,"
					  "investigator,procurator,judge,"
					  "statistician,supervisor,"
					  "administrator,auditor"),
			 (1u << 9) - 1);
}

static void
authz_can_follows_the_role_table(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal
		cw = user_at(f, "cw", "POLICE", BA_DINH, "case_worker"),
		sup = user_at(f, "sup", "POLICE", BA_DINH, "supervisor"),
		hot = user_at(f, "hot", "POLICE", BA_DINH, "hotline_operator"),
		stat = user_at(f, "stat", "POLICE", "01", "statistician"),
		adm = user_at(f, "adm", "POLICE", "VN", "administrator"),
		aud = user_at(f, "aud", "POLICE", "VN", "auditor"),
		ncw = user_at(f, "ncw", "POLICE", "VN", "case_worker");

	assert_true(ctip_authz_can(&cw, CTIP_PERM_PERSON_READ));
	assert_true(ctip_authz_can(&cw, CTIP_PERM_PERSON_CREATE));
	assert_false(ctip_authz_can(&cw, CTIP_PERM_USER_ADMIN));
	assert_false(ctip_authz_can(&cw, CTIP_PERM_AUDIT_READ));

	assert_true(ctip_authz_can(&sup, CTIP_PERM_PERSON_READ));
	assert_false(ctip_authz_can(&sup, CTIP_PERM_PERSON_CREATE));

	assert_true(ctip_authz_can(&hot, CTIP_PERM_PERSON_READ));
	assert_true(ctip_authz_can(&hot, CTIP_PERM_PERSON_CREATE));

	/* Aggregates only. */
	assert_false(ctip_authz_can(&stat, CTIP_PERM_PERSON_READ));
	assert_false(ctip_authz_can(&stat, CTIP_PERM_PERSON_CREATE));
	assert_false(ctip_authz_can(&stat, CTIP_PERM_USER_ADMIN));
	assert_false(ctip_authz_can(&stat, CTIP_PERM_AUDIT_READ));

	assert_true(ctip_authz_can(&adm, CTIP_PERM_USER_ADMIN));
	assert_false(ctip_authz_can(&adm, CTIP_PERM_PERSON_READ));
	assert_false(ctip_authz_can(&adm, CTIP_PERM_PERSON_CREATE));
	assert_false(ctip_authz_can(&adm, CTIP_PERM_AUDIT_READ));

	assert_true(ctip_authz_can(&aud, CTIP_PERM_AUDIT_READ));
	assert_false(ctip_authz_can(&aud, CTIP_PERM_PERSON_READ));
	assert_false(ctip_authz_can(&aud, CTIP_PERM_USER_ADMIN));

	/* A national unit sees aggregates only, whatever the role. */
	assert_string_equal(ncw.level, "nation");
	assert_false(ctip_authz_can(&ncw, CTIP_PERM_PERSON_READ));
	assert_false(ctip_authz_can(&ncw, CTIP_PERM_PERSON_CREATE));

	/* A one-time password blocks everything until it is changed. */
	cw.must_change_password = true;
	adm.must_change_password = true;
	aud.must_change_password = true;
	assert_false(ctip_authz_can(&cw, CTIP_PERM_PERSON_READ));
	assert_false(ctip_authz_can(&cw, CTIP_PERM_PERSON_CREATE));
	assert_false(ctip_authz_can(&adm, CTIP_PERM_USER_ADMIN));
	assert_false(ctip_authz_can(&aud, CTIP_PERM_AUDIT_READ));
}

static void
administrators_administer_their_own_place(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal nat = user_at(f, "nat", "POLICE", "VN",
					    "administrator"),
			      hn = user_at(f, "hn", "POLICE", "01",
					   "administrator"),
			      bd = user_at(f, "bd", "POLICE", BA_DINH,
					   "administrator"),
			      cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker");
	const struct ctip_org_unit_row nation = { .admin_code = "VN",
						  .level = "nation" },
				       hanoi = { .admin_code = "01",
						 .level = "province",
						 .province_code = "01" },
				       ba_dinh = { .admin_code = BA_DINH,
						   .level = "commune",
						   .province_code = "01" },
				       ngoc_ha = { .admin_code = "00008",
						   .level = "commune",
						   .province_code = "01" },
				       cao_bang = { .admin_code = "04",
						    .level = "province",
						    .province_code = "04" };

	assert_true(ctip_authz_administers(&nat, &nation));
	assert_true(ctip_authz_administers(&nat, &cao_bang));
	assert_true(ctip_authz_administers(&nat, &ba_dinh));

	assert_true(ctip_authz_administers(&hn, &hanoi));
	assert_true(ctip_authz_administers(&hn, &ba_dinh));
	assert_true(ctip_authz_administers(&hn, &ngoc_ha));
	assert_false(ctip_authz_administers(&hn, &nation));
	assert_false(ctip_authz_administers(&hn, &cao_bang));

	assert_true(ctip_authz_administers(&bd, &ba_dinh));
	assert_false(ctip_authz_administers(&bd, &ngoc_ha));
	assert_false(ctip_authz_administers(&bd, &hanoi));
	assert_false(ctip_authz_administers(&bd, &nation));

	/* Not an administrator, or not yet past the one-time password. */
	assert_false(ctip_authz_administers(&cw, &ba_dinh));
	nat.must_change_password = true;
	assert_false(ctip_authz_administers(&nat, &ba_dinh));
}

/* How p may see rec: the view, and needs_reason through *reason. */
static enum ctip_view
view_of(struct db_fixture *f, const struct ctip_principal *p,
	const struct ctip_person_rec *rec, bool *reason)
{
	struct ctip_err err = { 0 };
	enum ctip_view v = CTIP_VIEW_IDENTITY;

	*reason = true;
	assert_int_equal(ctip_authz_person(&v, reason, f->st, p, rec, &err),
			 CTIP_OK);
	return v;
}

static void
owner_unit_sees_identity_or_a_pseudonym_by_role(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal
		cw = user_at(f, "cw", "POLICE", BA_DINH, "case_worker"),
		inv = user_at(f, "inv", "POLICE", BA_DINH, "investigator"),
		hot = user_at(f, "hot", "POLICE", BA_DINH, "hotline_operator"),
		sup = user_at(f, "sup", "POLICE", BA_DINH, "supervisor"),
		both = user_at(f, "both", "POLICE", BA_DINH,
			       "case_worker,supervisor"),
		stat = user_at(f, "stat", "POLICE", BA_DINH, "statistician");
	struct ctip_person_rec rec =
		person(f, register_as(f, &cw, person_dao()));
	bool reason;

	assert_int_equal(view_of(f, &cw, &rec, &reason), CTIP_VIEW_IDENTITY);
	assert_false(reason);
	assert_int_equal(view_of(f, &inv, &rec, &reason), CTIP_VIEW_IDENTITY);
	assert_false(reason);
	assert_int_equal(view_of(f, &hot, &rec, &reason), CTIP_VIEW_IDENTITY);
	assert_false(reason);
	assert_int_equal(view_of(f, &sup, &rec, &reason), CTIP_VIEW_PSEUDONYM);
	assert_false(reason);
	assert_int_equal(view_of(f, &both, &rec, &reason), CTIP_VIEW_IDENTITY);
	assert_int_equal(view_of(f, &stat, &rec, &reason), CTIP_VIEW_NONE);
	assert_false(reason);
	cw.must_change_password = true;
	assert_int_equal(view_of(f, &cw, &rec, &reason), CTIP_VIEW_NONE);
}

static void
another_commune_sees_nothing_until_granted(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      other = user_at(f, "other", "POLICE", NGOC_HA,
					      "case_worker"),
			      osup = user_at(f, "osup", "POLICE", NGOC_HA,
					     "supervisor");
	struct ctip_person_rec rec =
		person(f, register_as(f, &cw, person_dao()));
	struct ctip_err err = { 0 };
	bool reason;

	assert_int_equal(view_of(f, &other, &rec, &reason), CTIP_VIEW_NONE);
	assert_false(reason);
	assert_int_equal(view_of(f, &osup, &rec, &reason), CTIP_VIEW_NONE);

	/* A referral grants the other unit the record. */
	assert_int_equal(f->st->ops->access_grant(f->st, "person", rec.id,
						  other.unit_id, cw.user_id,
						  NOW, &err),
			 CTIP_OK);
	assert_int_equal(view_of(f, &other, &rec, &reason), CTIP_VIEW_IDENTITY);
	assert_false(reason);
	assert_int_equal(view_of(f, &osup, &rec, &reason), CTIP_VIEW_PSEUDONYM);
	assert_false(reason);
	/* Granting twice is harmless. */
	assert_int_equal(f->st->ops->access_grant(f->st, "person", rec.id,
						  other.unit_id, cw.user_id,
						  NOW, &err),
			 CTIP_OK);
}

static void
province_unit_sees_its_province_with_a_reason(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal
		cw = user_at(f, "cw", "POLICE", BA_DINH, "case_worker"),
		pcw = user_at(f, "pcw", "POLICE", "01", "case_worker"),
		pinv = user_at(f, "pinv", "POLICE", "01", "investigator"),
		phot = user_at(f, "phot", "POLICE", "01", "hotline_operator"),
		psup = user_at(f, "psup", "POLICE", "01", "supervisor"),
		hcm = user_at(f, "hcm", "POLICE", "79", "case_worker");
	struct ctip_person_rec rec =
		person(f, register_as(f, &cw, person_dao()));
	struct ctip_err err = { 0 };
	bool reason;

	assert_string_equal(pcw.level, "province");
	assert_string_equal(pcw.province_code, "01");
	assert_int_equal(view_of(f, &pcw, &rec, &reason), CTIP_VIEW_IDENTITY);
	assert_true(reason);
	assert_int_equal(view_of(f, &pinv, &rec, &reason), CTIP_VIEW_IDENTITY);
	assert_true(reason);
	/* Province scope gives the other roles no identity. */
	assert_int_equal(view_of(f, &phot, &rec, &reason), CTIP_VIEW_PSEUDONYM);
	assert_false(reason);
	assert_int_equal(view_of(f, &psup, &rec, &reason), CTIP_VIEW_PSEUDONYM);
	assert_false(reason);
	/* Another province: nothing. */
	assert_int_equal(view_of(f, &hcm, &rec, &reason), CTIP_VIEW_NONE);
	assert_false(reason);

	/* A grant to the province unit needs no reason. */
	assert_int_equal(f->st->ops->access_grant(f->st, "person", rec.id,
						  pcw.unit_id, cw.user_id, NOW,
						  &err),
			 CTIP_OK);
	assert_int_equal(view_of(f, &pcw, &rec, &reason), CTIP_VIEW_IDENTITY);
	assert_false(reason);
}

static void
search_scope_follows_the_unit_level(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      pcw = user_at(f, "pcw", "POLICE", "01",
					    "case_worker"),
			      ncw = user_at(f, "ncw", "POLICE", "VN",
					    "case_worker"),
			      stat = user_at(f, "stat", "POLICE", "01",
					     "statistician");
	struct ctip_person_scope s;

	memset(&s, 0, sizeof(s));
	assert_true(ctip_authz_person_scope(&s, &cw));
	assert_int_equal(s.unit_id, cw.unit_id);
	assert_null(s.province_code);
	assert_true(ctip_authz_person_scope(&s, &pcw));
	assert_int_equal(s.unit_id, pcw.unit_id);
	assert_string_equal(s.province_code, "01");
	assert_false(ctip_authz_person_scope(&s, &ncw));
	assert_false(ctip_authz_person_scope(&s, &stat));
}

/* --- audit --- */

static struct ctip_audit_event
event(const char *action, const char *object_id)
{
	struct ctip_audit_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.username = "system";
	ev.action = action;
	ev.object_type = "person";
	ev.object_id = object_id;
	ev.ip = "cli";
	return ev;
}

/* Append three entries in one transaction. */
static void
append_three(struct db_fixture *f)
{
	struct ctip_audit_event a = event("person.read", "1"),
				b = event("person.read", "2"),
				c = event("person.create", "3");
	struct ctip_err err = { 0 };

	b.reason = "referral from Ba Đình";
	c.outcome = "denied";
	assert_int_equal(f->st->ops->begin(f->st, &err), CTIP_OK);
	assert_int_equal(ctip_audit_append(f->st, &f->kr, &a, &err), CTIP_OK);
	assert_int_equal(ctip_audit_append(f->st, &f->kr, &b, &err), CTIP_OK);
	assert_int_equal(ctip_audit_append(f->st, &f->kr, &c, &err), CTIP_OK);
	assert_int_equal(f->st->ops->commit(f->st, &err), CTIP_OK);
}

static void
audit_chain_of_three_rows_verifies_intact(void **state)
{
	struct db_fixture *f = *state;

	expect_intact(f, 0);
	append_three(f);
	expect_intact(f, 3);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT group_concat(id) FROM audit_log",
				     NULL),
			    "1,2,3");
	assert_string_equal(
		raw_text(&f->arena, f->db,
			 "SELECT reason FROM audit_log WHERE id = 2", NULL),
		"referral from Ba Đình");
	assert_string_equal(
		raw_text(&f->arena, f->db,
			 "SELECT outcome FROM audit_log WHERE id = 1", NULL),
		"ok");
	assert_string_equal(
		raw_text(&f->arena, f->db,
			 "SELECT outcome FROM audit_log WHERE id = 3", NULL),
		"denied");
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM audit_log WHERE "
				  "length(mac) = 32",
				  NULL),
			 3);
}

static void
audit_rows_record_the_principal_or_the_given_name(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal p =
		user_at(f, "lan.pham", "POLICE", BA_DINH, "case_worker");
	struct ctip_audit_event ev = event("person.read", "42");
	struct ctip_audit_row r;
	struct ctip_err err = { 0 };

	ev.who = &p;
	ev.username = "ignored";
	ev.ip = "ignored too";
	assert_int_equal(ctip_audit_write(f->st, &f->kr, &ev, &err), CTIP_OK);
	r = last_audit(f);
	assert_int_equal(r.id, 1);
	assert_int_equal(r.user_id, p.user_id);
	assert_string_equal(r.username, "lan.pham");
	assert_int_equal(r.org_unit_id, p.unit_id);
	assert_string_equal(r.ip, "192.0.2.7");
	assert_string_equal(r.action, "person.read");
	assert_string_equal(r.object_id, "42");
	assert_string_equal(r.reason, "");
	assert_string_equal(r.outcome, "ok");
	assert_non_null(r.at);
	assert_int_equal(strlen(r.at), 20);

	ev = event("session.login", NULL);
	ev.username = "nobody";
	ev.ip = "198.51.100.9";
	ev.outcome = "failed";
	assert_int_equal(ctip_audit_write(f->st, &f->kr, &ev, &err), CTIP_OK);
	r = last_audit(f);
	assert_int_equal(r.id, 2);
	assert_int_equal(r.user_id, 0);
	assert_string_equal(r.username, "nobody");
	assert_string_equal(r.ip, "198.51.100.9");
	assert_string_equal(r.object_id, "");
	assert_string_equal(r.outcome, "failed");
	expect_intact(f, 2);
}

static void
audit_entry_rolls_back_with_its_transaction(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_audit_event ev = event("person.create", "7");
	struct ctip_err err = { 0 };

	assert_int_equal(f->st->ops->begin(f->st, &err), CTIP_OK);
	assert_int_equal(ctip_audit_append(f->st, &f->kr, &ev, &err), CTIP_OK);
	f->st->ops->rollback(f->st);
	assert_int_equal(audit_rows(f), 0);
	/* The chain starts again at 1. */
	assert_int_equal(ctip_audit_write(f->st, &f->kr, &ev, &err), CTIP_OK);
	assert_int_equal(last_audit(f).id, 1);
	expect_intact(f, 1);
}

static void
audit_row_changed_behind_the_triggers_is_reported(void **state)
{
	struct db_fixture *f = *state;

	append_three(f);
	assert_int_equal(raw_exec(f->db, "DROP TRIGGER audit_log_no_update; "
					 "UPDATE audit_log SET reason = "
					 "'routine check' WHERE id = 2"),
			 SQLITE_OK);
	assert_int_equal(verify_bad_id(f), 2);
	/* Putting the reason back restores the chain. */
	assert_int_equal(raw_exec(f->db,
				  "UPDATE audit_log SET reason = "
				  "'referral from Ba Đình' WHERE id = 2"),
			 SQLITE_OK);
	expect_intact(f, 3);
	/* Any field counts, the last row's too. */
	assert_int_equal(raw_exec(f->db, "UPDATE audit_log SET outcome = 'ok' "
					 "WHERE id = 3"),
			 SQLITE_OK);
	assert_int_equal(verify_bad_id(f), 3);
	assert_int_equal(raw_exec(f->db,
				  "UPDATE audit_log SET outcome = "
				  "'denied', username = 'admin' WHERE id = "
				  "1"),
			 SQLITE_OK);
	assert_int_equal(verify_bad_id(f), 1);
}

static void
audit_row_removed_from_the_middle_is_reported_as_the_gap(void **state)
{
	struct db_fixture *f = *state;

	append_three(f);
	assert_int_equal(raw_exec(f->db, "DROP TRIGGER audit_log_no_delete; "
					 "DELETE FROM audit_log WHERE id = 2"),
			 SQLITE_OK);
	assert_int_equal(verify_bad_id(f), 2);
	/* Renumbering the rest does not hide it: the id is chained. */
	assert_int_equal(raw_exec(f->db,
				  "DROP TRIGGER audit_log_no_update; "
				  "UPDATE audit_log SET id = 2 WHERE id = "
				  "3"),
			 SQLITE_OK);
	assert_int_equal(verify_bad_id(f), 2);
}

static void
audit_row_inserted_with_a_forged_mac_is_reported(void **state)
{
	struct db_fixture *f = *state;

	append_three(f);
	assert_int_equal(raw_exec(f->db,
				  "INSERT INTO audit_log (id, at, "
				  "username, action, object_type, "
				  "object_id, ip, reason, outcome, mac) "
				  "SELECT 4, at, username, action, "
				  "object_type, object_id, ip, reason, "
				  "outcome, mac FROM audit_log WHERE id = "
				  "3"),
			 SQLITE_OK);
	assert_int_equal(verify_bad_id(f), 4);
}

/* Ids below 1 sort before the chain's first row: not a way to stop the
 * walk where it reports "intact". */
static void
audit_row_inserted_before_the_first_is_reported(void **state)
{
	struct db_fixture *f = *state;
	static const char *const ids[] = { "0", "-1" };
	char sql[512];
	unsigned i;

	append_three(f);
	for (i = 0; i < CTIP_NELEM(ids); i++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO audit_log (id, at, username, action, "
			 "object_type, object_id, ip, reason, outcome, mac) "
			 "SELECT %s, at, username, action, object_type, "
			 "object_id, ip, reason, outcome, mac FROM audit_log "
			 "WHERE id = 1",
			 ids[i]);
		assert_int_equal(raw_exec(f->db, sql), SQLITE_OK);
		assert_int_not_equal(verify_bad_id(f), 0);
	}
	/* Even with the rest of the chain tampered with. */
	assert_int_equal(raw_exec(f->db,
				  "DROP TRIGGER audit_log_no_update; "
				  "UPDATE audit_log SET reason = 'x' WHERE "
				  "id = 2"),
			 SQLITE_OK);
	assert_int_not_equal(verify_bad_id(f), 0);
}

static void
audit_verify_with_another_key_file_reports_the_first_row(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_keyring other;
	struct ctip_err err = { 0 };
	char path[256];
	int64_t bad = -1;
	long n = -1;

	append_three(f);
	snprintf(path, sizeof(path), "%s/other.key", f->dir);
	assert_int_equal(ctip_keyring_create(path, &err), CTIP_OK);
	assert_int_equal(ctip_keyring_load(&other, path, &err), CTIP_OK);
	assert_int_equal(ctip_audit_verify(&bad, &n, f->st, &other, &err),
			 CTIP_OK);
	assert_int_equal(bad, 1);
	assert_int_equal(n, 1);
	ctip_keyring_wipe(&other);
}

static void
audit_log_refuses_update_and_delete_in_sql(void **state)
{
	struct db_fixture *f = *state;
	sqlite3 *db = NULL;

	append_three(f);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "UPDATE audit_log SET reason = 'x' "
				      "WHERE id = 2",
				      NULL, NULL, NULL),
			 SQLITE_CONSTRAINT);
	assert_non_null(strstr(sqlite3_errmsg(db), "append-only"));
	assert_int_equal(sqlite3_exec(db, "DELETE FROM audit_log WHERE id = 3",
				      NULL, NULL, NULL),
			 SQLITE_CONSTRAINT);
	assert_non_null(strstr(sqlite3_errmsg(db), "append-only"));
	assert_int_equal(
		sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, NULL),
		SQLITE_CONSTRAINT);
	sqlite3_close(db);
	expect_intact(f, 3);
}

/* A thread logging n entries through a queue. */
struct logger {
	pthread_t tid;
	struct ctip_auditq *q;
	int thread, n;
	int failures;
};

static void *
log_entries(void *arg)
{
	struct logger *l = arg;
	struct ctip_principal who;
	struct ctip_audit_event ev;
	struct ctip_err err;
	char id[32];
	int i;

	memset(&who, 0, sizeof(who));
	snprintf(who.username, sizeof(who.username), "worker%d", l->thread);
	who.user_id = 100 + l->thread;
	for (i = 0; i < l->n; i++) {
		snprintf(id, sizeof(id), "%d.%d", l->thread, i);
		ev = event("person.read", id);
		/* Half with a principal, half without. */
		ev.who = i % 2 ? &who : NULL;
		memset(&err, 0, sizeof(err));
		if (ctip_auditq_log(l->q, &ev, 1, &err) != CTIP_OK)
			l->failures++;
	}
	return NULL;
}

static void
audit_queue_chains_entries_logged_from_eight_threads(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_auditq *q = NULL;
	struct logger l[8];
	struct ctip_err err = { 0 };
	int i;

	append_three(f);
	assert_int_equal(ctip_auditq_start(&q, f->db, &f->kr, &err), CTIP_OK);
	for (i = 0; i < 8; i++) {
		memset(&l[i], 0, sizeof(l[i]));
		l[i].q = q;
		l[i].thread = i;
		l[i].n = 50;
		assert_int_equal(
			pthread_create(&l[i].tid, NULL, log_entries, &l[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(l[i].tid, NULL), 0);
		assert_int_equal(l[i].failures, 0);
	}
	ctip_auditq_stop(q);
	assert_int_equal(audit_rows(f), 403);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(DISTINCT object_id) FROM "
				  "audit_log WHERE id > 3",
				  NULL),
			 400);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM audit_log WHERE "
				  "username = 'worker3'",
				  NULL),
			 25);
	/* Each thread's entries are in the order it logged them. */
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM audit_log a JOIN "
				  "audit_log b ON substr(a.object_id, 1, 2) = "
				  "substr(b.object_id, 1, 2) AND a.id < b.id "
				  "WHERE a.id > 3 AND CAST(substr(a.object_id, "
				  "3) AS INTEGER) > CAST(substr(b.object_id, "
				  "3) AS INTEGER)",
				  NULL),
			 0);
	expect_intact(f, 403);
}

static void
audit_queue_and_direct_writes_share_one_chain(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_audit_event ev = event("user.create", "x");
	struct ctip_auditq *q = NULL;
	struct logger l[4];
	struct ctip_err err = { 0 };
	int i;

	assert_int_equal(ctip_auditq_start(&q, f->db, &f->kr, &err), CTIP_OK);
	for (i = 0; i < 4; i++) {
		memset(&l[i], 0, sizeof(l[i]));
		l[i].q = q;
		l[i].thread = i;
		l[i].n = 40;
		assert_int_equal(
			pthread_create(&l[i].tid, NULL, log_entries, &l[i]), 0);
	}
	/* Meanwhile, writes on another connection (the CLI's, say). */
	for (i = 0; i < 40; i++)
		assert_int_equal(ctip_audit_write(f->st, &f->kr, &ev, &err),
				 CTIP_OK);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(l[i].tid, NULL), 0);
		assert_int_equal(l[i].failures, 0);
	}
	ctip_auditq_stop(q);
	expect_intact(f, 200);
}

static void
audit_queue_on_a_missing_database_fails_to_start(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_auditq *q = NULL;
	struct ctip_err err = { 0 };
	char path[256];

	snprintf(path, sizeof(path), "%s/missing.db", f->dir);
	assert_int_equal(ctip_auditq_start(&q, path, &f->kr, &err),
			 CTIP_ENOTFOUND);
	assert_null(q);
	assert_false(file_exists(path));
}

/* --- auth --- */

static const char *const case_worker[] = { "case_worker", NULL };

/* A LOADED fixture with the login throttle cleared: it lives in the
 * process's memory, across tests, and they all log in from one address. */
static int
auth_setup(void **state)
{
	ctip_auth_throttle_clear();
	return db_setup_loaded(state);
}

#define AUTH(t) cmocka_unit_test_setup_teardown(t, auth_setup, db_teardown)

/* CLOCK_MONOTONIC's seconds, the clock of ctip_auth_login's throttle. */
static long
monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec;
}

static double
elapsed_ms(const struct timespec *since)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - since->tv_sec) * 1e3 +
	       (double)(t.tv_nsec - since->tv_nsec) / 1e6;
}

/* A user created by the CLI; its one-time password into pw. */
static int64_t
account(struct db_fixture *f, const char *username, const char *admin,
	char pw[CTIP_PASSWORD_GEN_LEN + 1])
{
	struct ctip_err err = { 0 };
	int64_t id = 0;

	if (ctip_account_create(&id, pw, f->st, &f->kr, NULL, username,
				"Trần Thị Hoa", unit_at(f, "POLICE", admin),
				case_worker, &err) != CTIP_OK)
		fail_msg("account: %s", err.msg);
	assert_int_equal(strlen(pw), CTIP_PASSWORD_GEN_LEN);
	return id;
}

static enum ctip_status
login(struct db_fixture *f, struct ctip_principal *p, char *token,
      const char *username, const char *password, struct ctip_err *err)
{
	memset(err, 0, sizeof(*err));
	return ctip_auth_login(p, token, f->st, &f->kr, username, password,
			       "203.0.113.5", err);
}

static enum ctip_status
lookup(struct db_fixture *f, struct ctip_principal *p, const char *token,
       struct ctip_err *err)
{
	memset(err, 0, sizeof(*err));
	return ctip_auth_session(p, f->st, token, "203.0.113.5", err);
}

static void
login_returns_a_session_token_and_the_principal(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p;
	struct ctip_err err;
	struct ctip_audit_row r;
	int64_t id = account(f, "hoa.tran", BA_DINH, pw);
	unsigned char hash[32];

	assert_int_equal(last_audit(f).id, 1); /* user.create */
	assert_string_equal(last_audit(f).action, "user.create");
	assert_string_equal(last_audit(f).username, "system");
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	assert_int_equal(strlen(token), CTIP_TOKEN_LEN);
	assert_int_equal(strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijk"
				       "lmnopqrstuvwxyz0123456789-_"),
			 CTIP_TOKEN_LEN);
	assert_int_equal(p.user_id, id);
	assert_string_equal(p.username, "hoa.tran");
	assert_string_equal(p.display_name, "Trần Thị Hoa");
	assert_int_equal(p.roles, CTIP_ROLE_CASE_WORKER);
	assert_int_equal(p.unit_id, unit_at(f, "POLICE", BA_DINH));
	assert_string_equal(p.level, "commune");
	assert_string_equal(p.province_code, "01");
	assert_string_equal(p.admin_code, BA_DINH);
	assert_string_equal(p.agency, "POLICE");
	assert_string_equal(p.ip, "203.0.113.5");
	assert_true(p.must_change_password); /* a one-time password */
	assert_false(p.via_token);
	assert_int_equal(strlen(p.csrf), CTIP_TOKEN_LEN);
	assert_string_not_equal(p.csrf, token);
	ctip_token_hash(hash, token);
	assert_memory_equal(p.session_hash, hash, 32);
	r = last_audit(f);
	assert_string_equal(r.action, "session.login");
	assert_string_equal(r.outcome, "ok");
	assert_int_equal(r.user_id, id);
	assert_string_equal(r.ip, "203.0.113.5");
	/* Two logins, two sessions with their own tokens. */
	{
		char token2[CTIP_TOKEN_LEN + 1];
		struct ctip_principal p2;

		assert_int_equal(login(f, &p2, token2, "hoa.tran", pw, &err),
				 CTIP_OK);
		assert_string_not_equal(token, token2);
		assert_string_not_equal(p.csrf, p2.csrf);
	}
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 2);
	expect_intact(f, 3);
}

static void
account_create_refuses_a_taken_name_and_logs_only_success(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], pw2[CTIP_PASSWORD_GEN_LEN + 1];
	struct ctip_principal admin =
		user_at(f, "admin", "POLICE", "VN", "administrator");
	struct ctip_audit_row r;
	struct ctip_err err = { 0 };
	int64_t id = 0;

	assert_int_equal(ctip_account_create(&id, pw, f->st, &f->kr, &admin,
					     "hoa.tran", "Trần Thị Hoa",
					     unit_at(f, "POLICE", BA_DINH),
					     case_worker, &err),
			 CTIP_OK);
	r = last_audit(f);
	assert_string_equal(r.action, "user.create");
	assert_string_equal(r.username, "admin");
	assert_string_equal(r.object_id, "hoa.tran");
	assert_int_equal(ctip_account_create(&id, pw2, f->st, &f->kr, &admin,
					     "hoa.tran", "Another Hoa",
					     unit_at(f, "POLICE", BA_DINH),
					     case_worker, &err),
			 CTIP_EEXIST);
	assert_string_equal(err.field, "username");
	assert_int_equal(ctip_account_create(&id, pw2, f->st, &f->kr, &admin,
					     "Hoa Tran", "Hoa",
					     unit_at(f, "POLICE", BA_DINH),
					     case_worker, &err),
			 CTIP_EINVAL);
	assert_int_equal(audit_rows(f), 1);
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM app_user", NULL),
			 2);
}

/* A thread trying one wrong password on a connection of its own. */
struct guesser {
	pthread_t tid;
	const char *db;
	const struct ctip_keyring *kr;
	enum ctip_status rc;
};

static void *
guess(void *arg)
{
	struct guesser *g = arg;
	struct ctip_principal p;
	struct ctip_store *st = NULL;
	struct ctip_err err = { 0 };
	char token[CTIP_TOKEN_LEN + 1];

	g->rc = ctip_store_open(&st, g->db, CTIP_OPEN_EXISTING, &err);
	if (g->rc == CTIP_OK) {
		g->rc = ctip_auth_login(&p, token, st, g->kr, "hoa.tran",
					"guess guess", "203.0.113.9", &err);
		st->ops->close(st);
	}
	return NULL;
}

static void
failed_logins_at_the_same_time_all_count(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1];
	struct guesser g[CTIP_LOGIN_MAX_FAILS - 1];
	unsigned i;

	account(f, "hoa.tran", BA_DINH, pw);
	for (i = 0; i < CTIP_NELEM(g); i++) {
		g[i].db = f->db;
		g[i].kr = &f->kr;
		g[i].rc = CTIP_OK;
		assert_int_equal(pthread_create(&g[i].tid, NULL, guess, &g[i]),
				 0);
	}
	for (i = 0; i < CTIP_NELEM(g); i++) {
		assert_int_equal(pthread_join(g[i].tid, NULL), 0);
		assert_int_equal(g[i].rc, CTIP_EAUTH);
	}
	assert_int_equal(raw_long(f->db,
				  "SELECT failed_logins FROM app_user WHERE "
				  "username = ?1",
				  "hoa.tran"),
			 CTIP_LOGIN_MAX_FAILS - 1);
	assert_int_equal(audit_count(f, "session.login", "failed"),
			 CTIP_LOGIN_MAX_FAILS - 1);
	expect_intact(f, CTIP_LOGIN_MAX_FAILS);
}

static void
wrong_password_and_unknown_name_fail_alike(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	char msg[sizeof(((struct ctip_err *)0)->msg)];
	struct ctip_principal p;
	struct ctip_err err;
	struct ctip_audit_row r;

	account(f, "hoa.tran", BA_DINH, pw);
	assert_int_equal(
		login(f, &p, token, "hoa.tran", "not the password", &err),
		CTIP_EAUTH);
	assert_int_equal(err.code, CTIP_EAUTH);
	snprintf(msg, sizeof(msg), "%s", err.msg);
	assert_int_equal(p.user_id, 0);
	assert_int_equal(login(f, &p, token, "no.such.user", pw, &err),
			 CTIP_EAUTH);
	assert_string_equal(err.msg, msg);
	r = last_audit(f);
	assert_string_equal(r.action, "session.login");
	assert_string_equal(r.outcome, "failed");
	assert_string_equal(r.username, "no.such.user");
	assert_int_equal(r.user_id, 0);
	assert_string_equal(r.ip, "203.0.113.5");
	/* The password is right, the case of the name is not. */
	assert_int_equal(login(f, &p, token, "Hoa.Tran", pw, &err), CTIP_EAUTH);
	assert_string_equal(err.msg, msg);
	/* A name that is not text is logged as such. */
	assert_int_equal(login(f, &p, token, "ho\xff\xfe", pw, &err),
			 CTIP_EAUTH);
	assert_string_equal(last_audit(f).username, "(invalid)");
	assert_int_equal(audit_count(f, "session.login", "failed"), 4);
	assert_int_equal(raw_long(f->db,
				  "SELECT failed_logins FROM app_user WHERE "
				  "username = ?1",
				  "hoa.tran"),
			 1);
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 0);
}

static void
five_failed_logins_lock_the_account(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p;
	struct ctip_err err;
	int i;

	account(f, "hoa.tran", BA_DINH, pw);
	for (i = 0; i < CTIP_LOGIN_MAX_FAILS; i++)
		assert_int_equal(
			login(f, &p, token, "hoa.tran", "guess guess", &err),
			CTIP_EAUTH);
	assert_non_null(raw_text(&f->arena, f->db,
				 "SELECT locked_until FROM app_user WHERE "
				 "username = ?1",
				 "hoa.tran"));
	/* Now even the right password is refused, as a wrong one is: the
	 * answer does not say the account exists. */
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_EAUTH);
	assert_int_equal(err.code, CTIP_EAUTH);
	assert_string_equal(err.msg, "wrong username or password");
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 0);
	assert_int_equal(audit_count(f, "session.login", "failed"), 4);
	assert_int_equal(audit_count(f, "session.login", "locked"), 2);
	assert_int_equal(audit_count(f, "session.login", "ok"), 0);
	expect_intact(f, 7);
}

static void
successful_login_clears_the_failure_count(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p;
	struct ctip_err err;
	int i;

	account(f, "hoa.tran", BA_DINH, pw);
	for (i = 0; i < CTIP_LOGIN_MAX_FAILS - 1; i++)
		assert_int_equal(
			login(f, &p, token, "hoa.tran", "guess guess", &err),
			CTIP_EAUTH);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	assert_int_equal(raw_long(f->db,
				  "SELECT failed_logins FROM app_user WHERE "
				  "username = ?1",
				  "hoa.tran"),
			 0);
	for (i = 0; i < CTIP_LOGIN_MAX_FAILS - 1; i++)
		assert_int_equal(
			login(f, &p, token, "hoa.tran", "guess guess", &err),
			CTIP_EAUTH);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
}

/* The message and the milliseconds of one login attempt. */
static double
timed_login(struct db_fixture *f, const char *username, const char *password,
	    enum ctip_status want, char msg[256])
{
	char token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p;
	struct ctip_err err;
	struct timespec t0;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(login(f, &p, token, username, password, &err), want);
	ms = elapsed_ms(&t0);
	snprintf(msg, 256, "%s", err.msg);
	return ms;
}

static void
locked_account_answers_as_a_wrong_password_in_as_much_time(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], wrong[256], msg[256];
	double unknown_ms = 1e9, locked_ms = 1e9, ms;
	int i;

	account(f, "hoa.tran", BA_DINH, pw);
	for (i = 0; i < CTIP_LOGIN_MAX_FAILS; i++)
		timed_login(f, "hoa.tran", "guess guess", CTIP_EAUTH, wrong);
	assert_string_equal(wrong, "wrong username or password");
	/* The fastest of three of each: the password is verified (Argon2id,
	 * tens of milliseconds) for a locked account as for an unknown
	 * name, not skipped. */
	for (i = 0; i < 3; i++) {
		ms = timed_login(f, "no.such.user", pw, CTIP_EAUTH, msg);
		assert_string_equal(msg, wrong);
		unknown_ms = ms < unknown_ms ? ms : unknown_ms;
		ms = timed_login(f, "hoa.tran", i == 0 ? pw : "guess again",
				 CTIP_EAUTH, msg);
		assert_string_equal(msg, wrong);
		locked_ms = ms < locked_ms ? ms : locked_ms;
	}
	if (locked_ms < unknown_ms / 2)
		fail_msg(
			"a locked account answered in %.1f ms, an unknown name "
			"in %.1f ms",
			locked_ms, unknown_ms);
	/* The auditor still sees the lock. */
	assert_int_equal(audit_count(f, "session.login", "locked"), 4);
	assert_string_equal(last_audit(f).outcome, "locked");
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 0);
}

static void
disabled_account_answers_as_a_wrong_password_even_when_locked(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], msg[256];
	struct ctip_err err = { 0 };
	int64_t id = account(f, "hoa.tran", BA_DINH, pw);
	int i;

	assert_int_equal(ctip_account_disable(f->st, &f->kr, NULL, id, &err),
			 CTIP_OK);
	for (i = 0; i < CTIP_LOGIN_MAX_FAILS + 2; i++) {
		timed_login(f, "hoa.tran", i % 2 ? pw : "guess guess",
			    CTIP_EAUTH, msg);
		assert_string_equal(msg, "wrong username or password");
	}
	assert_int_equal(audit_count(f, "session.login", "locked"), 3);
	assert_int_equal(audit_count(f, "session.login", "failed"),
			 CTIP_LOGIN_MAX_FAILS - 1);
}

/* One failed login of ip at now, through the throttle. */
static void
throttle_fail(const char *ip, long now)
{
	assert_false(ctip_auth_throttle_begin(ip, now, NULL));
	ctip_auth_throttle_end(ip, now, true);
}

/* Whether ip is refused at now; an attempt let through ends at once,
 * without a failure. */
static bool
throttled(const char *ip, long now, long *retry_after)
{
	if (ctip_auth_throttle_begin(ip, now, retry_after))
		return true;
	ctip_auth_throttle_end(ip, now, false);
	return false;
}

static void
address_throttle_counts_failures_in_a_window(void **state)
{
	long now = 1000000, wait = -1;
	int i;

	(void)state;
	ctip_auth_throttle_clear();
	for (i = 0; i < CTIP_LOGIN_IP_MAX_FAILS - 1; i++)
		throttle_fail("198.51.100.7", now + i);
	assert_false(throttled("198.51.100.7", now + 60, &wait));
	assert_int_equal(wait, -1);
	throttle_fail("198.51.100.7", now + 60);
	assert_true(throttled("198.51.100.7", now + 60, &wait));
	assert_int_equal(wait, CTIP_LOGIN_IP_WINDOW - 60);
	assert_true(throttled("198.51.100.7", now + CTIP_LOGIN_IP_WINDOW - 1,
			      NULL));
	/* Another address is not held back. */
	assert_false(throttled("198.51.100.8", now + 60, NULL));
	/* The window ends, and the count starts again. */
	assert_false(
		throttled("198.51.100.7", now + CTIP_LOGIN_IP_WINDOW, NULL));
	throttle_fail("198.51.100.7", now + CTIP_LOGIN_IP_WINDOW);
	assert_false(
		throttled("198.51.100.7", now + CTIP_LOGIN_IP_WINDOW, NULL));
	ctip_auth_throttle_clear();
}

static void
address_throttle_counts_an_ipv6_slash_64_as_one_address(void **state)
{
	long now = 1000000;
	char ip[64];
	int i;

	(void)state;
	ctip_auth_throttle_clear();
	for (i = 0; i < CTIP_LOGIN_IP_MAX_FAILS; i++) {
		snprintf(ip, sizeof(ip), "2001:db8:1:2:%x::1", i + 1);
		throttle_fail(ip, now);
	}
	assert_true(throttled("2001:db8:1:2::abcd", now, NULL));
	assert_true(throttled("2001:0db8:0001:0002:ffff:ffff:ffff:"
			      "ffff",
			      now, NULL));
	assert_false(throttled("2001:db8:1:3::1", now, NULL));
	/* IPv4 ones, mapped or not, count one by one. */
	for (i = 0; i < CTIP_LOGIN_IP_MAX_FAILS; i++)
		throttle_fail("::ffff:192.0.2.1", now);
	assert_true(throttled("::ffff:192.0.2.1", now, NULL));
	assert_false(throttled("::ffff:192.0.2.2", now, NULL));
	ctip_auth_throttle_clear();
}

static void
address_throttle_when_full_forgets_the_addresses_with_fewest_failures(
	void **state)
{
	long now = 1000000;
	char ip[64];
	int i;

	(void)state;
	ctip_auth_throttle_clear();
	for (i = 0; i < CTIP_LOGIN_IP_MAX_FAILS; i++)
		throttle_fail("203.0.113.66", now);
	/* Four times as many addresses as there are slots, one failure
	 * each: they take each other's places, not the busy one's. */
	for (i = 0; i < 4 * CTIP_LOGIN_IP_SLOTS; i++) {
		snprintf(ip, sizeof(ip), "10.%d.%d.%d", (i >> 16) & 255,
			 (i >> 8) & 255, i & 255);
		throttle_fail(ip, now + 1);
	}
	assert_true(throttled("203.0.113.66", now + 1, NULL));
	/* Once its window is over, its slot is free for another. */
	assert_false(
		throttled("203.0.113.66", now + CTIP_LOGIN_IP_WINDOW, NULL));
	ctip_auth_throttle_clear();
}

static void
address_throttle_counts_attempts_under_way(void **state)
{
	long now = 1000000, wait = -1;
	int i;

	(void)state;
	ctip_auth_throttle_clear();
	throttle_fail("192.0.2.44", now);
	/* Logins checked at once: no more may be under way than the
	 * failures left would allow, each of them possibly one more. */
	for (i = 0; i < CTIP_LOGIN_IP_MAX_FAILS - 1; i++)
		assert_false(ctip_auth_throttle_begin("192.0.2.44", now, NULL));
	assert_true(ctip_auth_throttle_begin("192.0.2.44", now, &wait));
	assert_int_equal(wait, 1);
	/* One ends well: one more may begin. */
	ctip_auth_throttle_end("192.0.2.44", now, false);
	assert_false(ctip_auth_throttle_begin("192.0.2.44", now, NULL));
	/* All fail: the limit is reached, for the rest of the window. */
	for (i = 0; i < CTIP_LOGIN_IP_MAX_FAILS - 1; i++)
		ctip_auth_throttle_end("192.0.2.44", now + 1, true);
	assert_true(throttled("192.0.2.44", now + 1, &wait));
	assert_int_equal(wait, CTIP_LOGIN_IP_WINDOW - 1);
	ctip_auth_throttle_clear();
}

static void
login_from_a_throttled_address_is_refused_whatever_the_name(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p;
	struct ctip_err err = { 0 };
	long rows;
	int i;

	account(f, "hoa.tran", BA_DINH, pw);
	/* All but one failure counted already; a real failed login adds
	 * the last one. */
	for (i = 0; i < CTIP_LOGIN_IP_MAX_FAILS - 1; i++)
		throttle_fail("203.0.113.5", monotonic());
	assert_int_equal(login(f, &p, token, "no.such.user", pw, &err),
			 CTIP_EAUTH);
	rows = audit_rows(f);
	/* The right password of a real account, an unknown name: the same
	 * answer, not verified, not audited, no session. */
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err),
			 CTIP_ETHROTTLED);
	assert_non_null(strstr(err.msg, "too many failed logins from this "
					"address"));
	assert_int_equal(login(f, &p, token, "no.such.user", pw, &err),
			 CTIP_ETHROTTLED);
	assert_int_equal(audit_rows(f), rows);
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 0);
	/* Another address signs in. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(ctip_auth_login(&p, token, f->st, &f->kr, "hoa.tran",
					 pw, "203.0.113.99", &err),
			 CTIP_OK);
	/* An address with as many logins under way as the limit, none
	 * failed yet, is told to wait a moment, not that it failed. */
	for (i = 0; i < CTIP_LOGIN_IP_MAX_FAILS; i++)
		assert_false(ctip_auth_throttle_begin("203.0.113.7",
						      monotonic(), NULL));
	assert_int_equal(ctip_auth_login(&p, token, f->st, &f->kr, "hoa.tran",
					 pw, "203.0.113.7", &err),
			 CTIP_ETHROTTLED);
	assert_string_equal(err.msg, "too many logins at once from this "
				     "address: try again in a few seconds");
	for (i = 0; i < CTIP_LOGIN_IP_MAX_FAILS; i++)
		ctip_auth_throttle_end("203.0.113.7", monotonic(), false);
	assert_int_equal(ctip_auth_login(&p, token, f->st, &f->kr, "hoa.tran",
					 pw, "203.0.113.7", &err),
			 CTIP_OK);
}

static void
session_token_finds_its_principal(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	char garbage[CTIP_TOKEN_LEN + 1];
	struct ctip_principal in, p;
	struct ctip_err err;

	account(f, "hoa.tran", BA_DINH, pw);
	assert_int_equal(login(f, &in, token, "hoa.tran", pw, &err), CTIP_OK);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_OK);
	assert_int_equal(p.user_id, in.user_id);
	assert_string_equal(p.username, "hoa.tran");
	assert_int_equal(p.roles, CTIP_ROLE_CASE_WORKER);
	assert_int_equal(p.unit_id, in.unit_id);
	assert_string_equal(p.csrf, in.csrf);
	assert_memory_equal(p.session_hash, in.session_hash, 32);
	assert_string_equal(p.level, "commune");
	assert_string_equal(p.province_code, "01");
	assert_true(p.must_change_password);

	memset(garbage, 'A', CTIP_TOKEN_LEN);
	garbage[CTIP_TOKEN_LEN] = '\0';
	assert_int_equal(lookup(f, &p, garbage, &err), CTIP_EAUTH);
	assert_int_equal(p.user_id, 0);
	assert_int_equal(lookup(f, &p, "", &err), CTIP_EAUTH);
	assert_int_equal(lookup(f, &p, "short", &err), CTIP_EAUTH);
	/* The token with one more character is another token. */
	{
		char longer[CTIP_TOKEN_LEN + 2];

		snprintf(longer, sizeof(longer), "%sA", token);
		assert_int_equal(lookup(f, &p, longer, &err), CTIP_EAUTH);
	}
	/* The CSRF token is no session token. */
	assert_int_equal(lookup(f, &p, in.csrf, &err), CTIP_EAUTH);
}

static void
logout_ends_the_session(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	char other[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p, q;
	struct ctip_err err;

	account(f, "hoa.tran", BA_DINH, pw);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	assert_int_equal(login(f, &q, other, "hoa.tran", pw, &err), CTIP_OK);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_OK);
	assert_int_equal(ctip_auth_logout(f->st, &f->kr, &p, &err), CTIP_OK);
	assert_string_equal(last_audit(f).action, "session.logout");
	assert_string_equal(last_audit(f).username, "hoa.tran");
	assert_int_equal(lookup(f, &p, token, &err), CTIP_EAUTH);
	/* Other sessions of the user go on. */
	assert_int_equal(lookup(f, &q, other, &err), CTIP_OK);
}

/* Set a timestamp column of every session to seconds from now. */
static void
age_sessions(struct db_fixture *f, const char *column, long seconds)
{
	char ts[24], sql[128];

	ctip_time_after(ts, seconds);
	snprintf(sql, sizeof(sql), "UPDATE session SET %s = '%s'", column, ts);
	assert_int_equal(raw_exec(f->db, sql), SQLITE_OK);
}

static void
session_idle_for_31_minutes_expires(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p;
	struct ctip_err err;

	account(f, "hoa.tran", BA_DINH, pw);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	age_sessions(f, "last_seen_at", -29 * 60);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_OK);
	age_sessions(f, "last_seen_at", -31 * 60);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_EAUTH);
	assert_int_equal(p.user_id, 0);
	/* The expired session is gone for good. */
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 0);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_EAUTH);
}

static void
session_past_its_absolute_expiry_expires(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	char early[24], late[24];
	struct ctip_principal p;
	struct ctip_err err;
	char *expires;

	account(f, "hoa.tran", BA_DINH, pw);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	/* Twelve hours from the login, give or take the test's run. */
	ctip_time_after(early, CTIP_SESSION_MAX - 60);
	ctip_time_after(late, CTIP_SESSION_MAX + 60);
	expires = raw_text(&f->arena, f->db, "SELECT expires_at FROM session",
			   NULL);
	assert_non_null(expires);
	assert_true(strcmp(expires, early) > 0 && strcmp(expires, late) < 0);
	age_sessions(f, "expires_at", -1);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_EAUTH);
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 0);
}

static void
session_records_activity_at_most_once_a_minute(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	char before[24], *seen;
	struct ctip_principal p;
	struct ctip_err err;

	account(f, "hoa.tran", BA_DINH, pw);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	age_sessions(f, "last_seen_at", -20);
	seen = raw_text(&f->arena, f->db, "SELECT last_seen_at FROM session",
			NULL);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_OK);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT last_seen_at FROM session", NULL),
			    seen);
	age_sessions(f, "last_seen_at", -5 * 60);
	ctip_time_after(before, -1);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_OK);
	seen = raw_text(&f->arena, f->db, "SELECT last_seen_at FROM session",
			NULL);
	assert_true(strcmp(seen, before) >= 0);
}

static void
disabled_user_cannot_use_a_session_or_sign_in(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p, admin;
	struct ctip_err err;
	int64_t id = account(f, "hoa.tran", BA_DINH, pw);

	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	/* Disabled behind the application's back: the session refuses. */
	assert_int_equal(raw_exec(f->db, "UPDATE app_user SET disabled = 1"),
			 SQLITE_OK);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_EAUTH);
	assert_int_equal(p.user_id, 0);
	assert_int_equal(raw_exec(f->db, "UPDATE app_user SET disabled = 0"),
			 SQLITE_OK);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_OK);

	/* Disabled by an administrator: sessions end, logins fail. */
	admin = user_at(f, "admin", "POLICE", "VN", "administrator");
	assert_int_equal(ctip_account_disable(f->st, &f->kr, &admin, id, &err),
			 CTIP_OK);
	assert_string_equal(last_audit(f).action, "user.disable");
	assert_string_equal(last_audit(f).username, "admin");
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 0);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_EAUTH);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_EAUTH);
	assert_int_equal(ctip_auth_principal(&p, f->st, id, &err), CTIP_EAUTH);
	assert_int_equal(ctip_account_disable(f->st, &f->kr, &admin, 999, &err),
			 CTIP_ENOTFOUND);
}

static void
password_reset_ends_sessions_and_requires_a_change(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], pw2[CTIP_PASSWORD_GEN_LEN + 1];
	char token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p;
	struct ctip_err err;
	int64_t id = account(f, "hoa.tran", BA_DINH, pw);
	int i;

	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	assert_int_equal(ctip_auth_change_password(f->st, &f->kr, &p, pw,
						   "a passphrase of mine",
						   &err),
			 CTIP_OK);
	/* Locked out by a guesser... */
	for (i = 0; i < CTIP_LOGIN_MAX_FAILS; i++)
		assert_int_equal(
			login(f, &p, token, "hoa.tran", "guess guess", &err),
			CTIP_EAUTH);
	/* ...and reset by the operator. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(
		ctip_account_reset_password(pw2, f->st, &f->kr, NULL, id, &err),
		CTIP_OK);
	assert_int_equal(strlen(pw2), CTIP_PASSWORD_GEN_LEN);
	assert_string_not_equal(pw2, pw);
	assert_string_equal(last_audit(f).action, "user.password_reset");
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 0);
	assert_int_equal(raw_long(f->db,
				  "SELECT must_change_password FROM app_user "
				  "WHERE username = ?1",
				  "hoa.tran"),
			 1);
	assert_int_equal(
		login(f, &p, token, "hoa.tran", "a passphrase of mine", &err),
		CTIP_EAUTH);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw2, &err), CTIP_OK);
	assert_true(p.must_change_password);
	assert_false(ctip_authz_can(&p, CTIP_PERM_PERSON_READ));
	assert_int_equal(ctip_account_reset_password(pw2, f->st, &f->kr, NULL,
						     999, &err),
			 CTIP_ENOTFOUND);
}

static void
administrator_cannot_reset_its_own_password(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1];
	struct ctip_principal admin;
	struct ctip_err err = { 0 };
	long rows;

	admin = user_at(f, "admin", "POLICE", "VN", "administrator");
	rows = audit_rows(f);
	/* Refused as disabling oneself is: the current password is needed. */
	assert_int_equal(ctip_account_reset_password(pw, f->st, &f->kr, &admin,
						     admin.user_id, &err),
			 CTIP_EINVAL);
	assert_non_null(strstr(err.msg, "own password"));
	assert_int_equal(raw_long(f->db,
				  "SELECT must_change_password FROM app_user "
				  "WHERE username = ?1",
				  "admin"),
			 0);
	assert_int_equal(audit_rows(f), rows);
	/* Another's is still reset. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(ctip_account_reset_password(
				 pw, f->st, &f->kr, &admin,
				 account(f, "hoa.tran", BA_DINH, pw), &err),
			 CTIP_OK);
}

static void
password_change_checks_both_passwords(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p;
	struct ctip_err err = { 0 };
	char long_pw[CTIP_PASSWORD_MAX + 2];
	long rows;

	account(f, "nguyen.thi.hoa", BA_DINH, pw);
	assert_int_equal(login(f, &p, token, "nguyen.thi.hoa", pw, &err),
			 CTIP_OK);
	rows = audit_rows(f);
#define BAD(current, next, want)                                               \
	do {                                                                   \
		memset(&err, 0, sizeof(err));                                  \
		assert_int_equal(ctip_auth_change_password(f->st, &f->kr, &p,  \
							   current, next,      \
							   &err),              \
				 CTIP_EINVAL);                                 \
		assert_string_equal(err.field, want);                          \
	} while (0)
	BAD("not my password", "a passphrase of mine", "current_password");
	assert_int_equal(audit_rows(f), rows + 1); /* the wrong one only */
	/* What no password can be is refused, not counted. */
	BAD("", "a passphrase of mine", "current_password");
	BAD(" \t ", "a passphrase of mine", "current_password");
	memset(long_pw, 'x', sizeof(long_pw) - 1);
	long_pw[sizeof(long_pw) - 1] = '\0';
	BAD(long_pw, "a passphrase of mine", "current_password");
	assert_int_equal(audit_rows(f), rows + 1);
	BAD(pw, "short", "new_password");
	BAD(pw, "eleven char", "new_password");
	BAD(pw, "nguyen.thi.hoa", "new_password");
	BAD(pw, pw, "new_password");
	BAD(pw, "twelve bytes\xff", "new_password");
	BAD(pw, "            ", "new_password");
#undef BAD
	assert_int_equal(audit_rows(f), rows + 1);
	assert_int_equal(audit_count(f, "user.password_change", "failed"), 1);
	assert_true(p.must_change_password);
	assert_int_equal(ctip_auth_change_password(f->st, &f->kr, &p, pw,
						   "a passphrase of mine",
						   &err),
			 CTIP_OK);
	assert_false(p.must_change_password);
	assert_string_equal(last_audit(f).action, "user.password_change");
	assert_int_equal(raw_long(f->db,
				  "SELECT must_change_password FROM app_user "
				  "WHERE username = ?1",
				  "nguyen.thi.hoa"),
			 0);
	/* The session goes on, now without the block. */
	assert_int_equal(lookup(f, &p, token, &err), CTIP_OK);
	assert_false(p.must_change_password);
	assert_true(ctip_authz_can(&p, CTIP_PERM_PERSON_READ));
	assert_int_equal(login(f, &p, token, "nguyen.thi.hoa", pw, &err),
			 CTIP_EAUTH);
	assert_int_equal(login(f, &p, token, "nguyen.thi.hoa",
			       "a passphrase of mine", &err),
			 CTIP_OK);
	assert_false(p.must_change_password);
}

static void
wrong_current_passwords_are_audited_and_lock_the_account(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	char other[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p, q;
	struct ctip_audit_row r;
	struct ctip_err err = { 0 };
	int i;

	account(f, "hoa.tran", BA_DINH, pw);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	assert_int_equal(login(f, &q, other, "hoa.tran", pw, &err), CTIP_OK);
	for (i = 0; i < CTIP_LOGIN_MAX_FAILS - 1; i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(ctip_auth_change_password(f->st, &f->kr, &p,
							   "guess guess",
							   "a passphrase of "
							   "mine",
							   &err),
				 CTIP_EINVAL);
		assert_string_equal(err.field, "current_password");
		r = last_audit(f);
		assert_string_equal(r.action, "user.password_change");
		assert_string_equal(r.outcome, "failed");
		assert_string_equal(r.username, "hoa.tran");
		assert_string_equal(r.ip, "203.0.113.5");
		/* The session goes on meanwhile. */
		assert_int_equal(lookup(f, &p, token, &err), CTIP_OK);
	}
	assert_int_equal(raw_long(f->db,
				  "SELECT failed_logins FROM app_user WHERE "
				  "username = ?1",
				  "hoa.tran"),
			 CTIP_LOGIN_MAX_FAILS - 1);
	/* The last guess locks the account and ends every session. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(
		ctip_auth_change_password(f->st, &f->kr, &p, "guess guess",
					  "a passphrase of mine", &err),
		CTIP_EAUTH);
	assert_string_equal(err.field, "current_password");
	assert_string_equal(last_audit(f).outcome, "locked");
	assert_int_equal(audit_count(f, "user.password_change", "failed"),
			 CTIP_LOGIN_MAX_FAILS - 1);
	assert_non_null(raw_text(&f->arena, f->db,
				 "SELECT locked_until FROM app_user WHERE "
				 "username = ?1",
				 "hoa.tran"));
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 0);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_EAUTH);
	assert_int_equal(lookup(f, &q, other, &err), CTIP_EAUTH);
	/* Locked: the right password signs in no more than a wrong one. */
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_EAUTH);
	assert_string_equal(last_audit(f).outcome, "locked");
	expect_intact(f, audit_rows(f));
}

static void
failed_logins_and_wrong_current_passwords_share_one_count(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	char other[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p, q;
	struct ctip_err err = { 0 };
	int i;

	account(f, "hoa.tran", BA_DINH, pw);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	for (i = 0; i < CTIP_LOGIN_MAX_FAILS - 2; i++)
		assert_int_equal(
			login(f, &q, other, "hoa.tran", "guess guess", &err),
			CTIP_EAUTH);
	assert_int_equal(
		ctip_auth_change_password(f->st, &f->kr, &p, "guess guess",
					  "a passphrase of mine", &err),
		CTIP_EINVAL);
	assert_int_equal(
		ctip_auth_change_password(f->st, &f->kr, &p, "guess guess",
					  "a passphrase of mine", &err),
		CTIP_EAUTH);
	assert_int_equal(lookup(f, &p, token, &err), CTIP_EAUTH);
}

static void
password_change_while_locked_is_refused_even_with_the_right_one(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	char api[CTIP_TOKEN_LEN + 6];
	struct ctip_principal p, q;
	struct ctip_err err = { 0 };
	int64_t id = account(f, "sync.bot", BA_DINH, pw), tid = 0;
	int i;

	/* An API token has no session to end: while the account is locked
	 * its guesses are refused, right or wrong, and tell nothing. */
	assert_int_equal(ctip_token_create(&tid, api, f->st, &f->kr, NULL, id,
					   "nightly sync", &err),
			 CTIP_OK);
	for (i = 0; i < CTIP_LOGIN_MAX_FAILS; i++)
		assert_int_equal(
			login(f, &q, token, "sync.bot", "guess guess", &err),
			CTIP_EAUTH);
	assert_int_equal(ctip_auth_bearer(&p, f->st, api, "10.0.0.9", &err),
			 CTIP_OK);
	assert_int_equal(ctip_auth_change_password(f->st, &f->kr, &p, pw,
						   "a passphrase of mine",
						   &err),
			 CTIP_ELOCKED);
	assert_string_equal(last_audit(f).outcome, "locked");
	assert_int_equal(
		ctip_auth_change_password(f->st, &f->kr, &p, "guess guess",
					  "a passphrase of mine", &err),
		CTIP_ELOCKED);
	assert_int_equal(audit_count(f, "user.password_change", "locked"), 2);
	/* The lock over, the right password changes it and clears the
	 * count. */
	assert_int_equal(raw_exec(f->db, "UPDATE app_user SET locked_until = "
					 "'2000-01-01T00:00:00Z', "
					 "failed_logins = 2"),
			 SQLITE_OK);
	assert_int_equal(ctip_auth_change_password(f->st, &f->kr, &p, pw,
						   "a passphrase of mine",
						   &err),
			 CTIP_OK);
	assert_int_equal(raw_long(f->db,
				  "SELECT failed_logins FROM app_user WHERE "
				  "username = ?1",
				  "sync.bot"),
			 0);
}

/* --- a check made before the transaction meets a change made meanwhile ---
 *
 * Argon2 runs outside the transaction that writes. These tests put another
 * connection's change exactly there: f->st runs with its begin replaced by
 * one that first runs the race's step on the other connection, once. */

struct race {
	const struct ctip_store_ops *real; /* f->st's own */
	struct ctip_store *other;          /* where the step runs */
	const struct ctip_keyring *kr;
	void (*step)(struct race *r);          /* NULL once it ran */
	struct ctip_principal by;              /* the step's user */
	const char *current, *next;            /* its passwords */
	int64_t user_id;                       /* the account reset */
	char reset[CTIP_PASSWORD_GEN_LEN + 1]; /* the reset's password */
};

static struct race *race_now; /* begin is given only the store */
/* f->st's operations, begin replaced; static, so that a failed test's
 * teardown still finds them. */
static struct ctip_store_ops race_ops;

static int
race_begin(struct ctip_store *st, struct ctip_err *err)
{
	struct race *r = race_now;
	void (*step)(struct race *) = r->step;

	r->step = NULL;
	if (step != NULL)
		step(r);
	return r->real->begin(st, err);
}

/* Run step on a second connection when f->st next begins a transaction. */
static void
race_arm(struct db_fixture *f, struct race *r, void (*step)(struct race *))
{
	struct ctip_err err = { 0 };

	assert_int_equal(
		ctip_store_open(&r->other, f->db, CTIP_OPEN_EXISTING, &err),
		CTIP_OK);
	r->kr = &f->kr;
	r->real = f->st->ops;
	race_ops = *f->st->ops;
	race_ops.begin = race_begin;
	r->step = step;
	race_now = r;
	f->st->ops = &race_ops;
}

/* f->st as it was; the step must have run. */
static void
race_end(struct db_fixture *f, struct race *r)
{
	f->st->ops = r->real;
	r->other->ops->close(r->other);
	race_now = NULL;
	assert_null(r->step);
}

static void
race_change(struct race *r)
{
	struct ctip_err err = { 0 };

	assert_int_equal(ctip_auth_change_password(r->other, r->kr, &r->by,
						   r->current, r->next, &err),
			 CTIP_OK);
}

static void
race_reset(struct race *r)
{
	struct ctip_err err = { 0 };

	assert_int_equal(ctip_account_reset_password(r->reset, r->other, r->kr,
						     NULL, r->user_id, &err),
			 CTIP_OK);
}

static void
login_verified_before_a_password_change_fails_as_a_wrong_password(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	char wrong[sizeof(((struct ctip_err *)0)->msg)];
	struct ctip_principal p, q;
	struct ctip_err err;
	struct race r = { 0 };

	account(f, "hoa.tran", BA_DINH, pw);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	assert_int_equal(ctip_auth_change_password(f->st, &f->kr, &p, pw,
						   "the first passphrase",
						   &err),
			 CTIP_OK);
	assert_int_equal(login(f, &q, token, "hoa.tran", "a wrong one x", &err),
			 CTIP_EAUTH);
	snprintf(wrong, sizeof(wrong), "%s", err.msg);
	/* The old password is verified; then p changes it, and only then
	 * does the login's transaction begin. */
	r.by = p;
	r.current = "the first passphrase";
	r.next = "the second passphrase";
	race_arm(f, &r, race_change);
	assert_int_equal(
		login(f, &q, token, "hoa.tran", "the first passphrase", &err),
		CTIP_EAUTH);
	race_end(f, &r);
	/* Exactly a wrong password: the same answer, audit and count. */
	assert_string_equal(err.msg, wrong);
	assert_string_equal(last_audit(f).action, "session.login");
	assert_string_equal(last_audit(f).outcome, "failed");
	assert_int_equal(raw_long(f->db,
				  "SELECT failed_logins FROM app_user WHERE "
				  "username = ?1",
				  "hoa.tran"),
			 1); /* the change cleared the first */
	/* No session made with the old password: p's alone is left. */
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 1);
	assert_int_equal(
		login(f, &q, token, "hoa.tran", "the second passphrase", &err),
		CTIP_OK);
	expect_intact(f, 7);
}

static void
login_verified_before_a_password_reset_fails_as_a_wrong_password(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal p;
	struct ctip_err err;
	struct race r = { 0 };

	r.user_id = account(f, "hoa.tran", BA_DINH, pw);
	race_arm(f, &r, race_reset);
	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_EAUTH);
	race_end(f, &r);
	assert_string_equal(err.msg, "wrong username or password");
	assert_string_equal(last_audit(f).outcome, "failed");
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM session", NULL),
			 0);
	assert_int_equal(login(f, &p, token, "hoa.tran", r.reset, &err),
			 CTIP_OK);
}

/* Signed in twice (pa, pb), with the password "the first passphrase". */
static void
two_sessions(struct db_fixture *f, struct ctip_principal *pa,
	     struct ctip_principal *pb)
{
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	struct ctip_err err;

	account(f, "hoa.tran", BA_DINH, pw);
	assert_int_equal(login(f, pa, token, "hoa.tran", pw, &err), CTIP_OK);
	assert_int_equal(ctip_auth_change_password(f->st, &f->kr, pa, pw,
						   "the first passphrase",
						   &err),
			 CTIP_OK);
	assert_int_equal(
		login(f, pb, token, "hoa.tran", "the first passphrase", &err),
		CTIP_OK);
}

static void
password_change_from_a_session_ended_meanwhile_is_refused(void **state)
{
	struct db_fixture *f = *state;
	char token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal pa, pb, q;
	struct ctip_err err = { 0 };
	struct race r = { 0 };

	two_sessions(f, &pa, &pb);
	/* Both check the same current password; b's change commits first
	 * and ends a's session. */
	r.by = pb;
	r.current = "the first passphrase";
	r.next = "the passphrase of b";
	race_arm(f, &r, race_change);
	assert_int_equal(ctip_auth_change_password(f->st, &f->kr, &pa,
						   "the first passphrase",
						   "the passphrase of a", &err),
			 CTIP_EAUTH);
	race_end(f, &r);
	assert_string_equal(err.msg, "no valid session");
	assert_int_equal(audit_count(f, "user.password_change", "ok"), 2);
	assert_int_equal(
		login(f, &q, token, "hoa.tran", "the passphrase of a", &err),
		CTIP_EAUTH);
	assert_int_equal(
		login(f, &q, token, "hoa.tran", "the passphrase of b", &err),
		CTIP_OK);
}

static void
password_change_after_another_of_the_same_session_is_a_conflict(void **state)
{
	struct db_fixture *f = *state;
	char token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal pa, pb, q;
	struct ctip_err err = { 0 };
	struct race r = { 0 };
	int64_t fails;

	two_sessions(f, &pa, &pb);
	/* Two requests of session a: the first keeps its own session. */
	r.by = pa;
	r.current = "the first passphrase";
	r.next = "the passphrase of a1";
	race_arm(f, &r, race_change);
	assert_int_equal(ctip_auth_change_password(
				 f->st, &f->kr, &pa, "the first passphrase",
				 "the passphrase of a2", &err),
			 CTIP_ECONFLICT);
	race_end(f, &r);
	assert_string_equal(err.field, "current_password");
	assert_string_equal(err.rule, "password_changed");
	assert_int_equal(audit_count(f, "user.password_change", "ok"), 2);
	assert_int_equal(
		login(f, &q, token, "hoa.tran", "the passphrase of a1", &err),
		CTIP_OK);
	/* A wrong guess checked against the old password is refused the
	 * same way, and not counted: it was not checked against the
	 * current one. */
	fails = raw_long(f->db, "SELECT failed_logins FROM app_user", NULL);
	r.by = q;
	r.current = "the passphrase of a1";
	r.next = "the passphrase of a3";
	race_arm(f, &r, race_change);
	assert_int_equal(ctip_auth_change_password(
				 f->st, &f->kr, &q, "guess guess guess",
				 "the passphrase of a4", &err),
			 CTIP_ECONFLICT);
	race_end(f, &r);
	assert_int_equal(
		raw_long(f->db, "SELECT failed_logins FROM app_user", NULL),
		fails);
}

static void
password_change_verified_before_a_reset_is_refused(void **state)
{
	struct db_fixture *f = *state;
	char token[CTIP_TOKEN_LEN + 1];
	struct ctip_principal pa, pb, q;
	struct ctip_err err = { 0 };
	struct race r = { 0 };

	two_sessions(f, &pa, &pb);
	/* The administrator's reset ends every session: the change that
	 * checked the old password must not undo the one-time password. */
	r.user_id = pa.user_id;
	race_arm(f, &r, race_reset);
	assert_int_equal(ctip_auth_change_password(f->st, &f->kr, &pa,
						   "the first passphrase",
						   "the passphrase of a", &err),
			 CTIP_EAUTH);
	race_end(f, &r);
	assert_string_equal(last_audit(f).action, "user.password_reset");
	assert_int_equal(login(f, &q, token, "hoa.tran", r.reset, &err),
			 CTIP_OK);
	assert_true(q.must_change_password);
}

static void
api_token_authenticates_until_revoked(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 6];
	char other[CTIP_TOKEN_LEN + 6];
	struct ctip_principal p;
	struct ctip_err err = { 0 };
	int64_t uid = account(f, "sync.bot", BA_DINH, pw), tid = 0, tid2 = 0;

	assert_int_equal(ctip_token_create(&tid, token, f->st, &f->kr, NULL,
					   uid, "nightly sync", &err),
			 CTIP_OK);
	assert_true(tid > 0);
	assert_int_equal(strncmp(token, "ctip_", 5), 0);
	assert_int_equal(strlen(token), CTIP_TOKEN_LEN + 5);
	assert_string_equal(last_audit(f).action, "token.create");
	assert_int_equal(ctip_auth_bearer(&p, f->st, token, "10.0.0.9", &err),
			 CTIP_OK);
	assert_int_equal(p.user_id, uid);
	assert_string_equal(p.username, "sync.bot");
	assert_true(p.via_token);
	assert_string_equal(p.ip, "10.0.0.9");
	assert_int_equal(p.roles, CTIP_ROLE_CASE_WORKER);

	assert_int_equal(ctip_auth_bearer(&p, f->st, "ctip_nothing", "x", &err),
			 CTIP_EAUTH);
	assert_int_equal(ctip_auth_bearer(&p, f->st, token + 5, "x", &err),
			 CTIP_EAUTH);
	assert_int_equal(ctip_token_create(&tid2, other, f->st, &f->kr, NULL,
					   uid, "", &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "name");
	assert_int_equal(ctip_token_create(&tid2, other, f->st, &f->kr, NULL,
					   uid, "backup job", &err),
			 CTIP_OK);
	assert_string_not_equal(other, token);

	assert_int_equal(f->st->ops->token_revoke(f->st, tid, NOW, &err),
			 CTIP_OK);
	memset(&err, 0, sizeof(err));
	assert_int_equal(ctip_auth_bearer(&p, f->st, token, "10.0.0.9", &err),
			 CTIP_EAUTH);
	assert_int_equal(p.user_id, 0);
	assert_int_equal(f->st->ops->token_revoke(f->st, tid, NOW, &err),
			 CTIP_ENOTFOUND);
	/* The other token still works, until its user is disabled. */
	assert_int_equal(ctip_auth_bearer(&p, f->st, other, "x", &err),
			 CTIP_OK);
	assert_int_equal(ctip_account_disable(f->st, &f->kr, NULL, uid, &err),
			 CTIP_OK);
	assert_int_equal(ctip_auth_bearer(&p, f->st, other, "x", &err),
			 CTIP_EAUTH);
}

/* True if the database file or its WAL holds s. */
static bool
db_holds(struct db_fixture *f, const char *s)
{
	char wal[256];

	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	return file_contains(f->db, s) || file_contains(wal, s);
}

static void
tokens_are_stored_only_as_hashes(void **state)
{
	struct db_fixture *f = *state;
	char pw[CTIP_PASSWORD_GEN_LEN + 1], token[CTIP_TOKEN_LEN + 1];
	char api[CTIP_TOKEN_LEN + 6], hex[65];
	unsigned char hash[32];
	struct ctip_principal p;
	struct ctip_err err = { 0 };
	int64_t uid = account(f, "hoa.tran", BA_DINH, pw), tid = 0;

	assert_int_equal(login(f, &p, token, "hoa.tran", pw, &err), CTIP_OK);
	assert_int_equal(ctip_token_create(&tid, api, f->st, &f->kr, NULL, uid,
					   "nightly sync", &err),
			 CTIP_OK);
	ctip_token_hash(hash, token);
	sodium_bin2hex(hex, sizeof(hex), hash, 32);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT lower(hex(token_hash)) FROM "
				     "session",
				     NULL),
			    hex);
	ctip_token_hash(hash, api);
	sodium_bin2hex(hex, sizeof(hex), hash, 32);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT lower(hex(token_hash)) FROM "
				     "api_token",
				     NULL),
			    hex);
	assert_false(db_holds(f, token));
	assert_false(db_holds(f, api));
	assert_false(db_holds(f, api + 5));
	assert_false(db_holds(f, pw));
	f->st->ops->close(f->st);
	f->st = NULL;
	assert_false(file_contains(f->db, token));
	assert_false(file_contains(f->db, api + 5));
	assert_false(file_contains(f->db, pw));
}

/* --- access --- */

static void
owner_reads_a_registered_person_with_identity(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw =
		user_at(f, "cw", "POLICE", BA_DINH, "case_worker");
	struct ctip_person_view v;
	struct ctip_audit_row r;
	struct ctip_err err = { 0 };
	char id_text[24];
	int64_t id = register_as(f, &cw, person_dao());

	snprintf(id_text, sizeof(id_text), "%lld", (long long)id);
	/* Its creation, then its identification (a victim's). */
	r = last_audit(f);
	assert_string_equal(r.action, "person.step");
	assert_string_equal(r.object_id, id_text);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT action FROM audit_log WHERE "
				     "object_id = ?1 ORDER BY id LIMIT 1",
				     id_text),
			    "person.create");
	assert_int_equal(r.user_id, cw.user_id);
	assert_int_equal(person(f, id).owner_unit_id, cw.unit_id);
	assert_int_equal(raw_long(f->db, "SELECT created_by FROM person", NULL),
			 cw.user_id);

	assert_int_equal(
		ctip_person_read(&v, &f->ax, &cw, id, NULL, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(v.view, CTIP_VIEW_IDENTITY);
	assert_int_equal(v.rec.id, id);
	assert_string_equal(v.full_name, "Nguyễn Thị Đào");
	assert_string_equal(v.citizen_id, "001199012345");
	assert_string_equal(v.phone, "0912345678");
	assert_string_equal(v.address, "Xóm Quýt, ngõ 7");
	assert_string_equal(v.rec.birth_date, "1999-05-01");
	assert_int_equal(v.rec.birth_year, 1999);
	assert_string_equal(v.rec.commune_code, BA_DINH);
	/* The sealed blobs do not leave with the view. */
	assert_null(v.rec.name_enc);
	assert_null(v.rec.citizen_id_enc);
	assert_null(v.rec.phone_enc);
	assert_null(v.rec.address_enc);
	r = last_audit(f);
	assert_string_equal(r.action, "person.read");
	assert_string_equal(r.object_type, "person");
	assert_string_equal(r.object_id, id_text);
	assert_string_equal(r.username, "cw");
	assert_string_equal(r.reason, "");
	assert_string_equal(r.ip, "192.0.2.7");
	/* The registration, its identification, the read. */
	expect_intact(f, 1 + 2);
}

static void
register_files_the_person_under_the_own_unit_only(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      other = user_at(f, "other", "POLICE", NGOC_HA,
					      "case_worker");
	struct ctip_person_input in = person_dao();
	struct ctip_err err = { 0 };
	int64_t id = 0;

	in.owner_unit_id = other.unit_id;
	in.is_demo = true;
	in.created_by = other.user_id;
	assert_int_equal(ctip_person_register(&id, &f->ax, &cw, &in, &err),
			 CTIP_OK);
	assert_int_equal(person(f, id).owner_unit_id, cw.unit_id);
	assert_false(person(f, id).is_demo);
	assert_int_equal(raw_long(f->db, "SELECT created_by FROM person", NULL),
			 cw.user_id);

	/* Refused input leaves neither a person nor an audit entry. */
	in = person_dao();
	in.citizen_id = "12345";
	assert_int_equal(ctip_person_register(&id, &f->ax, &cw, &in, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "citizen_id");
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM person", NULL),
			 1);
	/* Its creation and its identification. */
	assert_int_equal(audit_rows(f), 2);
	expect_intact(f, 2);
}

static void
other_commune_gets_the_same_notfound_as_a_missing_person(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      other = user_at(f, "other", "POLICE", NGOC_HA,
					      "case_worker");
	struct ctip_person_view v;
	struct ctip_audit_row r;
	struct ctip_err hidden = { 0 }, missing = { 0 };
	char want[64];
	int64_t id = register_as(f, &cw, person_dao());
	long rows = audit_rows(f);

	assert_int_equal(ctip_person_read(&v, &f->ax, &other, id, "curious",
					  &f->arena, &hidden),
			 CTIP_ENOTFOUND);
	assert_int_equal(ctip_person_read(&v, &f->ax, &other, id + 1000,
					  "curious", &f->arena, &missing),
			 CTIP_ENOTFOUND);
	snprintf(want, sizeof(want), "person %lld does not exist",
		 (long long)id);
	assert_string_equal(hidden.msg, want);
	snprintf(want, sizeof(want), "person %lld does not exist",
		 (long long)(id + 1000));
	assert_string_equal(missing.msg, want);
	assert_int_equal(hidden.code, missing.code);
	assert_string_equal(hidden.field, missing.field);
	/* Both attempts are audited alike, refused: a probe leaves a trace,
	 * and the trace (or its time) tells nothing of which id exists. */
	assert_int_equal(audit_rows(f), rows + 2);
	r = last_audit(f);
	assert_string_equal(r.action, "person.read");
	assert_string_equal(r.outcome, "denied");
	assert_string_equal(r.username, "other");
	assert_string_equal(r.reason, "curious");
}

static void
province_case_worker_must_give_a_reason(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      pcw = user_at(f, "pcw", "POLICE", "01",
					    "case_worker");
	struct ctip_person_view v;
	struct ctip_audit_row r;
	struct ctip_err err = { 0 };
	int64_t id = register_as(f, &cw, person_dao());
	long rows = audit_rows(f);

	assert_int_equal(
		ctip_person_read(&v, &f->ax, &pcw, id, NULL, &f->arena, &err),
		CTIP_EREASON);
	assert_string_equal(err.field, "reason");
	assert_int_equal(
		ctip_person_read(&v, &f->ax, &pcw, id, " \t ", &f->arena, &err),
		CTIP_EREASON);
	assert_int_equal(
		ctip_person_read(&v, &f->ax, &pcw, id, "", &f->arena, &err),
		CTIP_EREASON);
	/* Not a probe (the page asks for the reason next): not logged. */
	assert_int_equal(audit_rows(f), rows);

	memset(&err, 0, sizeof(err));
	assert_int_equal(ctip_person_read(&v, &f->ax, &pcw, id,
					  "hồ sơ chuyển từ Ba Đình", &f->arena,
					  &err),
			 CTIP_OK);
	assert_int_equal(v.view, CTIP_VIEW_IDENTITY);
	assert_string_equal(v.full_name, "Nguyễn Thị Đào");
	r = last_audit(f);
	assert_string_equal(r.action, "person.read");
	assert_string_equal(r.username, "pcw");
	assert_int_equal(r.org_unit_id, pcw.unit_id);
	assert_string_equal(r.reason, "hồ sơ chuyển từ Ba Đình");
	assert_int_equal(audit_rows(f), rows + 1);
	expect_intact(f, rows + 1);
}

static void
supervisor_sees_a_stable_pseudonym_without_identity(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      sup = user_at(f, "sup", "POLICE", BA_DINH,
					    "supervisor"),
			      psup = user_at(f, "psup", "POLICE", "01",
					     "supervisor");
	struct ctip_person_view v, again, other;
	struct ctip_err err = { 0 };
	int64_t id = register_as(f, &cw, person_dao()),
		id2 = register_as(f, &cw, binh());
	int i;

	assert_int_equal(
		ctip_person_read(&v, &f->ax, &sup, id, NULL, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(v.view, CTIP_VIEW_PSEUDONYM);
	assert_null(v.full_name);
	assert_null(v.citizen_id);
	assert_null(v.phone);
	assert_null(v.address);
	assert_null(v.rec.name_enc);
	assert_null(v.rec.citizen_id_enc);
	assert_null(v.rec.phone_enc);
	assert_null(v.rec.address_enc);
	assert_null(v.rec.birth_date);
	assert_int_equal(v.rec.birth_year, 1999);
	assert_string_equal(v.rec.sex, "F");
	assert_int_equal(strlen(v.pseudonym), 14);
	assert_int_equal(strncmp(v.pseudonym, "P-", 2), 0);
	for (i = 2; i < 14; i++)
		assert_true(isxdigit((unsigned char)v.pseudonym[i]) &&
			    !islower((unsigned char)v.pseudonym[i]));

	assert_int_equal(ctip_person_read(&again, &f->ax, &sup, id, NULL,
					  &f->arena, &err),
			 CTIP_OK);
	assert_string_equal(again.pseudonym, v.pseudonym);
	/* The same for another supervisor, another for another person. */
	assert_int_equal(ctip_person_read(&again, &f->ax, &psup, id, NULL,
					  &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(again.view, CTIP_VIEW_PSEUDONYM);
	assert_string_equal(again.pseudonym, v.pseudonym);
	assert_int_equal(ctip_person_read(&other, &f->ax, &sup, id2, NULL,
					  &f->arena, &err),
			 CTIP_OK);
	assert_string_not_equal(other.pseudonym, v.pseudonym);
	/* The owner's identity view carries the same pseudonym. */
	assert_int_equal(ctip_person_read(&again, &f->ax, &cw, id, NULL,
					  &f->arena, &err),
			 CTIP_OK);
	assert_string_equal(again.pseudonym, v.pseudonym);
}

/* Persons p finds for name; their ids into ids (up to 8). */
static int
find_name(struct db_fixture *f, const struct ctip_principal *p,
	  const char *name, const char *reason, int64_t *ids)
{
	struct ctip_person_search s = { .name = name,
					.reason = reason,
					.limit = 50 };
	struct ctip_person_view *v = NULL;
	struct ctip_err err = { 0 };
	int n = -1, i;

	if (ctip_person_find(&v, &n, &f->ax, p, &s, &f->arena, &err) != CTIP_OK)
		fail_msg("find %s: %s", name, err.msg);
	for (i = 0; i < n && i < 8; i++) {
		assert_int_equal(v[i].view, CTIP_VIEW_IDENTITY);
		assert_non_null(v[i].full_name);
		if (ids != NULL)
			ids[i] = v[i].rec.id;
	}
	return n;
}

static void
find_by_name_ignores_diacritics_and_case_within_scope(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      other = user_at(f, "other", "POLICE", NGOC_HA,
					      "case_worker");
	static const char *const names[] = {
		"nguyen thi dao",  "Nguyễn Thị Đào", "NGUYEN DAO", "dao",
		"  Đào   nguyễn ",
	};
	int64_t id = register_as(f, &cw, person_dao()), ids[8];
	unsigned i;

	register_as(f, &cw, binh());
	register_as(f, &other, person_dao()); /* a namesake in Ngọc Hà */
	for (i = 0; i < CTIP_NELEM(names); i++) {
		assert_int_equal(find_name(f, &cw, names[i], NULL, ids), 1);
		assert_int_equal(ids[0], id);
		assert_int_equal(find_name(f, &other, names[i], NULL, ids), 1);
		assert_int_not_equal(ids[0], id);
	}
	assert_int_equal(find_name(f, &cw, "nguyen thi hoa", NULL, ids), 0);
	assert_int_equal(find_name(f, &cw, "dao binh", NULL, ids), 0);
	assert_int_equal(find_name(f, &cw, "tran van binh", NULL, ids), 1);
	assert_int_equal(find_name(f, &other, "tran van binh", NULL, ids), 0);
	/* Each identity returned is audited. */
	assert_int_equal(audit_count(f, "person.search", "ok"),
			 2 * (long)CTIP_NELEM(names) + 1);
}

static void
find_by_citizen_id_and_normalised_phone(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      other = user_at(f, "other", "POLICE", NGOC_HA,
					      "case_worker");
	struct ctip_person_search s;
	struct ctip_person_view *v = NULL;
	struct ctip_err err = { 0 };
	int64_t id = register_as(f, &cw, person_dao());
	int n = -1;

	register_as(f, &cw, binh());
	memset(&s, 0, sizeof(s));
	s.citizen_id = "001199012345";
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &cw, &s, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].rec.id, id);
	assert_string_equal(v[0].citizen_id, "001199012345");
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &other, &s, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 0);

	memset(&s, 0, sizeof(s));
	s.phone = "+84 912 345 678";
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &cw, &s, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].rec.id, id);
	assert_string_equal(v[0].phone, "0912345678");
	s.phone = "0912.345.678";
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &cw, &s, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 1);
	s.phone = "0912 345 679";
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &cw, &s, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 0);
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &other, &s, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 0);

	/* Criteria combine. */
	memset(&s, 0, sizeof(s));
	s.name = "dao";
	s.phone = "0987654321";
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &cw, &s, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 0);
	s.phone = "0912345678";
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &cw, &s, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 1);

	/* Malformed criteria name their field. */
	memset(&s, 0, sizeof(s));
	s.citizen_id = "0011990123";
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &cw, &s, &f->arena, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "citizen_id");
	memset(&s, 0, sizeof(s));
	s.phone = "call me";
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &cw, &s, &f->arena, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "phone");
	memset(&s, 0, sizeof(s));
	s.name = "- . ,";
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &cw, &s, &f->arena, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "q");
}

static void
province_search_needs_a_reason_to_match_identities(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      pcw = user_at(f, "pcw", "POLICE", "01",
					    "case_worker"),
			      hcm = user_at(f, "hcm", "POLICE", "79",
					    "case_worker");
	struct ctip_person_input far = person_dao();
	struct ctip_person_search s;
	struct ctip_person_view *v = NULL;
	struct ctip_err err = { 0 };
	int64_t id = register_as(f, &cw, person_dao()), ids[8];
	int n = -1;

	far.province_code = "79";
	far.commune_code = THU_DAU_MOT;
	register_as(f, &hcm, far);
	/* Matching a name would tie it to the record: not without reason. */
	assert_int_equal(find_name(f, &pcw, "nguyen thi dao", NULL, ids), 0);
	assert_int_equal(find_name(f, &pcw, "nguyen thi dao", "  ", ids), 0);
	assert_int_equal(find_name(f, &pcw, "nguyen thi dao", "referral", ids),
			 1);
	assert_int_equal(ids[0], id);
	assert_string_equal(last_audit(f).reason, "referral");
	assert_string_equal(last_audit(f).action, "person.search");
	/* A listing without criteria shows the province pseudonymised. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(
		ctip_person_find(&v, &n, &f->ax, &pcw, &s, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].rec.id, id);
	assert_int_equal(v[0].view, CTIP_VIEW_PSEUDONYM);
	assert_null(v[0].full_name);
	assert_null(v[0].rec.birth_date);
	/* Hồ Chí Minh's own finds only its own. */
	assert_int_equal(find_name(f, &hcm, "nguyen thi dao", "referral", ids),
			 1);
	assert_int_not_equal(ids[0], id);
}

static void
granted_unit_reads_with_identity_and_no_reason(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      other = user_at(f, "other", "POLICE", NGOC_HA,
					      "case_worker");
	struct ctip_person_view v;
	struct ctip_err err = { 0 };
	int64_t id = register_as(f, &cw, person_dao()), ids[8];

	assert_int_equal(find_name(f, &other, "dao", NULL, ids), 0);
	assert_int_equal(f->st->ops->access_grant(f->st, "person", id,
						  other.unit_id, cw.user_id,
						  NOW, &err),
			 CTIP_OK);
	assert_int_equal(
		ctip_person_read(&v, &f->ax, &other, id, NULL, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(v.view, CTIP_VIEW_IDENTITY);
	assert_string_equal(v.full_name, "Nguyễn Thị Đào");
	assert_int_equal(find_name(f, &other, "dao", NULL, ids), 1);
	assert_int_equal(ids[0], id);
}

static void
roles_without_person_access_are_refused(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal
		cw = user_at(f, "cw", "POLICE", BA_DINH, "case_worker"),
		stat = user_at(f, "stat", "POLICE", BA_DINH, "statistician"),
		sup = user_at(f, "sup", "POLICE", BA_DINH, "supervisor"),
		ncw = user_at(f, "ncw", "POLICE", "VN", "case_worker"),
		adm = user_at(f, "adm", "POLICE", BA_DINH, "administrator");
	struct ctip_person_input in = person_dao();
	struct ctip_person_search s = { .name = "dao" };
	struct ctip_person_view v, *vs = NULL;
	struct ctip_err err = { 0 };
	int64_t id = register_as(f, &cw, person_dao()), out = 0;
	long rows = audit_rows(f);
	int n = 0;

	assert_int_equal(ctip_person_register(&out, &f->ax, &stat, &in, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_person_register(&out, &f->ax, &sup, &in, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_person_register(&out, &f->ax, &ncw, &in, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_person_register(&out, &f->ax, &adm, &in, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(out, 0);
	assert_int_equal(raw_long(f->db, "SELECT count(*) FROM person", NULL),
			 1);

	assert_int_equal(
		ctip_person_find(&vs, &n, &f->ax, &stat, &s, &f->arena, &err),
		CTIP_EFORBIDDEN);
	assert_int_equal(
		ctip_person_find(&vs, &n, &f->ax, &ncw, &s, &f->arena, &err),
		CTIP_EFORBIDDEN);
	/* Refused for the role, whatever the id: 403, not 404. */
	assert_int_equal(ctip_person_read(&v, &f->ax, &stat, id, "stats",
					  &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_person_read(&v, &f->ax, &ncw, id, "national",
					  &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_person_read(&v, &f->ax, &adm, id, "admin",
					  &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(ctip_person_read(&v, &f->ax, &adm, id + 1000, "admin",
					  &f->arena, &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(audit_rows(f), rows);
}

static void
reads_through_the_audit_queue_are_logged(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      pcw = user_at(f, "pcw", "POLICE", "01",
					    "case_worker");
	struct ctip_person_view v;
	struct ctip_err err = { 0 };
	int64_t id = register_as(f, &cw, person_dao());

	assert_int_equal(ctip_auditq_start(&f->ax.q, f->db, &f->kr, &err),
			 CTIP_OK);
	assert_int_equal(
		ctip_person_read(&v, &f->ax, &cw, id, NULL, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(ctip_person_read(&v, &f->ax, &pcw, id, "referral",
					  &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(find_name(f, &cw, "dao", NULL, NULL), 1);
	ctip_auditq_stop(f->ax.q);
	f->ax.q = NULL;
	assert_int_equal(audit_count(f, "person.read", "ok"), 2);
	assert_int_equal(audit_count(f, "person.search", "ok"), 1);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT reason FROM audit_log WHERE "
				     "username = ?1",
				     "pcw"),
			    "referral");
	expect_intact(f, 4 + 1);
}

/* A reason is logged as given: text, and short enough for the queue's
 * entries (a cut one could end inside a character). */
static void
reasons_are_logged_whole_or_refused(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw = user_at(f, "cw", "POLICE", BA_DINH,
					   "case_worker"),
			      pcw = user_at(f, "pcw", "POLICE", "01",
					    "case_worker");
	struct ctip_person_search s = { .name = "dao" };
	struct ctip_person_view v, *vs = NULL;
	struct ctip_err err = { 0 };
	char fits[256], too_long[400];
	int64_t id = register_as(f, &cw, person_dao());
	long rows;
	int i, n = 0;

	/* 85 times "ả" (3 bytes) is 255 bytes; one "a" more is too much. */
	for (i = 0; i < 85; i++)
		memcpy(fits + 3 * i, "ả", 3);
	fits[255] = '\0';
	snprintf(too_long, sizeof(too_long), "a%s", fits);
	assert_int_equal(strlen(fits), 255);
	assert_int_equal(ctip_auditq_start(&f->ax.q, f->db, &f->kr, &err),
			 CTIP_OK);
	rows = audit_rows(f);
	assert_int_equal(ctip_person_read(&v, &f->ax, &pcw, id, "ok\xff",
					  &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "reason");
	memset(&err, 0, sizeof(err));
	assert_int_equal(ctip_person_read(&v, &f->ax, &pcw, id, too_long,
					  &f->arena, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "reason");
	s.reason = "ok\xff";
	assert_int_equal(
		ctip_person_find(&vs, &n, &f->ax, &pcw, &s, &f->arena, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "reason");
	s.reason = too_long;
	assert_int_equal(
		ctip_person_find(&vs, &n, &f->ax, &pcw, &s, &f->arena, &err),
		CTIP_EINVAL);
	assert_int_equal(audit_rows(f), rows);

	memset(&err, 0, sizeof(err));
	assert_int_equal(
		ctip_person_read(&v, &f->ax, &pcw, id, fits, &f->arena, &err),
		CTIP_OK);
	ctip_auditq_stop(f->ax.q);
	f->ax.q = NULL;
	assert_string_equal(last_audit(f).reason, fits);
	expect_intact(f, rows + 1);
}

/* --- keys --- */

/* Check every sealed field of every person is under key_id and opens to
 * what was registered; returns how many fields were checked. */
static int
expect_sealed_under(struct db_fixture *f, uint32_t key_id)
{
	static const char *const fields[] = { "person.name",
					      "person.citizen_id",
					      "person.phone",
					      "person.address" };
	sqlite3_stmt *q = raw_query(f->db, "SELECT name_enc, citizen_id_enc, "
					   "phone_enc, address_enc, id FROM "
					   "person ORDER BY id");
	const unsigned char *blob;
	char out[1024];
	size_t n;
	int i, checked = 0;

	while (sqlite3_step(q) == SQLITE_ROW) {
		for (i = 0; i < 4; i++) {
			blob = sqlite3_column_blob(q, i);
			n = (size_t)sqlite3_column_bytes(q, i);
			if (blob == NULL)
				continue;
			assert_int_equal(ctip_sealed_key_id(blob, n), key_id);
			assert_true(n < sizeof(out));
			assert_int_equal(
				ctip_open(out, &f->kr, fields[i], blob, n),
				(long)(n - CTIP_SEAL_OVERHEAD));
			checked++;
		}
	}
	raw_done(q);
	return checked;
}

static void
reseal_moves_every_sealed_field_to_the_new_key(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw =
		user_at(f, "cw", "POLICE", BA_DINH, "case_worker");
	struct ctip_rotate_stats stats;
	struct ctip_keyring before;
	struct ctip_access old_ax;
	struct ctip_person_view v;
	struct ctip_err err = { 0 };
	int64_t id = register_as(f, &cw, person_dao()), id2, ids[8];
	uint32_t old_id = f->kr.ids[0];

	id2 = register_as(f, &cw, binh());
	assert_int_equal(f->kr.n_keys, 1);
	assert_int_equal(expect_sealed_under(f, old_id), 4 + 3);
	before = f->kr;
	assert_int_equal(ctip_keyring_add(&f->kr, f->key, &err), CTIP_OK);
	assert_int_equal(f->kr.n_keys, 2);
	assert_int_not_equal(f->kr.ids[1], old_id);

	memset(&stats, 0, sizeof(stats));
	assert_int_equal(ctip_key_reseal_all(&stats, f->st, &f->kr, &err),
			 CTIP_OK);
	/* Their identity fields, and the numbers of the documents that
	 * identified them. */
	assert_int_equal(stats.values_seen, 7 + 2);
	assert_int_equal(stats.values_resealed, 7 + 2);
	assert_int_equal(expect_sealed_under(f, f->kr.ids[1]), 7);
	/* The key file on disk holds both keys. */
	{
		struct ctip_keyring disk;

		assert_int_equal(ctip_keyring_load(&disk, f->key, &err),
				 CTIP_OK);
		assert_int_equal(disk.n_keys, 2);
		assert_int_equal(disk.ids[1], f->kr.ids[1]);
		assert_memory_equal(disk.index_key, before.index_key,
				    CTIP_KEY_BYTES);
		ctip_keyring_wipe(&disk);
	}
	/* Reads, searches and the audit chain carry on. */
	assert_int_equal(
		ctip_person_read(&v, &f->ax, &cw, id, NULL, &f->arena, &err),
		CTIP_OK);
	assert_string_equal(v.full_name, "Nguyễn Thị Đào");
	assert_string_equal(v.address, "Xóm Quýt, ngõ 7");
	assert_int_equal(
		ctip_person_read(&v, &f->ax, &cw, id2, NULL, &f->arena, &err),
		CTIP_OK);
	assert_string_equal(v.full_name, "Trần Văn Bình");
	assert_null(v.address);
	assert_int_equal(find_name(f, &cw, "dao", NULL, ids), 1);
	assert_int_equal(ids[0], id);
	/* The old key alone no longer opens them. */
	old_ax = f->ax;
	old_ax.kr = &before;
	assert_int_equal(
		ctip_person_read(&v, &old_ax, &cw, id, NULL, &f->arena, &err),
		CTIP_EINTERNAL);

	/* Nothing is left to do. */
	memset(&stats, 0, sizeof(stats));
	assert_int_equal(ctip_key_reseal_all(&stats, f->st, &f->kr, &err),
			 CTIP_OK);
	assert_int_equal(stats.values_seen, 7 + 2);
	assert_int_equal(stats.values_resealed, 0);
	expect_intact(f, audit_rows(f));
	ctip_keyring_wipe(&before);
}

static void
reseal_walks_every_batch_of_persons(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw =
		user_at(f, "cw", "POLICE", BA_DINH, "case_worker");
	struct ctip_person_input in = person_dao();
	struct ctip_rotate_stats stats;
	struct ctip_err err = { 0 };
	int64_t id;
	int i;

	/* Exactly two of its batches of 500. */
	in.owner_unit_id = cw.unit_id;
	in.address = NULL;
	in.phone = NULL;
	in.citizen_id = NULL;
	assert_int_equal(f->st->ops->begin(f->st, &err), CTIP_OK);
	for (i = 0; i < 1000; i++)
		assert_int_equal(
			ctip_person_create(&id, f->st, &f->kr, &in, NOW, &err),
			CTIP_OK);
	assert_int_equal(f->st->ops->commit(f->st, &err), CTIP_OK);
	assert_int_equal(ctip_keyring_add(&f->kr, f->key, &err), CTIP_OK);
	memset(&stats, 0, sizeof(stats));
	assert_int_equal(ctip_key_reseal_all(&stats, f->st, &f->kr, &err),
			 CTIP_OK);
	assert_int_equal(stats.values_seen, 1000);
	assert_int_equal(stats.values_resealed, 1000);
	assert_int_equal(expect_sealed_under(f, f->kr.ids[1]), 1000);
}

/* The one sealed step reason is under key_id and opens to text. */
static void
expect_step_reason_under(struct db_fixture *f, uint32_t key_id,
			 const char *text)
{
	sqlite3_stmt *q = raw_query(f->db, "SELECT reason_enc FROM person_step "
					   "WHERE reason_enc IS NOT NULL");
	const unsigned char *blob;
	char out[256];
	size_t n;

	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	blob = sqlite3_column_blob(q, 0);
	n = (size_t)sqlite3_column_bytes(q, 0);
	assert_int_equal(ctip_sealed_key_id(blob, n), key_id);
	assert_true(n < sizeof(out));
	assert_int_equal(ctip_open(out, &f->kr, "step.reason", blob, n),
			 (long)strlen(text));
	out[strlen(text)] = '\0';
	assert_string_equal(out, text);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	raw_done(q);
}

static void
reseal_reaches_sealed_notes_beyond_identity(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw =
		user_at(f, "cw", "POLICE", BA_DINH, "case_worker");
	struct ctip_step_input close = { .step = "close",
					 .reason = "Đã chuyển về gia đình" };
	struct ctip_rotate_stats stats;
	struct ctip_err err = { 0 };
	int64_t id = register_as(f, &cw, binh()), step;
	uint32_t old_id = f->kr.ids[0];

	close.version = person(f, id).version;

	assert_int_equal(
		ctip_casework_step(&step, &f->ax, &cw, id, &close, &err),
		CTIP_OK);
	expect_step_reason_under(f, old_id, close.reason);
	assert_int_equal(ctip_keyring_add(&f->kr, f->key, &err), CTIP_OK);
	memset(&stats, 0, sizeof(stats));
	assert_int_equal(ctip_key_reseal_all(&stats, f->st, &f->kr, &err),
			 CTIP_OK);
	/* The person's three identity fields, the number of the document
	 * that identified them and the step's reason. */
	assert_int_equal(stats.values_resealed, 3 + 1 + 1);
	expect_step_reason_under(f, f->kr.ids[1], close.reason);
}

static void
key_rotate_adds_a_key_reseals_and_audits(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal cw =
		user_at(f, "cw", "POLICE", BA_DINH, "case_worker");
	struct ctip_rotate_stats stats;
	struct ctip_audit_row r;
	struct ctip_err err = { 0 };
	char id_text[16];
	int i;

	for (i = 0; i < 3; i++)
		register_as(f, &cw, i % 2 ? binh() : person_dao());
	memset(&stats, 0xff, sizeof(stats));
	assert_int_equal(ctip_key_rotate(&stats, f->st, &f->kr, f->key, &err),
			 CTIP_OK);
	assert_int_equal(f->kr.n_keys, 2);
	assert_int_equal(stats.new_key_id, f->kr.ids[1]);
	assert_int_equal(stats.values_resealed, 4 + 3 + 4 + 3);
	assert_int_equal(stats.values_seen, 4 + 3 + 4 + 3);
	assert_int_equal(expect_sealed_under(f, stats.new_key_id), 4 + 3 + 4);
	snprintf(id_text, sizeof(id_text), "%u", (unsigned)stats.new_key_id);
	assert_int_equal(audit_count(f, "key.rotate", "ok"), 1);
	r = last_audit(f);
	assert_string_equal(r.action, "key.rotate");
	assert_string_equal(r.object_id, id_text);
	assert_string_equal(r.username, "system");
	expect_intact(f, 4 + 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(role_names_and_bits_round_trip),
		cmocka_unit_test(
			role_lists_parse_into_bits_and_skip_unknown_names),
		LOADED(authz_can_follows_the_role_table),
		LOADED(administrators_administer_their_own_place),
		LOADED(owner_unit_sees_identity_or_a_pseudonym_by_role),
		LOADED(another_commune_sees_nothing_until_granted),
		LOADED(province_unit_sees_its_province_with_a_reason),
		LOADED(search_scope_follows_the_unit_level),
		EMPTY(audit_chain_of_three_rows_verifies_intact),
		LOADED(audit_rows_record_the_principal_or_the_given_name),
		EMPTY(audit_entry_rolls_back_with_its_transaction),
		EMPTY(audit_row_changed_behind_the_triggers_is_reported),
		EMPTY(audit_row_removed_from_the_middle_is_reported_as_the_gap),
		EMPTY(audit_row_inserted_with_a_forged_mac_is_reported),
		EMPTY(audit_row_inserted_before_the_first_is_reported),
		EMPTY(audit_verify_with_another_key_file_reports_the_first_row),
		EMPTY(audit_log_refuses_update_and_delete_in_sql),
		EMPTY(audit_queue_chains_entries_logged_from_eight_threads),
		EMPTY(audit_queue_and_direct_writes_share_one_chain),
		EMPTY(audit_queue_on_a_missing_database_fails_to_start),
		AUTH(login_returns_a_session_token_and_the_principal),
		AUTH(account_create_refuses_a_taken_name_and_logs_only_success),
		AUTH(wrong_password_and_unknown_name_fail_alike),
		AUTH(failed_logins_at_the_same_time_all_count),
		AUTH(five_failed_logins_lock_the_account),
		AUTH(successful_login_clears_the_failure_count),
		AUTH(locked_account_answers_as_a_wrong_password_in_as_much_time),
		AUTH(disabled_account_answers_as_a_wrong_password_even_when_locked),
		cmocka_unit_test(address_throttle_counts_failures_in_a_window),
		cmocka_unit_test(address_throttle_counts_attempts_under_way),
		cmocka_unit_test(
			address_throttle_counts_an_ipv6_slash_64_as_one_address),
		cmocka_unit_test(
			address_throttle_when_full_forgets_the_addresses_with_fewest_failures),
		AUTH(login_from_a_throttled_address_is_refused_whatever_the_name),
		AUTH(session_token_finds_its_principal),
		AUTH(logout_ends_the_session),
		AUTH(session_idle_for_31_minutes_expires),
		AUTH(session_past_its_absolute_expiry_expires),
		AUTH(session_records_activity_at_most_once_a_minute),
		AUTH(disabled_user_cannot_use_a_session_or_sign_in),
		AUTH(password_reset_ends_sessions_and_requires_a_change),
		AUTH(administrator_cannot_reset_its_own_password),
		AUTH(password_change_checks_both_passwords),
		AUTH(wrong_current_passwords_are_audited_and_lock_the_account),
		AUTH(failed_logins_and_wrong_current_passwords_share_one_count),
		AUTH(password_change_while_locked_is_refused_even_with_the_right_one),
		AUTH(login_verified_before_a_password_change_fails_as_a_wrong_password),
		AUTH(login_verified_before_a_password_reset_fails_as_a_wrong_password),
		AUTH(password_change_from_a_session_ended_meanwhile_is_refused),
		AUTH(password_change_after_another_of_the_same_session_is_a_conflict),
		AUTH(password_change_verified_before_a_reset_is_refused),
		AUTH(api_token_authenticates_until_revoked),
		LOADED(tokens_are_stored_only_as_hashes),
		LOADED(owner_reads_a_registered_person_with_identity),
		LOADED(register_files_the_person_under_the_own_unit_only),
		LOADED(other_commune_gets_the_same_notfound_as_a_missing_person),
		LOADED(province_case_worker_must_give_a_reason),
		LOADED(supervisor_sees_a_stable_pseudonym_without_identity),
		LOADED(find_by_name_ignores_diacritics_and_case_within_scope),
		LOADED(find_by_citizen_id_and_normalised_phone),
		LOADED(province_search_needs_a_reason_to_match_identities),
		LOADED(granted_unit_reads_with_identity_and_no_reason),
		LOADED(roles_without_person_access_are_refused),
		LOADED(reads_through_the_audit_queue_are_logged),
		LOADED(reasons_are_logged_whole_or_refused),
		LOADED(reseal_moves_every_sealed_field_to_the_new_key),
		LOADED(reseal_walks_every_batch_of_persons),
		LOADED(reseal_reaches_sealed_notes_beyond_identity),
		LOADED(key_rotate_adds_a_key_reseals_and_audits),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
