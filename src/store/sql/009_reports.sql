-- 009_reports: activities, KPI rates, report forms, their deadlines and
-- the periodic reports with their submission workflow (issue 6).

-- The catalogue gains activity measures: the unit of count may now be
-- activities or participants, and the filter is a support type or an
-- activity kind (checked on load by core/stats.c, not by a key). The
-- catalogue is reference data, filled again by `ctip ref load`.
DROP TABLE indicator;
CREATE TABLE indicator (
	code TEXT PRIMARY KEY,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	counts TEXT NOT NULL CHECK (counts = 'persons' OR counts = 'intakes'
		OR counts = 'cases' OR counts = 'offenders'
		OR counts = 'services' OR counts = 'referrals'
		OR counts = 'activities' OR counts = 'participants'),
	measure TEXT NOT NULL,
	filter TEXT,
	dimensions TEXT NOT NULL
);

-- The programme's KPI rates (data/indicators/rates.csv): numerator over
-- denominator, two indicators of the catalogue counted over the same
-- place and period, against a target in percent.
CREATE TABLE kpi_rate (
	code TEXT PRIMARY KEY,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	numerator TEXT NOT NULL REFERENCES indicator (code),
	denominator TEXT NOT NULL REFERENCES indicator (code),
	target_percent INTEGER NOT NULL CHECK (target_percent BETWEEN 0 AND
		100),
	comparison TEXT NOT NULL CHECK (comparison = 'at_least' OR
		comparison = 'above'),
	legal_basis TEXT NOT NULL
);

-- Report forms (data/forms/forms.csv): who reports (level), over which
-- period type, by which deadlines, in which layout.
CREATE TABLE report_form (
	code TEXT PRIMARY KEY,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level = 'commune' OR level = 'province' OR
		level = 'nation'),
	period_type TEXT NOT NULL CHECK (period_type = 'quarter' OR
		period_type = 'half_year' OR period_type = 'year' OR
		period_type = 'peak'),
	deadlines TEXT NOT NULL,
	layout TEXT NOT NULL,
	legal_basis TEXT NOT NULL
);

-- The rows of a layout (data/forms/rows.csv), in order: an indicator or
-- a KPI rate, optionally split by one dimension.
CREATE TABLE form_row (
	layout TEXT NOT NULL,
	seq INTEGER NOT NULL,
	section_vi TEXT NOT NULL,
	section_en TEXT NOT NULL,
	label_no TEXT NOT NULL,
	label_vi TEXT NOT NULL,
	label_en TEXT NOT NULL,
	item TEXT NOT NULL,
	by_dim TEXT,
	PRIMARY KEY (layout, seq)
);

-- Validation rules (data/forms/rules.csv): left op right, two items
-- (indicators or rates) of the same report.
CREATE TABLE validation_rule (
	code TEXT PRIMARY KEY,
	left_item TEXT NOT NULL,
	op TEXT NOT NULL CHECK (op = '<=' OR op = '>=' OR op = '='),
	right_item TEXT NOT NULL,
	severity TEXT NOT NULL CHECK (severity = 'error' OR
		severity = 'warning'),
	message_vi TEXT NOT NULL,
	message_en TEXT NOT NULL
);

-- A province's own deadline for a province form's period (the programme
-- leaves provinces to set theirs): month-day, e.g. 06-18.
CREATE TABLE form_deadline (
	form_code TEXT NOT NULL REFERENCES report_form (code),
	province_code TEXT NOT NULL REFERENCES admin_unit (code),
	period_no INTEGER NOT NULL CHECK (period_no BETWEEN 1 AND 4),
	month_day TEXT NOT NULL,
	set_by INTEGER NOT NULL REFERENCES app_user (id),
	set_at TEXT NOT NULL,
	PRIMARY KEY (form_code, province_code, period_no)
);

-- An activity recorded once by a unit (communication campaign, training
-- course, inspection, peak crackdown operation): counted by the
-- statistics, and by plan progress (issue 7). Not identity data.
CREATE TABLE activity (
	id INTEGER PRIMARY KEY,
	org_unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	province_code TEXT REFERENCES admin_unit (code),
	commune_code TEXT REFERENCES admin_unit (code),
	kind TEXT NOT NULL CHECK (kind = 'communication' OR kind = 'training'
		OR kind = 'inspection' OR kind = 'operation'),
	title TEXT NOT NULL,
	started_on TEXT NOT NULL,
	ended_on TEXT NOT NULL,
	participants INTEGER NOT NULL CHECK (participants >= 0),
	note TEXT,
	created_by INTEGER NOT NULL REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	CHECK (ended_on >= started_on)
);
CREATE INDEX activity_day ON activity (started_on, kind);
CREATE INDEX activity_province ON activity (province_code, started_on);
CREATE INDEX activity_commune ON activity (commune_code, started_on);
CREATE INDEX activity_unit ON activity (org_unit_id, started_on);

-- A periodic report of a place (commune, province or VN) for a form and
-- a period ("2026-H1"). It exists from its first submission; before, the
-- draft is computed from the records each time. snapshot is the frozen
-- report (JSON, docs/formats/report-snapshot.md) of the last submission.
CREATE TABLE report (
	id INTEGER PRIMARY KEY,
	form_code TEXT NOT NULL REFERENCES report_form (code),
	period TEXT NOT NULL,
	place_code TEXT NOT NULL REFERENCES admin_unit (code),
	province_code TEXT REFERENCES admin_unit (code),
	status TEXT NOT NULL CHECK (status = 'submitted' OR
		status = 'approved' OR status = 'returned'),
	due_on TEXT NOT NULL,
	snapshot TEXT NOT NULL,
	note TEXT,
	first_submitted_at TEXT NOT NULL,
	submitted_at TEXT NOT NULL,
	submitted_by INTEGER NOT NULL REFERENCES app_user (id),
	submitted_unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	reviewed_at TEXT,
	reviewed_by INTEGER REFERENCES app_user (id),
	review_comment TEXT,
	version INTEGER NOT NULL DEFAULT 1,
	UNIQUE (form_code, period, place_code)
);
CREATE INDEX report_province ON report (form_code, period, province_code);

-- Every step of a report's workflow, for its history.
CREATE TABLE report_step (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES report (id),
	action TEXT NOT NULL CHECK (action = 'submit' OR action = 'approve'
		OR action = 'return'),
	at TEXT NOT NULL,
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	comment TEXT
);
CREATE INDEX report_step_report ON report_step (report_id, id);
