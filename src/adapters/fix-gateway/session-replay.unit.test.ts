import { describe, expect, it } from 'vitest';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import { encodeMessage, fix44, MemoryStore, type OutgoingFix } from '../../fix/index.js';
import { reportsFor, trackOrder, type GatewayMessage } from './execution-reports.js';
import { replaySentMessages } from './session-replay.js';

const at = new Date('2026-12-03T10:00:00Z');
const snapshot = (version: number, fields: Partial<OrderSnapshot>): OrderSnapshot => ({
  orderId: 'O-1',
  clientOrderId: 'C1',
  accountId: 'ACC-1',
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 100,
  limitPrice: '150',
  timeInForce: 'DAY',
  status: 'NEW',
  filledQuantity: 0,
  leavesQuantity: 100,
  avgPrice: null,
  rejectReason: null,
  version,
  createdAt: at.toISOString(),
  updatedAt: at.toISOString(),
  ...fields,
});
const outgoing = (m: GatewayMessage): OutgoingFix => (m.kind === 'report' ? fix44.executionReport(m.report) : fix44.orderCancelReject(m.reject));

/** What a session sent, stored as the session stores it. */
function storeOf(messages: readonly GatewayMessage[]): MemoryStore {
  const store = new MemoryStore();
  messages.forEach((m, i) => {
    const message = outgoing(m);
    store.storeSent(
      i + 1,
      encodeMessage(
        { msgType: message.msgType, senderCompId: 'OMS', targetCompId: 'ALICE', seqNum: i + 1, sendingTime: '20261203-10:00:00.000' },
        message.body,
      ),
    );
  });
  return store;
}

describe('a gateway session rebuilt from its sent messages', () => {
  it('knows every ClOrdID of the chain, the order’s current one, a pending cancel, and what was reported', () => {
    const live = trackOrder('O-1', 'C1');
    const sent: GatewayMessage[] = [];
    sent.push(...reportsFor(live, snapshot(1, { status: 'NEW' }), [], at));
    live.pending = { kind: 'REPLACE', clOrdId: 'C2', origClOrdId: 'C1', quantity: 80, acknowledged: false };
    sent.push(...reportsFor(live, snapshot(2, { status: 'PENDING_REPLACE' }), [], at));
    sent.push(...reportsFor(live, snapshot(3, { status: 'NEW', quantity: 80, leavesQuantity: 80 }), [], at));
    sent.push(
      ...reportsFor(
        live,
        snapshot(4, { status: 'PARTIALLY_FILLED', quantity: 80, filledQuantity: 30, leavesQuantity: 50, avgPrice: '149.5' }),
        [{ quantity: 30, price: 14950000000n }],
        at,
      ),
    );
    live.pending = { kind: 'CANCEL', clOrdId: 'C3', origClOrdId: 'C2', acknowledged: false };
    sent.push(...reportsFor(live, snapshot(5, { status: 'PENDING_CANCEL', quantity: 80, filledQuantity: 30, leavesQuantity: 50, avgPrice: '149.5' }), [], at));

    const { orders, tracked } = replaySentMessages(storeOf(sent));
    expect(Object.fromEntries(orders)).toEqual({ C1: 'O-1', C2: 'O-1', C3: 'O-1' });
    const order = tracked.get('O-1')!;
    expect(order).toMatchObject({
      clOrdId: 'C2',
      reportedStatus: 'PENDING_CANCEL',
      reportedFilled: 30,
      reportedAvgPrice: '149.5',
      pending: { kind: 'CANCEL', clOrdId: 'C3', origClOrdId: 'C2', acknowledged: true },
    });

    // Carried on from there, the cancel ends as it would have without the restart.
    const end = reportsFor(order, snapshot(6, { status: 'CANCELED', quantity: 80, filledQuantity: 30, leavesQuantity: 0, avgPrice: '149.5' }), [], at);
    expect(end).toMatchObject([{ report: { execType: 'CANCELED', clOrdId: 'C3', origClOrdId: 'C2', cumQty: '30' } }]);
  });

  it('reports a fill committed but never sent once the order is read again', () => {
    const live = trackOrder('O-1', 'C1');
    const sent = reportsFor(live, snapshot(1, { status: 'NEW' }), [], at);
    const { tracked } = replaySentMessages(storeOf(sent));
    const missed = reportsFor(tracked.get('O-1')!, snapshot(3, { status: 'FILLED', filledQuantity: 100, leavesQuantity: 0, avgPrice: '150.01' }), [], at);
    expect(missed).toMatchObject([{ report: { execType: 'TRADE', ordStatus: 'FILLED', lastQty: '100', lastPx: '150.01', cumQty: '100' } }]);
  });
});
