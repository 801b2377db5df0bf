import type { OrderSnapshot } from '../../domain/events/messages.js';
import { averagePrice, formatDecimal, parseDecimal, type Money } from '../../domain/money/price.js';
import type { OrderStatus } from '../../domain/order/enums.js';
import { fix44 } from '../../fix/index.js';
import { ordRejReasonFor } from './translate.js';

/**
 * Committed order states as a client's FIX reports: each new snapshot of an order, against what
 * the client was told last, becomes the ExecutionReports (and OrderCancelRejects) that say what
 * changed. Pure: the gateway keeps one TrackedOrder per order and sends what this returns.
 */

/** A cancel or replace the client asked for, until the order's state answers it. */
export interface PendingRequest {
  readonly kind: 'CANCEL' | 'REPLACE';
  readonly clOrdId: string;
  readonly origClOrdId: string;
  /** The terms a replace asked for: the order carries them once replaced. */
  readonly quantity?: number;
  readonly limitPrice?: string | null;
  /** The OMS took the request (PENDING_CANCEL / PENDING_REPLACE was reported). */
  acknowledged: boolean;
}

export interface TrackedOrder {
  readonly orderId: string;
  /** The ClOrdID the client knows the order by now (the latest replace's). */
  clOrdId: string;
  pending: PendingRequest | undefined;
  /** What the client was last told: status (undefined: nothing yet) and filled quantity. */
  reportedStatus: OrderStatus | undefined;
  reportedFilled: number;
  reportedAvgPrice: string | null;
}

export type GatewayMessage =
  { readonly kind: 'report'; readonly report: fix44.ExecutionReport } | { readonly kind: 'cancel-reject'; readonly reject: fix44.OrderCancelReject };

/** A fill of the order committed with the snapshot: its own quantity and price (LastQty, LastPx). */
export interface CommittedFill {
  readonly quantity: number;
  readonly price: bigint;
}

const WORKING: ReadonlySet<OrderStatus> = new Set(['NEW', 'PARTIALLY_FILLED']);
const DONE: ReadonlySet<OrderStatus> = new Set(['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'REPLACED', 'DONE_FOR_DAY']);

export function trackOrder(orderId: string, clOrdId: string): TrackedOrder {
  return { orderId, clOrdId, pending: undefined, reportedStatus: undefined, reportedFilled: 0, reportedAvgPrice: null };
}

/** FIX's OrdStatus for an OMS status (REPLACED is not one a parent order reaches). */
export const fixOrdStatus = (status: OrderStatus): fix44.FixOrdStatus => (status === 'REPLACED' ? 'CANCELED' : status);

/** The order's state now, as ExecType I (OrderStatusRequest's answer). */
export function statusReport(order: OrderSnapshot, clOrdId: string, execId: string, at: Date): fix44.ExecutionReport {
  return base(order, clOrdId, execId, 'ORDER_STATUS', fixOrdStatus(order.status), order.filledQuantity, order.avgPrice, at);
}

/**
 * A working order restated at the start of a new FIX day (ExecType D, ExecRestatementReason 1,
 * as brokers restate GTC orders): what the client was told of it, now in the new series too.
 */
export function restatement(order: OrderSnapshot, tracked: TrackedOrder, execId: string, at: Date): fix44.ExecutionReport {
  const report = base(
    order,
    tracked.clOrdId,
    execId,
    'RESTATED',
    fixOrdStatus(tracked.reportedStatus ?? order.status),
    tracked.reportedFilled,
    tracked.reportedAvgPrice,
    at,
  );
  return { ...report, execRestatementReason: fix44.ExecRestatementReason.GtRenewal };
}

/**
 * What the client must hear about `next`, in order: the acknowledgement, fills, pending and done
 * cancels and replaces, refusals of them, and the end. Updates `tracked` to what it was told.
 */
export function reportsFor(tracked: TrackedOrder, next: OrderSnapshot, fills: readonly CommittedFill[], at: Date): GatewayMessage[] {
  const out: GatewayMessage[] = [];
  const id = (): string => `${next.orderId}-${next.version}-${out.length}`;
  const report = (r: fix44.ExecutionReport) => out.push({ kind: 'report', report: r });
  const status = next.status;
  const before = tracked.reportedStatus;

  if ((before === undefined || before === 'PENDING_NEW') && status !== 'PENDING_NEW' && status !== 'REJECTED') {
    report(base(next, tracked.clOrdId, id(), 'NEW', 'NEW', 0, null, at, next.quantity));
  }
  if (next.filledQuantity > tracked.reportedFilled) {
    const lastQty = next.filledQuantity - tracked.reportedFilled;
    const ordStatus: fix44.FixOrdStatus =
      next.filledQuantity >= next.quantity ? 'FILLED' : status === 'PENDING_CANCEL' || status === 'PENDING_REPLACE' ? status : 'PARTIALLY_FILLED';
    const trade = base(next, tracked.clOrdId, id(), 'TRADE', ordStatus, next.filledQuantity, next.avgPrice, at);
    report({ ...trade, lastQty: String(lastQty), lastPx: lastPrice(fills, lastQty, tracked, next) });
  }
  const pending = tracked.pending;
  if ((status === 'PENDING_CANCEL' || status === 'PENDING_REPLACE') && before !== status) {
    const execType = status === 'PENDING_CANCEL' ? 'PENDING_CANCEL' : 'PENDING_REPLACE';
    const ours = pending && (pending.kind === 'CANCEL') === (status === 'PENDING_CANCEL') ? pending : undefined;
    if (ours) ours.acknowledged = true;
    report({
      ...base(next, ours?.clOrdId ?? tracked.clOrdId, id(), execType, status, next.filledQuantity, next.avgPrice, at),
      ...(ours ? { origClOrdId: ours.origClOrdId } : {}),
    });
  } else if (pending && (pending.acknowledged || DONE.has(status))) {
    out.push(...resolve(tracked, pending, next, id, at));
  } else if (!pending && before === 'PENDING_REPLACE' && WORKING.has(status)) {
    // Replaced through another door (the API): new terms, the same ClOrdID.
    report(base(next, tracked.clOrdId, id(), 'REPLACED', fixOrdStatus(status), next.filledQuantity, next.avgPrice, at));
  }
  if (DONE.has(status) && before !== status && status !== 'FILLED') {
    const cancel = tracked.pending?.kind === 'CANCEL' && status === 'CANCELED' ? tracked.pending : undefined;
    const execType = status === 'REJECTED' ? 'REJECTED' : status === 'EXPIRED' ? 'EXPIRED' : status === 'DONE_FOR_DAY' ? 'RESTATED' : 'CANCELED';
    const end = base(next, cancel?.clOrdId ?? tracked.clOrdId, id(), execType, fixOrdStatus(status), next.filledQuantity, next.avgPrice, at);
    report({
      ...end,
      ...(cancel ? { origClOrdId: cancel.origClOrdId } : {}),
      ...(status === 'REJECTED' ? { ordRejReason: ordRejReasonFor(next.rejectReason), text: next.rejectReason ?? 'rejected' } : {}),
    });
    if (cancel) tracked.pending = undefined;
  }
  tracked.reportedStatus = status;
  tracked.reportedFilled = next.filledQuantity;
  tracked.reportedAvgPrice = next.avgPrice;
  return out;
}

/** A pending cancel or replace once the order left the pending state: done, or refused. */
function resolve(tracked: TrackedOrder, pending: PendingRequest, next: OrderSnapshot, id: () => string, at: Date): GatewayMessage[] {
  const status = next.status;
  if (pending.kind === 'CANCEL' && status === 'CANCELED') return []; // the end report carries it
  const replacedTo =
    pending.kind === 'REPLACE' &&
    WORKING.has(status) &&
    (pending.quantity === undefined || pending.quantity === next.quantity) &&
    (pending.limitPrice === undefined || samePrice(pending.limitPrice, next.limitPrice));
  tracked.pending = undefined;
  if (replacedTo) {
    tracked.clOrdId = pending.clOrdId;
    return [
      {
        kind: 'report',
        report: {
          ...base(next, pending.clOrdId, id(), 'REPLACED', fixOrdStatus(status), next.filledQuantity, next.avgPrice, at),
          origClOrdId: pending.origClOrdId,
        },
      },
    ];
  }
  const tooLate = DONE.has(status);
  return [
    {
      kind: 'cancel-reject',
      reject: {
        orderId: next.orderId,
        clOrdId: pending.clOrdId,
        origClOrdId: pending.origClOrdId,
        ordStatus: fixOrdStatus(status),
        responseTo: pending.kind,
        reason: tooLate ? fix44.CxlRejReason.TooLateToCancel : fix44.CxlRejReason.Other,
        text: tooLate ? `the order is ${status}` : `the ${pending.kind === 'CANCEL' ? 'cancel' : 'replace'} was refused; the order is ${status}`,
      },
    },
  ];
}

function samePrice(a: string | null, b: string | null): boolean {
  return a === null || b === null ? a === b : parseDecimal(a) === parseDecimal(b);
}

/** LastPx: the fills' own prices (their average when several came in one update), else from the average prices. */
function lastPrice(fills: readonly CommittedFill[], lastQty: number, tracked: TrackedOrder, next: OrderSnapshot): string {
  const quantity = fills.reduce((sum, f) => sum + f.quantity, 0);
  if (quantity === lastQty && quantity > 0)
    return formatDecimal(averagePrice(fills.reduce((sum, f) => sum + BigInt(f.quantity) * f.price, 0n) as Money, quantity));
  const now = BigInt(next.filledQuantity) * (parseDecimal(next.avgPrice ?? '0') ?? 0n);
  const then = BigInt(tracked.reportedFilled) * (parseDecimal(tracked.reportedAvgPrice ?? '0') ?? 0n);
  return formatDecimal(averagePrice((now - then) as Money, lastQty));
}

function base(
  order: OrderSnapshot,
  clOrdId: string,
  execId: string,
  execType: fix44.FixExecType,
  ordStatus: fix44.FixOrdStatus,
  cumQty: number,
  avgPrice: string | null,
  at: Date,
  leaves?: number,
): fix44.ExecutionReport {
  const leavesQty = leaves ?? (DONE.has(order.status) ? 0 : Math.max(0, order.quantity - cumQty));
  const report: fix44.Mutable<fix44.ExecutionReport> = {
    orderId: order.orderId,
    clOrdId,
    execId,
    execType,
    ordStatus,
    account: order.accountId,
    symbol: order.symbol,
    side: order.side,
    orderQty: String(order.quantity),
    leavesQty: String(leavesQty),
    cumQty: String(cumQty),
    avgPx: avgPrice ?? '0',
    transactTime: at,
  };
  if (order.limitPrice !== null) report.price = order.limitPrice;
  return report;
}
