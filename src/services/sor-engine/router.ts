import type { RouteRequested } from '../../domain/events/messages.js';
import { TOPICS } from '../../domain/events/topics.js';
import type { ChildOrder } from '../../domain/order/child-order.js';
import { fromSnapshot } from '../../domain/order/snapshot.js';
import { DEFAULT_MARKET_SLIPPAGE_TICKS } from '../../domain/routing/market-slippage.js';
import { termsForAttempt } from '../../domain/routing/reroute.js';
import { defaultStrategyName, remainderStrategy, routeOrder } from '../../domain/routing/strategy-registry.js';
import type { StrategyName, StrategyPlan } from '../../domain/routing/strategy-types.js';
import type { LiquidityClaims } from '../../domain/routing/claimed-liquidity.js';
import { consolidatedNbbo, type MarketView, type VenueBook } from '../../domain/routing/venue-book.js';
import type { Order } from '../../domain/order/order.js';
import type { OutgoingMessage } from '../../ports/event-bus.js';
import type { MarketDataView } from '../../ports/market-data.js';
import type { IdGenerator } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { childOrderRouted } from '../outgoing-order-messages.js';
import type { ServiceMetrics } from '../../ports/metrics.js';

export interface RouterDeps {
  readonly marketData: MarketDataView;
  /** Venues the execution adapter can reach; the router never picks another. */
  readonly venues: readonly string[];
  readonly newId: IdGenerator;
  readonly logger: Logger;
  readonly metrics: Pick<ServiceMetrics, 'childOrdersRouted' | 'routeDuration'>;
  /**
   * What this router's children claimed of the displayed books, taken off them for the next order:
   * per market step where the market reaches it a step at a time (distributed mode's market feed,
   * ClaimedLiquidity), or until each child's venue answers where it reads the venues' own books,
   * which a child depletes only once its venue has it (embedded mode, InFlightLiquidity).
   */
  readonly claims?: LiquidityClaims;
  /** How many ticks a MARKET order's children may reach past the level planned (withMarketSlippage). */
  readonly marketSlippageTicks?: number;
}

/** A routing decision: the children placed, RouteDecided first, then one ChildOrderRouted per child. */
export interface RouteResult {
  readonly children: ChildOrder[];
  readonly messages: OutgoingMessage[];
}

/**
 * sor-engine's decision for one routing request, against the market as it is now: the strategy's
 * plan turned into child orders per venue, and the messages that announce them. No I/O.
 */
export class Router {
  constructor(private readonly deps: RouterDeps) {}

  route(request: RouteRequested, at: Date): RouteResult {
    const { newId, logger, metrics } = this.deps;
    const started = process.hrtime.bigint();
    const order = fromSnapshot(request.order);
    const market = this.reachableMarket(order.symbol, request.excludeVenues ?? []);
    const nbbo = consolidatedNbbo(market);
    const strategy = strategyFor(order, request.attempt);
    const { claims } = this.deps;
    const unclaimed = claims ? claims.apply(order.symbol, market, at) : market;
    let planned = planRoute(strategy, order, request.quantity, unclaimed);
    // Every share displayed is already on its way from this router: the order goes where the
    // market as displayed sends it, and the venues decide, rather than being left unrouted.
    if (unclaimed !== market && planned.children.length === 0) planned = planRoute(strategy, order, request.quantity, market);
    const plan = termsForAttempt(planned, order, nbbo, request.attempt, this.deps.marketSlippageTicks ?? DEFAULT_MARKET_SLIPPAGE_TICKS);
    const children: ChildOrder[] = plan.children.map((allocation) => ({
      childOrderId: newId(),
      parentOrderId: order.orderId,
      venue: allocation.venue,
      symbol: order.symbol,
      side: order.side,
      orderType: allocation.orderType,
      quantity: allocation.quantity,
      limitPrice: allocation.limitPrice,
      timeInForce: allocation.timeInForce,
      routeAttempt: request.attempt,
      strategy: plan.strategy,
      nbboBid: nbbo.bid,
      nbboAsk: nbbo.ask,
      status: 'ROUTED',
      filledQuantity: 0,
      leavesQuantity: allocation.quantity,
      createdAt: at,
      updatedAt: at,
    }));
    // Checked first: the line's fields would be built for every order even with debug off.
    if (logger.isLevelEnabled('debug')) {
      logger.debug(
        {
          orderId: order.orderId,
          attempt: request.attempt,
          strategy: plan.strategy,
          children: children.map((c) => `${c.venue}:${c.quantity}`),
          unrouted: plan.unroutedQuantity,
        },
        'order routed',
      );
    }
    for (const child of children) metrics.childOrdersRouted.inc({ venue: child.venue });
    claims?.claim(order.symbol, children, at);
    // RouteDecided goes first: oms-core must know the attempt is decided before any child reports.
    const decided: OutgoingMessage = {
      topic: TOPICS.executionsFills,
      key: order.orderId,
      eventId: newId(),
      payload: {
        type: 'RouteDecided',
        parentOrderId: order.orderId,
        attempt: request.attempt,
        childOrderIds: children.map((c) => c.childOrderId),
        unroutedQuantity: plan.unroutedQuantity,
        reason: plan.reason ?? null,
      },
    };
    const routed = children.map((child, i) => childOrderRouted(child, order.accountId, newId, plan.children[i]?.intermarketSweep));
    metrics.routeDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    return { children, messages: [decided, ...routed] };
  }

  /** The child's venue answered it (any report): what the child took shows in the venue's book now. */
  venueAnswered(childOrderId: string): void {
    this.deps.claims?.release(childOrderId);
  }

  /** The venues the execution adapter reaches, less those that rejected this order's children. */
  private reachableMarket(symbol: string, excluded: readonly string[]): MarketView {
    const view = this.deps.marketData.marketView(symbol);
    const reachable = (v: VenueBook) => this.deps.venues.includes(v.profile.name) && !excluded.includes(v.profile.name);
    // The view itself when every venue is reachable: its NBBO is then worked out once per market, not per order.
    return view.venues.every(reachable) ? view : { venues: view.venues.filter(reachable) };
  }
}

/** The client's strategy on the first route; later routes place a remainder. */
function strategyFor(order: Order, attempt: number): StrategyName | undefined {
  return attempt > 1 ? remainderStrategy(order.strategy) : order.strategy;
}

function planRoute(strategy: StrategyName | undefined, order: Order, quantity: number, market: MarketView): StrategyPlan {
  const routable = { side: order.side, orderType: order.orderType, quantity, limitPrice: order.limitPrice, timeInForce: order.timeInForce };
  const outcome = routeOrder(strategy, routable, market);
  if (outcome.ok) return outcome.plan;
  return { strategy: defaultStrategyName(routable), children: [], unroutedQuantity: quantity, reason: outcome.reason };
}
