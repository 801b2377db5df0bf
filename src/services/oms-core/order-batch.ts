import { isTerminal } from '../../domain/order/enums.js';
import { applyOrderEvent, type OrderEvent } from '../../domain/order/lifecycle.js';
import type { Order } from '../../domain/order/order.js';
import type { Logger } from '../../ports/logger.js';
import type { IdGenerator } from '../../ports/clock.js';
import type { OutgoingMessage } from '../../ports/event-bus.js';
import type { OrderBatchSession, OrderHistoryEntry, TrackedOrder } from '../../ports/order-store.js';
import { childCancelRequested, childOrderRouted, orderStatusChanged, routeRequested } from '../outgoing-order-messages.js';
import type { ChildOrder } from '../../domain/order/child-order.js';

export interface OrderBatchContext {
  readonly source: string;
  readonly at: Date;
  readonly newId: IdGenerator;
  readonly logger: Logger;
  /** Called once for each order that reaches a final status in this batch. */
  readonly onFinal?: (order: Order) => void;
}

/**
 * The changes one consumer batch makes to parent orders: domain events applied in memory, with
 * the history lines and outbox messages they produce, then saved in one go in the batch's
 * transaction. An event the state machine refuses is logged and skipped, never forced.
 */
export class OrderBatch {
  private readonly changed = new Map<string, TrackedOrder>();
  private readonly history: OrderHistoryEntry[] = [];
  private readonly messages: OutgoingMessage[] = [];

  constructor(
    private readonly tracked: Map<string, TrackedOrder>,
    private readonly context: OrderBatchContext,
  ) {}

  get(orderId: string): TrackedOrder | undefined {
    return this.tracked.get(orderId);
  }

  /** Applies a domain event; returns false (and logs) when the order refuses it. */
  apply(orderId: string, event: OrderEvent, detail: Readonly<Record<string, unknown>> = {}): boolean {
    const current = this.tracked.get(orderId);
    if (!current) return false;
    const result = applyOrderEvent(current.order, event, this.context.at);
    if (!result.ok) {
      this.context.logger.warn({ orderId, event: event.type, status: current.order.status, error: result.error }, 'order event refused');
      return false;
    }
    const order = result.order;
    this.put({ ...current, order });
    this.history.push({
      orderId,
      seq: order.version,
      eventType: event.type,
      status: order.status,
      detail,
      source: this.context.source,
      occurredAt: this.context.at,
    });
    this.messages.push(orderStatusChanged(order, this.context.newId, event.type === 'Filled' ? event.fill : undefined));
    if (isTerminal(order.status) && !isTerminal(current.order.status)) this.context.onFinal?.(order);
    return true;
  }

  /** Asks the router to place `quantity` shares: the next routing attempt. */
  requestRoute(orderId: string, quantity: number, excludeVenues: readonly string[] = []): void {
    const current = this.tracked.get(orderId);
    if (!current) return;
    const attempt = current.routing.requested + 1;
    this.put({ ...current, routing: { ...current.routing, requested: attempt } });
    this.messages.push(routeRequested(current.order, quantity, attempt, this.context.newId, excludeVenues));
  }

  /** Asks the execution adapter to cancel each child at its venue; returns the children marked as such. */
  requestChildCancels(children: readonly ChildOrder[]): ChildOrder[] {
    return children.map((child) => {
      this.messages.push(childCancelRequested(child, this.context.newId));
      return { ...child, cancelRequested: true, updatedAt: this.context.at };
    });
  }

  /**
   * Sends `replacement` in place of a child its venue lost, and notes it in the parent's history.
   * Not a routing attempt: the router is not asked, and the attempt count stays as it is. False
   * (nothing sent) when the parent refuses the restatement.
   */
  replaceLostChild(lost: ChildOrder, replacement: ChildOrder, reason: string): boolean {
    const current = this.tracked.get(lost.parentOrderId);
    if (!current) return false;
    const detail = { reason, venue: lost.venue, lostChildOrderId: lost.childOrderId, childOrderId: replacement.childOrderId, quantity: replacement.quantity };
    if (!this.apply(lost.parentOrderId, { type: 'Restated', reason }, detail)) return false;
    this.messages.push(childOrderRouted(replacement, current.order.accountId, this.context.newId));
    return true;
  }

  /** True while the router has been asked for a route it has not answered yet. */
  routeInFlight(orderId: string): boolean {
    const current = this.tracked.get(orderId);
    return current !== undefined && current.routing.requested > current.routing.decided;
  }

  markRouteDecided(orderId: string, attempt: number): void {
    const current = this.tracked.get(orderId);
    if (!current || attempt <= current.routing.decided) return;
    this.put({ ...current, routing: { ...current.routing, decided: attempt } });
  }

  /** Hands over the messages produced so far (the in-memory flow dispatches them within its turn). */
  takeMessages(): OutgoingMessage[] {
    return this.messages.splice(0);
  }

  /** The orders changed and the history lines written so far. */
  changes(): { orders: TrackedOrder[]; history: OrderHistoryEntry[] } {
    return { orders: [...this.changed.values()], history: this.history };
  }

  async save(session: OrderBatchSession): Promise<void> {
    if (this.changed.size > 0) await session.saveOrders([...this.changed.values()], this.history);
    if (this.messages.length > 0) await session.publish(this.messages);
  }

  private put(next: TrackedOrder): void {
    this.tracked.set(next.order.orderId, next);
    this.changed.set(next.order.orderId, next);
  }
}
