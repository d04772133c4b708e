-- Version 15: the open orders judged against the clock by a report, by the
-- time they were taken and the moment they count as missed (issue 9).
--
-- A report counts an order still open and unresolved as missed when the
-- clock is past its deadline (its promised time or its resolution
-- deadline, plus the time it spent on hold), or, for one on hold, when it
-- was put on hold after its deadline: that one is missed at any time (the
-- smallest integer but one) or never (the largest integer). With that
-- moment in the index, a report
-- compares one column of the index for each order instead of working the
-- rule out from six of them. The expression must stay the same text as
-- WO_JUDGED in src/repo/reports.c for SQLite to read it from the index.
-- It replaces wo_open_created (migration 10), which only the reports used.
CREATE INDEX IF NOT EXISTS wo_open_judged ON work_orders(created_at,
    (CASE WHEN state = 'on_hold' THEN CASE WHEN hold_started_at > coalesce(promised_at, resolve_due_at) + paused_seconds THEN -9223372036854775807 ELSE 9223372036854775807 END ELSE coalesce(promised_at, resolve_due_at) + paused_seconds END),
    category, department_id, channel)
  WHERE resolved_at IS NULL AND state IN ('new', 'dispatched', 'in_progress', 'on_hold');
DROP INDEX IF EXISTS wo_open_created;
