import { TOPICS } from '../../domain/events/topics.js';
import { createOrder } from '../../domain/order/lifecycle.js';
import type { Order } from '../../domain/order/order.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import { validateNewOrder, type FieldError } from '../../domain/order/validation.js';
import type { OrderIngestStore } from '../../adapters/sql/order-ingest-store.js';
import type { Clock, IdGenerator } from '../../ports/clock.js';
import type { Metrics } from '../../adapters/observability/metrics.js';
import type { OutgoingMessage } from '../../ports/event-bus.js';

export type SubmitResult =
  | { readonly kind: 'invalid'; readonly errors: readonly FieldError[] }
  | { readonly kind: 'accepted'; readonly order: Order; readonly created: boolean };

export interface OrderIngestDeps {
  readonly store: Pick<OrderIngestStore, 'submit'>;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly metrics: Metrics;
}

/**
 * oms-ingest's use case: validate, then durably store the order and its OrderReceived event in one
 * transaction (group-committed with other orders in flight), then acknowledge. A retry with the
 * same (accountId, clientOrderId) returns the stored order instead of creating a second one.
 */
export class OrderIngestService {
  constructor(private readonly deps: OrderIngestDeps) {}

  async submit(body: unknown): Promise<SubmitResult> {
    const { metrics } = this.deps;
    const started = process.hrtime.bigint();
    const validated = validateNewOrder(body);
    if (!validated.ok) {
      metrics.ordersReceived.inc({ outcome: 'invalid' });
      return { kind: 'invalid', errors: validated.errors };
    }
    const order = createOrder(this.deps.newId(), validated.value, this.deps.clock.now());
    const event: OutgoingMessage = {
      topic: TOPICS.ordersInbound,
      key: order.orderId,
      eventId: this.deps.newId(),
      payload: { type: 'OrderReceived', order: toSnapshot(order) },
    };
    try {
      const stored = await this.deps.store.submit(order, event);
      metrics.ordersReceived.inc({ outcome: stored.created ? 'accepted' : 'duplicate' });
      if (stored.created) metrics.ackLatency.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return { kind: 'accepted', order: stored.order, created: stored.created };
    } catch (error) {
      metrics.ordersReceived.inc({ outcome: 'error' });
      throw error;
    }
  }
}
