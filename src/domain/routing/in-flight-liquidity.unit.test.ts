import { describe, expect, it } from 'vitest';
import { InFlightLiquidity } from './in-flight-liquidity.js';
import { lit, p as px } from './test-support/books.js';
import type { MarketView } from './venue-book.js';

const market: MarketView = {
  venues: [
    lit('XNYS', {
      bids: [['99.99', 300]],
      asks: [
        ['100.01', 200],
        ['100.02', 400],
      ],
    }),
    lit('XNAS', { bids: [['99.99', 100]], asks: [['100.01', 100]] }),
  ],
};
const at = (ms: number): Date => new Date(1_800_000_000_000 + ms);

describe('InFlightLiquidity', () => {
  it("takes a child's shares off its venue's book until the venue answers it, then shows the book as displayed", () => {
    const inFlight = new InFlightLiquidity();
    inFlight.claim(
      'ACME',
      [
        { childOrderId: 'c1', venue: 'XNYS', side: 'BUY', quantity: 250 },
        { childOrderId: 'c2', venue: 'XNAS', side: 'SELL', quantity: 100 },
      ],
      at(0),
    );
    const [nyse, nasdaq] = inFlight.apply('ACME', market, at(1)).venues;
    expect(nyse!.asks).toEqual([{ price: px('100.02'), size: 350 }]);
    expect(nasdaq!.bids).toEqual([]);
    expect(inFlight.apply('OTHER', market, at(1))).toBe(market);

    inFlight.release('c1');
    const [nyseAfter, nasdaqAfter] = inFlight.apply('ACME', market, at(2)).venues;
    expect(nyseAfter).toBe(market.venues[0]);
    expect(nasdaqAfter!.bids).toEqual([]);
    inFlight.release('c2');
    inFlight.release('c2'); // a second report of the same child changes nothing
    expect(inFlight.apply('ACME', market, at(3))).toBe(market);
    expect(inFlight.size).toBe(0);
  });

  it('counts a child once however often it is claimed', () => {
    const inFlight = new InFlightLiquidity();
    const child = { childOrderId: 'c1', venue: 'XNYS', side: 'BUY' as const, quantity: 100 };
    inFlight.claim('ACME', [child], at(0));
    inFlight.claim('ACME', [child], at(1));
    expect(inFlight.apply('ACME', market, at(2)).venues[0]!.asks).toEqual([
      { price: px('100.01'), size: 100 },
      { price: px('100.02'), size: 400 },
    ]);
  });

  it('drops a claim whose child had no answer for maxAgeMs, and keeps the younger ones', () => {
    const inFlight = new InFlightLiquidity(1_000);
    inFlight.claim('ACME', [{ childOrderId: 'old', venue: 'XNYS', side: 'BUY', quantity: 200 }], at(0));
    inFlight.claim('ACME', [{ childOrderId: 'young', venue: 'XNAS', side: 'BUY', quantity: 100 }], at(600));
    const [nyse, nasdaq] = inFlight.apply('ACME', market, at(1_000)).venues;
    expect(nyse).toBe(market.venues[0]);
    expect(nasdaq!.asks).toEqual([]);
    expect(inFlight.size).toBe(1);
    expect(inFlight.apply('ACME', market, at(1_600))).toBe(market);
  });
});
