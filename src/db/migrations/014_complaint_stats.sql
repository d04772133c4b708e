-- Version 14: the complaint figures of the reports, kept by day (issue 9).
--
-- The complaints report and screen would otherwise read every complaint
-- taken in their range (16,000 in a month of the large estate, 40 ms).
-- complaint_day_stats holds, per day of taking in China time (UTC+8, the
-- calendar of the complaint months: day = floor((created_at + 28800) /
-- 86400)), grade and category, the sums the figures need: complaints,
-- resolved, resolved on time, acknowledged and resolved with their times,
-- revisits with their scores. complaint_cause_days holds, per such day, how
-- many complaints have each root cause (trimmed of white space as the
-- figures trim it; blank causes are not kept). Nothing here changes with
-- the clock. The hours of a range that do not fill a day are read from the
-- complaints themselves (complaints_report, covering). See
-- src/repo/complaint_stats.c.
--
-- Derived, not a record, like wo_day_stats: the triggers below keep both
-- tables in step in the same transaction as the change of the complaint,
-- whoever writes it; no version, no audit, no history. A bulk load drops
-- the triggers of complaints and rebuilds the tables at its end
-- (src/repo/bulk.c); `guanjia check` compares them with the complaints.
CREATE TABLE IF NOT EXISTS complaint_day_stats (
  day INTEGER NOT NULL,
  grade TEXT NOT NULL,
  category TEXT NOT NULL,
  n INTEGER NOT NULL,
  resolved INTEGER NOT NULL,
  on_time INTEGER NOT NULL,
  ack_n INTEGER NOT NULL,
  ack_s INTEGER NOT NULL,
  resolve_s INTEGER NOT NULL,
  sat_n INTEGER NOT NULL,
  sat_sum INTEGER NOT NULL,
  s1 INTEGER NOT NULL,
  s2 INTEGER NOT NULL,
  s3 INTEGER NOT NULL,
  s4 INTEGER NOT NULL,
  s5 INTEGER NOT NULL,
  PRIMARY KEY (day, grade, category)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS complaint_cause_days (
  day INTEGER NOT NULL,
  cause TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (day, cause)
) WITHOUT ROWID;

-- Counted afresh, also when a migration runs again over tables it made.
DELETE FROM complaint_day_stats;
INSERT INTO complaint_day_stats
SELECT ((created_at + 28800) - ((created_at + 28800) % 86400 + 86400) % 86400) / 86400, grade, category, count(*),
       count(resolved_at), coalesce(sum(resolved_at <= resolve_due_at), 0),
       count(acknowledged_at), coalesce(sum(acknowledged_at - created_at), 0),
       coalesce(sum(resolved_at - created_at), 0), count(satisfaction),
       coalesce(sum(satisfaction), 0), coalesce(sum(satisfaction = 1), 0),
       coalesce(sum(satisfaction = 2), 0), coalesce(sum(satisfaction = 3), 0),
       coalesce(sum(satisfaction = 4), 0), coalesce(sum(satisfaction = 5), 0)
FROM complaints GROUP BY 1, 2, 3;
DELETE FROM complaint_cause_days;
INSERT INTO complaint_cause_days
SELECT ((created_at + 28800) - ((created_at + 28800) % 86400 + 86400) % 86400) / 86400, trim(root_cause, ' ' || char(9, 10, 13, 12288)), count(*)
FROM complaints WHERE trim(root_cause, ' ' || char(9, 10, 13, 12288)) <> '' GROUP BY 1, 2;

CREATE TRIGGER IF NOT EXISTS complaint_day_stats_insert AFTER INSERT ON complaints
BEGIN
  INSERT INTO complaint_day_stats VALUES (((NEW.created_at + 28800) - ((NEW.created_at + 28800) % 86400 + 86400) % 86400) / 86400, NEW.grade, NEW.category,
      1, (NEW.resolved_at IS NOT NULL), coalesce(NEW.resolved_at <= NEW.resolve_due_at, 0),
      (NEW.acknowledged_at IS NOT NULL), coalesce(NEW.acknowledged_at - NEW.created_at, 0), coalesce(NEW.resolved_at - NEW.created_at, 0),
      (NEW.satisfaction IS NOT NULL), coalesce(NEW.satisfaction, 0), coalesce(NEW.satisfaction = 1, 0),
      coalesce(NEW.satisfaction = 2, 0), coalesce(NEW.satisfaction = 3, 0), coalesce(NEW.satisfaction = 4, 0),
      coalesce(NEW.satisfaction = 5, 0))
  ON CONFLICT (day, grade, category) DO UPDATE SET
      n = n + excluded.n, resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time,
      ack_n = ack_n + excluded.ack_n, ack_s = ack_s + excluded.ack_s, resolve_s = resolve_s + excluded.resolve_s,
      sat_n = sat_n + excluded.sat_n, sat_sum = sat_sum + excluded.sat_sum, s1 = s1 + excluded.s1,
      s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4,
      s5 = s5 + excluded.s5;
  INSERT INTO complaint_cause_days SELECT ((NEW.created_at + 28800) - ((NEW.created_at + 28800) % 86400 + 86400) % 86400) / 86400, trim(NEW.root_cause, ' ' || char(9, 10, 13, 12288)), 1
    WHERE trim(NEW.root_cause, ' ' || char(9, 10, 13, 12288)) <> ''
  ON CONFLICT (day, cause) DO UPDATE SET n = n + excluded.n;
END;

-- An update takes the old row's share away and adds the new row's; only
-- the columns counted here fire it.
CREATE TRIGGER IF NOT EXISTS complaint_day_stats_update AFTER UPDATE OF created_at, grade,
  category, acknowledged_at, resolved_at, resolve_due_at, satisfaction ON complaints
BEGIN
  INSERT INTO complaint_day_stats VALUES (((OLD.created_at + 28800) - ((OLD.created_at + 28800) % 86400 + 86400) % 86400) / 86400, OLD.grade, OLD.category,
      -1, -(OLD.resolved_at IS NOT NULL), -coalesce(OLD.resolved_at <= OLD.resolve_due_at, 0),
      -(OLD.acknowledged_at IS NOT NULL), -coalesce(OLD.acknowledged_at - OLD.created_at, 0), -coalesce(OLD.resolved_at - OLD.created_at, 0),
      -(OLD.satisfaction IS NOT NULL), -coalesce(OLD.satisfaction, 0), -coalesce(OLD.satisfaction = 1, 0),
      -coalesce(OLD.satisfaction = 2, 0), -coalesce(OLD.satisfaction = 3, 0), -coalesce(OLD.satisfaction = 4, 0),
      -coalesce(OLD.satisfaction = 5, 0))
  ON CONFLICT (day, grade, category) DO UPDATE SET
      n = n + excluded.n, resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time,
      ack_n = ack_n + excluded.ack_n, ack_s = ack_s + excluded.ack_s, resolve_s = resolve_s + excluded.resolve_s,
      sat_n = sat_n + excluded.sat_n, sat_sum = sat_sum + excluded.sat_sum, s1 = s1 + excluded.s1,
      s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4,
      s5 = s5 + excluded.s5;
  INSERT INTO complaint_day_stats VALUES (((NEW.created_at + 28800) - ((NEW.created_at + 28800) % 86400 + 86400) % 86400) / 86400, NEW.grade, NEW.category,
      1, (NEW.resolved_at IS NOT NULL), coalesce(NEW.resolved_at <= NEW.resolve_due_at, 0),
      (NEW.acknowledged_at IS NOT NULL), coalesce(NEW.acknowledged_at - NEW.created_at, 0), coalesce(NEW.resolved_at - NEW.created_at, 0),
      (NEW.satisfaction IS NOT NULL), coalesce(NEW.satisfaction, 0), coalesce(NEW.satisfaction = 1, 0),
      coalesce(NEW.satisfaction = 2, 0), coalesce(NEW.satisfaction = 3, 0), coalesce(NEW.satisfaction = 4, 0),
      coalesce(NEW.satisfaction = 5, 0))
  ON CONFLICT (day, grade, category) DO UPDATE SET
      n = n + excluded.n, resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time,
      ack_n = ack_n + excluded.ack_n, ack_s = ack_s + excluded.ack_s, resolve_s = resolve_s + excluded.resolve_s,
      sat_n = sat_n + excluded.sat_n, sat_sum = sat_sum + excluded.sat_sum, s1 = s1 + excluded.s1,
      s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4,
      s5 = s5 + excluded.s5;
END;

CREATE TRIGGER IF NOT EXISTS complaint_cause_days_update AFTER UPDATE OF created_at, root_cause
  ON complaints
BEGIN
  INSERT INTO complaint_cause_days SELECT ((OLD.created_at + 28800) - ((OLD.created_at + 28800) % 86400 + 86400) % 86400) / 86400, trim(OLD.root_cause, ' ' || char(9, 10, 13, 12288)), -1
    WHERE trim(OLD.root_cause, ' ' || char(9, 10, 13, 12288)) <> ''
  ON CONFLICT (day, cause) DO UPDATE SET n = n + excluded.n;
  INSERT INTO complaint_cause_days SELECT ((NEW.created_at + 28800) - ((NEW.created_at + 28800) % 86400 + 86400) % 86400) / 86400, trim(NEW.root_cause, ' ' || char(9, 10, 13, 12288)), 1
    WHERE trim(NEW.root_cause, ' ' || char(9, 10, 13, 12288)) <> ''
  ON CONFLICT (day, cause) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER IF NOT EXISTS complaint_day_stats_delete AFTER DELETE ON complaints
BEGIN
  INSERT INTO complaint_day_stats VALUES (((OLD.created_at + 28800) - ((OLD.created_at + 28800) % 86400 + 86400) % 86400) / 86400, OLD.grade, OLD.category,
      -1, -(OLD.resolved_at IS NOT NULL), -coalesce(OLD.resolved_at <= OLD.resolve_due_at, 0),
      -(OLD.acknowledged_at IS NOT NULL), -coalesce(OLD.acknowledged_at - OLD.created_at, 0), -coalesce(OLD.resolved_at - OLD.created_at, 0),
      -(OLD.satisfaction IS NOT NULL), -coalesce(OLD.satisfaction, 0), -coalesce(OLD.satisfaction = 1, 0),
      -coalesce(OLD.satisfaction = 2, 0), -coalesce(OLD.satisfaction = 3, 0), -coalesce(OLD.satisfaction = 4, 0),
      -coalesce(OLD.satisfaction = 5, 0))
  ON CONFLICT (day, grade, category) DO UPDATE SET
      n = n + excluded.n, resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time,
      ack_n = ack_n + excluded.ack_n, ack_s = ack_s + excluded.ack_s, resolve_s = resolve_s + excluded.resolve_s,
      sat_n = sat_n + excluded.sat_n, sat_sum = sat_sum + excluded.sat_sum, s1 = s1 + excluded.s1,
      s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4,
      s5 = s5 + excluded.s5;
  INSERT INTO complaint_cause_days SELECT ((OLD.created_at + 28800) - ((OLD.created_at + 28800) % 86400 + 86400) % 86400) / 86400, trim(OLD.root_cause, ' ' || char(9, 10, 13, 12288)), -1
    WHERE trim(OLD.root_cause, ' ' || char(9, 10, 13, 12288)) <> ''
  ON CONFLICT (day, cause) DO UPDATE SET n = n + excluded.n;
END;
