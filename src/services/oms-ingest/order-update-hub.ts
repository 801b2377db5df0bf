import type { OrderSnapshot, OrderStatusChanged } from '../../domain/events/messages.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';

export type OrderUpdateListener = (order: OrderSnapshot) => void;

/**
 * Fans order status changes (orders.status) out to live API streams. Streams are best effort:
 * a client that reconnects reads the current state with GET, then follows the stream.
 */
export class OrderUpdateHub {
  private readonly listeners = new Set<{ accountId: string | undefined; listener: OrderUpdateListener }>();

  subscribe(accountId: string | undefined, listener: OrderUpdateListener): () => void {
    const entry = { accountId, listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  get size(): number {
    return this.listeners.size;
  }

  /** One order's new state to every stream that follows its account. */
  readonly publish = (order: OrderSnapshot): void => {
    for (const { accountId, listener } of this.listeners) if (accountId === undefined || accountId === order.accountId) listener(order);
  };

  /** orders.status consumer (distributed mode). */
  readonly handle = async (batch: readonly DeliveredMessage[]): Promise<void> => {
    if (this.listeners.size === 0) return;
    for (const message of batch) if (message.payload.type === 'OrderStatusChanged') this.publish((message.payload as OrderStatusChanged).order);
  };
}
