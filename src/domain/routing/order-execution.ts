import { notional, type Money, type Price } from '../money/price.js';
import type { ChildOrder } from '../order/child-order.js';
import type { Fill, Order } from '../order/order.js';
import type { OrderExecution } from './execution-quality.js';
import type { VenueProfile } from './venue-book.js';

/** Who a fill's fee is charged as: a child that crossed the spread took liquidity, one that rested added it. */
export type Liquidity = 'TAKER' | 'MAKER';

/**
 * Marketable children go out IOC/FOK and dark-pool children take a mid-point: those fills take
 * liquidity. A DAY/GTC child is the router's passive post (it sweeps what is marketable first),
 * so its fills add liquidity. Venues can say this per fill (FIX LastLiquidityInd 851); until the
 * gateway carries it, this is the OMS's own classification.
 */
export function liquidityOf(child: ChildOrder, venue: VenueProfile | undefined): Liquidity {
  if (venue?.kind === 'DARK') return 'TAKER';
  return child.timeInForce === 'DAY' || child.timeInForce === 'GTC' ? 'MAKER' : 'TAKER';
}

/** The fee of one fill: the taker fee per share, or minus the maker rebate; negative is money received. */
export function feeOf(quantity: number, liquidity: Liquidity, venue: VenueProfile | undefined): Money {
  if (!venue) return 0n as Money;
  return notional(quantity, (liquidity === 'TAKER' ? venue.takerFee : -venue.makerRebate) as Price);
}

/**
 * What execution quality needs of a stored parent order: the NBBO its first route saw (its
 * arrival price), every child, and every fill with its fee from the venue's schedule.
 */
export function orderExecution(
  order: Order,
  children: readonly ChildOrder[],
  fills: readonly Fill[],
  profileOf: (venue: string) => VenueProfile | undefined,
): OrderExecution {
  const first = children.reduce<ChildOrder | undefined>(
    (earliest, c) => (earliest === undefined || c.routeAttempt < earliest.routeAttempt ? c : earliest),
    undefined,
  );
  const byId = new Map(children.map((c) => [c.childOrderId, c]));
  return {
    side: order.side,
    orderedQuantity: order.quantity,
    arrival: { bid: first?.nbboBid ?? null, ask: first?.nbboAsk ?? null },
    arrivalAtMs: order.createdAt.getTime(),
    childCount: children.length,
    fills: fills.map((fill) => {
      const child = byId.get(fill.childOrderId);
      const venue = profileOf(fill.venue);
      const liquidity = child ? liquidityOf(child, venue) : 'TAKER';
      return { venue: fill.venue, price: fill.price, quantity: fill.quantity, fee: feeOf(fill.quantity, liquidity, venue), atMs: fill.occurredAt.getTime() };
    }),
  };
}
