-- Orders, their history, child orders, fills, positions, the transactional outbox and the inbox
-- of processed events. The same SQL runs on PGlite (embedded) and PostgreSQL (distributed).
-- Prices and money are NUMERIC: exact decimals, read and written as strings.

CREATE TABLE orders (
  order_id         uuid PRIMARY KEY,
  client_order_id  text NOT NULL,
  account_id       text NOT NULL,
  symbol           text NOT NULL,
  side             text NOT NULL,
  order_type       text NOT NULL,
  quantity         bigint NOT NULL CHECK (quantity > 0),
  limit_price      numeric(30, 8),
  time_in_force    text NOT NULL,
  status           text NOT NULL,
  filled_quantity  bigint NOT NULL DEFAULT 0 CHECK (filled_quantity >= 0),
  leaves_quantity  bigint NOT NULL CHECK (leaves_quantity >= 0),
  filled_notional  numeric(38, 8) NOT NULL DEFAULT 0,
  avg_price        numeric(30, 8),
  reject_reason    text,
  version          integer NOT NULL DEFAULT 1,
  -- Routing attempts asked of the router and answered by it: while they differ, a route is in flight.
  route_requested  integer NOT NULL DEFAULT 0,
  route_decided    integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  CONSTRAINT orders_client_order_id_unique UNIQUE (account_id, client_order_id),
  CONSTRAINT orders_fill_bounds CHECK (filled_quantity + leaves_quantity <= quantity)
);
CREATE INDEX orders_by_account ON orders (account_id, order_id DESC);
CREATE INDEX orders_open ON orders (status) WHERE status IN ('PENDING_NEW', 'NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_REPLACE');

-- Every change to an order, append-only: the order's history and audit trail.
CREATE TABLE order_events (
  order_id     uuid NOT NULL REFERENCES orders (order_id),
  seq          integer NOT NULL,
  event_type   text NOT NULL,
  status       text NOT NULL,
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
  source       text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  PRIMARY KEY (order_id, seq)
);

CREATE TABLE child_orders (
  child_order_id   text PRIMARY KEY,
  parent_order_id  uuid NOT NULL REFERENCES orders (order_id),
  venue            text NOT NULL,
  symbol           text NOT NULL,
  side             text NOT NULL,
  order_type       text NOT NULL,
  quantity         bigint NOT NULL CHECK (quantity > 0),
  limit_price      numeric(30, 8),
  time_in_force    text NOT NULL,
  -- 1 for the first routing of the parent, 2, 3... for re-routes of a remainder.
  route_attempt    integer NOT NULL,
  status           text NOT NULL,
  filled_quantity  bigint NOT NULL DEFAULT 0,
  leaves_quantity  bigint NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX child_orders_by_parent ON child_orders (parent_order_id);

-- One row per venue execution; the primary key makes a replayed ExecutionReport a no-op.
CREATE TABLE fills (
  venue           text NOT NULL,
  exec_id         text NOT NULL,
  order_id        uuid NOT NULL REFERENCES orders (order_id),
  child_order_id  text NOT NULL,
  account_id      text NOT NULL,
  symbol          text NOT NULL,
  side            text NOT NULL,
  quantity        bigint NOT NULL CHECK (quantity > 0),
  price           numeric(30, 8) NOT NULL,
  occurred_at     timestamptz NOT NULL,
  PRIMARY KEY (venue, exec_id)
);
CREATE INDEX fills_by_order ON fills (order_id);

-- Net position per account and symbol, from fills applied exactly once.
CREATE TABLE positions (
  account_id   text NOT NULL,
  symbol       text NOT NULL,
  quantity     bigint NOT NULL DEFAULT 0,
  -- Cost of the open position (signed, like quantity) and realised P&L, exact.
  cost_basis   numeric(38, 8) NOT NULL DEFAULT 0,
  realized_pnl numeric(38, 8) NOT NULL DEFAULT 0,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (account_id, symbol)
);

-- Transactional outbox: events written in the same transaction as the state they describe.
-- Payload and headers are JSON text the database never looks into: stored as text, they cost
-- neither a jsonb conversion on insert nor a rebuild on read.
CREATE TABLE outbox (
  id            bigserial PRIMARY KEY,
  topic         text NOT NULL,
  message_key   text NOT NULL,
  event_id      uuid NOT NULL UNIQUE,
  payload       text NOT NULL,
  headers       text NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Inbox: the events each consumer has applied, so a redelivered event changes nothing.
CREATE TABLE processed_events (
  consumer      text NOT NULL,
  event_id      uuid NOT NULL,
  processed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
