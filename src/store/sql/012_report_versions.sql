-- 012_report_versions: every version of a report that was submitted is
-- kept, as it was submitted (issue 6). A report's snapshot is replaced
-- when a returned report is submitted again; the submit step now keeps
-- the snapshot it submitted, so that auditors and the level above can
-- read each submission. NULL on approve and return steps.
ALTER TABLE report_step ADD COLUMN snapshot TEXT;

-- The latest submit step of each report submitted the snapshot the report
-- holds now. The snapshots of earlier submissions were overwritten before
-- this migration and cannot be recovered: their steps keep a NULL
-- snapshot (shown as not kept).
UPDATE report_step SET snapshot = (SELECT r.snapshot FROM report r WHERE
	r.id = report_step.report_id)
WHERE action = 'submit' AND id = (SELECT max(s.id) FROM report_step s
	WHERE s.report_id = report_step.report_id AND s.action = 'submit');
