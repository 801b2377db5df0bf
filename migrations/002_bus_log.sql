-- The embedded event bus: one append-only log for all topics, and each consumer group's position
-- per topic. Kafka replaces both in distributed mode; the semantics (durable publish, per-key order,
-- at-least-once delivery from committed offsets) are the same.
CREATE TABLE bus_log (
  log_offset   bigserial PRIMARY KEY,
  topic        text NOT NULL,
  message_key  text NOT NULL,
  event_id     uuid NOT NULL,
  payload      jsonb NOT NULL,
  headers      jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bus_log_by_topic ON bus_log (topic, log_offset);

CREATE TABLE bus_offsets (
  group_id          text NOT NULL,
  topic             text NOT NULL,
  committed_offset  bigint NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, topic)
);
