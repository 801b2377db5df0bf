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
  onDown(): void;
}

/**
 * The API's server-sent events (`event: order`, one per status change) for every account the
 * caller may see. EventSource reconnects by itself and sends the last event id it had: the
 * server replays the updates missed meanwhile, or sends `event: reset` when it cannot.
 */
export function followOrders(handlers: OrderStreamHandlers): () => void {
  const source = new EventSource('/api/v1/orders/stream');
  source.addEventListener('open', () => handlers.onOpen());
  source.addEventListener('error', () => handlers.onDown());
  source.addEventListener('reset', () => handlers.onReset());
  source.addEventListener('order', (event) => handlers.onOrder(JSON.parse((event as MessageEvent<string>).data) as Order));
  return () => source.close();
}
