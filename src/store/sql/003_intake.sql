-- 003_intake: tips and reports (intakes), with the legal clock of the
-- Criminal Procedure Code Art. 147 for denunciations, crime reports and
-- prosecution recommendations.

CREATE TABLE intake (
	id INTEGER PRIMARY KEY,
	owner_unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	province_code TEXT NOT NULL REFERENCES admin_unit (code),
	commune_code TEXT REFERENCES admin_unit (code),
	received_at TEXT NOT NULL,
	channel TEXT NOT NULL REFERENCES intake_channel (code),
	language TEXT NOT NULL,
	-- The reporter is protected like a victim: sealed, blind-indexed.
	reporter_anonymous INTEGER NOT NULL CHECK (reporter_anonymous = 0
		OR reporter_anonymous = 1),
	reporter_name_enc BLOB,
	reporter_phone_enc BLOB,
	reporter_phone_bidx BLOB,
	summary_enc BLOB NOT NULL,
	classification TEXT CHECK (classification = 'trafficking_tip'
		OR classification = 'victim_help' OR classification =
		'information' OR classification = 'other'),
	purpose_code TEXT REFERENCES purpose (code),
	urgency TEXT NOT NULL CHECK (urgency = 'low' OR urgency = 'normal'
		OR urgency = 'high' OR urgency = 'critical'),
	status TEXT NOT NULL CHECK (status = 'received' OR status =
		'classified' OR status = 'resolved'),
	classified_at TEXT,
	classified_by INTEGER REFERENCES app_user (id),
	-- The legal clock: NULL deadline when it does not apply.
	deadline TEXT,
	extension TEXT NOT NULL DEFAULT 'none' CHECK (extension = 'none'
		OR extension = 'complex' OR extension = 'procuracy'),
	decision TEXT CHECK (decision = 'initiate' OR decision =
		'not_initiate' OR decision = 'suspend'),
	decision_note_enc BLOB,
	decided_at TEXT,
	decided_by INTEGER REFERENCES app_user (id),
	resolution_enc BLOB,
	resolved_at TEXT,
	resolved_by INTEGER REFERENCES app_user (id),
	idempotency_key TEXT,
	created_at TEXT NOT NULL,
	created_by INTEGER NOT NULL REFERENCES app_user (id),
	updated_at TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	UNIQUE (created_by, idempotency_key)
);
CREATE INDEX intake_owner ON intake (owner_unit_id, status, deadline);
CREATE INDEX intake_place ON intake (province_code, received_at);
CREATE INDEX intake_reporter_phone ON intake (reporter_phone_bidx);

-- Phones and names mentioned in an intake: sealed, with a blind index
-- for repeat contacts.
CREATE TABLE intake_mention (
	intake_id INTEGER NOT NULL REFERENCES intake (id),
	kind TEXT NOT NULL CHECK (kind = 'phone' OR kind = 'name'),
	seq INTEGER NOT NULL,
	value_enc BLOB NOT NULL,
	bidx BLOB NOT NULL,
	PRIMARY KEY (intake_id, kind, seq)
);
CREATE INDEX intake_mention_bidx ON intake_mention (bidx);

-- Persons registered from an intake: the link both ways.
CREATE TABLE intake_person (
	intake_id INTEGER NOT NULL REFERENCES intake (id),
	person_id INTEGER NOT NULL REFERENCES person (id),
	PRIMARY KEY (intake_id, person_id)
) WITHOUT ROWID;
CREATE INDEX intake_person_person ON intake_person (person_id);
