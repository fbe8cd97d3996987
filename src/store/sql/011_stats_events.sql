-- 011_stats_events: the statistics split persons by their events'
-- abroad and destination (issue 6): the person index of the events
-- carries both, so that the count reads the index alone. It replaces the
-- plain person_id index (same entries, two more columns).
DROP INDEX trafficking_event_person;
CREATE INDEX trafficking_event_person ON trafficking_event (person_id,
	abroad, destination_country);
