import { describe, expect, it } from 'vitest';
import { parsePrice, type Price } from '../money/price.js';
import { ClaimedLiquidity } from './claimed-liquidity.js';
import type { MarketView, VenueBook } from './venue-book.js';

const px = (text: string): Price => parsePrice(text)!;
const book = (name: string, bids: [string, number][], asks: [string, number][]): VenueBook => ({
  profile: { name, kind: 'LIT', takerFee: px('0'), makerRebate: px('0'), protected: true },
  bids: bids.map(([price, size]) => ({ price: px(price), size })),
  asks: asks.map(([price, size]) => ({ price: px(price), size })),
});
const market: MarketView = {
  venues: [
    book(
      'XNYS',
      [
        ['99.99', 300],
        ['99.98', 500],
      ],
      [
        ['100.01', 200],
        ['100.02', 400],
      ],
    ),
    book('XNAS', [['99.99', 100]], [['100.01', 100]]),
  ],
};

describe('ClaimedLiquidity', () => {
  it('shows the market unchanged while nothing is claimed', () => {
    const claims = new ClaimedLiquidity();
    expect(claims.apply('ACME', market)).toBe(market);
    claims.claim('OTHER', [{ venue: 'XNYS', side: 'BUY', quantity: 100 }]);
    expect(claims.apply('ACME', market)).toBe(market);
  });

  it('takes what buyers claimed off the venue asks, best price first, and leaves its bids and other venues alone', () => {
    const claims = new ClaimedLiquidity();
    claims.claim('ACME', [{ venue: 'XNYS', side: 'BUY', quantity: 250 }]);
    const [nyse, nasdaq] = claims.apply('ACME', market).venues;
    expect(nyse!.asks).toEqual([{ price: px('100.02'), size: 350 }]);
    expect(nyse!.bids).toEqual(market.venues[0]!.bids);
    expect(nasdaq).toBe(market.venues[1]);
  });

  it('adds up claims, sellers from the bids, and removes a side of a venue once all of it is claimed', () => {
    const claims = new ClaimedLiquidity();
    claims.claim('ACME', [
      { venue: 'XNAS', side: 'SELL', quantity: 60 },
      { venue: 'XNAS', side: 'SELL_SHORT', quantity: 40 },
    ]);
    claims.claim('ACME', [{ venue: 'XNYS', side: 'SELL', quantity: 100 }]);
    const [nyse, nasdaq] = claims.apply('ACME', market).venues;
    expect(nasdaq!.bids).toEqual([]);
    expect(nasdaq!.asks).toEqual(market.venues[1]!.asks);
    expect(nyse!.bids).toEqual([
      { price: px('99.99'), size: 200 },
      { price: px('99.98'), size: 500 },
    ]);
  });

  it('ends the claims on a symbol with its step', () => {
    const claims = new ClaimedLiquidity();
    claims.claim('ACME', [{ venue: 'XNYS', side: 'BUY', quantity: 200 }]);
    claims.newStep('ACME');
    expect(claims.apply('ACME', market)).toBe(market);
  });
});
