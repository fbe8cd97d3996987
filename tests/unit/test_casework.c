/* test_casework.c: the rules of victim casework through the core API on a
 * temporary store: the steps each role and status allows, date arithmetic
 * (months, leap years, year ends) and ages, the switch of the support
 * regime on 2025-07-01, a minor's entitlements (never more than the
 * adult's) and the limits counted over the support ledger. */
#include "core/casework.h"

#include "helpers.h"

#include <sodium.h>

/* The shared database fixture and the case worker every test acts as. */
struct fixture {
	struct db_fixture base;
	struct ctip_principal cw; /* of the police at Ba Đình */
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	*state = f;
	if (db_fixture_open(&f->base, true) != 0)
		return -1;
	f->cw = user_at(&f->base, "cw", "POLICE", BA_DINH, "case_worker");
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	db_fixture_close(&f->base);
	free(f);
	return 0;
}

/* --- persons --- */

static struct ctip_person_input
adult(const char *role, const char *received_on)
{
	struct ctip_person_input p;

	memset(&p, 0, sizeof(p));
	p.province_code = "01";
	p.commune_code = BA_DINH;
	p.role = role;
	p.sex = "F";
	p.birth_year = 1995;
	p.citizenship = "vn_citizen";
	p.full_name = "Phạm Thị Thử";
	p.received_on = received_on;
	if (strcmp(role, "victim") == 0)
		p.identification = by_return_certificate();
	return p;
}

static struct ctip_person_input
minor_of(int64_t adult_id)
{
	struct ctip_person_input p = adult("accompanying_minor", NULL);

	p.accompanies_id = adult_id;
	p.birth_year = 0;
	p.birth_date = "2017-09-01";
	p.full_name = "Phạm Văn Bé";
	return p;
}

static int64_t
enroll(struct fixture *f, struct ctip_person_input in)
{
	struct ctip_err err = { 0 };
	int64_t id = 0;

	if (ctip_person_register(&id, &f->base.ax, &f->cw, &in, &err) !=
	    CTIP_OK)
		fail_msg("register: %s", err.msg);
	return id;
}

/* Step name of person id on date on (NULL: today) with reason. */
static enum ctip_status
take(struct fixture *f, int64_t id, const char *name, const char *on,
     const char *reason, struct ctip_err *err)
{
	struct ctip_step_input in = { .step = name,
				      .on = on,
				      .reason = reason };
	int64_t step_id = 0;

	in.version = person(&f->base, id).version;
	if (strcmp(name, "identify") == 0) {
		in.evidence[0] = "a";
		in.n_evidence = 1;
		in.doc_type = "police_confirmation";
		in.doc_issuer = "Công an tỉnh Lào Cai";
		in.doc_number = "12/XN";
		in.doc_date = on != NULL ? on : "2025-01-01";
	}
	return ctip_casework_step(&step_id, &f->base.ax, &f->cw, id, &in, err);
}

static void
take_ok(struct fixture *f, int64_t id, const char *name, const char *on)
{
	struct ctip_err err = { 0 };

	if (take(f, id, name, on, "lý do", &err) != CTIP_OK)
		fail_msg("%s: %s", name, err.msg);
}

/* The entitlement of person id to code at location. */
static struct ctip_entitlement
entitlement(struct fixture *f, int64_t id, const char *code,
	    const char *location)
{
	struct ctip_entitlement e[10];
	struct ctip_err err = { 0 };
	int i;

	if (ctip_casework_entitlements(e, &f->base.ax, &f->cw, id, location,
				       &f->base.arena, &err) != CTIP_OK)
		fail_msg("entitlements: %s", err.msg);
	for (i = 0; i < 10; i++)
		if (strcmp(e[i].support_code, code) == 0)
			return e[i];
	fail_msg("no entitlement %s", code);
	return e[0];
}

/* Give quantity units of code to person id; the answer. */
static enum ctip_status
give(struct fixture *f, int64_t id, const char *code, const char *unit,
     long quantity, long long amount, const char *override,
     struct ctip_err *err)
{
	struct ctip_service_input in = { .support_code = code,
					 .unit = unit,
					 .quantity = quantity,
					 .amount_vnd = amount,
					 .override_reason = override };
	int64_t sid = 0;

	memset(err, 0, sizeof(*err));
	return ctip_casework_service(&sid, &f->base.ax, &f->cw, id, &in, err);
}

/* --- the person page --- */

/* The page's first half reads the person and its casework still sealed;
 * the second opens the notes. A refusal reads no casework. Neither leaves
 * a transaction open. */
static void
page_reads_casework_sealed_then_opens_it_and_refuses_whole(void **state)
{
	struct fixture *f = *state;
	struct ctip_principal other =
		user_at(&f->base, "other", "POLICE", NGOC_HA, "case_worker");
	struct ctip_person_pending pp;
	struct ctip_casework cw;
	struct ctip_err err = { 0 };
	int64_t id = enroll(f, adult("under_identification", "2025-03-01"));
	int64_t minor = enroll(f, minor_of(id));

	take_ok(f, id, "verify", "2025-03-02");
	take_ok(f, id, "close", "2025-03-03");
	assert_int_equal(ctip_casework_authorize(&pp, &cw, &f->base.ax, &f->cw,
						 id, NULL, &f->base.arena,
						 &err),
			 CTIP_OK);
	assert_int_equal(pp.view, CTIP_VIEW_IDENTITY);
	assert_true(pp.audit);
	assert_int_equal(pp.rec.id, id);
	assert_string_equal(pp.rec.status, "closed");
	assert_int_equal(cw.n_steps, 3); /* receive, verify, close */
	assert_string_equal(cw.steps[2].step, "close");
	assert_int_equal(cw.n_minors, 1);
	assert_int_equal(cw.minors[0], minor);
	assert_null(cw.step_reasons); /* not opened before the audit */
	assert_int_equal(ctip_casework_open(&cw, f->base.ax.kr, &pp.rec,
					    pp.view, &f->base.arena, &err),
			 CTIP_OK);
	assert_string_equal(cw.step_reasons[2], "lý do");
	assert_string_equal(cw.next_steps[0], "reopen");

	/* Another commune's case worker: missing, to be logged as denied,
	 * and nothing of the casework read. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(ctip_casework_authorize(&pp, &cw, &f->base.ax, &other,
						 id, NULL, &f->base.arena,
						 &err),
			 CTIP_ENOTFOUND);
	assert_true(pp.audit && pp.denied);
	assert_int_equal(cw.n_steps + cw.n_minors + cw.n_intakes, 0);

	/* Both ended their read: a write can begin. */
	assert_int_equal(f->base.st->ops->begin(f->base.st, &err), CTIP_OK);
	f->base.st->ops->rollback(f->base.st);
}

/* --- the state machine --- */

/* The steps as one comma-separated string. */
static const char *
next_of(char *buf, size_t cap, const char *role, const char *status)
{
	const char *out[9];
	size_t n = 0;
	int i;

	memset(out, 0xff, sizeof(out));
	ctip_casework_next_steps(out, role, status);
	buf[0] = '\0';
	for (i = 0; i < 9 && out[i] != NULL; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? "," : "",
				      out[i]);
	assert_true(i < 9); /* NULL-terminated within 8 */
	return buf;
}

static void
next_steps_follow_the_process_for_adults(void **state)
{
	static const char *const want[][2] = {
		{ "received", "verify,identify,reject,close" },
		{ "verifying", "identify,reject,close" },
		{ "identified", "protect,support,reintegrate,close" },
		{ "protection", "support,reintegrate,close" },
		{ "support", "protect,reintegrate,close" },
		{ "reintegration", "close" },
		{ "closed", "reopen" },
		{ "not_victim", "reopen" },
	};
	char buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < CTIP_NELEM(want); i++) {
		assert_string_equal(
			next_of(buf, sizeof(buf), "victim", want[i][0]),
			want[i][1]);
		assert_string_equal(next_of(buf, sizeof(buf),
					    "under_identification", want[i][0]),
				    want[i][1]);
	}
	assert_string_equal(next_of(buf, sizeof(buf), "victim", "flying"), "");
}

static void
next_steps_of_a_minor_skip_verification_and_identification(void **state)
{
	static const char *const want[][2] = {
		{ "received", "protect,support,reintegrate,close" },
		{ "protection", "support,reintegrate,close" },
		{ "support", "protect,reintegrate,close" },
		{ "reintegration", "close" },
		{ "closed", "reopen" },
	};
	char buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < CTIP_NELEM(want); i++)
		assert_string_equal(next_of(buf, sizeof(buf),
					    "accompanying_minor", want[i][0]),
				    want[i][1]);
}

static void
every_next_step_is_accepted_and_every_other_refused(void **state)
{
	static const char *const steps[] = { "verify",  "identify",
					     "reject",  "protect",
					     "support", "reintegrate",
					     "close",   "reopen" };
	static const char *const paths[][4] = {
		/* role, steps to reach the status from reception */
		{ "under_identification", NULL },
		{ "under_identification", "verify", NULL },
		{ "under_identification", "reject", NULL },
		{ "victim", NULL },
		{ "victim", "protect", NULL },
		{ "victim", "support", NULL },
		{ "victim", "reintegrate", NULL },
		{ "victim", "close", NULL },
		{ "minor", NULL },
		{ "minor", "support", "close", NULL },
	};
	struct fixture *f = *state;
	int64_t carer = enroll(f, adult("victim", NULL));
	size_t i, k;
	int j;

	for (i = 0; i < CTIP_NELEM(paths); i++) {
		for (k = 0; k < CTIP_NELEM(steps); k++) {
			const char *next[9];
			struct ctip_person_rec rec;
			struct ctip_err err = { 0 };
			bool listed = false;
			enum ctip_status rc;
			int64_t id;

			id = strcmp(paths[i][0], "minor") == 0
				     ? enroll(f, minor_of(carer))
				     : enroll(f, adult(paths[i][0], NULL));
			for (j = 1; j < 4 && paths[i][j] != NULL; j++)
				take_ok(f, id, paths[i][j], NULL);
			rec = person(&f->base, id);
			ctip_casework_next_steps(next, rec.role, rec.status);
			for (j = 0; next[j] != NULL; j++)
				listed |= strcmp(next[j], steps[k]) == 0;
			rc = take(f, id, steps[k], NULL, "lý do", &err);
			if (listed && rc != CTIP_OK)
				fail_msg("%s from %s (%s) refused: %s",
					 steps[k], rec.status, rec.role,
					 err.msg);
			if (!listed && rc != CTIP_ETRANSITION)
				fail_msg("%s from %s (%s) gave %d: %s",
					 steps[k], rec.status, rec.role, rc,
					 err.msg);
			if (!listed)
				assert_int_equal(person(&f->base, id).version,
						 rec.version);
			else
				assert_int_equal(person(&f->base, id).version,
						 rec.version + 1);
		}
	}
}

static void
refused_step_names_the_status_and_reopen_returns_where_it_was(void **state)
{
	struct fixture *f = *state;
	int64_t id = enroll(f, adult("victim", "2025-09-01"));
	struct ctip_err err = { 0 };

	take_ok(f, id, "protect", "2025-09-02");
	assert_int_equal(take(f, id, "identify", NULL, NULL, &err),
			 CTIP_ETRANSITION);
	assert_non_null(strstr(err.msg, "protection"));
	assert_string_equal(err.field, "step");
	take_ok(f, id, "close", "2025-09-03");
	take_ok(f, id, "reopen", "2025-09-04");
	assert_string_equal(person(&f->base, id).status, "protection");
	/* Not before the last step, nor after today. */
	assert_int_equal(take(f, id, "support", "2025-09-03", NULL, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "on");
	assert_int_equal(take(f, id, "support", "2099-01-01", NULL, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "on");
	take_ok(f, id, "support", "2025-09-04");
}

/* The steps of person id as "step:from>to:on:evidence:doc_type;...". */
static const char *
steps_of(struct fixture *f, int64_t id)
{
	static char out[256];
	sqlite3_stmt *q = raw_query(
		f->base.db,
		"SELECT group_concat(step || ':' || coalesce(from_status, '') "
		"|| '>' || to_status || ':' || on_date || ':' || "
		"coalesce(evidence, '') || ':' || coalesce(doc_type, ''), ';') "
		"FROM (SELECT * FROM person_step WHERE person_id = ?1 ORDER "
		"BY id)");

	sqlite3_bind_int64(q, 1, id);
	out[0] = '\0';
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		snprintf(out, sizeof(out), "%s", sqlite3_column_text(q, 0));
	raw_done(q);
	return out;
}

static void
a_victim_is_registered_with_how_they_were_identified(void **state)
{
	struct fixture *f = *state;
	struct ctip_person_input in = adult("victim", "2025-09-01");
	struct ctip_step_input ident = *by_return_certificate();
	struct ctip_err err = { 0 };
	int64_t id = 0;

	/* Without it, refused: nothing is written. */
	in.identification = NULL;
	assert_int_equal(
		ctip_person_register(&id, &f->base.ax, &f->cw, &in, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "identification");
	assert_non_null(strstr(err.msg, "Art. 32-33"));
	/* Nor for anyone else. */
	in = adult("under_identification", "2025-09-01");
	in.identification = &ident;
	assert_int_equal(
		ctip_person_register(&id, &f->base.ax, &f->cw, &in, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "identification");
	/* Not before the reception, and its document not after it. */
	in = adult("victim", "2025-09-01");
	ident.on = "2025-08-31";
	in.identification = &ident;
	assert_int_equal(
		ctip_person_register(&id, &f->base.ax, &f->cw, &in, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "identification.on");
	ident.on = "2025-09-03";
	ident.doc_date = "2025-09-04";
	assert_int_equal(
		ctip_person_register(&id, &f->base.ax, &f->cw, &in, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "identification.document.date");
	ident.n_evidence = 0;
	ident.doc_date = "2025-09-02";
	assert_int_equal(
		ctip_person_register(&id, &f->base.ax, &f->cw, &in, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "identification.evidence");
	assert_int_equal(
		raw_long(f->base.db, "SELECT count(*) FROM person", NULL), 0);

	/* With it: a victim identified on that day, on that evidence. */
	ident.n_evidence = 2;
	id = enroll(f, in);
	assert_string_equal(person(&f->base, id).role, "victim");
	assert_string_equal(person(&f->base, id).status, "identified");
	assert_string_equal(person(&f->base, id).identified_on, "2025-09-03");
	assert_string_equal(steps_of(f, id),
			    "receive:>received:2025-09-01::;"
			    "identify:received>identified:2025-09-03:a,e:"
			    "return_certificate");
	/* By default, on the day of reception. */
	id = enroll(f, adult("victim", "2025-09-01"));
	assert_string_equal(person(&f->base, id).identified_on, "2025-09-01");
}

static void
reintegration_schedules_visits_after_1_3_6_and_12_months(void **state)
{
	struct fixture *f = *state;
	int64_t id = enroll(f, adult("victim", "2024-01-31"));
	struct ctip_casework cw;
	struct ctip_err err = { 0 };
	static const char *const due[] = { "2024-02-29", "2024-04-30",
					   "2024-07-31", "2025-01-31" };
	int i;

	take_ok(f, id, "reintegrate", "2024-01-31");
	assert_int_equal(
		ctip_casework_load(
			&cw, f->base.st, &f->base.kr,
			&(struct ctip_person_rec){ .id = id,
						   .role = "victim",
						   .status = "reintegration" },
			CTIP_VIEW_IDENTITY, &f->base.arena, &err),
		CTIP_OK);
	assert_int_equal(cw.n_follow_ups, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(cw.follow_ups[i].due_on, due[i]);
		assert_null(cw.follow_ups[i].done_on);
	}
	assert_string_equal(cw.next_steps[0], "close");
	assert_null(cw.next_steps[1]);
}

/* --- dates and ages --- */

static void
date_add_keeps_month_ends_and_leap_days(void **state)
{
	static const struct {
		const char *date;
		int days, months;
		const char *want;
	} cases[] = {
		{ "2025-01-31", 0, 1, "2025-02-28" },
		{ "2024-01-31", 0, 1, "2024-02-29" },
		{ "2025-03-31", 0, 1, "2025-04-30" },
		{ "2025-08-31", 0, 6, "2026-02-28" },
		{ "2027-08-31", 0, 6, "2028-02-29" },
		{ "2024-02-29", 0, 12, "2025-02-28" },
		{ "2024-02-29", 0, 48, "2028-02-29" },
		{ "2025-12-15", 0, 1, "2026-01-15" },
		{ "2025-11-30", 0, 3, "2026-02-28" },
		{ "2025-12-31", 0, 12, "2026-12-31" },
		{ "2025-10-31", 0, 14, "2026-12-31" },
		{ "2025-05-17", 0, 0, "2025-05-17" },
		{ "2024-02-28", 1, 0, "2024-02-29" },
		{ "2025-02-28", 1, 0, "2025-03-01" },
		{ "2000-02-28", 1, 0, "2000-02-29" },
		{ "2100-02-28", 1, 0, "2100-03-01" },
		{ "1900-02-28", 1, 0, "1900-03-01" },
		{ "2025-12-31", 1, 0, "2026-01-01" },
		{ "2025-12-29", 3, 0, "2026-01-01" },
		{ "2026-01-01", -1, 0, "2025-12-31" },
		{ "2025-01-01", 366, 0, "2026-01-02" },
		{ "2024-01-01", 366, 0, "2025-01-01" },
		{ "2025-01-31", 1, 1, "2025-03-01" },
	};
	char out[11];
	size_t i;

	(void)state;
	for (i = 0; i < CTIP_NELEM(cases); i++) {
		memset(out, 'x', sizeof(out));
		ctip_date_add(out, cases[i].date, cases[i].days,
			      cases[i].months);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("%s + %d days + %d months = %s, not %s",
				 cases[i].date, cases[i].days, cases[i].months,
				 out, cases[i].want);
		assert_true(ctip_date_valid(out));
	}
}

static void
age_on_counts_whole_years_from_a_date_or_a_year(void **state)
{
	(void)state;
	assert_int_equal(ctip_age_on("2008-07-01", 0, "2026-06-30"), 17);
	assert_int_equal(ctip_age_on("2008-07-01", 0, "2026-07-01"), 18);
	assert_int_equal(ctip_age_on("2008-07-01", 0, "2026-12-31"), 18);
	assert_int_equal(ctip_age_on("2008-02-29", 0, "2026-02-28"), 17);
	assert_int_equal(ctip_age_on("2008-02-29", 0, "2026-03-01"), 18);
	assert_int_equal(ctip_age_on("2008-02-29", 0, "2028-02-29"), 20);
	assert_int_equal(ctip_age_on("2026-01-02", 0, "2026-01-02"), 0);
	assert_int_equal(ctip_age_on("2025-12-31", 0, "2026-01-01"), 0);
	/* A birth date wins over the year. */
	assert_int_equal(ctip_age_on("2010-05-05", 1950, "2026-05-04"), 15);
	/* Only the year: the age reached during the year. */
	assert_int_equal(ctip_age_on(NULL, 2008, "2026-01-01"), 18);
	assert_int_equal(ctip_age_on(NULL, 2008, "2026-12-31"), 18);
	assert_int_equal(ctip_age_on(NULL, 0, "2026-01-01"), -1);
}

/* --- entitlements --- */

static void
regime_switches_on_2025_07_01_by_identification_date(void **state)
{
	struct fixture *f = *state;
	int64_t before = enroll(f, adult("victim", "2025-06-30"));
	int64_t on = enroll(f, adult("victim", "2025-07-01"));
	int64_t received_before =
		enroll(f, adult("under_identification", "2025-06-15"));
	int64_t identified_after =
		enroll(f, adult("under_identification", "2025-06-15"));
	int64_t identified_before =
		enroll(f, adult("under_identification", "2025-06-15"));
	struct ctip_entitlement e;

	e = entitlement(f, before, "ESSENTIAL", "in_vn");
	assert_string_equal(e.regime, "2011");
	assert_int_equal(e.n_limits, 2);
	assert_string_equal(e.limits[0].unit, "day");
	assert_int_equal(e.limits[0].max_units, 60);
	assert_string_equal(e.limits[0].legal_basis,
			    "Decree 09/2013/NĐ-CP Art. 19");
	assert_string_equal(e.limits[1].unit, "kit");
	e = entitlement(f, on, "ESSENTIAL", "in_vn");
	assert_string_equal(e.regime, "2024");
	assert_int_equal(e.n_limits, 1);
	assert_int_equal(e.limits[0].max_units, 120);
	/* Not yet identified: the reception date decides. */
	assert_string_equal(
		entitlement(f, received_before, "ESSENTIAL", "in_vn").regime,
		"2011");
	/* Identified: the identification date decides. */
	take_ok(f, identified_after, "identify", "2025-07-01");
	assert_string_equal(
		entitlement(f, identified_after, "ESSENTIAL", "in_vn").regime,
		"2024");
	take_ok(f, identified_before, "identify", "2025-06-30");
	assert_string_equal(
		entitlement(f, identified_before, "ESSENTIAL", "in_vn").regime,
		"2011");
	/* The 2011 regime has no schooling parameters: no limits. */
	assert_int_equal(entitlement(f, identified_before, "EDUCATION", "in_vn")
				 .n_limits,
			 0);
	assert_int_equal(entitlement(f, on, "EDUCATION", "in_vn").n_limits, 1);
}

static void
minor_is_never_entitled_to_more_than_the_adult(void **state)
{
	static const char *const citizenships[] = { "vn_citizen",
						    "stateless_resident",
						    "foreigner" };
	static const char *const roles[] = { "victim", "under_identification" };
	static const char *const locations[] = { "in_vn", "abroad" };
	struct fixture *f = *state;
	struct ctip_store *st = f->base.st;
	struct ctip_arena *arena = &f->base.arena;
	struct ctip_entitlement e[10];
	struct ctip_entitlement_row own, theirs;
	struct ctip_err err = { 0 };
	size_t c, r, l;
	int i, differs = 0;

	for (c = 0; c < CTIP_NELEM(citizenships); c++)
		for (r = 0; r < CTIP_NELEM(roles); r++) {
			struct ctip_person_input in = adult(roles[r], NULL);
			int64_t a, m;

			in.citizenship = citizenships[c];
			a = enroll(f, in);
			in = minor_of(a);
			/* The minor's own class is not the one used. */
			in.citizenship = strcmp(citizenships[c], "foreigner")
						 ? "foreigner"
						 : "vn_citizen";
			m = enroll(f, in);
			for (l = 0; l < CTIP_NELEM(locations); l++) {
				assert_int_equal(ctip_casework_entitlements(
							 e, &f->base.ax, &f->cw,
							 m, locations[l], arena,
							 &err),
						 CTIP_OK);
				for (i = 0; i < 10; i++) {
					assert_int_equal(
						st->ops->casework->entitlement(
							&own, st,
							e[i].support_code,
							"accompanying_minor",
							citizenships[c],
							locations[l], arena,
							&err),
						CTIP_OK);
					assert_int_equal(
						st->ops->casework->entitlement(
							&theirs, st,
							e[i].support_code,
							roles[r],
							citizenships[c],
							locations[l], arena,
							&err),
						CTIP_OK);
					if (e[i].entitled !=
					    (own.entitled && theirs.entitled))
						fail_msg("%s for a minor of %s "
							 "(%s) %s",
							 e[i].support_code,
							 roles[r],
							 citizenships[c],
							 locations[l]);
					assert_string_equal(e[i].legal_basis,
							    own.legal_basis);
					assert_true((e[i].refusal == NULL) ==
						    e[i].entitled);
					differs += own.entitled &&
						   !theirs.entitled;
				}
			}
		}
	/* The rule was put to the test: the minor's own cell said yes
	 * where the adult's said no. */
	assert_true(differs > 0);
}

static void
minor_of_a_person_under_identification_gets_no_schooling(void **state)
{
	struct fixture *f = *state;
	int64_t u = enroll(f, adult("under_identification", NULL));
	int64_t v = enroll(f, adult("victim", NULL));
	int64_t mu = enroll(f, minor_of(u)), mv = enroll(f, minor_of(v));
	struct ctip_entitlement e;
	struct ctip_err err = { 0 };

	e = entitlement(f, mu, "EDUCATION", "in_vn");
	assert_false(e.entitled);
	assert_non_null(strstr(e.refusal, "Art. 37.3"));
	assert_non_null(strstr(e.refusal, "person under identification"));
	assert_true(entitlement(f, mv, "EDUCATION", "in_vn").entitled);
	assert_false(entitlement(f, mv, "VOCATIONAL", "in_vn").entitled);
	assert_int_equal(
		give(f, mu, "EDUCATION", "school_year", 1, 0, NULL, &err),
		CTIP_ENOTENTITLED);
	assert_string_equal(err.field, "support");
	assert_int_equal(
		give(f, mv, "EDUCATION", "school_year", 1, 0, NULL, &err),
		CTIP_OK);
	/* Once the adult is identified, the minor has it too. */
	take_ok(f, u, "identify", NULL);
	assert_true(entitlement(f, mu, "EDUCATION", "in_vn").entitled);
}

static void
limits_are_counted_over_the_ledger(void **state)
{
	struct fixture *f = *state;
	int64_t id = enroll(f, adult("victim", "2025-08-01"));
	int64_t other = enroll(f, adult("victim", "2025-08-01"));
	struct ctip_entitlement e;
	struct ctip_err err = { 0 };
	char sql[256];

	assert_int_equal(give(f, id, "ESSENTIAL", "day", 100, 0, NULL, &err),
			 CTIP_OK);
	assert_int_equal(give(f, other, "ESSENTIAL", "day", 110, 0, NULL, &err),
			 CTIP_OK);
	assert_int_equal(give(f, id, "ESSENTIAL", "day", 21, 0, NULL, &err),
			 CTIP_ENOTENTITLED);
	assert_string_equal(err.field, "support");
	assert_non_null(strstr(err.msg, "100 of 120"));
	assert_non_null(strstr(err.msg, "Decree 162/2025/NĐ-CP Art. 17"));
	assert_int_equal(give(f, id, "ESSENTIAL", "day", 20, 0, NULL, &err),
			 CTIP_OK);
	e = entitlement(f, id, "ESSENTIAL", "in_vn");
	assert_int_equal(e.used[0], 120);
	assert_int_equal(entitlement(f, other, "ESSENTIAL", "in_vn").used[0],
			 110);
	/* A line of another regime (an old import) does not count. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO support_service (person_id, support_code, "
		 "provider_unit_id, provided_on, location, unit, quantity, "
		 "amount_vnd, regime, created_at) VALUES (%lld, 'ESSENTIAL', "
		 "%lld, '2025-08-02', 'in_vn', 'day', 50, 0, '2011', '%s')",
		 (long long)other, (long long)f->cw.unit_id, NOW);
	assert_int_equal(raw_exec(f->base.db, sql), SQLITE_OK);
	assert_int_equal(entitlement(f, other, "ESSENTIAL", "in_vn").used[0],
			 110);
	assert_int_equal(give(f, other, "ESSENTIAL", "day", 10, 0, NULL, &err),
			 CTIP_OK);
	assert_int_equal(give(f, id, "ESSENTIAL", "day", 1, 0, NULL, &err),
			 CTIP_ENOTENTITLED);
	/* Another support type has its own count; an unlimited one none. */
	assert_int_equal(give(f, id, "MEDICAL", "year", 1, 0, NULL, &err),
			 CTIP_OK);
	assert_int_equal(give(f, id, "MEDICAL", "year", 1, 0, NULL, &err),
			 CTIP_ENOTENTITLED);
	assert_int_equal(give(f, id, "TRAVEL", "trip", 5, 0, NULL, &err),
			 CTIP_OK);
	assert_int_equal(give(f, id, "TRAVEL", "trip", 5, 0, NULL, &err),
			 CTIP_OK);
	/* A unit the regime does not count it in. */
	assert_int_equal(give(f, id, "ESSENTIAL", "kit", 1, 0, NULL, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "unit");
	/* The override records it, audited as such. */
	assert_int_equal(give(f, id, "ESSENTIAL", "day", 30, 0,
			      "Giám đốc gia hạn", &err),
			 CTIP_OK);
	assert_int_equal(entitlement(f, id, "ESSENTIAL", "in_vn").used[0], 150);
	assert_int_equal(
		raw_long(f->base.db,
			 "SELECT count(*) FROM audit_log WHERE action = "
			 "'person.support.override'",
			 NULL),
		1);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM support_service WHERE person_id = %lld",
		 (long long)id);
	assert_int_equal(raw_long(f->base.db, sql, NULL), 6);
}

static void
amounts_are_checked_against_the_rate_per_unit(void **state)
{
	struct fixture *f = *state;
	int64_t id = enroll(f, adult("victim", "2025-08-01"));
	struct ctip_err err = { 0 };

	/* The CSV sets no rate yet: give one, as a later circular would. */
	assert_int_equal(
		raw_exec(f->base.db,
			 "UPDATE support_amount SET amount_vnd = 50000 WHERE "
			 "support_code = 'ESSENTIAL' AND unit = 'day' AND "
			 "valid_from = '2025-07-01'"),
		SQLITE_OK);
	assert_int_equal(
		entitlement(f, id, "ESSENTIAL", "in_vn").limits[0].amount_vnd,
		50000);
	assert_int_equal(give(f, id, "ESSENTIAL", "day", 3, 150000, NULL, &err),
			 CTIP_OK);
	assert_int_equal(give(f, id, "ESSENTIAL", "day", 3, 150001, NULL, &err),
			 CTIP_ENOTENTITLED);
	assert_non_null(strstr(err.msg, "50000"));
	assert_int_equal(give(f, id, "ESSENTIAL", "day", 2, 0, NULL, &err),
			 CTIP_OK);
}

static void
nothing_is_given_to_closed_persons_or_persons_not_victims(void **state)
{
	struct fixture *f = *state;
	int64_t v = enroll(f, adult("victim", NULL));
	int64_t u = enroll(f, adult("under_identification", NULL));
	struct ctip_entitlement e[10];
	struct ctip_err err = { 0 };
	int i;

	take_ok(f, v, "close", NULL);
	take_ok(f, u, "reject", NULL);
	assert_int_equal(ctip_casework_entitlements(e, &f->base.ax, &f->cw, v,
						    "in_vn", &f->base.arena,
						    &err),
			 CTIP_OK);
	for (i = 0; i < 10; i++) {
		assert_false(e[i].entitled);
		assert_non_null(strstr(e[i].refusal, "closed"));
	}
	assert_int_equal(ctip_casework_entitlements(e, &f->base.ax, &f->cw, u,
						    "abroad", &f->base.arena,
						    &err),
			 CTIP_OK);
	for (i = 0; i < 10; i++)
		assert_false(e[i].entitled);
	assert_int_equal(give(f, v, "MEDICAL", "year", 1, 0, NULL, &err),
			 CTIP_ENOTENTITLED);
	take_ok(f, v, "reopen", NULL);
	assert_int_equal(give(f, v, "MEDICAL", "year", 1, 0, NULL, &err),
			 CTIP_OK);
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(next_steps_follow_the_process_for_adults),
		cmocka_unit_test(
			next_steps_of_a_minor_skip_verification_and_identification),
		T(every_next_step_is_accepted_and_every_other_refused),
		T(refused_step_names_the_status_and_reopen_returns_where_it_was),
		T(a_victim_is_registered_with_how_they_were_identified),
		T(reintegration_schedules_visits_after_1_3_6_and_12_months),
		cmocka_unit_test(date_add_keeps_month_ends_and_leap_days),
		cmocka_unit_test(
			age_on_counts_whole_years_from_a_date_or_a_year),
		T(regime_switches_on_2025_07_01_by_identification_date),
		T(minor_is_never_entitled_to_more_than_the_adult),
		T(minor_of_a_person_under_identification_gets_no_schooling),
		T(limits_are_counted_over_the_ledger),
		T(amounts_are_checked_against_the_rate_per_unit),
		T(nothing_is_given_to_closed_persons_or_persons_not_victims),
		T(page_reads_casework_sealed_then_opens_it_and_refuses_whole),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
