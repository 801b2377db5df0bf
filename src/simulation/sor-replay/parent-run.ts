import { ZERO_MONEY } from '../../domain/money/price.js';
import type { OrderTerms } from '../../domain/order/order.js';
import type { ExecutionFill, ArrivalQuote, OrderExecution } from '../../domain/routing/execution-quality.js';
import type { VenueExecution } from '../venue/venue-matching-engine.js';

/** One parent order's progress in a replay: its fills, and what its children still hold at venues. */
export class ParentRun {
  readonly fills: ExecutionFill[] = [];
  readonly venuesUsed = new Set<string>();
  private readonly childLeaves = new Map<string, number>();
  private children = 0;

  constructor(
    readonly id: string,
    readonly terms: OrderTerms,
    readonly arrival: ArrivalQuote,
    readonly arrivalStep: number,
  ) {}

  nextChildId(): string {
    this.children += 1;
    return `${this.id}-C${this.children}`;
  }

  filled(): number {
    return this.fills.reduce((sum, f) => sum + f.quantity, 0);
  }

  /** Shares neither filled nor held by a live child: what a re-route may still place. */
  unplaced(): number {
    const held = [...this.childLeaves.values()].reduce((sum, n) => sum + n, 0);
    return this.terms.quantity - this.filled() - held;
  }

  apply(venue: string, report: VenueExecution, step: number): void {
    this.venuesUsed.add(venue);
    if (report.execType === 'TRADE') {
      this.fills.push({ venue, price: report.lastPx!, quantity: report.lastQty, fee: report.fee ?? ZERO_MONEY, atMs: step });
    }
    const live = report.ordStatus === 'NEW' || report.ordStatus === 'PARTIALLY_FILLED';
    this.childLeaves.set(report.clOrdId, live ? report.leavesQty : 0);
  }

  /** Time is counted in market steps: `atMs` of the fills holds the step number. */
  execution(): OrderExecution {
    return {
      side: this.terms.side,
      orderedQuantity: this.terms.quantity,
      arrival: this.arrival,
      arrivalAtMs: this.arrivalStep,
      childCount: this.children,
      fills: this.fills,
    };
  }
}
