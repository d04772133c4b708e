-- Version 3: the residents of a unit are read on every detail view, list
-- row and export; the only index on unit_persons(unit_id) so far was partial
-- (active links), which a query for all links cannot use.
CREATE INDEX IF NOT EXISTS unit_persons_unit ON unit_persons(unit_id, id);
