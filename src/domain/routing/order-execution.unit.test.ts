import { describe, expect, it } from 'vitest';
import { parsePrice, type Money, type Price } from '../money/price.js';
import type { ChildOrder } from '../order/child-order.js';
import type { Fill, Order } from '../order/order.js';
import { executionQuality } from './execution-quality.js';
import { feeOf, liquidityOf, orderExecution } from './order-execution.js';
import type { VenueProfile } from './venue-book.js';

const px = (text: string): Price => parsePrice(text)!;
const at = new Date('2026-11-25T14:00:00.000Z');
const XNYS: VenueProfile = { name: 'XNYS', kind: 'LIT', takerFee: px('0.003'), makerRebate: px('0.002'), protected: true };
const DARK: VenueProfile = { name: 'DARKX', kind: 'DARK', takerFee: px('0.001'), makerRebate: px('0'), protected: false };
const profiles = new Map([XNYS, DARK].map((p) => [p.name, p]));

const order: Order = {
  orderId: 'p',
  clientOrderId: 'c',
  accountId: 'A',
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 300,
  limitPrice: px('150.10'),
  timeInForce: 'DAY',
  status: 'FILLED',
  filledQuantity: 300,
  leavesQuantity: 0,
  filledNotional: 0n as Money,
  avgPrice: null,
  rejectReason: null,
  version: 5,
  createdAt: at,
  updatedAt: at,
};
const child = (id: string, venue: string, timeInForce: ChildOrder['timeInForce'], routeAttempt: number, nbbo: [string, string] | null): ChildOrder => ({
  childOrderId: id,
  parentOrderId: 'p',
  venue,
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 100,
  limitPrice: px('150.10'),
  timeInForce,
  routeAttempt,
  status: 'FILLED',
  filledQuantity: 100,
  leavesQuantity: 0,
  createdAt: at,
  updatedAt: at,
  ...(nbbo ? { nbboBid: px(nbbo[0]), nbboAsk: px(nbbo[1]) } : {}),
});
const fill = (childOrderId: string, venue: string, price: string, ms: number): Fill => ({
  execId: childOrderId,
  orderId: 'p',
  childOrderId,
  venue,
  quantity: 100,
  price: px(price),
  occurredAt: new Date(at.getTime() + ms),
});

describe('execution quality of a stored order', () => {
  it('classifies liquidity: IOC and dark fills take, DAY/GTC posts add', () => {
    expect(liquidityOf(child('a', 'XNYS', 'IOC', 1, null), XNYS)).toBe('TAKER');
    expect(liquidityOf(child('b', 'XNYS', 'DAY', 1, null), XNYS)).toBe('MAKER');
    expect(liquidityOf(child('c', 'DARKX', 'DAY', 1, null), DARK)).toBe('TAKER');
    expect(feeOf(100, 'TAKER', XNYS)).toBe(px('0.30'));
    expect(feeOf(100, 'MAKER', XNYS)).toBe(-px('0.20'));
  });

  it('takes the arrival NBBO from the first route and prices every fill with its fee', () => {
    const children = [
      child('a', 'DARKX', 'IOC', 1, ['149.98', '150.02']),
      child('b', 'XNYS', 'IOC', 2, ['150.00', '150.04']),
      child('c', 'XNYS', 'DAY', 3, ['150.00', '150.04']),
    ];
    const fills = [fill('a', 'DARKX', '150.00', 5), fill('b', 'XNYS', '150.02', 9), fill('c', 'XNYS', '150.01', 40)];
    const execution = orderExecution(order, children, fills, (v) => profiles.get(v));
    expect(execution.arrival).toEqual({ bid: px('149.98'), ask: px('150.02') });
    expect(execution.fills.map((f) => f.fee)).toEqual([px('0.10'), px('0.30'), -px('0.20')]);
    const quality = executionQuality(execution);
    // Paid 15000 + 15002 + 15001 = 45003 for 300 against a mid of 150.00: 3/45000 = 0.6667 bp.
    expect(quality.slippageBps).toBe(66666667n);
    expect(quality.feesPaid).toBe(px('0.20'));
    expect(quality.childCount).toBe(3);
    expect(quality.timeToFillMs).toBe(40);
  });
});
