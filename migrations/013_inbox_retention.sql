-- The inbox keeps a consumer's claims only as long as Kafka may deliver their events again (see
-- InboxPruner): claims go in processed_at order, so a BRIN index finds the old ones for a few
-- pages of index, where a b-tree would grow with every claim.
CREATE INDEX processed_events_processed_at ON processed_events USING brin (processed_at);
