import { describe, expect, it } from 'vitest';
import type { MarketData } from '../../web/src/api/market-types.js';
import { consolidate } from '../../web/src/market/book.js';
import { percent, venueStats } from '../../web/src/quality/venue-stats.js';
import type { OrderDetails } from '../../web/src/api/types.js';

type Side = [price: string, size: number][];

/** A market of the venues' depth (quotes: their tops, as the API sends both). */
const market = (depth: Record<string, { bids: Side; asks: Side }>): MarketData => {
  const levels = (side: Side) => side.map(([price, size]) => ({ price, size }));
  const venues = Object.entries(depth).map(([venue, d]) => ({ venue, bids: levels(d.bids), asks: levels(d.asks) }));
  return {
    symbol: 'AAPL',
    referencePrice: '150.01',
    depth: venues,
    quotes: venues.map((v) => ({
      venue: v.venue,
      bidPrice: v.bids[0]?.price ?? null,
      bidSize: v.bids[0]?.size ?? 0,
      askPrice: v.asks[0]?.price ?? null,
      askSize: v.asks[0]?.size ?? 0,
    })),
  };
};

const rungs = (levels: readonly { venue: string; price: string; size: number; atBest: boolean }[]) =>
  levels.map((l) => `${l.venue} ${l.size}@${l.price}${l.atBest ? ' *' : ''}`);

/** The market view's ladder (web/src/market/book.ts) and the execution quality's per-venue figures. */
describe('consolidated book', () => {
  it('merges every venue’s levels into one ladder read from the top, each rung naming its venue, with the NBBO and its size across venues', () => {
    const book = consolidate(
      market({
        XNYS: {
          bids: [
            ['150', 600],
            ['149.99', 800],
          ],
          asks: [
            ['150.02', 600],
            ['150.03', 900],
          ],
        },
        BATS: { bids: [['150', 300]], asks: [['150.02', 400]] },
        EDGX: { bids: [['149.98', 2000]], asks: [['150.1', 2000]] },
      }),
    );
    expect(rungs(book.asks)).toEqual(['EDGX 2000@150.1', 'XNYS 900@150.03', 'XNYS 600@150.02 *', 'BATS 400@150.02 *']);
    expect(rungs(book.bids)).toEqual(['BATS 300@150 *', 'XNYS 600@150 *', 'XNYS 800@149.99', 'EDGX 2000@149.98']);
    expect(book.nbbo).toEqual({ bid: '150', ask: '150.02', bidSize: 900, askSize: 1000, spread: '0.02', mid: '150.01' });
  });

  it('compares prices as decimals, not as text: 10.1 is above 10.02', () => {
    const book = consolidate(market({ A: { bids: [['9.5', 100]], asks: [['10.1', 100]] }, B: { bids: [['10', 100]], asks: [['10.02', 100]] } }));
    expect(book.nbbo).toMatchObject({ bid: '10', ask: '10.02', mid: '10.01' });
  });

  it('shows the rungs nearest the touch only', () => {
    const book = consolidate(
      market({
        A: {
          bids: [
            ['10', 1],
            ['9.99', 1],
            ['9.98', 1],
          ],
          asks: [
            ['10.01', 1],
            ['10.02', 1],
            ['10.03', 1],
          ],
        },
      }),
      2,
    );
    expect(rungs(book.asks)).toEqual(['A 1@10.02', 'A 1@10.01 *']);
    expect(rungs(book.bids)).toEqual(['A 1@10 *', 'A 1@9.99']);
  });

  it('has no spread when the market is one-sided, and leaves out empty levels', () => {
    const book = consolidate(
      market({
        XNYS: {
          bids: [
            ['150', 100],
            ['149.99', 0],
          ],
          asks: [],
        },
      }),
    );
    expect(book.asks).toEqual([]);
    expect(rungs(book.bids)).toEqual(['XNYS 100@150 *']);
    expect(book.nbbo).toMatchObject({ bid: '150', ask: null, spread: null, mid: null });
  });
});

describe('execution quality per venue', () => {
  const child = (venue: string, quantity: number, filledQuantity: number) => ({
    childOrderId: `${venue}-${quantity}`,
    venue,
    orderType: 'LIMIT',
    timeInForce: 'IOC',
    quantity,
    limitPrice: null,
    routeAttempt: 1,
    status: 'FILLED',
    filledQuantity,
    leavesQuantity: 0,
  });
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
