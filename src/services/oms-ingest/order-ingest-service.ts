import { createOrder } from '../../domain/order/lifecycle.js';
import { validateNewOrder } from '../../domain/order/validation.js';
import type { Clock, IdGenerator } from '../../ports/clock.js';
import type { ServiceMetrics } from '../../ports/metrics.js';
import type { OrderIntake } from '../../ports/order-intake.js';
import type { OrderSubmission, SubmitResult } from '../../ports/order-entry.js';

export interface OrderIngestDeps {
  /** Where validated orders go: the embedded order flow (journal), or the database with the outbox. */
  readonly intake: OrderIntake;
  readonly clock: Clock;
  readonly newId: IdGenerator;
  readonly metrics: Pick<ServiceMetrics, 'ordersReceived' | 'ackLatency'>;
}

/**
 * oms-ingest's use case: validate, then hand the order to the intake, which makes it durable
 * (group-committed with other orders in flight), then acknowledge. A retry with the
 * same (accountId, clientOrderId) returns the stored order instead of creating a second one.
 */
export class OrderIngestService implements OrderSubmission {
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
    try {
      const stored = await this.deps.intake.submit(order);
      metrics.ordersReceived.inc({ outcome: stored.created ? 'accepted' : 'duplicate' });
      if (stored.created) metrics.ackLatency.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return { kind: 'accepted', order: stored.order, created: stored.created };
    } catch (error) {
      metrics.ordersReceived.inc({ outcome: 'error' });
      throw error;
    }
  }
}
