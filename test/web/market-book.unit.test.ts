import { describe, expect, it } from 'vitest';
import type { MarketData } from '../../web/src/api/market-types.js';
import { consolidate } from '../../web/src/market/book.js';
import { percent, venueStats } from '../../web/src/quality/venue-stats.js';
import type { OrderDetails } from '../../web/src/api/types.js';

const market = (quotes: MarketData['quotes']): MarketData => ({ symbol: 'AAPL', referencePrice: '150.01', quotes });

/** The market view's ladder (web/src/market/book.ts) and the execution quality's per-venue figures. */
describe('consolidated book', () => {
  it('merges every venue’s top of book into one ladder, highest first, with the NBBO and its size across venues', () => {
    const book = consolidate(
      market([
        { venue: 'XNYS', bidPrice: '150', bidSize: 600, askPrice: '150.02', askSize: 600 },
        { venue: 'XNAS', bidPrice: '149.99', bidSize: 500, askPrice: '150.03', askSize: 900 },
        { venue: 'BATS', bidPrice: '150', bidSize: 300, askPrice: '150.02', askSize: 400 },
        { venue: 'EDGX', bidPrice: '149.98', bidSize: 2000, askPrice: '150.1', askSize: 2000 },
      ]),
    );
    expect(book.asks.map((l) => [l.venue, l.price, l.atBest])).toEqual([
      ['EDGX', '150.1', false],
      ['XNAS', '150.03', false],
      ['BATS', '150.02', true],
      ['XNYS', '150.02', true],
    ]);
    expect(book.bids.map((l) => [l.venue, l.price, l.atBest])).toEqual([
      ['BATS', '150', true],
      ['XNYS', '150', true],
      ['XNAS', '149.99', false],
      ['EDGX', '149.98', false],
    ]);
    expect(book.nbbo).toEqual({ bid: '150', ask: '150.02', bidSize: 900, askSize: 1000, spread: '0.02', mid: '150.01' });
  });

  it('compares prices as decimals, not as text: 150.1 is above 150.02', () => {
    const book = consolidate(market([
      { venue: 'A', bidPrice: '9.5', bidSize: 100, askPrice: '10.1', askSize: 100 },
      { venue: 'B', bidPrice: '10', bidSize: 100, askPrice: '10.02', askSize: 100 },
    ]));
    expect(book.nbbo.bid).toBe('10');
    expect(book.nbbo.ask).toBe('10.02');
    expect(book.nbbo.mid).toBe('10.01');
  });

  it('leaves out a side a venue does not show, and has no spread when the market is one-sided', () => {
    const book = consolidate(market([{ venue: 'XNYS', bidPrice: '150', bidSize: 100, askPrice: null, askSize: 0 }]));
    expect(book.asks).toEqual([]);
    expect(book.nbbo).toMatchObject({ bid: '150', ask: null, spread: null, mid: null });
  });
});

describe('execution quality per venue', () => {
  const child = (venue: string, quantity: number, filledQuantity: number) => ({ childOrderId: `${venue}-${quantity}`, venue, orderType: 'LIMIT', timeInForce: 'IOC', quantity, limitPrice: null, routeAttempt: 1, status: 'FILLED', filledQuantity, leavesQuantity: 0 });
  const order = (children: ReturnType<typeof child>[]) => ({ children }) as unknown as OrderDetails;

  it('sums each venue’s routed and filled shares over the orders’ children', () => {
    const stats = venueStats([order([child('BATS', 500, 500), child('XNYS', 200, 200)]), order([child('BATS', 300, 0), child('EDGX', 3, 1)])]);
    expect(stats).toEqual([
      { venue: 'BATS', childOrders: 2, routedQuantity: 800, filledQuantity: 500, fillRatePermille: 625 },
      { venue: 'EDGX', childOrders: 1, routedQuantity: 3, filledQuantity: 1, fillRatePermille: 333 },
      { venue: 'XNYS', childOrders: 1, routedQuantity: 200, filledQuantity: 200, fillRatePermille: 1000 },
    ]);
    expect(stats.map((s) => percent(s.fillRatePermille))).toEqual(['62.5%', '33.3%', '100.0%']);
  });
});
