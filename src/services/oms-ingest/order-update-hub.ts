import type { OrderSnapshot, OrderStatusChanged } from '../../domain/events/messages.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import type { OrderUpdate, OrderUpdateListener, OrderUpdates, Resumption } from '../../ports/order-updates.js';

/** Updates held for reconnecting streams: at 1,000 orders/s (about three updates each) some 7 s. */
const DEFAULT_RETAINED = 20_000;

/**
 * Fans order status changes (orders.status) out to live API streams, and holds the latest ones
 * so that a stream that dropped can resume where it was (server-sent events' Last-Event-ID).
 * Ids are `<process epoch>-<sequence>`: after a restart, or a gap longer than what is held, a
 * stream is told to read the current state again instead of silently missing updates.
 */
export class OrderUpdateHub implements OrderUpdates {
  private readonly listeners = new Set<{ accountId: string | undefined; listener: OrderUpdateListener }>();
  private readonly epoch: string;
  private readonly retained: (OrderUpdate | undefined)[];
  private sequence = 0;

  constructor(options: { retained?: number; epoch?: string } = {}) {
    this.retained = new Array<OrderUpdate | undefined>(Math.max(1, options.retained ?? DEFAULT_RETAINED));
    this.epoch = options.epoch ?? Date.now().toString(36);
  }

  subscribe(accountId: string | undefined, listener: OrderUpdateListener): () => void {
    const entry = { accountId, listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** The id of the latest update: a stream that starts now resumes after it. */
  get latestId(): string {
    return `${this.epoch}-${this.sequence}`;
  }

  get size(): number {
    return this.listeners.size;
  }

  /**
   * The updates after `lastEventId` for `accountId` (every account when undefined), oldest first.
   * Call it and subscribe in the same synchronous step, so that nothing falls between the two.
   */
  resume(lastEventId: string, accountId: string | undefined): Resumption {
    const [epoch, seqText] = lastEventId.split('-');
    const last = Number(seqText);
    const oldest = Math.max(1, this.sequence - this.retained.length + 1);
    if (epoch !== this.epoch || !Number.isSafeInteger(last) || last > this.sequence || last < oldest - 1) return { kind: 'reset' };
    const missed: OrderUpdate[] = [];
    for (let seq = last + 1; seq <= this.sequence; seq++) {
      const update = this.retained[seq % this.retained.length]!;
      if (accountId === undefined || update.order.accountId === accountId) missed.push(update);
    }
    return { kind: 'resume', missed };
  }

  /** One order's new state to every stream that follows its account. */
  readonly publish = (order: OrderSnapshot): void => {
    const seq = ++this.sequence;
    const update: OrderUpdate = { id: `${this.epoch}-${seq}`, order };
    this.retained[seq % this.retained.length] = update;
    for (const { accountId, listener } of this.listeners) if (accountId === undefined || accountId === order.accountId) listener(update);
  };

  /** orders.status consumer (distributed mode). */
  readonly handle = async (batch: readonly DeliveredMessage[]): Promise<void> => {
    for (const message of batch) if (message.payload.type === 'OrderStatusChanged') this.publish((message.payload as OrderStatusChanged).order);
  };
}
