import type { ChildExecutionType } from '../events/messages.js';
import type { Price } from '../money/price.js';
import type { StrategyName } from '../routing/strategy-types.js';
import type { OrderTerms } from './order.js';

/** ROUTED: decided by the router, not yet on the wire; SENT: NewOrderSingle sent, no venue answer yet. */
export type ChildOrderStatus = 'ROUTED' | 'SENT' | 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

/** A slice of a parent order placed at one venue. */
export interface ChildOrder extends OrderTerms {
  readonly childOrderId: string;
  readonly parentOrderId: string;
  readonly venue: string;
  readonly routeAttempt: number;
  /** The strategy that placed it, and the consolidated best bid and offer it was routed against. */
  readonly strategy?: StrategyName;
  readonly nbboBid?: Price | null;
  readonly nbboAsk?: Price | null;
  readonly status: ChildOrderStatus;
  /** oms-core has asked the venue to cancel it (sent once; cleared if the venue refuses). */
  readonly cancelRequested?: boolean;
  readonly filledQuantity: number;
  readonly leavesQuantity: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const FINAL: ReadonlySet<ChildOrderStatus> = new Set(['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED']);

/** A live child may still fill; the parent waits for it before deciding about its remainder. */
export const isChildLive = (child: ChildOrder): boolean => !FINAL.has(child.status);

/** A venue report that moved shares: a TRADE with a positive LastQty (the only kind that fills an order or moves a position). */
export const reportsShares = (report: { readonly execType: string; readonly lastQty: number }): boolean => report.execType === 'TRADE' && report.lastQty > 0;

/**
 * The child after a venue report. Reports for a child already final change nothing except a
 * late TRADE, which venues can send after a cancel raced a fill: its quantities are taken as reported.
 */
export function applyExecutionToChild(
  child: ChildOrder,
  report: { execType: ChildExecutionType; childCumQty: number; childLeavesQty: number },
  at: Date,
): ChildOrder {
  const filledQuantity = Math.max(child.filledQuantity, report.childCumQty);
  switch (report.execType) {
    case 'PENDING_NEW':
      return child;
    case 'CANCEL_REJECTED':
      return isChildLive(child) ? { ...child, cancelRequested: false, updatedAt: at } : child;
    case 'NEW':
      return isChildLive(child) ? { ...child, status: filledQuantity > 0 ? 'PARTIALLY_FILLED' : 'NEW', updatedAt: at } : child;
    case 'TRADE': {
      const leavesQuantity = isChildLive(child) ? report.childLeavesQty : 0;
      const status = leavesQuantity === 0 ? (isChildLive(child) ? 'FILLED' : child.status) : 'PARTIALLY_FILLED';
      return { ...child, filledQuantity, leavesQuantity, status, updatedAt: at };
    }
    case 'CANCELED':
    case 'REJECTED':
    case 'EXPIRED':
      return isChildLive(child) ? { ...child, filledQuantity, leavesQuantity: 0, status: report.execType, updatedAt: at } : child;
    case 'UNKNOWN_ORDER':
      // Out of the market, not refused: CANCELED keeps the venue eligible; the fills reported stay.
      return isChildLive(child) ? { ...child, leavesQuantity: 0, status: 'CANCELED', updatedAt: at } : child;
    default: {
      const unreachable: never = report.execType;
      return unreachable;
    }
  }
}
