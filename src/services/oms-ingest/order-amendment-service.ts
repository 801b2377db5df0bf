import type { OrderSnapshot } from '../../domain/events/messages.js';
import { TOPICS } from '../../domain/events/topics.js';
import { formatDecimal } from '../../domain/money/price.js';
import { isTerminal } from '../../domain/order/enums.js';
import { fromSnapshot } from '../../domain/order/snapshot.js';
import { validateReplace } from '../../domain/order/validation.js';
import type { IdGenerator } from '../../ports/clock.js';
import type { OutgoingMessage } from '../../ports/event-bus.js';
import type { OrderQueries } from '../../ports/order-queries.js';
import type { AmendmentResult, OrderAmendments, Requester } from '../../ports/order-entry.js';

export interface OrderAmendmentDeps {
  readonly queries: Pick<OrderQueries, 'orderStatus'>;
  /** Commits one message to the outbox; resolves once durable. */
  readonly append: (message: OutgoingMessage) => Promise<void>;
  readonly newId: IdGenerator;
}

/**
 * oms-ingest's side of cancel and replace: checks the request against the order as stored and
 * hands it to oms-core (orders.inbound, after the order's own events). The answer is 202: the
 * order goes PENDING_CANCEL / PENDING_REPLACE, and its stream and history show how it ends (a
 * fill may win the race). An order already final answers 409.
 */
export class OrderAmendmentService implements OrderAmendments {
  constructor(private readonly deps: OrderAmendmentDeps) {}

  /** `visible` says whether the caller may see the order; one it may not is treated as unknown. */
  async requestCancel(orderId: string, requester: Requester, visible: (order: OrderSnapshot) => boolean): Promise<AmendmentResult> {
    const order = await this.deps.queries.orderStatus(orderId);
    if (!order || !visible(order)) return { kind: 'not-found' };
    if (isTerminal(order.status)) return { kind: 'not-working', order };
    await this.deps.append(this.message(orderId, { type: 'OrderCancelRequested', orderId, ...requester }));
    return { kind: 'accepted', order };
  }

  async requestReplace(orderId: string, body: unknown, requester: Requester, visible: (order: OrderSnapshot) => boolean): Promise<AmendmentResult> {
    const order = await this.deps.queries.orderStatus(orderId);
    if (!order || !visible(order)) return { kind: 'not-found' };
    if (isTerminal(order.status)) return { kind: 'not-working', order };
    const terms = validateReplace(body, fromSnapshot(order));
    if (!terms.ok) return { kind: 'invalid', errors: terms.errors };
    const limitPrice = terms.value.limitPrice === null ? null : formatDecimal(terms.value.limitPrice);
    await this.deps.append(this.message(orderId, { type: 'OrderReplaceRequested', orderId, quantity: terms.value.quantity, limitPrice, ...requester }));
    return { kind: 'accepted', order };
  }

  private message(orderId: string, payload: OutgoingMessage['payload']): OutgoingMessage {
    return { topic: TOPICS.ordersInbound, key: orderId, eventId: this.deps.newId(), payload };
  }
}
