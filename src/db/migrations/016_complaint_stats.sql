-- Version 16: the complaint figures, kept by day (issue 9).
--
-- The complaints report and the Complaints screen's figures would
-- otherwise read every complaint taken in their range (16,000 in a month
-- of the large estate: 43 ms for the report, 105 ms for the screen's
-- year). complaint_day_stats holds one row per day of taking in China
-- time (UTC+8, the calendar of the complaint months: day =
-- floor((created_at + 28800) / 86400)) with the sums the figures need:
-- complaints, resolved, resolved on time, acknowledged and resolved with
-- their times, revisits with their scores (s1..s5: how many gave each),
-- and how many of each grade (g_) and category (c_).
-- complaint_cause_days holds, per such day, how many complaints have each
-- root cause, trimmed of white space as the figures trim it (blank causes
-- are not kept; a cause whose complaints all changed keeps a row of 0).
-- Nothing here changes with the clock. The hours of a range that do not
-- fill a day are read from the complaints themselves (complaints_report,
-- covering). See src/repo/complaint_stats.c.
--
-- Derived, not a record, like wo_day_stats: the triggers below keep both
-- tables in step in the same transaction as the change of the complaint,
-- whoever writes it; no version, no audit, no history. A bulk load drops
-- the triggers of complaints and rebuilds the tables at its end
-- (src/repo/bulk.c); `guanjia check` compares them with the complaints.
-- The same sums are written in src/repo/repo_internal.h
-- (GJ_COMPLAINT_DAY_STATS_SELECT): change both together.
DROP TABLE IF EXISTS complaint_day_stats;
CREATE TABLE complaint_day_stats (
  day INTEGER PRIMARY KEY,
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
  g_minor INTEGER NOT NULL,
  g_moderate INTEGER NOT NULL,
  g_serious INTEGER NOT NULL,
  c_attitude INTEGER NOT NULL,
  c_repair_quality INTEGER NOT NULL,
  c_noise INTEGER NOT NULL,
  c_sanitation INTEGER NOT NULL,
  c_security INTEGER NOT NULL,
  c_fees INTEGER NOT NULL,
  c_parking INTEGER NOT NULL,
  c_neighbour INTEGER NOT NULL,
  c_other INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS complaint_cause_days (
  day INTEGER NOT NULL,
  cause TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (day, cause)
) WITHOUT ROWID;

-- Counted afresh, also when a migration runs again over tables it made.
INSERT INTO complaint_day_stats
SELECT ((created_at + 28800) - ((created_at + 28800) % 86400 + 86400) % 86400) / 86400,
       count(*), sum(resolved_at IS NOT NULL), sum(coalesce(resolved_at <= resolve_due_at, 0)),
       sum(acknowledged_at IS NOT NULL), sum(coalesce(acknowledged_at - created_at, 0)),
       sum(coalesce(resolved_at - created_at, 0)), sum(satisfaction IS NOT NULL),
       sum(coalesce(satisfaction, 0)), sum(coalesce(satisfaction = 1, 0)),
       sum(coalesce(satisfaction = 2, 0)), sum(coalesce(satisfaction = 3, 0)),
       sum(coalesce(satisfaction = 4, 0)), sum(coalesce(satisfaction = 5, 0)),
       sum(grade = 'minor'), sum(grade = 'moderate'), sum(grade = 'serious'),
       sum(category = 'attitude'), sum(category = 'repair_quality'), sum(category = 'noise'),
       sum(category = 'sanitation'), sum(category = 'security'), sum(category = 'fees'),
       sum(category = 'parking'), sum(category = 'neighbour'), sum(category = 'other')
FROM complaints GROUP BY 1;
DELETE FROM complaint_cause_days;
INSERT INTO complaint_cause_days
SELECT ((created_at + 28800) - ((created_at + 28800) % 86400 + 86400) % 86400) / 86400, trim(root_cause, ' ' || char(9, 10, 13, 12288)), count(*)
FROM complaints WHERE trim(root_cause, ' ' || char(9, 10, 13, 12288)) <> '' GROUP BY 1, 2;

DROP TRIGGER IF EXISTS complaint_day_stats_insert;
CREATE TRIGGER complaint_day_stats_insert AFTER INSERT ON complaints
BEGIN
  INSERT INTO complaint_day_stats VALUES (((NEW.created_at + 28800) - ((NEW.created_at + 28800) % 86400 + 86400) % 86400) / 86400,
      1, NEW.resolved_at IS NOT NULL, coalesce(NEW.resolved_at <= NEW.resolve_due_at, 0),
      NEW.acknowledged_at IS NOT NULL, coalesce(NEW.acknowledged_at - NEW.created_at, 0),
      coalesce(NEW.resolved_at - NEW.created_at, 0), NEW.satisfaction IS NOT NULL,
      coalesce(NEW.satisfaction, 0), coalesce(NEW.satisfaction = 1, 0),
      coalesce(NEW.satisfaction = 2, 0), coalesce(NEW.satisfaction = 3, 0),
      coalesce(NEW.satisfaction = 4, 0), coalesce(NEW.satisfaction = 5, 0),
      NEW.grade = 'minor', NEW.grade = 'moderate', NEW.grade = 'serious',
      NEW.category = 'attitude', NEW.category = 'repair_quality', NEW.category = 'noise',
      NEW.category = 'sanitation', NEW.category = 'security', NEW.category = 'fees',
      NEW.category = 'parking', NEW.category = 'neighbour', NEW.category = 'other')
  ON CONFLICT (day) DO UPDATE SET
      n = n + excluded.n, resolved = resolved + excluded.resolved,
      on_time = on_time + excluded.on_time, ack_n = ack_n + excluded.ack_n,
      ack_s = ack_s + excluded.ack_s, resolve_s = resolve_s + excluded.resolve_s,
      sat_n = sat_n + excluded.sat_n, sat_sum = sat_sum + excluded.sat_sum,
      s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3,
      s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, g_minor = g_minor + excluded.g_minor,
      g_moderate = g_moderate + excluded.g_moderate,
      g_serious = g_serious + excluded.g_serious,
      c_attitude = c_attitude + excluded.c_attitude,
      c_repair_quality = c_repair_quality + excluded.c_repair_quality,
      c_noise = c_noise + excluded.c_noise,
      c_sanitation = c_sanitation + excluded.c_sanitation,
      c_security = c_security + excluded.c_security, c_fees = c_fees + excluded.c_fees,
      c_parking = c_parking + excluded.c_parking,
      c_neighbour = c_neighbour + excluded.c_neighbour, c_other = c_other + excluded.c_other;
  INSERT INTO complaint_cause_days SELECT ((NEW.created_at + 28800) - ((NEW.created_at + 28800) % 86400 + 86400) % 86400) / 86400,
      trim(NEW.root_cause, ' ' || char(9, 10, 13, 12288)), 1
    WHERE trim(NEW.root_cause, ' ' || char(9, 10, 13, 12288)) <> ''
  ON CONFLICT (day, cause) DO UPDATE SET n = n + excluded.n;
END;

-- An update takes the old row's share away and adds the new row's; only
-- the columns counted here fire it.
DROP TRIGGER IF EXISTS complaint_day_stats_update;
CREATE TRIGGER complaint_day_stats_update AFTER UPDATE OF created_at, grade, category,
  acknowledged_at, resolved_at, resolve_due_at, satisfaction ON complaints
BEGIN
  INSERT INTO complaint_day_stats VALUES (((OLD.created_at + 28800) - ((OLD.created_at + 28800) % 86400 + 86400) % 86400) / 86400,
      -(1), -(OLD.resolved_at IS NOT NULL),
      -(coalesce(OLD.resolved_at <= OLD.resolve_due_at, 0)),
      -(OLD.acknowledged_at IS NOT NULL), -(coalesce(OLD.acknowledged_at - OLD.created_at, 0)),
      -(coalesce(OLD.resolved_at - OLD.created_at, 0)), -(OLD.satisfaction IS NOT NULL),
      -(coalesce(OLD.satisfaction, 0)), -(coalesce(OLD.satisfaction = 1, 0)),
      -(coalesce(OLD.satisfaction = 2, 0)), -(coalesce(OLD.satisfaction = 3, 0)),
      -(coalesce(OLD.satisfaction = 4, 0)), -(coalesce(OLD.satisfaction = 5, 0)),
      -(OLD.grade = 'minor'), -(OLD.grade = 'moderate'), -(OLD.grade = 'serious'),
      -(OLD.category = 'attitude'), -(OLD.category = 'repair_quality'),
      -(OLD.category = 'noise'), -(OLD.category = 'sanitation'), -(OLD.category = 'security'),
      -(OLD.category = 'fees'), -(OLD.category = 'parking'), -(OLD.category = 'neighbour'),
      -(OLD.category = 'other'))
  ON CONFLICT (day) DO UPDATE SET
      n = n + excluded.n, resolved = resolved + excluded.resolved,
      on_time = on_time + excluded.on_time, ack_n = ack_n + excluded.ack_n,
      ack_s = ack_s + excluded.ack_s, resolve_s = resolve_s + excluded.resolve_s,
      sat_n = sat_n + excluded.sat_n, sat_sum = sat_sum + excluded.sat_sum,
      s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3,
      s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, g_minor = g_minor + excluded.g_minor,
      g_moderate = g_moderate + excluded.g_moderate,
      g_serious = g_serious + excluded.g_serious,
      c_attitude = c_attitude + excluded.c_attitude,
      c_repair_quality = c_repair_quality + excluded.c_repair_quality,
      c_noise = c_noise + excluded.c_noise,
      c_sanitation = c_sanitation + excluded.c_sanitation,
      c_security = c_security + excluded.c_security, c_fees = c_fees + excluded.c_fees,
      c_parking = c_parking + excluded.c_parking,
      c_neighbour = c_neighbour + excluded.c_neighbour, c_other = c_other + excluded.c_other;
  INSERT INTO complaint_day_stats VALUES (((NEW.created_at + 28800) - ((NEW.created_at + 28800) % 86400 + 86400) % 86400) / 86400,
      1, NEW.resolved_at IS NOT NULL, coalesce(NEW.resolved_at <= NEW.resolve_due_at, 0),
      NEW.acknowledged_at IS NOT NULL, coalesce(NEW.acknowledged_at - NEW.created_at, 0),
      coalesce(NEW.resolved_at - NEW.created_at, 0), NEW.satisfaction IS NOT NULL,
      coalesce(NEW.satisfaction, 0), coalesce(NEW.satisfaction = 1, 0),
      coalesce(NEW.satisfaction = 2, 0), coalesce(NEW.satisfaction = 3, 0),
      coalesce(NEW.satisfaction = 4, 0), coalesce(NEW.satisfaction = 5, 0),
      NEW.grade = 'minor', NEW.grade = 'moderate', NEW.grade = 'serious',
      NEW.category = 'attitude', NEW.category = 'repair_quality', NEW.category = 'noise',
      NEW.category = 'sanitation', NEW.category = 'security', NEW.category = 'fees',
      NEW.category = 'parking', NEW.category = 'neighbour', NEW.category = 'other')
  ON CONFLICT (day) DO UPDATE SET
      n = n + excluded.n, resolved = resolved + excluded.resolved,
      on_time = on_time + excluded.on_time, ack_n = ack_n + excluded.ack_n,
      ack_s = ack_s + excluded.ack_s, resolve_s = resolve_s + excluded.resolve_s,
      sat_n = sat_n + excluded.sat_n, sat_sum = sat_sum + excluded.sat_sum,
      s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3,
      s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, g_minor = g_minor + excluded.g_minor,
      g_moderate = g_moderate + excluded.g_moderate,
      g_serious = g_serious + excluded.g_serious,
      c_attitude = c_attitude + excluded.c_attitude,
      c_repair_quality = c_repair_quality + excluded.c_repair_quality,
      c_noise = c_noise + excluded.c_noise,
      c_sanitation = c_sanitation + excluded.c_sanitation,
      c_security = c_security + excluded.c_security, c_fees = c_fees + excluded.c_fees,
      c_parking = c_parking + excluded.c_parking,
      c_neighbour = c_neighbour + excluded.c_neighbour, c_other = c_other + excluded.c_other;
END;

DROP TRIGGER IF EXISTS complaint_cause_days_update;
CREATE TRIGGER complaint_cause_days_update AFTER UPDATE OF created_at, root_cause ON complaints
BEGIN
  INSERT INTO complaint_cause_days SELECT ((OLD.created_at + 28800) - ((OLD.created_at + 28800) % 86400 + 86400) % 86400) / 86400,
      trim(OLD.root_cause, ' ' || char(9, 10, 13, 12288)), -1
    WHERE trim(OLD.root_cause, ' ' || char(9, 10, 13, 12288)) <> ''
  ON CONFLICT (day, cause) DO UPDATE SET n = n + excluded.n;
  INSERT INTO complaint_cause_days SELECT ((NEW.created_at + 28800) - ((NEW.created_at + 28800) % 86400 + 86400) % 86400) / 86400,
      trim(NEW.root_cause, ' ' || char(9, 10, 13, 12288)), 1
    WHERE trim(NEW.root_cause, ' ' || char(9, 10, 13, 12288)) <> ''
  ON CONFLICT (day, cause) DO UPDATE SET n = n + excluded.n;
END;

-- Complaints are never deleted (complaints_no_delete); should one be, its
-- share goes too.
DROP TRIGGER IF EXISTS complaint_day_stats_delete;
CREATE TRIGGER complaint_day_stats_delete AFTER DELETE ON complaints
BEGIN
  INSERT INTO complaint_day_stats VALUES (((OLD.created_at + 28800) - ((OLD.created_at + 28800) % 86400 + 86400) % 86400) / 86400,
      -(1), -(OLD.resolved_at IS NOT NULL),
      -(coalesce(OLD.resolved_at <= OLD.resolve_due_at, 0)),
      -(OLD.acknowledged_at IS NOT NULL), -(coalesce(OLD.acknowledged_at - OLD.created_at, 0)),
      -(coalesce(OLD.resolved_at - OLD.created_at, 0)), -(OLD.satisfaction IS NOT NULL),
      -(coalesce(OLD.satisfaction, 0)), -(coalesce(OLD.satisfaction = 1, 0)),
      -(coalesce(OLD.satisfaction = 2, 0)), -(coalesce(OLD.satisfaction = 3, 0)),
      -(coalesce(OLD.satisfaction = 4, 0)), -(coalesce(OLD.satisfaction = 5, 0)),
      -(OLD.grade = 'minor'), -(OLD.grade = 'moderate'), -(OLD.grade = 'serious'),
      -(OLD.category = 'attitude'), -(OLD.category = 'repair_quality'),
      -(OLD.category = 'noise'), -(OLD.category = 'sanitation'), -(OLD.category = 'security'),
      -(OLD.category = 'fees'), -(OLD.category = 'parking'), -(OLD.category = 'neighbour'),
      -(OLD.category = 'other'))
  ON CONFLICT (day) DO UPDATE SET
      n = n + excluded.n, resolved = resolved + excluded.resolved,
      on_time = on_time + excluded.on_time, ack_n = ack_n + excluded.ack_n,
      ack_s = ack_s + excluded.ack_s, resolve_s = resolve_s + excluded.resolve_s,
      sat_n = sat_n + excluded.sat_n, sat_sum = sat_sum + excluded.sat_sum,
      s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3,
      s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, g_minor = g_minor + excluded.g_minor,
      g_moderate = g_moderate + excluded.g_moderate,
      g_serious = g_serious + excluded.g_serious,
      c_attitude = c_attitude + excluded.c_attitude,
      c_repair_quality = c_repair_quality + excluded.c_repair_quality,
      c_noise = c_noise + excluded.c_noise,
      c_sanitation = c_sanitation + excluded.c_sanitation,
      c_security = c_security + excluded.c_security, c_fees = c_fees + excluded.c_fees,
      c_parking = c_parking + excluded.c_parking,
      c_neighbour = c_neighbour + excluded.c_neighbour, c_other = c_other + excluded.c_other;
  INSERT INTO complaint_cause_days SELECT ((OLD.created_at + 28800) - ((OLD.created_at + 28800) % 86400 + 86400) % 86400) / 86400,
      trim(OLD.root_cause, ' ' || char(9, 10, 13, 12288)), -1
    WHERE trim(OLD.root_cause, ' ' || char(9, 10, 13, 12288)) <> ''
  ON CONFLICT (day, cause) DO UPDATE SET n = n + excluded.n;
END;
