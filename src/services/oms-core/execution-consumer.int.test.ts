import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { ExecutionReported } from '../../domain/events/messages.js';
import { TOPICS } from '../../domain/events/topics.js';
import type { ChildOrder } from '../../domain/order/child-order.js';
import { parsePrice } from '../../domain/money/price.js';
import { applyOrderEvent, createOrder } from '../../domain/order/lifecycle.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import { OrderIngestStore } from '../../adapters/sql/orders/order-ingest-store.js';
import { SqlOrderStore } from '../../adapters/sql/orders/sql-order-store.js';
import { migratedPglite } from '../../adapters/sql/test-support/pglite.js';
import { createLogger } from '../../adapters/observability/pino-logger.js';
import type { DeliveredMessage } from '../../ports/event-bus.js';
import type { SqlClient } from '../../ports/sql.js';
import { systemClock } from '../../ports/clock.js';
import { executionEventId } from '../execution-adapter/execution-report-publisher.js';
import { ExecutionConsumer } from './execution-consumer.js';

describe('oms-core applying executions', () => {
  let db: SqlClient;
  let store: SqlOrderStore;
  let consumer: ExecutionConsumer;

  beforeAll(async () => {
    db = await migratedPglite();
    store = new SqlOrderStore(db);
    consumer = new ExecutionConsumer({ store, clock: systemClock, newId: uuidv7, logger: createLogger({ level: 'silent', name: 'test' }) });
  });
  afterAll(() => db.close());

  /** A working order with one child of 100 shares live at XNYS (a MARKET order's IOC child, or a resting GTC limit's). */
  async function workingOrderWithChild(resting = false): Promise<{ orderId: string; child: ChildOrder }> {
    const at = new Date();
    const terms = resting
      ? { orderType: 'LIMIT' as const, limitPrice: parsePrice('149.50')!, timeInForce: 'GTC' as const }
      : { orderType: 'MARKET' as const, limitPrice: null, timeInForce: 'DAY' as const };
    const order = createOrder(uuidv7(), { clientOrderId: uuidv7(), accountId: 'EXEC-ACC', symbol: 'AAPL', side: 'BUY', quantity: 100, ...terms }, at);
    await new OrderIngestStore(db).submit(order, {
      topic: TOPICS.ordersInbound,
      key: order.orderId,
      eventId: uuidv7(),
      payload: { type: 'OrderReceived', order: toSnapshot(order) },
    });
    const accepted = applyOrderEvent(order, { type: 'Accepted' }, at);
    if (!accepted.ok) throw new Error('not accepted');
    const child: ChildOrder = {
      childOrderId: uuidv7(),
      parentOrderId: order.orderId,
      venue: 'XNYS',
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 100,
      ...terms,
      timeInForce: resting ? 'GTC' : 'IOC',
      routeAttempt: 1,
      status: 'NEW',
      filledQuantity: 0,
      leavesQuantity: 100,
      createdAt: at,
      updatedAt: at,
    };
    await store.transaction(async (session) => {
      await session.saveOrders([{ order: accepted.order, routing: { requested: 1, decided: 1 } }], []);
      await session.saveChildren([child]);
    });
    return { orderId: order.orderId, child };
  }

  function trade(child: ChildOrder, execId: string, lastQty: number, cumQty: number): DeliveredMessage<ExecutionReported> {
    return report(child, execId, { execType: 'TRADE', lastQty, lastPx: '150.01', childCumQty: cumQty, childLeavesQty: child.quantity - cumQty });
  }

  function report(
    child: ChildOrder,
    execId: string,
    fields: Pick<ExecutionReported, 'execType' | 'lastQty' | 'lastPx' | 'childCumQty' | 'childLeavesQty'> & { text?: string },
  ): DeliveredMessage<ExecutionReported> {
    const payload: ExecutionReported = {
      type: 'ExecutionReported',
      accountId: 'EXEC-ACC',
      symbol: 'AAPL',
      side: 'BUY',
      execId,
      childOrderId: child.childOrderId,
      parentOrderId: child.parentOrderId,
      venue: 'XNYS',
      text: null,
      transactTime: new Date().toISOString(),
      ...fields,
    };
    return { topic: TOPICS.executionsFills, key: child.parentOrderId, eventId: executionEventId('XNYS', execId), payload, offset: 0n, partition: 0 };
  }

  const stored = async (orderId: string) => {
    const [order] = await db.query<{ filled_quantity: number; status: string }>('SELECT filled_quantity, status FROM orders WHERE order_id = $1', [orderId]);
    const [fills] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM fills WHERE order_id = $1', [orderId]);
    return { filled: order!.filled_quantity, status: order!.status, fills: fills!.n };
  };

  it('applies an execution delivered twice in one batch once, and again in a later batch not at all', async () => {
    const { orderId, child } = await workingOrderWithChild();
    const first = trade(child, 'X-1', 40, 40);
    await consumer.handle([first, first]);
    expect(await stored(orderId)).toEqual({ filled: 40, status: 'PARTIALLY_FILLED', fills: 1 });
    await consumer.handle([first, trade(child, 'X-2', 60, 100)]);
    expect(await stored(orderId)).toEqual({ filled: 100, status: 'FILLED', fills: 2 });
  });

  it('keeps a fill its order refuses (an overfill) in fills, leaves the order as it was, and reports it once committed', async () => {
    const refused: string[] = [];
    const counting = new ExecutionConsumer({
      store,
      clock: systemClock,
      newId: uuidv7,
      logger: createLogger({ level: 'silent', name: 'test' }),
      onRefusedFill: (fill) => void refused.push(fill.execId),
    });
    const { orderId, child } = await workingOrderWithChild();
    await counting.handle([trade(child, 'O-1', 100, 100)]);
    await counting.handle([trade(child, 'O-2', 100, 200)]);
    expect(await stored(orderId)).toEqual({ filled: 100, status: 'FILLED', fills: 2 });
    expect(refused).toEqual(['O-2']);
  });

  it('re-places a child its venue lost (unknown order after a restart) at the same venue, in the same routing attempt, with a history line', async () => {
    const { orderId, child } = await workingOrderWithChild(true);
    await consumer.handle([trade(child, 'L-1', 30, 30)]);
    await consumer.handle([
      report(child, 'L-2', { execType: 'UNKNOWN_ORDER', lastQty: 0, lastPx: null, childCumQty: 0, childLeavesQty: 0, text: 'unknown order' }),
    ]);

    expect(await stored(orderId)).toEqual({ filled: 30, status: 'PARTIALLY_FILLED', fills: 1 });
    const children = await db.query<{
      child_order_id: string;
      venue: string;
      status: string;
      quantity: number;
      filled_quantity: number;
      route_attempt: number;
      limit_price: string;
    }>(
      'SELECT child_order_id, venue, status, quantity, filled_quantity, route_attempt, limit_price::text FROM child_orders WHERE parent_order_id = $1 ORDER BY created_at',
      [orderId],
    );
    expect(children.map(({ child_order_id, ...rest }) => ({ lost: child_order_id === child.childOrderId, ...rest }))).toEqual([
      { lost: true, venue: 'XNYS', status: 'CANCELED', quantity: 100, filled_quantity: 30, route_attempt: 1, limit_price: '149.50000000' },
      { lost: false, venue: 'XNYS', status: 'ROUTED', quantity: 70, filled_quantity: 0, route_attempt: 1, limit_price: '149.50000000' },
    ]);
    const [routing] = await db.query<{ route_requested: number }>('SELECT route_requested FROM orders WHERE order_id = $1', [orderId]);
    expect(routing!.route_requested).toBe(1);
    const events = await db.query<{ event_type: string; detail: { reason: string } }>(
      'SELECT event_type, detail FROM order_events WHERE order_id = $1 ORDER BY seq',
      [orderId],
    );
    expect(events.at(-1)).toMatchObject({ event_type: 'Restated', detail: { reason: expect.stringMatching(/XNYS lost the order on restart/) } });
    const sent = await db.query<{ payload: string }>(`SELECT payload FROM outbox WHERE message_key = $1 AND payload LIKE '%ChildOrderRouted%'`, [orderId]);
    expect(sent.map((m) => JSON.parse(m.payload) as { childOrderId: string; quantity: number; venue: string })).toEqual([
      expect.objectContaining({ childOrderId: children[1]!.child_order_id, quantity: 70, venue: 'XNYS', limitPrice: '149.5', timeInForce: 'GTC', attempt: 1 }),
    ]);
  });

  it('keeps a batch whose write fails out of the database entirely, so its redelivery applies it once', async () => {
    const { orderId, child } = await workingOrderWithChild();
    // The audit trail refuses a second history line with the same (order, seq): the batch's last write fails.
    await db.query(
      `INSERT INTO order_events (order_id, seq, event_type, status, detail, source, occurred_at) VALUES ($1, 3, 'Blocker', 'NEW', '{}', 'test', now())`,
      [orderId],
    );
    await expect(consumer.handle([trade(child, 'Y-1', 30, 30)])).rejects.toThrow();
    expect(await stored(orderId)).toEqual({ filled: 0, status: 'NEW', fills: 0 });
  });
});
