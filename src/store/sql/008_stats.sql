-- 008_stats: the indicator catalogue (data/indicators/indicators.csv) and
-- the indexes the statistics count on (issue 6). The catalogue is
-- reference data: `ctip ref load` (and `ctip init`) fill it again.

-- One indicator: what it counts, by which rule (measure, implemented in
-- the store), with an optional support type, and the disaggregations it
-- allows (space-separated dimension names). Checked on load by
-- core/stats.c.
CREATE TABLE indicator (
	code TEXT PRIMARY KEY,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	counts TEXT NOT NULL CHECK (counts = 'persons' OR counts = 'intakes'
		OR counts = 'cases' OR counts = 'offenders'
		OR counts = 'services' OR counts = 'referrals'),
	measure TEXT NOT NULL,
	filter TEXT REFERENCES support_type (code),
	dimensions TEXT NOT NULL
);

-- National counts by date: each measure's date leads an index, so that
-- a half-year reads only its own rows.
CREATE INDEX person_received ON person (received_on);
CREATE INDEX person_identified ON person (identified_on);
CREATE INDEX person_step_stats ON person_step (step, on_date, person_id);
CREATE INDEX support_service_day ON support_service (provided_on,
	support_code, person_id);
CREATE INDEX intake_received ON intake (received_at);
CREATE INDEX referral_sent ON referral (sent_at);
-- A commune's counts: its persons and intakes (person_place and
-- intake_place lead with the province).
CREATE INDEX person_commune ON person (commune_code, received_on);
CREATE INDEX intake_commune ON intake (commune_code, received_at);
