import { authorization } from './access-token.js';
import { readEventStream } from './event-stream.js';
import type { Order } from './types.js';

export interface OrderStreamHandlers {
  onOrder(order: Order): void;
  /** The stream is (again) connected. */
  onOpen(): void;
  /**
   * The server could not replay what was missed while the stream was down (it restarted, or the
   * gap was too long): the orders must be read again.
   */
  onReset(): void;
  /** `status`: the server refused the stream (401: the token is missing or expired). */
  onDown(status?: number): void;
}

/**
 * The API's server-sent events (`event: order`, one per status change) for every account the
 * caller may see, as the page's user. It reconnects by itself with the last event id it had: the
 * server replays the updates missed meanwhile, or sends `event: reset` when it cannot.
 */
export function followOrders(handlers: OrderStreamHandlers): () => void {
  return readEventStream({
    url: '/api/v1/orders/stream',
    headers: authorization,
    onOpen: handlers.onOpen,
    onDown: handlers.onDown,
    onEvent: (event) => {
      if (event.type === 'order') handlers.onOrder(JSON.parse(event.data) as Order);
      else if (event.type === 'reset') handlers.onReset();
    },
  });
}
