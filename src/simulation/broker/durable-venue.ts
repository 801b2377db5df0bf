import type { RestingOrder, VenueExecution, VenueMatchingEngine, VenueOrder } from '../venue/venue-matching-engine.js';
import type { Logger } from '../../ports/logger.js';
import { RestingOrderLog } from './resting-order-log.js';

/** What a venue's FIX application asks of its venue. */
export interface VenueOrders {
  readonly venue: string;
  submit(order: VenueOrder): VenueExecution[];
  cancel(clOrdId: string): VenueExecution[];
  status(clOrdId: string): VenueExecution | undefined;
}

/**
 * A simulated venue whose resting orders outlive the process, as a real venue's book does: each
 * change the matching engine reports is in the venue's log before its executions are handed back
 * to be sent, so a restarted venue holds what it last told the OMS. Without a log (`path`
 * undefined) the book lives in memory only.
 */
export class DurableVenue implements VenueOrders {
  private constructor(
    private readonly engine: VenueMatchingEngine,
    private readonly log: RestingOrderLog | undefined,
  ) {}

  /** Puts the orders the log holds back in the engine's book; DAY orders of an earlier trading day come back EXPIRED. */
  static open(engine: VenueMatchingEngine, path: string | undefined, options: { tradingDayStart: number; logger: Logger }): DurableVenue {
    if (path === undefined) return new DurableVenue(engine, undefined);
    const onError = (error: unknown, what: string) => options.logger.error({ venue: engine.venue, path, err: error }, `resting orders ${what}`);
    const { log, resting, expired } = RestingOrderLog.open(path, { tradingDayStart: options.tradingDayStart, onError });
    for (const order of resting) engine.restore(order);
    for (const order of expired) engine.restore(order, { expired: true });
    if (resting.length + expired.length > 0)
      options.logger.info({ venue: engine.venue, resting: resting.length, expired: expired.length }, 'resting orders restored');
    return new DurableVenue(engine, log);
  }

  get venue(): string {
    return this.engine.venue;
  }

  submit(order: VenueOrder): VenueExecution[] {
    return this.kept(this.engine.submit(order));
  }

  cancel(clOrdId: string): VenueExecution[] {
    return this.kept(this.engine.cancel(clOrdId));
  }

  status(clOrdId: string): VenueExecution | undefined {
    return this.engine.status(clOrdId);
  }

  onMarketStep(): VenueExecution[] {
    return this.kept(this.engine.onMarketStep());
  }

  close(): Promise<void> {
    return this.log?.close() ?? Promise.resolve();
  }

  /** Every order an execution names is written as it rests now (or as gone) before the executions leave. */
  private kept(executions: VenueExecution[]): VenueExecution[] {
    if (!this.log || executions.length === 0) return executions;
    const changes = new Map<string, RestingOrder | undefined>();
    for (const { clOrdId } of executions) changes.set(clOrdId, this.engine.restingOrder(clOrdId));
    this.log.record(changes);
    return executions;
  }
}
