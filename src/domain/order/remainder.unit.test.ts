import { describe, expect, it } from 'vitest';
import { parsePrice } from '../money/price.js';
import type { ChildOrder, ChildOrderStatus } from './child-order.js';
import type { Order } from './order.js';
import { decideRemainder, MAX_ROUTE_ATTEMPTS } from './remainder.js';

const at = new Date('2026-01-02T15:00:00Z');

function parent(overrides: Partial<Order> = {}): Order {
  return {
    orderId: 'p1',
    clientOrderId: 'c1',
    accountId: 'A',
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'LIMIT',
    quantity: 100,
    limitPrice: parsePrice('150')!,
    timeInForce: 'DAY',
    status: 'PARTIALLY_FILLED',
    filledQuantity: 40,
    leavesQuantity: 60,
    filledNotional: 0n as Order['filledNotional'],
    avgPrice: null,
    rejectReason: null,
    version: 3,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

function child(status: ChildOrderStatus, leavesQuantity = 0, routeAttempt = 1, venue = 'XNYS'): ChildOrder {
  return {
    childOrderId: `k-${status}-${venue}`,
    parentOrderId: 'p1',
    venue,
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'LIMIT',
    quantity: 60,
    limitPrice: parsePrice('150')!,
    timeInForce: 'IOC',
    routeAttempt,
    status,
    filledQuantity: 0,
    leavesQuantity,
    createdAt: at,
    updatedAt: at,
  };
}

describe('decideRemainder', () => {
  it('waits while live children hold the whole remainder', () => {
    expect(decideRemainder(parent(), [child('NEW', 60), child('CANCELED')], 1, null)).toEqual({ kind: 'wait' });
  });

  it('routes only the part no live child holds', () => {
    expect(decideRemainder(parent(), [child('NEW', 45), child('CANCELED')], 1, null)).toEqual({ kind: 'reroute', quantity: 15, attempt: 2, excludeVenues: [] });
  });

  it('lets live IOC children finish before canceling the remainder', () => {
    expect(decideRemainder(parent({ timeInForce: 'IOC' }), [child('SENT', 30)], 1, null)).toEqual({ kind: 'wait' });
  });

  it('waits for nothing once the parent is done', () => {
    expect(decideRemainder(parent({ status: 'FILLED', leavesQuantity: 0, filledQuantity: 100 }), [], 1, null)).toEqual({ kind: 'wait' });
  });

  it('routes the remainder of a DAY limit again, then gives up after the last attempt', () => {
    expect(decideRemainder(parent(), [child('CANCELED')], 1, 'venue canceled')).toEqual({ kind: 'reroute', quantity: 60, attempt: 2, excludeVenues: [] });
    const last = decideRemainder(parent(), [child('CANCELED')], MAX_ROUTE_ATTEMPTS, 'venue canceled');
    expect(last).toEqual({ kind: 'cancel', reason: `remainder canceled after ${MAX_ROUTE_ATTEMPTS} routing attempts: venue canceled` });
  });

  it('routes what IOC and MARKET children left again while the last route placed children, then cancels', () => {
    expect(decideRemainder(parent({ timeInForce: 'IOC' }), [child('CANCELED')], 1, null)).toEqual({
      kind: 'reroute',
      quantity: 60,
      attempt: 2,
      excludeVenues: [],
    });
    expect(decideRemainder(parent({ orderType: 'MARKET', limitPrice: null }), [child('EXPIRED', 0, 1)], 2, null)).toEqual({
      kind: 'cancel',
      reason: 'MARKET remainder canceled: no venue could take the order',
    });
    const exhausted = decideRemainder(parent({ timeInForce: 'IOC' }), [child('CANCELED', 0, MAX_ROUTE_ATTEMPTS)], MAX_ROUTE_ATTEMPTS, null);
    expect(exhausted).toEqual({ kind: 'cancel', reason: 'IOC remainder canceled: no venue could take the order' });
  });

  it('never routes a FOK twice', () => {
    expect(decideRemainder(parent({ timeInForce: 'FOK', filledQuantity: 0, leavesQuantity: 100 }), [], 1, 'no single venue').kind).toBe('cancel');
    expect(decideRemainder(parent({ timeInForce: 'FOK', filledQuantity: 0, leavesQuantity: 100 }), [child('CANCELED')], 1, null).kind).toBe('cancel');
  });

  it('leaves the venues that rejected a child out of the next route', () => {
    const children = [child('REJECTED', 0, 1, 'XNAS'), child('CANCELED', 0, 1, 'XNYS'), child('REJECTED', 0, 1, 'BATS')];
    expect(decideRemainder(parent({ timeInForce: 'IOC' }), children, 1, 'halted')).toEqual({
      kind: 'reroute',
      quantity: 60,
      attempt: 2,
      excludeVenues: ['BATS', 'XNAS'],
    });
  });

  it('rejects an order that never traded when every child was rejected and no retry is left', () => {
    const untouched = parent({ filledQuantity: 0, leavesQuantity: 100, status: 'NEW', timeInForce: 'IOC' });
    expect(decideRemainder(untouched, [child('REJECTED', 0, MAX_ROUTE_ATTEMPTS)], MAX_ROUTE_ATTEMPTS, 'unknown symbol')).toEqual({
      kind: 'reject',
      reason: 'unknown symbol',
    });
    const exhausted = parent({ filledQuantity: 0, leavesQuantity: 100, status: 'NEW' });
    expect(decideRemainder(exhausted, [child('REJECTED')], MAX_ROUTE_ATTEMPTS, 'halted')).toEqual({ kind: 'reject', reason: 'halted' });
    expect(decideRemainder(parent({ filledQuantity: 0, leavesQuantity: 100, status: 'NEW' }), [child('REJECTED')], 1, 'x').kind).toBe('reroute');
  });
});
