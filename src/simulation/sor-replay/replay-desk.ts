import type { ChildAllocation } from '../../domain/routing/types.js';
import type { MarketView } from '../../domain/routing/venue-book.js';
import type { SimulatedMarket } from '../market/simulated-market.js';
import { VenueMatchingEngine, type VenueExecution } from '../venue/venue-matching-engine.js';
import type { ParentRun } from './parent-run.js';

/**
 * The venues as a router would reach them, without FIX: one matching engine per venue over one
 * market, and the simulated clock in market steps. Routes every report back to its parent.
 */
export class ReplayDesk {
  private readonly engines = new Map<string, VenueMatchingEngine>();
  private readonly owners = new Map<string, ParentRun>();
  private currentStep = 0;

  constructor(readonly market: SimulatedMarket) {
    // A fixed boot id keeps order and execution ids the same run after run.
    for (const venue of market.venues()) this.engines.set(venue, new VenueMatchingEngine(venue, market, 'R'));
  }

  get step(): number {
    return this.currentStep;
  }

  view(symbol: string): MarketView {
    return this.market.marketView(symbol);
  }

  /** Sends one child for the parent; returns the venue's reports (a venue we do not know rejects). */
  send(parent: ParentRun, child: ChildAllocation): VenueExecution[] {
    const engine = this.engines.get(child.venue);
    const clOrdId = parent.nextChildId();
    if (!engine) return [];
    this.owners.set(clOrdId, parent);
    const { symbol, side } = parent.terms;
    const reports = engine.submit({
      clOrdId,
      symbol,
      side,
      orderType: child.orderType,
      quantity: child.quantity,
      limitPrice: child.limitPrice,
      timeInForce: child.timeInForce,
    });
    for (const report of reports) parent.apply(child.venue, report, this.currentStep);
    return reports;
  }

  /** One market step; resting children that fill report to their parents. */
  advance(): void {
    this.market.step();
    this.currentStep += 1;
    for (const [venue, engine] of this.engines) {
      for (const report of engine.onMarketStep()) this.owners.get(report.clOrdId)?.apply(venue, report, this.currentStep);
    }
  }
}
