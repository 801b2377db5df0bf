import type { ChildOrder } from '../../../domain/order/child-order.js';
import type { Order } from '../../../domain/order/order.js';
import type { Position } from '../../../domain/positions/position.js';
import type { FillRecord, OrderHistoryEntry, TrackedOrder } from '../../../ports/order-store.js';
import type { RecordedDecision } from '../../../ports/risk-store.js';
import type { SqlStatement } from '../../../ports/sql.js';
import { formatDecimalOrNull } from '../../../domain/money/price.js';
import { isoText } from '../../../lib/iso-text.js';

/**
 * The batched writes of the order flow's state, one copy of each SQL text: SqlOrderStore and
 * SqlRiskDecisionStore (a consumer batch at a time) and SqlQueryModelWriter (the journal's records,
 * written behind) send the same statements. Every one works on whole arrays through unnest.
 */

export const CHILD_COLUMNS =
  'child_order_id, parent_order_id, venue, symbol, side, order_type, quantity, limit_price, time_in_force, route_attempt, status, filled_quantity, leaves_quantity, created_at, updated_at, strategy, nbbo_bid, nbbo_ask, cancel_requested';

/** A column of the orders table: its name, its type in unnest, and its value for an order. */
type OrderColumn = readonly [name: string, type: string, value: (tracked: TrackedOrder) => unknown];

const ORDER_ID: OrderColumn = ['order_id', 'uuid', (t) => t.order.orderId];

/** What changes over an order's life: an update writes these. */
const ORDER_STATE: readonly OrderColumn[] = [
  ['status', 'text', (t) => t.order.status],
  ['filled_quantity', 'bigint', (t) => t.order.filledQuantity],
  ['leaves_quantity', 'bigint', (t) => t.order.leavesQuantity],
  ['filled_notional', 'numeric', (t) => formatDecimalOrNull(t.order.filledNotional)],
  ['avg_price', 'numeric', (t) => formatDecimalOrNull(t.order.avgPrice)],
  ['reject_reason', 'text', (t) => t.order.rejectReason],
  ['version', 'int', (t) => t.order.version],
  ['route_requested', 'int', (t) => t.routing.requested],
  ['route_decided', 'int', (t) => t.routing.decided],
  ['updated_at', 'timestamptz', (t) => isoText(t.order.updatedAt)],
  ['quantity', 'bigint', (t) => t.order.quantity],
  ['limit_price', 'numeric', (t) => formatDecimalOrNull(t.order.limitPrice)],
  ['replace_quantity', 'bigint', (t) => t.order.pendingReplace?.quantity ?? null],
  ['replace_limit_price', 'numeric', (t) => formatDecimalOrNull(t.order.pendingReplace?.limitPrice ?? null)],
  ['expiring', 'boolean', (t) => t.order.expiring ?? false],
];

/** What an order is given once, when it is received. */
const ORDER_ORIGIN: readonly OrderColumn[] = [
  ['client_order_id', 'text', (t) => t.order.clientOrderId],
  ['account_id', 'text', (t) => t.order.accountId],
  ['symbol', 'text', (t) => t.order.symbol],
  ['side', 'text', (t) => t.order.side],
  ['order_type', 'text', (t) => t.order.orderType],
  ['time_in_force', 'text', (t) => t.order.timeInForce],
  ['routing_strategy', 'text', (t) => t.order.strategy ?? null],
  ['created_at', 'timestamptz', (t) => isoText(t.order.createdAt)],
];

const unnestOf = (columns: readonly OrderColumn[]): string =>
  `unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) AS u(${columns.map(([name]) => name).join(', ')})`;
const orderParams = (columns: readonly OrderColumn[], orders: readonly TrackedOrder[]): unknown[] => columns.map(([, , value]) => orders.map(value));

const UPDATED_COLUMNS = [ORDER_ID, ...ORDER_STATE];
const ORDER_STATES_UPDATE = `UPDATE orders o SET ${ORDER_STATE.map(([name]) => `${name} = u.${name}`).join(', ')}
 FROM ${unnestOf(UPDATED_COLUMNS)}
 WHERE o.order_id = u.order_id`;

/** The new state of orders already stored (their rows locked by the caller). */
export function orderStatesUpdate(orders: readonly TrackedOrder[]): SqlStatement {
  return { text: ORDER_STATES_UPDATE, params: orderParams(UPDATED_COLUMNS, orders) };
}

const UPSERTED_COLUMNS = [ORDER_ID, ...ORDER_STATE, ...ORDER_ORIGIN];
const ORDERS_UPSERT = `INSERT INTO orders (${UPSERTED_COLUMNS.map(([name]) => name).join(', ')})
 SELECT * FROM ${unnestOf(UPSERTED_COLUMNS)}
 ON CONFLICT (order_id) DO UPDATE SET ${ORDER_STATE.map(([name]) => `${name} = EXCLUDED.${name}`).join(', ')}
 WHERE (orders.version, orders.route_requested, orders.route_decided) < (EXCLUDED.version, EXCLUDED.route_requested, EXCLUDED.route_decided)`;

/**
 * Inserts orders, or updates those stored to a later state. Later is a higher version, or at the
 * same version a later routing step (asking the router and hearing back change no version; both
 * counters only grow), so an earlier state written again changes nothing. At most one state per order.
 */
export function ordersUpsert(orders: readonly TrackedOrder[]): SqlStatement {
  return { text: ORDERS_UPSERT, params: orderParams(UPSERTED_COLUMNS, orders) };
}

const NEW_ORDERS_INSERT = `INSERT INTO orders (${UPSERTED_COLUMNS.map(([name]) => name).join(', ')})
 SELECT * FROM ${unnestOf(UPSERTED_COLUMNS)}
 ON CONFLICT (account_id, client_order_id) DO NOTHING
 RETURNING order_id`;

/** Inserts orders as received; one whose (accountId, clientOrderId) is taken is left out. Returns the order_id rows inserted. */
export function newOrdersInsert(orders: readonly Order[]): SqlStatement {
  return {
    text: NEW_ORDERS_INSERT,
    params: orderParams(
      UPSERTED_COLUMNS,
      orders.map((order) => ({ order, routing: { requested: 0, decided: 0 } })),
    ),
  };
}

/**
 * Appends lines to orders' history. `onlyStoredOrders` leaves out lines of orders not in the
 * orders table (see outboxInsert); `skipWritten` leaves out lines already there (the primary key
 * (order_id, seq) otherwise fails the statement, and the history is append-only: 006).
 */
export function historyInsert(history: readonly OrderHistoryEntry[], options: { onlyStoredOrders?: boolean; skipWritten?: boolean } = {}): SqlStatement {
  return {
    text: `INSERT INTO order_events (order_id, seq, event_type, status, detail, source, occurred_at)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::timestamptz[]) AS h(order_id)
     ${options.onlyStoredOrders ? 'WHERE EXISTS (SELECT 1 FROM orders o WHERE o.order_id = h.order_id)' : ''}
     ${options.skipWritten ? 'ON CONFLICT (order_id, seq) DO NOTHING' : ''}`,
    params: [
      history.map((h) => h.orderId),
      history.map((h) => h.seq),
      history.map((h) => h.eventType),
      history.map((h) => h.status),
      history.map((h) => JSON.stringify(h.detail)),
      history.map((h) => h.source),
      history.map((h) => isoText(h.occurredAt)),
    ],
  };
}

/** Inserts new child orders and updates the state of existing ones. At most one state per child. */
export function childrenUpsert(children: readonly ChildOrder[]): SqlStatement {
  return {
    text: `INSERT INTO child_orders (${CHILD_COLUMNS})
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::numeric[], $9::text[], $10::int[], $11::text[], $12::bigint[], $13::bigint[], $14::timestamptz[], $15::timestamptz[], $16::text[], $17::numeric[], $18::numeric[], $19::boolean[])
       ON CONFLICT (child_order_id) DO UPDATE SET status = EXCLUDED.status, filled_quantity = EXCLUDED.filled_quantity,
         leaves_quantity = EXCLUDED.leaves_quantity, updated_at = EXCLUDED.updated_at, cancel_requested = EXCLUDED.cancel_requested`,
    params: [
      children.map((c) => c.childOrderId),
      children.map((c) => c.parentOrderId),
      children.map((c) => c.venue),
      children.map((c) => c.symbol),
      children.map((c) => c.side),
      children.map((c) => c.orderType),
      children.map((c) => c.quantity),
      children.map((c) => formatDecimalOrNull(c.limitPrice)),
      children.map((c) => c.timeInForce),
      children.map((c) => c.routeAttempt),
      children.map((c) => c.status),
      children.map((c) => c.filledQuantity),
      children.map((c) => c.leavesQuantity),
      children.map((c) => isoText(c.createdAt)),
      children.map((c) => isoText(c.updatedAt)),
      children.map((c) => c.strategy ?? null),
      children.map((c) => formatDecimalOrNull(c.nbboBid ?? null)),
      children.map((c) => formatDecimalOrNull(c.nbboAsk ?? null)),
      children.map((c) => c.cancelRequested ?? false),
    ],
  };
}

/** Inserts fills, skipping executions already stored; returns the rows (venue, exec_id) inserted. */
export function fillsInsert(fills: readonly FillRecord[]): SqlStatement {
  return {
    text: `INSERT INTO fills (venue, exec_id, order_id, child_order_id, account_id, symbol, side, quantity, price, occurred_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::numeric[], $10::timestamptz[])
       ON CONFLICT (venue, exec_id) DO NOTHING
       RETURNING venue, exec_id`,
    params: [
      fills.map((f) => f.venue),
      fills.map((f) => f.execId),
      fills.map((f) => f.orderId),
      fills.map((f) => f.childOrderId),
      fills.map((f) => f.accountId),
      fills.map((f) => f.symbol),
      fills.map((f) => f.side),
      fills.map((f) => f.quantity),
      fills.map((f) => formatDecimalOrNull(f.price)),
      fills.map((f) => isoText(f.occurredAt)),
    ],
  };
}

/** Inserts or replaces positions (updated_at: when written). At most one per account and symbol. */
export function positionsUpsert(positions: readonly Position[]): SqlStatement {
  return {
    text: `INSERT INTO positions (account_id, symbol, quantity, cost_basis, realized_pnl, updated_at)
       SELECT a, s, q, c, r, now() FROM unnest($1::text[], $2::text[], $3::bigint[], $4::numeric[], $5::numeric[]) AS u(a, s, q, c, r)
       ON CONFLICT (account_id, symbol) DO UPDATE SET quantity = EXCLUDED.quantity, cost_basis = EXCLUDED.cost_basis,
         realized_pnl = EXCLUDED.realized_pnl, updated_at = EXCLUDED.updated_at`,
    params: [
      positions.map((p) => p.accountId),
      positions.map((p) => p.symbol),
      positions.map((p) => p.quantity),
      positions.map((p) => formatDecimalOrNull(p.costBasis)),
      positions.map((p) => formatDecimalOrNull(p.realizedPnl)),
    ],
  };
}

/**
 * Stores pre-trade decisions, one per order. An approval once stored stays (an order's exposure
 * is never forgotten); a denial is replaced by a later decision.
 */
export function riskDecisionsInsert(decisions: readonly RecordedDecision[]): SqlStatement {
  return {
    text: `INSERT INTO risk_checks (order_id, account_id, symbol, side, quantity, limit_price, order_created_at, approved, code, reason, decided_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::numeric[], $7::timestamptz[], $8::boolean[], $9::text[], $10::text[], $11::timestamptz[])
       ON CONFLICT (order_id) DO UPDATE SET approved = EXCLUDED.approved, code = EXCLUDED.code, reason = EXCLUDED.reason, decided_at = EXCLUDED.decided_at
       WHERE NOT risk_checks.approved`,
    params: [
      decisions.map((d) => d.order.orderId),
      decisions.map((d) => d.order.accountId),
      decisions.map((d) => d.order.symbol),
      decisions.map((d) => d.order.side),
      decisions.map((d) => d.order.quantity),
      decisions.map((d) => formatDecimalOrNull(d.order.limitPrice)),
      decisions.map((d) => isoText(d.order.createdAt)),
      decisions.map((d) => d.decision.approved),
      decisions.map((d) => (d.decision.approved ? null : d.decision.code)),
      decisions.map((d) => (d.decision.approved ? null : d.decision.reason)),
      decisions.map((d) => isoText(d.decidedAt)),
    ],
  };
}
