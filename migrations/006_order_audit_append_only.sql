-- The order history is the audit trail of every change to an order (who, what, when, from which
-- source): rows are only ever added. The database refuses to change or remove them.
CREATE FUNCTION order_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'order_events is append-only';
END;
$$;
CREATE TRIGGER order_events_no_update BEFORE UPDATE OR DELETE ON order_events FOR EACH ROW EXECUTE FUNCTION order_events_append_only();
CREATE TRIGGER order_events_no_truncate BEFORE TRUNCATE ON order_events FOR EACH STATEMENT EXECUTE FUNCTION order_events_append_only();
