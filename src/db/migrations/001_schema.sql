-- Guanjia schema v1: the whole product.
-- Rules live here as well as in C: NOT NULL, CHECK, UNIQUE and foreign keys.
-- Every mutable row carries version (optimistic concurrency), updated_at
-- (UTC epoch seconds) and updated_by (users.id; NULL means the system).
-- Times are UTC epoch seconds. Money is integer fen. Months are yyyymm.
-- Nothing is deleted: rows are archived, and money is reversed by new rows.

CREATE TABLE settings (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE CONSTRAINT settings_key CHECK (length(key) BETWEEN 1 AND 64),
  value TEXT NOT NULL CONSTRAINT settings_value CHECK (length(value) <= 1000),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);

CREATE TABLE sla_targets (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  level TEXT NOT NULL,
  respond_minutes INTEGER NOT NULL CONSTRAINT sla_respond_positive CHECK (respond_minutes BETWEEN 1 AND 525600),
  resolve_minutes INTEGER NOT NULL CONSTRAINT sla_resolve_after_respond CHECK (resolve_minutes BETWEEN respond_minutes AND 525600),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  UNIQUE (kind, level),
  CONSTRAINT sla_level CHECK ((kind = 'work_order' AND level IN ('urgent','high','normal','low'))
                           OR (kind = 'complaint' AND level IN ('minor','moderate','serious')))
);

CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CONSTRAINT departments_name CHECK (length(name) BETWEEN 1 AND 64),
  kind TEXT NOT NULL CONSTRAINT departments_kind CHECK (kind IN ('customer_service','maintenance','cleaning','landscaping','security','finance','management','other')),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);

CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  name TEXT NOT NULL CONSTRAINT staff_name CHECK (length(name) BETWEEN 1 AND 64),
  phone TEXT CONSTRAINT staff_phone CHECK (phone IS NULL OR (length(phone) BETWEEN 11 AND 13 AND phone NOT GLOB '*[^0-9-]*')),
  title TEXT CONSTRAINT staff_title CHECK (title IS NULL OR length(title) <= 64),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);
CREATE INDEX staff_department ON staff(department_id, name);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE COLLATE NOCASE
    CONSTRAINT users_login CHECK (length(login) BETWEEN 2 AND 32 AND login NOT GLOB '*[^A-Za-z0-9._-]*'),
  name TEXT NOT NULL CONSTRAINT users_name CHECK (length(name) BETWEEN 1 AND 64),
  role TEXT NOT NULL CONSTRAINT users_role CHECK (role IN ('trainee','butler','supervisor','manager')),
  rank TEXT NOT NULL DEFAULT 'trainee'
    CONSTRAINT users_rank CHECK (rank IN ('trainee','assistant','butler','senior','head')),
  password_hash TEXT NOT NULL CONSTRAINT users_password_hash CHECK (length(password_hash) BETWEEN 20 AND 128),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until INTEGER,
  staff_id INTEGER REFERENCES staff(id),
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);

CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  building INTEGER NOT NULL CONSTRAINT units_building CHECK (building BETWEEN 1 AND 999),
  entrance INTEGER NOT NULL CONSTRAINT units_entrance CHECK (entrance BETWEEN 1 AND 99),
  floor INTEGER NOT NULL CONSTRAINT units_floor CHECK (floor BETWEEN 1 AND 999),
  room INTEGER NOT NULL CONSTRAINT units_room CHECK (room BETWEEN 101 AND 99999),
  area_centi_m2 INTEGER NOT NULL CONSTRAINT units_area CHECK (area_centi_m2 BETWEEN 1 AND 10000000),
  status TEXT NOT NULL DEFAULT 'delivered'
    CONSTRAINT units_status CHECK (status IN ('unsold','delivered','occupied','vacant','renovating')),
  delivered_at INTEGER,
  notes TEXT CONSTRAINT units_notes CHECK (notes IS NULL OR length(notes) <= 2000),
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  CONSTRAINT units_code_unique UNIQUE (building, entrance, room),
  CONSTRAINT units_sold_delivered CHECK (status = 'unsold' OR delivered_at IS NOT NULL)
);
CREATE INDEX units_room_idx ON units(room);

CREATE TABLE persons (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CONSTRAINT persons_name CHECK (length(name) BETWEEN 1 AND 64),
  phone TEXT CONSTRAINT persons_phone CHECK (phone IS NULL OR (length(phone) BETWEEN 11 AND 13 AND phone NOT GLOB '*[^0-9-]*')),
  phone2 TEXT CONSTRAINT persons_phone2 CHECK (phone2 IS NULL OR (length(phone2) BETWEEN 11 AND 13 AND phone2 NOT GLOB '*[^0-9-]*')),
  id_number TEXT CONSTRAINT persons_id_number CHECK (id_number IS NULL OR (length(id_number) = 18
      AND substr(id_number, 1, 17) NOT GLOB '*[^0-9]*' AND substr(id_number, 18, 1) GLOB '[0-9X]')),
  notes TEXT CONSTRAINT persons_notes CHECK (notes IS NULL OR length(notes) <= 2000),
  initials TEXT NOT NULL CONSTRAINT persons_initials CHECK (length(initials) <= 64),
  search_keys TEXT NOT NULL CONSTRAINT persons_search_keys CHECK (length(search_keys) <= 1100),
  phone_last4 TEXT GENERATED ALWAYS AS (substr(phone, -4)) VIRTUAL,
  phone2_last4 TEXT GENERATED ALWAYS AS (substr(phone2, -4)) VIRTUAL,
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);
CREATE INDEX persons_name_idx ON persons(name);
CREATE INDEX persons_initials_idx ON persons(initials);
CREATE INDEX persons_phone_idx ON persons(phone);
CREATE INDEX persons_phone2_idx ON persons(phone2) WHERE phone2 IS NOT NULL;
CREATE INDEX persons_phone_last4_idx ON persons(phone_last4);
CREATE INDEX persons_phone2_last4_idx ON persons(phone2_last4) WHERE phone2 IS NOT NULL;

CREATE TABLE unit_persons (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  person_id INTEGER NOT NULL REFERENCES persons(id),
  relation TEXT NOT NULL CONSTRAINT unit_persons_relation CHECK (relation IN ('owner','tenant','family')),
  start_at INTEGER,
  end_at INTEGER,
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  CONSTRAINT unit_persons_dates CHECK (end_at IS NULL OR start_at IS NULL OR end_at >= start_at)
);
CREATE UNIQUE INDEX unit_persons_active ON unit_persons(unit_id, person_id, relation) WHERE end_at IS NULL;
CREATE INDEX unit_persons_person ON unit_persons(person_id);

CREATE TABLE vehicles (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  unit_id INTEGER REFERENCES units(id),
  plate TEXT NOT NULL UNIQUE CONSTRAINT vehicles_plate CHECK (length(plate) BETWEEN 7 AND 8),
  description TEXT CONSTRAINT vehicles_description CHECK (description IS NULL OR length(description) <= 200),
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);
CREATE INDEX vehicles_person ON vehicles(person_id);
CREATE INDEX vehicles_unit ON vehicles(unit_id);

CREATE TABLE parking_spaces (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE CONSTRAINT parking_code CHECK (length(code) BETWEEN 1 AND 16),
  zone TEXT CONSTRAINT parking_zone CHECK (zone IS NULL OR length(zone) <= 32),
  kind TEXT NOT NULL CONSTRAINT parking_kind CHECK (kind IN ('owned','rented','visitor')),
  unit_id INTEGER REFERENCES units(id),
  vehicle_id INTEGER REFERENCES vehicles(id),
  assigned_at INTEGER,
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  CONSTRAINT parking_assigned CHECK ((unit_id IS NULL) = (assigned_at IS NULL))
);
CREATE INDEX parking_unit ON parking_spaces(unit_id) WHERE unit_id IS NOT NULL;

CREATE TABLE work_orders (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER REFERENCES units(id),
  person_id INTEGER REFERENCES persons(id),
  channel TEXT NOT NULL CONSTRAINT wo_channel CHECK (channel IN ('phone','wechat','email','walk_in','other')),
  category TEXT NOT NULL CONSTRAINT wo_category CHECK (category IN ('repair','cleaning','landscaping','security','enquiry','suggestion','other')),
  priority TEXT NOT NULL CONSTRAINT wo_priority CHECK (priority IN ('urgent','high','normal','low')),
  state TEXT NOT NULL DEFAULT 'new'
    CONSTRAINT wo_state CHECK (state IN ('new','dispatched','in_progress','on_hold','resolved','closed','cancelled')),
  description TEXT NOT NULL CONSTRAINT wo_description CHECK (length(description) BETWEEN 1 AND 4000),
  appointment_at INTEGER,
  respond_due_at INTEGER NOT NULL,
  resolve_due_at INTEGER NOT NULL,
  promised_at INTEGER,
  promise_reason TEXT CONSTRAINT wo_promise_reason CHECK (promise_reason IS NULL OR length(promise_reason) BETWEEN 1 AND 500),
  department_id INTEGER REFERENCES departments(id),
  assignee_staff_id INTEGER REFERENCES staff(id),
  responded_at INTEGER,
  resolved_at INTEGER,
  closed_at INTEGER,
  paused_seconds INTEGER NOT NULL DEFAULT 0 CHECK (paused_seconds >= 0),
  hold_started_at INTEGER,
  hold_reason TEXT CONSTRAINT wo_hold_reason CHECK (hold_reason IS NULL OR hold_reason IN ('owner','parts','other')),
  resolution TEXT CONSTRAINT wo_resolution CHECK (resolution IS NULL OR length(resolution) <= 4000),
  satisfaction INTEGER CONSTRAINT wo_satisfaction CHECK (satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5),
  feedback TEXT CONSTRAINT wo_feedback CHECK (feedback IS NULL OR length(feedback) <= 2000),
  cancel_reason TEXT CONSTRAINT wo_cancel_reason CHECK (cancel_reason IS NULL OR length(cancel_reason) BETWEEN 1 AND 500),
  chase_count INTEGER NOT NULL DEFAULT 0 CHECK (chase_count >= 0),
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  CONSTRAINT wo_due_order CHECK (resolve_due_at >= respond_due_at),
  CONSTRAINT wo_promise_pair CHECK ((promised_at IS NULL) = (promise_reason IS NULL)),
  CONSTRAINT wo_hold_needs_reason CHECK (state <> 'on_hold' OR (hold_started_at IS NOT NULL AND hold_reason IS NOT NULL)),
  CONSTRAINT wo_cancel_needs_reason CHECK (state <> 'cancelled' OR cancel_reason IS NOT NULL),
  CONSTRAINT wo_dispatch_needs_department CHECK (state IN ('new','cancelled') OR department_id IS NOT NULL),
  CONSTRAINT wo_closed_needs_feedback CHECK (state <> 'closed' OR satisfaction IS NOT NULL)
);
CREATE INDEX wo_state_due ON work_orders(state, resolve_due_at);
CREATE INDEX wo_unit ON work_orders(unit_id, created_at);
CREATE INDEX wo_department ON work_orders(department_id, state, resolve_due_at);
CREATE INDEX wo_assignee ON work_orders(assignee_staff_id, state, resolve_due_at);
CREATE INDEX wo_created ON work_orders(created_at);

CREATE TABLE work_order_events (
  id INTEGER PRIMARY KEY,
  work_order_id INTEGER NOT NULL REFERENCES work_orders(id),
  at INTEGER NOT NULL,
  user_id INTEGER REFERENCES users(id),
  kind TEXT NOT NULL CONSTRAINT wo_event_kind CHECK (kind IN ('created','dispatched','started','held','resumed',
      'resolved','closed','reopened','cancelled','chased','promised','note','respond_breached','resolve_breached')),
  from_state TEXT,
  to_state TEXT,
  note TEXT CONSTRAINT wo_event_note CHECK (note IS NULL OR length(note) <= 4000)
);
CREATE INDEX wo_events_order ON work_order_events(work_order_id, at);
-- A breach is recorded exactly once, however often the check runs.
CREATE UNIQUE INDEX wo_events_breach_once ON work_order_events(work_order_id, kind)
  WHERE kind IN ('respond_breached','resolve_breached');

CREATE TABLE complaints (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER REFERENCES units(id),
  person_id INTEGER REFERENCES persons(id),
  channel TEXT NOT NULL CONSTRAINT complaint_channel CHECK (channel IN ('phone','wechat','email','walk_in','other')),
  subject TEXT NOT NULL CONSTRAINT complaint_subject CHECK (length(subject) BETWEEN 1 AND 200),
  detail TEXT NOT NULL CONSTRAINT complaint_detail CHECK (length(detail) BETWEEN 1 AND 4000),
  category TEXT NOT NULL CONSTRAINT complaint_category CHECK (category IN ('attitude','repair_quality','noise',
      'sanitation','security','fees','parking','neighbour','other')),
  grade TEXT NOT NULL CONSTRAINT complaint_grade CHECK (grade IN ('minor','moderate','serious')),
  -- who handles it now: 0 butler, 1 supervisor, 2 manager, 3 management alerted (高层介入)
  level INTEGER NOT NULL CONSTRAINT complaint_level CHECK (level BETWEEN 0 AND 3),
  state TEXT NOT NULL DEFAULT 'open'
    CONSTRAINT complaint_state CHECK (state IN ('open','acknowledged','resolved','closed')),
  cycle INTEGER NOT NULL DEFAULT 1 CHECK (cycle >= 1),
  assignee_user_id INTEGER REFERENCES users(id),
  ack_due_at INTEGER NOT NULL,
  resolve_due_at INTEGER NOT NULL,
  acknowledged_at INTEGER,
  resolved_at INTEGER,
  revisit_due_at INTEGER,
  revisited_at INTEGER,
  closed_at INTEGER,
  action_taken TEXT CONSTRAINT complaint_action CHECK (action_taken IS NULL OR length(action_taken) <= 4000),
  result TEXT CONSTRAINT complaint_result CHECK (result IS NULL OR length(result) <= 4000),
  root_cause TEXT CONSTRAINT complaint_root_cause CHECK (root_cause IS NULL OR length(root_cause) <= 4000),
  corrective_action TEXT CONSTRAINT complaint_corrective CHECK (corrective_action IS NULL OR length(corrective_action) <= 4000),
  satisfaction INTEGER CONSTRAINT complaint_satisfaction CHECK (satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5),
  revisit_comment TEXT CONSTRAINT complaint_revisit_comment CHECK (revisit_comment IS NULL OR length(revisit_comment) <= 2000),
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  CONSTRAINT complaint_due_order CHECK (resolve_due_at >= ack_due_at),
  CONSTRAINT complaint_resolved_has_revisit CHECK (state NOT IN ('resolved','closed') OR revisit_due_at IS NOT NULL),
  CONSTRAINT complaint_close_needs_cause CHECK (state <> 'closed' OR grade = 'minor'
      OR (root_cause IS NOT NULL AND corrective_action IS NOT NULL)),
  CONSTRAINT complaint_closed_needs_revisit CHECK (state <> 'closed' OR satisfaction IS NOT NULL)
);
CREATE INDEX complaints_state_due ON complaints(state, resolve_due_at);
CREATE INDEX complaints_grade ON complaints(grade, state, resolve_due_at);
CREATE INDEX complaints_assignee ON complaints(assignee_user_id, state, resolve_due_at);
CREATE INDEX complaints_revisit ON complaints(state, revisit_due_at) WHERE state = 'resolved';
CREATE INDEX complaints_unit ON complaints(unit_id, created_at);
CREATE INDEX complaints_person ON complaints(person_id, created_at);
CREATE INDEX complaints_created ON complaints(created_at);

CREATE TABLE complaint_events (
  id INTEGER PRIMARY KEY,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id),
  at INTEGER NOT NULL,
  user_id INTEGER REFERENCES users(id),
  kind TEXT NOT NULL CONSTRAINT complaint_event_kind CHECK (kind IN ('created','acknowledged','regraded','assigned',
      'escalated','resolved','revisited','reopened','closed','note')),
  cycle INTEGER NOT NULL DEFAULT 1,
  reason TEXT,
  from_level INTEGER,
  to_level INTEGER,
  note TEXT CONSTRAINT complaint_event_note CHECK (note IS NULL OR length(note) <= 4000),
  CONSTRAINT complaint_event_escalation CHECK (kind <> 'escalated'
      OR (reason IN ('ack_overdue','resolve_overdue','resolve_overdue_more') AND to_level = from_level + 1))
);
CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, at);
-- Each escalation is recorded once per cycle (a reopened complaint starts a new cycle).
CREATE UNIQUE INDEX complaint_events_escalate_once ON complaint_events(complaint_id, cycle, reason)
  WHERE kind = 'escalated';

CREATE TABLE fee_items (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CONSTRAINT fee_items_name CHECK (length(name) BETWEEN 1 AND 64),
  kind TEXT NOT NULL CONSTRAINT fee_items_kind CHECK (kind IN ('per_m2','per_space','fixed')),
  rate_fen INTEGER NOT NULL CONSTRAINT fee_items_rate CHECK (rate_fen BETWEEN 0 AND 100000000),
  active_from INTEGER NOT NULL CONSTRAINT fee_items_from CHECK (active_from BETWEEN 190001 AND 999912 AND active_from % 100 BETWEEN 1 AND 12),
  active_to INTEGER CONSTRAINT fee_items_to CHECK (active_to IS NULL OR (active_to >= active_from AND active_to % 100 BETWEEN 1 AND 12)),
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);

CREATE TABLE bills (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  fee_item_id INTEGER NOT NULL REFERENCES fee_items(id),
  parking_space_id INTEGER REFERENCES parking_spaces(id),
  period INTEGER NOT NULL CONSTRAINT bills_period CHECK (period BETWEEN 190001 AND 999912 AND period % 100 BETWEEN 1 AND 12),
  -- quantity: area in 0.01 m2 for per_m2 items, else 1; rate copied from the item at billing time
  quantity INTEGER NOT NULL CONSTRAINT bills_quantity CHECK (quantity >= 1),
  rate_fen INTEGER NOT NULL CONSTRAINT bills_rate CHECK (rate_fen >= 0),
  amount_fen INTEGER NOT NULL CONSTRAINT bills_amount CHECK (amount_fen >= 0),
  paid_fen INTEGER NOT NULL DEFAULT 0 CONSTRAINT bills_paid_within_amount CHECK (paid_fen BETWEEN 0 AND amount_fen),
  due_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);
-- Billing is idempotent: one bill per unit, item, space and month.
CREATE UNIQUE INDEX bills_once ON bills(unit_id, fee_item_id, period, ifnull(parking_space_id, 0));
CREATE INDEX bills_open ON bills(unit_id, period) WHERE paid_fen < amount_fen;
CREATE INDEX bills_period_idx ON bills(period);

CREATE TABLE receipt_counter (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_no INTEGER NOT NULL CHECK (last_no >= 0)
);
INSERT INTO receipt_counter(id, last_no) VALUES (1, 0);

CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  receipt_no INTEGER NOT NULL UNIQUE CONSTRAINT payments_receipt_no CHECK (receipt_no >= 1),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  payer_name TEXT NOT NULL CONSTRAINT payments_payer CHECK (length(payer_name) BETWEEN 1 AND 64),
  method TEXT NOT NULL CONSTRAINT payments_method CHECK (method IN ('cash','wechat','alipay','card','transfer')),
  amount_fen INTEGER NOT NULL CONSTRAINT payments_amount CHECK (amount_fen <> 0 AND abs(amount_fen) <= 9999999999999),
  reverses_payment_id INTEGER UNIQUE REFERENCES payments(id),
  reason TEXT CONSTRAINT payments_reason CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  CONSTRAINT payments_reversal CHECK ((reverses_payment_id IS NULL AND amount_fen > 0)
      OR (reverses_payment_id IS NOT NULL AND amount_fen < 0 AND reason IS NOT NULL))
);
CREATE INDEX payments_unit ON payments(unit_id, created_at);
CREATE INDEX payments_created ON payments(created_at);

CREATE TABLE payment_allocations (
  id INTEGER PRIMARY KEY,
  payment_id INTEGER NOT NULL REFERENCES payments(id),
  bill_id INTEGER NOT NULL REFERENCES bills(id),
  amount_fen INTEGER NOT NULL CONSTRAINT allocations_amount CHECK (amount_fen <> 0),
  UNIQUE (payment_id, bill_id)
);
CREATE INDEX allocations_bill ON payment_allocations(bill_id);

CREATE TABLE receipt_prints (
  id INTEGER PRIMARY KEY,
  payment_id INTEGER NOT NULL REFERENCES payments(id),
  at INTEGER NOT NULL,
  user_id INTEGER REFERENCES users(id),
  copy INTEGER NOT NULL CHECK (copy IN (0,1)),
  path TEXT NOT NULL CHECK (length(path) BETWEEN 1 AND 4096)
);
CREATE INDEX receipt_prints_payment ON receipt_prints(payment_id);

CREATE TABLE dunning_contacts (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  person_id INTEGER REFERENCES persons(id),
  channel TEXT NOT NULL CONSTRAINT dunning_channel CHECK (channel IN ('phone','wechat','sms','visit','letter','other')),
  result TEXT NOT NULL CONSTRAINT dunning_result CHECK (result IN ('promised','refused','no_answer','disputed','paid','other')),
  promised_at INTEGER,
  promised_fen INTEGER CONSTRAINT dunning_promised_fen CHECK (promised_fen IS NULL OR promised_fen > 0),
  note TEXT CONSTRAINT dunning_note CHECK (note IS NULL OR length(note) <= 2000),
  at INTEGER NOT NULL,
  user_id INTEGER REFERENCES users(id),
  CONSTRAINT dunning_promise_date CHECK (result <> 'promised' OR promised_at IS NOT NULL)
);
CREATE INDEX dunning_unit ON dunning_contacts(unit_id, at);
CREATE INDEX dunning_promised ON dunning_contacts(promised_at) WHERE promised_at IS NOT NULL;

CREATE TABLE contact_log (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER REFERENCES units(id),
  person_id INTEGER REFERENCES persons(id),
  channel TEXT NOT NULL CONSTRAINT contact_channel CHECK (channel IN ('phone','wechat','email','walk_in','other')),
  summary TEXT NOT NULL CONSTRAINT contact_summary CHECK (length(summary) BETWEEN 1 AND 2000),
  result TEXT CONSTRAINT contact_result CHECK (result IS NULL OR length(result) <= 2000),
  work_order_id INTEGER REFERENCES work_orders(id),
  complaint_id INTEGER REFERENCES complaints(id),
  at INTEGER NOT NULL,
  user_id INTEGER REFERENCES users(id),
  CONSTRAINT contact_subject CHECK (unit_id IS NOT NULL OR person_id IS NOT NULL)
);
CREATE INDEX contact_log_unit ON contact_log(unit_id, at);
CREATE INDEX contact_log_person ON contact_log(person_id, at);

CREATE TABLE training_progress (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  item_id TEXT NOT NULL CONSTRAINT training_item CHECK (length(item_id) BETWEEN 1 AND 32),
  status TEXT NOT NULL CONSTRAINT training_status CHECK (status IN ('started','read','passed')),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  UNIQUE (user_id, item_id)
);

CREATE TABLE quiz_results (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  chapter INTEGER NOT NULL CONSTRAINT quiz_chapter CHECK (chapter BETWEEN 1 AND 6),
  score INTEGER NOT NULL,
  max_score INTEGER NOT NULL CONSTRAINT quiz_max CHECK (max_score >= 1),
  answers TEXT CONSTRAINT quiz_answers CHECK (answers IS NULL OR length(answers) <= 4000),
  taken_at INTEGER NOT NULL,
  CONSTRAINT quiz_score CHECK (score BETWEEN 0 AND max_score)
);
CREATE INDEX quiz_results_user ON quiz_results(user_id, chapter, taken_at);

CREATE TABLE practice_results (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  task_id TEXT NOT NULL CONSTRAINT practice_task CHECK (length(task_id) BETWEEN 1 AND 32),
  passed INTEGER NOT NULL CHECK (passed IN (0,1)),
  feedback TEXT CONSTRAINT practice_feedback CHECK (feedback IS NULL OR length(feedback) <= 4000),
  at INTEGER NOT NULL
);
CREATE INDEX practice_results_user ON practice_results(user_id, task_id, at);

CREATE TABLE assessments (
  id INTEGER PRIMARY KEY,
  trainee_id INTEGER NOT NULL REFERENCES users(id),
  assessor_id INTEGER NOT NULL REFERENCES users(id),
  professional INTEGER NOT NULL CONSTRAINT assess_professional CHECK (professional BETWEEN 1 AND 5),
  communication INTEGER NOT NULL CONSTRAINT assess_communication CHECK (communication BETWEEN 1 AND 5),
  management INTEGER NOT NULL CONSTRAINT assess_management CHECK (management BETWEEN 1 AND 5),
  service INTEGER NOT NULL CONSTRAINT assess_service CHECK (service BETWEEN 1 AND 5),
  note TEXT CONSTRAINT assess_note CHECK (note IS NULL OR length(note) <= 2000),
  at INTEGER NOT NULL,
  CONSTRAINT assess_not_self CHECK (trainee_id <> assessor_id)
);
CREATE INDEX assessments_trainee ON assessments(trainee_id, at);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  user_id INTEGER,
  action TEXT NOT NULL CHECK (action IN ('insert','update','bulk')),
  entity TEXT NOT NULL,
  entity_id INTEGER,
  old_values TEXT,
  new_values TEXT
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id, at);
CREATE INDEX audit_at ON audit_log(at);

-- While a row is here, row-level audit triggers stay quiet: the bulk loader
-- (demo data) writes one 'bulk' audit row instead. Empty at rest.
CREATE TABLE bulk_load (
  note TEXT NOT NULL
);

-- Defaults (product.md); the manager can change them.
INSERT INTO sla_targets(kind, level, respond_minutes, resolve_minutes, updated_at) VALUES
  ('work_order', 'urgent', 15, 240, 0),
  ('work_order', 'high', 30, 1440, 0),
  ('work_order', 'normal', 120, 4320, 0),
  ('work_order', 'low', 1440, 10080, 0),
  ('complaint', 'minor', 120, 1440, 0),
  ('complaint', 'moderate', 60, 2880, 0),
  ('complaint', 'serious', 30, 4320, 0);
INSERT INTO settings(key, value, updated_at) VALUES
  ('estate.name', 'Guanjia Estate', 0),
  ('workorder.due_soon_minutes', '60', 0),
  ('complaint.revisit_days', '3', 0),
  ('login.max_failures', '5', 0),
  ('login.lock_minutes', '5', 0),
  ('fees.due_day', '15', 0),
  ('receipt.prefix', 'SJ', 0);

-- Audit: every insert and update writes its audit row in the same transaction.
-- Event tables are themselves a who/when/what record and are not audited twice.
CREATE TRIGGER audit_settings_insert AFTER INSERT ON settings
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'settings', NEW.id, NULL, json_object('id', NEW.id, 'key', NEW.key, 'value', NEW.value, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_settings_update AFTER UPDATE ON settings
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'settings', NEW.id, json_object('id', OLD.id, 'key', OLD.key, 'value', OLD.value, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'key', NEW.key, 'value', NEW.value, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_sla_targets_insert AFTER INSERT ON sla_targets
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'sla_targets', NEW.id, NULL, json_object('id', NEW.id, 'kind', NEW.kind, 'level', NEW.level, 'respond_minutes', NEW.respond_minutes, 'resolve_minutes', NEW.resolve_minutes, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_sla_targets_update AFTER UPDATE ON sla_targets
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'sla_targets', NEW.id, json_object('id', OLD.id, 'kind', OLD.kind, 'level', OLD.level, 'respond_minutes', OLD.respond_minutes, 'resolve_minutes', OLD.resolve_minutes, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'kind', NEW.kind, 'level', NEW.level, 'respond_minutes', NEW.respond_minutes, 'resolve_minutes', NEW.resolve_minutes, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_departments_insert AFTER INSERT ON departments
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'departments', NEW.id, NULL, json_object('id', NEW.id, 'name', NEW.name, 'kind', NEW.kind, 'active', NEW.active, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_departments_update AFTER UPDATE ON departments
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'departments', NEW.id, json_object('id', OLD.id, 'name', OLD.name, 'kind', OLD.kind, 'active', OLD.active, 'created_at', OLD.created_at, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'name', NEW.name, 'kind', NEW.kind, 'active', NEW.active, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_staff_insert AFTER INSERT ON staff
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'staff', NEW.id, NULL, json_object('id', NEW.id, 'department_id', NEW.department_id, 'name', NEW.name, 'phone', NEW.phone, 'title', NEW.title, 'active', NEW.active, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_staff_update AFTER UPDATE ON staff
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'staff', NEW.id, json_object('id', OLD.id, 'department_id', OLD.department_id, 'name', OLD.name, 'phone', OLD.phone, 'title', OLD.title, 'active', OLD.active, 'created_at', OLD.created_at, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'department_id', NEW.department_id, 'name', NEW.name, 'phone', NEW.phone, 'title', NEW.title, 'active', NEW.active, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_users_insert AFTER INSERT ON users
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'users', NEW.id, NULL, json_object('id', NEW.id, 'login', NEW.login, 'name', NEW.name, 'role', NEW.role, 'rank', NEW.rank, 'active', NEW.active, 'failed_logins', NEW.failed_logins, 'locked_until', NEW.locked_until, 'staff_id', NEW.staff_id, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_users_update AFTER UPDATE ON users
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'users', NEW.id, json_object('id', OLD.id, 'login', OLD.login, 'name', OLD.name, 'role', OLD.role, 'rank', OLD.rank, 'active', OLD.active, 'failed_logins', OLD.failed_logins, 'locked_until', OLD.locked_until, 'staff_id', OLD.staff_id, 'created_at', OLD.created_at, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'login', NEW.login, 'name', NEW.name, 'role', NEW.role, 'rank', NEW.rank, 'active', NEW.active, 'failed_logins', NEW.failed_logins, 'locked_until', NEW.locked_until, 'staff_id', NEW.staff_id, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_units_insert AFTER INSERT ON units
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'units', NEW.id, NULL, json_object('id', NEW.id, 'building', NEW.building, 'entrance', NEW.entrance, 'floor', NEW.floor, 'room', NEW.room, 'area_centi_m2', NEW.area_centi_m2, 'status', NEW.status, 'delivered_at', NEW.delivered_at, 'notes', NEW.notes, 'archived', NEW.archived, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_units_update AFTER UPDATE ON units
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'units', NEW.id, json_object('id', OLD.id, 'building', OLD.building, 'entrance', OLD.entrance, 'floor', OLD.floor, 'room', OLD.room, 'area_centi_m2', OLD.area_centi_m2, 'status', OLD.status, 'delivered_at', OLD.delivered_at, 'notes', OLD.notes, 'archived', OLD.archived, 'created_at', OLD.created_at, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'building', NEW.building, 'entrance', NEW.entrance, 'floor', NEW.floor, 'room', NEW.room, 'area_centi_m2', NEW.area_centi_m2, 'status', NEW.status, 'delivered_at', NEW.delivered_at, 'notes', NEW.notes, 'archived', NEW.archived, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_persons_insert AFTER INSERT ON persons
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'persons', NEW.id, NULL, json_object('id', NEW.id, 'name', NEW.name, 'phone', NEW.phone, 'phone2', NEW.phone2, 'id_number', NEW.id_number, 'notes', NEW.notes, 'initials', NEW.initials, 'search_keys', NEW.search_keys, 'archived', NEW.archived, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_persons_update AFTER UPDATE ON persons
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'persons', NEW.id, json_object('id', OLD.id, 'name', OLD.name, 'phone', OLD.phone, 'phone2', OLD.phone2, 'id_number', OLD.id_number, 'notes', OLD.notes, 'initials', OLD.initials, 'search_keys', OLD.search_keys, 'archived', OLD.archived, 'created_at', OLD.created_at, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'name', NEW.name, 'phone', NEW.phone, 'phone2', NEW.phone2, 'id_number', NEW.id_number, 'notes', NEW.notes, 'initials', NEW.initials, 'search_keys', NEW.search_keys, 'archived', NEW.archived, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_unit_persons_insert AFTER INSERT ON unit_persons
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'unit_persons', NEW.id, NULL, json_object('id', NEW.id, 'unit_id', NEW.unit_id, 'person_id', NEW.person_id, 'relation', NEW.relation, 'start_at', NEW.start_at, 'end_at', NEW.end_at, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_unit_persons_update AFTER UPDATE ON unit_persons
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'unit_persons', NEW.id, json_object('id', OLD.id, 'unit_id', OLD.unit_id, 'person_id', OLD.person_id, 'relation', OLD.relation, 'start_at', OLD.start_at, 'end_at', OLD.end_at, 'created_at', OLD.created_at, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'unit_id', NEW.unit_id, 'person_id', NEW.person_id, 'relation', NEW.relation, 'start_at', NEW.start_at, 'end_at', NEW.end_at, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_vehicles_insert AFTER INSERT ON vehicles
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'vehicles', NEW.id, NULL, json_object('id', NEW.id, 'person_id', NEW.person_id, 'unit_id', NEW.unit_id, 'plate', NEW.plate, 'description', NEW.description, 'archived', NEW.archived, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_vehicles_update AFTER UPDATE ON vehicles
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'vehicles', NEW.id, json_object('id', OLD.id, 'person_id', OLD.person_id, 'unit_id', OLD.unit_id, 'plate', OLD.plate, 'description', OLD.description, 'archived', OLD.archived, 'created_at', OLD.created_at, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'person_id', NEW.person_id, 'unit_id', NEW.unit_id, 'plate', NEW.plate, 'description', NEW.description, 'archived', NEW.archived, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_parking_spaces_insert AFTER INSERT ON parking_spaces
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'parking_spaces', NEW.id, NULL, json_object('id', NEW.id, 'code', NEW.code, 'zone', NEW.zone, 'kind', NEW.kind, 'unit_id', NEW.unit_id, 'vehicle_id', NEW.vehicle_id, 'assigned_at', NEW.assigned_at, 'archived', NEW.archived, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_parking_spaces_update AFTER UPDATE ON parking_spaces
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'parking_spaces', NEW.id, json_object('id', OLD.id, 'code', OLD.code, 'zone', OLD.zone, 'kind', OLD.kind, 'unit_id', OLD.unit_id, 'vehicle_id', OLD.vehicle_id, 'assigned_at', OLD.assigned_at, 'archived', OLD.archived, 'created_at', OLD.created_at, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'code', NEW.code, 'zone', NEW.zone, 'kind', NEW.kind, 'unit_id', NEW.unit_id, 'vehicle_id', NEW.vehicle_id, 'assigned_at', NEW.assigned_at, 'archived', NEW.archived, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_work_orders_insert AFTER INSERT ON work_orders
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'work_orders', NEW.id, NULL, json_object('id', NEW.id, 'unit_id', NEW.unit_id, 'person_id', NEW.person_id, 'channel', NEW.channel, 'category', NEW.category, 'priority', NEW.priority, 'state', NEW.state, 'description', NEW.description, 'appointment_at', NEW.appointment_at, 'respond_due_at', NEW.respond_due_at, 'resolve_due_at', NEW.resolve_due_at, 'promised_at', NEW.promised_at, 'promise_reason', NEW.promise_reason, 'department_id', NEW.department_id, 'assignee_staff_id', NEW.assignee_staff_id, 'responded_at', NEW.responded_at, 'resolved_at', NEW.resolved_at, 'closed_at', NEW.closed_at, 'paused_seconds', NEW.paused_seconds, 'hold_started_at', NEW.hold_started_at, 'hold_reason', NEW.hold_reason, 'resolution', NEW.resolution, 'satisfaction', NEW.satisfaction, 'feedback', NEW.feedback, 'cancel_reason', NEW.cancel_reason, 'chase_count', NEW.chase_count, 'created_at', NEW.created_at, 'created_by', NEW.created_by, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_work_orders_update AFTER UPDATE ON work_orders
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'work_orders', NEW.id, json_object('id', OLD.id, 'unit_id', OLD.unit_id, 'person_id', OLD.person_id, 'channel', OLD.channel, 'category', OLD.category, 'priority', OLD.priority, 'state', OLD.state, 'description', OLD.description, 'appointment_at', OLD.appointment_at, 'respond_due_at', OLD.respond_due_at, 'resolve_due_at', OLD.resolve_due_at, 'promised_at', OLD.promised_at, 'promise_reason', OLD.promise_reason, 'department_id', OLD.department_id, 'assignee_staff_id', OLD.assignee_staff_id, 'responded_at', OLD.responded_at, 'resolved_at', OLD.resolved_at, 'closed_at', OLD.closed_at, 'paused_seconds', OLD.paused_seconds, 'hold_started_at', OLD.hold_started_at, 'hold_reason', OLD.hold_reason, 'resolution', OLD.resolution, 'satisfaction', OLD.satisfaction, 'feedback', OLD.feedback, 'cancel_reason', OLD.cancel_reason, 'chase_count', OLD.chase_count, 'created_at', OLD.created_at, 'created_by', OLD.created_by, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'unit_id', NEW.unit_id, 'person_id', NEW.person_id, 'channel', NEW.channel, 'category', NEW.category, 'priority', NEW.priority, 'state', NEW.state, 'description', NEW.description, 'appointment_at', NEW.appointment_at, 'respond_due_at', NEW.respond_due_at, 'resolve_due_at', NEW.resolve_due_at, 'promised_at', NEW.promised_at, 'promise_reason', NEW.promise_reason, 'department_id', NEW.department_id, 'assignee_staff_id', NEW.assignee_staff_id, 'responded_at', NEW.responded_at, 'resolved_at', NEW.resolved_at, 'closed_at', NEW.closed_at, 'paused_seconds', NEW.paused_seconds, 'hold_started_at', NEW.hold_started_at, 'hold_reason', NEW.hold_reason, 'resolution', NEW.resolution, 'satisfaction', NEW.satisfaction, 'feedback', NEW.feedback, 'cancel_reason', NEW.cancel_reason, 'chase_count', NEW.chase_count, 'created_at', NEW.created_at, 'created_by', NEW.created_by, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_complaints_insert AFTER INSERT ON complaints
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'complaints', NEW.id, NULL, json_object('id', NEW.id, 'unit_id', NEW.unit_id, 'person_id', NEW.person_id, 'channel', NEW.channel, 'subject', NEW.subject, 'detail', NEW.detail, 'category', NEW.category, 'grade', NEW.grade, 'level', NEW.level, 'state', NEW.state, 'cycle', NEW.cycle, 'assignee_user_id', NEW.assignee_user_id, 'ack_due_at', NEW.ack_due_at, 'resolve_due_at', NEW.resolve_due_at, 'acknowledged_at', NEW.acknowledged_at, 'resolved_at', NEW.resolved_at, 'revisit_due_at', NEW.revisit_due_at, 'revisited_at', NEW.revisited_at, 'closed_at', NEW.closed_at, 'action_taken', NEW.action_taken, 'result', NEW.result, 'root_cause', NEW.root_cause, 'corrective_action', NEW.corrective_action, 'satisfaction', NEW.satisfaction, 'revisit_comment', NEW.revisit_comment, 'created_at', NEW.created_at, 'created_by', NEW.created_by, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_complaints_update AFTER UPDATE ON complaints
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'complaints', NEW.id, json_object('id', OLD.id, 'unit_id', OLD.unit_id, 'person_id', OLD.person_id, 'channel', OLD.channel, 'subject', OLD.subject, 'detail', OLD.detail, 'category', OLD.category, 'grade', OLD.grade, 'level', OLD.level, 'state', OLD.state, 'cycle', OLD.cycle, 'assignee_user_id', OLD.assignee_user_id, 'ack_due_at', OLD.ack_due_at, 'resolve_due_at', OLD.resolve_due_at, 'acknowledged_at', OLD.acknowledged_at, 'resolved_at', OLD.resolved_at, 'revisit_due_at', OLD.revisit_due_at, 'revisited_at', OLD.revisited_at, 'closed_at', OLD.closed_at, 'action_taken', OLD.action_taken, 'result', OLD.result, 'root_cause', OLD.root_cause, 'corrective_action', OLD.corrective_action, 'satisfaction', OLD.satisfaction, 'revisit_comment', OLD.revisit_comment, 'created_at', OLD.created_at, 'created_by', OLD.created_by, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'unit_id', NEW.unit_id, 'person_id', NEW.person_id, 'channel', NEW.channel, 'subject', NEW.subject, 'detail', NEW.detail, 'category', NEW.category, 'grade', NEW.grade, 'level', NEW.level, 'state', NEW.state, 'cycle', NEW.cycle, 'assignee_user_id', NEW.assignee_user_id, 'ack_due_at', NEW.ack_due_at, 'resolve_due_at', NEW.resolve_due_at, 'acknowledged_at', NEW.acknowledged_at, 'resolved_at', NEW.resolved_at, 'revisit_due_at', NEW.revisit_due_at, 'revisited_at', NEW.revisited_at, 'closed_at', NEW.closed_at, 'action_taken', NEW.action_taken, 'result', NEW.result, 'root_cause', NEW.root_cause, 'corrective_action', NEW.corrective_action, 'satisfaction', NEW.satisfaction, 'revisit_comment', NEW.revisit_comment, 'created_at', NEW.created_at, 'created_by', NEW.created_by, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_fee_items_insert AFTER INSERT ON fee_items
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'fee_items', NEW.id, NULL, json_object('id', NEW.id, 'name', NEW.name, 'kind', NEW.kind, 'rate_fen', NEW.rate_fen, 'active_from', NEW.active_from, 'active_to', NEW.active_to, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_fee_items_update AFTER UPDATE ON fee_items
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'fee_items', NEW.id, json_object('id', OLD.id, 'name', OLD.name, 'kind', OLD.kind, 'rate_fen', OLD.rate_fen, 'active_from', OLD.active_from, 'active_to', OLD.active_to, 'created_at', OLD.created_at, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'name', NEW.name, 'kind', NEW.kind, 'rate_fen', NEW.rate_fen, 'active_from', NEW.active_from, 'active_to', NEW.active_to, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_bills_insert AFTER INSERT ON bills
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'bills', NEW.id, NULL, json_object('id', NEW.id, 'unit_id', NEW.unit_id, 'fee_item_id', NEW.fee_item_id, 'parking_space_id', NEW.parking_space_id, 'period', NEW.period, 'quantity', NEW.quantity, 'rate_fen', NEW.rate_fen, 'amount_fen', NEW.amount_fen, 'paid_fen', NEW.paid_fen, 'due_at', NEW.due_at, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_bills_update AFTER UPDATE ON bills
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'bills', NEW.id, json_object('id', OLD.id, 'unit_id', OLD.unit_id, 'fee_item_id', OLD.fee_item_id, 'parking_space_id', OLD.parking_space_id, 'period', OLD.period, 'quantity', OLD.quantity, 'rate_fen', OLD.rate_fen, 'amount_fen', OLD.amount_fen, 'paid_fen', OLD.paid_fen, 'due_at', OLD.due_at, 'created_at', OLD.created_at, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'unit_id', NEW.unit_id, 'fee_item_id', NEW.fee_item_id, 'parking_space_id', NEW.parking_space_id, 'period', NEW.period, 'quantity', NEW.quantity, 'rate_fen', NEW.rate_fen, 'amount_fen', NEW.amount_fen, 'paid_fen', NEW.paid_fen, 'due_at', NEW.due_at, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_payments_insert AFTER INSERT ON payments
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.created_at, NEW.created_by, 'insert', 'payments', NEW.id, NULL, json_object('id', NEW.id, 'receipt_no', NEW.receipt_no, 'unit_id', NEW.unit_id, 'payer_name', NEW.payer_name, 'method', NEW.method, 'amount_fen', NEW.amount_fen, 'reverses_payment_id', NEW.reverses_payment_id, 'reason', NEW.reason, 'created_at', NEW.created_at, 'created_by', NEW.created_by));
END;
CREATE TRIGGER audit_payment_allocations_insert AFTER INSERT ON payment_allocations
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES ((SELECT created_at FROM payments WHERE id = NEW.payment_id), (SELECT created_by FROM payments WHERE id = NEW.payment_id), 'insert', 'payment_allocations', NEW.id, NULL, json_object('id', NEW.id, 'payment_id', NEW.payment_id, 'bill_id', NEW.bill_id, 'amount_fen', NEW.amount_fen));
END;
CREATE TRIGGER audit_receipt_prints_insert AFTER INSERT ON receipt_prints
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.at, NEW.user_id, 'insert', 'receipt_prints', NEW.id, NULL, json_object('id', NEW.id, 'payment_id', NEW.payment_id, 'at', NEW.at, 'user_id', NEW.user_id, 'copy', NEW.copy, 'path', NEW.path));
END;
CREATE TRIGGER audit_dunning_contacts_insert AFTER INSERT ON dunning_contacts
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.at, NEW.user_id, 'insert', 'dunning_contacts', NEW.id, NULL, json_object('id', NEW.id, 'unit_id', NEW.unit_id, 'person_id', NEW.person_id, 'channel', NEW.channel, 'result', NEW.result, 'promised_at', NEW.promised_at, 'promised_fen', NEW.promised_fen, 'note', NEW.note, 'at', NEW.at, 'user_id', NEW.user_id));
END;
CREATE TRIGGER audit_contact_log_insert AFTER INSERT ON contact_log
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.at, NEW.user_id, 'insert', 'contact_log', NEW.id, NULL, json_object('id', NEW.id, 'unit_id', NEW.unit_id, 'person_id', NEW.person_id, 'channel', NEW.channel, 'summary', NEW.summary, 'result', NEW.result, 'work_order_id', NEW.work_order_id, 'complaint_id', NEW.complaint_id, 'at', NEW.at, 'user_id', NEW.user_id));
END;
CREATE TRIGGER audit_training_progress_insert AFTER INSERT ON training_progress
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'training_progress', NEW.id, NULL, json_object('id', NEW.id, 'user_id', NEW.user_id, 'item_id', NEW.item_id, 'status', NEW.status, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_training_progress_update AFTER UPDATE ON training_progress
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'training_progress', NEW.id, json_object('id', OLD.id, 'user_id', OLD.user_id, 'item_id', OLD.item_id, 'status', OLD.status, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'user_id', NEW.user_id, 'item_id', NEW.item_id, 'status', NEW.status, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_quiz_results_insert AFTER INSERT ON quiz_results
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.taken_at, NEW.user_id, 'insert', 'quiz_results', NEW.id, NULL, json_object('id', NEW.id, 'user_id', NEW.user_id, 'chapter', NEW.chapter, 'score', NEW.score, 'max_score', NEW.max_score, 'answers', NEW.answers, 'taken_at', NEW.taken_at));
END;
CREATE TRIGGER audit_practice_results_insert AFTER INSERT ON practice_results
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.at, NEW.user_id, 'insert', 'practice_results', NEW.id, NULL, json_object('id', NEW.id, 'user_id', NEW.user_id, 'task_id', NEW.task_id, 'passed', NEW.passed, 'feedback', NEW.feedback, 'at', NEW.at));
END;
CREATE TRIGGER audit_assessments_insert AFTER INSERT ON assessments
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.at, NEW.assessor_id, 'insert', 'assessments', NEW.id, NULL, json_object('id', NEW.id, 'trainee_id', NEW.trainee_id, 'assessor_id', NEW.assessor_id, 'professional', NEW.professional, 'communication', NEW.communication, 'management', NEW.management, 'service', NEW.service, 'note', NEW.note, 'at', NEW.at));
END;

-- Optimistic concurrency: every update of a mutable row bumps its version by one.
CREATE TRIGGER settings_version BEFORE UPDATE ON settings
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'settings: every update must increase version by one');
END;
CREATE TRIGGER sla_targets_version BEFORE UPDATE ON sla_targets
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'sla_targets: every update must increase version by one');
END;
CREATE TRIGGER departments_version BEFORE UPDATE ON departments
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'departments: every update must increase version by one');
END;
CREATE TRIGGER staff_version BEFORE UPDATE ON staff
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'staff: every update must increase version by one');
END;
CREATE TRIGGER users_version BEFORE UPDATE ON users
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'users: every update must increase version by one');
END;
CREATE TRIGGER units_version BEFORE UPDATE ON units
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'units: every update must increase version by one');
END;
CREATE TRIGGER persons_version BEFORE UPDATE ON persons
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'persons: every update must increase version by one');
END;
CREATE TRIGGER unit_persons_version BEFORE UPDATE ON unit_persons
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'unit_persons: every update must increase version by one');
END;
CREATE TRIGGER vehicles_version BEFORE UPDATE ON vehicles
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'vehicles: every update must increase version by one');
END;
CREATE TRIGGER parking_spaces_version BEFORE UPDATE ON parking_spaces
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'parking_spaces: every update must increase version by one');
END;
CREATE TRIGGER work_orders_version BEFORE UPDATE ON work_orders
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'work_orders: every update must increase version by one');
END;
CREATE TRIGGER complaints_version BEFORE UPDATE ON complaints
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'complaints: every update must increase version by one');
END;
CREATE TRIGGER fee_items_version BEFORE UPDATE ON fee_items
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'fee_items: every update must increase version by one');
END;
CREATE TRIGGER bills_version BEFORE UPDATE ON bills
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'bills: every update must increase version by one');
END;
CREATE TRIGGER training_progress_version BEFORE UPDATE ON training_progress
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'training_progress: every update must increase version by one');
END;

-- Append-only records: corrections are new rows, never edits.
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN
  SELECT RAISE(ABORT, 'payments is append-only');
END;
CREATE TRIGGER payment_allocations_no_update BEFORE UPDATE ON payment_allocations
BEGIN
  SELECT RAISE(ABORT, 'payment_allocations is append-only');
END;
CREATE TRIGGER receipt_prints_no_update BEFORE UPDATE ON receipt_prints
BEGIN
  SELECT RAISE(ABORT, 'receipt_prints is append-only');
END;
CREATE TRIGGER dunning_contacts_no_update BEFORE UPDATE ON dunning_contacts
BEGIN
  SELECT RAISE(ABORT, 'dunning_contacts is append-only');
END;
CREATE TRIGGER contact_log_no_update BEFORE UPDATE ON contact_log
BEGIN
  SELECT RAISE(ABORT, 'contact_log is append-only');
END;
CREATE TRIGGER quiz_results_no_update BEFORE UPDATE ON quiz_results
BEGIN
  SELECT RAISE(ABORT, 'quiz_results is append-only');
END;
CREATE TRIGGER practice_results_no_update BEFORE UPDATE ON practice_results
BEGIN
  SELECT RAISE(ABORT, 'practice_results is append-only');
END;
CREATE TRIGGER assessments_no_update BEFORE UPDATE ON assessments
BEGIN
  SELECT RAISE(ABORT, 'assessments is append-only');
END;
CREATE TRIGGER work_order_events_no_update BEFORE UPDATE ON work_order_events
BEGIN
  SELECT RAISE(ABORT, 'work_order_events is append-only');
END;
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN
  SELECT RAISE(ABORT, 'complaint_events is append-only');
END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Nothing is ever deleted: records are archived or reversed.
CREATE TRIGGER settings_no_delete BEFORE DELETE ON settings
BEGIN
  SELECT RAISE(ABORT, 'settings: records are never deleted');
END;
CREATE TRIGGER sla_targets_no_delete BEFORE DELETE ON sla_targets
BEGIN
  SELECT RAISE(ABORT, 'sla_targets: records are never deleted');
END;
CREATE TRIGGER departments_no_delete BEFORE DELETE ON departments
BEGIN
  SELECT RAISE(ABORT, 'departments: records are never deleted');
END;
CREATE TRIGGER staff_no_delete BEFORE DELETE ON staff
BEGIN
  SELECT RAISE(ABORT, 'staff: records are never deleted');
END;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN
  SELECT RAISE(ABORT, 'users: records are never deleted');
END;
CREATE TRIGGER units_no_delete BEFORE DELETE ON units
BEGIN
  SELECT RAISE(ABORT, 'units: records are never deleted');
END;
CREATE TRIGGER persons_no_delete BEFORE DELETE ON persons
BEGIN
  SELECT RAISE(ABORT, 'persons: records are never deleted');
END;
CREATE TRIGGER unit_persons_no_delete BEFORE DELETE ON unit_persons
BEGIN
  SELECT RAISE(ABORT, 'unit_persons: records are never deleted');
END;
CREATE TRIGGER vehicles_no_delete BEFORE DELETE ON vehicles
BEGIN
  SELECT RAISE(ABORT, 'vehicles: records are never deleted');
END;
CREATE TRIGGER parking_spaces_no_delete BEFORE DELETE ON parking_spaces
BEGIN
  SELECT RAISE(ABORT, 'parking_spaces: records are never deleted');
END;
CREATE TRIGGER work_orders_no_delete BEFORE DELETE ON work_orders
BEGIN
  SELECT RAISE(ABORT, 'work_orders: records are never deleted');
END;
CREATE TRIGGER work_order_events_no_delete BEFORE DELETE ON work_order_events
BEGIN
  SELECT RAISE(ABORT, 'work_order_events: records are never deleted');
END;
CREATE TRIGGER complaints_no_delete BEFORE DELETE ON complaints
BEGIN
  SELECT RAISE(ABORT, 'complaints: records are never deleted');
END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN
  SELECT RAISE(ABORT, 'complaint_events: records are never deleted');
END;
CREATE TRIGGER fee_items_no_delete BEFORE DELETE ON fee_items
BEGIN
  SELECT RAISE(ABORT, 'fee_items: records are never deleted');
END;
CREATE TRIGGER bills_no_delete BEFORE DELETE ON bills
BEGIN
  SELECT RAISE(ABORT, 'bills: records are never deleted');
END;
CREATE TRIGGER receipt_counter_no_delete BEFORE DELETE ON receipt_counter
BEGIN
  SELECT RAISE(ABORT, 'receipt_counter: records are never deleted');
END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN
  SELECT RAISE(ABORT, 'payments: records are never deleted');
END;
CREATE TRIGGER payment_allocations_no_delete BEFORE DELETE ON payment_allocations
BEGIN
  SELECT RAISE(ABORT, 'payment_allocations: records are never deleted');
END;
CREATE TRIGGER receipt_prints_no_delete BEFORE DELETE ON receipt_prints
BEGIN
  SELECT RAISE(ABORT, 'receipt_prints: records are never deleted');
END;
CREATE TRIGGER dunning_contacts_no_delete BEFORE DELETE ON dunning_contacts
BEGIN
  SELECT RAISE(ABORT, 'dunning_contacts: records are never deleted');
END;
CREATE TRIGGER contact_log_no_delete BEFORE DELETE ON contact_log
BEGIN
  SELECT RAISE(ABORT, 'contact_log: records are never deleted');
END;
CREATE TRIGGER training_progress_no_delete BEFORE DELETE ON training_progress
BEGIN
  SELECT RAISE(ABORT, 'training_progress: records are never deleted');
END;
CREATE TRIGGER quiz_results_no_delete BEFORE DELETE ON quiz_results
BEGIN
  SELECT RAISE(ABORT, 'quiz_results: records are never deleted');
END;
CREATE TRIGGER practice_results_no_delete BEFORE DELETE ON practice_results
BEGIN
  SELECT RAISE(ABORT, 'practice_results: records are never deleted');
END;
CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
BEGIN
  SELECT RAISE(ABORT, 'assessments: records are never deleted');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log: records are never deleted');
END;

-- A bill's charge is fixed once issued; only what is paid on it changes.
CREATE TRIGGER bills_charge_fixed BEFORE UPDATE OF unit_id, fee_item_id, parking_space_id, period, quantity, rate_fen, amount_fen ON bills
BEGIN
  SELECT RAISE(ABORT, 'bills: an issued charge never changes; reverse it instead');
END;

-- What is paid on a bill is the sum of its allocations, kept by the database.
-- (A bulk load writes bills with what was paid on them; gj_bulk_end checks
-- that they agree with the allocations before it commits.)
CREATE TRIGGER allocations_pay_bill AFTER INSERT ON payment_allocations
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  UPDATE bills SET paid_fen = paid_fen + NEW.amount_fen, version = version + 1,
         updated_at = (SELECT created_at FROM payments WHERE id = NEW.payment_id),
         updated_by = (SELECT created_by FROM payments WHERE id = NEW.payment_id)
   WHERE id = NEW.bill_id;
END;

-- An allocation moves money between one unit's payment and the same unit's bill.
CREATE TRIGGER allocations_same_unit BEFORE INSERT ON payment_allocations
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
 AND (SELECT unit_id FROM payments WHERE id = NEW.payment_id)
     IS NOT (SELECT unit_id FROM bills WHERE id = NEW.bill_id)
BEGIN
  SELECT RAISE(ABORT, 'payment_allocations: payment and bill belong to different units');
END;

