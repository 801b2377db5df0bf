import { describe, expect, it } from 'vitest';
import { orderProtectionViolations, quotesTradedThrough, tradesThrough } from './order-protection.js';
import { lit, market, p } from './test-support/books.js';
import type { ChildAllocation } from './types.js';
import { consolidatedNbbo } from './venue-book.js';

const child = (venue: string, quantity: number, limit: string | null): ChildAllocation => ({
  venue,
  quantity,
  orderType: limit === null ? 'MARKET' : 'LIMIT',
  limitPrice: limit === null ? null : p(limit),
  timeInForce: 'IOC',
});

// Protected tops: A 9.99 / 10.01 x100, B 9.98 / 10.02 x200. M (manual, unprotected) asks 10.00.
const nbbo = consolidatedNbbo(
  market(
    lit('A', { bids: [['9.99', 100]], asks: [['10.01', 100]] }),
    lit('B', { bids: [['9.98', 200]], asks: [['10.02', 200]] }),
    lit('M', { asks: [['10.00', 500]], protected: false }),
  ),
);

describe('Reg NMS order protection', () => {
  it('a buy limited above a better protected ask on another venue trades through it', () => {
    // B's child at 10.02 could fill at 10.02 while A shows 10.01.
    expect(quotesTradedThrough('BUY', child('B', 100, '10.02'), nbbo).map((q) => q.venue)).toEqual(['A']);
    // Same price is not a trade-through; neither is a venue's own quote.
    expect(tradesThrough('BUY', child('B', 100, '10.01'), nbbo)).toBe(false);
    expect(tradesThrough('BUY', child('A', 100, '10.05'), nbbo)).toBe(true); // through B's 10.02
    expect(tradesThrough('BUY', child('A', 100, '10.02'), nbbo)).toBe(false);
  });

  it('an unprotected quote may be traded through; a MARKET child passes every other protected quote', () => {
    expect(tradesThrough('BUY', child('A', 100, '10.01'), nbbo)).toBe(false); // M's 10.00 is not protected
    expect(quotesTradedThrough('BUY', child('M', 100, null), nbbo).map((q) => q.venue)).toEqual(['A', 'B']);
  });

  it('mirrors for sellers and short sellers: selling below a better protected bid trades through', () => {
    expect(tradesThrough('SELL', child('B', 100, '9.98'), nbbo)).toBe(true); // A bids 9.99
    expect(tradesThrough('SELL_SHORT', child('B', 100, '9.99'), nbbo)).toBe(false);
  });

  it('a plan may pass a protected quote only if a sibling takes its full size (intermarket sweep)', () => {
    expect(orderProtectionViolations('BUY', [child('A', 100, '10.01'), child('B', 300, '10.02')], nbbo)).toEqual([]);
    const partial = orderProtectionViolations('BUY', [child('A', 60, '10.01'), child('B', 300, '10.02')], nbbo);
    expect(partial.map((v) => `${v.child.venue} through ${v.quote.venue}`)).toEqual(['B through A']);
    // A sibling limited below the quote's price does not take it.
    expect(orderProtectionViolations('BUY', [child('A', 100, '10.00'), child('B', 300, '10.02')], nbbo)).toHaveLength(1);
  });
});
