import type { Order } from './types.js';

export interface OrderStreamHandlers {
  onOrder(order: Order): void;
  /** The stream is (again) connected: after a reconnect, updates sent meanwhile were missed. */
  onOpen(reconnected: boolean): void;
  onDown(): void;
}

/**
 * The API's server-sent events (`event: order`, one per status change) for every account the
 * caller may see. EventSource reconnects by itself; the server keeps no event ids yet, so the
 * caller reloads the lists on a reconnect instead of resuming with Last-Event-ID.
 */
export function followOrders(handlers: OrderStreamHandlers): () => void {
  const source = new EventSource('/api/v1/orders/stream');
  let opened = false;
  source.addEventListener('open', () => {
    handlers.onOpen(opened);
    opened = true;
  });
  source.addEventListener('error', () => handlers.onDown());
  source.addEventListener('order', (event) => handlers.onOrder(JSON.parse((event as MessageEvent<string>).data) as Order));
  return () => source.close();
}
