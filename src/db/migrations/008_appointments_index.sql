-- Version 8: today's appointments for the Desk come from an index of the
-- orders that have one, instead of a walk over every open order.
CREATE INDEX IF NOT EXISTS wo_appointment ON work_orders(appointment_at)
  WHERE appointment_at IS NOT NULL;
