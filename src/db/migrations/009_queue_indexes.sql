-- Version 9: indexes for the interactive queries at large-estate scale
-- (issue 9; docs/performance.md).
--
-- The queue views by department, by the butler who took the order and by
-- assignee walk these in (due_at, id) order, one arm per open state, so a
-- page stops after its rows instead of filtering the whole open queue.
DROP INDEX IF EXISTS wo_department;
CREATE INDEX IF NOT EXISTS wo_department_due ON work_orders(department_id, state, due_at);
DROP INDEX IF EXISTS wo_assignee;
CREATE INDEX IF NOT EXISTS wo_assignee_due ON work_orders(assignee_staff_id, state, due_at);
CREATE INDEX IF NOT EXISTS wo_creator_due ON work_orders(created_by, state, due_at);
-- The arrears list sums every open bill past due per unit: from this
-- covering index, without reading the bills themselves (bills_open stays
-- for a unit's own open bills by period).
CREATE INDEX IF NOT EXISTS bills_open_due ON bills(unit_id, due_at, amount_fen, paid_fen, period)
  WHERE paid_fen < amount_fen;
-- The complaints report's revisits of a month, without reading every
-- complaint.
CREATE INDEX IF NOT EXISTS complaints_revisited ON complaints(revisited_at, satisfaction)
  WHERE revisited_at IS NOT NULL;
-- The overdue counter's new orders not answered in time: only those.
CREATE INDEX IF NOT EXISTS wo_new_unanswered ON work_orders(respond_due_at)
  WHERE state = 'new' AND responded_at IS NULL;
