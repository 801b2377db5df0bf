import { describe, expect, it } from 'vitest';
import { formatDecimal } from '../money/price.js';
import { dark, lit, market, p } from './test-support/books.js';
import { consolidatedNbbo, marketState, midpointLimit, takeableLevels, withoutVenues } from './venue-book.js';

describe('venue book and NBBO', () => {
  it('reads levels best first, skipping empty ones, whatever the input order', () => {
    const book = lit('A', {
      asks: [
        ['10.02', 100],
        ['10.00', 0],
        ['10.01', 50],
      ],
      bids: [
        ['9.98', 10],
        ['9.99', 20],
      ],
    });
    expect(takeableLevels(book, true).map((l) => formatDecimal(l.price))).toEqual(['10.01', '10.02']);
    expect(takeableLevels(book, false).map((l) => formatDecimal(l.price))).toEqual(['9.99', '9.98']);
  });

  it('builds the NBBO from protected lit tops only: a zero-size top, a dark pool and a manual quote do not count', () => {
    const nbbo = consolidatedNbbo(
      market(
        lit('A', { bids: [['10.00', 100]], asks: [['10.02', 100]] }),
        lit('B', {
          bids: [
            ['10.01', 0],
            ['9.99', 300],
          ],
          asks: [['10.03', 200]],
        }),
        lit('M', { bids: [['10.05', 100]], asks: [['10.01', 100]], protected: false }),
        dark('D'),
      ),
    );
    expect([nbbo.bid, nbbo.ask, nbbo.mid]).toEqual([p('10.00'), p('10.02'), p('10.01')]);
    expect(nbbo.state).toBe('NORMAL');
    expect(nbbo.protectedBids.map((q) => `${q.venue}:${formatDecimal(q.price)}x${q.size}`)).toEqual(['A:10x100', 'B:9.99x300']);
    expect(nbbo.protectedAsks.map((q) => q.venue)).toEqual(['A', 'B']);
  });

  it('detects locked, crossed, one-sided and empty markets', () => {
    expect(marketState(p('10.00'), p('10.00'))).toBe('LOCKED');
    expect(marketState(p('10.05'), p('10.04'))).toBe('CROSSED');
    expect(marketState(p('10.00'), null)).toBe('ONE_SIDED');
    expect(marketState(null, null)).toBe('EMPTY');
    const locked = consolidatedNbbo(market(lit('A', { bids: [['10.00', 100]] }), lit('B', { asks: [['10.00', 100]] })));
    expect(locked.state).toBe('LOCKED');
  });

  it('gives a midpoint limit, rounding half a unit in the order`s favour, none when crossed', () => {
    const nbboOf = (bid: string, ask: string) => consolidatedNbbo(market(lit('A', { bids: [[bid, 1]] }), lit('B', { asks: [[ask, 1]] })));
    // (10.00 + 10.02) / 2 = 10.01
    expect(midpointLimit(nbboOf('10.00', '10.02'), true)).toBe(p('10.01'));
    // (10 + 10.00000001) / 2 = 10.000000005: a buyer's limit rounds down, a seller's up.
    expect(midpointLimit(nbboOf('10.00', '10.00000001'), true)).toBe(p('10.00'));
    expect(midpointLimit(nbboOf('10.00', '10.00000001'), false)).toBe(p('10.00000001'));
    // Locked: the midpoint is the locked price.
    expect(midpointLimit(nbboOf('10.00', '10.00'), false)).toBe(p('10.00'));
    expect(midpointLimit(nbboOf('10.05', '10.04'), true)).toBeNull();
    expect(midpointLimit(consolidatedNbbo(market(lit('A', { bids: [['10.00', 1]] }))), true)).toBeNull();
  });

  it('drops venues from the market', () => {
    expect(withoutVenues(market(lit('A'), lit('B')), new Set(['A'])).venues.map((v) => v.profile.name)).toEqual(['B']);
  });
});
