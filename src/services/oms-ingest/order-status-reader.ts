import type { OrderSnapshot } from '../../domain/events/messages.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import type { OrderStatusCache } from '../../ports/order-status-cache.js';
import type { OrderQueries } from '../../ports/order-queries.js';
import type { OrderStatusLookup } from '../../ports/order-entry.js';

/**
 * Order status for polling clients: from the cache when it has the order, else from the database
 * (and the answer is cached). The cache follows orders.status, so it holds what the lifecycle
 * last published; without a cache (embedded mode) every read goes to the database.
 */
export class OrderStatusReader implements OrderStatusLookup {
  constructor(
    private readonly queries: Pick<OrderQueries, 'orderStatus'>,
    private readonly cache?: OrderStatusCache,
  ) {}

  async status(orderId: string): Promise<OrderSnapshot | null> {
    const cached = await this.cache?.get(orderId);
    if (cached) return cached;
    const stored = await this.queries.orderStatus(orderId);
    if (stored) await this.cache?.put(stored);
    return stored;
  }

  /**
   * orders.status consumer that keeps the cache current. A batch often holds several changes of
   * one order (new, filled, ...): only its latest version is put, one write per order.
   */
  readonly handle = async (batch: readonly DeliveredMessage[]): Promise<void> => {
    const cache = this.cache;
    if (!cache) return;
    const latest = new Map<string, OrderSnapshot>();
    for (const { payload } of batch) {
      if (payload.type !== 'OrderStatusChanged') continue;
      const held = latest.get(payload.order.orderId);
      if (!held || held.version < payload.order.version) latest.set(payload.order.orderId, payload.order);
    }
    await Promise.all([...latest.values()].map((order) => cache.put(order)));
  };
}
