-- Pre-trade risk controls: per-account limits, kill switches, the audit of every change to them,
-- and each pre-trade decision (the exposure of approved orders not yet NEW, and the recent
-- approvals the duplicate check and the rate throttle count). Same SQL on PGlite and PostgreSQL.

-- One account's overrides of the configured defaults, as JSON (money as decimal strings); a
-- field absent from `limits` takes the default.
CREATE TABLE risk_limits (
  account_id  text PRIMARY KEY,
  limits      jsonb NOT NULL,
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- Engaged kill switches; releasing one deletes its row (the audit keeps the history).
CREATE TABLE kill_switches (
  scope       text NOT NULL CHECK (scope IN ('GLOBAL', 'ACCOUNT')),
  -- '' for the global switch, so the primary key allows exactly one of it.
  account_id  text NOT NULL DEFAULT '',
  reason      text NOT NULL,
  engaged_by  text NOT NULL,
  engaged_at  timestamptz NOT NULL,
  PRIMARY KEY (scope, account_id),
  CHECK ((scope = 'GLOBAL') = (account_id = ''))
);

-- Who changed which control, when, from what to what. Append-only: rows cannot be edited or removed.
CREATE TABLE risk_audit (
  id           bigserial PRIMARY KEY,
  action       text NOT NULL,
  scope        text NOT NULL,
  account_id   text,
  actor        text NOT NULL,
  detail       jsonb NOT NULL,
  occurred_at  timestamptz NOT NULL
);

CREATE FUNCTION risk_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'risk_audit is append-only';
END;
$$;
CREATE TRIGGER risk_audit_no_update BEFORE UPDATE OR DELETE ON risk_audit FOR EACH ROW EXECUTE FUNCTION risk_audit_append_only();
CREATE TRIGGER risk_audit_no_truncate BEFORE TRUNCATE ON risk_audit FOR EACH STATEMENT EXECUTE FUNCTION risk_audit_append_only();

-- Every pre-trade decision, keyed by order. An approval recorded here makes the order count as
-- working exposure while it is still PENDING_NEW (decided, not yet accepted by oms-core).
CREATE TABLE risk_checks (
  order_id          uuid PRIMARY KEY,
  account_id        text NOT NULL,
  symbol            text NOT NULL,
  side              text NOT NULL,
  quantity          bigint NOT NULL,
  limit_price       numeric(30, 8),
  order_created_at  timestamptz NOT NULL,
  approved          boolean NOT NULL,
  code              text,
  reason            text,
  decided_at        timestamptz NOT NULL
);
CREATE INDEX risk_checks_recent_approvals ON risk_checks (account_id, decided_at) WHERE approved;

-- An account's open orders, for the credit and position checks (the predicate matches orders_open).
CREATE INDEX orders_open_by_account ON orders (account_id) WHERE status IN ('PENDING_NEW', 'NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_REPLACE');
