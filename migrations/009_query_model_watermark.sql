-- Embedded mode keeps the order flow's working state in memory, and its durable record is the
-- journal: a turn is acknowledged once its record is fsynced there. These tables become the query
-- model (what the read API serves, and what the working state is loaded from at start), written
-- behind the journal in batches. Each batch commits with the journal sequence number of its last
-- record, kept here: the query model holds every record up to it. On start, the journal's records
-- above this seq are written again before anything is loaded, so nothing acknowledged is missing
-- after a crash; writing a record twice changes nothing (states carry their version, appends
-- their keys), and the seq only ever moves up. 0: nothing written from a journal yet. One row.
CREATE TABLE query_model_watermark (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq        bigint NOT NULL CHECK (seq >= 0)
);
INSERT INTO query_model_watermark (seq) VALUES (0);
