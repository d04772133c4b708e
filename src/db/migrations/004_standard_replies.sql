-- Version 4: standard replies (标准话术): canned notes a butler picks when
-- writing a work-order note; the manager keeps the list. Retired replies
-- are switched off, never deleted. (Written to be safe to apply again.)
CREATE TABLE IF NOT EXISTS standard_replies (
  id INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE CONSTRAINT replies_text CHECK (length(text) BETWEEN 1 AND 200),
  position INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES users(id)
);
CREATE INDEX IF NOT EXISTS standard_replies_order ON standard_replies(active, position, id);

INSERT OR IGNORE INTO standard_replies(text, position, created_at, updated_at) VALUES
  ('已联系业主，约定上门时间', 1, 0, 0),
  ('维修师傅已到场处理', 2, 0, 0),
  ('配件已订，到货后立即安排维修', 3, 0, 0),
  ('已处理完毕，请业主确认', 4, 0, 0),
  ('业主不在家，已电话留言', 5, 0, 0),
  ('已转交相关部门跟进', 6, 0, 0);

CREATE TRIGGER IF NOT EXISTS audit_standard_replies_insert AFTER INSERT ON standard_replies
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'standard_replies', NEW.id, NULL,
          json_object('text', NEW.text, 'position', NEW.position, 'active', NEW.active));
END;
CREATE TRIGGER IF NOT EXISTS audit_standard_replies_update AFTER UPDATE ON standard_replies
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'standard_replies', NEW.id,
          json_object('text', OLD.text, 'position', OLD.position, 'active', OLD.active),
          json_object('text', NEW.text, 'position', NEW.position, 'active', NEW.active));
END;
CREATE TRIGGER IF NOT EXISTS standard_replies_version BEFORE UPDATE ON standard_replies
WHEN NEW.version IS NOT OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'standard_replies: every update must increase version by one');
END;
CREATE TRIGGER IF NOT EXISTS standard_replies_no_delete BEFORE DELETE ON standard_replies
BEGIN
  SELECT RAISE(ABORT, 'standard_replies: records are never deleted');
END;
