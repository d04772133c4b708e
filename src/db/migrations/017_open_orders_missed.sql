-- Version 17: the open orders missed at one moment, kept by day, so that a
-- report reads them instead of judging every open order of its range
-- against the clock (issue 9).
--
-- An open, unresolved order counts as missed in a report when the moment
-- it counts as missed (the expression of WO_JUDGED in src/repo/reports.c:
-- its deadline, or for one put on hold after its deadline the smallest
-- integer but one, for one on hold before it the largest) is before the
-- clock. wo_open_missed counts, per UTC day of taking, category,
-- department (0: none) and channel, the open orders missed at
-- wo_missed_asof.at, kept by triggers in the same transaction as the order.
-- A report at time now adds to it the open orders whose moment falls
-- between wo_missed_asof.at and now (taking them away when now is
-- earlier): a range of the index wo_open_by_judged, which replaces
-- wo_open_judged (migration 15). gj_wo_missed_refresh moves the moment up
-- to the clock by adding those orders; the console does that on its
-- 30-second timer and `guanjia escalate` on each run, so the range stays
-- short. See src/repo/reports.c.
--
-- Derived, like wo_day_stats: no version, no audit, no history. A bulk
-- load drops the triggers of work_orders and counts the table again at its
-- end (src/repo/bulk.c); `guanjia check` compares it with the orders. The
-- expression must stay the same text as WO_JUDGED for SQLite to read it
-- from the index.
CREATE TABLE IF NOT EXISTS wo_missed_asof (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS wo_open_missed (
  day INTEGER NOT NULL,
  category TEXT NOT NULL,
  department_id INTEGER NOT NULL,
  channel TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (day, category, department_id, channel)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS wo_open_by_judged ON work_orders((CASE WHEN state = 'on_hold' THEN CASE WHEN hold_started_at > coalesce(promised_at, resolve_due_at) + paused_seconds THEN -9223372036854775807 ELSE 9223372036854775807 END ELSE coalesce(promised_at, resolve_due_at) + paused_seconds END),
    created_at, category, department_id, channel)
  WHERE resolved_at IS NULL AND state IN ('new', 'dispatched', 'in_progress', 'on_hold');
DROP INDEX IF EXISTS wo_open_judged;

-- Counted afresh at the time of migrating, also when a migration runs
-- again over tables it made.
INSERT OR REPLACE INTO wo_missed_asof(id, at) VALUES (1, CAST(strftime('%s', 'now') AS INTEGER));
DELETE FROM wo_open_missed;
INSERT INTO wo_open_missed
SELECT created_at / 86400, category, coalesce(department_id, 0), channel, count(*)
FROM work_orders INDEXED BY wo_open_by_judged
WHERE resolved_at IS NULL AND state IN ('new', 'dispatched', 'in_progress', 'on_hold')
  AND (CASE WHEN state = 'on_hold' THEN CASE WHEN hold_started_at > coalesce(promised_at, resolve_due_at) + paused_seconds THEN -9223372036854775807 ELSE 9223372036854775807 END ELSE coalesce(promised_at, resolve_due_at) + paused_seconds END) < (SELECT at FROM wo_missed_asof WHERE id = 1)
GROUP BY 1, 2, 3, 4;

-- A new order counts if it is open and missed at the moment; a change
-- takes the old row's count away and adds the new row's. (Orders are
-- never deleted: work_orders_no_delete.)
CREATE TRIGGER IF NOT EXISTS wo_open_missed_insert AFTER INSERT ON work_orders
BEGIN
  INSERT INTO wo_open_missed
  SELECT NEW.created_at / 86400, NEW.category, coalesce(NEW.department_id, 0), NEW.channel, 1
  WHERE NEW.resolved_at IS NULL AND NEW.state IN ('new', 'dispatched', 'in_progress', 'on_hold')
    AND (CASE WHEN NEW.state = 'on_hold' THEN CASE WHEN NEW.hold_started_at > coalesce(NEW.promised_at, NEW.resolve_due_at) + NEW.paused_seconds THEN -9223372036854775807 ELSE 9223372036854775807 END ELSE coalesce(NEW.promised_at, NEW.resolve_due_at) + NEW.paused_seconds END) < (SELECT at FROM wo_missed_asof WHERE id = 1)
  ON CONFLICT (day, category, department_id, channel) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER IF NOT EXISTS wo_open_missed_update AFTER UPDATE ON work_orders
BEGIN
  INSERT INTO wo_open_missed
  SELECT OLD.created_at / 86400, OLD.category, coalesce(OLD.department_id, 0), OLD.channel, -1
  WHERE OLD.resolved_at IS NULL AND OLD.state IN ('new', 'dispatched', 'in_progress', 'on_hold')
    AND (CASE WHEN OLD.state = 'on_hold' THEN CASE WHEN OLD.hold_started_at > coalesce(OLD.promised_at, OLD.resolve_due_at) + OLD.paused_seconds THEN -9223372036854775807 ELSE 9223372036854775807 END ELSE coalesce(OLD.promised_at, OLD.resolve_due_at) + OLD.paused_seconds END) < (SELECT at FROM wo_missed_asof WHERE id = 1)
  ON CONFLICT (day, category, department_id, channel) DO UPDATE SET n = n + excluded.n;
  INSERT INTO wo_open_missed
  SELECT NEW.created_at / 86400, NEW.category, coalesce(NEW.department_id, 0), NEW.channel, 1
  WHERE NEW.resolved_at IS NULL AND NEW.state IN ('new', 'dispatched', 'in_progress', 'on_hold')
    AND (CASE WHEN NEW.state = 'on_hold' THEN CASE WHEN NEW.hold_started_at > coalesce(NEW.promised_at, NEW.resolve_due_at) + NEW.paused_seconds THEN -9223372036854775807 ELSE 9223372036854775807 END ELSE coalesce(NEW.promised_at, NEW.resolve_due_at) + NEW.paused_seconds END) < (SELECT at FROM wo_missed_asof WHERE id = 1)
  ON CONFLICT (day, category, department_id, channel) DO UPDATE SET n = n + excluded.n;
END;
