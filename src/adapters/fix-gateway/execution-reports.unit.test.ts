import { describe, expect, it } from 'vitest';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import { parseDecimal } from '../../domain/money/price.js';
import { reportsFor, trackOrder, type GatewayMessage } from './execution-reports.js';

const at = new Date('2026-12-03T10:00:00Z');
let version = 0;
const snapshot = (fields: Partial<OrderSnapshot>): OrderSnapshot => ({
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
  version: ++version,
  createdAt: at.toISOString(),
  updatedAt: at.toISOString(),
  ...fields,
});
const summary = (messages: GatewayMessage[]) =>
  messages.map((m) =>
    m.kind === 'report'
      ? `8:${m.report.execType}:${m.report.ordStatus}:${m.report.clOrdId}:${m.report.cumQty}`
      : `9:${m.reject.responseTo}:${m.reject.clOrdId}:${m.reject.reason}`,
  );
const price = (text: string) => parseDecimal(text)!;

describe('committed order states as a client’s reports', () => {
  it('acknowledges, then reports each fill with LastQty, LastPx from the fills, CumQty and AvgPx', () => {
    const order = trackOrder('O-1', 'C1');
    expect(reportsFor(order, snapshot({ status: 'PENDING_NEW' }), [], at)).toEqual([]);
    expect(summary(reportsFor(order, snapshot({ status: 'NEW' }), [], at))).toEqual(['8:NEW:NEW:C1:0']);
    const partial = reportsFor(
      order,
      snapshot({ status: 'PARTIALLY_FILLED', filledQuantity: 40, leavesQuantity: 60, avgPrice: '150' }),
      [{ quantity: 40, price: price('150') }],
      at,
    );
    expect(partial).toMatchObject([
      { report: { execType: 'TRADE', ordStatus: 'PARTIALLY_FILLED', lastQty: '40', lastPx: '150', cumQty: '40', leavesQty: '60' } },
    ]);
    const fill = reportsFor(
      order,
      snapshot({ status: 'FILLED', filledQuantity: 100, leavesQuantity: 0, avgPrice: '149.994' }),
      [{ quantity: 60, price: price('149.99') }],
      at,
    );
    expect(fill).toMatchObject([
      { report: { execType: 'TRADE', ordStatus: 'FILLED', lastQty: '60', lastPx: '149.99', cumQty: '100', avgPx: '149.994', leavesQty: '0' } },
    ]);
  });

  it('a client cancel: PendingCancel, then Canceled under the cancel’s ClOrdID', () => {
    const order = trackOrder('O-1', 'C1');
    reportsFor(order, snapshot({ status: 'NEW' }), [], at);
    order.pending = { kind: 'CANCEL', clOrdId: 'C1-X', origClOrdId: 'C1', acknowledged: false };
    expect(summary(reportsFor(order, snapshot({ status: 'PENDING_CANCEL' }), [], at))).toEqual(['8:PENDING_CANCEL:PENDING_CANCEL:C1-X:0']);
    const done = reportsFor(order, snapshot({ status: 'CANCELED', leavesQuantity: 0 }), [], at);
    expect(done).toMatchObject([{ report: { execType: 'CANCELED', clOrdId: 'C1-X', origClOrdId: 'C1', leavesQty: '0' } }]);
    expect(order.pending).toBeUndefined();
  });

  it('a replace: Replaced with the new ClOrdID, which later reports carry; a refused one is an OrderCancelReject', () => {
    const order = trackOrder('O-1', 'C1');
    reportsFor(order, snapshot({ status: 'NEW' }), [], at);
    order.pending = { kind: 'REPLACE', clOrdId: 'C2', origClOrdId: 'C1', quantity: 50, acknowledged: false };
    reportsFor(order, snapshot({ status: 'PENDING_REPLACE' }), [], at);
    expect(summary(reportsFor(order, snapshot({ status: 'NEW', quantity: 50, leavesQuantity: 50 }), [], at))).toEqual(['8:REPLACED:NEW:C2:0']);
    expect(order.clOrdId).toBe('C2');
    order.pending = { kind: 'REPLACE', clOrdId: 'C3', origClOrdId: 'C2', quantity: 10, acknowledged: false };
    reportsFor(order, snapshot({ status: 'PENDING_REPLACE', quantity: 50 }), [], at);
    expect(summary(reportsFor(order, snapshot({ status: 'NEW', quantity: 50 }), [], at))).toEqual(['9:REPLACE:C3:99']);
  });

  it('a cancel the fill overtook: the fill, then an OrderCancelReject too late', () => {
    const order = trackOrder('O-1', 'C1');
    reportsFor(order, snapshot({ status: 'NEW' }), [], at);
    order.pending = { kind: 'CANCEL', clOrdId: 'C1-X', origClOrdId: 'C1', acknowledged: false };
    const messages = reportsFor(
      order,
      snapshot({ status: 'FILLED', filledQuantity: 100, leavesQuantity: 0, avgPrice: '150' }),
      [{ quantity: 100, price: price('150') }],
      at,
    );
    expect(summary(messages)).toEqual(['8:TRADE:FILLED:C1:100', '9:CANCEL:C1-X:0']);
  });

  it('a risk reject: ExecutionReport Rejected with OrdRejReason and the reason as Text', () => {
    const order = trackOrder('O-1', 'C1');
    const messages = reportsFor(order, snapshot({ status: 'REJECTED', leavesQuantity: 0, rejectReason: 'MAX_QUANTITY: 100 above 10' }), [], at);
    expect(messages).toMatchObject([{ report: { execType: 'REJECTED', ordStatus: 'REJECTED', ordRejReason: '3', text: 'MAX_QUANTITY: 100 above 10' } }]);
  });
});
