import type { RouteRequested } from '../../domain/events/messages.js';
import type { ChildOrder } from '../../domain/order/child-order.js';
import type { DeliveredMessage, OutgoingMessage } from '../../ports/event-bus.js';
import type { OrderStore, RoutingSession } from '../../ports/order-store.js';
import type { Clock } from '../../ports/clock.js';
import { ORDER_ATTRIBUTES as A, ORDER_SPANS, type OrderTracing } from '../../ports/order-tracing.js';
import { orderIdAttributes } from '../order-trace-steps.js';
import { Router, type RouteResult, type RouterDeps } from './router.js';

export const ROUTING_CONSUMER = 'sor-engine.routing';

export interface RoutingDeps extends RouterDeps {
  readonly store: OrderStore<RoutingSession>;
  readonly clock: Clock;
  /** Each routing decision as a step of its order's trace. */
  readonly tracing?: OrderTracing;
}

/**
 * sor-engine: turns each routing request into child orders per venue. The children and the
 * messages announcing them commit together with the inbox claim, so a redelivered request
 * creates no second set of children.
 */
export class RoutingConsumer {
  private readonly router: Router;

  constructor(private readonly deps: RoutingDeps) {
    this.router = new Router(deps);
  }

  readonly handle = async (batch: readonly DeliveredMessage[]): Promise<void> => {
    const requests = batch.filter((m): m is DeliveredMessage<RouteRequested> => m.payload.type === 'RouteRequested');
    if (requests.length === 0) return;
    const { store, clock } = this.deps;
    await store.transaction(async (session) => {
      const fresh = await session.claimEvents(
        ROUTING_CONSUMER,
        requests.map((m) => m.eventId),
      );
      const at = clock.now();
      const children: ChildOrder[] = [];
      const messages: OutgoingMessage[] = [];
      for (const request of requests) {
        if (!fresh.has(request.eventId)) continue;
        const decided = this.deps.tracing?.enabled ? this.tracedRoute(this.deps.tracing, request.payload, at) : this.router.route(request.payload, at);
        children.push(...decided.children);
        messages.push(...decided.messages);
      }
      if (children.length > 0) await session.saveChildren(children);
      if (messages.length > 0) await session.publish(messages);
    });
  };

  /** sor.route, as embedded mode's turn names it: the quantity asked for, the children placed. */
  private tracedRoute(tracing: OrderTracing, request: RouteRequested, at: Date): RouteResult {
    const span = tracing.start(request.order.orderId, ORDER_SPANS.route, { ...orderIdAttributes(request.order), [A.quantity]: request.quantity });
    const decided = this.router.route(request, at);
    span?.end({ [A.children]: decided.children.length, [A.venue]: decided.children.map((c) => c.venue).join(',') });
    return decided;
  }
}
