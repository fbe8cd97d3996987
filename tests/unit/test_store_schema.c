/* test_store_schema.c: the migrations as shipped (frozen), the repair of
 * the databases of development builds, and the schema check. */
#include "store/migrations.h"
#include "store/store.h"
#include "util/crypto.h"

#include "helpers.h"

#include <sodium.h>
#include <time.h>

/* The SHA-256 of every shipped migration file, as shipped. */
static const struct {
	const char *file;
	const char *sha256;
} shipped[] = {
	{ "001_foundation.sql",
	  "37ba0b518357a913ac00f716cda177b359b3adfe81adb58ff0b986d56af15974" },
	{ "002_access.sql",
	  "8574b5250341c8430c013887a80fc6a188e0fabd50efcbcea19ea7e71aa338c1" },
	{ "003_intake.sql",
	  "5cd3e38918b4d8e7283ae5dc587f7b0490278f8c4d95d0bcac7272a22116b558" },
	{ "004_referral.sql",
	  "ecd12c0b8be7643f5aaaf56cfcd15a2683511634baa559a6808cd05c045a47bc" },
	{ "005_case.sql",
	  "bfcbe62876b60c69c379180590e4f6e0ffd822e94b165d635df8a288276c1808" },
	{ "006_casework.sql",
	  "0bb34e35e2a2e5a2f85098be7ff99c79c75207bd561d978506d23af5e0afbd05" },
	{ "007_case.sql",
	  "a6d5adbafc2f24bfbf146991773a64a401a65aa47a149081a7b6b2d3e59b00d5" },
	{ "008_stats.sql",
	  "994470e97366136ca6d1db40fa2bf7099f5b61b963cfbbff74ddbc9f255c6a6d" },
	{ "009_reports.sql",
	  "2cf8a0214d7d2f07171ca64579612cfcc543e3e03576149109c845172bbb00e4" },
	{ "010_plans.sql",
	  "bad86990087f6d50c48e743a7b2ed7d857d22b448c9b6b9fcd49e87f4aec92a3" },
	{ "011_stats_events.sql",
	  "3a683a3de519030b1b778c0796d8e57efe3970503dc2f5e7e255ac62e6a91a5c" },
	{ "012_report_versions.sql",
	  "6a75f83c93b4fd71c67903b2df4cba68bec0bffd027cded73ce398277b75ce64" },
	{ "013_drop_follow_up_due.sql",
	  "e0d5ca6b7f2f28bb913c981e27e04c6ab030cc4897fc29e5171a48d178780c78" },
	{ "014_dev_build_repair.sql",
	  "37c923e58a5a41f337f2b371309c3fa5c3816b4c4b2b6c0e8e6390f7d2fe5a6a" },
};

#define FROZEN_RULE                                                            \
	"shipped migrations are never edited: a database that applied the "    \
	"old text never gets the change (docs/internals/storage.md); add "     \
	"a new migration instead, and its hash here"

static void
sha256_hex(char out[65], const void *data, size_t n)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t i;

	crypto_hash_sha256(h, data, n);
	for (i = 0; i < sizeof(h); i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void
shipped_migrations_are_never_edited(void **state)
{
	char path[512], hex[65];
	size_t i, n;
	char *text;

	(void)state;
	if ((size_t)ctip_n_migrations != CTIP_NELEM(shipped))
		fail_msg("%d migrations compiled in, %zu frozen here: a new "
			 "migration's hash belongs in shipped[] (" FROZEN_RULE
			 ")",
			 ctip_n_migrations, CTIP_NELEM(shipped));
	for (i = 0; i < CTIP_NELEM(shipped); i++) {
		snprintf(path, sizeof(path), "%s/src/store/sql/%s",
			 CTIP_SRC_DIR, shipped[i].file);
		text = file_get(path, &n);
		if (text == NULL)
			fail_msg("could not read %s", path);
		sha256_hex(hex, text, n);
		if (strcmp(hex, shipped[i].sha256) != 0)
			fail_msg("%s was edited (sha256 %s, shipped %s): "
				 "" FROZEN_RULE,
				 shipped[i].file, hex, shipped[i].sha256);
		/* What the binary runs is the file. */
		assert_int_equal(ctip_migrations[i].version, (int)i + 1);
		assert_int_equal(strlen(ctip_migrations[i].sql), n);
		assert_memory_equal(ctip_migrations[i].sql, text, n);
		free(text);
	}
}

/* --- databases of development builds, made from a fresh one --- */

/* The fixture's store closed, sql run on the file, and the store opened
 * again (the version lowered by sql makes migrate run again). */
static void
mutate(struct db_fixture *f, const char *sql)
{
	struct ctip_err err = { 0 };

	f->st->ops->close(f->st);
	f->st = NULL;
	if (raw_exec(f->db, sql) != SQLITE_OK)
		fail_msg("could not mutate the database: %s", sql);
	assert_int_equal(
		ctip_store_open(&f->st, f->db, CTIP_OPEN_EXISTING, &err),
		CTIP_OK);
	f->ax.st = f->st;
}

static int
migrate(struct db_fixture *f, struct ctip_err *err)
{
	int applied = -1, rc;

	rc = f->st->ops->migrate(&applied, f->st, err);
	if (rc == CTIP_OK)
		assert_int_equal(applied, 1);
	return rc;
}

static void
migrate_ok(struct db_fixture *f)
{
	struct ctip_err err = { 0 };

	if (migrate(f, &err) != CTIP_OK)
		fail_msg("migrate: %s", err.msg);
	if (f->st->ops->schema_check(f->st, &err) != CTIP_OK)
		fail_msg("schema_check: %s", err.msg);
}

static long
count(struct db_fixture *f, const char *sql)
{
	return raw_long(f->db, sql, NULL);
}

/* Rows in the tables the repair rebuilds: grants, plans and their units. */
static const char rows_sql[] =
	"INSERT INTO org_unit (id, agency_code, admin_code, name, created_at) "
	"VALUES (1, 'POLICE', 'VN', 'P', '" NOW "'); "
	"INSERT INTO access_grant (object_type, object_id, unit_id, "
	"granted_at) SELECT 'person', n, 1, '" NOW "' FROM (SELECT 1 AS n "
	"UNION SELECT 2 UNION SELECT 3); "
	"INSERT INTO app_user (id, username, display_name, org_unit_id, "
	"password_hash, created_at, updated_at) VALUES (7, 'u', 'U', 1, 'x', "
	"'" NOW "', '" NOW "'); "
	"INSERT INTO plan (id, org_unit_id, admin_code, title, issued_on, "
	"period_from, period_to, created_by, created_at, updated_at) VALUES "
	"(1, 1, 'VN', 'KH', '2026-01-05', '2026-01-01', '2026-12-31', 7, '" NOW
	"', '" NOW "'); "
	"INSERT INTO plan_task (id, plan_id, seq, number, text, timing) "
	"VALUES (1, 1, 1, '1', 'T', 'continuous');";

static int
setup(void **state)
{
	struct db_fixture *f;
	int rc = db_setup(state, true);

	f = *state;
	if (rc == 0 && raw_exec(f->db, rows_sql) != SQLITE_OK)
		return -1;
	return rc;
}

static void
a_fresh_database_has_ctip_schema(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	int applied = -1;

	assert_int_equal(f->st->ops->schema_check(f->st, &err), CTIP_OK);
	assert_int_equal(f->st->ops->migrate(&applied, f->st, &err), CTIP_OK);
	assert_int_equal(applied, 0);
}

/* 65b0f8e, b16aa4e and 7a43485 made 003_intake without intake_person. */
static void
migrate_adds_intake_person_to_a_database_without_it(void **state)
{
	struct db_fixture *f = *state;

	mutate(f, "DROP TABLE intake_person; "
		  "DELETE FROM schema_migration WHERE version >= 14");
	migrate_ok(f);
	assert_int_equal(count(f, "SELECT count(*) FROM sqlite_master WHERE "
				  "name = 'intake_person_person'"),
			 1);
	assert_int_equal(count(f, "SELECT count(*) FROM access_grant"), 3);
}

/* c990c71 to 65b0f8e made access_grant for persons only. */
static void
migrate_rebuilds_access_grant_of_the_old_check_with_its_rows(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };

	mutate(f, "CREATE TABLE old (object_type TEXT NOT NULL CHECK "
		  "(object_type = 'person'), object_id INTEGER NOT NULL, "
		  "unit_id INTEGER NOT NULL REFERENCES org_unit (id), "
		  "granted_at TEXT NOT NULL, granted_by INTEGER REFERENCES "
		  "app_user (id), PRIMARY KEY (object_type, object_id, "
		  "unit_id)); INSERT INTO old SELECT * FROM access_grant; "
		  "DROP TABLE access_grant; "
		  "ALTER TABLE old RENAME TO access_grant; "
		  "CREATE INDEX access_grant_unit ON access_grant (unit_id, "
		  "object_type, object_id); "
		  "DELETE FROM schema_migration WHERE version >= 14");
	assert_int_not_equal(raw_exec(f->db, "INSERT INTO access_grant VALUES "
					     "('intake', 1, 1, 'x', NULL)"),
			     SQLITE_OK);
	migrate_ok(f);
	assert_int_equal(count(f, "SELECT count(*) FROM access_grant WHERE "
				  "object_type = 'person'"),
			 3);
	assert_int_equal(
		f->st->ops->access_grant(f->st, "intake", 1, 1, 0, NOW, &err),
		CTIP_OK);
}

/* 2cf1e4c to 0113051 made plan_task_unit without its id. */
static void
migrate_gives_plan_task_unit_its_rowids_as_ids(void **state)
{
	struct db_fixture *f = *state;

	mutate(f, "CREATE TABLE old (task_id INTEGER NOT NULL REFERENCES "
		  "plan_task (id), role TEXT NOT NULL CHECK (role = 'lead' OR "
		  "role = 'coordinate'), org_unit_id INTEGER REFERENCES "
		  "org_unit (id), all_units INTEGER NOT NULL DEFAULT 0 CHECK "
		  "(all_units IN (0, 1)), phrase TEXT, CHECK ((org_unit_id IS "
		  "NULL) = (all_units = 1))); DROP TABLE plan_task_unit; "
		  "ALTER TABLE old RENAME TO plan_task_unit; "
		  "CREATE INDEX plan_task_unit_task ON plan_task_unit "
		  "(task_id); CREATE INDEX plan_task_unit_unit ON "
		  "plan_task_unit (org_unit_id, task_id); "
		  "INSERT INTO plan_task_unit VALUES (1, 'lead', 1, 0, 'a'); "
		  "INSERT INTO plan_task_unit VALUES (1, 'coordinate', NULL, "
		  "1, 'b'); INSERT INTO plan_task_unit VALUES (1, "
		  "'coordinate', 1, 0, 'c'); "
		  "DELETE FROM plan_task_unit WHERE phrase = 'a'; "
		  "DELETE FROM schema_migration WHERE version >= 14");
	migrate_ok(f);
	assert_int_equal(count(f, "SELECT count(*) FROM plan_task_unit"), 2);
	assert_int_equal(count(f, "SELECT id FROM plan_task_unit WHERE "
				  "phrase = 'b'"),
			 2);
	assert_int_equal(count(f, "SELECT id FROM plan_task_unit WHERE "
				  "phrase = 'c'"),
			 3);
}

/* A schema no repair knows is refused by migrate, which changes nothing,
 * and by the check, naming what differs. */
static void
migrate_refuses_a_schema_that_is_not_ctips_and_changes_nothing(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	int v = 0;

	mutate(f, "ALTER TABLE person ADD COLUMN nickname TEXT; "
		  "DROP TABLE intake_person; "
		  "DELETE FROM schema_migration WHERE version >= 14");
	assert_int_equal(migrate(f, &err), CTIP_ESTORE);
	assert_string_equal(err.msg, "schema is not ctip's: table person "
				     "differs from ctip's definition");
	assert_int_equal(f->st->ops->schema_version(&v, f->st, &err), CTIP_OK);
	assert_int_equal(v, ctip_n_migrations - 1);
	assert_int_equal(count(f, "SELECT count(*) FROM sqlite_master WHERE "
				  "name = 'intake_person'"),
			 0);
	mutate(f, "DROP INDEX plan_task_unit_task; CREATE TABLE x (a); "
		  "INSERT INTO schema_migration SELECT 14, 'x', 'x'");
	assert_int_equal(f->st->ops->schema_check(f->st, &err), CTIP_ESTORE);
	assert_string_equal(err.msg,
			    "schema is not ctip's: table intake_person is "
			    "missing (and 4 more differences)");
}

static void
a_migration_forgets_the_reference_data_digest(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	char *v;
	int applied = -1;

	assert_int_equal(
		f->st->ops->meta_set(f->st, "refdata_digest", "d", &err),
		CTIP_OK);
	assert_int_equal(f->st->ops->migrate(&applied, f->st, &err), CTIP_OK);
	assert_int_equal(f->st->ops->meta_get(&v, f->st, "refdata_digest",
					      &f->arena, &err),
			 CTIP_OK);
	mutate(f, "DELETE FROM schema_migration WHERE version >= 14");
	migrate_ok(f);
	assert_int_equal(f->st->ops->meta_get(&v, f->st, "refdata_digest",
					      &f->arena, &err),
			 CTIP_ENOTFOUND);
}

static void
the_schema_check_is_cheap(void **state)
{
	struct db_fixture *f = *state;
	struct ctip_err err = { 0 };
	struct timespec t0, t1;
	double ms;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 10; i++)
		assert_int_equal(f->st->ops->schema_check(f->st, &err),
				 CTIP_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	      (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) /
	     10;
	print_message("schema_check: %.2f ms\n", ms);
	/* Under ASan and UBSan; a release build is several times faster. */
	assert_true(ms < 500);
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, db_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_migrations_are_never_edited),
		T(a_fresh_database_has_ctip_schema),
		T(migrate_adds_intake_person_to_a_database_without_it),
		T(migrate_rebuilds_access_grant_of_the_old_check_with_its_rows),
		T(migrate_gives_plan_task_unit_its_rowids_as_ids),
		T(migrate_refuses_a_schema_that_is_not_ctips_and_changes_nothing),
		T(a_migration_forgets_the_reference_data_digest),
		T(the_schema_check_is_cheap),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
