import { describe, expect, it } from 'vitest';
import { dark, lit, market, order, summary } from '../test-support/books.js';
import { routeDarkFirst } from './dark-first.js';

describe('DARK_FIRST (midpoint in the dark, then lit)', () => {
  const litVenues = [lit('A', { bids: [['10.00', 100]], asks: [['10.02', 300]] }), lit('B', { bids: [['9.99', 100]], asks: [['10.03', 500]] })];
  const book = market(...litVenues, dark('D1', '0.001'), dark('D2', '0.0005'));

  it('sends the whole size as a midpoint IOC to the cheapest dark pool and waits for its fill', () => {
    // NBBO 10.00 / 10.02, mid 10.01; D2's fee is lower.
    const plan = routeDarkFirst(order('BUY', 1000, '10.05'), book, {});
    expect(summary(plan)).toEqual(['D2:1000@10.01:IOC:DARK']);
    expect(plan.awaiting).toBe('DARK_FILL');
    expect(summary(routeDarkFirst(order('SELL', 1000, null, 'FOK'), book, {}))).toEqual(['D2:1000@10.01:FOK:DARK']);
  });

  it('routes the remainder lit once the dark fill is known', () => {
    // 600 filled in the dark: 400 left, swept 300 at A 10.02 and 100 at B 10.03 (ISO through A, taken).
    const plan = routeDarkFirst(order('BUY', 1000, '10.05'), book, { darkFill: 600 });
    expect(summary(plan)).toEqual(['A:300@10.02:IOC', 'B:100@10.03:IOC:ISO']);
    expect(plan.strategy).toBe('DARK_FIRST');
    expect(plan.awaiting).toBeUndefined();
    expect(routeDarkFirst(order('BUY', 1000, '10.05'), book, { darkFill: 1000 }).children).toEqual([]);
  });

  it('uses the locked price as the midpoint of a locked market', () => {
    const locked = market(lit('A', { bids: [['10.00', 100]] }), lit('B', { asks: [['10.00', 100]] }), dark('D'));
    expect(summary(routeDarkFirst(order('SELL', 500, '9.90'), locked, {}))).toEqual(['D:500@10:IOC:DARK']);
  });

  it('goes lit at once, saying why, when the midpoint cannot be used', () => {
    const crossed = market(lit('A', { bids: [['10.05', 100]] }), lit('B', { asks: [['10.04', 100]] }), dark('D'));
    const plan = routeDarkFirst(order('BUY', 100, '10.04'), crossed, {});
    expect([summary(plan), plan.reason]).toEqual([['B:100@10.04:IOC'], 'no usable NBBO midpoint (CROSSED): routed lit']);
    // Limit 10.005 is below the 10.01 mid: nothing marketable, a DAY order rests at A (best bid).
    const below = routeDarkFirst(order('BUY', 100, '10.005', 'DAY'), book, {});
    expect([summary(below), below.reason]).toEqual([['A:100@10.005:DAY:POST'], 'the NBBO midpoint is beyond the limit: routed lit']);
    expect(routeDarkFirst(order('BUY', 100, '10.05'), market(...litVenues), {}).reason).toBe('no dark pool: routed lit');
  });
});
