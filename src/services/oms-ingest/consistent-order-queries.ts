import type { OrderSnapshot } from '../../domain/events/messages.js';
import type { ExecutionQualityReport, OrderDetails, OrderQueries, PositionView } from '../../ports/order-queries.js';

/**
 * Reads that see every change acknowledged before they were asked, over a query model written
 * behind the journal: a status comes from the working state in memory when the order is there;
 * anything read from the tables first waits for the write-behind to reach what is durable now.
 */
export class ConsistentOrderQueries implements OrderQueries {
  constructor(
    private readonly deps: {
      tables: OrderQueries;
      /** The order as the flow holds it in memory, if it does. */
      inMemory: (orderId: string) => OrderSnapshot | undefined;
      /** Resolves once the tables hold every change durable at the time of the call. */
      caughtUp: () => Promise<void>;
    },
  ) {}

  async orderStatus(orderId: string): Promise<OrderSnapshot | null> {
    const live = this.deps.inMemory(orderId);
    if (live) return live;
    // Not in memory: never there, or final and held by the tables before it left.
    await this.deps.caughtUp();
    return this.deps.tables.orderStatus(orderId);
  }

  async orderDetails(orderId: string): Promise<OrderDetails | null> {
    await this.deps.caughtUp();
    return this.deps.tables.orderDetails(orderId);
  }

  async listOrders(accountId: string, limit: number): Promise<OrderSnapshot[]> {
    await this.deps.caughtUp();
    return this.deps.tables.listOrders(accountId, limit);
  }

  async positions(accountId: string): Promise<PositionView[]> {
    await this.deps.caughtUp();
    return this.deps.tables.positions(accountId);
  }

  async executionQuality(accountId: string, limit: number): Promise<ExecutionQualityReport> {
    await this.deps.caughtUp();
    return this.deps.tables.executionQuality(accountId, limit);
  }
}
