-- 013_drop_follow_up_due: the visits due are those of the persons a unit
-- works on (its own and those referred to it), found through the
-- follow_up_person index since session 7; no query reads follow_up_due
-- (by the unit that scheduled a visit) any more, and every visit written
-- paid for its entry.
DROP INDEX IF EXISTS follow_up_due;
