import { applyOrderEvent, type OrderEvent } from '../lifecycle.js';
import type { Order } from '../order.js';

/** Applies events in turn at `at`; a refused event fails the test with its name and error code. */
export function applyEvents(order: Order, events: readonly OrderEvent[], at: Date): Order {
  return events.reduce((o, e) => {
    const result = applyOrderEvent(o, e, at);
    if (!result.ok) throw new Error(`${e.type}: ${result.error.code}`);
    return result.order;
  }, order);
}
