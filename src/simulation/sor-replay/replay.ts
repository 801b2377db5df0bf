import { aggregateExecutionQuality, type AggregateExecutionQuality } from '../../domain/routing/execution-quality-aggregate.js';
import { executionQuality, type ExecutionQuality } from '../../domain/routing/execution-quality.js';
import { consolidatedNbbo } from '../../domain/routing/venue-book.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../market/market-config.js';
import { SimulatedMarket } from '../market/simulated-market.js';
import { generateParentFlow, parentTerms, type ParentIntent } from './parent-flow.js';
import { ParentRun } from './parent-run.js';
import { placeParent, type ReplayStrategy } from './route-parent.js';
import { ReplayDesk } from './replay-desk.js';

/** Four lit venues with different fees and books, one inverted, and a dark pool. */
export const REPLAY_VENUES: readonly string[] = ['XNYS', 'XNAS', 'BATS', 'EDGX', 'IEXG', 'XDRK'];

export interface ReplayOptions {
  readonly seed: number;
  readonly orders: number;
  /** Market steps between two parent arrivals; the same for every strategy. */
  readonly stepsBetweenOrders?: number;
  /** Steps after the last parent, for resting DAY children; whatever is left then is unfilled. */
  readonly closingSteps?: number;
}

export interface ReplayResult {
  readonly strategy: ReplayStrategy;
  readonly aggregate: AggregateExecutionQuality;
  readonly orders: readonly ExecutionQuality[];
  readonly venuesUsed: ReadonlySet<string>;
}

/** The flow every strategy replays: a function of the seed alone. */
export const replayFlow = (options: ReplayOptions): ParentIntent[] =>
  generateParentFlow(
    options.seed,
    options.orders,
    DEFAULT_SYMBOLS.map((s) => s.symbol),
  );

/**
 * Replays the seeded parent flow through one strategy on a fresh market with the same seed, so
 * strategies differ only in how they route. Arrival is the lit NBBO when the parent arrives.
 */
export function runReplay(strategy: ReplayStrategy, options: ReplayOptions, flow: readonly ParentIntent[] = replayFlow(options)): ReplayResult {
  const market = new SimulatedMarket({ seed: options.seed, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(REPLAY_VENUES) });
  const desk = new ReplayDesk(market);
  const parents: ParentRun[] = [];
  for (const intent of flow) {
    const nbbo = consolidatedNbbo(market.marketView(intent.symbol));
    const parent = new ParentRun(intent.id, parentTerms(intent, market), { bid: nbbo.bid, ask: nbbo.ask }, desk.step);
    parents.push(parent);
    placeParent(desk, strategy, parent);
    for (let i = 0; i < (options.stepsBetweenOrders ?? 1); i++) desk.advance();
  }
  for (let i = 0; i < (options.closingSteps ?? 30); i++) desk.advance();
  const orders = parents.map((p) => executionQuality(p.execution()));
  const venuesUsed = new Set(parents.flatMap((p) => [...p.venuesUsed]));
  return { strategy, aggregate: aggregateExecutionQuality(orders), orders, venuesUsed };
}
