-- Version 14: each unit's arrears, kept by triggers, so that the Fees
-- screen's list sorted by amount or by age reads its page from an index,
-- and its totals from one row, instead of adding up every unpaid bill of
-- the estate (issue 9).
--
-- "Past due" and the age buckets move with the clock, and triggers do not
-- know the clock. So arrears_units holds, for each unit, what it owes on
-- its unpaid bills due before one moment, arrears_asof.at: the total, the
-- same by age at that moment (due within 30 days before it, 31-90, 91-180,
-- more: as src/repo/fee_reports.c counts them) and the earliest due date,
-- with the unit's code (the sort keys, so that a page is a walk of one
-- index). arrears_asof adds them up for the whole estate. A reader at time
-- now may use them only when no unpaid bill changes bucket between that
-- moment and now: none falls due in between, and none crosses the 31, 91
-- or 181 days (four seeks in bills_open_by_due). Otherwise it adds up the
-- bills as before. gj_arrears_refresh counts them again at now; the
-- console does that on its 30-second timer and `guanjia escalate` on each
-- run.
--
-- Derived, like wo_day_stats: no version, no audit, no history. A bulk
-- load drops the triggers of bills and counts the tables again at its end
-- (src/repo/bulk.c); `guanjia check` compares them with the bills.
CREATE TABLE IF NOT EXISTS arrears_asof (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL,
  units INTEGER NOT NULL DEFAULT 0,
  total_fen INTEGER NOT NULL DEFAULT 0,
  b0_fen INTEGER NOT NULL DEFAULT 0,
  b1_fen INTEGER NOT NULL DEFAULT 0,
  b2_fen INTEGER NOT NULL DEFAULT 0,
  b3_fen INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS arrears_units (
  unit_id INTEGER PRIMARY KEY,
  building INTEGER NOT NULL,
  entrance INTEGER NOT NULL,
  room INTEGER NOT NULL,
  total_fen INTEGER NOT NULL,
  b0_fen INTEGER NOT NULL,
  b1_fen INTEGER NOT NULL,
  b2_fen INTEGER NOT NULL,
  b3_fen INTEGER NOT NULL,
  oldest_due INTEGER NOT NULL
);

-- The two sorted lists, in their full order (ties by unit code).
CREATE INDEX IF NOT EXISTS arrears_units_amount
  ON arrears_units(total_fen DESC, building, entrance, room);
CREATE INDEX IF NOT EXISTS arrears_units_age
  ON arrears_units(oldest_due, total_fen DESC, building, entrance, room);

-- The estate's totals follow the units' rows.
CREATE TRIGGER IF NOT EXISTS arrears_totals_insert AFTER INSERT ON arrears_units
BEGIN
  UPDATE arrears_asof SET units = units + 1, total_fen = total_fen + NEW.total_fen,
      b0_fen = b0_fen + NEW.b0_fen, b1_fen = b1_fen + NEW.b1_fen,
      b2_fen = b2_fen + NEW.b2_fen, b3_fen = b3_fen + NEW.b3_fen
  WHERE id = 1;
END;

CREATE TRIGGER IF NOT EXISTS arrears_totals_delete AFTER DELETE ON arrears_units
BEGIN
  UPDATE arrears_asof SET units = units - 1, total_fen = total_fen - OLD.total_fen,
      b0_fen = b0_fen - OLD.b0_fen, b1_fen = b1_fen - OLD.b1_fen,
      b2_fen = b2_fen - OLD.b2_fen, b3_fen = b3_fen - OLD.b3_fen
  WHERE id = 1;
END;

-- Counted afresh at the time of migrating, also when a migration runs
-- again over tables it made.
DELETE FROM arrears_units;
INSERT OR REPLACE INTO arrears_asof(id, at) VALUES (1, CAST(strftime('%s', 'now') AS INTEGER));
INSERT INTO arrears_units
SELECT b.unit_id, u.building, u.entrance, u.room, sum(b.amount_fen - b.paid_fen),
       sum(CASE WHEN b.due_at > a.at - 2678400 THEN b.amount_fen - b.paid_fen ELSE 0 END),
       sum(CASE WHEN b.due_at <= a.at - 2678400 AND b.due_at > a.at - 7862400
           THEN b.amount_fen - b.paid_fen ELSE 0 END),
       sum(CASE WHEN b.due_at <= a.at - 7862400 AND b.due_at > a.at - 15638400
           THEN b.amount_fen - b.paid_fen ELSE 0 END),
       sum(CASE WHEN b.due_at <= a.at - 15638400 THEN b.amount_fen - b.paid_fen ELSE 0 END),
       min(b.due_at)
FROM arrears_asof a, bills b JOIN units u ON u.id = b.unit_id
WHERE a.id = 1 AND b.paid_fen < b.amount_fen AND b.due_at < a.at
GROUP BY b.unit_id;

-- A bill that counts (unpaid and due before the moment) or counted: its
-- unit is counted again from its own unpaid bills (bills_open_due).
CREATE TRIGGER IF NOT EXISTS arrears_units_bill_insert AFTER INSERT ON bills
WHEN NEW.paid_fen < NEW.amount_fen AND NEW.due_at < (SELECT at FROM arrears_asof WHERE id = 1)
BEGIN
  DELETE FROM arrears_units WHERE unit_id = NEW.unit_id;
  INSERT INTO arrears_units
  SELECT b.unit_id, u.building, u.entrance, u.room, sum(b.amount_fen - b.paid_fen),
         sum(CASE WHEN b.due_at > a.at - 2678400 THEN b.amount_fen - b.paid_fen ELSE 0 END),
         sum(CASE WHEN b.due_at <= a.at - 2678400 AND b.due_at > a.at - 7862400
             THEN b.amount_fen - b.paid_fen ELSE 0 END),
         sum(CASE WHEN b.due_at <= a.at - 7862400 AND b.due_at > a.at - 15638400
             THEN b.amount_fen - b.paid_fen ELSE 0 END),
         sum(CASE WHEN b.due_at <= a.at - 15638400 THEN b.amount_fen - b.paid_fen ELSE 0 END),
         min(b.due_at)
  FROM arrears_asof a, bills b JOIN units u ON u.id = b.unit_id
  WHERE a.id = 1 AND b.unit_id = NEW.unit_id AND b.paid_fen < b.amount_fen AND b.due_at < a.at
  GROUP BY b.unit_id;
END;

CREATE TRIGGER IF NOT EXISTS arrears_units_bill_update
AFTER UPDATE OF unit_id, amount_fen, paid_fen, due_at ON bills
WHEN (OLD.paid_fen < OLD.amount_fen AND OLD.due_at < (SELECT at FROM arrears_asof WHERE id = 1))
  OR (NEW.paid_fen < NEW.amount_fen AND NEW.due_at < (SELECT at FROM arrears_asof WHERE id = 1))
BEGIN
  DELETE FROM arrears_units WHERE unit_id IN (OLD.unit_id, NEW.unit_id);
  INSERT INTO arrears_units
  SELECT b.unit_id, u.building, u.entrance, u.room, sum(b.amount_fen - b.paid_fen),
         sum(CASE WHEN b.due_at > a.at - 2678400 THEN b.amount_fen - b.paid_fen ELSE 0 END),
         sum(CASE WHEN b.due_at <= a.at - 2678400 AND b.due_at > a.at - 7862400
             THEN b.amount_fen - b.paid_fen ELSE 0 END),
         sum(CASE WHEN b.due_at <= a.at - 7862400 AND b.due_at > a.at - 15638400
             THEN b.amount_fen - b.paid_fen ELSE 0 END),
         sum(CASE WHEN b.due_at <= a.at - 15638400 THEN b.amount_fen - b.paid_fen ELSE 0 END),
         min(b.due_at)
  FROM arrears_asof a, bills b JOIN units u ON u.id = b.unit_id
  WHERE a.id = 1 AND b.unit_id IN (OLD.unit_id, NEW.unit_id) AND b.paid_fen < b.amount_fen
    AND b.due_at < a.at
  GROUP BY b.unit_id;
END;

-- A unit given another code keeps its place in the lists.
CREATE TRIGGER IF NOT EXISTS arrears_units_recode AFTER UPDATE OF building, entrance, room ON units
BEGIN
  UPDATE arrears_units SET building = NEW.building, entrance = NEW.entrance, room = NEW.room
  WHERE unit_id = NEW.id;
END;
