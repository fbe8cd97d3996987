-- 002_access: sessions, API tokens, login throttling, access grants
-- (referrals) and the hash-chained audit log.

ALTER TABLE app_user ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN locked_until TEXT;
ALTER TABLE app_user ADD COLUMN password_changed_at TEXT;

-- A browser session. Only a hash of the token is stored, so a copy of
-- the database does not let anyone sign in.
CREATE TABLE session (
	token_hash BLOB PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	csrf_token TEXT NOT NULL,
	created_at TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	ip TEXT
);
CREATE INDEX session_user ON session (user_id);

-- A token for system-to-system clients, hashed at rest.
CREATE TABLE api_token (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES app_user (id),
	name TEXT NOT NULL,
	token_hash BLOB NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	last_used_at TEXT,
	revoked_at TEXT
);

-- Access to one record granted to a unit other than its owner (by a
-- referral, issue 4).
CREATE TABLE access_grant (
	object_type TEXT NOT NULL CHECK (object_type = 'person'
		OR object_type = 'intake'),
	object_id INTEGER NOT NULL,
	unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	granted_at TEXT NOT NULL,
	granted_by INTEGER REFERENCES app_user (id),
	PRIMARY KEY (object_type, object_id, unit_id)
);
CREATE INDEX access_grant_unit ON access_grant (unit_id, object_type);

-- Every read of identified data and every write. Each row's mac is a
-- keyed BLAKE2b over the previous row's mac and this row's fields, so a
-- changed, removed or inserted row breaks the chain (`ctip audit verify`).
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	user_id INTEGER,
	username TEXT NOT NULL,
	org_unit_id INTEGER,
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id TEXT NOT NULL,
	ip TEXT NOT NULL,
	reason TEXT NOT NULL,
	outcome TEXT NOT NULL,
	mac BLOB NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
