import { describe, expect, it } from 'vitest';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import { parseDecimal } from '../../domain/money/price.js';
import { decodeMessage, encodeMessage, fixTimestamp, MemoryStore, type Field } from '../../fix/index.js';
import { FixOrderGateway } from './fix-order-gateway.js';

const at = new Date('2026-12-03T10:00:00Z');
const snapshot = (version: number, fields: Partial<OrderSnapshot>): OrderSnapshot => ({
  orderId: 'O-1',
  clientOrderId: 'C1',
  accountId: 'ACC-1',
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'MARKET',
  quantity: 100,
  limitPrice: null,
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

/** A gateway with one drop copy session on ACC-1, never listening: what it would send is what its session stored. */
function gateway() {
  const store = new MemoryStore();
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const unused = () => Promise.reject(new Error('not in this test'));
  const instance = new FixOrderGateway({
    port: 0,
    host: '127.0.0.1',
    sessions: [],
    dropCopySessions: [{ clientCompId: 'DESK', gatewayCompId: 'OMS', accounts: ['ACC-1'] }],
    store: () => store,
    logger,
    now: () => at,
    ingest: { submit: unused },
    amendments: { requestCancel: unused, requestReplace: unused },
    orderStatus: async () => null,
  });
  const reports = () =>
    store
      .sentBetween(1, store.nextSenderSeqNum())
      .map((m) => decodeMessage(m.message))
      .filter((m) => m.msgType === '8');
  return { instance, reports };
}

describe('the FIX gateway fed by orders.status (distributed mode)', () => {
  it("reports each state's own fill as LastQty and LastPx, and nothing again for a state delivered twice", () => {
    const { instance, reports } = gateway();
    instance.onStatus(snapshot(1, { status: 'NEW' }));
    const partial = snapshot(2, { status: 'PARTIALLY_FILLED', filledQuantity: 40, leavesQuantity: 60, avgPrice: '150' });
    instance.onStatus(partial, { quantity: 40, price: parseDecimal('150')! });
    instance.onStatus(partial, { quantity: 40, price: parseDecimal('150')! }); // Kafka redelivers after a restart
    instance.onStatus(snapshot(3, { status: 'FILLED', filledQuantity: 100, leavesQuantity: 0, avgPrice: '149.994' }), {
      quantity: 60,
      price: parseDecimal('149.99')!,
    });
    expect(reports().map((m) => [m.get(150), m.get(32), m.get(31), m.get(14)])).toEqual([
      ['0', undefined, undefined, '0'],
      ['F', '40', '150', '40'],
      ['F', '60', '149.99', '100'],
    ]);
  });

  it('ignores a state older than one already reported (an earlier delivery arriving late)', () => {
    const { instance, reports } = gateway();
    instance.onStatus(snapshot(1, { status: 'NEW' }));
    instance.onStatus(snapshot(3, { status: 'FILLED', filledQuantity: 100, leavesQuantity: 0, avgPrice: '150' }), {
      quantity: 100,
      price: parseDecimal('150')!,
    });
    instance.onStatus(snapshot(2, { status: 'PARTIALLY_FILLED', filledQuantity: 40, leavesQuantity: 60, avgPrice: '150' }), {
      quantity: 40,
      price: parseDecimal('150')!,
    });
    expect(reports().map((m) => [m.get(150), m.get(39), m.get(32)])).toEqual([
      ['0', '0', undefined],
      ['F', '2', '100'],
    ]);
  });
});

describe('the FIX gateway at a new FIX day', () => {
  it('restates the working orders of a session whose daily reset passed while the process was down, in the new series; ended orders are not', async () => {
    const clock = { now: new Date('2026-12-02T09:00:00Z') };
    const store = new MemoryStore({ now: () => clock.now });
    // Yesterday's series: C1 acknowledged (still working), C2 filled.
    const sent = (seq: number, body: Field[]) =>
      store.storeSent(
        seq,
        encodeMessage({ msgType: '8', senderCompId: 'OMS', targetCompId: 'ALICE', seqNum: seq, sendingTime: fixTimestamp(clock.now) }, body),
      );
    const report = (orderId: string, clOrdId: string, execType: string, ordStatus: string, cumQty: string): Field[] => [
      [37, orderId],
      [11, clOrdId],
      [17, `${orderId}-${execType}`],
      [150, execType],
      [39, ordStatus],
      [1, 'ACC-1'],
      [55, 'AAPL'],
      [54, '1'],
      [38, '100'],
      [151, String(100 - Number(cumQty))],
      [14, cumQty],
      [6, cumQty === '0' ? '0' : '150'],
    ];
    sent(1, report('O-1', 'C1', '0', '0', '0'));
    sent(2, report('O-2', 'C2', '0', '0', '0'));
    sent(3, report('O-2', 'C2', 'F', '2', '100'));
    store.setNextSenderSeqNum(4);
    clock.now = new Date('2026-12-03T10:00:00Z');
    const working = snapshot(4, { orderType: 'LIMIT', limitPrice: '140', timeInForce: 'GTC', createdAt: '2026-12-02T09:00:00.000Z' });
    const unused = () => Promise.reject(new Error('not in this test'));
    const instance = new FixOrderGateway({
      port: 0,
      host: '127.0.0.1',
      sessions: [{ clientCompId: 'ALICE', gatewayCompId: 'OMS', accounts: ['ACC-1'] }],
      dropCopySessions: [],
      store: () => store,
      resetAtUtc: '00:00:00',
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      now: () => clock.now,
      ingest: { submit: unused },
      amendments: { requestCancel: unused, requestReplace: unused },
      orderStatus: async (orderId) => (orderId === 'O-1' ? working : null),
    });
    await instance.start();
    await instance.stop();
    const newSeries = store.sentBetween(1, store.nextSenderSeqNum()).map((m) => decodeMessage(m.message));
    expect(store.creationTime().toISOString()).toBe('2026-12-03T10:00:00.000Z');
    expect(newSeries.map((m) => [m.msgType, m.get(37), m.get(11), m.get(150), m.get(378), m.get(39), m.get(14), m.get(151), m.get(44)])).toEqual([
      ['8', 'O-1', 'C1', 'D', '1', '0', '0', '100', '140'],
    ]);
  });
});
