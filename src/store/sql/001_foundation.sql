-- 001_foundation: metadata, reference data, org units, users, persons and
-- trafficking events. Portable SQL: types TEXT/INTEGER/BLOB, timestamps as
-- ISO-8601 UTC text, codes as text with their leading zeros.

CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Provinces (level 'province'), communes/wards/special zones ('commune')
-- and the nation ('nation', code 'VN') for national org units.
CREATE TABLE admin_unit (
	code TEXT PRIMARY KEY,
	level TEXT NOT NULL CHECK ((level = 'nation' OR level = 'province' OR level = 'commune')),
	name TEXT NOT NULL,
	full_name TEXT NOT NULL,
	unit_type TEXT NOT NULL,
	province_code TEXT REFERENCES admin_unit (code),
	name_en TEXT,
	name_key TEXT NOT NULL,
	CHECK ((level = 'commune') = (province_code IS NOT NULL))
);
CREATE INDEX admin_unit_province ON admin_unit (province_code);
INSERT INTO admin_unit (code, level, name, full_name, unit_type, name_en,
	name_key)
VALUES ('VN', 'nation', 'Việt Nam', 'Nước Cộng hòa xã hội chủ nghĩa Việt Nam',
	'Quốc gia', 'Viet Nam', 'viet nam');

CREATE TABLE ethnic_group (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	name_en TEXT NOT NULL
);

CREATE TABLE country (
	alpha2 TEXT PRIMARY KEY,
	alpha3 TEXT NOT NULL UNIQUE,
	numeric_code TEXT NOT NULL,
	name_en TEXT NOT NULL,
	name_vi TEXT NOT NULL
);

-- Exploitation purposes, two levels: a code with no parent is level 1.
CREATE TABLE purpose (
	code TEXT PRIMARY KEY,
	parent_code TEXT REFERENCES purpose (code),
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL
);

-- The ten support types of Law 53/2024 Art. 37.
CREATE TABLE support_type (
	code TEXT PRIMARY KEY,
	article TEXT NOT NULL,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	max_days INTEGER
);

-- Who is entitled to which support, by role and citizenship class.
CREATE TABLE support_entitlement (
	support_code TEXT NOT NULL REFERENCES support_type (code),
	person_role TEXT NOT NULL CHECK ((person_role = 'victim' OR person_role = 'under_identification' OR person_role = 'accompanying_minor')),
	citizenship TEXT NOT NULL CHECK ((citizenship = 'vn_citizen' OR citizenship = 'stateless_resident' OR citizenship = 'foreigner')),
	entitled INTEGER NOT NULL CHECK ((entitled = 0 OR entitled = 1)),
	legal_basis TEXT NOT NULL,
	note TEXT,
	PRIMARY KEY (support_code, person_role, citizenship)
);

-- Support amounts as dated parameters, never constants; one support may
-- have several components (per day, a kit, a loan), one row per unit.
CREATE TABLE support_amount (
	support_code TEXT NOT NULL REFERENCES support_type (code),
	valid_from TEXT NOT NULL,
	valid_to TEXT,
	amount_vnd INTEGER,
	unit TEXT NOT NULL,
	max_units INTEGER,
	legal_basis TEXT NOT NULL,
	note TEXT,
	PRIMARY KEY (support_code, valid_from, unit)
);

CREATE TABLE intake_channel (
	code TEXT PRIMARY KEY,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL
);

CREATE TABLE agency (
	code TEXT PRIMARY KEY,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	levels TEXT NOT NULL
);

-- Org unit = agency x admin unit ("Công an xã An Phú").
CREATE TABLE org_unit (
	id INTEGER PRIMARY KEY,
	agency_code TEXT NOT NULL REFERENCES agency (code),
	admin_code TEXT NOT NULL REFERENCES admin_unit (code),
	name TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (agency_code, admin_code)
);

CREATE TABLE app_user (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	org_unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	password_hash TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 1,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE user_role (
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	role TEXT NOT NULL CHECK ((role = 'hotline_operator' OR role = 'case_worker' OR role = 'investigator' OR role = 'procurator' OR role = 'judge' OR role = 'statistician' OR role = 'supervisor' OR role = 'administrator' OR role = 'auditor')),
	PRIMARY KEY (user_id, role)
);

-- A person in one of three roles. Identity fields are sealed (*_enc,
-- XChaCha20-Poly1305 under the key file); *_bidx are keyed blind indexes
-- for exact lookup (name_bidx: of the whole diacritic-free name, for
-- duplicate warnings). Nothing here reads as a name without the key.
CREATE TABLE person (
	id INTEGER PRIMARY KEY,
	owner_unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	province_code TEXT NOT NULL REFERENCES admin_unit (code),
	commune_code TEXT REFERENCES admin_unit (code),
	role TEXT NOT NULL CHECK ((role = 'victim' OR role = 'under_identification' OR role = 'accompanying_minor')),
	accompanies_id INTEGER REFERENCES person (id),
	sex TEXT NOT NULL CHECK ((sex = 'F' OR sex = 'M' OR sex = 'U')),
	birth_date TEXT,
	birth_year INTEGER,
	ethnicity_code TEXT REFERENCES ethnic_group (code),
	nationality TEXT REFERENCES country (alpha2),
	citizenship TEXT NOT NULL CHECK ((citizenship = 'vn_citizen' OR citizenship = 'stateless_resident' OR citizenship = 'foreigner')),
	name_bidx BLOB NOT NULL,
	name_enc BLOB NOT NULL,
	citizen_id_enc BLOB,
	citizen_id_bidx BLOB,
	phone_enc BLOB,
	phone_bidx BLOB,
	address_enc BLOB,
	is_demo INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES app_user (id),
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES app_user (id),
	version INTEGER NOT NULL DEFAULT 1,
	CHECK ((role = 'accompanying_minor') = (accompanies_id IS NOT NULL))
);
CREATE INDEX person_name ON person (name_bidx);
CREATE INDEX person_citizen_id ON person (citizen_id_bidx);
CREATE INDEX person_phone ON person (phone_bidx);
CREATE INDEX person_place ON person (province_code, commune_code);
CREATE INDEX person_owner ON person (owner_unit_id);

-- Search by name with or without diacritics: one keyed blind index per
-- word of the diacritic-free name ("nguyen", "thi", "dao"), so a search
-- matches whole words without the database holding the words.
CREATE TABLE person_name_token (
	token BLOB NOT NULL,
	person_id INTEGER NOT NULL REFERENCES person (id),
	PRIMARY KEY (token, person_id)
) WITHOUT ROWID;

-- One trafficking episode of a person; purposes in event_purpose.
CREATE TABLE trafficking_event (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES person (id),
	province_code TEXT NOT NULL REFERENCES admin_unit (code),
	abroad INTEGER NOT NULL CHECK ((abroad = 0 OR abroad = 1)),
	destination_country TEXT REFERENCES country (alpha2),
	recruitment_means TEXT CHECK ((recruitment_means = 'online_ad' OR recruitment_means = 'broker' OR recruitment_means = 'acquaintance' OR recruitment_means = 'relative' OR recruitment_means = 'other' OR recruitment_means = 'unknown')),
	recruited_on TEXT,
	exploited_from TEXT,
	exploited_to TEXT,
	discovery TEXT NOT NULL CHECK ((discovery = 'rescued' OR discovery = 'self_returned' OR discovery = 'foreign_handover' OR discovery = 'reported' OR discovery = 'other')),
	discovered_on TEXT NOT NULL,
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES app_user (id),
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX trafficking_event_person ON trafficking_event (person_id);
CREATE INDEX trafficking_event_place ON trafficking_event
	(province_code, discovered_on);

CREATE TABLE event_purpose (
	event_id INTEGER NOT NULL REFERENCES trafficking_event (id),
	purpose_code TEXT NOT NULL REFERENCES purpose (code),
	PRIMARY KEY (event_id, purpose_code)
) WITHOUT ROWID;
