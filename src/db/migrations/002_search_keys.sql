-- Guanjia schema v2: search keys of persons, one row per key.
--
-- persons.search_keys holds every combination of a name's pinyin initials,
-- space separated ("曾单" -> "zd zs cd cs"), so that a character with several
-- readings matches on any of them. A text column cannot be searched by
-- prefix with an index, so the combinations are split into this table:
-- "zs" finds 曾单 by a range scan of the primary key
-- (key >= 'zs' AND key < 'zt').
--
-- This table is an index, not a record: it is derived from
-- persons.search_keys by the triggers below, in the same transaction as
-- the change of the person, whoever writes it. Its rows carry no history
-- and are not audited (the person's row is), and they are replaced when a
-- name changes, so the "nothing is deleted" rule of schema v1 does not
-- apply to it: it has no no-delete trigger, on purpose.

CREATE TABLE person_search_keys (
  key TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  PRIMARY KEY (key, person_id)
) WITHOUT ROWID;
-- To replace one person's keys without a scan.
CREATE INDEX person_search_keys_person ON person_search_keys(person_id);

-- The persons of an existing database (e.g. a demo made by schema v1).
INSERT OR IGNORE INTO person_search_keys(key, person_id)
WITH RECURSIVE split(person_id, key, rest) AS (
  SELECT id, '', search_keys || ' ' FROM persons
  UNION ALL
  SELECT person_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split WHERE rest <> ''
)
SELECT key, person_id FROM split WHERE key <> '';

-- Kept in step with persons.search_keys. These run during bulk loads too:
-- the keys are part of the data, not of its audit.
CREATE TRIGGER person_search_keys_insert AFTER INSERT ON persons
BEGIN
  INSERT OR IGNORE INTO person_search_keys(key, person_id)
  WITH RECURSIVE split(key, rest) AS (
    SELECT '', NEW.search_keys || ' '
    UNION ALL
    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
      FROM split WHERE rest <> ''
  )
  SELECT key, NEW.id FROM split WHERE key <> '';
END;

CREATE TRIGGER person_search_keys_update AFTER UPDATE OF id, search_keys ON persons
WHEN NEW.search_keys IS NOT OLD.search_keys OR NEW.id IS NOT OLD.id
BEGIN
  DELETE FROM person_search_keys WHERE person_id = OLD.id;
  INSERT OR IGNORE INTO person_search_keys(key, person_id)
  WITH RECURSIVE split(key, rest) AS (
    SELECT '', NEW.search_keys || ' '
    UNION ALL
    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
      FROM split WHERE rest <> ''
  )
  SELECT key, NEW.id FROM split WHERE key <> '';
END;
