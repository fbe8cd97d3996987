-- 005_case: criminal cases, starting with the lead opened from an intake
-- (issue 4); issue 5 follows a case from lead to verdict.

CREATE TABLE criminal_case (
	id INTEGER PRIMARY KEY,
	owner_unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	province_code TEXT NOT NULL REFERENCES admin_unit (code),
	stage TEXT NOT NULL CHECK (stage = 'lead' OR stage = 'initiated'
		OR stage = 'investigated' OR stage = 'solved'
		OR stage = 'indicted' OR stage = 'tried' OR stage = 'verdict'
		OR stage = 'suspended' OR stage = 'closed'),
	-- Penal Code article: 150 (trafficking), 151 (victim under 16),
	-- or another related article; NULL while unknown.
	article TEXT CHECK (article = '150' OR article = '151'
		OR article = 'other'),
	title_enc BLOB NOT NULL,
	created_at TEXT NOT NULL,
	created_by INTEGER NOT NULL REFERENCES app_user (id),
	updated_at TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX criminal_case_owner ON criminal_case (owner_unit_id, stage);
CREATE INDEX criminal_case_place ON criminal_case (province_code, created_at);

-- Intakes a case was opened from or linked to: the link both ways.
CREATE TABLE intake_case (
	intake_id INTEGER NOT NULL REFERENCES intake (id),
	case_id INTEGER NOT NULL REFERENCES criminal_case (id),
	PRIMARY KEY (intake_id, case_id)
) WITHOUT ROWID;
CREATE INDEX intake_case_case ON intake_case (case_id);
