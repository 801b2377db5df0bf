import { describe, expect, it } from 'vitest';
import { lit, market, order, summary } from '../test-support/books.js';
import { routePostPassive } from './post-passive.js';

describe('POST_PASSIVE (sweep, then rest the remainder)', () => {
  const book = market(
    lit('A', { bids: [['10.00', 100]], asks: [['10.01', 100]], takerFee: '0.003', makerRebate: '0.002' }),
    lit('B', { bids: [['10.00', 200]], asks: [['10.02', 100]], takerFee: '0.002', makerRebate: '0.003' }),
    lit('C', { bids: [['9.99', 100]], asks: [['10.03', 100]], makerRebate: '0.004' }),
  );

  it('takes what is marketable and rests the rest at the best rebate among the best bids', () => {
    // Within 10.01 only A's ask: 100. Best bid 10.00 at A (rebate .002) and B (.003): B. C pays more but bids lower.
    const plan = routePostPassive(order('BUY', 500, '10.01', 'DAY'), book, {});
    expect(summary(plan)).toEqual(['A:100@10.01:IOC', 'B:400@10.01:DAY:POST']);
    expect(plan.unroutedQuantity).toBe(0);
  });

  it('a seller rests at the best ask`s venue with its GTC', () => {
    // Within 10.00 both bids at 10.00: B (10.00-.002=9.998) before A (9.997); 300 taken, 200 rest. Best ask 10.01: A only.
    expect(summary(routePostPassive(order('SELL', 500, '10.00', 'GTC'), book, {}))).toEqual(['B:200@10:IOC', 'A:100@10:IOC', 'A:200@10:GTC:POST']);
  });

  it('with no same-side quote anywhere, rests at the best rebate', () => {
    const bare = market(lit('A', { makerRebate: '0.001' }), lit('B', { makerRebate: '0.0025' }));
    expect(summary(routePostPassive(order('BUY', 100, '9.00', 'DAY'), bare, {}))).toEqual(['B:100@9:DAY:POST']);
  });

  it('never rests an IOC or MARKET order', () => {
    const plan = routePostPassive(order('BUY', 500, '10.01', 'IOC'), book, {});
    expect(summary(plan)).toEqual(['A:100@10.01:IOC']);
    expect(plan.unroutedQuantity).toBe(400);
    expect(routePostPassive(order('BUY', 500, null, 'DAY'), book, {}).children.some((c) => c.purpose === 'POST')).toBe(false);
  });
});
