-- 010_plans: plan implementation tracking (issue 7). A plan is issued by
-- an org unit; its tasks sit in numbered sections, each with lead and
-- coordinating units and a timing; a lower level's plan copies tasks of
-- the upper plan it implements (source_task_id); the units responsible
-- report progress per reporting period, with evidence.

CREATE TABLE plan (
	id INTEGER PRIMARY KEY,
	org_unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	admin_code TEXT NOT NULL REFERENCES admin_unit (code),
	province_code TEXT REFERENCES admin_unit (code),
	number TEXT,
	title TEXT NOT NULL,
	issued_on TEXT NOT NULL,
	legal_basis TEXT,
	parent_plan_id INTEGER REFERENCES plan (id),
	period_from TEXT NOT NULL,
	period_to TEXT NOT NULL,
	created_by INTEGER NOT NULL REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	CHECK (period_to >= period_from)
);
CREATE INDEX plan_place ON plan (admin_code, issued_on);
CREATE INDEX plan_province ON plan (province_code, issued_on);
CREATE INDEX plan_parent ON plan (parent_plan_id);

-- Sections as numbered in the document ("III", "1", "2.1"), nested.
CREATE TABLE plan_section (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES plan (id),
	parent_id INTEGER REFERENCES plan_section (id),
	seq INTEGER NOT NULL,
	number TEXT NOT NULL,
	title TEXT NOT NULL
);
CREATE INDEX plan_section_plan ON plan_section (plan_id, seq);

-- A task. timing: once (due_on), continuous, yearly (from/to month-day
-- each year, e.g. the 1/7-30/9 peak or the 30/7 campaign), half_year and
-- year (the reporting periods).
CREATE TABLE plan_task (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES plan (id),
	section_id INTEGER REFERENCES plan_section (id),
	seq INTEGER NOT NULL,
	number TEXT NOT NULL,
	text TEXT NOT NULL,
	expected_output TEXT,
	timing TEXT NOT NULL CHECK (timing = 'once' OR timing = 'continuous'
		OR timing = 'yearly' OR timing = 'half_year' OR
		timing = 'year'),
	due_on TEXT,
	month_day_from TEXT,
	month_day_to TEXT,
	source_task_id INTEGER REFERENCES plan_task (id),
	CHECK ((timing = 'once') = (due_on IS NOT NULL)),
	CHECK ((timing = 'yearly') = (month_day_to IS NOT NULL))
);
CREATE INDEX plan_task_plan ON plan_task (plan_id, seq);
CREATE INDEX plan_task_source ON plan_task (source_task_id);

-- Who leads and who coordinates a task: an org unit, or (all_units) the
-- collective "các sở, ban, ngành, địa phương"; phrase as in the document.
CREATE TABLE plan_task_unit (
	id INTEGER PRIMARY KEY,
	task_id INTEGER NOT NULL REFERENCES plan_task (id),
	role TEXT NOT NULL CHECK (role = 'lead' OR role = 'coordinate'),
	org_unit_id INTEGER REFERENCES org_unit (id),
	all_units INTEGER NOT NULL DEFAULT 0 CHECK (all_units IN (0, 1)),
	phrase TEXT,
	CHECK ((org_unit_id IS NULL) = (all_units = 1))
);
CREATE INDEX plan_task_unit_task ON plan_task_unit (task_id);
CREATE INDEX plan_task_unit_unit ON plan_task_unit (org_unit_id, task_id);

-- A unit's progress on a task for a reporting period (2026-H1, 2026).
CREATE TABLE task_progress (
	id INTEGER PRIMARY KEY,
	task_id INTEGER NOT NULL REFERENCES plan_task (id),
	org_unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	period TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status = 'not_started' OR
		status = 'in_progress' OR status = 'done' OR
		status = 'cannot_do'),
	reason TEXT,
	evidence TEXT,
	reported_by INTEGER NOT NULL REFERENCES app_user (id),
	reported_at TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	CHECK (status <> 'cannot_do' OR reason IS NOT NULL),
	UNIQUE (task_id, org_unit_id, period)
);
CREATE INDEX task_progress_unit ON task_progress (org_unit_id, period);

-- Evidence: reports linked to a progress entry.
CREATE TABLE task_progress_report (
	progress_id INTEGER NOT NULL REFERENCES task_progress (id),
	report_id INTEGER NOT NULL REFERENCES report (id),
	PRIMARY KEY (progress_id, report_id)
);

-- An activity is recorded once; linked to the task it carries out, it
-- counts in that task's progress as well as in the statistics.
ALTER TABLE activity ADD COLUMN plan_task_id INTEGER REFERENCES plan_task (id);
CREATE INDEX activity_task ON activity (plan_task_id);

-- How plans name agencies (data/plan-agency-aliases.csv), for reading a
-- plan document: "Công an tỉnh" is POLICE; agency ALL is the collective
-- "các sở, ban, ngành, địa phương". Reference data.
CREATE TABLE plan_agency_alias (
	alias TEXT PRIMARY KEY,
	agency TEXT NOT NULL
);
