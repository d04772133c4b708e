-- Version 7: community life and safety (社区文化建设、安全管理): notices to
-- owners, community activities and the units signed up for them, security
-- patrols and what they found (a finding may become a work order), fire
-- and evacuation drills, and incidents (突发事件) with what was done and
-- who was told. The conventions of schema 1 hold: named CHECKs (messages
-- in src/db/stmt.c), version bumped by one on every update, every write
-- audited, nothing deleted.
-- Written to be safe to apply again on a database that already has these
-- objects (a test re-runs the migrations from version 1 on one file).

CREATE TABLE IF NOT EXISTS notices (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL CONSTRAINT notices_title CHECK (length(title) BETWEEN 1 AND 100),
  body TEXT NOT NULL CONSTRAINT notices_body CHECK (length(body) BETWEEN 1 AND 4000),
  audience TEXT NOT NULL CONSTRAINT notices_audience CHECK (audience IN ('estate','building','unit')),
  building INTEGER CONSTRAINT notices_building CHECK (building IS NULL OR building BETWEEN 1 AND 999),
  unit_id INTEGER REFERENCES units(id),
  valid_from INTEGER NOT NULL,
  valid_to INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0,1)),
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  -- the estate: nobody named; a building: its number; a unit: the unit
  CONSTRAINT notices_target CHECK ((audience = 'estate' AND building IS NULL AND unit_id IS NULL)
      OR (audience = 'building' AND building IS NOT NULL AND unit_id IS NULL)
      OR (audience = 'unit' AND unit_id IS NOT NULL AND building IS NULL)),
  CONSTRAINT notices_valid_order CHECK (valid_to >= valid_from)
);
-- The notices valid now: those not withdrawn that end after now (few).
CREATE INDEX IF NOT EXISTS notices_current ON notices(valid_to) WHERE withdrawn = 0;
CREATE INDEX IF NOT EXISTS notices_unit ON notices(unit_id) WHERE unit_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS activities (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL CONSTRAINT activities_title CHECK (length(title) BETWEEN 1 AND 100),
  place TEXT NOT NULL CONSTRAINT activities_place CHECK (length(place) BETWEEN 1 AND 100),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  -- people; NULL: no limit
  capacity INTEGER CONSTRAINT activities_capacity CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 10000),
  note TEXT CONSTRAINT activities_note CHECK (note IS NULL OR length(note) <= 2000),
  cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0,1)),
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  CONSTRAINT activities_time_order CHECK (ends_at >= starts_at)
);
-- Upcoming: not cancelled and not over yet.
CREATE INDEX IF NOT EXISTS activities_upcoming ON activities(ends_at) WHERE cancelled = 0;

CREATE TABLE IF NOT EXISTS activity_signups (
  id INTEGER PRIMARY KEY,
  activity_id INTEGER NOT NULL REFERENCES activities(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  person_id INTEGER REFERENCES persons(id),
  people INTEGER NOT NULL CONSTRAINT activity_signups_people CHECK (people BETWEEN 1 AND 20),
  at INTEGER NOT NULL,
  by_user INTEGER REFERENCES users(id),
  cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0,1)),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);
-- One active sign-up per activity and unit; it also sums the places taken.
CREATE UNIQUE INDEX IF NOT EXISTS activity_signups_active
  ON activity_signups(activity_id, unit_id) WHERE cancelled = 0;
CREATE INDEX IF NOT EXISTS activity_signups_activity ON activity_signups(activity_id, id);
CREATE INDEX IF NOT EXISTS activity_signups_unit ON activity_signups(unit_id);

CREATE TABLE IF NOT EXISTS patrols (
  id INTEGER PRIMARY KEY,
  route TEXT NOT NULL CONSTRAINT patrols_route CHECK (length(route) BETWEEN 1 AND 100),
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  by_user INTEGER REFERENCES users(id),
  note TEXT CONSTRAINT patrols_note CHECK (note IS NULL OR length(note) <= 2000),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  CONSTRAINT patrols_time_order CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX IF NOT EXISTS patrols_recent ON patrols(started_at);

CREATE TABLE IF NOT EXISTS patrol_findings (
  id INTEGER PRIMARY KEY,
  patrol_id INTEGER NOT NULL REFERENCES patrols(id),
  at INTEGER NOT NULL,
  location TEXT NOT NULL CONSTRAINT patrol_findings_location CHECK (length(location) BETWEEN 1 AND 100),
  what TEXT NOT NULL CONSTRAINT patrol_findings_what CHECK (length(what) BETWEEN 1 AND 2000),
  severity TEXT NOT NULL CONSTRAINT patrol_findings_severity CHECK (severity IN ('low','medium','high')),
  work_order_id INTEGER REFERENCES work_orders(id),
  by_user INTEGER REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);
CREATE INDEX IF NOT EXISTS patrol_findings_patrol ON patrol_findings(patrol_id, id);
-- A work order comes from one finding at most (and the order's finding is found by it).
CREATE UNIQUE INDEX IF NOT EXISTS patrol_findings_order
  ON patrol_findings(work_order_id) WHERE work_order_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS drills (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CONSTRAINT drills_kind CHECK (kind IN ('fire','evacuation','other')),
  held_at INTEGER NOT NULL,
  place TEXT NOT NULL CONSTRAINT drills_place CHECK (length(place) BETWEEN 1 AND 100),
  participants INTEGER NOT NULL CONSTRAINT drills_participants CHECK (participants BETWEEN 0 AND 100000),
  note TEXT CONSTRAINT drills_note CHECK (note IS NULL OR length(note) <= 2000),
  by_user INTEGER REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);
CREATE INDEX IF NOT EXISTS drills_held ON drills(held_at);

CREATE TABLE IF NOT EXISTS incidents (
  id INTEGER PRIMARY KEY,
  what TEXT NOT NULL CONSTRAINT incidents_what CHECK (length(what) BETWEEN 1 AND 4000),
  happened_at INTEGER NOT NULL,
  place TEXT NOT NULL CONSTRAINT incidents_place CHECK (length(place) BETWEEN 1 AND 100),
  -- what was done; NULL until given
  actions TEXT CONSTRAINT incidents_actions CHECK (actions IS NULL OR length(actions) BETWEEN 1 AND 4000),
  -- who was informed (the superior, the owners, the police...)
  informed TEXT CONSTRAINT incidents_informed CHECK (informed IS NULL OR length(informed) BETWEEN 1 AND 2000),
  closed_at INTEGER,
  closing_note TEXT CONSTRAINT incidents_closing_note CHECK (closing_note IS NULL OR length(closing_note) <= 2000),
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  CONSTRAINT incidents_close_needs_actions CHECK (closed_at IS NULL OR actions IS NOT NULL),
  CONSTRAINT incidents_time_order CHECK (closed_at IS NULL OR closed_at >= happened_at)
);
CREATE INDEX IF NOT EXISTS incidents_open ON incidents(happened_at) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS incidents_happened ON incidents(happened_at);

-- ---- rules the database keeps -------------------------------------------------

-- Places are counted when a unit signs up: the people of the active
-- sign-ups never exceed the capacity.
CREATE TRIGGER IF NOT EXISTS activity_signups_capacity BEFORE INSERT ON activity_signups
WHEN NEW.cancelled = 0
 AND (SELECT capacity FROM activities WHERE id = NEW.activity_id) IS NOT NULL
 AND (SELECT coalesce(sum(people), 0) FROM activity_signups
       WHERE activity_id = NEW.activity_id AND cancelled = 0) + NEW.people
     > (SELECT capacity FROM activities WHERE id = NEW.activity_id)
BEGIN
  SELECT RAISE(ABORT, 'activity_full (not enough places left)');
END;
CREATE TRIGGER IF NOT EXISTS activities_capacity_kept BEFORE UPDATE OF capacity ON activities
WHEN NEW.capacity IS NOT NULL
 AND NEW.capacity < (SELECT coalesce(sum(people), 0) FROM activity_signups
                      WHERE activity_id = NEW.id AND cancelled = 0)
BEGIN
  SELECT RAISE(ABORT, 'activity_capacity_below (more people have signed up)');
END;
-- A sign-up is only ever cancelled: changing who or how many would skip
-- the count of places, and so would bringing a cancelled one back.
CREATE TRIGGER IF NOT EXISTS activity_signups_fixed BEFORE UPDATE ON activity_signups
WHEN NEW.activity_id IS NOT OLD.activity_id OR NEW.unit_id IS NOT OLD.unit_id
  OR NEW.person_id IS NOT OLD.person_id OR NEW.people IS NOT OLD.people
  OR NEW.at IS NOT OLD.at OR NEW.by_user IS NOT OLD.by_user
  OR (OLD.cancelled = 1 AND NEW.cancelled = 0)
BEGIN
  SELECT RAISE(ABORT, 'activity_signups_fixed (a sign-up is only cancelled)');
END;
-- A finding becomes one work order, once.
CREATE TRIGGER IF NOT EXISTS patrol_findings_linked_once BEFORE UPDATE OF work_order_id ON patrol_findings
WHEN OLD.work_order_id IS NOT NULL AND NEW.work_order_id IS NOT OLD.work_order_id
BEGIN
  SELECT RAISE(ABORT, 'finding_linked_once (already turned into a work order)');
END;
-- A closed incident is the record of what happened: it stays as closed.
CREATE TRIGGER IF NOT EXISTS incidents_closed_final BEFORE UPDATE ON incidents
WHEN OLD.closed_at IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'incident_closed_final (a closed incident is not changed)');
END;

-- ---- audit -------------------------------------------------------------------

CREATE TRIGGER IF NOT EXISTS audit_notices_insert AFTER INSERT ON notices
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'notices', NEW.id, NULL,
          json_object('id', NEW.id, 'title', NEW.title, 'body', NEW.body, 'audience', NEW.audience,
                      'building', NEW.building, 'unit_id', NEW.unit_id, 'valid_from', NEW.valid_from,
                      'valid_to', NEW.valid_to, 'withdrawn', NEW.withdrawn,
                      'created_at', NEW.created_at, 'created_by', NEW.created_by,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;
CREATE TRIGGER IF NOT EXISTS audit_notices_update AFTER UPDATE ON notices
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'notices', NEW.id,
          json_object('id', OLD.id, 'title', OLD.title, 'body', OLD.body, 'audience', OLD.audience,
                      'building', OLD.building, 'unit_id', OLD.unit_id, 'valid_from', OLD.valid_from,
                      'valid_to', OLD.valid_to, 'withdrawn', OLD.withdrawn,
                      'created_at', OLD.created_at, 'created_by', OLD.created_by,
                      'version', OLD.version, 'updated_at', OLD.updated_at,
                      'updated_by', OLD.updated_by),
          json_object('id', NEW.id, 'title', NEW.title, 'body', NEW.body, 'audience', NEW.audience,
                      'building', NEW.building, 'unit_id', NEW.unit_id, 'valid_from', NEW.valid_from,
                      'valid_to', NEW.valid_to, 'withdrawn', NEW.withdrawn,
                      'created_at', NEW.created_at, 'created_by', NEW.created_by,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;

CREATE TRIGGER IF NOT EXISTS audit_activities_insert AFTER INSERT ON activities
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'activities', NEW.id, NULL,
          json_object('id', NEW.id, 'title', NEW.title, 'place', NEW.place,
                      'starts_at', NEW.starts_at, 'ends_at', NEW.ends_at,
                      'capacity', NEW.capacity, 'note', NEW.note, 'cancelled', NEW.cancelled,
                      'created_at', NEW.created_at, 'created_by', NEW.created_by,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;
CREATE TRIGGER IF NOT EXISTS audit_activities_update AFTER UPDATE ON activities
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'activities', NEW.id,
          json_object('id', OLD.id, 'title', OLD.title, 'place', OLD.place,
                      'starts_at', OLD.starts_at, 'ends_at', OLD.ends_at,
                      'capacity', OLD.capacity, 'note', OLD.note, 'cancelled', OLD.cancelled,
                      'created_at', OLD.created_at, 'created_by', OLD.created_by,
                      'version', OLD.version, 'updated_at', OLD.updated_at,
                      'updated_by', OLD.updated_by),
          json_object('id', NEW.id, 'title', NEW.title, 'place', NEW.place,
                      'starts_at', NEW.starts_at, 'ends_at', NEW.ends_at,
                      'capacity', NEW.capacity, 'note', NEW.note, 'cancelled', NEW.cancelled,
                      'created_at', NEW.created_at, 'created_by', NEW.created_by,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;

CREATE TRIGGER IF NOT EXISTS audit_activity_signups_insert AFTER INSERT ON activity_signups
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'activity_signups', NEW.id, NULL,
          json_object('id', NEW.id, 'activity_id', NEW.activity_id, 'unit_id', NEW.unit_id,
                      'person_id', NEW.person_id, 'people', NEW.people, 'at', NEW.at,
                      'by_user', NEW.by_user, 'cancelled', NEW.cancelled,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;
CREATE TRIGGER IF NOT EXISTS audit_activity_signups_update AFTER UPDATE ON activity_signups
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'activity_signups', NEW.id,
          json_object('id', OLD.id, 'activity_id', OLD.activity_id, 'unit_id', OLD.unit_id,
                      'person_id', OLD.person_id, 'people', OLD.people, 'at', OLD.at,
                      'by_user', OLD.by_user, 'cancelled', OLD.cancelled,
                      'version', OLD.version, 'updated_at', OLD.updated_at,
                      'updated_by', OLD.updated_by),
          json_object('id', NEW.id, 'activity_id', NEW.activity_id, 'unit_id', NEW.unit_id,
                      'person_id', NEW.person_id, 'people', NEW.people, 'at', NEW.at,
                      'by_user', NEW.by_user, 'cancelled', NEW.cancelled,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;

CREATE TRIGGER IF NOT EXISTS audit_patrols_insert AFTER INSERT ON patrols
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'patrols', NEW.id, NULL,
          json_object('id', NEW.id, 'route', NEW.route, 'started_at', NEW.started_at,
                      'ended_at', NEW.ended_at, 'by_user', NEW.by_user, 'note', NEW.note,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;
CREATE TRIGGER IF NOT EXISTS audit_patrols_update AFTER UPDATE ON patrols
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'patrols', NEW.id,
          json_object('id', OLD.id, 'route', OLD.route, 'started_at', OLD.started_at,
                      'ended_at', OLD.ended_at, 'by_user', OLD.by_user, 'note', OLD.note,
                      'version', OLD.version, 'updated_at', OLD.updated_at,
                      'updated_by', OLD.updated_by),
          json_object('id', NEW.id, 'route', NEW.route, 'started_at', NEW.started_at,
                      'ended_at', NEW.ended_at, 'by_user', NEW.by_user, 'note', NEW.note,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;

CREATE TRIGGER IF NOT EXISTS audit_patrol_findings_insert AFTER INSERT ON patrol_findings
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'patrol_findings', NEW.id, NULL,
          json_object('id', NEW.id, 'patrol_id', NEW.patrol_id, 'at', NEW.at,
                      'location', NEW.location, 'what', NEW.what, 'severity', NEW.severity,
                      'work_order_id', NEW.work_order_id, 'by_user', NEW.by_user,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;
CREATE TRIGGER IF NOT EXISTS audit_patrol_findings_update AFTER UPDATE ON patrol_findings
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'patrol_findings', NEW.id,
          json_object('id', OLD.id, 'patrol_id', OLD.patrol_id, 'at', OLD.at,
                      'location', OLD.location, 'what', OLD.what, 'severity', OLD.severity,
                      'work_order_id', OLD.work_order_id, 'by_user', OLD.by_user,
                      'version', OLD.version, 'updated_at', OLD.updated_at,
                      'updated_by', OLD.updated_by),
          json_object('id', NEW.id, 'patrol_id', NEW.patrol_id, 'at', NEW.at,
                      'location', NEW.location, 'what', NEW.what, 'severity', NEW.severity,
                      'work_order_id', NEW.work_order_id, 'by_user', NEW.by_user,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;

CREATE TRIGGER IF NOT EXISTS audit_drills_insert AFTER INSERT ON drills
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'drills', NEW.id, NULL,
          json_object('id', NEW.id, 'kind', NEW.kind, 'held_at', NEW.held_at, 'place', NEW.place,
                      'participants', NEW.participants, 'note', NEW.note, 'by_user', NEW.by_user,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;
CREATE TRIGGER IF NOT EXISTS audit_drills_update AFTER UPDATE ON drills
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'drills', NEW.id,
          json_object('id', OLD.id, 'kind', OLD.kind, 'held_at', OLD.held_at, 'place', OLD.place,
                      'participants', OLD.participants, 'note', OLD.note, 'by_user', OLD.by_user,
                      'version', OLD.version, 'updated_at', OLD.updated_at,
                      'updated_by', OLD.updated_by),
          json_object('id', NEW.id, 'kind', NEW.kind, 'held_at', NEW.held_at, 'place', NEW.place,
                      'participants', NEW.participants, 'note', NEW.note, 'by_user', NEW.by_user,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;

CREATE TRIGGER IF NOT EXISTS audit_incidents_insert AFTER INSERT ON incidents
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'incidents', NEW.id, NULL,
          json_object('id', NEW.id, 'what', NEW.what, 'happened_at', NEW.happened_at,
                      'place', NEW.place, 'actions', NEW.actions, 'informed', NEW.informed,
                      'closed_at', NEW.closed_at, 'closing_note', NEW.closing_note,
                      'created_at', NEW.created_at, 'created_by', NEW.created_by,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;
CREATE TRIGGER IF NOT EXISTS audit_incidents_update AFTER UPDATE ON incidents
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'incidents', NEW.id,
          json_object('id', OLD.id, 'what', OLD.what, 'happened_at', OLD.happened_at,
                      'place', OLD.place, 'actions', OLD.actions, 'informed', OLD.informed,
                      'closed_at', OLD.closed_at, 'closing_note', OLD.closing_note,
                      'created_at', OLD.created_at, 'created_by', OLD.created_by,
                      'version', OLD.version, 'updated_at', OLD.updated_at,
                      'updated_by', OLD.updated_by),
          json_object('id', NEW.id, 'what', NEW.what, 'happened_at', NEW.happened_at,
                      'place', NEW.place, 'actions', NEW.actions, 'informed', NEW.informed,
                      'closed_at', NEW.closed_at, 'closing_note', NEW.closing_note,
                      'created_at', NEW.created_at, 'created_by', NEW.created_by,
                      'version', NEW.version, 'updated_at', NEW.updated_at,
                      'updated_by', NEW.updated_by));
END;

-- ---- optimistic concurrency: every update bumps the version by one ------------

CREATE TRIGGER IF NOT EXISTS notices_version BEFORE UPDATE ON notices
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'notices: every update must increase version by one');
END;
CREATE TRIGGER IF NOT EXISTS activities_version BEFORE UPDATE ON activities
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'activities: every update must increase version by one');
END;
CREATE TRIGGER IF NOT EXISTS activity_signups_version BEFORE UPDATE ON activity_signups
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'activity_signups: every update must increase version by one');
END;
CREATE TRIGGER IF NOT EXISTS patrols_version BEFORE UPDATE ON patrols
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'patrols: every update must increase version by one');
END;
CREATE TRIGGER IF NOT EXISTS patrol_findings_version BEFORE UPDATE ON patrol_findings
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'patrol_findings: every update must increase version by one');
END;
CREATE TRIGGER IF NOT EXISTS drills_version BEFORE UPDATE ON drills
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'drills: every update must increase version by one');
END;
CREATE TRIGGER IF NOT EXISTS incidents_version BEFORE UPDATE ON incidents
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'incidents: every update must increase version by one');
END;

-- ---- nothing is ever deleted: withdrawn, cancelled or closed instead -----------

CREATE TRIGGER IF NOT EXISTS notices_no_delete BEFORE DELETE ON notices
BEGIN
  SELECT RAISE(ABORT, 'notices: records are never deleted');
END;
CREATE TRIGGER IF NOT EXISTS activities_no_delete BEFORE DELETE ON activities
BEGIN
  SELECT RAISE(ABORT, 'activities: records are never deleted');
END;
CREATE TRIGGER IF NOT EXISTS activity_signups_no_delete BEFORE DELETE ON activity_signups
BEGIN
  SELECT RAISE(ABORT, 'activity_signups: records are never deleted');
END;
CREATE TRIGGER IF NOT EXISTS patrols_no_delete BEFORE DELETE ON patrols
BEGIN
  SELECT RAISE(ABORT, 'patrols: records are never deleted');
END;
CREATE TRIGGER IF NOT EXISTS patrol_findings_no_delete BEFORE DELETE ON patrol_findings
BEGIN
  SELECT RAISE(ABORT, 'patrol_findings: records are never deleted');
END;
CREATE TRIGGER IF NOT EXISTS drills_no_delete BEFORE DELETE ON drills
BEGIN
  SELECT RAISE(ABORT, 'drills: records are never deleted');
END;
CREATE TRIGGER IF NOT EXISTS incidents_no_delete BEFORE DELETE ON incidents
BEGIN
  SELECT RAISE(ABORT, 'incidents: records are never deleted');
END;
