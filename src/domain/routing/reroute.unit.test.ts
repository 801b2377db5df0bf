import { describe, expect, it } from 'vitest';
import { onParentTerms, rerouteRemainder } from './reroute.js';
import { lit, market, order, summary } from './test-support/books.js';

const book = market(lit('A', { asks: [['10.00', 100]] }), lit('B', { asks: [['10.01', 100]] }), lit('C', { asks: [['10.02', 500]] }));

describe('re-routing a remainder', () => {
  it('re-routes a rejected child`s shares, leaving out the venue that rejected', () => {
    // 300 ordered, 50 filled: 250 left. Without A: B 100 @10.01, C 150 @10.02 (passing B, taken: ISO).
    const plan = rerouteRemainder(order('BUY', 300, '10.02'), 50, ['A'], book, { attempt: 1 });
    expect(summary(plan)).toEqual(['B:100@10.01:IOC', 'C:150@10.02:IOC:ISO']);
  });

  it('re-routes an IOC child`s unfilled part against the fresh market', () => {
    const fresh = market(lit('A', { asks: [['10.00', 40]] }), lit('C', { asks: [['10.02', 500]] }));
    expect(summary(rerouteRemainder(order('BUY', 300, '10.02'), 200, [], fresh, { attempt: 2 }))).toEqual(['A:40@10:IOC', 'C:60@10.02:IOC:ISO']);
  });

  it('keeps a DAY parent`s TIF: the rest rests; a FOK stays FOK', () => {
    expect(summary(rerouteRemainder(order('BUY', 300, '9.50', 'DAY'), 0, ['B'], book, { attempt: 1 }))).toEqual(['A:300@9.5:DAY:POST']);
    // Without A, only C shows 300, but at 10.02 it would pass B's protected 10.01: refused.
    expect(rerouteRemainder(order('BUY', 300, null, 'FOK'), 0, ['A'], book, { attempt: 1 }).reason).toMatch(/without trading through/);
    expect(summary(rerouteRemainder(order('BUY', 300, null, 'FOK'), 0, ['A', 'B'], book, { attempt: 1 }))).toEqual(['C:300@10.02:FOK']);
  });

  it('stops after the allowed attempts and when nothing is left', () => {
    const spent = rerouteRemainder(order('BUY', 300, '10.02'), 50, ['A'], book, { attempt: 4 });
    expect([spent.children, spent.unroutedQuantity, spent.reason]).toEqual([[], 250, 'no re-route left after 3 attempts']);
    expect(rerouteRemainder(order('BUY', 300, '10.02'), 50, [], book, { attempt: 2, maxAttempts: 1 }).children).toEqual([]);
    expect(rerouteRemainder(order('BUY', 300, '10.02'), 300, [], book, { attempt: 1 })).toMatchObject({ children: [], unroutedQuantity: 0 });
  });

  it('routes with a chosen strategy', () => {
    expect(rerouteRemainder(order('SELL', 100, null), 0, [], market(lit('A', { bids: [['9.00', 100]] })), { attempt: 1, strategy: 'SPRAY' }).strategy).toBe(
      'SPRAY',
    );
  });

  it('sends the last route on the parent`s own terms: its limit (or MARKET), and a DAY parent`s TIF so the rest rests', () => {
    const day = order('BUY', 300, '10.05', 'DAY');
    const swept = rerouteRemainder(day, 0, [], book, { attempt: 3 });
    expect(summary(swept)).toEqual(['A:100@10:IOC', 'B:100@10.01:IOC:ISO', 'C:100@10.02:IOC:ISO']);
    // Not intermarket sweeps any more: at the parent's limit they may pass quotes no sibling takes.
    expect(summary(onParentTerms(swept, day))).toEqual(['A:100@10.05:DAY', 'B:100@10.05:DAY', 'C:100@10.05:DAY']);
    const marketIoc = { ...order('SELL', 100, null), orderType: 'MARKET' as const };
    const plan = onParentTerms(
      {
        strategy: 'SWEEP',
        unroutedQuantity: 0,
        children: [{ venue: 'A', quantity: 100, orderType: 'LIMIT', limitPrice: null, timeInForce: 'IOC', purpose: 'TAKE', intermarketSweep: false }],
      },
      marketIoc,
    );
    expect(plan.children[0]).toMatchObject({ orderType: 'MARKET', limitPrice: null, timeInForce: 'IOC' });
  });
});
