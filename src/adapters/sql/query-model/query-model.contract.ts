import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePrice, type Price } from '../../../domain/money/price.js';
import type { ChildOrder } from '../../../domain/order/child-order.js';
import { applyOrderEvent, createOrder, type OrderEvent } from '../../../domain/order/lifecycle.js';
import type { NewOrder, Order } from '../../../domain/order/order.js';
import { applyFillToPosition, emptyPosition } from '../../../domain/positions/position.js';
import { APPROVED, deny } from '../../../domain/risk/decision.js';
import type { FillRecord, OrderHistoryEntry, TrackedOrder } from '../../../ports/order-store.js';
import type { RecordedDecision } from '../../../ports/risk-store.js';
import type { SqlClient } from '../../../ports/sql.js';
import type { RecentApproval, StateChanges } from '../../../ports/working-state.js';
import { orderFromRow, ORDER_COLUMNS, type OrderRow } from '../orders/order-rows.js';
import { SqlQueryModelWriter } from './sql-query-model-writer.js';
import { SqlWorkingStateLoader } from './sql-working-state-loader.js';

export interface QueryModelUnderTest {
  readonly db: SqlClient;
  cleanUp(): Promise<void>;
}

const T0 = new Date('2025-01-02T15:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const px = (text: string): Price => parsePrice(text)!;

const changes = (parts: Partial<StateChanges>): StateChanges => ({
  orders: [],
  history: [],
  children: [],
  fills: [],
  positions: [],
  riskDecisions: [],
  ...parts,
});

function received(clientOrderId: string, terms: Partial<NewOrder> = {}): TrackedOrder {
  const request: NewOrder = {
    clientOrderId,
    accountId: 'ACC-1',
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'LIMIT',
    quantity: 300,
    limitPrice: px('150.25'),
    timeInForce: 'DAY',
    strategy: 'SWEEP',
    ...terms,
  };
  return { order: createOrder(uuidv7(), request, T0), routing: { requested: 0, decided: 0 } };
}

function applied(tracked: TrackedOrder, event: OrderEvent, ms: number): TrackedOrder {
  const result = applyOrderEvent(tracked.order, event, at(ms));
  if (!result.ok) throw new Error(`${event.type}: ${result.error.message}`);
  return { ...tracked, order: result.order };
}

const routed = (tracked: TrackedOrder, requested: number, decided: number): TrackedOrder => ({ ...tracked, routing: { requested, decided } });

const line = ({ order }: TrackedOrder, eventType: string, ms: number): OrderHistoryEntry => ({
  orderId: order.orderId,
  seq: order.version,
  eventType,
  status: order.status,
  detail: { eventType, leaves: order.leavesQuantity },
  source: 'oms-core',
  occurredAt: at(ms),
});

function childOf({ order }: TrackedOrder, childOrderId: string, venue: string, quantity: number, ms: number, extra: Partial<ChildOrder> = {}): ChildOrder {
  return {
    childOrderId,
    parentOrderId: order.orderId,
    venue,
    symbol: order.symbol,
    side: order.side,
    orderType: order.orderType,
    quantity,
    limitPrice: order.limitPrice,
    timeInForce: order.timeInForce,
    routeAttempt: 1,
    status: 'ROUTED',
    filledQuantity: 0,
    leavesQuantity: quantity,
    createdAt: at(ms),
    updatedAt: at(ms),
    ...extra,
  };
}

const fillOf = ({ order }: TrackedOrder, child: ChildOrder, execId: string, quantity: number, price: Price, ms: number): FillRecord => ({
  execId,
  orderId: order.orderId,
  childOrderId: child.childOrderId,
  venue: child.venue,
  quantity,
  price,
  occurredAt: at(ms),
  accountId: order.accountId,
  symbol: order.symbol,
  side: order.side,
});

/** An approval as the loader returns it: what the risk windows compare. */
const approvalOf = ({ order, decidedAt }: RecordedDecision): RecentApproval => ({
  accountId: order.accountId,
  order: { orderId: order.orderId, symbol: order.symbol, side: order.side, quantity: order.quantity, limitPrice: order.limitPrice, createdAt: order.createdAt },
  decidedAt,
});

const decided = ({ order }: TrackedOrder, approved: boolean, ms: number): RecordedDecision => ({
  order: {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    accountId: order.accountId,
    symbol: order.symbol,
    side: order.side,
    orderType: order.orderType,
    quantity: order.quantity,
    limitPrice: order.limitPrice,
    timeInForce: order.timeInForce,
    ...(order.strategy ? { strategy: order.strategy } : {}),
    createdAt: order.createdAt,
  },
  decision: approved ? APPROVED : deny('MAX_NOTIONAL', 'too much'),
  decidedAt: at(ms),
});

/** An order as the orders table gives it back: pendingReplace null when none, expiring only when set. */
function asStored(order: Order): Order {
  const { strategy, pendingReplace, expiring, ...rest } = order;
  return { ...rest, ...(strategy ? { strategy } : {}), pendingReplace: pendingReplace ?? null, ...(expiring ? { expiring: true } : {}) };
}

/** A child as child_orders gives it back: the NBBO null when none, cancelRequested only when set. */
function childAsStored(child: ChildOrder): ChildOrder {
  const { strategy, nbboBid, nbboAsk, cancelRequested, ...rest } = child;
  return {
    ...rest,
    ...(strategy ? { strategy } : {}),
    nbboBid: nbboBid ?? null,
    nbboAsk: nbboAsk ?? null,
    ...(cancelRequested ? { cancelRequested: true } : {}),
  };
}

/**
 * Two orders through their life, one journal record per step: A is received, accepted, routed to
 * one venue and filled in two executions; B (a MARKET order of another account) is routed to two
 * venues and partly filled, and stays working.
 */
function story() {
  const a1 = received('A');
  const a2 = routed(applied(a1, { type: 'Accepted' }, 10), 1, 0);
  const a2routed = routed(a2, 1, 1);
  const ka = childOf(a2, 'KA-1', 'XNYS', 300, 20, { strategy: 'SWEEP', nbboBid: px('150.2'), nbboAsk: px('150.25') });
  const kaNew: ChildOrder = { ...ka, status: 'NEW', updatedAt: at(30) };
  const ea1 = fillOf(a2, ka, 'EA-1', 100, px('150.25'), 40);
  const a3 = applied(a2routed, { type: 'Filled', fill: ea1 }, 40);
  const ka1: ChildOrder = { ...kaNew, status: 'PARTIALLY_FILLED', filledQuantity: 100, leavesQuantity: 200, updatedAt: at(40) };
  const posA1 = applyFillToPosition(emptyPosition('ACC-1', 'AAPL'), 'BUY', 100, ea1.price);
  const ea2 = fillOf(a3, ka, 'EA-2', 200, px('150.3'), 50);
  const a4 = applied(a3, { type: 'Filled', fill: ea2 }, 50);
  const ka2: ChildOrder = { ...ka1, status: 'FILLED', filledQuantity: 300, leavesQuantity: 0, updatedAt: at(50) };
  const posA2 = applyFillToPosition(posA1, 'BUY', 200, ea2.price);

  const b1 = received('B', { accountId: 'ACC-2', symbol: 'MSFT', side: 'SELL', orderType: 'MARKET', quantity: 100, limitPrice: null, strategy: undefined });
  const b2 = routed(applied(b1, { type: 'Accepted' }, 15), 1, 1);
  const kb1 = childOf(b2, 'KB-1', 'XNYS', 60, 25);
  const kb2 = childOf(b2, 'KB-2', 'ARCX', 40, 25);
  const eb1 = fillOf(b2, kb1, 'EB-1', 50, px('410.5'), 45);
  const b3 = applied(b2, { type: 'Filled', fill: eb1 }, 45);
  const kb1Filled: ChildOrder = { ...kb1, status: 'PARTIALLY_FILLED', filledQuantity: 50, leavesQuantity: 10, updatedAt: at(45) };
  const posB = applyFillToPosition(emptyPosition('ACC-2', 'MSFT'), 'SELL', 50, eb1.price);

  const records: StateChanges[] = [
    changes({ orders: [a1, b1], history: [line(a1, 'Received', 0), line(b1, 'Received', 0)], riskDecisions: [decided(a1, true, 5), decided(b1, true, 6)] }),
    changes({ orders: [a2], history: [line(a2, 'Accepted', 10)] }),
    changes({ orders: [b2], history: [line(b2, 'Accepted', 15)], children: [kb1, kb2] }),
    changes({ orders: [a2routed], children: [ka] }),
    changes({ children: [kaNew] }),
    changes({ orders: [a3], history: [line(a3, 'Filled', 40)], children: [ka1], fills: [ea1], positions: [posA1] }),
    changes({ orders: [b3], history: [line(b3, 'Filled', 45)], children: [kb1Filled], fills: [eb1], positions: [posB] }),
    changes({ orders: [a4], history: [line(a4, 'Filled', 50)], children: [ka2], fills: [ea2], positions: [posA2] }),
  ];
  return {
    records,
    a: a4,
    b: b3,
    aChildren: [ka2],
    bChildren: [kb1Filled, kb2],
    positions: [posA2, posB],
    fills: [ea1, ea2, eb1],
    decisions: records[0]!.riskDecisions,
  };
}

/** The query model's behaviour, the same on PGlite and on PostgreSQL. */
export function describeQueryModel(name: string, open: () => Promise<QueryModelUnderTest>): void {
  describe(`query model on ${name}`, () => {
    let db: SqlClient;
    let subject: QueryModelUnderTest;
    let writer: SqlQueryModelWriter;
    let loader: SqlWorkingStateLoader;
    beforeEach(async () => {
      subject = await open();
      db = subject.db;
      writer = new SqlQueryModelWriter(db);
      loader = new SqlWorkingStateLoader(db);
    });
    afterEach(async () => {
      await subject.cleanUp();
    });

    const tracked = async (orderId: string): Promise<TrackedOrder> => {
      const [row] = await db.query<OrderRow & { route_requested: number; route_decided: number }>(
        `SELECT ${ORDER_COLUMNS}, route_requested, route_decided FROM orders WHERE order_id = $1`,
        [orderId],
      );
      return { order: orderFromRow(row!), routing: { requested: row!.route_requested, decided: row!.route_decided } };
    };
    const snapshot = async () => ({
      orders: await db.query('SELECT * FROM orders ORDER BY order_id'),
      children: await db.query('SELECT * FROM child_orders ORDER BY child_order_id'),
      fills: await db.query('SELECT * FROM fills ORDER BY venue, exec_id'),
      history: await db.query('SELECT * FROM order_events ORDER BY order_id, seq'),
      // updated_at is when the row was written (now()), not part of the position.
      positions: await db.query('SELECT account_id, symbol, quantity, cost_basis, realized_pnl FROM positions ORDER BY account_id, symbol'),
      riskChecks: await db.query('SELECT * FROM risk_checks ORDER BY order_id'),
    });
    const byId = (a: { childOrderId: string }, b: { childOrderId: string }) => (a.childOrderId < b.childOrderId ? -1 : 1);

    it('writes a sequence of changes in batches and leaves exactly the final state', async () => {
      const s = story();
      await writer.write(s.records.slice(0, 3), 3);
      await writer.write(s.records.slice(3), 8);

      expect(await tracked(s.a.order.orderId)).toEqual({ order: asStored(s.a.order), routing: { requested: 1, decided: 1 } });
      expect(await tracked(s.b.order.orderId)).toEqual({ order: asStored(s.b.order), routing: { requested: 1, decided: 1 } });
      const snap = await snapshot();
      expect(snap.orders).toHaveLength(2);
      expect(snap.children.map((c) => [c.child_order_id, c.status, Number(c.filled_quantity), Number(c.leaves_quantity)])).toEqual([
        ['KA-1', 'FILLED', 300, 0],
        ['KB-1', 'PARTIALLY_FILLED', 50, 10],
        ['KB-2', 'ROUTED', 0, 40],
      ]);
      expect(snap.children[0]).toMatchObject({ strategy: 'SWEEP', nbbo_bid: '150.20000000', nbbo_ask: '150.25000000', cancel_requested: false });
      expect(snap.fills.map((f) => [f.venue, f.exec_id, Number(f.quantity), f.price])).toEqual([
        ['XNYS', 'EA-1', 100, '150.25000000'],
        ['XNYS', 'EA-2', 200, '150.30000000'],
        ['XNYS', 'EB-1', 50, '410.50000000'],
      ]);
      const history = (orderId: string) => snap.history.filter((h) => h.order_id === orderId).map((h) => [h.seq, h.event_type, h.status]);
      expect(history(s.a.order.orderId)).toEqual([
        [1, 'Received', 'PENDING_NEW'],
        [2, 'Accepted', 'NEW'],
        [3, 'Filled', 'PARTIALLY_FILLED'],
        [4, 'Filled', 'FILLED'],
      ]);
      expect(history(s.b.order.orderId)).toEqual([
        [1, 'Received', 'PENDING_NEW'],
        [2, 'Accepted', 'NEW'],
        [3, 'Filled', 'PARTIALLY_FILLED'],
      ]);
      expect(snap.history.find((h) => h.seq === 4)!.detail).toEqual({ eventType: 'Filled', leaves: 0 });
      expect(await loader.positions()).toEqual(expect.arrayContaining(s.positions));
      expect(await loader.positions()).toHaveLength(2);
      expect(snap.riskChecks.map((r) => [r.order_id, r.approved])).toEqual(
        [
          [s.a.order.orderId, true],
          [s.b.order.orderId, true],
        ].sort(([x], [y]) => ((x as string) < (y as string) ? -1 : 1)),
      );
      expect(await writer.watermark()).toBe(8);
    });

    it('keeps the latest state of an order: an earlier version or routing step written after it changes nothing', async () => {
      const s = story();
      const [newest, ...earlier] = s.records.filter((r) => r.orders.some((o) => o.order.orderId === s.a.order.orderId)).reverse();
      // Within one batch, the latest state wins wherever it is in the list.
      await writer.write([...earlier.slice(0, 1), newest!, ...earlier.slice(1)], 1);
      expect(await tracked(s.a.order.orderId)).toEqual({ order: asStored(s.a.order), routing: { requested: 1, decided: 1 } });
      // Across batches, each earlier state alone.
      for (const [i, record] of earlier.entries()) await writer.write([record], 2 + i);
      expect(await tracked(s.a.order.orderId)).toEqual({ order: asStored(s.a.order), routing: { requested: 1, decided: 1 } });

      // Asking the router and hearing back change no version: the routing step orders states of one version.
      const c1 = received('C');
      const asked = routed(applied(c1, { type: 'Accepted' }, 10), 1, 0);
      const answered = routed(asked, 1, 1);
      await writer.write([changes({ orders: [c1] }), changes({ orders: [answered] }), changes({ orders: [asked] })], 10);
      expect((await tracked(c1.order.orderId)).routing).toEqual({ requested: 1, decided: 1 });
      await writer.write([changes({ orders: [asked] })], 11);
      expect(await tracked(c1.order.orderId)).toEqual({ order: asStored(answered.order), routing: { requested: 1, decided: 1 } });
    });

    it('changes nothing when the same changes are written again, whole or from the middle', async () => {
      const s = story();
      await writer.write(s.records, 8);
      const before = await snapshot();
      await writer.write(s.records, 8);
      expect(await snapshot()).toEqual(before);
      // Crash recovery writes the journal's tail again, from an older watermark to the end.
      await writer.write(s.records.slice(3), 8);
      await writer.write([...s.records, ...s.records.slice(5)], 8);
      expect(await snapshot()).toEqual(before);
      expect(before.history).toHaveLength(7);
    });

    it('starts empty at watermark 0, and moves the watermark up, never down', async () => {
      expect(await writer.watermark()).toBe(0);
      expect(await loader.workingOrders()).toEqual([]);
      expect(await loader.positions()).toEqual([]);
      expect(await loader.approvalsSince(T0)).toEqual([]);
      expect((await loader.clientKeyFilter()).size).toBe(0);
      await writer.write([], 5);
      expect(await writer.watermark()).toBe(5);
      await writer.write(story().records.slice(0, 1), 3);
      expect(await writer.watermark()).toBe(5);
      await writer.write([], 2 ** 40);
      expect(await writer.watermark()).toBe(2 ** 40);
      await expect(writer.write([], -1)).rejects.toThrow(RangeError);
    });

    it('writes nothing of a batch that fails, the watermark included', async () => {
      const s = story();
      await writer.write(s.records.slice(0, 1), 1);
      const before = await snapshot();
      // The writer applies as a replica (no foreign-key checks): a value the column's type refuses fails the batch.
      const unstorable = { ...childOf(received('X'), 'KX-1', 'XNYS', 10, 0), parentOrderId: 'not-a-uuid' };
      await expect(writer.write([...s.records.slice(1), changes({ children: [unstorable] })], 9)).rejects.toThrow();
      expect(await snapshot()).toEqual(before);
      expect(await writer.watermark()).toBe(1);
    });

    it('keeps an approval once stored, as the risk store does: a later denial of the order does not replace it', async () => {
      const approvedFirst = received('D1');
      const deniedFirst = received('D2');
      const deniedOnly = received('D3');
      await writer.write(
        [
          changes({
            orders: [approvedFirst, deniedFirst, deniedOnly],
            riskDecisions: [decided(approvedFirst, true, 1), decided(approvedFirst, false, 2), decided(deniedFirst, false, 1), decided(deniedFirst, true, 2)],
          }),
        ],
        1,
      );
      await writer.write([changes({ riskDecisions: [decided(approvedFirst, false, 3), decided(deniedOnly, false, 3)] })], 2);
      const rows = await db.query<{ order_id: string; approved: boolean; code: string | null; decided_at: Date }>(
        'SELECT order_id, approved, code, decided_at FROM risk_checks',
      );
      const row = (t: TrackedOrder) => rows.find((r) => r.order_id === t.order.orderId)!;
      expect(row(approvedFirst)).toMatchObject({ approved: true, code: null, decided_at: at(1) });
      expect(row(deniedFirst)).toMatchObject({ approved: true, code: null, decided_at: at(2) });
      expect(row(deniedOnly)).toMatchObject({ approved: false, code: 'MAX_NOTIONAL', decided_at: at(3) });
    });

    it('loads the working orders with all their children (in creation order) and fill keys, and leaves final ones out', async () => {
      const s = story();
      const accepted = (clientOrderId: string, terms: Partial<NewOrder> = {}) =>
        routed(applied(received(clientOrderId, terms), { type: 'Accepted' }, 10), 1, 1);
      const pendingNew = received('P-NEW');
      const replacing = applied(
        accepted('P-REPLACE', { timeInForce: 'GTC' }),
        { type: 'ReplaceRequested', terms: { quantity: 400, limitPrice: px('151') } },
        20,
      );
      const expiring = applied(accepted('P-EXPIRE'), { type: 'CancelRequested', expiring: true }, 20);
      const doneForDay = applied(accepted('P-DFD'), { type: 'DoneForDay' }, 20);
      const rejected = applied(received('X-REJECT'), { type: 'Rejected', reason: 'no' }, 10);
      const canceled = applied(accepted('X-CANCEL'), { type: 'Canceled', reason: 'client' }, 20);
      const replacingChildren = [
        childOf(replacing, 'KR-2', 'ARCX', 100, 30, { cancelRequested: true, status: 'NEW' }),
        childOf(replacing, 'KR-1', 'XNYS', 100, 30, { status: 'CANCELED', leavesQuantity: 0 }),
        childOf(replacing, 'KR-0', 'BATS', 100, 35, { status: 'NEW', routeAttempt: 2, strategy: 'POST_PASSIVE', nbboBid: px('150'), nbboAsk: null }),
      ];
      await writer.write(
        [...s.records, changes({ orders: [pendingNew, replacing, expiring, doneForDay, rejected, canceled], children: replacingChildren })],
        9,
      );

      const working = await loader.workingOrders();
      const byOrder = new Map(working.map((w) => [w.tracked.order.orderId, w]));
      expect([...byOrder.keys()].sort()).toEqual([s.b, pendingNew, replacing, expiring, doneForDay].map((t) => t.order.orderId).sort());
      for (const t of [s.b, pendingNew, replacing, expiring, doneForDay]) {
        expect(byOrder.get(t.order.orderId)!.tracked).toEqual({ order: asStored(t.order), routing: t.routing });
      }
      expect(byOrder.get(replacing.order.orderId)!.tracked.order.pendingReplace).toEqual({ quantity: 400, limitPrice: px('151') });
      expect(byOrder.get(expiring.order.orderId)!.tracked.order.expiring).toBe(true);
      const b = byOrder.get(s.b.order.orderId)!;
      expect(b.children).toEqual(s.bChildren.map(childAsStored).sort(byId));
      expect(b.fillKeys).toEqual(['XNYS|EB-1']);
      expect(byOrder.get(replacing.order.orderId)!.children.map((c) => c.childOrderId)).toEqual(['KR-1', 'KR-2', 'KR-0']);
      expect(byOrder.get(replacing.order.orderId)!.children).toEqual(
        [replacingChildren[1], replacingChildren[0], replacingChildren[2]].map((c) => childAsStored(c!)),
      );
      expect(byOrder.get(pendingNew.order.orderId)).toMatchObject({ children: [], fillKeys: [] });
    });

    it('loads the approvals decided after a time, with the terms the risk windows compare', async () => {
      const early = received('R-EARLY');
      const late = received('R-LATE', {
        accountId: 'ACC-9',
        symbol: 'MSFT',
        side: 'SELL_SHORT',
        orderType: 'MARKET',
        limitPrice: null,
        timeInForce: 'IOC',
        strategy: undefined,
      });
      const later = received('R-LATER');
      const denied = received('R-DENIED');
      const decisions = [decided(early, true, 1000), decided(late, true, 2000), decided(later, true, 3000), decided(denied, false, 2500)];
      await writer.write([changes({ orders: [early, late, later, denied], riskDecisions: decisions })], 1);
      expect(await loader.approvalsSince(at(1000))).toEqual([decisions[1]!, decisions[2]!].map(approvalOf));
      expect(await loader.approvalsSince(at(999))).toEqual([decisions[0]!, decisions[1]!, decisions[2]!].map(approvalOf));
      expect(await loader.approvalsSince(at(3000))).toEqual([]);
      // A decision whose order is not in the query model counts all the same.
      const unknown = decided(received('R-UNKNOWN', { clientOrderId: '', timeInForce: 'DAY', strategy: undefined }), true, 4000);
      await writer.write([changes({ riskDecisions: [unknown] })], 2);
      expect(await loader.approvalsSince(at(3500))).toEqual([approvalOf(unknown)]);
    });

    it('finds every stored client key, final orders included, by index and through the filter', async () => {
      const s = story();
      const rejected = applied(received('X-REJECT', { accountId: 'ACC-2' }), { type: 'Rejected', reason: 'no' }, 10);
      const odd = received('ODD\u0001ID \u00e9');
      await writer.write([...s.records, changes({ orders: [rejected, odd] })], 9);
      const filter = await loader.clientKeyFilter();
      expect(filter.size).toBe(4);
      for (const t of [s.a, s.b, rejected, odd]) {
        expect(await loader.orderIdForClientKey(t.order.accountId, t.order.clientOrderId)).toBe(t.order.orderId);
        expect(filter.mayHold(t.order.accountId, t.order.clientOrderId)).toBe(true);
      }
      expect(await loader.orderIdForClientKey(s.a.order.accountId, 'NOT-STORED')).toBeUndefined();
      expect(await loader.orderIdForClientKey('OTHER-ACCOUNT', s.a.order.clientOrderId)).toBeUndefined();
      const misses = Array.from({ length: 1000 }, (_, i) => filter.mayHold('ACC-1', `NEW-${i}`)).filter(Boolean);
      expect(misses.length).toBeLessThan(5);
    });
  });
}
