-- 007_case: criminal cases from initiation to verdict: stages, offenders
-- and victims (issue 5). Free text and identity are sealed like a
-- person's.

-- The case number of the decision to initiate (quyết định khởi tố vụ
-- án), and the day each stage was first reached (yyyy-mm-dd): the KPIs
-- count cases initiated in a period by the stages they reached, whatever
-- stage they are at now (a case tried and then closed was tried).
-- stage_on: the day of the current stage; suspended_from: the stage a
-- suspended case resumes to.
ALTER TABLE criminal_case ADD COLUMN case_number TEXT;
ALTER TABLE criminal_case ADD COLUMN initiated_on TEXT;
ALTER TABLE criminal_case ADD COLUMN investigated_on TEXT;
ALTER TABLE criminal_case ADD COLUMN solved_on TEXT;
ALTER TABLE criminal_case ADD COLUMN indicted_on TEXT;
ALTER TABLE criminal_case ADD COLUMN tried_on TEXT;
ALTER TABLE criminal_case ADD COLUMN verdict_on TEXT;
ALTER TABLE criminal_case ADD COLUMN stage_on TEXT;
ALTER TABLE criminal_case ADD COLUMN suspended_from TEXT
	CHECK (suspended_from IS NULL OR suspended_from = 'lead'
		OR suspended_from = 'initiated'
		OR suspended_from = 'investigated'
		OR suspended_from = 'solved' OR suspended_from = 'indicted'
		OR suspended_from = 'tried');
-- One index per KPI scope (unit, province, nation), each leading to the
-- period and covering every column the KPI counts.
CREATE INDEX criminal_case_unit_kpi ON criminal_case (owner_unit_id,
	initiated_on, investigated_on, solved_on, indicted_on, tried_on,
	verdict_on, stage);
CREATE INDEX criminal_case_prov_kpi ON criminal_case (province_code,
	initiated_on, investigated_on, solved_on, indicted_on, tried_on,
	verdict_on, stage);
CREATE INDEX criminal_case_kpi ON criminal_case (initiated_on,
	investigated_on, solved_on, indicted_on, tried_on, verdict_on, stage);

-- Every stage change: from and to, the day it happened (on_date), by whom
-- and which unit, the reason or note (sealed).
CREATE TABLE case_stage (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES criminal_case (id),
	from_stage TEXT NOT NULL,
	-- A resumed case goes back to the stage it was suspended at.
	to_stage TEXT NOT NULL CHECK (to_stage = 'lead'
		OR to_stage = 'initiated' OR to_stage = 'investigated'
		OR to_stage = 'solved' OR to_stage = 'indicted'
		OR to_stage = 'tried' OR to_stage = 'verdict'
		OR to_stage = 'suspended' OR to_stage = 'closed'),
	on_date TEXT NOT NULL,
	unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	note_enc BLOB,
	created_at TEXT NOT NULL
);
CREATE INDEX case_stage_case ON case_stage (case_id, id);

-- Offenders (đối tượng) with their role in the crime. Name and citizen ID
-- are identity: sealed, with a blind index of the citizen ID to find the
-- same person in other cases.
CREATE TABLE case_offender (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES criminal_case (id),
	role TEXT NOT NULL CHECK (role = 'organiser' OR role = 'recruiter'
		OR role = 'broker' OR role = 'transporter' OR role = 'buyer'
		OR role = 'other'),
	sex TEXT NOT NULL CHECK (sex = 'F' OR sex = 'M' OR sex = 'U'),
	birth_year INTEGER,
	nationality TEXT REFERENCES country (alpha2),
	name_enc BLOB,
	citizen_id_enc BLOB,
	citizen_id_bidx BLOB,
	created_at TEXT NOT NULL,
	created_by INTEGER NOT NULL REFERENCES app_user (id)
);
CREATE INDEX case_offender_case ON case_offender (case_id, id);
CREATE INDEX case_offender_citizen_id ON case_offender (citizen_id_bidx);

-- Victims of a case: persons of the victim database.
CREATE TABLE case_person (
	case_id INTEGER NOT NULL REFERENCES criminal_case (id),
	person_id INTEGER NOT NULL REFERENCES person (id),
	linked_at TEXT NOT NULL,
	linked_by INTEGER NOT NULL REFERENCES app_user (id),
	PRIMARY KEY (case_id, person_id)
) WITHOUT ROWID;
CREATE INDEX case_person_person ON case_person (person_id, case_id);
