import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { ChildCancelRequested, ChildOrderRouted } from '../../domain/events/messages.js';
import { parsePrice } from '../../domain/money/price.js';
import { createOrder } from '../../domain/order/lifecycle.js';
import type { Order } from '../../domain/order/order.js';
import { InFlightLiquidity } from '../../domain/routing/in-flight-liquidity.js';
import { FileJournal, fileJournalIo } from '../../adapters/journal/file-journal.js';
import { decodeStateChanges } from '../../adapters/journal/state-changes-codec.js';
import { createMetrics } from '../../adapters/observability/prometheus-metrics.js';
import type { OrderTracing } from '../../ports/order-tracing.js';
import type { Journal } from '../../ports/journal.js';
import type { VenueExecutionReport } from '../../ports/venue-gateway.js';
import { LiveOrders } from '../oms-core/live-orders.js';
import { Router } from '../sor-engine/router.js';
import type { OrderFlow } from './order-flow.js';
import { orderFlowForTests, silentLogger, twoVenueMarket } from './test-support/order-flow-for-tests.js';

/** The venue's report that fills a child whole at 150.00. */
const wholeFill = (child: ChildOrderRouted, execId: string): VenueExecutionReport => ({
  venue: child.venue,
  clOrdId: child.childOrderId,
  execId,
  execType: 'TRADE',
  lastQty: child.quantity,
  lastPx: '150.00',
  cumQty: child.quantity,
  leavesQty: 0,
  text: null,
  transactTime: new Date().toISOString(),
  possibleDuplicate: false,
});

/** The order flow over a real journal, with venues that record what was sent and when. */
describe('OrderFlow', () => {
  let dir: string;
  let journal: Journal;
  let sent: { message: ChildOrderRouted | ChildCancelRequested; journalSeqAtSend: number }[];
  let committed: number[];
  let flow: OrderFlow;
  let live: LiveOrders;
  /** The orders whose trace the flow holds, and the steps it named for each. */
  let traced: Map<string, string[]>;

  /** Set to make every journal write fail as on a full disk. */
  const disk = { full: false, failures: 0 };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'order-flow-'));
    disk.full = false;
    disk.failures = 0;
    journal = await FileJournal.open({
      dir,
      retryDelay: { firstMs: 5, maxMs: 20 },
      io: {
        async write(handle, buffer, position) {
          if (disk.full) throw (disk.failures++, Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
          await fileJournalIo.write(handle, buffer, position);
        },
      },
    });
    sent = [];
    committed = [];
    live = new LiveOrders();
    traced = new Map();
    const tracing: OrderTracing = {
      enabled: true,
      begin: (orderId) => void traced.set(orderId, []),
      start: (orderId, name) => (traced.get(orderId)?.push(name), { end: () => undefined, fail: () => undefined }),
      release: (orderId) => void traced.delete(orderId),
    };
    const record = async (message: ChildOrderRouted | ChildCancelRequested) => void sent.push({ message, journalSeqAtSend: journal.lastSeq });
    flow = orderFlowForTests({ live, journal, venues: { sendNewOrder: record, sendCancel: record }, onCommitted: (seq) => void committed.push(seq), tracing });
  });

  afterEach(async () => {
    await journal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const marketOrder = (clientOrderId: string): Order =>
    createOrder(
      uuidv7(),
      { clientOrderId, accountId: 'FLOW-1', symbol: 'AAPL', side: 'BUY', orderType: 'MARKET', quantity: 100, limitPrice: null, timeInForce: 'DAY' },
      new Date(),
    );

  it('acknowledges an order only once its turn is in the journal, and sends its children only after that', async () => {
    const stored = await flow.submit(marketOrder('A-1'));
    expect(stored.created).toBe(true);
    expect(journal.lastSeq).toBeGreaterThanOrEqual(1);
    await flow.idle();
    expect(sent.length).toBeGreaterThan(0);
    for (const { journalSeqAtSend } of sent) expect(journalSeqAtSend).toBeGreaterThanOrEqual(1);
    const [record] = [...journal.readFrom(0)];
    const changes = decodeStateChanges(record!.data);
    expect(changes.orders.map((t) => t.order.status)).toEqual(['NEW']);
    expect(changes.history.map((h) => h.eventType)).toEqual(['Received', 'Accepted']);
    expect(changes.children.every((c) => c.status === 'SENT')).toBe(true);
    expect(changes.riskDecisions).toHaveLength(1);
  });

  it('returns the first order for a repeated (accountId, clientOrderId), in the same turn or later', async () => {
    const [first, twin] = await Promise.all([flow.submit(marketOrder('A-2')), flow.submit(marketOrder('A-2'))]);
    expect(first.created).toBe(true);
    expect(twin).toMatchObject({ created: false, order: { orderId: first.order.orderId } });
    const later = await flow.submit(marketOrder('A-2'));
    expect(later).toMatchObject({ created: false, order: { orderId: first.order.orderId } });
  });

  it('applies a fill once however often the venue reports it, and the order ends FILLED', async () => {
    const { order } = await flow.submit(marketOrder('A-3'));
    await flow.idle();
    const children = sent.map((s) => s.message).filter((m): m is ChildOrderRouted => m.type === 'ChildOrderRouted');
    const fills = children.map((child, i) => wholeFill(child, `E-${i}`));
    await Promise.all([...fills, ...fills].map((report) => flow.report(report)));
    await flow.report({ ...fills[0]!, possibleDuplicate: true });
    expect(live.get(order.orderId)).toMatchObject({ status: 'FILLED', filledQuantity: 100, leavesQuantity: 0 });
    const allFills = [...journal.readFrom(0)].flatMap((r) => decodeStateChanges(r.data).fills);
    expect(allFills).toHaveLength(fills.length);
  });

  it("holds each child's shares off the router's books until its venue answers it", async () => {
    const inFlight = new InFlightLiquidity();
    const market = twoVenueMarket();
    const router = new Router({
      marketData: market,
      venues: ['XNYS', 'XNAS'],
      newId: uuidv7,
      logger: silentLogger,
      metrics: createMetrics(),
      claims: inFlight,
    });
    const claiming = orderFlowForTests({
      live,
      journal,
      market,
      router,
      venues: { sendNewOrder: async (message) => void sent.push({ message, journalSeqAtSend: journal.lastSeq }), sendCancel: async () => undefined },
    });
    const { order } = await claiming.submit(marketOrder('H-1'));
    await claiming.idle();
    const children = sent.map((s) => s.message).filter((m): m is ChildOrderRouted => m.type === 'ChildOrderRouted' && m.parentOrderId === order.orderId);
    expect(inFlight.size).toBe(children.length);
    const [last, ...others] = children.map((child, i) => wholeFill(child, `H-${i}`));
    for (const report of others) await claiming.report(report);
    expect(inFlight.size).toBe(1);
    await claiming.report(last!);
    expect(inFlight.size).toBe(0);
    expect(live.get(order.orderId)).toMatchObject({ status: 'FILLED' });
  });

  it('keeps a fill its order refuses (a venue overfilled) in fills and counts it for the alert, leaving the order as it was', async () => {
    const metrics = createMetrics();
    const counted = orderFlowForTests({
      live,
      journal,
      venues: { sendNewOrder: async (message) => void sent.push({ message, journalSeqAtSend: journal.lastSeq }), sendCancel: async () => undefined },
      metrics,
    });
    const { order } = await counted.submit(marketOrder('O-1'));
    await counted.idle();
    const children = sent.map((s) => s.message).filter((m): m is ChildOrderRouted => m.type === 'ChildOrderRouted' && m.parentOrderId === order.orderId);
    await Promise.all(children.map((child, i) => counted.report(wholeFill(child, `F-${i}`))));
    expect(live.get(order.orderId)).toMatchObject({ status: 'FILLED', filledQuantity: 100 });

    await counted.report(wholeFill(children[0]!, 'F-AGAIN'));
    expect(live.get(order.orderId)).toMatchObject({ status: 'FILLED', filledQuantity: 100 });
    const fills = [...journal.readFrom(0)].flatMap((r) => decodeStateChanges(r.data).fills).filter((f) => f.orderId === order.orderId);
    expect(fills.map((f) => f.execId)).toEqual([...children.map((_, i) => `F-${i}`), 'F-AGAIN']);
    const refused = (await metrics.fillsRefusedByOrder.get()).values;
    expect(refused).toEqual([{ labels: { venue: children[0]!.venue }, value: 1 }]);
  });

  it('while the journal cannot write: the turn run waits unacknowledged and unsent, new inputs are refused, and all resumes with the disk', async () => {
    disk.full = true;
    let acknowledged = false;
    const waiting = flow.submit(marketOrder('D-1')).then((stored) => ((acknowledged = true), stored));
    while (disk.failures < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(acknowledged).toBe(false);
    expect(sent).toHaveLength(0);
    await expect(flow.submit(marketOrder('D-2'))).rejects.toThrow(/journal cannot write .*ENOSPC/);
    expect(flow.failure?.message).toMatch(/ENOSPC/);
    expect(live.orderIdFor('FLOW-1', 'D-2')).toBeUndefined(); // refused, not applied

    disk.full = false;
    expect(await waiting).toMatchObject({ created: true, order: { clientOrderId: 'D-1' } });
    await flow.idle();
    expect(sent.length).toBeGreaterThan(0);
    expect(flow.failure).toBeUndefined();
    expect(await flow.submit(marketOrder('D-2'))).toMatchObject({ created: true });
    const stored = [...journal.readFrom(0)].flatMap((r) => decodeStateChanges(r.data).orders.map((t) => t.order.clientOrderId));
    expect(new Set(stored)).toEqual(new Set(['D-1', 'D-2']));
  });

  it('lists the children live at a venue only once their NewOrderSingles have left, so a status request never overtakes one', async () => {
    disk.full = true;
    const stored = flow.submit(marketOrder('R-1'));
    while (disk.failures < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    // The turn ran (its children are SENT in memory) but waits for the disk: nothing has left.
    const venue = [...new Set([...live.children.values()].map((c) => c.venue))][0]!;
    const inMemory = live.liveChildrenAt(venue).map((c) => c.childOrderId);
    expect(inMemory.length).toBeGreaterThan(0);
    let listed: string[] | undefined;
    const listing = flow.liveChildrenAt(venue).then((children) => (listed = children.map((c) => c.childOrderId)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listed).toBeUndefined();
    expect(sent).toHaveLength(0);

    disk.full = false;
    await Promise.all([stored, listing]);
    expect(listed).toEqual(inMemory);
    const sentToVenue = sent
      .map((s) => s.message)
      .filter((m) => m.type === 'ChildOrderRouted' && m.venue === venue)
      .map((m) => m.childOrderId);
    expect(sentToVenue).toEqual(expect.arrayContaining(inMemory));
  });

  it("holds an order's trace while it lives: not for a refused order or a repeated key, nor once the order is final", async () => {
    const { order } = await flow.submit(marketOrder('T-1'));
    const twin = await flow.submit(marketOrder('T-1'));
    expect(twin.created).toBe(false);
    await flow.idle();
    expect([...traced.keys()]).toEqual([order.orderId]);
    expect(traced.get(order.orderId)).toEqual(expect.arrayContaining(['risk.check', 'sor.route', 'fix.new_order_single', 'oms.status.published']));

    const children = sent.map((s) => s.message).filter((m): m is ChildOrderRouted => m.type === 'ChildOrderRouted');
    await Promise.all(children.map((child, i) => flow.report(wholeFill(child, `T-${i}`))));
    await flow.idle();
    expect(live.get(order.orderId)?.status).toBe('FILLED');
    expect(traced.size).toBe(0);

    disk.full = true;
    const stuck = flow.submit(marketOrder('T-2'));
    while (disk.failures < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(flow.submit(marketOrder('T-3'))).rejects.toThrow(/journal cannot write/);
    disk.full = false;
    const { order: waited } = await stuck;
    expect([...traced.keys()]).toEqual([waited.orderId]); // T-3, refused, is not held
  });

  it('counts a venue fill on a ClOrdID it does not hold (oms_fills_unattributed_total) and changes nothing; other unknown reports are not counted', async () => {
    const metrics = createMetrics();
    flow = orderFlowForTests({ live, journal, venues: { sendNewOrder: async () => undefined, sendCancel: async () => undefined }, metrics });
    const unattributed = async () => (await metrics.fillsUnattributed.get()).values.map(({ labels, value }) => [labels.venue, value]);
    const stranger: VenueExecutionReport = {
      venue: 'XNYS',
      clOrdId: uuidv7(),
      execId: 'STRANGER-1',
      execType: 'NEW',
      lastQty: 0,
      lastPx: null,
      cumQty: 0,
      leavesQty: 100,
      text: null,
      transactTime: new Date().toISOString(),
      possibleDuplicate: false,
    };
    await flow.report(stranger);
    expect(await unattributed()).toEqual([]);
    await flow.report({ ...stranger, execId: 'STRANGER-2', execType: 'TRADE', lastQty: 100, lastPx: '150.00', cumQty: 100, leavesQty: 0 });
    expect(await unattributed()).toEqual([['XNYS', 1]]);
    expect(journal.lastSeq).toBe(0);
    expect(live.children.size).toBe(0);
  });

  it("refuses new orders while the query model lags past its bound, still taking the venue's fills and cancels, and takes them again once it caught up", async () => {
    const lag = { records: 0 };
    const bounded = orderFlowForTests({
      live,
      journal,
      venues: { sendNewOrder: async (m) => void sent.push({ message: m, journalSeqAtSend: journal.lastSeq }), sendCancel: async () => undefined },
      backlog: { records: () => lag.records, max: 10 },
    });
    const { order: filling } = await bounded.submit(marketOrder('B-1'));
    const { order: cancelled } = await bounded.submit({ ...marketOrder('B-2'), orderType: 'LIMIT', limitPrice: parsePrice('1.00')!, timeInForce: 'DAY' });
    await bounded.idle();
    lag.records = 11;
    const seqBefore = journal.lastSeq;
    await expect(bounded.submit(marketOrder('B-3'))).rejects.toThrow(/query model is 11 journal records behind \(at most 10\)/);
    expect(journal.lastSeq).toBe(seqBefore);
    expect(live.orderIdFor('FLOW-1', 'B-3')).toBeUndefined();
    // What is already working still moves: the venue's fill and the client's cancel.
    const child = sent.map((s) => s.message).find((m): m is ChildOrderRouted => m.type === 'ChildOrderRouted' && m.parentOrderId === filling.orderId)!;
    await bounded.report(wholeFill(child, 'E-B1'));
    await bounded.amend({ type: 'OrderCancelRequested', orderId: cancelled.orderId, requestedBy: 'trader', source: 'test' });
    await bounded.idle();
    expect(live.get(filling.orderId)).toMatchObject({ status: 'FILLED' });
    expect(live.get(cancelled.orderId)?.status).toMatch(/PENDING_CANCEL|CANCELED/);
    lag.records = 10;
    expect(await bounded.submit(marketOrder('B-3'))).toMatchObject({ created: true });
  });

  it('halts when the journal is closed under it: nothing of the turn is acknowledged or sent, and later inputs are refused', async () => {
    await journal.close();
    await expect(flow.submit(marketOrder('A-4'))).rejects.toThrow(/journal failed/);
    expect(sent).toHaveLength(0);
    expect(flow.failure).toBeDefined();
    await expect(flow.submit(marketOrder('A-5'))).rejects.toThrow(/journal failed/);
  });
});
