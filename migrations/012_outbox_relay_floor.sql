-- Where the outbox relays' scans start (see OutboxRelay): every id at or below `floor` is published
-- or will never commit, and every id up to `pending_up_to` will be too once no transaction at or
-- below `pending_xid` is running. One row, read and written by the relay that holds the relay lock, so
-- that every relay starts where the last one left off.
CREATE TABLE outbox_relay_floor (
  only_row       boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  floor          bigint NOT NULL,
  pending_up_to  bigint,
  pending_xid    xid8
);
INSERT INTO outbox_relay_floor (floor) VALUES (0);
