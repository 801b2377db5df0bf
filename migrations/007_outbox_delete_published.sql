-- The outbox relay now deletes the rows it has published, so the outbox holds only what the bus
-- has not taken yet (published_at stays NULL on every row). Rows published before this change go.
DELETE FROM outbox WHERE published_at IS NOT NULL;
