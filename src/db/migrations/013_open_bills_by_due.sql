-- Version 13: the open bills by due date, with their amounts, so that the
-- arrears totals add up each age bucket as a range of this index instead
-- of judging every open bill (issue 9).
CREATE INDEX IF NOT EXISTS bills_open_by_due ON bills(due_at, amount_fen, paid_fen)
  WHERE paid_fen < amount_fen;
