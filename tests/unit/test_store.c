/* test_store.c: the storage contract, on an SQLite file and in memory. */
#include "store/migrations.h"
#include "store/store.h"
#include "util/crypto.h"

#include "helpers.h"

struct fixture {
	char dir[64];
	char db[128]; /* the database file, "" in memory */
	struct ctip_store *st;
	struct ctip_arena arena;
};

static int
open_fixture(void **state, bool in_file)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct ctip_err err = { 0 };
	int applied;

	if (f == NULL || !tmpdir_make(f->dir, sizeof(f->dir)))
		return -1;
	if (in_file)
		snprintf(f->db, sizeof(f->db), "%s/ctip.db", f->dir);
	if (ctip_store_open(&f->st, in_file ? f->db : ":memory:",
			    CTIP_OPEN_CREATE, &err) != CTIP_OK ||
	    f->st->ops->migrate(&applied, f->st, &err) != CTIP_OK) {
		print_error("fixture: %s\n", err.msg);
		return -1;
	}
	ctip_arena_init(&f->arena, 1 << 20);
	*state = f;
	return 0;
}

static int
setup_file(void **state)
{
	return open_fixture(state, true);
}

static int
setup_memory(void **state)
{
	return open_fixture(state, false);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->st != NULL)
		f->st->ops->close(f->st);
	ctip_arena_free(&f->arena);
	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static long
ref_count(struct fixture *f, enum ctip_ref_kind kind)
{
	struct ctip_err err = { 0 };
	long n = -1;

	assert_int_equal(f->st->ops->ref_count(&n, f->st, kind, &err), CTIP_OK);
	return n;
}

static void
upsert(struct fixture *f, enum ctip_ref_kind kind, const char *const *values)
{
	struct ctip_err err = { 0 };

	if (f->st->ops->ref_upsert(f->st, kind, values, &err) != CTIP_OK)
		fail_msg("ref_upsert: %s", err.msg);
}

/* Enough reference data for org units and persons: the police, two
 * provinces with a commune each, one ethnic group, one country. */
static void
seed(struct fixture *f)
{
	upsert(f, CTIP_REF_AGENCY,
	       (const char *const[]){ "POLICE", "Công an", "Police",
				      "commune|province|national" });
	upsert(f, CTIP_REF_ADMIN_UNIT,
	       (const char *const[]){ "01", "province", "Hà Nội",
				      "Thành phố Hà Nội", "Thành phố", NULL,
				      "Hanoi City", "ha noi" });
	upsert(f, CTIP_REF_ADMIN_UNIT,
	       (const char *const[]){
		       "79", "province", "Hồ Chí Minh", "Thành phố Hồ Chí Minh",
		       "Thành phố", NULL, "Ho Chi Minh City", "ho chi minh" });
	upsert(f, CTIP_REF_ADMIN_UNIT,
	       (const char *const[]){ "00004", "commune", "Ba Đình",
				      "Phường Ba Đình", "Phường", "01",
				      "Ba Dinh Ward", "ba dinh" });
	upsert(f, CTIP_REF_ADMIN_UNIT,
	       (const char *const[]){ "26734", "commune", "Bến Thành",
				      "Phường Bến Thành", "Phường", "79",
				      "Ben Thanh Ward", "ben thanh" });
	upsert(f, CTIP_REF_ETHNIC_GROUP,
	       (const char *const[]){ "01", "Kinh", "Kinh" });
	upsert(f, CTIP_REF_COUNTRY,
	       (const char *const[]){ "VN", "VNM", "704", "Viet Nam",
				      "Việt Nam" });
	upsert(f, CTIP_REF_PURPOSE,
	       (const char *const[]){ "SEX", NULL, "Tình dục", "Sexual" });
	upsert(f, CTIP_REF_PURPOSE,
	       (const char *const[]){ "SEX.PROSTITUTION", "SEX", "Mại dâm",
				      "Prostitution" });
}

static int64_t
org(struct fixture *f, const char *admin)
{
	struct ctip_err err = { 0 };
	int64_t id = 0;

	assert_int_equal(f->st->ops->org_unit_ensure(&id, f->st, "POLICE",
						     admin, "Công an", NOW,
						     &err),
			 CTIP_OK);
	assert_true(id > 0);
	return id;
}

static const unsigned char fake_blob[] = "sealed elsewhere";
static const unsigned char fake_bidx[CTIP_BLIND_BYTES] = "blind 16 bytes!";

static struct ctip_person_row
person_row(int64_t owner, const char *province, const char *commune)
{
	struct ctip_person_row r;

	memset(&r, 0, sizeof(r));
	r.owner_unit_id = owner;
	r.province_code = province;
	r.commune_code = commune;
	r.role = "victim";
	r.sex = "F";
	r.birth_year = 1999;
	r.ethnicity_code = "01";
	r.nationality = "VN";
	r.citizenship = "vn_citizen";
	r.name_bidx = fake_bidx;
	r.name_enc = fake_blob;
	r.name_enc_len = sizeof(fake_blob);
	r.now = NOW;
	return r;
}

/* --- both backends' connections: file and memory --- */

static void
migrate_applies_once_then_is_idempotent(void **state)
{
	struct fixture *f = *state;
	struct ctip_store *st;
	struct ctip_err err = { 0 };
	int applied = -1, version = -1;

	/* A fresh store of its own, so the first run can be seen. */
	assert_int_equal(
		ctip_store_open(&st, ":memory:", CTIP_OPEN_CREATE, &err),
		CTIP_OK);
	assert_int_equal(st->ops->schema_version(&version, st, &err), CTIP_OK);
	assert_int_equal(version, 0);
	assert_int_equal(st->ops->migrate(&applied, st, &err), CTIP_OK);
	assert_int_equal(applied, ctip_n_migrations);
	assert_true(applied >= 1);
	assert_int_equal(st->ops->schema_version(&version, st, &err), CTIP_OK);
	assert_int_equal(version,
			 ctip_migrations[ctip_n_migrations - 1].version);
	assert_int_equal(st->ops->migrate(&applied, st, &err), CTIP_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(st->ops->schema_version(&version, st, &err), CTIP_OK);
	assert_int_equal(version, ctip_n_migrations);
	st->ops->close(st);

	/* The fixture's store was migrated by setup. */
	assert_int_equal(f->st->ops->migrate(&applied, f->st, &err), CTIP_OK);
	assert_int_equal(applied, 0);
	assert_string_equal(f->st->ops->name, "sqlite");
}

static void
migration_seeds_the_nation_only(void **state)
{
	struct fixture *f = *state;
	struct ctip_admin_unit au;
	struct ctip_err err = { 0 };

	assert_int_equal(store_count(f->st, CTIP_COUNT_PROVINCES), 0);
	assert_int_equal(store_count(f->st, CTIP_COUNT_COMMUNES), 0);
	assert_int_equal(ref_count(f, CTIP_REF_ADMIN_UNIT), 0);
	assert_int_equal(
		f->st->ops->admin_unit_get(&au, f->st, "VN", &f->arena, &err),
		CTIP_OK);
	assert_string_equal(au.level, "nation");
	assert_string_equal(au.name, "Việt Nam");
	assert_null(au.province_code);
}

static void
meta_get_set_and_notfound(void **state)
{
	struct fixture *f = *state;
	struct ctip_err err = { 0 };
	char *v = NULL;

	assert_int_equal(f->st->ops->meta_get(&v, f->st, "refdata_digest",
					      &f->arena, &err),
			 CTIP_ENOTFOUND);
	assert_string_equal(err.msg, "no metadata \"refdata_digest\"");
	assert_int_equal(f->st->ops->meta_set(f->st, "k", "Đà Lạt", &err),
			 CTIP_OK);
	assert_int_equal(f->st->ops->meta_get(&v, f->st, "k", &f->arena, &err),
			 CTIP_OK);
	assert_string_equal(v, "Đà Lạt");
	assert_int_equal(f->st->ops->meta_set(f->st, "k", "", &err), CTIP_OK);
	assert_int_equal(f->st->ops->meta_get(&v, f->st, "k", &f->arena, &err),
			 CTIP_OK);
	assert_string_equal(v, "");
}

static void
meta_get_past_the_arena_limit_is_too_big(void **state)
{
	struct fixture *f = *state;
	struct ctip_arena tiny;
	struct ctip_err err = { 0 };
	char *v = NULL;

	assert_int_equal(f->st->ops->meta_set(f->st, "long",
					      "a value longer than the arena",
					      &err),
			 CTIP_OK);
	ctip_arena_init(&tiny, 16);
	assert_int_equal(f->st->ops->meta_get(&v, f->st, "long", &tiny, &err),
			 CTIP_ETOOBIG);
	ctip_arena_free(&tiny);
}

static void
ref_upsert_inserts_then_updates_the_same_code(void **state)
{
	struct fixture *f = *state;
	struct ctip_admin_unit au;
	struct ctip_err err = { 0 };
	bool exists = false;

	seed(f);
	assert_int_equal(ref_count(f, CTIP_REF_ADMIN_UNIT), 4);
	assert_int_equal(store_count(f->st, CTIP_COUNT_PROVINCES), 2);
	assert_int_equal(store_count(f->st, CTIP_COUNT_COMMUNES), 2);
	upsert(f, CTIP_REF_ADMIN_UNIT,
	       (const char *const[]){ "00004", "commune", "Ba Đình Mới",
				      "Phường Ba Đình Mới", "Phường", "01",
				      NULL, "ba dinh moi" });
	assert_int_equal(ref_count(f, CTIP_REF_ADMIN_UNIT), 4);
	assert_int_equal(f->st->ops->admin_unit_get(&au, f->st, "00004",
						    &f->arena, &err),
			 CTIP_OK);
	assert_string_equal(au.name, "Ba Đình Mới");
	assert_string_equal(au.full_name, "Phường Ba Đình Mới");
	assert_string_equal(au.province_code, "01");
	assert_string_equal(au.level, "commune");

	upsert(f, CTIP_REF_ETHNIC_GROUP,
	       (const char *const[]){ "01", "Kinh", "Viet" });
	assert_int_equal(ref_count(f, CTIP_REF_ETHNIC_GROUP), 1);
	assert_int_equal(f->st->ops->ref_exists(&exists, f->st,
						CTIP_REF_ETHNIC_GROUP, "01",
						&err),
			 CTIP_OK);
	assert_true(exists);
	assert_int_equal(f->st->ops->ref_exists(&exists, f->st,
						CTIP_REF_ETHNIC_GROUP, "02",
						&err),
			 CTIP_OK);
	assert_false(exists);
}

static void
ref_upsert_refuses_a_non_integer_in_an_integer_column(void **state)
{
	struct fixture *f = *state;
	struct ctip_err err = { 0 };

	assert_int_equal(f->st->ops->ref_upsert(
				 f->st, CTIP_REF_SUPPORT_TYPE,
				 (const char *const[]){
					 "ESSENTIAL", "37.1.a", "Thiết yếu",
					 "Essential", "120 days" },
				 &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "max_days");
	assert_non_null(strstr(err.msg, "max_days"));
	assert_non_null(strstr(err.msg, "\"120 days\""));
	assert_int_equal(f->st->ops->ref_upsert(
				 f->st, CTIP_REF_SUPPORT_TYPE,
				 (const char *const[]){ "ESSENTIAL", "37.1.a",
							"Thiết yếu",
							"Essential", "1.5" },
				 &err),
			 CTIP_EINVAL);
	assert_int_equal(f->st->ops->ref_upsert(
				 f->st, CTIP_REF_SUPPORT_TYPE,
				 (const char *const[]){
					 "ESSENTIAL", "37.1.a", "Thiết yếu",
					 "Essential", "99999999999999999999" },
				 &err),
			 CTIP_EINVAL);
	assert_int_equal(ref_count(f, CTIP_REF_SUPPORT_TYPE), 0);

	/* An empty integer is NULL, a whole number is stored. */
	upsert(f, CTIP_REF_SUPPORT_TYPE,
	       (const char *const[]){ "MEDICAL", "37.1.b", "Y tế", "Medical",
				      "" });
	upsert(f, CTIP_REF_SUPPORT_TYPE,
	       (const char *const[]){ "ESSENTIAL", "37.1.a", "Thiết yếu",
				      "Essential", "120" });
	assert_int_equal(ref_count(f, CTIP_REF_SUPPORT_TYPE), 2);
}

static void
ref_upsert_refuses_rows_the_schema_forbids(void **state)
{
	struct fixture *f = *state;
	struct ctip_err err = { 0 };

	seed(f);
	/* A commune of a province that does not exist. */
	assert_int_equal(
		f->st->ops->ref_upsert(
			f->st, CTIP_REF_ADMIN_UNIT,
			(const char *const[]){ "99999", "commune", "X", "Xã X",
					       "Xã", "98", NULL, "x" },
			&err),
		CTIP_EINVAL);
	/* A commune without a province. */
	assert_int_equal(
		f->st->ops->ref_upsert(
			f->st, CTIP_REF_ADMIN_UNIT,
			(const char *const[]){ "99998", "commune", "X", "Xã X",
					       "Xã", NULL, NULL, "x" },
			&err),
		CTIP_EINVAL);
	/* A required column left empty. */
	assert_int_equal(f->st->ops->ref_upsert(
				 f->st, CTIP_REF_ETHNIC_GROUP,
				 (const char *const[]){ "02", NULL, "Tay" },
				 &err),
			 CTIP_EINVAL);
	assert_int_equal(ref_count(f, CTIP_REF_ADMIN_UNIT), 4);
	assert_int_equal(ref_count(f, CTIP_REF_ETHNIC_GROUP), 1);
}

static void
ref_codes_and_communes_come_in_code_order(void **state)
{
	struct fixture *f = *state;
	struct ctip_commune *communes = NULL;
	struct ctip_err err = { 0 };
	const char **codes = NULL;
	int n = 0;

	seed(f);
	assert_int_equal(f->st->ops->ref_codes(&codes, &n, f->st,
					       CTIP_REF_PURPOSE, &f->arena,
					       &err),
			 CTIP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(codes[0], "SEX");
	assert_string_equal(codes[1], "SEX.PROSTITUTION");
	assert_int_equal(
		f->st->ops->communes(&communes, &n, f->st, &f->arena, &err),
		CTIP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(communes[0].code, "00004");
	assert_string_equal(communes[0].province_code, "01");
	assert_string_equal(communes[1].code, "26734");
	assert_string_equal(communes[1].province_code, "79");
	assert_int_equal(f->st->ops->ref_codes(&codes, &n, f->st,
					       CTIP_REF_INTAKE_CHANNEL,
					       &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n, 0);
}

static void
admin_unit_get_of_an_unknown_code_is_notfound(void **state)
{
	struct fixture *f = *state;
	struct ctip_admin_unit au;
	struct ctip_err err = { 0 };

	assert_int_equal(f->st->ops->admin_unit_get(&au, f->st, "00004",
						    &f->arena, &err),
			 CTIP_ENOTFOUND);
	assert_string_equal(err.msg, "admin unit \"00004\" does not exist");
}

static void
org_unit_ensure_returns_the_same_id_twice(void **state)
{
	struct fixture *f = *state;
	struct ctip_err err = { 0 };
	int64_t a, b, c = 0;

	seed(f);
	a = org(f, "00004");
	b = org(f, "00004");
	assert_int_equal(a, b);
	assert_int_equal(store_count(f->st, CTIP_COUNT_ORG_UNITS), 1);
	assert_true(org(f, "01") != a);
	assert_int_equal(store_count(f->st, CTIP_COUNT_ORG_UNITS), 2);
	/* An agency that does not exist is refused by the schema. */
	assert_int_equal(f->st->ops->org_unit_ensure(&c, f->st, "NOBODY", "01",
						     "x", NOW, &err),
			 CTIP_EINVAL);
	assert_int_equal(store_count(f->st, CTIP_COUNT_ORG_UNITS), 2);
}

static void
user_insert_of_a_taken_username_is_eexist(void **state)
{
	struct fixture *f = *state;
	static const char *const roles[] = { "administrator", "auditor", NULL };
	struct ctip_err err = { 0 };
	int64_t unit, id = 0, again = 0;

	seed(f);
	unit = org(f, "01");
	assert_int_equal(f->st->ops->user_insert(&id, f->st, "admin",
						 "Quản trị", unit, "$hash",
						 roles, NOW, &err),
			 CTIP_OK);
	assert_true(id > 0);
	assert_int_equal(f->st->ops->user_insert(&again, f->st, "admin",
						 "Another", unit, "$hash",
						 roles, NOW, &err),
			 CTIP_EEXIST);
	assert_string_equal(err.field, "username");
	assert_string_equal(err.msg, "user \"admin\" already exists");
	assert_int_equal(store_count(f->st, CTIP_COUNT_USERS), 1);
}

static void
user_insert_with_an_unknown_org_unit_is_refused(void **state)
{
	struct fixture *f = *state;
	static const char *const roles[] = { "auditor", NULL };
	struct ctip_err err = { 0 };
	int64_t id = 0;

	assert_int_equal(f->st->ops->user_insert(&id, f->st, "ghost", "Ghost",
						 4242, "$hash", roles, NOW,
						 &err),
			 CTIP_EINVAL);
	assert_int_equal(store_count(f->st, CTIP_COUNT_USERS), 0);
}

static void
foreign_keys_refuse_a_person_in_an_unknown_province(void **state)
{
	struct fixture *f = *state;
	struct ctip_person_row r;
	struct ctip_err err = { 0 };
	int64_t unit, id = 0;

	seed(f);
	unit = org(f, "00004");
	r = person_row(unit, "98", NULL);
	assert_int_equal(f->st->ops->person_insert(&id, f->st, &r, &err),
			 CTIP_EINVAL);
	assert_non_null(strstr(err.msg, "FOREIGN KEY"));
	r = person_row(unit, "01", "99999");
	assert_int_equal(f->st->ops->person_insert(&id, f->st, &r, &err),
			 CTIP_EINVAL);
	r = person_row(unit + 100, "01", "00004");
	assert_int_equal(f->st->ops->person_insert(&id, f->st, &r, &err),
			 CTIP_EINVAL);
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 0);
	/* The same row with known codes goes in. */
	r = person_row(unit, "01", "00004");
	assert_int_equal(f->st->ops->person_insert(&id, f->st, &r, &err),
			 CTIP_OK);
	assert_true(id > 0);
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 1);
}

/* Bulk mode leaves references to its caller and gives them back to the
 * schema after; it changes only outside a transaction. */
static void
bulk_mode_lifts_foreign_keys_until_it_ends(void **state)
{
	struct fixture *f = *state;
	struct ctip_person_row r;
	struct ctip_err err = { 0 };
	int64_t unit, id = 0;

	seed(f);
	unit = org(f, "00004");
	assert_int_equal(f->st->ops->begin(f->st, &err), CTIP_OK);
	assert_int_equal(f->st->ops->bulk(f->st, true, &err), CTIP_ESTORE);
	f->st->ops->rollback(f->st);
	assert_int_equal(f->st->ops->bulk(f->st, true, &err), CTIP_OK);
	assert_int_equal(f->st->ops->begin(f->st, &err), CTIP_OK);
	r = person_row(unit, "98", NULL);
	assert_int_equal(f->st->ops->person_insert(&id, f->st, &r, &err),
			 CTIP_OK);
	f->st->ops->rollback(f->st);
	assert_int_equal(f->st->ops->bulk(f->st, false, &err), CTIP_OK);
	assert_int_equal(f->st->ops->person_insert(&id, f->st, &r, &err),
			 CTIP_EINVAL);
	assert_non_null(strstr(err.msg, "FOREIGN KEY"));
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 0);
}

static void
schema_checks_refuse_a_minor_without_an_adult(void **state)
{
	struct fixture *f = *state;
	struct ctip_person_row r;
	struct ctip_err err = { 0 };
	int64_t unit, adult = 0, child = 0;

	seed(f);
	unit = org(f, "01");
	r = person_row(unit, "01", NULL);
	r.role = "accompanying_minor";
	assert_int_equal(f->st->ops->person_insert(&child, f->st, &r, &err),
			 CTIP_EINVAL);
	r = person_row(unit, "01", NULL);
	r.sex = "X";
	assert_int_equal(f->st->ops->person_insert(&child, f->st, &r, &err),
			 CTIP_EINVAL);
	r = person_row(unit, "01", NULL);
	assert_int_equal(f->st->ops->person_insert(&adult, f->st, &r, &err),
			 CTIP_OK);
	r.role = "accompanying_minor";
	r.accompanies_id = adult;
	assert_int_equal(f->st->ops->person_insert(&child, f->st, &r, &err),
			 CTIP_OK);
	assert_true(child > adult);
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 2);
}

static void
event_insert_stores_the_event_and_its_purposes(void **state)
{
	struct fixture *f = *state;
	static const char *const purposes[] = { "SEX", "SEX.PROSTITUTION" };
	static const char *const unknown[] = { "NO.SUCH" };
	struct ctip_person_row p;
	struct ctip_event_row ev;
	struct ctip_err err = { 0 };
	int64_t unit, person = 0, event = 0;

	seed(f);
	unit = org(f, "01");
	p = person_row(unit, "01", NULL);
	assert_int_equal(f->st->ops->person_insert(&person, f->st, &p, &err),
			 CTIP_OK);
	memset(&ev, 0, sizeof(ev));
	ev.person_id = person;
	ev.province_code = "01";
	ev.abroad = true;
	ev.destination_country = "VN";
	ev.discovery = "rescued";
	ev.discovered_on = "2025-05-01";
	ev.purposes = purposes;
	ev.n_purposes = 2;
	ev.now = NOW;
	assert_int_equal(f->st->ops->event_insert(&event, f->st, &ev, &err),
			 CTIP_OK);
	assert_true(event > 0);
	assert_int_equal(store_count(f->st, CTIP_COUNT_EVENTS), 1);
	ev.purposes = unknown;
	ev.n_purposes = 1;
	assert_int_equal(f->st->ops->event_insert(&event, f->st, &ev, &err),
			 CTIP_EINVAL);
}

static void
rollback_leaves_nothing_and_commit_keeps_everything(void **state)
{
	struct fixture *f = *state;
	struct ctip_err err = { 0 };
	char *v = NULL;

	seed(f);
	assert_int_equal(f->st->ops->begin(f->st, &err), CTIP_OK);
	assert_int_equal(f->st->ops->meta_set(f->st, "k", "v", &err), CTIP_OK);
	org(f, "01");
	upsert(f, CTIP_REF_ETHNIC_GROUP,
	       (const char *const[]){ "02", "Tày", "Tay" });
	f->st->ops->rollback(f->st);
	assert_int_equal(f->st->ops->meta_get(&v, f->st, "k", &f->arena, &err),
			 CTIP_ENOTFOUND);
	assert_int_equal(store_count(f->st, CTIP_COUNT_ORG_UNITS), 0);
	assert_int_equal(ref_count(f, CTIP_REF_ETHNIC_GROUP), 1);
	/* Rolling back outside a transaction is harmless. */
	f->st->ops->rollback(f->st);

	assert_int_equal(f->st->ops->begin(f->st, &err), CTIP_OK);
	assert_int_equal(f->st->ops->meta_set(f->st, "k", "v", &err), CTIP_OK);
	org(f, "01");
	assert_int_equal(f->st->ops->commit(f->st, &err), CTIP_OK);
	assert_int_equal(f->st->ops->meta_get(&v, f->st, "k", &f->arena, &err),
			 CTIP_OK);
	assert_string_equal(v, "v");
	assert_int_equal(store_count(f->st, CTIP_COUNT_ORG_UNITS), 1);
}

static void
begin_inside_a_transaction_is_refused(void **state)
{
	struct fixture *f = *state;
	struct ctip_err err = { 0 };

	assert_int_equal(f->st->ops->begin(f->st, &err), CTIP_OK);
	assert_int_equal(f->st->ops->begin(f->st, &err), CTIP_ESTORE);
	f->st->ops->rollback(f->st);
	assert_int_equal(f->st->ops->commit(f->st, &err), CTIP_ESTORE);
}

/* --- file databases only --- */

static void
open_of_a_missing_file_is_notfound_and_creates_nothing(void **state)
{
	struct fixture *f = *state;
	struct ctip_store *st = NULL;
	struct ctip_err err = { 0 };
	char path[160];

	snprintf(path, sizeof(path), "%s/missing.db", f->dir);
	assert_int_equal(ctip_store_open(&st, path, CTIP_OPEN_EXISTING, &err),
			 CTIP_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(err.msg, "ctip init"));
	assert_false(file_exists(path));
	snprintf(path, sizeof(path), "sqlite:%s/missing.db", f->dir);
	assert_int_equal(ctip_store_open(&st, path, CTIP_OPEN_EXISTING, &err),
			 CTIP_ENOTFOUND);
}

static void
open_takes_a_sqlite_url_and_refuses_postgres_for_now(void **state)
{
	struct fixture *f = *state;
	struct ctip_store *st = NULL;
	struct ctip_err err = { 0 };
	char url[160];
	int version = 0;

	f->st->ops->close(f->st);
	f->st = NULL;
	snprintf(url, sizeof(url), "sqlite:%s", f->db);
	assert_int_equal(ctip_store_open(&st, url, CTIP_OPEN_EXISTING, &err),
			 CTIP_OK);
	assert_int_equal(st->ops->schema_version(&version, st, &err), CTIP_OK);
	assert_int_equal(version, ctip_n_migrations);
	st->ops->close(st);
	assert_int_equal(ctip_store_open(&st, "postgres://localhost/ctip",
					 CTIP_OPEN_EXISTING, &err),
			 CTIP_EINVAL);
}

static void
created_database_file_is_private(void **state)
{
	struct fixture *f = *state;

	struct ctip_err err = { 0 };
	char wal[160];

	/* It holds victims' records: not for other local users. */
	assert_int_equal(file_mode(f->db), 0600);
	assert_int_equal(f->st->ops->meta_set(f->st, "k", "v", &err), CTIP_OK);
	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	assert_int_equal(file_mode(wal), 0600);
}

static void
file_database_is_in_wal_mode(void **state)
{
	struct fixture *f = *state;

	/* WAL is a property of the file, seen by any other connection. */
	assert_string_equal(
		raw_text(&f->arena, f->db, "PRAGMA journal_mode", NULL), "wal");
}

static void
migrate_refuses_a_newer_database(void **state)
{
	struct fixture *f = *state;
	struct ctip_err err = { 0 };
	int applied = -1;

	assert_int_equal(raw_exec(f->db, "INSERT INTO schema_migration VALUES "
					 "(999, 'future', '2099-01-01')"),
			 SQLITE_OK);
	assert_int_equal(f->st->ops->migrate(&applied, f->st, &err),
			 CTIP_ESTORE);
	assert_int_equal(applied, 0);
	assert_non_null(strstr(err.msg, "newer than this ctip"));
}

static void
backup_produces_a_database_with_the_same_counts(void **state)
{
	struct fixture *f = *state;
	static const char *const roles[] = { "auditor", NULL };
	enum ctip_count_kind k;
	struct ctip_store *copy = NULL;
	struct ctip_person_row r;
	struct ctip_err err = { 0 };
	long want[CTIP_COUNT_N_KINDS], got;
	char path[160], *v = NULL;
	int64_t unit, id;
	int version = 0;

	seed(f);
	unit = org(f, "01");
	assert_int_equal(f->st->ops->user_insert(&id, f->st, "auditor",
						 "Kiểm toán", unit, "$hash",
						 roles, NOW, &err),
			 CTIP_OK);
	r = person_row(unit, "01", "00004");
	assert_int_equal(f->st->ops->person_insert(&id, f->st, &r, &err),
			 CTIP_OK);
	assert_int_equal(f->st->ops->meta_set(f->st, "k", "v", &err), CTIP_OK);
	for (k = 0; k < CTIP_COUNT_N_KINDS; k++)
		want[k] = store_count(f->st, k);

	snprintf(path, sizeof(path), "%s/backup.db", f->dir);
	assert_int_equal(f->st->ops->backup(f->st, path, &err), CTIP_OK);
	assert_int_equal(file_mode(path), 0600);
	assert_int_equal(f->st->ops->backup(f->st, path, &err), CTIP_EEXIST);

	assert_int_equal(ctip_store_open(&copy, path, CTIP_OPEN_EXISTING, &err),
			 CTIP_OK);
	for (k = 0; k < CTIP_COUNT_N_KINDS; k++) {
		assert_int_equal(copy->ops->count(&got, copy, k, &err),
				 CTIP_OK);
		assert_int_equal(got, want[k]);
	}
	assert_int_equal(copy->ops->schema_version(&version, copy, &err),
			 CTIP_OK);
	assert_int_equal(version, ctip_n_migrations);
	assert_int_equal(copy->ops->meta_get(&v, copy, "k", &f->arena, &err),
			 CTIP_OK);
	assert_string_equal(v, "v");
	copy->ops->close(copy);
	assert_true(want[CTIP_COUNT_PERSONS] == 1 &&
		    want[CTIP_COUNT_USERS] == 1);
}

static void
backup_into_a_missing_directory_fails_cleanly(void **state)
{
	struct fixture *f = *state;
	struct ctip_err err = { 0 };
	char path[160];

	snprintf(path, sizeof(path), "%s/no/such/backup.db", f->dir);
	assert_int_not_equal(f->st->ops->backup(f->st, path, &err), CTIP_OK);
	assert_false(file_exists(path));
}

static void
data_survives_close_and_reopen(void **state)
{
	struct fixture *f = *state;
	struct ctip_err err = { 0 };
	int64_t unit, again;

	seed(f);
	unit = org(f, "00004");
	f->st->ops->close(f->st);
	f->st = NULL;
	assert_int_equal(
		ctip_store_open(&f->st, f->db, CTIP_OPEN_EXISTING, &err),
		CTIP_OK);
	assert_int_equal(store_count(f->st, CTIP_COUNT_COMMUNES), 2);
	again = org(f, "00004");
	assert_int_equal(again, unit);
}

#define NAME(t) #t
#define ON_FILE(t)                                                             \
	{                                                                      \
		NAME(t) " (file)", t, setup_file, teardown, NULL               \
	}
#define IN_MEMORY(t)                                                           \
	{                                                                      \
		NAME(t) " (memory)", t, setup_memory, teardown, NULL           \
	}
#define BOTH(t)      ON_FILE(t), IN_MEMORY(t)
#define FILE_ONLY(t) cmocka_unit_test_setup_teardown(t, setup_file, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(migrate_applies_once_then_is_idempotent),
		BOTH(migration_seeds_the_nation_only),
		BOTH(meta_get_set_and_notfound),
		BOTH(meta_get_past_the_arena_limit_is_too_big),
		BOTH(ref_upsert_inserts_then_updates_the_same_code),
		BOTH(ref_upsert_refuses_a_non_integer_in_an_integer_column),
		BOTH(ref_upsert_refuses_rows_the_schema_forbids),
		BOTH(ref_codes_and_communes_come_in_code_order),
		BOTH(admin_unit_get_of_an_unknown_code_is_notfound),
		BOTH(org_unit_ensure_returns_the_same_id_twice),
		BOTH(user_insert_of_a_taken_username_is_eexist),
		BOTH(user_insert_with_an_unknown_org_unit_is_refused),
		BOTH(foreign_keys_refuse_a_person_in_an_unknown_province),
		BOTH(bulk_mode_lifts_foreign_keys_until_it_ends),
		BOTH(schema_checks_refuse_a_minor_without_an_adult),
		BOTH(event_insert_stores_the_event_and_its_purposes),
		BOTH(rollback_leaves_nothing_and_commit_keeps_everything),
		BOTH(begin_inside_a_transaction_is_refused),
		FILE_ONLY(
			open_of_a_missing_file_is_notfound_and_creates_nothing),
		FILE_ONLY(open_takes_a_sqlite_url_and_refuses_postgres_for_now),
		FILE_ONLY(created_database_file_is_private),
		FILE_ONLY(file_database_is_in_wal_mode),
		FILE_ONLY(migrate_refuses_a_newer_database),
		FILE_ONLY(backup_produces_a_database_with_the_same_counts),
		FILE_ONLY(backup_into_a_missing_directory_fails_cleanly),
		FILE_ONLY(data_survives_close_and_reopen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
