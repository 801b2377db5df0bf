import { describe, expect, it } from 'vitest';
import { lit, market, order, summary } from '../test-support/books.js';
import { apportion, routeSpray } from './spray.js';

const sizes = (...values: number[]) => values.map((size) => ({ size }));

describe('SPRAY (proportional to displayed size)', () => {
  const book = market(lit('A', { asks: [['10.00', 300]] }), lit('B', { asks: [['10.00', 100]] }), lit('C', { asks: [['10.01', 200]] }));

  it('splits the last price in proportion to displayed size, odd share to the larger venue', () => {
    // 250 over A 300 / B 100 at 10.00: 187.5 / 62.5; equal remainders, the larger venue A gets the share.
    expect(summary(routeSpray(order('BUY', 250, '10.01'), book, {}))).toEqual(['A:188@10:IOC', 'B:62@10:IOC']);
  });

  it('clears a better price in full before the next one, so nothing is traded through', () => {
    // 450: all 400 at 10.00, then 50 from C at 10.01 (passing A and B, both taken: ISO).
    expect(summary(routeSpray(order('BUY', 450, '10.01'), book, {}))).toEqual(['A:300@10:IOC', 'B:100@10:IOC', 'C:50@10.01:IOC:ISO']);
  });

  it('sells across the bids, stops at the limit and returns the rest', () => {
    const bids = market(
      lit('A', { bids: [['10.00', 150]] }),
      lit('B', {
        bids: [
          ['10.00', 50],
          ['9.95', 500],
        ],
      }),
    );
    const plan = routeSpray(order('SELL_SHORT', 300, '9.99', 'DAY'), bids, {});
    expect(summary(plan)).toEqual(['A:150@10:IOC', 'B:50@10:IOC']);
    expect(plan.reason).toBe('100 shares stay with the parent: no more displayed liquidity within the limit');
  });

  it('apportions exactly and deterministically, never above a venue`s size', () => {
    // 7 over 3/3/3: 2.33 each; one spare share, all remainders and sizes equal: the first venue.
    expect(apportion(7, sizes(3, 3, 3))).toEqual([3, 2, 2]);
    // 5 over 1/100: 0.0495 and 4.9505; the spare goes to the larger remainder (96/101 > 5/101).
    expect(apportion(5, sizes(1, 100))).toEqual([0, 5]);
    // Odd lots: 137 over 100/37/63 (200 total): 68.5, 25.345, 43.155 -> 68, 25, 43 and the spare to A (.5).
    expect(apportion(137, sizes(100, 37, 63))).toEqual([69, 25, 43]);
    expect(apportion(500, sizes(100, 37))).toEqual([100, 37]);
  });
});
