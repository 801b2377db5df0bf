import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, listOrders } from '../api/client.js';
import { followOrders } from '../api/order-stream.js';
import type { Order } from '../api/types.js';

export type Connection = 'connecting' | 'live' | 'down' | 'login-required';

/** The newer of two states of one order: the stream and a list read can arrive in either order. */
const newer = (current: Order | undefined, next: Order): boolean =>
  !current || (next.version ?? 0) > (current.version ?? 0) || ((next.version ?? 0) === (current.version ?? 0) && next.updatedAt >= current.updatedAt);

/**
 * Every order of the blotter by id: the accounts' lists read once, then kept current by the order
 * stream. Updates are applied in batches per animation frame, so a burst of thousands of status
 * changes re-renders the grid once per frame, not once per event.
 */
export function useOrders(accounts: readonly string[]): { orders: Order[]; connection: Connection; upsert(order: Order): void } {
  const byId = useRef(new Map<string, Order>());
  const pending = useRef<Order[]>([]);
  const frame = useRef<number | undefined>(undefined);
  const [orders, setOrders] = useState<Order[]>([]);
  const [connection, setConnection] = useState<Connection>('connecting');

  const flush = useCallback(() => {
    frame.current = undefined;
    let changed = false;
    for (const order of pending.current.splice(0)) {
      if (newer(byId.current.get(order.orderId), order)) {
        byId.current.set(order.orderId, order);
        changed = true;
      }
    }
    if (changed) setOrders([...byId.current.values()]);
  }, []);

  const upsert = useCallback(
    (order: Order) => {
      pending.current.push(order);
      frame.current ??= requestAnimationFrame(flush);
    },
    [flush],
  );

  const accountsKey = accounts.join(',');
  useEffect(() => {
    let stopped = false;
    const load = async (): Promise<void> => {
      try {
        for (const account of accountsKey.split(',').filter(Boolean)) (await listOrders(account)).forEach(upsert);
      } catch (error) {
        if (!stopped) setConnection(error instanceof ApiError && error.loginRequired ? 'login-required' : 'down');
      }
    };
    // Stream first, then the lists: an update between the two is not lost, and `newer` keeps the latest.
    const stop = followOrders({
      onOrder: upsert,
      onOpen: () => setConnection('live'),
      onReset: () => void load(),
      onDown: (status) => setConnection((now) => (status === 401 || now === 'login-required' ? 'login-required' : 'down')),
    });
    void load();
    return () => {
      stopped = true;
      stop();
    };
  }, [accountsKey, upsert]);

  return { orders, connection, upsert };
}
