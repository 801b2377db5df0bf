import type { Mutable } from '../../domain/mutable.js';
import { averagePrice, notional, type Money, type Price } from '../../domain/money/price.js';
import { feeOf, type Liquidity } from '../../domain/routing/order-execution.js';
import type { VenueProfile } from '../../domain/routing/venue-book.js';
import { isBuy, type Side } from '../../domain/order/enums.js';
import type { OrderTerms } from '../../domain/order/order.js';
import type { BookSide, OrderBook } from '../market/order-book.js';
import type { SimulatedMarket } from '../market/simulated-market.js';
import { darkMidpoint } from './dark-midpoint.js';

export interface VenueOrder extends OrderTerms {
  readonly clOrdId: string;
}

export type VenueExecType = 'NEW' | 'TRADE' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | 'ORDER_STATUS';
/** Whether a fill took liquidity (on arrival) or was made by a resting order (later). */

export type VenueOrdStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

/** One ExecutionReport's worth of information, as the venue reports it. */
export interface VenueExecution {
  readonly clOrdId: string;
  readonly orderId: string;
  readonly execId: string;
  readonly execType: VenueExecType;
  readonly ordStatus: VenueOrdStatus;
  readonly order: VenueOrder;
  readonly lastQty: number;
  readonly lastPx: Price | null;
  readonly cumQty: number;
  readonly leavesQty: number;
  readonly avgPx: Price | null;
  /** TRADE reports only: who provided the liquidity, and the venue's fee for this fill (negative = rebate). */
  readonly liquidity?: Liquidity;
  readonly fee?: Money;
  readonly text?: string;
}

/** A resting order's state: what a venue keeps to put it back in its book after a restart. */
export interface RestingOrder {
  readonly order: VenueOrder;
  readonly orderId: string;
  readonly cumQty: number;
  readonly leavesQty: number;
  readonly notional: Money;
  readonly queueAhead: number;
}

interface LiveOrder {
  readonly order: VenueOrder;
  readonly orderId: string;
  cumQty: number;
  leavesQty: number;
  notional: Money;
  status: VenueOrdStatus;
  /** Displayed size ahead of a resting order at its price; it fills once trading has eaten through. */
  queueAhead: number;
}

/**
 * How many done orders (filled, canceled, expired) a venue still knows, for status requests and
 * duplicate ClOrdIDs: the most recent ones. A real venue keeps the day's; a simulator that shares
 * the OMS's process (embedded mode) grew by every order of the day, about half a kilobyte each
 * with the FIX message its ClOrdID was sliced from, and its heap is the OMS's. Ten seconds at
 * 1,000 orders/s, more than an OMS restart takes, during which no new order arrives to push a
 * child the OMS may ask about out (and a restarted venue knows only its resting orders anyway).
 */
export const DONE_ORDERS_KEPT = 10_000;

/**
 * One venue's matching engine over the simulated market. A lit venue: price-time priority against
 * the venue's book (best level first, then down the levels), partial fills, IOC/FOK/MARKET that
 * never rest, and DAY/GTC limit remainders that rest with a queue position and fill as the market
 * moves. A dark pool: the order trades only at the lit NBBO midpoint, against the pool's hidden
 * interest, and never rests: whatever does not fill on arrival is canceled, whatever its TIF
 * (simpler than hidden resting orders, and what a router's midpoint IOC expects anyway).
 * Each fill carries its liquidity flag and the venue's fee.
 */
export class VenueMatchingEngine {
  private readonly orders = new Map<string, LiveOrder>();
  private readonly resting = new Set<LiveOrder>();
  /** ClOrdIDs of done orders, oldest first (a Set keeps insertion order): beyond doneOrdersKept the oldest is forgotten. */
  private readonly done = new Set<string>();
  private readonly profile: VenueProfile | undefined;
  private sequence = 0;

  /** `bootId` keeps ids unique across restarts of the simulator (a venue never reuses an ExecID). */
  constructor(
    readonly venue: string,
    private readonly market: SimulatedMarket,
    private readonly bootId: string = Date.now().toString(36),
    private readonly tradedPerStep: () => number = () => 300,
    private readonly doneOrdersKept: number = DONE_ORDERS_KEPT,
  ) {
    this.profile = market.venueProfile(venue);
  }

  submit(order: VenueOrder): VenueExecution[] {
    const problem = this.validate(order);
    const live: LiveOrder = { order, orderId: this.nextId('O'), cumQty: 0, leavesQty: order.quantity, notional: 0n as Money, status: 'NEW', queueAhead: 0 };
    if (problem) {
      live.status = 'REJECTED';
      live.leavesQty = 0;
      return [this.report(live, 'REJECTED', 0, null, problem)];
    }
    this.orders.set(order.clOrdId, live);
    if (this.profile?.kind === 'DARK') return [this.report(live, 'NEW', 0, null), ...this.matchAtMidpoint(live)];
    const book = this.market.book(this.venue, order.symbol)!;
    const reports = [this.report(live, 'NEW', 0, null)];
    if (order.timeInForce === 'FOK' && this.available(book, order) < order.quantity) {
      return [...reports, this.finish(live, 'CANCELED', 'FOK: not enough liquidity to fill the whole order')];
    }
    reports.push(...this.match(live, book, 'TAKER'));
    if (live.leavesQty === 0) return reports;
    const rests = order.orderType === 'LIMIT' && (order.timeInForce === 'DAY' || order.timeInForce === 'GTC');
    if (!rests)
      return [
        ...reports,
        this.finish(live, 'CANCELED', `${order.orderType === 'MARKET' ? 'MARKET' : order.timeInForce} remainder canceled: no more liquidity`),
      ];
    live.queueAhead = book.sizeAt(ownSide(order.side), order.limitPrice!);
    this.resting.add(live);
    return reports;
  }

  cancel(clOrdId: string): VenueExecution[] {
    const live = this.orders.get(clOrdId);
    if (!live || !this.resting.has(live)) return [];
    return [this.finish(live, 'CANCELED', 'canceled on request')];
  }

  /** The order's current state, or undefined when the venue does not know it. */
  status(clOrdId: string): VenueExecution | undefined {
    const live = this.orders.get(clOrdId);
    return live ? this.report(live, 'ORDER_STATUS', 0, null) : undefined;
  }

  /** The order's state while it rests in the book; undefined once it is final (or never rested). */
  restingOrder(clOrdId: string): RestingOrder | undefined {
    const live = this.orders.get(clOrdId);
    if (!live || !this.resting.has(live)) return undefined;
    const { order, orderId, cumQty, leavesQty, notional, queueAhead } = live;
    return { order, orderId, cumQty, leavesQty, notional, queueAhead };
  }

  /**
   * Puts back an order that rested before a restart, with its ids, fills and queue position. An
   * `expired` one (a DAY order of an earlier trading day) is known but final: a status request
   * finds it EXPIRED.
   */
  restore(saved: RestingOrder, options: { expired?: boolean } = {}): void {
    const { order, orderId, cumQty, notional, queueAhead } = saved;
    const status: VenueOrdStatus = options.expired ? 'EXPIRED' : cumQty > 0 ? 'PARTIALLY_FILLED' : 'NEW';
    const live: LiveOrder = { order, orderId, cumQty, leavesQty: options.expired ? 0 : saved.leavesQty, notional, status, queueAhead };
    this.orders.set(order.clOrdId, live);
    if (options.expired) this.retire(live);
    else this.resting.add(live);
  }

  /** After a market step: resting orders fill when the market reaches them or trades through their queue. */
  onMarketStep(): VenueExecution[] {
    const reports: VenueExecution[] = [];
    for (const live of [...this.resting]) {
      const book = this.market.book(this.venue, live.order.symbol)!;
      reports.push(...this.match(live, book, 'MAKER'));
      if (live.leavesQty > 0) reports.push(...this.tradeThroughQueue(live, book));
      if (live.leavesQty === 0) this.resting.delete(live);
    }
    return reports;
  }

  private validate(order: VenueOrder): string | undefined {
    if (this.market.tick(order.symbol) === undefined) return `unknown symbol ${order.symbol}`;
    if (!Number.isInteger(order.quantity) || order.quantity <= 0) return 'quantity must be a positive integer';
    if (order.orderType === 'LIMIT' && (order.limitPrice === null || order.limitPrice <= 0n)) return 'LIMIT order needs a positive price';
    if (this.orders.has(order.clOrdId)) return `duplicate ClOrdID ${order.clOrdId}`;
    return undefined;
  }

  /** Takes liquidity from the opposite side at prices the order accepts, best level first. */
  private match(live: LiveOrder, book: OrderBook, liquidity: Liquidity): VenueExecution[] {
    const reports: VenueExecution[] = [];
    const side = oppositeSide(live.order.side);
    for (const level of book.levels(side)) {
      if (live.leavesQty === 0 || !acceptable(live.order, level.price)) break;
      const quantity = book.take(side, level.price, live.leavesQty);
      if (quantity > 0) reports.push(this.fill(live, quantity, level.price, liquidity));
    }
    return reports;
  }

  /** Dark pool: one fill at the NBBO mid against hidden contra interest, if the mid is within the limit. */
  private matchAtMidpoint(live: LiveOrder): VenueExecution[] {
    const { order } = live;
    const mid = darkMidpoint(this.market, order.symbol);
    const hidden = this.market.hiddenLiquidity(this.venue)!;
    const contra = oppositeSide(order.side);
    const usable = mid !== null && acceptable(order, mid);
    const available = usable ? hidden.available(order.symbol, contra) : 0;
    if (order.timeInForce === 'FOK' && available < order.quantity) return [this.finish(live, 'CANCELED', 'FOK: not enough dark liquidity at the midpoint')];
    const quantity = hidden.take(order.symbol, contra, Math.min(available, live.leavesQty));
    const reports = quantity > 0 ? [this.fill(live, quantity, mid!, 'TAKER')] : [];
    if (live.leavesQty === 0) return reports;
    const why = mid === null ? 'no NBBO midpoint' : usable ? 'no more hidden liquidity at the midpoint' : 'the midpoint is beyond the limit';
    return [...reports, this.finish(live, 'CANCELED', `dark pool: remainder canceled (${why}); dark orders never rest`)];
  }

  /** Simulated other traders consume the queue at the order's price level; what gets past it fills us. */
  private tradeThroughQueue(live: LiveOrder, book: OrderBook): VenueExecution[] {
    // Only an order at the venue's best same-side price (or better: posted inside the spread) is reached.
    const best = book.best(ownSide(live.order.side));
    const limit = live.order.limitPrice!;
    if (best && (isBuy(live.order.side) ? limit < best.price : limit > best.price)) return [];
    live.queueAhead -= this.tradedPerStep();
    if (live.queueAhead >= 0) return [];
    const quantity = Math.min(live.leavesQty, -live.queueAhead);
    live.queueAhead = 0;
    return [this.fill(live, quantity, limit, 'MAKER')];
  }

  private available(book: OrderBook, order: VenueOrder): number {
    return book
      .levels(oppositeSide(order.side))
      .filter((l) => acceptable(order, l.price))
      .reduce((sum, l) => sum + l.size, 0);
  }

  private fill(live: LiveOrder, quantity: number, price: Price, liquidity: Liquidity): VenueExecution {
    live.cumQty += quantity;
    live.leavesQty -= quantity;
    live.notional = (live.notional + notional(quantity, price)) as Money;
    live.status = live.leavesQty === 0 ? 'FILLED' : 'PARTIALLY_FILLED';
    if (live.leavesQty === 0) this.retire(live);
    const execution: Mutable<VenueExecution> = this.report(live, 'TRADE', quantity, price);
    // Assigned, not spread in: V8 builds a literal that spreads an object and adds properties slowly.
    execution.liquidity = liquidity;
    execution.fee = feeOf(quantity, liquidity, this.profile);
    return execution;
  }

  private finish(live: LiveOrder, status: 'CANCELED' | 'EXPIRED', text: string): VenueExecution {
    live.leavesQty = 0;
    live.status = status;
    this.resting.delete(live);
    this.retire(live);
    return this.report(live, status, 0, null, text);
  }

  /** A done order stays known among the most recent doneOrdersKept; the oldest beyond them is forgotten. */
  private retire(live: LiveOrder): void {
    this.done.add(live.order.clOrdId);
    if (this.done.size <= this.doneOrdersKept) return;
    const oldest = this.done.values().next().value!;
    this.done.delete(oldest);
    this.orders.delete(oldest);
  }

  private report(live: LiveOrder, execType: VenueExecType, lastQty: number, lastPx: Price | null, text?: string): Mutable<VenueExecution> {
    const execution: Mutable<VenueExecution> = {
      clOrdId: live.order.clOrdId,
      orderId: live.orderId,
      execId: this.nextId('E'),
      execType,
      ordStatus: live.status,
      order: live.order,
      lastQty,
      lastPx,
      cumQty: live.cumQty,
      leavesQty: live.leavesQty,
      avgPx: live.cumQty > 0 ? averagePrice(live.notional, live.cumQty) : null,
    };
    if (text) execution.text = text;
    return execution;
  }

  private nextId(prefix: string): string {
    return `${this.venue}-${prefix}${this.bootId}-${++this.sequence}`;
  }
}

const ownSide = (side: Side): BookSide => (isBuy(side) ? 'bid' : 'ask');
const oppositeSide = (side: Side): BookSide => (isBuy(side) ? 'ask' : 'bid');

function acceptable(order: VenueOrder, price: Price): boolean {
  if (order.orderType === 'MARKET' || order.limitPrice === null) return true;
  return isBuy(order.side) ? price <= order.limitPrice : price >= order.limitPrice;
}
