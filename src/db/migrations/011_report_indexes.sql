-- Version 11: covering indexes for the other reports (issue 9).
--
-- The fees report adds up a month's bills: from the index, without
-- reading two million bills' rows (it replaces the index on period).
CREATE INDEX IF NOT EXISTS bills_period_sums ON bills(period, unit_id, amount_fen, paid_fen);
DROP INDEX IF EXISTS bills_period_idx;
-- The training report's revisit scores of a butler's complaints.
CREATE INDEX IF NOT EXISTS complaints_assignee_revisited
  ON complaints(assignee_user_id, revisited_at, satisfaction) WHERE revisited_at IS NOT NULL;
-- The complaints report's figures of a month and its repeat complainants,
-- from the index (it replaces the index on created_at, which it begins with).
CREATE INDEX IF NOT EXISTS complaints_report ON complaints(created_at, unit_id, grade, category,
    channel, state, acknowledged_at, resolved_at, resolve_due_at, satisfaction);
DROP INDEX IF EXISTS complaints_created;
