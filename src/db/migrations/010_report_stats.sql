-- Version 10: the work-order figures of the reports, kept by day.
--
-- A report over a month would otherwise read every order taken in it
-- (about 27,000 a month on a large estate, 0.5 s). wo_day_stats holds, per
-- UTC day of taking (created_at / 86400), category, department (0: none)
-- and channel, the sums that do not change with the clock: orders, met
-- and missed among the resolved, responded and resolved with their times.
-- What does change with the clock (an open order past its deadline now) is
-- counted from the orders still open (wo_open_created), and the hours of a
-- range that do not fill a UTC day are read from the orders themselves
-- (wo_report, covering). See src/repo/reports.c.
--
-- Like person_search_keys, this table is derived, not a record: the
-- triggers below keep it in step in the same transaction as the change of
-- the order, whoever writes it; it has no version, no audit and no
-- history. A bulk load drops the triggers of work_orders and rebuilds the
-- table at its end (src/repo/bulk.c); `guanjia check` compares it with the
-- orders.
CREATE TABLE IF NOT EXISTS wo_day_stats (
  day INTEGER NOT NULL,
  category TEXT NOT NULL,
  department_id INTEGER NOT NULL,
  channel TEXT NOT NULL,
  orders INTEGER NOT NULL,
  met INTEGER NOT NULL,
  missed INTEGER NOT NULL,
  responded INTEGER NOT NULL,
  respond_s INTEGER NOT NULL,
  resolved INTEGER NOT NULL,
  resolve_s INTEGER NOT NULL,
  PRIMARY KEY (day, category, department_id, channel)
) WITHOUT ROWID;

-- Counted afresh, also when a migration runs again over a table it made.
DELETE FROM wo_day_stats;
INSERT INTO wo_day_stats
SELECT created_at / 86400, category, coalesce(department_id, 0), channel, count(*),
       sum(state <> 'cancelled' AND resolved_at IS NOT NULL AND resolved_at <= due_at),
       sum(state <> 'cancelled' AND resolved_at IS NOT NULL AND resolved_at > due_at),
       count(responded_at), coalesce(sum(responded_at - created_at), 0),
       count(resolved_at), coalesce(sum(resolved_at - created_at), 0)
FROM work_orders GROUP BY 1, 2, 3, 4;

CREATE TRIGGER IF NOT EXISTS wo_day_stats_insert AFTER INSERT ON work_orders
BEGIN
  INSERT INTO wo_day_stats VALUES (NEW.created_at / 86400, NEW.category,
      coalesce(NEW.department_id, 0), NEW.channel, 1,
      NEW.state <> 'cancelled' AND NEW.resolved_at IS NOT NULL AND NEW.resolved_at <= NEW.due_at,
      NEW.state <> 'cancelled' AND NEW.resolved_at IS NOT NULL AND NEW.resolved_at > NEW.due_at,
      NEW.responded_at IS NOT NULL, coalesce(NEW.responded_at - NEW.created_at, 0),
      NEW.resolved_at IS NOT NULL, coalesce(NEW.resolved_at - NEW.created_at, 0))
  ON CONFLICT (day, category, department_id, channel) DO UPDATE SET
      orders = orders + excluded.orders, met = met + excluded.met,
      missed = missed + excluded.missed, responded = responded + excluded.responded,
      respond_s = respond_s + excluded.respond_s, resolved = resolved + excluded.resolved,
      resolve_s = resolve_s + excluded.resolve_s;
END;

-- An update takes the old row's share away and adds the new row's.
CREATE TRIGGER IF NOT EXISTS wo_day_stats_update AFTER UPDATE ON work_orders
BEGIN
  INSERT INTO wo_day_stats VALUES (OLD.created_at / 86400, OLD.category,
      coalesce(OLD.department_id, 0), OLD.channel, -1,
      -(OLD.state <> 'cancelled' AND OLD.resolved_at IS NOT NULL AND OLD.resolved_at <= OLD.due_at),
      -(OLD.state <> 'cancelled' AND OLD.resolved_at IS NOT NULL AND OLD.resolved_at > OLD.due_at),
      -(OLD.responded_at IS NOT NULL), -coalesce(OLD.responded_at - OLD.created_at, 0),
      -(OLD.resolved_at IS NOT NULL), -coalesce(OLD.resolved_at - OLD.created_at, 0))
  ON CONFLICT (day, category, department_id, channel) DO UPDATE SET
      orders = orders + excluded.orders, met = met + excluded.met,
      missed = missed + excluded.missed, responded = responded + excluded.responded,
      respond_s = respond_s + excluded.respond_s, resolved = resolved + excluded.resolved,
      resolve_s = resolve_s + excluded.resolve_s;
  INSERT INTO wo_day_stats VALUES (NEW.created_at / 86400, NEW.category,
      coalesce(NEW.department_id, 0), NEW.channel, 1,
      NEW.state <> 'cancelled' AND NEW.resolved_at IS NOT NULL AND NEW.resolved_at <= NEW.due_at,
      NEW.state <> 'cancelled' AND NEW.resolved_at IS NOT NULL AND NEW.resolved_at > NEW.due_at,
      NEW.responded_at IS NOT NULL, coalesce(NEW.responded_at - NEW.created_at, 0),
      NEW.resolved_at IS NOT NULL, coalesce(NEW.resolved_at - NEW.created_at, 0))
  ON CONFLICT (day, category, department_id, channel) DO UPDATE SET
      orders = orders + excluded.orders, met = met + excluded.met,
      missed = missed + excluded.missed, responded = responded + excluded.responded,
      respond_s = respond_s + excluded.respond_s, resolved = resolved + excluded.resolved,
      resolve_s = resolve_s + excluded.resolve_s;
END;

-- The orders still open and not resolved, by the time they were taken:
-- those a report judges against the clock.
CREATE INDEX IF NOT EXISTS wo_open_created ON work_orders(created_at, category, department_id, channel, state, resolved_at,
    hold_started_at, promised_at, resolve_due_at, paused_seconds)
  WHERE resolved_at IS NULL AND state IN ('new', 'dispatched', 'in_progress', 'on_hold');

-- The edges of a range (the hours before its first whole UTC day and after
-- its last) and the channels, read from the index alone; it replaces the
-- index on created_at, which it begins with.
CREATE INDEX IF NOT EXISTS wo_report ON work_orders(created_at, category, department_id, channel, state,
    responded_at, resolved_at, promised_at, resolve_due_at, paused_seconds, hold_started_at);
DROP INDEX IF EXISTS wo_created;
