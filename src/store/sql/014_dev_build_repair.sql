-- 014_dev_build_repair: three migrations were edited after development
-- builds had applied them, and the runner applies a migration by its
-- number only, so databases made by those builds never got the change
-- (docs/internals/storage.md, Migrations). This brings them to the schema
-- the migrations make; on any other database it ends as it began. Shipped
-- migrations are never edited again: a change is a new migration.

-- 003_intake gained intake_person in 099b4a2 (databases of 65b0f8e,
-- b16aa4e and 7a43485 lack it). The text is 003's, so that the table reads
-- the same in sqlite_master whichever migration made it.
CREATE TABLE IF NOT EXISTS intake_person (
	intake_id INTEGER NOT NULL REFERENCES intake (id),
	person_id INTEGER NOT NULL REFERENCES person (id),
	PRIMARY KEY (intake_id, person_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS intake_person_person ON intake_person (person_id);

-- 002_access's access_grant gained object_type 'intake' in b16aa4e
-- (databases of c990c71 to 65b0f8e keep the old CHECK): rebuilt with
-- every row. Nothing references access_grant.
CREATE TABLE access_grant_014 (
	object_type TEXT NOT NULL CHECK (object_type = 'person'
		OR object_type = 'intake'),
	object_id INTEGER NOT NULL,
	unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	granted_at TEXT NOT NULL,
	granted_by INTEGER REFERENCES app_user (id),
	PRIMARY KEY (object_type, object_id, unit_id)
);
INSERT INTO access_grant_014 (object_type, object_id, unit_id, granted_at,
	granted_by)
	SELECT object_type, object_id, unit_id, granted_at, granted_by
	FROM access_grant;
DROP TABLE access_grant;
ALTER TABLE access_grant_014 RENAME TO access_grant;
CREATE INDEX access_grant_unit ON access_grant (unit_id, object_type,
	object_id);

-- 010_plans's plan_task_unit gained id in a1ad324 (databases of 2cf1e4c to
-- 0113051 lack it). The SQLite backend first gives such a table an id
-- column holding each row's rowid (sq_repair_dev_builds, in store_sqlite_schema.c),
-- which this common SQL cannot; the rebuild then makes it the key.
-- Nothing references plan_task_unit.
CREATE TABLE plan_task_unit_014 (
	id INTEGER PRIMARY KEY,
	task_id INTEGER NOT NULL REFERENCES plan_task (id),
	role TEXT NOT NULL CHECK (role = 'lead' OR role = 'coordinate'),
	org_unit_id INTEGER REFERENCES org_unit (id),
	all_units INTEGER NOT NULL DEFAULT 0 CHECK (all_units = 0
		OR all_units = 1),
	phrase TEXT,
	CHECK ((org_unit_id IS NULL) = (all_units = 1))
);
INSERT INTO plan_task_unit_014 (id, task_id, role, org_unit_id, all_units,
	phrase)
	SELECT id, task_id, role, org_unit_id, all_units, phrase
	FROM plan_task_unit;
DROP TABLE plan_task_unit;
ALTER TABLE plan_task_unit_014 RENAME TO plan_task_unit;
CREATE INDEX plan_task_unit_task ON plan_task_unit (task_id);
CREATE INDEX plan_task_unit_unit ON plan_task_unit (org_unit_id, task_id);
