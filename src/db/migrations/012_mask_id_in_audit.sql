-- Version 12: no full ID number in the audit log (issue 10).
--
-- The persons audit triggers of schema 1 copied id_number whole into
-- audit_log. They are made again with the number masked as
-- gj_mask_id_number masks it (the first 6 and the last 4 characters kept,
-- the rest '*'), and the rows already written are masked the same way.
-- For that one change the append-only trigger of the log is lifted and put
-- back, in this migration's transaction. Masking a masked number changes
-- nothing, so the migration can run again.
DROP TRIGGER IF EXISTS audit_persons_insert;
DROP TRIGGER IF EXISTS audit_persons_update;
CREATE TRIGGER audit_persons_insert AFTER INSERT ON persons
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'insert', 'persons', NEW.id, NULL, json_object('id', NEW.id, 'name', NEW.name, 'phone', NEW.phone, 'phone2', NEW.phone2, 'id_number', CASE WHEN NEW.id_number IS NULL OR NEW.id_number = '' THEN NEW.id_number WHEN length(NEW.id_number) >= 11 THEN substr(NEW.id_number, 1, 6) || replace(hex(zeroblob(length(NEW.id_number) - 10)), '00', '*') || substr(NEW.id_number, -4) WHEN length(NEW.id_number) >= 8 THEN replace(hex(zeroblob(length(NEW.id_number) - 4)), '00', '*') || substr(NEW.id_number, -4) ELSE replace(hex(zeroblob(length(NEW.id_number))), '00', '*') END, 'notes', NEW.notes, 'initials', NEW.initials, 'search_keys', NEW.search_keys, 'archived', NEW.archived, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
CREATE TRIGGER audit_persons_update AFTER UPDATE ON persons
WHEN NOT EXISTS (SELECT 1 FROM bulk_load)
BEGIN
  INSERT INTO audit_log(at, user_id, action, entity, entity_id, old_values, new_values)
  VALUES (NEW.updated_at, NEW.updated_by, 'update', 'persons', NEW.id, json_object('id', OLD.id, 'name', OLD.name, 'phone', OLD.phone, 'phone2', OLD.phone2, 'id_number', CASE WHEN OLD.id_number IS NULL OR OLD.id_number = '' THEN OLD.id_number WHEN length(OLD.id_number) >= 11 THEN substr(OLD.id_number, 1, 6) || replace(hex(zeroblob(length(OLD.id_number) - 10)), '00', '*') || substr(OLD.id_number, -4) WHEN length(OLD.id_number) >= 8 THEN replace(hex(zeroblob(length(OLD.id_number) - 4)), '00', '*') || substr(OLD.id_number, -4) ELSE replace(hex(zeroblob(length(OLD.id_number))), '00', '*') END, 'notes', OLD.notes, 'initials', OLD.initials, 'search_keys', OLD.search_keys, 'archived', OLD.archived, 'created_at', OLD.created_at, 'version', OLD.version, 'updated_at', OLD.updated_at, 'updated_by', OLD.updated_by), json_object('id', NEW.id, 'name', NEW.name, 'phone', NEW.phone, 'phone2', NEW.phone2, 'id_number', CASE WHEN NEW.id_number IS NULL OR NEW.id_number = '' THEN NEW.id_number WHEN length(NEW.id_number) >= 11 THEN substr(NEW.id_number, 1, 6) || replace(hex(zeroblob(length(NEW.id_number) - 10)), '00', '*') || substr(NEW.id_number, -4) WHEN length(NEW.id_number) >= 8 THEN replace(hex(zeroblob(length(NEW.id_number) - 4)), '00', '*') || substr(NEW.id_number, -4) ELSE replace(hex(zeroblob(length(NEW.id_number))), '00', '*') END, 'notes', NEW.notes, 'initials', NEW.initials, 'search_keys', NEW.search_keys, 'archived', NEW.archived, 'created_at', NEW.created_at, 'version', NEW.version, 'updated_at', NEW.updated_at, 'updated_by', NEW.updated_by));
END;
DROP TRIGGER IF EXISTS audit_log_no_update;
UPDATE audit_log SET old_values = json_set(old_values, '$.id_number', CASE WHEN json_extract(old_values, '$.id_number') IS NULL OR json_extract(old_values, '$.id_number') = '' THEN json_extract(old_values, '$.id_number') WHEN length(json_extract(old_values, '$.id_number')) >= 11 THEN substr(json_extract(old_values, '$.id_number'), 1, 6) || replace(hex(zeroblob(length(json_extract(old_values, '$.id_number')) - 10)), '00', '*') || substr(json_extract(old_values, '$.id_number'), -4) WHEN length(json_extract(old_values, '$.id_number')) >= 8 THEN replace(hex(zeroblob(length(json_extract(old_values, '$.id_number')) - 4)), '00', '*') || substr(json_extract(old_values, '$.id_number'), -4) ELSE replace(hex(zeroblob(length(json_extract(old_values, '$.id_number')))), '00', '*') END) WHERE entity = 'persons' AND json_extract(old_values, '$.id_number') IS NOT NULL AND json_extract(old_values, '$.id_number') <> '';
UPDATE audit_log SET new_values = json_set(new_values, '$.id_number', CASE WHEN json_extract(new_values, '$.id_number') IS NULL OR json_extract(new_values, '$.id_number') = '' THEN json_extract(new_values, '$.id_number') WHEN length(json_extract(new_values, '$.id_number')) >= 11 THEN substr(json_extract(new_values, '$.id_number'), 1, 6) || replace(hex(zeroblob(length(json_extract(new_values, '$.id_number')) - 10)), '00', '*') || substr(json_extract(new_values, '$.id_number'), -4) WHEN length(json_extract(new_values, '$.id_number')) >= 8 THEN replace(hex(zeroblob(length(json_extract(new_values, '$.id_number')) - 4)), '00', '*') || substr(json_extract(new_values, '$.id_number'), -4) ELSE replace(hex(zeroblob(length(json_extract(new_values, '$.id_number')))), '00', '*') END) WHERE entity = 'persons' AND json_extract(new_values, '$.id_number') IS NOT NULL AND json_extract(new_values, '$.id_number') <> '';
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
