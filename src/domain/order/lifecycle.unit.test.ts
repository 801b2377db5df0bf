import { describe, expect, it } from 'vitest';
import { formatDecimal, parsePrice } from '../money/price.js';
import { ORDER_STATUSES } from './enums.js';
import { applyOrderEvent, createOrder, type OrderEvent } from './lifecycle.js';
import type { Fill, NewOrder, Order } from './order.js';
import { nextStatus, type Transition } from './state-machine.js';
import { applyEvents } from './test-support/apply-events.js';

const at = new Date('2026-03-02T14:30:00Z');
const request: NewOrder = {
  clientOrderId: 'C',
  accountId: 'A',
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 300,
  limitPrice: parsePrice('150')!,
  timeInForce: 'DAY',
};

function fill(quantity: number, price: string, execId = `E${quantity}${price}`): Fill {
  return { execId, orderId: 'o1', childOrderId: 'k1', venue: 'XNYS', quantity, price: parsePrice(price)!, occurredAt: at };
}

const apply = (order: Order, ...events: OrderEvent[]): Order => applyEvents(order, events, at);

const accepted = () => apply(createOrder('o1', request, at), { type: 'Accepted' });

describe('order lifecycle', () => {
  it('starts PENDING_NEW with everything left', () => {
    const order = createOrder('o1', request, at);
    expect(order).toMatchObject({ status: 'PENDING_NEW', filledQuantity: 0, leavesQuantity: 300, avgPrice: null, version: 1 });
  });

  it('moves through partial fills to FILLED with an exact average price', () => {
    const partly = apply(accepted(), { type: 'Filled', fill: fill(100, '150.01') });
    expect(partly).toMatchObject({ status: 'PARTIALLY_FILLED', filledQuantity: 100, leavesQuantity: 200 });
    const done = apply(partly, { type: 'Filled', fill: fill(200, '149.99') });
    expect(done).toMatchObject({ status: 'FILLED', filledQuantity: 300, leavesQuantity: 0, version: 4 });
    expect(formatDecimal(done.filledNotional)).toBe('44999');
    expect(formatDecimal(done.avgPrice!)).toBe('149.99666667');
  });

  it('refuses an overfill and a fill before acceptance', () => {
    const result = applyOrderEvent(accepted(), { type: 'Filled', fill: fill(301, '150') }, at);
    expect(result).toMatchObject({ ok: false, error: { code: 'OVERFILL' } });
    const early = applyOrderEvent(createOrder('o1', request, at), { type: 'Filled', fill: fill(1, '150') }, at);
    expect(early).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION', from: 'PENDING_NEW' } });
  });

  it('keeps the filled quantity when the rest is canceled', () => {
    const order = apply(accepted(), { type: 'Filled', fill: fill(100, '150') }, { type: 'Canceled', reason: 'IOC remainder' });
    expect(order).toMatchObject({ status: 'CANCELED', filledQuantity: 100, leavesQuantity: 0, rejectReason: 'IOC remainder' });
  });

  it('lets a fill complete an order with a cancel pending, and a cancel reject restore the status', () => {
    const pending = apply(accepted(), { type: 'Filled', fill: fill(100, '150') }, { type: 'CancelRequested' });
    expect(apply(pending, { type: 'Filled', fill: fill(50, '150', 'E2') }).status).toBe('PENDING_CANCEL');
    expect(apply(pending, { type: 'Filled', fill: fill(200, '150', 'E3') }).status).toBe('FILLED');
    expect(apply(pending, { type: 'CancelRejected', reason: 'too late' }).status).toBe('PARTIALLY_FILLED');
  });

  it('rejects only what has not traded', () => {
    expect(apply(createOrder('o1', request, at), { type: 'Rejected', reason: 'risk' })).toMatchObject({
      status: 'REJECTED',
      leavesQuantity: 0,
      rejectReason: 'risk',
    });
    const traded = apply(accepted(), { type: 'Filled', fill: fill(1, '150') });
    expect(applyOrderEvent(traded, { type: 'Rejected', reason: 'x' }, at)).toMatchObject({ ok: false, error: { code: 'REJECT_AFTER_FILL' } });
  });

  it('restates a working order without changing its status or quantities, and only a working one', () => {
    const partly = apply(accepted(), { type: 'Filled', fill: fill(100, '150.01') });
    const restated = apply(partly, { type: 'Restated', reason: 'XNYS lost the order on restart' });
    expect(restated).toMatchObject({ status: 'PARTIALLY_FILLED', filledQuantity: 100, leavesQuantity: 200, version: partly.version + 1 });
    const cancelling = apply(partly, { type: 'CancelRequested' });
    expect(applyOrderEvent(cancelling, { type: 'Restated', reason: 'x' }, at)).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
  });

  it('never leaves a final status', () => {
    const transitions: Transition[] = [
      'ACCEPT',
      'REJECT',
      'PARTIAL_FILL',
      'FILL',
      'CANCEL_REQUEST',
      'CANCEL',
      'CANCEL_REJECT',
      'REPLACE_REQUEST',
      'REPLACE',
      'REPLACE_REJECT',
      'EXPIRE',
      'DONE_FOR_DAY',
      'RESTATE',
    ];
    for (const from of ['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'REPLACED'] as const) {
      for (const t of transitions) expect(nextStatus(from, t, false)).toMatchObject({ code: 'INVALID_TRANSITION' });
    }
    expect(ORDER_STATUSES).toContain('PENDING_NEW');
  });
});
