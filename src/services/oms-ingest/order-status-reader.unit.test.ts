import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../domain/events/topics.js';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import type { OrderStatusCache } from '../../ports/order-status-cache.js';
import { OrderStatusReader } from './order-status-reader.js';

const order = (orderId: string, version: number, status: string): OrderSnapshot =>
  ({ orderId, accountId: 'ACC-1', status, version }) as unknown as OrderSnapshot;

let offset = 0n;
const changed = (snapshot: OrderSnapshot): DeliveredMessage => ({
  topic: TOPICS.ordersStatus,
  key: snapshot.orderId,
  eventId: `event-${++offset}`,
  payload: { type: 'OrderStatusChanged', order: snapshot },
  offset,
  partition: 0,
});

/** Keeps what it was given, as Redis's compare-and-set on version would. */
class MemoryCache implements OrderStatusCache {
  readonly puts: OrderSnapshot[] = [];
  readonly held = new Map<string, OrderSnapshot>();
  async put(snapshot: OrderSnapshot): Promise<void> {
    this.puts.push(snapshot);
    const current = this.held.get(snapshot.orderId);
    if (!current || current.version < snapshot.version) this.held.set(snapshot.orderId, snapshot);
  }
  async get(orderId: string): Promise<OrderSnapshot | undefined> {
    return this.held.get(orderId);
  }
}

describe('OrderStatusReader following orders.status', () => {
  it("puts each order's latest change in a batch once, whatever order its changes came in", async () => {
    const cache = new MemoryCache();
    const reader = new OrderStatusReader({ orderStatus: async () => null }, cache);
    await reader.handle([
      changed(order('A', 1, 'NEW')),
      changed(order('B', 1, 'NEW')),
      changed(order('A', 3, 'FILLED')),
      changed(order('A', 2, 'PARTIALLY_FILLED')),
    ]);
    expect(cache.puts.map((o) => `${o.orderId}:${o.version}`).sort()).toEqual(['A:3', 'B:1']);
    expect((await reader.status('A'))?.status).toBe('FILLED');
    expect((await reader.status('B'))?.status).toBe('NEW');
  });
});
