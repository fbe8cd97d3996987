/* test_case.c: criminal cases (issue 5): the age at the time, the scope
 * of a case (ctip_authz_case), the whole stage machine from every stage
 * to every target, the Art. 150/151 warnings from the victims' events,
 * the store's case operations (person_cases, KPI counts per scope) and
 * the audit of every write. */
#include "core/case.h"

#include "helpers.h"

/* A principal by hand, for the scope table. */
static struct ctip_principal
who(int64_t unit, const char *level, const char *agency, const char *prov,
    unsigned roles)
{
	struct ctip_principal p;

	memset(&p, 0, sizeof(p));
	p.unit_id = unit;
	snprintf(p.level, sizeof(p.level), "%s", level);
	snprintf(p.agency, sizeof(p.agency), "%s", agency);
	snprintf(p.province_code, sizeof(p.province_code), "%s", prov);
	p.roles = roles;
	return p;
}

static int64_t
new_case(struct db_fixture *f, const struct ctip_principal *p,
	 const char *article)
{
	struct ctip_err err = { 0 };
	int64_t id = 0;

	if (ctip_case_create(&id, &f->ax, p, article, "Vụ án thử", &err) !=
	    CTIP_OK)
		fail_msg("create: %s", err.msg);
	return id;
}

static struct ctip_case_rec
get(struct db_fixture *f, int64_t id)
{
	struct ctip_case_rec c;
	struct ctip_err err = { 0 };

	assert_int_equal(f->st->ops->cases->get(&c, f->st, id, &f->arena, &err),
			 CTIP_OK);
	return c;
}

static enum ctip_status
move(struct db_fixture *f, const struct ctip_principal *p, int64_t id,
     const char *to, const char *on, struct ctip_err *err)
{
	struct ctip_case_step s = { .to = to, .on = on, .note = "Lý do" };
	struct ctip_case_rec c = get(f, id);

	if (strcmp(to, "initiated") == 0)
		s.case_number = "01/2026";
	return ctip_case_move(&f->ax, p, id, c.version, &s, err);
}

static void
age_at_the_time(void **state)
{
	int lo, hi;

	(void)state;
	ctip_case_age_on(&lo, &hi, "2010-06-15", 0, "2026-06-14");
	assert_int_equal(lo, 15);
	assert_int_equal(hi, 15);
	ctip_case_age_on(&lo, &hi, "2010-06-15", 0, "2026-06-15");
	assert_int_equal(lo, 16);
	assert_int_equal(hi, 16);
	ctip_case_age_on(&lo, &hi, "2008-02-29", 0, "2024-02-28");
	assert_int_equal(hi, 15);
	/* A year of birth only: one of two ages. */
	ctip_case_age_on(&lo, &hi, NULL, 2010, "2026-03-01");
	assert_int_equal(lo, 15);
	assert_int_equal(hi, 16);
	ctip_case_age_on(&lo, &hi, NULL, 0, "2026-03-01");
	assert_int_equal(lo, -1);
	assert_int_equal(hi, -1);
	/* Born after the day, or no valid day: unknown. */
	ctip_case_age_on(&lo, &hi, "2027-01-01", 0, "2026-03-01");
	assert_int_equal(hi, -1);
	ctip_case_age_on(&lo, &hi, "2010-06-15", 0, "2026-13-01");
	assert_int_equal(hi, -1);
	ctip_case_age_on(&lo, &hi, NULL, 2026, "2026-03-01");
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 0);
}

static void
case_scope_by_unit_province_and_agency(void **state)
{
	/* Case owned by unit 10, a commune police unit of province 01. */
	static const struct {
		int64_t unit;
		const char *level, *agency, *prov;
		unsigned roles;
		enum ctip_view view;
		bool inv, pros, adj;
	} rows[] = {
		{ 10, "commune", "POLICE", "01", CTIP_ROLE_INVESTIGATOR,
		  CTIP_VIEW_IDENTITY, true, false, false },
		{ 10, "commune", "POLICE", "01", CTIP_ROLE_SUPERVISOR,
		  CTIP_VIEW_PSEUDONYM, false, false, false },
		{ 10, "commune", "POLICE", "01", CTIP_ROLE_CASE_WORKER,
		  CTIP_VIEW_NONE, false, false, false },
		{ 11, "commune", "POLICE", "01", CTIP_ROLE_INVESTIGATOR,
		  CTIP_VIEW_NONE, false, false, false },
		{ 20, "province", "POLICE", "01", CTIP_ROLE_INVESTIGATOR,
		  CTIP_VIEW_IDENTITY, true, false, false },
		{ 21, "province", "PROCURACY", "01", CTIP_ROLE_PROCURATOR,
		  CTIP_VIEW_IDENTITY, false, true, false },
		{ 21, "province", "PROCURACY", "01", CTIP_ROLE_INVESTIGATOR,
		  CTIP_VIEW_NONE, false, false, false },
		{ 22, "province", "COURT", "01", CTIP_ROLE_JUDGE,
		  CTIP_VIEW_IDENTITY, false, false, true },
		{ 22, "province", "COURT", "01", CTIP_ROLE_SUPERVISOR,
		  CTIP_VIEW_PSEUDONYM, false, false, false },
		{ 23, "province", "HEALTH", "01", CTIP_ROLE_SUPERVISOR,
		  CTIP_VIEW_NONE, false, false, false },
		{ 30, "province", "PROCURACY", "04", CTIP_ROLE_PROCURATOR,
		  CTIP_VIEW_NONE, false, false, false },
		{ 1, "nation", "POLICE", "", CTIP_ROLE_INVESTIGATOR,
		  CTIP_VIEW_NONE, false, false, false },
	};
	struct ctip_case_scope sc;
	struct ctip_principal p;
	size_t i;

	(void)state;
	for (i = 0; i < CTIP_NELEM(rows); i++) {
		p = who(rows[i].unit, rows[i].level, rows[i].agency,
			rows[i].prov, rows[i].roles);
		ctip_authz_case(&sc, &p, 10, "01");
		if (sc.view != rows[i].view || sc.investigate != rows[i].inv ||
		    sc.prosecute != rows[i].pros ||
		    sc.adjudicate != rows[i].adj)
			fail_msg("row %zu: view %d %d%d%d", i, sc.view,
				 sc.investigate, sc.prosecute, sc.adjudicate);
	}
	/* Until the one-time password is changed: nothing. */
	p = who(10, "commune", "POLICE", "01", CTIP_ROLE_INVESTIGATOR);
	p.must_change_password = true;
	ctip_authz_case(&sc, &p, 10, "01");
	assert_int_equal(sc.view, CTIP_VIEW_NONE);
}

/*
 * From every stage to every target: allowed exactly along the chain, to
 * suspended and closed from an open stage, to closed or resumed from
 * suspended; every refusal is CTIP_ETRANSITION naming "to" and changes
 * nothing.
 */
static void
every_transition(void **state)
{
	static const char *const stages[] = {
		"lead",  "initiated", "investigated", "solved", "indicted",
		"tried", "verdict",   "suspended",    "closed"
	};
	static const char *const targets[] = {
		"initiated", "investigated", "solved", "indicted", "tried",
		"verdict",   "suspended",    "closed", "resumed"
	};
	/* allowed[stage][target] */
	static const char allowed[9][10] = {
		"100000110", "010000110", "001000110", "000100110", "000010110",
		"000001110", "000000000", "000000011", "000000000",
	};
	struct db_fixture *f = *state;
	/* One user with every justice-chain role, so that permission never
	 * stands in the way of the machine. */
	struct ctip_principal p = user_at(f, "all", "POLICE", BA_DINH,
					  "investigator,procurator,judge");
	struct ctip_err err = { 0 };
	struct ctip_case_rec c;
	int64_t id = new_case(f, &p, "150");
	long stages_before;
	size_t s, t;
	int rc;

	for (s = 0; s < CTIP_NELEM(stages); s++) {
		for (t = 0; t < CTIP_NELEM(targets); t++) {
			/* Put the case at stage s (suspended at "solved"). */
			c = get(f, id);
			c.stage = stages[s];
			c.suspended_from = strcmp(stages[s], "suspended") == 0
						   ? "solved"
						   : NULL;
			c.stage_on = "2026-01-01";
			c.updated_at = NOW;
			assert_int_equal(
				f->st->ops->cases->update(f->st, &c, &err),
				CTIP_OK);
			stages_before = raw_long(
				f->db, "SELECT count(*) FROM case_stage", NULL);
			rc = move(f, &p, id, targets[t], "2026-01-02", &err);
			if (allowed[s][t] == '1') {
				if (rc != CTIP_OK)
					fail_msg("%s -> %s refused: %s",
						 stages[s], targets[t],
						 err.msg);
				c = get(f, id);
				assert_string_equal(
					c.stage,
					strcmp(targets[t], "resumed") == 0
						? "solved"
						: targets[t]);
				assert_int_equal(
					raw_long(f->db,
						 "SELECT count(*) FROM "
						 "case_stage",
						 NULL),
					stages_before + 1);
			} else {
				if (rc != CTIP_ETRANSITION ||
				    strcmp(err.field, "to") != 0)
					fail_msg("%s -> %s: %d %s", stages[s],
						 targets[t], rc, err.msg);
				assert_non_null(strstr(err.msg, stages[s]));
				assert_non_null(strstr(err.msg, targets[t]));
				assert_string_equal(get(f, id).stage,
						    stages[s]);
				assert_int_equal(
					raw_long(f->db,
						 "SELECT count(*) FROM "
						 "case_stage",
						 NULL),
					stages_before);
			}
		}
	}
}

/* Each agency moves its own stages only; the police may not indict. */
static void
each_agency_moves_its_stages(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal inv = user_at(f, "inv", "POLICE", BA_DINH,
					    "investigator"),
			      proc = user_at(f, "proc", "PROCURACY", "01",
					     "procurator"),
			      judge = user_at(f, "judge", "COURT", "01",
					      "judge");
	struct ctip_err err = { 0 };
	int64_t id = new_case(f, &inv, "150");

	assert_int_equal(move(f, &proc, id, "initiated", "2026-01-02", &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(move(f, &inv, id, "initiated", "2026-01-02", &err),
			 CTIP_OK);
	assert_int_equal(move(f, &inv, id, "investigated", "2026-01-03", &err),
			 CTIP_OK);
	assert_int_equal(move(f, &judge, id, "solved", "2026-01-04", &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(move(f, &inv, id, "solved", "2026-01-04", &err),
			 CTIP_OK);
	assert_int_equal(move(f, &inv, id, "indicted", "2026-01-05", &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(move(f, &proc, id, "indicted", "2026-01-05", &err),
			 CTIP_OK);
	/* At indicted the police no longer suspend it; the procuracy does. */
	assert_int_equal(move(f, &inv, id, "suspended", "2026-01-06", &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(move(f, &proc, id, "suspended", "2026-01-06", &err),
			 CTIP_OK);
	assert_int_equal(move(f, &judge, id, "resumed", "2026-01-07", &err),
			 CTIP_EFORBIDDEN);
	assert_int_equal(move(f, &proc, id, "resumed", "2026-01-07", &err),
			 CTIP_OK);
	assert_int_equal(move(f, &judge, id, "tried", "2026-01-08", &err),
			 CTIP_OK);
	assert_int_equal(move(f, &judge, id, "verdict", "2026-01-09", &err),
			 CTIP_OK);
	assert_string_equal(get(f, id).verdict_on, "2026-01-09");
	assert_string_equal(get(f, id).indicted_on, "2026-01-05");
	/* Eight steps, each audited by who took it. */
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM audit_log WHERE "
				  "action = 'case.stage'",
				  NULL),
			 8);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM audit_log WHERE "
				  "action = 'case.stage' AND username = "
				  "'judge'",
				  NULL),
			 2);
}

/* The age is taken at the victim's earliest trafficking event, else at
 * the initiation. */
static void
warnings_from_the_age_at_the_event(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal inv =
		user_at(f, "inv", "POLICE", BA_DINH, "investigator");
	struct ctip_person_input in;
	struct ctip_event_input ev;
	struct ctip_case_detail d;
	struct ctip_err err = { 0 };
	int64_t id = new_case(f, &inv, "150"), pid, eid, *cases;
	int n;

	memset(&in, 0, sizeof(in));
	in.province_code = "01";
	in.commune_code = BA_DINH;
	in.role = "victim";
	in.identification = by_return_certificate();
	in.sex = "F";
	in.birth_date = "2010-03-01"; /* 16 on 2026-03-01 */
	in.citizenship = "vn_citizen";
	in.full_name = "Hà Thị Lan";
	assert_int_equal(ctip_person_register(&pid, &f->ax, &inv, &in, &err),
			 CTIP_OK);
	assert_int_equal(move(f, &inv, id, "initiated", "2026-03-02", &err),
			 CTIP_OK);
	assert_int_equal(ctip_case_link_victim(&f->ax, &inv, id,
					       get(f, id).version, pid, NULL,
					       &err),
			 CTIP_OK);
	/* 16 at the initiation: Art. 150 is right. */
	assert_int_equal(
		ctip_case_detail(&d, &f->ax, &inv, id, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(d.n_warnings, 0);
	assert_int_equal(d.victims[0].age_max, 16);
	/* Recruited at 15: Art. 151 was expected. */
	memset(&ev, 0, sizeof(ev));
	ev.recruitment_means = "online_ad";
	ev.recruited_on = "2025-12-20";
	ev.discovery = "rescued";
	ev.discovered_on = "2026-02-01";
	ev.purposes[0] = "MONEY";
	ev.n_purposes = 1;
	if (ctip_event_create(&eid, f->st, pid, "01", &ev,
			      "2026-06-01T00:00:00Z", inv.user_id,
			      &err) != CTIP_OK)
		fail_msg("event: %s", err.msg);
	assert_int_equal(
		ctip_case_detail(&d, &f->ax, &inv, id, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(d.n_warnings, 1);
	assert_string_equal(d.warnings[0].code, "art151_expected");
	assert_int_equal(d.warnings[0].person_id, pid);
	assert_int_equal(d.warnings[0].age, 15);
	assert_string_equal(d.victims[0].age_on, "2025-12-20");
	/* The person's cases, for the timeline. */
	assert_int_equal(f->st->ops->cases->person_cases(&cases, &n, f->st, pid,
							 &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cases[0], id);
	/* A stale version links nothing. */
	assert_int_equal(
		ctip_case_link_victim(&f->ax, &inv, id, 1, pid, NULL, &err),
		CTIP_ECONFLICT);
	assert_string_equal(err.field, "version");
}

/* KPI counts equal straight counts for each scope; a failed write leaves
 * no row and no audit entry. */
static void
kpi_counts_per_scope(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal a = user_at(f, "a", "POLICE", BA_DINH,
					  "investigator,procurator,judge"),
			      b = user_at(f, "b", "POLICE", NGOC_HA,
					  "investigator,procurator,judge"),
			      stat = user_at(f, "stat", "POLICE", "VN",
					     "statistician");
	static const char *const chain[] = { "initiated", "investigated",
					     "solved",    "indicted",
					     "tried",     "verdict" };
	struct ctip_case_kpi k;
	struct ctip_err err = { 0 };
	char object_id[24];
	long audits, stages;
	int64_t id;
	int i, j;

	/* a: cases reaching 1..6 stages; b: one reaching solved. */
	for (i = 1; i <= 6; i++) {
		id = new_case(f, &a, "150");
		for (j = 0; j < i; j++)
			assert_int_equal(
				move(f, &a, id, chain[j], "2025-05-05", &err),
				CTIP_OK);
	}
	id = new_case(f, &b, "151");
	for (j = 0; j < 3; j++)
		assert_int_equal(move(f, &b, id, chain[j], "2025-12-31", &err),
				 CTIP_OK);
	assert_int_equal(ctip_case_kpi(&k, f->st, &a, "2025-01-01",
				       "2025-12-31", 0, NULL, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(k.counts.initiated, 6);
	assert_int_equal(k.counts.solved, 4);
	assert_int_equal(k.counts.indicted, 3);
	assert_int_equal(k.counts.tried, 2);
	assert_int_equal(k.counts.verdict, 1);
	assert_string_equal(k.solved.light, "red"); /* 4/6 */
	assert_string_equal(k.indicted.light, "red");
	assert_int_equal(ctip_case_kpi(&k, f->st, &stat, "2025-01-01",
				       "2025-12-31", 0, "01", &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(k.counts.initiated, 7);
	assert_int_equal(k.counts.solved, 5);
	assert_int_equal(k.counts.initiated,
			 raw_long(f->db,
				  "SELECT count(*) FROM criminal_case "
				  "WHERE initiated_on LIKE '2025-%'",
				  NULL));
	assert_int_equal(ctip_case_kpi(&k, f->st, &stat, "2025-12-31",
				       "2025-12-31", 0, NULL, &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(k.counts.initiated, 1);
	assert_string_equal(k.solved.light, "green"); /* 1/1 */
	assert_string_equal(k.indicted.light, "red"); /* 0/1 */
	assert_string_equal(k.tried.light, "none");   /* 0/0 */
	/* Out of scope: b may not see a's unit. */
	assert_int_equal(ctip_case_kpi(&k, f->st, &b, "2025-01-01",
				       "2025-12-31", a.unit_id, NULL, &f->arena,
				       &err),
			 CTIP_EFORBIDDEN);
	/* A refused step changes nothing. Refused for the case (outside
	 * a's scope) it leaves a trace for the auditor; refused for its
	 * input, not even that. */
	audits = raw_long(f->db, "SELECT count(*) FROM audit_log", NULL);
	stages = raw_long(f->db, "SELECT count(*) FROM case_stage", NULL);
	snprintf(object_id, sizeof(object_id), "%lld", (long long)id);
	assert_int_equal(move(f, &a, id, "indicted", "2026-01-01", &err),
			 CTIP_ENOTFOUND);
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM audit_log WHERE action "
				  "= 'case.stage' AND outcome = 'denied' AND "
				  "object_type = 'case' AND object_id = ?1",
				  object_id),
			 1);
	assert_int_equal(move(f, &b, id, "indicted", "2025-12-30", &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "on");
	assert_int_equal(
		raw_long(f->db, "SELECT count(*) FROM audit_log", NULL),
		audits + 1);
	assert_int_equal(
		raw_long(f->db, "SELECT count(*) FROM case_stage", NULL),
		stages);
}

/* The targets come from the catalogue; without its rates the KPIs say
 * what to load instead of lighting against a target of their own. */
static void
kpi_without_the_rate_catalogue_says_what_is_missing(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_principal stat =
		user_at(f, "stat", "POLICE", "VN", "statistician");
	struct ctip_case_kpi k;
	struct ctip_err err = { 0 };

	assert_int_equal(ctip_case_kpi(&k, f->st, &stat, "2025-01-01",
				       "2025-12-31", 0, NULL, &f->arena, &err),
			 CTIP_OK);
	assert_true(k.solved.target > 0.89 && k.solved.target < 0.91);
	/* As a database whose catalogue lost the rate would be. */
	assert_int_equal(raw_exec(f->db, "DELETE FROM kpi_rate WHERE code = "
					 "'KPI_SOLVED'"),
			 SQLITE_OK);
	assert_int_equal(ctip_case_kpi(&k, f->st, &stat, "2025-01-01",
				       "2025-12-31", 0, NULL, &f->arena, &err),
			 CTIP_ESTORE);
	assert_non_null(strstr(err.msg, "KPI_SOLVED"));
	assert_non_null(strstr(err.msg, "rates.csv"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(age_at_the_time),
		cmocka_unit_test(case_scope_by_unit_province_and_agency),
		LOADED(every_transition),
		LOADED(each_agency_moves_its_stages),
		LOADED(warnings_from_the_age_at_the_event),
		LOADED(kpi_counts_per_scope),
		LOADED(kpi_without_the_rate_catalogue_says_what_is_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
