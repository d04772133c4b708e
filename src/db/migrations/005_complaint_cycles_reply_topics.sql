-- Version 5: a complaint remembers when its current cycle began (one
-- reopened after a poor revisit runs its deadlines from the reopening);
-- each standard reply has a topic: work orders, or complaints of a grade.
ALTER TABLE complaints ADD COLUMN cycle_started_at INTEGER;
ALTER TABLE standard_replies ADD COLUMN topic TEXT NOT NULL DEFAULT 'work_order'
  CONSTRAINT replies_topic CHECK (topic IN ('work_order','minor','moderate','serious'));
DROP INDEX IF EXISTS standard_replies_order;
CREATE INDEX standard_replies_order ON standard_replies(topic, active, position, id);

DROP TRIGGER IF EXISTS audit_standard_replies_insert;
DROP TRIGGER IF EXISTS audit_standard_replies_update;
-- Replies for complaints, suited to the grade: the tone rises with it.
-- (Seeded before the audit triggers return, like version 4's.)
INSERT OR IGNORE INTO standard_replies(text, topic, position, created_at, updated_at) VALUES
  ('非常抱歉给您带来不便，我们马上安排处理', 'minor', 1, 0, 0),
  ('感谢您的反馈，今天之内给您回复处理结果', 'minor', 2, 0, 0),
  ('您反映的情况客服主管已经知晓，会在约定时间内给您答复', 'moderate', 1, 0, 0),
  ('已安排专人跟进，处理进展会随时告诉您', 'moderate', 2, 0, 0),
  ('物业经理已亲自跟进此事，今天会与您当面沟通', 'serious', 1, 0, 0),
  ('这件事给您造成的影响我们深表歉意，已启动专项处理', 'serious', 2, 0, 0);

CREATE TRIGGER audit_standard_replies_insert AFTER INSERT ON standard_replies
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'standard_replies', NEW.id, NULL,
          json_object('text', NEW.text, 'topic', NEW.topic, 'position', NEW.position,
                      'active', NEW.active));
END;
CREATE TRIGGER audit_standard_replies_update AFTER UPDATE ON standard_replies
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'standard_replies', NEW.id,
          json_object('text', OLD.text, 'topic', OLD.topic, 'position', OLD.position,
                      'active', OLD.active),
          json_object('text', NEW.text, 'topic', NEW.topic, 'position', NEW.position,
                      'active', NEW.active));
END;

