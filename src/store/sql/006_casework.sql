-- 006_casework: the process of a person from reception to reintegration
-- (Law 53/2024 Art. 27-37), consents, support services, protection
-- measures and follow-up visits. Free-text notes are sealed like identity.

-- The entitlement matrix gains where the person is (Art. 37.3 gives a
-- person under identification abroad less than one in Viet Nam). It is
-- reference data: `ctip ref load` (and `ctip init`) fill it again.
DROP TABLE support_entitlement;
CREATE TABLE support_entitlement (
	support_code TEXT NOT NULL REFERENCES support_type (code),
	person_role TEXT NOT NULL CHECK (person_role = 'victim'
		OR person_role = 'under_identification'
		OR person_role = 'accompanying_minor'),
	citizenship TEXT NOT NULL CHECK (citizenship = 'vn_citizen'
		OR citizenship = 'stateless_resident'
		OR citizenship = 'foreigner'),
	location TEXT NOT NULL CHECK (location = 'in_vn'
		OR location = 'abroad'),
	entitled INTEGER NOT NULL CHECK (entitled = 0 OR entitled = 1),
	legal_basis TEXT NOT NULL,
	note TEXT,
	PRIMARY KEY (support_code, person_role, citizenship, location)
);

-- Where a person stands in the process, and its dates: received_on (the
-- reception), verify_due (3 days later, Art. 27.3, for a person under
-- identification), identified_on (the decision; it also picks the support
-- regime: before 2025-07-01 the 2011 law's). birth_estimated: birth_year
-- comes from an estimated age. contacts_enc: other contacts, sealed.
ALTER TABLE person ADD COLUMN status TEXT NOT NULL DEFAULT 'received'
	CHECK (status = 'received' OR status = 'verifying'
		OR status = 'identified' OR status = 'not_victim'
		OR status = 'protection' OR status = 'support'
		OR status = 'reintegration' OR status = 'closed');
ALTER TABLE person ADD COLUMN received_on TEXT;
ALTER TABLE person ADD COLUMN verify_due TEXT;
ALTER TABLE person ADD COLUMN identified_on TEXT;
ALTER TABLE person ADD COLUMN birth_estimated INTEGER NOT NULL DEFAULT 0
	CHECK (birth_estimated = 0 OR birth_estimated = 1);
ALTER TABLE person ADD COLUMN contacts_enc BLOB;
CREATE INDEX person_status ON person (status, verify_due);
-- Persons registered before: received when registered, and a victim was
-- registered as identified (as registration does now). Their 3-day clock
-- is not started after the fact.
UPDATE person SET received_on = substr(created_at, 1, 10);
UPDATE person SET status = 'identified', identified_on = received_on
	WHERE role = 'victim';
CREATE INDEX person_accompanies ON person (accompanies_id);

-- Every step of the process: dated (on_date, the day it happened), by
-- whom and which unit, with the reason. An identification records the
-- evidence sources of Art. 32.1 (letters a..i, comma-separated) and the
-- confirming document.
CREATE TABLE person_step (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES person (id),
	step TEXT NOT NULL CHECK (step = 'receive' OR step = 'verify'
		OR step = 'identify' OR step = 'reject' OR step = 'protect'
		OR step = 'support' OR step = 'reintegrate' OR step = 'close'
		OR step = 'reopen'),
	from_status TEXT,
	to_status TEXT NOT NULL,
	on_date TEXT NOT NULL,
	unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	user_id INTEGER REFERENCES app_user (id),
	reason_enc BLOB,
	evidence TEXT,
	doc_type TEXT CHECK (doc_type = 'procedural_conclusion'
		OR doc_type = 'rescue_confirmation'
		OR doc_type = 'mission_confirmation'
		OR doc_type = 'return_certificate'
		OR doc_type = 'foreign_confirmation'
		OR doc_type = 'police_confirmation' OR doc_type = 'other'),
	doc_issuer TEXT,
	doc_number_enc BLOB,
	doc_date TEXT,
	created_at TEXT NOT NULL,
	CHECK ((step = 'identify') = (evidence IS NOT NULL))
);
CREATE INDEX person_step_person ON person_step (person_id, id);

-- Consent to processing and sharing of the person's data, given by the
-- person or a legal representative (for a minor); withdrawn on a date.
CREATE TABLE consent (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES person (id),
	scope TEXT NOT NULL CHECK (scope = 'data_processing'
		OR scope = 'data_sharing' OR scope = 'contact_family'
		OR scope = 'media' OR scope = 'research'),
	given_by TEXT NOT NULL CHECK (given_by = 'self'
		OR given_by = 'representative'),
	representative_enc BLOB,
	given_on TEXT NOT NULL,
	withdrawn_on TEXT,
	withdrawal_enc BLOB,
	unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	CHECK ((given_by = 'representative') = (representative_enc IS NOT NULL))
);
CREATE INDEX consent_person ON consent (person_id);

-- The support ledger: one service given. regime: the law whose amounts
-- and limits applied ('2011' or '2024'). override_enc: the reason a
-- service outside the entitlement or its limits was given anyway.
CREATE TABLE support_service (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES person (id),
	support_code TEXT NOT NULL REFERENCES support_type (code),
	provider_unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	provider TEXT,
	provided_on TEXT NOT NULL,
	location TEXT NOT NULL CHECK (location = 'in_vn'
		OR location = 'abroad'),
	unit TEXT NOT NULL,
	quantity INTEGER NOT NULL CHECK (quantity > 0),
	amount_vnd INTEGER NOT NULL CHECK (amount_vnd >= 0),
	regime TEXT NOT NULL CHECK (regime = '2011' OR regime = '2024'),
	override_enc BLOB,
	note_enc BLOB,
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL
);
CREATE INDEX support_service_person ON support_service (person_id,
	support_code);
CREATE INDEX support_service_unit ON support_service (provider_unit_id,
	provided_on);

-- Protection of the person or a relative (Law Art. 34-35).
CREATE TABLE protection_measure (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES person (id),
	kind TEXT NOT NULL CHECK (kind = 'identity_secrecy'
		OR kind = 'residence_guard' OR kind = 'escort'
		OR kind = 'relocation' OR kind = 'no_contact_order'
		OR kind = 'closed_trial' OR kind = 'other'),
	beneficiary TEXT NOT NULL CHECK (beneficiary = 'person'
		OR beneficiary = 'relative'),
	start_on TEXT NOT NULL,
	end_on TEXT,
	unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	note_enc BLOB,
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX protection_person ON protection_measure (person_id);

-- Follow-up visits after reintegration: due, then done with an outcome.
CREATE TABLE follow_up (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES person (id),
	unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	due_on TEXT NOT NULL,
	done_on TEXT,
	outcome TEXT CHECK (outcome = 'stable' OR outcome = 'needs_support'
		OR outcome = 'at_risk' OR outcome = 'moved'
		OR outcome = 'unreachable'),
	note_enc BLOB,
	created_by INTEGER REFERENCES app_user (id),
	created_at TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	CHECK ((done_on IS NULL) = (outcome IS NULL))
);
CREATE INDEX follow_up_person ON follow_up (person_id);
CREATE INDEX follow_up_due ON follow_up (unit_id, done_on, due_on);

-- Name tokens carry the person's province: a search reads only the part
-- of the index in its scope instead of every person in the country with
-- that given name (bench/bench_search_http.sh). A person's province does
-- not change; if it ever may, its tokens must be rewritten with it.
CREATE TABLE person_name_token_p (
	token BLOB NOT NULL,
	province_code TEXT NOT NULL REFERENCES admin_unit (code),
	person_id INTEGER NOT NULL REFERENCES person (id),
	PRIMARY KEY (token, province_code, person_id)
) WITHOUT ROWID;
INSERT INTO person_name_token_p (token, province_code, person_id)
	SELECT t.token, p.province_code, t.person_id
	FROM person_name_token t JOIN person p ON p.id = t.person_id;
DROP TABLE person_name_token;
ALTER TABLE person_name_token_p RENAME TO person_name_token;

-- The grants of a unit, covering: a search of the unit's granted persons
-- reads this index only, not every grant of its kind.
DROP INDEX access_grant_unit;
CREATE INDEX access_grant_unit ON access_grant (unit_id, object_type,
	object_id);
