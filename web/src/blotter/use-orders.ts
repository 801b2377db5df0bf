import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, listOrders } from '../api/client.js';
import { followOrders } from '../api/order-stream.js';
import type { Order } from '../api/types.js';

export type Connection = 'connecting' | 'live' | 'down' | 'login-required';

/** The newer of two states of one order: the stream and a list read can arrive in either order. */
const newer = (current: Order | undefined, next: Order): boolean =>
  !current || (next.version ?? 0) > (current.version ?? 0) || ((next.version ?? 0) === (current.version ?? 0) && next.updatedAt >= current.updatedAt);

/**
 * Under a stream of updates the grid is redrawn at most this often, each redraw with every update
 * since the last (conflation, as trading screens do). A redraw rebuilds and re-sorts every row, so
 * the interval grows with the orders held: 50 ms up to 1,250 orders, 200 ms at 5,000, at most 250.
 * Redrawing 5,000 orders at each frame kept the page busy all the time
 * (test/browser/blotter-load.browser.test.ts). A lone update still shows at the next frame.
 */
const redrawIntervalMs = (orders: number): number => Math.min(250, Math.max(50, orders / 25));

/**
 * Every order of the blotter by id: the accounts' lists read once, then kept current by the order
 * stream. Updates are applied in batches, in an animation frame, at most once per redraw interval:
 * a burst of thousands of status changes costs a few redraws, not one per event.
 */
export function useOrders(accounts: readonly string[]): { orders: Order[]; connection: Connection; upsert(order: Order): void } {
  const byId = useRef(new Map<string, Order>());
  const pending = useRef<Order[]>([]);
  const scheduled = useRef(false);
  const lastRedraw = useRef(0);
  const [orders, setOrders] = useState<Order[]>([]);
  const [connection, setConnection] = useState<Connection>('connecting');

  const flush = useCallback(() => {
    scheduled.current = false;
    lastRedraw.current = performance.now();
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
      if (scheduled.current) return;
      scheduled.current = true;
      const wait = lastRedraw.current + redrawIntervalMs(byId.current.size) - performance.now();
      if (wait > 0) setTimeout(() => requestAnimationFrame(flush), wait);
      else requestAnimationFrame(flush);
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
