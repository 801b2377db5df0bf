-- The outbox relays are woken by the process that wrote the rows, and poll: no NOTIFY per insert.
-- A transaction that has sent NOTIFY holds one lock for the whole database from its COMMIT until
-- the commit is flushed, so every transaction that wrote the outbox committed one at a time
-- (seen as Lock:object waits on COMMIT with seven services at 1,000 orders/s).
DROP TRIGGER IF EXISTS outbox_notify ON outbox;
DROP FUNCTION IF EXISTS outbox_notify();
