import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { ChildCancelRequested, ChildExecutionType, ChildOrderRouted } from '../../domain/events/messages.js';
import { parsePrice } from '../../domain/money/price.js';
import { createOrder } from '../../domain/order/lifecycle.js';
import { MAX_ROUTE_ATTEMPTS } from '../../domain/order/remainder.js';
import { FileJournal } from '../../adapters/journal/file-journal.js';
import { decodeStateChanges } from '../../adapters/journal/state-changes-codec.js';
import type { Journal } from '../../ports/journal.js';
import type { VenueExecutionReport } from '../../ports/venue-gateway.js';
import { LiveOrders } from '../oms-core/live-orders.js';
import type { OrderFlow } from './order-flow.js';
import { orderFlowForTests } from './test-support/order-flow-for-tests.js';

/**
 * Venues that restart without their books answer "unknown order" (UNKNOWN_ORDER) for the children
 * the OMS asks about after the reconnect. The embedded order flow, with venues that record what
 * they are sent and a real journal.
 */
describe('OrderFlow when a venue loses its orders on restart', () => {
  let dir: string;
  let journal: Journal;
  let sent: ChildOrderRouted[];
  let flow: OrderFlow;
  let live: LiveOrders;
  let execs = 0;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'venue-restart-'));
    journal = await FileJournal.open({ dir });
    sent = [];
    live = new LiveOrders();
    const record = async (message: ChildOrderRouted | ChildCancelRequested) => void (message.type === 'ChildOrderRouted' && sent.push(message));
    flow = orderFlowForTests({ live, journal, venues: { sendNewOrder: record, sendCancel: record } });
  });

  afterEach(async () => {
    await journal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A passive GTC limit buy of 300 AAPL: it rests at the venues the router picks. */
  async function restingOrder(): Promise<string> {
    const request = {
      clientOrderId: uuidv7(),
      accountId: 'RESTART-1',
      symbol: 'AAPL',
      side: 'BUY' as const,
      orderType: 'LIMIT' as const,
      quantity: 300,
      limitPrice: parsePrice('145.00')!,
      timeInForce: 'GTC' as const,
    };
    const { order } = await flow.submit(createOrder(uuidv7(), request, new Date()));
    await flow.idle();
    return order.orderId;
  }

  async function venueSays(child: ChildOrderRouted, execType: ChildExecutionType, fields: Partial<VenueExecutionReport> = {}): Promise<void> {
    const report: VenueExecutionReport = {
      venue: child.venue,
      clOrdId: child.childOrderId,
      execId: `E-${++execs}`,
      execType,
      lastQty: 0,
      lastPx: null,
      cumQty: 0,
      leavesQty: execType === 'NEW' ? child.quantity : 0,
      text: null,
      transactTime: new Date().toISOString(),
      possibleDuplicate: false,
      ...fields,
    };
    await flow.report(report);
    await flow.idle();
  }

  /** The children the OMS believes working at the venues now, as it last sent them. */
  const working = (orderId: string): ChildOrderRouted[] =>
    live
      .childrenOf(orderId)
      .filter((c) => ['SENT', 'NEW', 'PARTIALLY_FILLED'].includes(c.status))
      .map((c) => sent.find((m) => m.childOrderId === c.childOrderId)!);

  /** Every venue restarts without its book: each working child is answered "unknown order". */
  async function venuesRestart(orderId: string): Promise<void> {
    for (const child of working(orderId)) await venueSays(child, 'UNKNOWN_ORDER', { text: 'unknown order' });
    for (const child of working(orderId)) await venueSays(child, 'NEW');
  }

  const history = (orderId: string) => [...journal.readFrom(0)].flatMap((r) => decodeStateChanges(r.data).history).filter((h) => h.orderId === orderId);

  it('re-places a GTC order lost by three venue restarts without spending a routing attempt, and it fills once', async () => {
    const orderId = await restingOrder();
    const first = working(orderId);
    expect(first.length).toBeGreaterThan(0);
    for (const child of first) await venueSays(child, 'NEW');

    for (let restart = 1; restart <= 3; restart++) {
      const before = working(orderId);
      await venuesRestart(orderId);
      const after = working(orderId);
      // The same slices at the same venues and prices, under new ClOrdIDs.
      expect(after.map(({ venue, quantity, limitPrice, timeInForce, attempt }) => ({ venue, quantity, limitPrice, timeInForce, attempt }))).toEqual(
        before.map(({ venue, quantity, limitPrice, timeInForce, attempt }) => ({ venue, quantity, limitPrice, timeInForce, attempt })),
      );
      expect(after.some((c) => before.some((b) => b.childOrderId === c.childOrderId))).toBe(false);
      expect(live.get(orderId)).toMatchObject({ status: 'NEW', filledQuantity: 0, leavesQuantity: 300 });
      expect(live.orders.get(orderId)!.routing).toEqual({ requested: 1, decided: 1 });
    }
    const restated = history(orderId).filter((h) => h.eventType === 'Restated');
    expect(restated).toHaveLength(3 * first.length);
    expect(restated[0]!.detail).toMatchObject({ venue: first[0]!.venue, lostChildOrderId: first[0]!.childOrderId, quantity: first[0]!.quantity });
    expect(String(restated[0]!.detail.reason)).toMatch(/lost the order on restart/);

    for (const child of working(orderId)) await venueSays(child, 'TRADE', { lastQty: child.quantity, lastPx: '145', cumQty: child.quantity, leavesQty: 0 });
    expect(live.get(orderId)).toMatchObject({ status: 'FILLED', filledQuantity: 300, leavesQuantity: 0 });
  });

  it('keeps the fills a lost child reported and re-places only what it left', async () => {
    const orderId = await restingOrder();
    for (const child of working(orderId)) await venueSays(child, 'NEW');
    const [partly] = working(orderId);
    await venueSays(partly!, 'TRADE', { lastQty: 100, lastPx: '145', cumQty: 100, leavesQty: partly!.quantity - 100 });
    // The venue's answer for an order it lost carries no quantities.
    await venueSays(partly!, 'UNKNOWN_ORDER', { text: 'unknown order' });
    const replacement = working(orderId).find((c) => c.venue === partly!.venue && c.childOrderId !== partly!.childOrderId);
    expect(replacement).toMatchObject({ quantity: partly!.quantity - 100, attempt: partly!.attempt });
    expect(live.orders.get(orderId)!.routing.requested).toBe(1);
    expect(live.get(orderId)).toMatchObject({ status: 'PARTIALLY_FILLED', filledQuantity: 100, leavesQuantity: 200 });

    for (const child of working(orderId)) await venueSays(child, 'TRADE', { lastQty: child.quantity, lastPx: '145', cumQty: child.quantity, leavesQty: 0 });
    expect(live.get(orderId)).toMatchObject({ status: 'FILLED', filledQuantity: 300, leavesQuantity: 0 });
    const fills = [...journal.readFrom(0)].flatMap((r) => decodeStateChanges(r.data).fills).filter((f) => f.orderId === orderId);
    expect(fills.reduce((sum, f) => sum + f.quantity, 0)).toBe(300);
  });

  it('still ends an order after three routing attempts when venues reject it, losses not counted', async () => {
    const orderId = await restingOrder();
    for (const child of working(orderId)) await venueSays(child, 'NEW');
    for (let restart = 1; restart <= 3; restart++) await venuesRestart(orderId);
    expect(live.get(orderId)).toMatchObject({ status: 'NEW' });

    // Now the venues refuse every new order: each refusal is a routing failure.
    for (let round = 0; round < 5 && working(orderId).length > 0; round++) {
      for (const child of working(orderId)) await venueSays(child, 'REJECTED', { text: 'venue halted' });
    }
    // CANCELED, not REJECTED: the venues did take the order before they lost it.
    expect(live.get(orderId)).toMatchObject({ status: 'CANCELED', rejectReason: expect.stringContaining(`after ${MAX_ROUTE_ATTEMPTS} routing attempts`) });
    expect(live.orders.get(orderId)!.routing.requested).toBe(MAX_ROUTE_ATTEMPTS);
  });
});
