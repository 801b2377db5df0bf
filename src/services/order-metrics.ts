import { notional, PRICE_SCALE, type Price } from '../domain/money/price.js';
import type { Order } from '../domain/order/order.js';
import { RISK_REJECT_CODES, type RiskRejectCode } from '../domain/risk/decision.js';
import type { ServiceMetrics } from '../ports/metrics.js';

/** Raw price units (10^-8) in one cent. */
const RAW_PER_CENT = PRICE_SCALE / 100n;
const RISK_CODES: ReadonlySet<string> = new Set(RISK_REJECT_CODES);

/** Where a REJECTED order's reason did not come from pre-trade risk: every venue refused it, or none could take it. */
export const VENUE_OR_ROUTE = 'VENUE_OR_ROUTE';

/**
 * The order-level series both runtimes record at the same points: a fill applied, an order final.
 * Notional is summed per venue in fixed point; only whole cents reach the counter and the fraction
 * carries to the next fill, so the counter is the exact total floored to the cent (a float sum of
 * decimal prices would drift).
 */
export class OrderMetrics {
  private readonly subCents = new Map<string, bigint>();

  constructor(private readonly metrics: ServiceMetrics) {}

  fill(fill: { readonly venue: string; readonly quantity: number; readonly price: Price }): void {
    const { venue } = fill;
    this.metrics.fillsApplied.inc({ venue });
    this.metrics.filledQuantity.inc({ venue }, fill.quantity);
    const raw = (this.subCents.get(venue) ?? 0n) + notional(fill.quantity, fill.price);
    const cents = raw / RAW_PER_CENT;
    this.subCents.set(venue, raw - cents * RAW_PER_CENT);
    if (cents !== 0n) this.metrics.fillNotionalCents.inc({ venue }, Number(cents));
  }

  /** A venue fill its order refused (see applyChildOutcomes): kept, and counted for the alert. */
  refusedFill(fill: { readonly venue: string }): void {
    this.metrics.fillsRefusedByOrder.inc({ venue: fill.venue });
  }

  final(order: Order, now: Date): void {
    const { status } = order;
    this.metrics.orderLifecycle.observe({ status }, (now.getTime() - order.createdAt.getTime()) / 1000);
    this.metrics.ordersFinal.inc({ status });
    if (status === 'REJECTED') this.metrics.orderRejects.inc({ code: rejectCode(order.rejectReason) });
  }
}

/** A risk reject's reason starts with its code ("MAX_QUANTITY: ..."); anything else came from venues or routing. */
export function rejectCode(reason: string | null): RiskRejectCode | typeof VENUE_OR_ROUTE {
  const colon = reason?.indexOf(':') ?? -1;
  const code = colon > 0 ? reason!.slice(0, colon) : '';
  return RISK_CODES.has(code) ? (code as RiskRejectCode) : VENUE_OR_ROUTE;
}

const perProcess = new WeakMap<ServiceMetrics, OrderMetrics>();

/** The one OrderMetrics of a registry: its notional carry must be shared by every caller in the process. */
export function orderMetrics(metrics: ServiceMetrics): OrderMetrics {
  let recorder = perProcess.get(metrics);
  if (!recorder) perProcess.set(metrics, (recorder = new OrderMetrics(metrics)));
  return recorder;
}
