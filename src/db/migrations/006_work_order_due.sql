-- Version 6: a work order's deadline as its clock stands (the promised
-- time, else the target, moved by the pauses so far), kept by SQLite
-- itself and indexed, so the queue is sorted by the deadline it shows and
-- the overdue count walks an index. An order on hold sorts by the deadline
-- its stopped clock points at.
ALTER TABLE work_orders ADD COLUMN due_at INTEGER
  GENERATED ALWAYS AS (coalesce(promised_at, resolve_due_at) + paused_seconds) VIRTUAL;
DROP INDEX IF EXISTS wo_state_due;
CREATE INDEX wo_state_due_at ON work_orders(state, due_at);
