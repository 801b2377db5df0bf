import { describe, expect, it } from 'vitest';
import { parsePrice } from '../money/price.js';
import type { ChildOrder, ChildOrderStatus } from './child-order.js';
import type { Order } from './order.js';
import { decideRemainder, MAX_ROUTE_ATTEMPTS } from './remainder.js';

const at = new Date('2026-01-02T15:00:00Z');

function parent(overrides: Partial<Order> = {}): Order {
  return {
    orderId: 'p1', clientOrderId: 'c1', accountId: 'A', symbol: 'AAPL', side: 'BUY', orderType: 'LIMIT',
    quantity: 100, limitPrice: parsePrice('150')!, timeInForce: 'DAY', status: 'PARTIALLY_FILLED',
    filledQuantity: 40, leavesQuantity: 60, filledNotional: 0n as Order['filledNotional'], avgPrice: null,
    rejectReason: null, version: 3, createdAt: at, updatedAt: at, ...overrides,
  };
}

function child(status: ChildOrderStatus, leavesQuantity = 0): ChildOrder {
  return {
    childOrderId: `k-${status}`, parentOrderId: 'p1', venue: 'XNYS', symbol: 'AAPL', side: 'BUY', orderType: 'LIMIT',
    quantity: 60, limitPrice: parsePrice('150')!, timeInForce: 'IOC', routeAttempt: 1, status,
    filledQuantity: 0, leavesQuantity, createdAt: at, updatedAt: at,
  };
}

describe('decideRemainder', () => {
  it('waits while live children hold the whole remainder', () => {
    expect(decideRemainder(parent(), [child('NEW', 60), child('CANCELED')], 1, null)).toEqual({ kind: 'wait' });
  });

  it('routes only the part no live child holds', () => {
    expect(decideRemainder(parent(), [child('NEW', 45), child('CANCELED')], 1, null)).toEqual({ kind: 'reroute', quantity: 15, attempt: 2 });
  });

  it('lets live IOC children finish before canceling the remainder', () => {
    expect(decideRemainder(parent({ timeInForce: 'IOC' }), [child('SENT', 30)], 1, null)).toEqual({ kind: 'wait' });
  });

  it('waits for nothing once the parent is done', () => {
    expect(decideRemainder(parent({ status: 'FILLED', leavesQuantity: 0, filledQuantity: 100 }), [], 1, null)).toEqual({ kind: 'wait' });
  });

  it('routes the remainder of a DAY limit again, then gives up after the last attempt', () => {
    expect(decideRemainder(parent(), [child('CANCELED')], 1, 'venue canceled')).toEqual({ kind: 'reroute', quantity: 60, attempt: 2 });
    const last = decideRemainder(parent(), [child('CANCELED')], MAX_ROUTE_ATTEMPTS, 'venue canceled');
    expect(last).toEqual({ kind: 'cancel', reason: `remainder canceled after ${MAX_ROUTE_ATTEMPTS} routing attempts: venue canceled` });
  });

  it('cancels the remainder of IOC, FOK and MARKET orders at once', () => {
    expect(decideRemainder(parent({ timeInForce: 'IOC' }), [child('CANCELED')], 1, null).kind).toBe('cancel');
    expect(decideRemainder(parent({ timeInForce: 'FOK', filledQuantity: 0, leavesQuantity: 100 }), [], 1, 'no single venue').kind).toBe('cancel');
    expect(decideRemainder(parent({ orderType: 'MARKET', limitPrice: null }), [child('EXPIRED')], 1, null)).toEqual({
      kind: 'cancel',
      reason: 'MARKET remainder canceled: no venue could take the order',
    });
  });

  it('rejects an order that never traded when every child was rejected and no retry is left', () => {
    const untouched = parent({ filledQuantity: 0, leavesQuantity: 100, status: 'NEW', timeInForce: 'IOC' });
    expect(decideRemainder(untouched, [child('REJECTED')], 1, 'unknown symbol')).toEqual({ kind: 'reject', reason: 'unknown symbol' });
    const exhausted = parent({ filledQuantity: 0, leavesQuantity: 100, status: 'NEW' });
    expect(decideRemainder(exhausted, [child('REJECTED')], MAX_ROUTE_ATTEMPTS, 'halted')).toEqual({ kind: 'reject', reason: 'halted' });
    expect(decideRemainder(parent({ filledQuantity: 0, leavesQuantity: 100, status: 'NEW' }), [child('REJECTED')], 1, 'x').kind).toBe('reroute');
  });
});
