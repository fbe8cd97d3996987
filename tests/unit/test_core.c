/* test_core.c: reference data, persons, org units, accounts, the synthetic
 * generator, CSV import and `ctip init`, against real data/ files. */
#include "core/account.h"
#include "core/import.h"
#include "core/org.h"
#include "core/person.h"
#include "core/refdata.h"
#include "core/setup.h"
#include "core/synth.h"

#include "helpers.h"

#include <sodium.h>

static const char *const data_files[] = {
	"admin-units.csv",
	"ethnic-groups.csv",
	"countries.csv",
	"purposes.csv",
	"support-types.csv",
	"support-entitlements.csv",
	"support-amounts.csv",
	"intake-channels.csv",
	"agencies.csv",
	"indicators/indicators.csv",
	"indicators/rates.csv",
	"forms/forms.csv",
	"forms/rows.csv",
	"forms/rules.csv",
	"plan-agency-aliases.csv",
};

static char *
meta(struct db_fixture *f, const char *key)
{
	struct ctip_err err = { 0 };
	char *v = NULL;

	if (f->st->ops->meta_get(&v, f->st, key, &f->arena, &err) != CTIP_OK)
		return NULL;
	return v;
}

/* id as text in the fixture's arena, for ?1 of raw_text. */
static const char *
id_text(struct db_fixture *f, int64_t id)
{
	return ctip_arena_printf(&f->arena, "%lld", (long long)id);
}

/* Copy the reference data to dir/name, leaving out the file skip (or
 * NULL). Returns the copy's path in the fixture's arena. */
static const char *
copy_data(struct db_fixture *f, const char *name, const char *skip)
{
	char *dir = ctip_arena_printf(&f->arena, "%s/%s", f->dir, name);
	char src[4096], dst[4096];
	size_t i, len;
	char *text;

	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dst, sizeof(dst), "%s/indicators", dir);
	assert_int_equal(mkdir(dst, 0700), 0);
	snprintf(dst, sizeof(dst), "%s/forms", dir);
	assert_int_equal(mkdir(dst, 0700), 0);
	for (i = 0; i < CTIP_NELEM(data_files); i++) {
		if (skip != NULL && strcmp(skip, data_files[i]) == 0)
			continue;
		snprintf(src, sizeof(src), "%s/%s", CTIP_TEST_DATA,
			 data_files[i]);
		snprintf(dst, sizeof(dst), "%s/%s", dir, data_files[i]);
		text = file_get(src, &len);
		assert_non_null(text);
		assert_true(file_put(dst, text, len, 0600));
		free(text);
	}
	return dir;
}

/*
 * In dir/file, replace old with new on line line_no (old NULL: the whole
 * line but its newline; new NULL: drop the line).
 */
static void
edit_line(const char *dir, const char *file, long line_no, const char *old,
	  const char *new)
{
	char path[4096];
	struct ctip_buf b;
	char *text, *line, *next, *hit, *eol;
	size_t len;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	text = file_get(path, &len);
	assert_non_null(text);
	ctip_buf_init(&b, 64 << 20);
	for (n = 1, line = text; *line != '\0'; n++, line = next) {
		eol = strchr(line, '\n');
		eol = eol ? eol : line + strlen(line);
		next = *eol ? eol + 1 : eol;
		if (n != line_no) {
			assert_int_equal(
				ctip_buf_add(&b, line, (size_t)(next - line)),
				CTIP_OK);
			continue;
		}
		if (new == NULL)
			continue;
		hit = old ? strstr(line, old) : line;
		if (hit == NULL || hit >= eol)
			fail_msg("%s line %ld has no \"%s\"", file, n, old);
		assert_int_equal(ctip_buf_add(&b, line, (size_t)(hit - line)),
				 CTIP_OK);
		assert_int_equal(ctip_buf_puts(&b, new), CTIP_OK);
		hit = old ? hit + strlen(old) : eol;
		assert_int_equal(ctip_buf_add(&b, hit, (size_t)(next - hit)),
				 CTIP_OK);
	}
	assert_true(n > line_no);
	assert_true(file_put(path, ctip_buf_str(&b), b.len, 0600));
	ctip_buf_free(&b);
	free(text);
}

static void
expect_msg_has(const struct ctip_err *err, const char *part)
{
	if (strstr(err->msg, part) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", err->msg, part);
}

/* --- reference data --- */

static void
refdata_load_fills_the_tables_the_law_fixes(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_ref_stats s;
	struct ctip_err err = { 0 };
	struct ctip_admin_unit au;
	const char *digest;

	assert_int_equal(ctip_refdata_stats(&s, f->st, &err), CTIP_OK);
	assert_int_equal(s.provinces, 34);
	assert_int_equal(s.communes, 3321);
	assert_int_equal(s.rows[CTIP_REF_ADMIN_UNIT], 34 + 3321);
	assert_int_equal(s.rows[CTIP_REF_ETHNIC_GROUP], 54);
	assert_int_equal(s.rows[CTIP_REF_SUPPORT_TYPE], 10);
	assert_int_equal(s.rows[CTIP_REF_COUNTRY], 249);
	assert_int_equal(s.rows[CTIP_REF_AGENCY], 24);
	digest = meta(f, "refdata_digest");
	assert_non_null(digest);
	assert_int_equal(strlen(digest), 64);
	/* Names keep their marks; communes know their province. */
	assert_int_equal(f->st->ops->admin_unit_get(&au, f->st, "00004",
						    &f->arena, &err),
			 CTIP_OK);
	assert_string_equal(au.name, "Ba Đình");
	assert_string_equal(au.full_name, "Phường Ba Đình");
	assert_string_equal(au.province_code, "01");
	assert_int_equal(
		f->st->ops->admin_unit_get(&au, f->st, "01", &f->arena, &err),
		CTIP_OK);
	assert_string_equal(au.level, "province");
	assert_null(au.province_code);
}

static void
refdata_load_twice_is_idempotent(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_ref_stats before, after;
	struct ctip_err err = { 0 };
	char *digest = meta(f, "refdata_digest");

	assert_int_equal(ctip_refdata_stats(&before, f->st, &err), CTIP_OK);
	assert_int_equal(ctip_refdata_load(f->st, CTIP_TEST_DATA, &err),
			 CTIP_OK);
	assert_int_equal(ctip_refdata_stats(&after, f->st, &err), CTIP_OK);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_string_equal(meta(f, "refdata_digest"), digest);
}

static void
refdata_bad_row_changes_nothing_and_names_file_and_line(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_ref_stats before, after;
	struct ctip_admin_unit au;
	struct ctip_err err = { 0 };
	char *digest = meta(f, "refdata_digest");
	const char *dir;
	bool changed;

	/* Line 36 renames Ba Đình (a good row, loaded before the bad one);
	 * line 37 puts Ngọc Hà in a province that does not exist. */
	dir = copy_data(f, "bad", NULL);
	edit_line(dir, "admin-units.csv", 36, "Ba Đình,Phường Ba Đình",
		  "Ba Đình Mới,Phường Ba Đình Mới");
	edit_line(dir, "admin-units.csv", 37, "Phường,01,", "Phường,99,");
	assert_int_equal(ctip_refdata_stats(&before, f->st, &err), CTIP_OK);
	assert_int_equal(ctip_refdata_load(f->st, dir, &err), CTIP_EINVAL);
	expect_msg_has(&err, "admin-units.csv line 37:");
	expect_msg_has(&err, "FOREIGN KEY");
	assert_int_equal(ctip_refdata_stats(&after, f->st, &err), CTIP_OK);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(f->st->ops->admin_unit_get(&au, f->st, "00004",
						    &f->arena, &err),
			 CTIP_OK);
	assert_string_equal(au.name, "Ba Đình");
	assert_string_equal(meta(f, "refdata_digest"), digest);
	/* The edited files differ from those loaded, the same ones do not. */
	assert_int_equal(ctip_refdata_changed(&changed, f->st, dir, &err),
			 CTIP_OK);
	assert_true(changed);
	assert_int_equal(
		ctip_refdata_changed(&changed, f->st, CTIP_TEST_DATA, &err),
		CTIP_OK);
	assert_false(changed);
	/* The store is usable after the failed load. */
	assert_int_equal(ctip_refdata_load(f->st, CTIP_TEST_DATA, &err),
			 CTIP_OK);
}

static void
refdata_entitled_must_be_yes_or_no(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	const char *dir;

	dir = copy_data(f, "maybe", NULL);
	edit_line(dir, "support-entitlements.csv", 3, ",yes,", ",maybe,");
	assert_int_equal(ctip_refdata_load(f->st, dir, &err), CTIP_EINVAL);
	expect_msg_has(&err, "support-entitlements.csv line 3:");
	expect_msg_has(&err, "entitled must be yes or no, not \"maybe\"");
	assert_int_equal(store_count(f->st, CTIP_COUNT_PROVINCES), 0);
	assert_null(meta(f, "refdata_digest"));
}

static void
refdata_short_row_is_refused_not_read_past(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	const char *dir;

	/* A commune row cut short after its code. */
	dir = copy_data(f, "short", NULL);
	edit_line(dir, "admin-units.csv", 100, NULL, "commune,08995");
	assert_int_equal(ctip_refdata_load(f->st, dir, &err), CTIP_EINVAL);
	expect_msg_has(&err, "admin-units.csv line 100:");
	/* An entitlement without its "entitled" column. */
	dir = copy_data(f, "short2", NULL);
	edit_line(dir, "support-entitlements.csv", 2, NULL,
		  "ESSENTIAL,victim,vn_citizen");
	assert_int_equal(ctip_refdata_load(f->st, dir, &err), CTIP_EINVAL);
	expect_msg_has(&err, "support-entitlements.csv line 2:");
	/* A row with a field too many is no better. */
	dir = copy_data(f, "long", NULL);
	edit_line(dir, "ethnic-groups.csv", 3, "Tay", "Tay,extra");
	assert_int_equal(ctip_refdata_load(f->st, dir, &err), CTIP_EINVAL);
	expect_msg_has(&err, "ethnic-groups.csv line 3:");
	assert_int_equal(store_count(f->st, CTIP_COUNT_COMMUNES), 0);
}

static void
refdata_bad_integer_names_the_column(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	const char *dir;

	dir = copy_data(f, "int", NULL);
	edit_line(dir, "support-types.csv", 2, ",120", ",120 ngày");
	assert_int_equal(ctip_refdata_load(f->st, dir, &err), CTIP_EINVAL);
	expect_msg_has(&err, "support-types.csv line 2:");
	expect_msg_has(&err, "max_days");
}

static void
refdata_missing_file_is_notfound(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	const char *dir;

	/* agencies.csv is read last: everything before it is undone. */
	dir = copy_data(f, "partial", "agencies.csv");
	assert_int_equal(ctip_refdata_load(f->st, dir, &err), CTIP_ENOTFOUND);
	expect_msg_has(&err, "agencies.csv");
	assert_int_equal(store_count(f->st, CTIP_COUNT_PROVINCES), 0);
	assert_int_equal(store_count(f->st, CTIP_COUNT_COMMUNES), 0);
	assert_int_equal(
		ctip_refdata_load(f->st, "/nonexistent/ctip-data", &err),
		CTIP_ENOTFOUND);
}

static void
refdata_missing_column_is_refused(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	const char *dir;

	dir = copy_data(f, "column", NULL);
	edit_line(dir, "countries.csv", 1, ",name_vi", ",name_local");
	assert_int_equal(ctip_refdata_load(f->st, dir, &err), CTIP_EINVAL);
	expect_msg_has(&err, "countries.csv: no column \"name_vi\"");
}

static void
refdata_refuses_counts_the_law_does_not_fix(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	const char *dir;

	dir = copy_data(f, "ethnic", NULL);
	edit_line(dir, "ethnic-groups.csv", 55, NULL, NULL);
	assert_int_equal(ctip_refdata_load(f->st, dir, &err), CTIP_EINVAL);
	assert_string_equal(err.msg, "ethnic groups: expected 54, found 53");
	assert_int_equal(store_count(f->st, CTIP_COUNT_PROVINCES), 0);
	dir = copy_data(f, "communes", NULL);
	edit_line(dir, "admin-units.csv", 3356, NULL, NULL);
	assert_int_equal(ctip_refdata_load(f->st, dir, &err), CTIP_EINVAL);
	assert_string_equal(err.msg, "admin units: expected 34 provinces and "
				     "3321 communes, found 34 and 3320");
}

/* --- persons and events --- */

/* Expect in to be refused with CTIP_EINVAL naming field. */
static void
expect_bad_person(struct db_fixture *f, const struct ctip_person_input *in,
		  const char *field)
{
	struct ctip_err err = { 0 };
	int64_t id = 0;

	assert_int_equal(ctip_person_create(&id, f->st, &f->kr, in, NOW, &err),
			 CTIP_EINVAL);
	if (strcmp(err.field, field) != 0)
		fail_msg("expected field %s, got %s (%s)", field, err.field,
			 err.msg);
	assert_int_equal(err.code, CTIP_EINVAL);
	assert_int_equal(id, 0);
}

static void
person_create_stores_a_valid_person(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_person_input p = person_dao();
	struct ctip_err err = { 0 };
	int64_t id = 0;

	p.owner_unit_id = unit_at(f, "POLICE", "00004");
	assert_int_equal(ctip_person_create(&id, f->st, &f->kr, &p, NOW, &err),
			 CTIP_OK);
	assert_true(id > 0);
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 1);
	/* The birth year is taken from the birth date. */
	assert_string_equal(
		raw_text(&f->arena, f->db,
			 "SELECT birth_year FROM person WHERE id = ?1",
			 id_text(f, id)),
		"1999");
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT created_at = updated_at AND "
				     "created_at = '" NOW
				     "' FROM person WHERE id = ?1",
				     id_text(f, id)),
			    "1");
}

static void
person_create_names_each_bad_field(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_person_input p, good = person_dao();
	char long_name[1024];
	int i;

	good.owner_unit_id = unit_at(f, "POLICE", "00004");
#define BAD(member, value, want)                                               \
	do {                                                                   \
		p = good;                                                      \
		p.member = value;                                              \
		expect_bad_person(f, &p, want);                                \
	} while (0)
	BAD(full_name, NULL, "full_name");
	BAD(full_name, "", "full_name");
	BAD(full_name, "Nguy\xe1\xbb", "full_name");
	BAD(full_name, " - . ,", "full_name");
	BAD(role, "witness", "role");
	BAD(role, NULL, "role");
	BAD(role, "accompanying_minor", "accompanies_id");
	BAD(accompanies_id, 1, "accompanies_id");
	BAD(sex, "X", "sex");
	BAD(sex, "f", "sex");
	BAD(citizenship, "alien", "citizenship");
	BAD(birth_date, "2099-01-01", "birth_date");
	BAD(birth_date, "2026-01-03", "birth_date");
	BAD(birth_date, "2023-02-29", "birth_date");
	BAD(birth_date, "1999-5-1", "birth_date");
	p = good;
	p.birth_date = NULL;
	p.birth_year = 1800;
	expect_bad_person(f, &p, "birth_year");
	p.birth_year = 2027;
	expect_bad_person(f, &p, "birth_year");
	/* A date and a year that disagree: which is right? */
	p.birth_date = "1996-04-02";
	p.birth_year = 1995;
	expect_bad_person(f, &p, "birth_year");
	BAD(province_code, NULL, "province");
	BAD(province_code, "1", "province");
	BAD(province_code, "03", "province");
	BAD(commune_code, "0004", "commune");
	BAD(commune_code, "99999", "commune");
	BAD(ethnicity_code, "99", "ethnicity");
	BAD(nationality, "XX", "nationality");
	BAD(citizen_id, "00119901234", "citizen_id");
	BAD(citizen_id, "0011990123456", "citizen_id");
	BAD(citizen_id, "00119901234x", "citizen_id");
	BAD(phone, "0912 abc 678", "phone");
	BAD(phone, "1234567", "phone");
	BAD(phone, "0123456789012345", "phone");
	BAD(address, "Thôn \xff", "address");
#undef BAD
	for (i = 0; i < 201; i++)
		long_name[i] = 'a';
	long_name[201] = '\0';
	p = good;
	p.full_name = long_name;
	expect_bad_person(f, &p, "full_name");
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 0);

	/* The limits themselves are allowed. */
	long_name[200] = '\0';
	p = good;
	p.full_name = long_name;
	p.birth_date = "2026-01-02";
	p.phone = "12345678";
	p.commune_code = NULL;
	p.ethnicity_code = NULL;
	p.nationality = NULL;
	p.citizen_id = NULL;
	p.address = NULL;
	{
		struct ctip_err err = { 0 };
		int64_t id = 0;

		assert_int_equal(
			ctip_person_create(&id, f->st, &f->kr, &p, NOW, &err),
			CTIP_OK);
	}
}

static void
person_commune_must_lie_in_its_province(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_person_input p = person_dao();

	p.owner_unit_id = unit_at(f, "POLICE", "00004");
	p.province_code = "79"; /* Ba Đình is in Hà Nội (01) */
	expect_bad_person(f, &p, "commune");
	p.commune_code = "01"; /* a province is no commune */
	expect_bad_person(f, &p, "commune");
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 0);
}

static void
person_identity_is_sealed_in_the_database_file(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_person_input p = person_dao();
	struct ctip_err err = { 0 };
	unsigned char bidx[CTIP_BLIND_BYTES];
	const unsigned char *blob;
	char out[256], wal[256];
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int64_t id = 0;

	p.owner_unit_id = unit_at(f, "POLICE", "00004");
	assert_int_equal(ctip_person_create(&id, f->st, &f->kr, &p, NOW, &err),
			 CTIP_OK);
	f->st->ops->close(f->st);
	f->st = NULL;
	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	/* Closing checkpoints the WAL into the file itself. */
	assert_false(file_exists(wal));
	assert_false(file_contains(f->db, "Nguyễn Thị Đào"));
	assert_false(file_contains(f->db, "Thị Đào"));
	assert_false(file_contains(f->db, "001199012345"));
	assert_false(file_contains(f->db, "0912345678"));
	assert_false(file_contains(f->db, "912-345"));
	assert_false(file_contains(f->db, "Xóm Quýt"));
	/* Not even the diacritic-free search form of the name. */
	assert_false(file_contains(f->db, "nguyen thi dao"));
	assert_false(file_contains(f->db, "thi dao"));

	/* ...and the key file opens them again. */
	assert_int_equal(
		sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT name_enc, citizen_id_enc, "
					    "phone_enc, citizen_id_bidx, "
					    "phone_bidx, address_enc FROM "
					    "person",
					    -1, &q, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	blob = sqlite3_column_blob(q, 0);
	assert_int_equal(ctip_open(out, &f->kr, "person.name", blob,
				   (size_t)sqlite3_column_bytes(q, 0)),
			 (long)strlen("Nguyễn Thị Đào"));
	assert_string_equal(out, "Nguyễn Thị Đào");
	/* Each field is bound to its own name. */
	assert_int_equal(ctip_open(out, &f->kr, "person.address", blob,
				   (size_t)sqlite3_column_bytes(q, 0)),
			 -1);
	blob = sqlite3_column_blob(q, 1);
	assert_int_equal(ctip_open(out, &f->kr, "person.citizen_id", blob,
				   (size_t)sqlite3_column_bytes(q, 1)),
			 12);
	assert_string_equal(out, "001199012345");
	blob = sqlite3_column_blob(q, 2);
	assert_true(ctip_open(out, &f->kr, "person.phone", blob,
			      (size_t)sqlite3_column_bytes(q, 2)) > 0);
	assert_string_equal(out, "0912345678");
	ctip_blind(bidx, &f->kr, "citizen_id", "001199012345");
	assert_int_equal(sqlite3_column_bytes(q, 3), CTIP_BLIND_BYTES);
	assert_memory_equal(sqlite3_column_blob(q, 3), bidx, CTIP_BLIND_BYTES);
	ctip_blind(bidx, &f->kr, "phone", "0912345678");
	assert_memory_equal(sqlite3_column_blob(q, 4), bidx, CTIP_BLIND_BYTES);
	blob = sqlite3_column_blob(q, 5);
	assert_true(ctip_open(out, &f->kr, "person.address", blob,
			      (size_t)sqlite3_column_bytes(q, 5)) > 0);
	assert_string_equal(out, "Xóm Quýt, ngõ 7");
	sqlite3_finalize(q);
	/* Each word of the name finds the person through its blind token,
	 * written with or without diacritics. */
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT person_id FROM "
					    "person_name_token WHERE token = "
					    "?1",
					    -1, &q, NULL),
			 SQLITE_OK);
	ctip_blind(bidx, &f->kr, "name_token", "dao");
	sqlite3_bind_blob(q, 1, bidx, CTIP_BLIND_BYTES, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(q, 0), id);
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*) FROM "
					    "person_name_token",
					    -1, &q, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 3);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static void
accompanying_minor_needs_an_existing_adult(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_person_input adult = person_dao(), child;
	struct ctip_err err = { 0 };
	int64_t a = 0, c = 0;

	adult.owner_unit_id = unit_at(f, "POLICE", "00004");
	assert_int_equal(
		ctip_person_create(&a, f->st, &f->kr, &adult, NOW, &err),
		CTIP_OK);
	child = adult;
	child.role = "accompanying_minor";
	child.full_name = "Nguyễn Văn An";
	child.birth_date = "2018-02-03";
	child.citizen_id = NULL;
	child.phone = NULL;
	child.accompanies_id = a + 1000;
	assert_int_equal(
		ctip_person_create(&c, f->st, &f->kr, &child, NOW, &err),
		CTIP_EINVAL);
	child.accompanies_id = a;
	assert_int_equal(
		ctip_person_create(&c, f->st, &f->kr, &child, NOW, &err),
		CTIP_OK);
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 2);
}

static struct ctip_event_input
good_event(void)
{
	struct ctip_event_input ev;

	memset(&ev, 0, sizeof(ev));
	ev.abroad = true;
	ev.destination_country = "CN";
	ev.recruitment_means = "broker";
	ev.recruited_on = "2024-01-10";
	ev.discovery = "rescued";
	ev.discovered_on = "2024-03-01";
	ev.purposes[0] = "SEX.PROSTITUTION";
	ev.purposes[1] = "OTHER.FORCED_MARRIAGE";
	ev.n_purposes = 2;
	return ev;
}

static void
event_create_names_each_bad_field(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_person_input p = person_dao();
	struct ctip_event_input ev, good = good_event();
	struct ctip_err err = { 0 };
	int64_t person = 0, id = 0;

	p.owner_unit_id = unit_at(f, "POLICE", "00004");
	assert_int_equal(
		ctip_person_create(&person, f->st, &f->kr, &p, NOW, &err),
		CTIP_OK);
#define BAD(member, value, want)                                               \
	do {                                                                   \
		ev = good;                                                     \
		ev.member = value;                                             \
		assert_int_equal(ctip_event_create(&id, f->st, person, "01",   \
						   &ev, NOW, 0, &err),         \
				 CTIP_EINVAL);                                 \
		assert_string_equal(err.field, want);                          \
	} while (0)
	BAD(discovery, "escaped", "discovery");
	BAD(discovery, NULL, "discovery");
	BAD(discovered_on, NULL, "discovered_on");
	BAD(discovered_on, "2026-01-03", "discovered_on");
	BAD(discovered_on, "2024-13-01", "discovered_on");
	BAD(recruited_on, "2024-03-02", "recruited_on");
	BAD(recruitment_means, "magic", "recruitment_means");
	BAD(destination_country, NULL, "destination");
	BAD(destination_country, "ZZ", "destination");
	/* abroad and destination must agree (VN is the domestic one). */
	BAD(destination_country, "VN", "destination");
	good.abroad = false;
	BAD(destination_country, "CN", "destination");
	good.abroad = true;
	BAD(n_purposes, 0, "purposes");
	BAD(n_purposes, CTIP_PURPOSES_MAX + 1, "purposes");
	BAD(purposes[1], "NO.SUCH", "purposes");
#undef BAD
	assert_int_equal(store_count(f->st, CTIP_COUNT_EVENTS), 0);

	ev = good;
	assert_int_equal(
		ctip_event_create(&id, f->st, person, "01", &ev, NOW, 0, &err),
		CTIP_OK);
	ev.abroad = false;
	ev.destination_country = "VN";
	assert_int_equal(
		ctip_event_create(&id, f->st, person, "01", &ev, NOW, 0, &err),
		CTIP_OK);
	ev.destination_country = NULL;
	ev.recruited_on = ev.discovered_on; /* the same day is allowed */
	assert_int_equal(
		ctip_event_create(&id, f->st, person, "01", &ev, NOW, 0, &err),
		CTIP_OK);
	assert_int_equal(store_count(f->st, CTIP_COUNT_EVENTS), 3);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT count(*) FROM event_purpose "
				     "WHERE event_id = ?1",
				     id_text(f, id)),
			    "2");
}

static void
phone_numbers_are_normalised(void **state)
{
	char out[24];

	(void)state;
	assert_true(ctip_phone_normalize(out, "+84 912-345 678"));
	assert_string_equal(out, "0912345678");
	assert_true(ctip_phone_normalize(out, "0912.345.678"));
	assert_string_equal(out, "0912345678");
	assert_true(ctip_phone_normalize(out, "(024) 3825 1234"));
	assert_string_equal(out, "02438251234");
	assert_true(ctip_phone_normalize(out, "+86 10 1234 5678"));
	assert_string_equal(out, "861012345678");
	assert_true(ctip_phone_normalize(out, "123456789012345"));
	assert_false(ctip_phone_normalize(out, "1234567890123456"));
	assert_false(ctip_phone_normalize(out, "1234567"));
	assert_false(ctip_phone_normalize(out, ""));
	assert_false(ctip_phone_normalize(out, "+84"));
	assert_false(ctip_phone_normalize(out, "0912 345 678 ext 9"));
	assert_false(ctip_phone_normalize(out, "09123+45678"));
}

static void
dates_are_checked_against_the_calendar(void **state)
{
	char now[24];

	(void)state;
	assert_true(ctip_date_valid("2024-02-29"));
	assert_true(ctip_date_valid("2000-02-29"));
	assert_false(ctip_date_valid("2023-02-29"));
	assert_false(ctip_date_valid("1900-02-29"));
	assert_true(ctip_date_valid("1900-01-01"));
	assert_true(ctip_date_valid("2100-12-31"));
	assert_false(ctip_date_valid("1899-12-31"));
	assert_false(ctip_date_valid("2101-01-01"));
	assert_false(ctip_date_valid("2024-04-31"));
	assert_false(ctip_date_valid("2024-00-10"));
	assert_false(ctip_date_valid("2024-01-00"));
	assert_false(ctip_date_valid("2024-1-01"));
	assert_false(ctip_date_valid("2024/01/01"));
	assert_false(ctip_date_valid("2024-01-01T00:00"));
	assert_false(ctip_date_valid("２024-01-01"));
	assert_false(ctip_date_valid(""));
	ctip_now(now);
	assert_int_equal(strlen(now), 20);
	assert_int_equal(now[10], 'T');
	assert_int_equal(now[19], 'Z');
	now[10] = '\0';
	assert_true(ctip_date_valid(now));
}

/* --- org units --- */

static void
org_units_are_named_after_their_place(void **state)
{
	struct db_fixture *f = *state;
	static const char name_sql[] =
		"SELECT name FROM org_unit WHERE id = ?1";
	struct ctip_err err = { 0 };
	int64_t id = 0, again = 0;

	assert_int_equal(
		ctip_org_ensure(&id, f->st, "POLICE", "00004", NOW, &err),
		CTIP_OK);
	assert_string_equal(
		raw_text(&f->arena, f->db, name_sql, id_text(f, id)),
		"Công an phường Ba Đình");
	assert_int_equal(
		ctip_org_ensure(&again, f->st, "POLICE", "00004", NOW, &err),
		CTIP_OK);
	assert_int_equal(again, id);
	assert_int_equal(ctip_org_ensure(&id, f->st, "HEALTH", "01", NOW, &err),
			 CTIP_OK);
	assert_string_equal(
		raw_text(&f->arena, f->db, name_sql, id_text(f, id)),
		"Sở Y tế Hà Nội");
	assert_int_equal(ctip_org_ensure(&id, f->st, "POLICE", "01", NOW, &err),
			 CTIP_OK);
	assert_string_equal(
		raw_text(&f->arena, f->db, name_sql, id_text(f, id)),
		"Công an Thành phố Hà Nội");
	assert_int_equal(ctip_org_ensure(&id, f->st, "POLICE", "VN", NOW, &err),
			 CTIP_OK);
	assert_string_equal(
		raw_text(&f->arena, f->db, name_sql, id_text(f, id)),
		"Bộ Công an");
	/* The type is lowered when it starts with a capital Đ, too. */
	assert_int_equal(
		ctip_org_ensure(&id, f->st, "POLICE", "06994", NOW, &err),
		CTIP_OK);
	assert_string_equal(
		raw_text(&f->arena, f->db, name_sql, id_text(f, id)),
		"Công an đặc khu Vân Đồn");
	assert_int_equal(store_count(f->st, CTIP_COUNT_ORG_UNITS), 5);
}

static void
org_ensure_refuses_unknown_agencies_and_places(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	int64_t id = 0;

	assert_int_equal(ctip_org_ensure(&id, f->st, "MAFIA", "01", NOW, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "agency");
	assert_int_equal(ctip_org_ensure(&id, f->st, "POLICE", "99", NOW, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "admin_code");
	/* An administrator adds units only at the levels agencies.csv gives
	 * the agency: the national hotline 111 is national, a People's
	 * Committee is not. */
	assert_int_equal(
		ctip_org_add(&id, f->st, "HOTLINE_111", "01", NOW, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "agency");
	assert_string_equal(err.msg,
			    "agency: HOTLINE_111 has no unit at the province "
			    "level");
	assert_int_equal(
		ctip_org_add(&id, f->st, "PEOPLES_COMMITTEE", "VN", NOW, &err),
		CTIP_EINVAL);
	assert_int_equal(
		ctip_org_add(&id, f->st, "PROCURACY", "00004", NOW, &err),
		CTIP_EINVAL);
	assert_int_equal(store_count(f->st, CTIP_COUNT_ORG_UNITS), 0);
	assert_int_equal(
		ctip_org_add(&id, f->st, "HOTLINE_111", "VN", NOW, &err),
		CTIP_OK);
	assert_int_equal(ctip_org_add(&id, f->st, "PEOPLES_COMMITTEE", "00004",
				      NOW, &err),
			 CTIP_OK);
	/* Unknown codes are named as by ctip_org_ensure. */
	assert_int_equal(ctip_org_add(&id, f->st, "MAFIA", "01", NOW, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "agency");
	assert_string_equal(err.msg, "agency: unknown code \"MAFIA\"");
	assert_int_equal(ctip_org_add(&id, f->st, "POLICE", "99", NOW, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "admin_code");
	/* Plans name units as their documents do. */
	assert_int_equal(
		ctip_org_ensure(&id, f->st, "COAST_GUARD", "01", NOW, &err),
		CTIP_OK);
}

static void
org_cache_returns_the_same_unit_and_checks_codes(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_org_cache c;
	struct ctip_err err = { 0 };
	int64_t a = 0, b = 0, p = 0;

	ctip_org_cache_init(&c, "POLICE");
	assert_int_equal(ctip_org_for_place(&a, &c, f->st, "00004", NOW, &err),
			 CTIP_OK);
	assert_int_equal(ctip_org_for_place(&b, &c, f->st, "00004", NOW, &err),
			 CTIP_OK);
	assert_int_equal(a, b);
	assert_int_equal(ctip_org_for_place(&p, &c, f->st, "01", NOW, &err),
			 CTIP_OK);
	assert_true(p != a);
	assert_int_equal(ctip_org_for_place(&p, &c, f->st, "1a", NOW, &err),
			 CTIP_EINVAL);
	assert_int_equal(ctip_org_for_place(&p, &c, f->st, "123", NOW, &err),
			 CTIP_EINVAL);
	assert_int_equal(ctip_org_for_place(&p, &c, f->st, "", NOW, &err),
			 CTIP_EINVAL);
	assert_int_equal(ctip_org_for_place(&p, &c, f->st, "99999", NOW, &err),
			 CTIP_EINVAL);
	assert_int_equal(store_count(f->st, CTIP_COUNT_ORG_UNITS), 2);
	ctip_org_cache_free(&c);
}

/* --- accounts --- */

static const char *const auditor[] = { "auditor", NULL };

static void
expect_bad_user(struct db_fixture *f, const char *username, const char *display,
		const char *password, const char *const *roles,
		const char *field)
{
	struct ctip_err err = { 0 };
	int64_t id = 0;

	assert_int_equal(ctip_user_create(&id, f->st, username, display,
					  unit_at(f, "POLICE", "VN"), password,
					  roles, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, field);
}

static void
user_create_names_each_bad_field(void **state)
{
	struct db_fixture *f = *state;
	static const char *const none[] = { NULL };
	static const char *const root[] = { "auditor", "root", NULL };
	static const char *const twice[] = { "auditor", "auditor", NULL };
	const char *pw = "correct horse battery";
	char long_user[80], long_pw[160];

	memset(long_user, 'a', 65);
	long_user[65] = '\0';
	memset(long_pw, 'p', 129);
	long_pw[129] = '\0';
	expect_bad_user(f, "ab", "An", pw, auditor, "username");
	expect_bad_user(f, "Admin", "An", pw, auditor, "username");
	expect_bad_user(f, "an nguyen", "An", pw, auditor, "username");
	expect_bad_user(f, "nguyễn", "An", pw, auditor, "username");
	expect_bad_user(f, long_user, "An", pw, auditor, "username");
	expect_bad_user(f, "an.nguyen", "", pw, auditor, "display_name");
	expect_bad_user(f, "an.nguyen", "An\xff", pw, auditor, "display_name");
	expect_bad_user(f, "an.nguyen", "An", pw, none, "roles");
	expect_bad_user(f, "an.nguyen", "An", pw, root, "roles");
	expect_bad_user(f, "an.nguyen", "An", pw, twice, "roles");
	expect_bad_user(f, "an.nguyen", "An", "eleven char", auditor,
			"password");
	expect_bad_user(f, "an.nguyen", "An", long_pw, auditor, "password");
	assert_int_equal(store_count(f->st, CTIP_COUNT_USERS), 0);
}

static void
user_create_stores_a_verifiable_password_hash(void **state)
{
	struct db_fixture *f = *state;
	static const char *const roles[] = { "case_worker", "supervisor",
					     NULL };
	struct ctip_err err = { 0 };
	int64_t id = 0;
	char *hash;

	assert_int_equal(ctip_user_create(&id, f->st, "an.nguyen-2",
					  "Nguyễn Văn An",
					  unit_at(f, "POLICE", "01"),
					  "twelve chars", roles, &err),
			 CTIP_OK);
	hash = raw_text(&f->arena, f->db,
			"SELECT password_hash FROM app_user WHERE id = ?1",
			id_text(f, id));
	assert_non_null(hash);
	assert_null(strstr(hash, "twelve"));
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_int_equal(crypto_pwhash_str_verify(hash, "twelve chars", 12), 0);
	assert_int_not_equal(crypto_pwhash_str_verify(hash, "twelve charz", 12),
			     0);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT group_concat(role, ',') FROM "
				     "(SELECT role FROM user_role WHERE "
				     "user_id = ?1 ORDER BY role)",
				     id_text(f, id)),
			    "case_worker,supervisor");
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT must_change_password FROM "
				     "app_user WHERE id = ?1",
				     id_text(f, id)),
			    "1");
}

static void
user_create_refuses_a_taken_username(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	int64_t unit = unit_at(f, "POLICE", "VN"), id = 0;

	assert_int_equal(ctip_user_create(&id, f->st, "admin", "Admin", unit,
					  "long enough pw", auditor, &err),
			 CTIP_OK);
	assert_int_equal(ctip_user_create(&id, f->st, "admin", "Admin 2", unit,
					  "long enough pw", auditor, &err),
			 CTIP_EEXIST);
	assert_string_equal(err.field, "username");
	assert_int_equal(store_count(f->st, CTIP_COUNT_USERS), 1);
}

static void
generated_passwords_avoid_look_alikes(void **state)
{
	char a[CTIP_PASSWORD_GEN_LEN + 1], b[CTIP_PASSWORD_GEN_LEN + 1];
	int i, k;

	(void)state;
	ctip_password_generate(b);
	for (k = 0; k < 50; k++) {
		ctip_password_generate(a);
		assert_int_equal(strlen(a), CTIP_PASSWORD_GEN_LEN);
		assert_string_not_equal(a, b);
		for (i = 0; i < CTIP_PASSWORD_GEN_LEN; i++) {
			assert_null(strchr("0O1lI", a[i]));
			assert_non_null(strchr(
				"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRST"
				"UVWXYZ23456789",
				a[i]));
		}
	}
}

/* --- synthetic data --- */

/* The first n records of seed as CSV lines. */
static void
synth_csv(struct db_fixture *f, struct ctip_buf *b, uint64_t seed, int n,
	  long *n_events)
{
	struct ctip_synth_record *r = calloc(1, sizeof(*r));
	struct ctip_commune *communes = NULL;
	struct ctip_err err = { 0 };
	struct ctip_synth g;
	int n_communes = 0, i;

	assert_non_null(r);
	assert_int_equal(f->st->ops->communes(&communes, &n_communes, f->st,
					      &f->arena, &err),
			 CTIP_OK);
	assert_int_equal(n_communes, 3321);
	ctip_synth_init(&g, seed, communes, n_communes);
	assert_int_equal(ctip_buf_printf(b, "%s\n", ctip_import_header),
			 CTIP_OK);
	*n_events = 0;
	for (i = 0; i < n; i++) {
		ctip_synth_next(&g, r);
		assert_int_equal(ctip_synth_csv(b, r), CTIP_OK);
		*n_events += r->has_event;
	}
	free(r);
}

static void
synth_same_seed_gives_the_same_records(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_buf a, b, c;
	long ev_a, ev_b, ev_c;

	ctip_buf_init(&a, 16 << 20);
	ctip_buf_init(&b, 16 << 20);
	ctip_buf_init(&c, 16 << 20);
	synth_csv(f, &a, 42, 300, &ev_a);
	synth_csv(f, &b, 42, 300, &ev_b);
	synth_csv(f, &c, 43, 300, &ev_c);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_int_equal(ev_a, ev_b);
	assert_true(a.len != c.len || memcmp(a.data, c.data, a.len) != 0);
	ctip_buf_free(&a);
	ctip_buf_free(&b);
	ctip_buf_free(&c);
}

static void
synth_records_are_consistent(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_synth_record *r = calloc(1, sizeof(*r));
	struct ctip_commune *communes = NULL;
	struct ctip_err err = { 0 };
	struct ctip_synth g;
	char prev_ref[16] = "", prev_commune[8] = "";
	char today[24];
	int n_communes = 0, i, j, minors = 0;

	assert_non_null(r);
	ctip_now(today);
	today[10] = '\0';
	assert_int_equal(f->st->ops->communes(&communes, &n_communes, f->st,
					      &f->arena, &err),
			 CTIP_OK);
	ctip_synth_init(&g, 7, communes, n_communes);
	for (i = 0; i < 3000; i++) {
		ctip_synth_next(&g, r);
		assert_non_null(r->p.full_name);
		if (r->accompanies_ref[0] != '\0') {
			minors++;
			assert_string_equal(r->p.role, "accompanying_minor");
			assert_string_equal(r->accompanies_ref, prev_ref);
			assert_string_equal(r->p.commune_code, prev_commune);
			assert_false(r->has_event);
		} else {
			assert_true(r->has_event);
			assert_true(ctip_date_valid(r->ev.discovered_on));
			assert_true(strcmp(r->ev.discovered_on, today) <= 0);
		}
		if (r->p.birth_date != NULL)
			assert_true(ctip_date_valid(r->p.birth_date));
		if (r->p.citizen_id != NULL)
			assert_int_equal(strlen(r->p.citizen_id), 12);
		for (j = 0; j < n_communes; j++)
			if (strcmp(communes[j].code, r->p.commune_code) == 0)
				break;
		assert_true(j < n_communes);
		assert_string_equal(communes[j].province_code,
				    r->p.province_code);
		snprintf(prev_ref, sizeof(prev_ref), "%s", r->ref);
		snprintf(prev_commune, sizeof(prev_commune), "%s",
			 r->p.commune_code);
	}
	/* One adult in twenty brings a child. */
	assert_true(minors > 50 && minors < 300);
	free(r);
}

static void
synth_below_stays_in_range_and_covers_it(void **state)
{
	struct ctip_synth g;
	bool seen[7] = { false };
	uint32_t v;
	int i;

	(void)state;
	ctip_synth_init(&g, 99, NULL, 0);
	for (i = 0; i < 10000; i++) {
		v = ctip_synth_below(&g, 7);
		assert_true(v < 7);
		seen[v] = true;
		assert_int_equal(ctip_synth_below(&g, 1), 0);
		assert_true(ctip_synth_below(&g, 3321) < 3321);
	}
	for (i = 0; i < 7; i++)
		assert_true(seen[i]);
}

static void
synth_dataset_imports_cleanly(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_import_stats s;
	struct ctip_err err = { 0 };
	struct ctip_buf b;
	long n_events;

	ctip_buf_init(&b, 16 << 20);
	synth_csv(f, &b, 2026, 600, &n_events);
	if (ctip_import_persons(&s, f->st, &f->kr, b.data, b.len, "POLICE",
				true, &err) != CTIP_OK)
		fail_msg("import: %s", err.msg);
	assert_int_equal(s.persons, 600);
	assert_int_equal(s.events, n_events);
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 600);
	assert_int_equal(store_count(f->st, CTIP_COUNT_EVENTS), n_events);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT count(*) FROM person WHERE "
				     "is_demo = ?1",
				     "1"),
			    "600");
	ctip_buf_free(&b);
}

/* --- CSV import --- */

static const char row_adult[] =
	"P1,,victim,Nguyễn Thị Đào,F,1999-05-01,,01,VN,vn_citizen,"
	"001199012345,+84 912 345 678,\"Thôn 5, xã Yên Bình\",01,00004,1,CN,"
	"SEX.PROSTITUTION;OTHER.FORCED_MARRIAGE,broker,2024-01-10,rescued,"
	"2024-03-01,\n";
static const char row_minor[] =
	"P2,P1,accompanying_minor,Nguyễn Văn An,M,,2015,01,VN,vn_citizen,,,,"
	"01,00004,,,,,,,,\n";
static const char row_other[] =
	"P3,,under_identification,Giàng Thị Mỷ,F,,1990,12,VN,vn_citizen,,,,"
	"79,25747,0,,LABOUR.DOMESTIC,relative,,reported,2025-06-01,\n";

static enum ctip_status
import_text(struct db_fixture *f, const char *text, struct ctip_import_stats *s,
	    struct ctip_err *err)
{
	return ctip_import_persons(s, f->st, &f->kr, text, strlen(text),
				   "POLICE", false, err);
}

/* The header and up to three rows (NULL for fewer). */
static char *
csv_of(struct db_fixture *f, const char *a, const char *b, const char *c)
{
	return ctip_arena_printf(&f->arena, "%s\n%s%s%s", ctip_import_header,
				 a ? a : "", b ? b : "", c ? c : "");
}

static void
import_creates_persons_events_and_their_units(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_import_stats s;
	struct ctip_err err = { 0 };

	assert_int_equal(import_text(f,
				     csv_of(f, row_adult, row_minor, row_other),
				     &s, &err),
			 CTIP_OK);
	assert_int_equal(s.persons, 3);
	assert_int_equal(s.events, 2);
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 3);
	assert_int_equal(store_count(f->st, CTIP_COUNT_EVENTS), 2);
	/* Owned by the commune police of Ba Đình and of Thủ Dầu Một. */
	assert_int_equal(store_count(f->st, CTIP_COUNT_ORG_UNITS), 2);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT accompanies_id FROM person "
				     "WHERE role = 'accompanying_minor'",
				     NULL),
			    raw_text(&f->arena, f->db,
				     "SELECT min(id) FROM person WHERE role "
				     "<> 'accompanying_minor'",
				     NULL));
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT count(*) FROM event_purpose",
				     NULL),
			    "3");
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT count(*) FROM person WHERE "
				     "is_demo = ?1",
				     "0"),
			    "3");
}

/* The index definitions of persons and events, as one string. */
static const char indexes[] =
	"SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master "
	"WHERE type = 'index' AND tbl_name IN ('person', 'trafficking_event') "
	"ORDER BY name)";

static void
import_with_a_bad_third_row_imports_nothing(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_import_stats s;
	struct ctip_err err = { 0 };
	char bad[sizeof(row_other)];
	char *before = raw_text(&f->arena, f->db, indexes, NULL);

	memcpy(bad, row_other, sizeof(bad));
	bad[strlen("P3,,under_identification,Giàng Thị Mỷ,")] = 'X';
	assert_int_equal(
		import_text(f, csv_of(f, row_adult, row_minor, bad), &s, &err),
		CTIP_EINVAL);
	/* The first load dropped the secondary indexes in its transaction:
	 * the rollback brought every one back. */
	assert_non_null(before);
	assert_string_equal(raw_text(&f->arena, f->db, indexes, NULL), before);
	assert_string_equal(err.msg, "line 4: sex: must be F, M or U");
	assert_string_equal(err.field, "sex");
	assert_int_equal(s.persons, 0);
	assert_int_equal(s.events, 0);
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 0);
	assert_int_equal(store_count(f->st, CTIP_COUNT_EVENTS), 0);
	assert_int_equal(store_count(f->st, CTIP_COUNT_ORG_UNITS), 0);
}

static void
a_first_load_builds_the_indexes_again(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_import_stats s;
	struct ctip_err err = { 0 };
	char *before = raw_text(&f->arena, f->db, indexes, NULL);

	assert_non_null(strstr(before, "person_received"));
	assert_int_equal(import_text(f,
				     csv_of(f, row_adult, row_minor, row_other),
				     &s, &err),
			 CTIP_OK);
	assert_string_equal(raw_text(&f->arena, f->db, indexes, NULL), before);
	/* And they hold the rows loaded while they were away. */
	assert_int_equal(raw_long(f->db,
				  "SELECT count(*) FROM person INDEXED BY "
				  "person_commune WHERE commune_code IS NOT "
				  "NULL",
				  NULL),
			 raw_long(f->db,
				  "SELECT count(*) FROM person WHERE "
				  "commune_code IS NOT NULL",
				  NULL));
}

static void
import_names_a_multi_line_row_by_its_first_line(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_import_stats s;
	struct ctip_err err = { 0 };
	const char *text = csv_of(
		f, row_adult,
		"P3,,victim,Lò Thị Ly,Q,,1990,01,VN,vn_citizen,,,\"Bản Na\n"
		"xã Mường\",01,00004,,,,,,,,\n",
		NULL);

	assert_int_equal(import_text(f, text, &s, &err), CTIP_EINVAL);
	assert_string_equal(err.msg, "line 3: sex: must be F, M or U");
}

static void
import_refuses_unknown_and_later_accompanies_refs(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_import_stats s;
	struct ctip_err err = { 0 };

	assert_int_equal(import_text(f,
				     csv_of(f, row_adult,
					    "P2,P9,accompanying_minor,"
					    "Nguyễn Văn An,M,,2015,01,VN,"
					    "vn_citizen,,,,01,00004,,,,,,,,\n",
					    NULL),
				     &s, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "accompanies_ref");
	expect_msg_has(&err, "line 3: accompanies_ref:");
	/* The adult must come first. */
	assert_int_equal(
		import_text(f, csv_of(f, row_minor, row_adult, NULL), &s, &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "accompanies_ref");
	expect_msg_has(&err, "line 2:");
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 0);
}

static void
import_refuses_a_ref_used_twice(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_import_stats s;
	struct ctip_err err = { 0 };

	assert_int_equal(
		import_text(f, csv_of(f, row_adult, row_adult, NULL), &s, &err),
		CTIP_EINVAL);
	assert_string_equal(err.msg, "line 3: ref: \"P1\" appears twice");
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 0);
}

static void
import_checksum_depends_on_the_input_only(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_import_stats a, b, c;
	struct ctip_err err = { 0 };
	char *text = csv_of(f, row_adult, row_minor, NULL);

	assert_int_equal(import_text(f, text, &a, &err), CTIP_OK);
	/* The refs are per file: the same file imports again. */
	assert_int_equal(import_text(f, text, &b, &err), CTIP_OK);
	assert_true(a.checksum == b.checksum);
	assert_true(a.checksum != CTIP_FNV_INIT);
	text = csv_of(f, row_adult, row_other, NULL);
	assert_int_equal(import_text(f, text, &c, &err), CTIP_OK);
	assert_true(c.checksum != a.checksum);
	assert_int_equal(store_count(f->st, CTIP_COUNT_PERSONS), 6);
	/* Field boundaries count: "ab"+"c" is not "a"+"bc". */
	assert_true(ctip_fnv_add(ctip_fnv_add(CTIP_FNV_INIT, "ab"), "c") !=
		    ctip_fnv_add(ctip_fnv_add(CTIP_FNV_INIT, "a"), "bc"));
}

static void
import_refuses_a_bad_header_or_an_empty_file(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_import_stats s;
	struct ctip_err err = { 0 };

	assert_int_equal(import_text(f, "", &s, &err), CTIP_EINVAL);
	assert_string_equal(err.msg, "empty file: no header line");
	assert_int_equal(
		import_text(f, "ref,role,full_name\nP1,victim,X\n", &s, &err),
		CTIP_EINVAL);
	assert_string_equal(err.msg, "header: no column \"accompanies_ref\"");
	/* A header alone imports nothing, successfully. */
	assert_int_equal(import_text(f, ctip_import_header, &s, &err), CTIP_OK);
	assert_int_equal(s.persons, 0);
}

/* --- ctip init --- */

struct init_paths {
	char db[160], key[160], data[160];
};

static struct ctip_init_opts
init_opts(struct db_fixture *f, struct init_paths *p)
{
	struct ctip_init_opts o;

	snprintf(p->db, sizeof(p->db), "%s/var/new.db", f->dir);
	snprintf(p->key, sizeof(p->key), "%s/var/new.key", f->dir);
	snprintf(p->data, sizeof(p->data), "%s", CTIP_TEST_DATA);
	memset(&o, 0, sizeof(o));
	o.db_path = p->db;
	o.key_path = p->key;
	o.data_dir = p->data;
	o.admin = "admin";
	return o;
}

static void
expect_no_db_files(const char *db)
{
	char side[200];

	assert_false(file_exists(db));
	snprintf(side, sizeof(side), "%s-wal", db);
	assert_false(file_exists(side));
	snprintf(side, sizeof(side), "%s-shm", db);
	assert_false(file_exists(side));
}

static void
setup_init_creates_a_database_a_private_key_and_an_admin(void **state)
{
	struct db_fixture *f = *state;
	struct init_paths p;
	struct ctip_init_opts o = init_opts(f, &p);
	struct ctip_init_result r;
	struct ctip_keyring kr;
	struct ctip_store *st = NULL;
	struct ctip_err err = { 0 };
	long users = 0, units = 0, persons = -1;
	char *hash;

	if (ctip_setup_init(&r, &o, &err) != CTIP_OK)
		fail_msg("init: %s", err.msg);
	assert_true(r.key_created);
	assert_int_equal(strlen(r.admin_password), CTIP_PASSWORD_GEN_LEN);
	assert_int_equal(r.ref.provinces, 34);
	assert_int_equal(r.ref.communes, 3321);
	assert_int_equal(r.demo.persons, 0);
	assert_int_equal(file_mode(p.key), 0600);
	assert_int_equal(file_mode(p.db), 0600);
	assert_int_equal(ctip_keyring_load(&kr, p.key, &err), CTIP_OK);
	ctip_keyring_wipe(&kr);

	assert_int_equal(ctip_store_open(&st, p.db, CTIP_OPEN_EXISTING, &err),
			 CTIP_OK);
	assert_int_equal(st->ops->count(&users, st, CTIP_COUNT_USERS, &err),
			 CTIP_OK);
	assert_int_equal(st->ops->count(&units, st, CTIP_COUNT_ORG_UNITS, &err),
			 CTIP_OK);
	assert_int_equal(st->ops->count(&persons, st, CTIP_COUNT_PERSONS, &err),
			 CTIP_OK);
	st->ops->close(st);
	assert_int_equal(users, 1);
	assert_int_equal(units, 1);
	assert_int_equal(persons, 0);
	/* The one-time password is the admin's. */
	snprintf(f->db, sizeof(f->db), "%s", p.db);
	hash = raw_text(&f->arena, f->db,
			"SELECT password_hash FROM app_user JOIN user_role "
			"ON user_id = app_user.id WHERE username = 'admin' "
			"AND role = 'administrator'",
			NULL);
	assert_non_null(hash);
	assert_int_equal(crypto_pwhash_str_verify(hash, r.admin_password,
						  strlen(r.admin_password)),
			 0);
}

static void
setup_init_refuses_an_existing_database(void **state)
{
	struct db_fixture *f = *state;
	struct init_paths p;
	struct ctip_init_opts o = init_opts(f, &p);
	struct ctip_init_result r;
	struct ctip_err err = { 0 };
	char *before, *after;
	size_t n_before, n_after;

	assert_int_equal(ctip_setup_init(&r, &o, &err), CTIP_OK);
	before = file_get(p.key, &n_before);
	assert_int_equal(ctip_setup_init(&r, &o, &err), CTIP_EEXIST);
	expect_msg_has(&err, "already exists");
	/* Neither file was touched. */
	assert_true(file_exists(p.db));
	after = file_get(p.key, &n_after);
	assert_non_null(before);
	assert_non_null(after);
	assert_int_equal(n_before, n_after);
	assert_memory_equal(before, after, n_before);
	free(before);
	free(after);
}

static void
setup_init_that_fails_leaves_no_files_behind(void **state)
{
	struct db_fixture *f = *state;
	struct init_paths p;
	struct ctip_init_opts o = init_opts(f, &p);
	struct ctip_init_result r;
	struct ctip_err err = { 0 };

	snprintf(p.data, sizeof(p.data), "%s/no-data", f->dir);
	assert_int_equal(ctip_setup_init(&r, &o, &err), CTIP_ENOTFOUND);
	expect_msg_has(&err, "admin-units.csv");
	expect_no_db_files(p.db);
	assert_false(file_exists(p.key));
	assert_string_equal(r.admin_password, "");

	/* A bad admin name fails after the reference data is in. */
	snprintf(p.data, sizeof(p.data), "%s", CTIP_TEST_DATA);
	o.admin = "Not Valid";
	assert_int_equal(ctip_setup_init(&r, &o, &err), CTIP_EINVAL);
	assert_string_equal(err.field, "username");
	expect_no_db_files(p.db);
	assert_false(file_exists(p.key));
}

static void
setup_init_keeps_a_key_file_it_did_not_create(void **state)
{
	struct db_fixture *f = *state;
	struct init_paths p;
	struct ctip_init_opts o = init_opts(f, &p);
	struct ctip_init_result r;
	struct ctip_err err = { 0 };

	o.key_path = f->key; /* made by the fixture */
	snprintf(p.data, sizeof(p.data), "%s/no-data", f->dir);
	assert_int_equal(ctip_setup_init(&r, &o, &err), CTIP_ENOTFOUND);
	assert_true(file_exists(f->key));
	expect_no_db_files(p.db);

	snprintf(p.data, sizeof(p.data), "%s", CTIP_TEST_DATA);
	assert_int_equal(ctip_setup_init(&r, &o, &err), CTIP_OK);
	assert_false(r.key_created);
}

static void
setup_init_with_demo_data_imports_it(void **state)
{
	struct db_fixture *f = *state;
	struct init_paths p;
	struct ctip_init_opts o = init_opts(f, &p);
	struct ctip_init_result r;
	struct ctip_err err = { 0 };

	o.demo_persons = 40;
	o.demo_seed = 1;
	if (ctip_setup_init(&r, &o, &err) != CTIP_OK)
		fail_msg("init: %s", err.msg);
	assert_int_equal(r.demo.persons, 40);
	assert_true(r.demo.events > 30 && r.demo.events <= 40);
	snprintf(f->db, sizeof(f->db), "%s", p.db);
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT value FROM meta WHERE key = "
				     "'demo_persons'",
				     NULL),
			    "40");
	assert_string_equal(raw_text(&f->arena, f->db,
				     "SELECT count(*) FROM person WHERE "
				     "is_demo = ?1",
				     "1"),
			    "40");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		LOADED(refdata_load_fills_the_tables_the_law_fixes),
		LOADED(refdata_load_twice_is_idempotent),
		LOADED(refdata_bad_row_changes_nothing_and_names_file_and_line),
		EMPTY(refdata_entitled_must_be_yes_or_no),
		EMPTY(refdata_short_row_is_refused_not_read_past),
		EMPTY(refdata_bad_integer_names_the_column),
		EMPTY(refdata_missing_file_is_notfound),
		EMPTY(refdata_missing_column_is_refused),
		EMPTY(refdata_refuses_counts_the_law_does_not_fix),
		LOADED(person_create_stores_a_valid_person),
		LOADED(person_create_names_each_bad_field),
		LOADED(person_commune_must_lie_in_its_province),
		LOADED(person_identity_is_sealed_in_the_database_file),
		LOADED(accompanying_minor_needs_an_existing_adult),
		LOADED(event_create_names_each_bad_field),
		cmocka_unit_test(phone_numbers_are_normalised),
		cmocka_unit_test(dates_are_checked_against_the_calendar),
		LOADED(org_units_are_named_after_their_place),
		LOADED(org_ensure_refuses_unknown_agencies_and_places),
		LOADED(org_cache_returns_the_same_unit_and_checks_codes),
		LOADED(user_create_names_each_bad_field),
		LOADED(user_create_stores_a_verifiable_password_hash),
		LOADED(user_create_refuses_a_taken_username),
		cmocka_unit_test(generated_passwords_avoid_look_alikes),
		LOADED(synth_same_seed_gives_the_same_records),
		LOADED(synth_records_are_consistent),
		cmocka_unit_test(synth_below_stays_in_range_and_covers_it),
		LOADED(synth_dataset_imports_cleanly),
		LOADED(import_creates_persons_events_and_their_units),
		LOADED(import_with_a_bad_third_row_imports_nothing),
		LOADED(a_first_load_builds_the_indexes_again),
		LOADED(import_names_a_multi_line_row_by_its_first_line),
		LOADED(import_refuses_unknown_and_later_accompanies_refs),
		LOADED(import_refuses_a_ref_used_twice),
		LOADED(import_checksum_depends_on_the_input_only),
		LOADED(import_refuses_a_bad_header_or_an_empty_file),
		EMPTY(setup_init_creates_a_database_a_private_key_and_an_admin),
		EMPTY(setup_init_refuses_an_existing_database),
		EMPTY(setup_init_that_fails_leaves_no_files_behind),
		EMPTY(setup_init_keeps_a_key_file_it_did_not_create),
		EMPTY(setup_init_with_demo_data_imports_it),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
