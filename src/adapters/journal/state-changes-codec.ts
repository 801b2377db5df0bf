import type { Mutable } from '../../domain/mutable.js';
import type { Money, Price } from '../../domain/money/price.js';
import type { ChildOrder, ChildOrderStatus } from '../../domain/order/child-order.js';
import type { OrderStatus, OrderType, Side, TimeInForce } from '../../domain/order/enums.js';
import type { Order, OrderTerms } from '../../domain/order/order.js';
import type { Position } from '../../domain/positions/position.js';
import type { RiskRejectCode } from '../../domain/risk/decision.js';
import type { RiskOrder } from '../../domain/risk/exposure.js';
import type { StrategyName } from '../../domain/routing/strategy-types.js';
import type { FillRecord, OrderHistoryEntry, TrackedOrder } from '../../ports/order-store.js';
import type { RecordedDecision } from '../../ports/risk-store.js';
import type { StateChanges } from '../../ports/working-state.js';

/**
 * StateChanges as a journal record: compact JSON (UTF-8) of plain objects mapped by hand, the
 * fastest way tried (no replacer or reviver callbacks). Prices and money travel as the decimal
 * string of their raw fixed-point integer, times as epoch milliseconds; an optional field that is
 * absent stays absent and null stays null, so a decoded value deep-equals what was encoded.
 * A history line's `detail` is taken as it is: JSON values only, as in the order_events table.
 * `v` is the record format, for records written by an older release.
 */
const FORMAT = 1;

// A record owns its bytes (Buffer.from would put small ones in a slab shared with other buffers).
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** JSON shapes: the domain's field names, bigint as string, Date as number. */
interface TermsJson {
  symbol: string;
  side: string;
  orderType: string;
  quantity: number;
  limitPrice: string | null;
  timeInForce: string;
}

interface OrderJson extends TermsJson {
  orderId: string;
  clientOrderId: string;
  accountId: string;
  strategy?: string;
  status: string;
  filledQuantity: number;
  leavesQuantity: number;
  filledNotional: string;
  avgPrice: string | null;
  rejectReason: string | null;
  pendingReplace?: { quantity: number; limitPrice: string | null } | null;
  expiring?: boolean;
  version: number;
  createdAt: number;
  updatedAt: number;
  /** TrackedOrder.routing */
  routeRequested: number;
  routeDecided: number;
}

interface HistoryJson {
  orderId: string;
  seq: number;
  eventType: string;
  status: string;
  detail: Record<string, unknown>;
  source: string;
  occurredAt: number;
}

interface ChildJson extends TermsJson {
  childOrderId: string;
  parentOrderId: string;
  venue: string;
  routeAttempt: number;
  strategy?: string;
  nbboBid?: string | null;
  nbboAsk?: string | null;
  status: string;
  cancelRequested?: boolean;
  filledQuantity: number;
  leavesQuantity: number;
  createdAt: number;
  updatedAt: number;
}

interface FillJson {
  execId: string;
  orderId: string;
  childOrderId: string;
  venue: string;
  quantity: number;
  price: string;
  occurredAt: number;
  accountId: string;
  symbol: string;
  side: string;
}

interface PositionJson {
  accountId: string;
  symbol: string;
  quantity: number;
  costBasis: string;
  realizedPnl: string;
}

interface DecisionJson extends TermsJson {
  orderId: string;
  clientOrderId: string;
  accountId: string;
  strategy?: string;
  createdAt: number;
  approved: boolean;
  code?: string;
  reason?: string;
  decidedAt: number;
}

interface StateChangesJson {
  v: number;
  orders: OrderJson[];
  history: HistoryJson[];
  children: ChildJson[];
  fills: FillJson[];
  positions: PositionJson[];
  riskDecisions: DecisionJson[];
}

const bigText = (value: bigint | null): string | null => (value === null ? null : value.toString());
/** `undefined` (an absent optional field) stays undefined, which JSON.stringify leaves out. */
const optionalBigText = (value: bigint | null | undefined): string | null | undefined => (value === undefined ? undefined : bigText(value));
const bigOrNull = (text: string | null): bigint | null => (text === null ? null : BigInt(text));

/** The terms a parent order, a child order and a decided order share. */
const termsToJson = (t: OrderTerms): TermsJson => ({
  symbol: t.symbol,
  side: t.side,
  orderType: t.orderType,
  quantity: t.quantity,
  limitPrice: bigText(t.limitPrice),
  timeInForce: t.timeInForce,
});

const termsFromJson = (j: TermsJson): OrderTerms => ({
  symbol: j.symbol,
  side: j.side as Side,
  orderType: j.orderType as OrderType,
  quantity: j.quantity,
  limitPrice: bigOrNull(j.limitPrice) as Price | null,
  timeInForce: j.timeInForce as TimeInForce,
});

function orderToJson({ order: o, routing }: TrackedOrder): OrderJson {
  const pending = o.pendingReplace;
  return {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    accountId: o.accountId,
    ...termsToJson(o),
    strategy: o.strategy,
    status: o.status,
    filledQuantity: o.filledQuantity,
    leavesQuantity: o.leavesQuantity,
    filledNotional: o.filledNotional.toString(),
    avgPrice: bigText(o.avgPrice),
    rejectReason: o.rejectReason,
    pendingReplace: pending ? { quantity: pending.quantity, limitPrice: bigText(pending.limitPrice) } : pending,
    expiring: o.expiring,
    version: o.version,
    createdAt: o.createdAt.getTime(),
    updatedAt: o.updatedAt.getTime(),
    routeRequested: routing.requested,
    routeDecided: routing.decided,
  };
}

function orderFromJson(j: OrderJson): TrackedOrder {
  const order: Mutable<Order> = {
    orderId: j.orderId,
    clientOrderId: j.clientOrderId,
    accountId: j.accountId,
    ...termsFromJson(j),
    status: j.status as OrderStatus,
    filledQuantity: j.filledQuantity,
    leavesQuantity: j.leavesQuantity,
    filledNotional: BigInt(j.filledNotional) as Money,
    avgPrice: bigOrNull(j.avgPrice) as Price | null,
    rejectReason: j.rejectReason,
    version: j.version,
    createdAt: new Date(j.createdAt),
    updatedAt: new Date(j.updatedAt),
  };
  if (j.strategy !== undefined) order.strategy = j.strategy as StrategyName;
  if (j.pendingReplace !== undefined) {
    const pending = j.pendingReplace;
    order.pendingReplace = pending === null ? null : { quantity: pending.quantity, limitPrice: bigOrNull(pending.limitPrice) as Price | null };
  }
  if (j.expiring !== undefined) order.expiring = j.expiring;
  return { order, routing: { requested: j.routeRequested, decided: j.routeDecided } };
}

const historyToJson = (h: OrderHistoryEntry): HistoryJson => ({
  orderId: h.orderId,
  seq: h.seq,
  eventType: h.eventType,
  status: h.status,
  detail: h.detail,
  source: h.source,
  occurredAt: h.occurredAt.getTime(),
});

const historyFromJson = (j: HistoryJson): OrderHistoryEntry => ({
  orderId: j.orderId,
  seq: j.seq,
  eventType: j.eventType,
  status: j.status,
  detail: j.detail,
  source: j.source,
  occurredAt: new Date(j.occurredAt),
});

const childToJson = (c: ChildOrder): ChildJson => ({
  childOrderId: c.childOrderId,
  parentOrderId: c.parentOrderId,
  venue: c.venue,
  ...termsToJson(c),
  routeAttempt: c.routeAttempt,
  strategy: c.strategy,
  nbboBid: optionalBigText(c.nbboBid),
  nbboAsk: optionalBigText(c.nbboAsk),
  status: c.status,
  cancelRequested: c.cancelRequested,
  filledQuantity: c.filledQuantity,
  leavesQuantity: c.leavesQuantity,
  createdAt: c.createdAt.getTime(),
  updatedAt: c.updatedAt.getTime(),
});

function childFromJson(j: ChildJson): ChildOrder {
  const child: Mutable<ChildOrder> = {
    childOrderId: j.childOrderId,
    parentOrderId: j.parentOrderId,
    venue: j.venue,
    ...termsFromJson(j),
    routeAttempt: j.routeAttempt,
    status: j.status as ChildOrderStatus,
    filledQuantity: j.filledQuantity,
    leavesQuantity: j.leavesQuantity,
    createdAt: new Date(j.createdAt),
    updatedAt: new Date(j.updatedAt),
  };
  if (j.strategy !== undefined) child.strategy = j.strategy as StrategyName;
  if (j.nbboBid !== undefined) child.nbboBid = bigOrNull(j.nbboBid) as Price | null;
  if (j.nbboAsk !== undefined) child.nbboAsk = bigOrNull(j.nbboAsk) as Price | null;
  if (j.cancelRequested !== undefined) child.cancelRequested = j.cancelRequested;
  return child;
}

const fillToJson = (f: FillRecord): FillJson => ({
  execId: f.execId,
  orderId: f.orderId,
  childOrderId: f.childOrderId,
  venue: f.venue,
  quantity: f.quantity,
  price: f.price.toString(),
  occurredAt: f.occurredAt.getTime(),
  accountId: f.accountId,
  symbol: f.symbol,
  side: f.side,
});

const fillFromJson = (j: FillJson): FillRecord => ({
  execId: j.execId,
  orderId: j.orderId,
  childOrderId: j.childOrderId,
  venue: j.venue,
  quantity: j.quantity,
  price: BigInt(j.price) as Price,
  occurredAt: new Date(j.occurredAt),
  accountId: j.accountId,
  symbol: j.symbol,
  side: j.side as Side,
});

const positionToJson = (p: Position): PositionJson => ({
  accountId: p.accountId,
  symbol: p.symbol,
  quantity: p.quantity,
  costBasis: p.costBasis.toString(),
  realizedPnl: p.realizedPnl.toString(),
});

const positionFromJson = (j: PositionJson): Position => ({
  accountId: j.accountId,
  symbol: j.symbol,
  quantity: j.quantity,
  costBasis: BigInt(j.costBasis) as Money,
  realizedPnl: BigInt(j.realizedPnl) as Money,
});

/** The RiskOrder's own fields only (a full Order passed as one loses the rest). */
function decisionToJson({ order: o, decision, decidedAt }: RecordedDecision): DecisionJson {
  return {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    accountId: o.accountId,
    ...termsToJson(o),
    strategy: o.strategy,
    createdAt: o.createdAt.getTime(),
    approved: decision.approved,
    code: decision.approved ? undefined : decision.code,
    reason: decision.approved ? undefined : decision.reason,
    decidedAt: decidedAt.getTime(),
  };
}

function decisionFromJson(j: DecisionJson): RecordedDecision {
  const order: Mutable<RiskOrder> = {
    orderId: j.orderId,
    clientOrderId: j.clientOrderId,
    accountId: j.accountId,
    ...termsFromJson(j),
    createdAt: new Date(j.createdAt),
  };
  if (j.strategy !== undefined) order.strategy = j.strategy as StrategyName;
  return {
    order,
    decision: j.approved ? { approved: true } : { approved: false, code: j.code as RiskRejectCode, reason: j.reason! },
    decidedAt: new Date(j.decidedAt),
  };
}

export function encodeStateChanges(changes: StateChanges): Uint8Array {
  const json: StateChangesJson = {
    v: FORMAT,
    orders: changes.orders.map(orderToJson),
    history: changes.history.map(historyToJson),
    children: changes.children.map(childToJson),
    fills: changes.fills.map(fillToJson),
    positions: changes.positions.map(positionToJson),
    riskDecisions: changes.riskDecisions.map(decisionToJson),
  };
  return utf8.encode(JSON.stringify(json));
}

export function decodeStateChanges(data: Uint8Array): StateChanges {
  const json = JSON.parse(fromUtf8.decode(data)) as StateChangesJson;
  if (json.v !== FORMAT) throw new Error(`unknown StateChanges record format ${String(json.v)}`);
  return {
    orders: json.orders.map(orderFromJson),
    history: json.history.map(historyFromJson),
    children: json.children.map(childFromJson),
    fills: json.fills.map(fillFromJson),
    positions: json.positions.map(positionFromJson),
    riskDecisions: json.riskDecisions.map(decisionFromJson),
  };
}
