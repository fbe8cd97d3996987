-- 004_referral: referrals (chuyển tuyến) of an intake or a person from
-- one unit to another: sent -> accepted / refused -> completed, or
-- withdrawn by the sender. The receiving unit is granted access to the
-- referred record while the referral stands.

CREATE TABLE referral (
	id INTEGER PRIMARY KEY,
	object_type TEXT NOT NULL CHECK (object_type = 'intake'
		OR object_type = 'person'),
	object_id INTEGER NOT NULL,
	from_unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	to_unit_id INTEGER NOT NULL REFERENCES org_unit (id),
	note_enc BLOB,
	status TEXT NOT NULL CHECK (status = 'sent' OR status = 'accepted'
		OR status = 'refused' OR status = 'completed'
		OR status = 'withdrawn'),
	sent_at TEXT NOT NULL,
	sent_by INTEGER NOT NULL REFERENCES app_user (id),
	ack_due_at TEXT NOT NULL,
	responded_at TEXT,
	responded_by INTEGER REFERENCES app_user (id),
	refusal_reason_enc BLOB,
	closed_at TEXT,
	closed_by INTEGER REFERENCES app_user (id),
	version INTEGER NOT NULL DEFAULT 1,
	CHECK (from_unit_id <> to_unit_id)
);
CREATE INDEX referral_to ON referral (to_unit_id, status, sent_at);
CREATE INDEX referral_from ON referral (from_unit_id, status, sent_at);
CREATE INDEX referral_object ON referral (object_type, object_id);
