import { describe, expect, it } from 'vitest';
import { parsePrice } from '../money/price.js';
import { nextAmendmentStep } from './amendment.js';
import type { ChildOrder, ChildOrderStatus } from './child-order.js';
import { applyOrderEvent, createOrder, type OrderEvent } from './lifecycle.js';
import type { Order } from './order.js';
import { decideRemainder } from './remainder.js';
import { applyEvents } from './test-support/apply-events.js';

const at = new Date('2026-03-02T14:30:00Z');
const px = (text: string) => parsePrice(text)!;

const apply = (order: Order, ...events: OrderEvent[]): Order => applyEvents(order, events, at);

const working = () =>
  apply(
    createOrder(
      'P1',
      { clientOrderId: 'C', accountId: 'A', symbol: 'AAPL', side: 'BUY', orderType: 'LIMIT', quantity: 500, limitPrice: px('150'), timeInForce: 'DAY' },
      at,
    ),
    { type: 'Accepted' },
  );
const fill = (quantity: number, execId: string): OrderEvent => ({
  type: 'Filled',
  fill: { execId, orderId: 'P1', childOrderId: 'K1', venue: 'XNYS', quantity, price: px('149.99'), occurredAt: at },
});

function child(id: string, status: ChildOrderStatus, cancelRequested = false): ChildOrder {
  return {
    childOrderId: id,
    parentOrderId: 'P1',
    venue: 'XNYS',
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'LIMIT',
    quantity: 100,
    limitPrice: px('150'),
    timeInForce: 'DAY',
    routeAttempt: 1,
    status,
    cancelRequested,
    filledQuantity: 0,
    leavesQuantity: status === 'NEW' ? 100 : 0,
    createdAt: at,
    updatedAt: at,
  };
}

describe('replace of a parent order', () => {
  it('keeps the new terms pending, then applies them with leaves recomputed from the fills so far', () => {
    const pending = apply(working(), fill(100, 'E1'), { type: 'ReplaceRequested', terms: { quantity: 300, limitPrice: px('151') } });
    expect(pending).toMatchObject({ status: 'PENDING_REPLACE', quantity: 500, pendingReplace: { quantity: 300, limitPrice: px('151') } });
    const replaced = apply(pending, fill(50, 'E2'), { type: 'Replaced' });
    expect(replaced).toMatchObject({
      status: 'PARTIALLY_FILLED',
      quantity: 300,
      limitPrice: px('151'),
      filledQuantity: 150,
      leavesQuantity: 150,
      pendingReplace: null,
    });
  });

  it('refuses new terms that leave nothing to trade or break the price rule, before and after fills', () => {
    const partly = apply(working(), fill(200, 'E1'));
    for (const terms of [
      { quantity: 200, limitPrice: px('150') },
      { quantity: 400, limitPrice: null },
      { quantity: 0, limitPrice: px('150') },
    ]) {
      const result = applyOrderEvent(partly, { type: 'ReplaceRequested', terms }, at);
      expect(result.ok ? 'applied' : result.error.code).toBe('INVALID_REPLACE');
    }
    // Requested at 300; 100 more filled while the children were being canceled: 300 no longer leaves anything.
    const raced = apply(partly, { type: 'ReplaceRequested', terms: { quantity: 300, limitPrice: px('150') } }, fill(100, 'E2'));
    const result = applyOrderEvent(raced, { type: 'Replaced' }, at);
    expect(result.ok ? 'applied' : result.error.code).toBe('INVALID_REPLACE');
    expect(apply(raced, { type: 'ReplaceRejected', reason: 'filled meanwhile' })).toMatchObject({
      status: 'PARTIALLY_FILLED',
      quantity: 500,
      pendingReplace: null,
    });
  });

  it('ends FILLED when a fill for the whole order races the replace', () => {
    const pending = apply(working(), { type: 'ReplaceRequested', terms: { quantity: 800, limitPrice: px('150') } });
    expect(apply(pending, fill(500, 'E1'))).toMatchObject({ status: 'FILLED', filledQuantity: 500, leavesQuantity: 0 });
  });
});

describe('nextAmendmentStep', () => {
  const pendingCancel = () => apply(working(), { type: 'CancelRequested' });

  it('cancels each live child once, and completes only when none is live and no route is in flight', () => {
    const children = [child('K1', 'NEW'), child('K2', 'NEW', true), child('K3', 'FILLED')];
    expect(nextAmendmentStep(pendingCancel(), children, false)).toEqual({ cancelChildren: [children[0]], complete: null });
    expect(nextAmendmentStep(pendingCancel(), [child('K2', 'CANCELED'), child('K3', 'FILLED')], true)).toEqual({ cancelChildren: [], complete: null });
    expect(nextAmendmentStep(pendingCancel(), [child('K2', 'CANCELED'), child('K3', 'FILLED')], false)).toEqual({ cancelChildren: [], complete: 'CANCEL' });
    const pendingReplace = apply(working(), { type: 'ReplaceRequested', terms: { quantity: 400, limitPrice: px('150') } });
    expect(nextAmendmentStep(pendingReplace, [], false).complete).toBe('REPLACE');
  });

  it('does nothing for an order without a pending cancel or replace, and the remainder waits while one is pending', () => {
    expect(nextAmendmentStep(working(), [child('K1', 'NEW')], false)).toEqual({ cancelChildren: [], complete: null });
    expect(decideRemainder(pendingCancel(), [child('K1', 'CANCELED')], 1, null)).toEqual({ kind: 'wait' });
  });
});
