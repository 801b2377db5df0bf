import { describe, expect, it } from 'vitest';
import { parsePrice } from '../money/price.js';
import type { ChildOrder } from './child-order.js';
import { replacementForLostChild } from './lost-child.js';
import type { Order } from './order.js';

const at = new Date('2026-01-02T15:00:00Z');
const later = new Date('2026-01-05T14:31:00Z');

function parent(overrides: Partial<Order> = {}): Order {
  return {
    orderId: 'p1',
    clientOrderId: 'c1',
    accountId: 'A',
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'LIMIT',
    quantity: 500,
    limitPrice: parsePrice('150')!,
    timeInForce: 'GTC',
    status: 'PARTIALLY_FILLED',
    filledQuantity: 100,
    leavesQuantity: 400,
    filledNotional: 0n as Order['filledNotional'],
    avgPrice: null,
    rejectReason: null,
    version: 5,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

function child(id: string, overrides: Partial<ChildOrder> = {}): ChildOrder {
  return {
    childOrderId: id,
    parentOrderId: 'p1',
    venue: 'XNYS',
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'LIMIT',
    quantity: 300,
    limitPrice: parsePrice('149.99')!,
    timeInForce: 'GTC',
    routeAttempt: 2,
    strategy: 'POST_PASSIVE',
    status: 'PARTIALLY_FILLED',
    filledQuantity: 100,
    leavesQuantity: 200,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

describe('replacementForLostChild', () => {
  it('re-places what the lost child left at the same venue, terms and routing attempt, under a new id', () => {
    const lost = child('k1');
    const replacement = replacementForLostChild(
      parent(),
      [lost, child('k2', { venue: 'XNAS', quantity: 200, filledQuantity: 0, status: 'NEW' })],
      lost,
      'k9',
      later,
    );
    expect(replacement).toEqual({
      ...lost,
      childOrderId: 'k9',
      quantity: 200,
      leavesQuantity: 200,
      filledQuantity: 0,
      status: 'ROUTED',
      cancelRequested: false,
      createdAt: later,
      updatedAt: later,
    });
  });

  it('never places more than the parent has unplaced', () => {
    const lost = child('k1');
    // A replace lowered the parent: 250 left, 100 of them at XNAS.
    const replacement = replacementForLostChild(
      parent({ leavesQuantity: 250 }),
      [lost, child('k2', { venue: 'XNAS', leavesQuantity: 100, status: 'NEW' })],
      lost,
      'k9',
      later,
    );
    expect(replacement).toMatchObject({ quantity: 150, leavesQuantity: 150 });
  });

  it('re-places nothing while the parent is leaving the market, or for a child already being canceled or final', () => {
    const lost = child('k1');
    expect(replacementForLostChild(parent({ status: 'PENDING_CANCEL' }), [lost], lost, 'k9', later)).toBeUndefined();
    expect(replacementForLostChild(parent({ status: 'PENDING_REPLACE' }), [lost], lost, 'k9', later)).toBeUndefined();
    const cancelling = child('k1', { cancelRequested: true });
    expect(replacementForLostChild(parent(), [cancelling], cancelling, 'k9', later)).toBeUndefined();
    const filled = child('k1', { status: 'FILLED', filledQuantity: 300, leavesQuantity: 0 });
    expect(replacementForLostChild(parent(), [filled], filled, 'k9', later)).toBeUndefined();
  });
});
