import { describe, expect, it } from 'vitest';
import { formatDecimal, parsePrice, type Price } from '../domain/money/price.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from './market/market-config.js';
import { SimulatedMarket } from './market/simulated-market.js';
import { VenueMatchingEngine, type VenueExecution, type VenueOrder } from './venue/venue-matching-engine.js';

const market = (seed = 7) => new SimulatedMarket({ seed, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(['XNYS', 'XNAS']) });
const p = (text: string): Price => parsePrice(text)!;
let n = 0;
const order = (changes: Partial<VenueOrder>): VenueOrder => ({
  clOrdId: `K${++n}`,
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 100,
  limitPrice: p('150.00'),
  timeInForce: 'IOC',
  ...changes,
});

describe('simulated market', () => {
  it('is reproducible from its seed and moves', () => {
    const a = market(11);
    const b = market(11);
    const start = a.referencePrice('AAPL');
    for (let i = 0; i < 200; i++) {
      a.step();
      b.step();
    }
    expect(a.quotes('AAPL')).toEqual(b.quotes('AAPL'));
    expect(a.referencePrice('AAPL')).not.toBe(start);
  });

  it('quotes several levels per venue, never crossed within a venue, and venues differ', () => {
    const m = market();
    for (let i = 0; i < 50; i++) m.step();
    for (const venue of m.venues()) {
      const book = m.book(venue, 'MSFT')!;
      expect(book.levels('bid').length).toBeGreaterThanOrEqual(5);
      expect(book.best('bid')!.price < book.best('ask')!.price).toBe(true);
    }
    const [x, y] = m.quotes('MSFT');
    expect([x!.bidPrice, x!.bidSize, x!.askSize]).not.toEqual([y!.bidPrice, y!.bidSize, y!.askSize]);
  });

  it("hands out a symbol's view again until a book of the symbol changes, and then a view of the new depth", () => {
    const m = market();
    const first = m.marketView('AAPL');
    expect(m.marketView('AAPL')).toBe(first);
    expect(m.marketView('MSFT')).not.toBe(first);

    const xnasBook = m.book('XNAS', 'AAPL')!;
    const best = xnasBook.best('ask')!;
    xnasBook.take('ask', best.price, 100);
    const after = m.marketView('AAPL');
    expect(after).not.toBe(first);
    const shown = (view: typeof first) => view.venues.find((v) => v.profile.name === 'XNAS')!.asks;
    expect(shown(after)).toEqual(xnasBook.levels('ask'));
    expect(shown(after)).not.toEqual(shown(first));
    expect(m.marketView('AAPL')).toBe(after);

    m.step();
    expect(m.marketView('AAPL').venues.map((v) => v.asks)).toEqual(m.venues().map((venue) => m.book(venue, 'AAPL')?.levels('ask') ?? []));
  });
});

describe('venue matching engine', () => {
  it('walks the levels best first, stops at the limit, and removes the liquidity taken', () => {
    const m = market();
    const venue = new VenueMatchingEngine('XNYS', m, 'T');
    const asks = m.book('XNYS', 'AAPL')!.levels('ask');
    const limit = asks[1]!.price;
    const wanted = asks[0]!.size + asks[1]!.size + 500;
    const reports = venue.submit(order({ quantity: wanted, limitPrice: limit }));
    expect(reports.map((r) => r.execType)).toEqual(['NEW', 'TRADE', 'TRADE', 'CANCELED']);
    expect(reports[1]).toMatchObject({ lastQty: asks[0]!.size, lastPx: asks[0]!.price });
    const last = reports.at(-1)!;
    expect(last).toMatchObject({ cumQty: asks[0]!.size + asks[1]!.size, leavesQty: 0, ordStatus: 'CANCELED' });
    const expectedAvg = (BigInt(asks[0]!.size) * asks[0]!.price + BigInt(asks[1]!.size) * asks[1]!.price) * 2n;
    const q = BigInt(last.cumQty);
    expect(last.avgPx).toBe((expectedAvg + q) / (2n * q));
    expect(m.book('XNYS', 'AAPL')!.best('ask')!.price > limit).toBe(true);
  });

  it('fills FOK wholly or not at all', () => {
    const m = market();
    const venue = new VenueMatchingEngine('XNAS', m, 'T');
    const best = m.book('XNAS', 'AAPL')!.best('ask')!;
    expect(venue.submit(order({ timeInForce: 'FOK', quantity: 1_000_000, limitPrice: best.price })).map((r) => r.execType)).toEqual(['NEW', 'CANCELED']);
    const filled = venue.submit(order({ timeInForce: 'FOK', quantity: best.size, limitPrice: best.price }));
    expect(filled.at(-1)).toMatchObject({ ordStatus: 'FILLED', cumQty: best.size });
  });

  it('fills a MARKET sell across bid levels', () => {
    const m = market();
    const venue = new VenueMatchingEngine('XNYS', m, 'T');
    const bids = m.book('XNYS', 'AAPL')!.levels('bid');
    const reports = venue.submit(order({ side: 'SELL', orderType: 'MARKET', limitPrice: null, quantity: bids[0]!.size + 1 }));
    expect(reports.filter((r) => r.execType === 'TRADE').map((r) => r.lastPx)).toEqual([bids[0]!.price, bids[1]!.price]);
    expect(reports.at(-1)).toMatchObject({ ordStatus: 'FILLED', leavesQty: 0 });
  });

  it('rests a DAY limit order and fills it as the queue ahead trades away', () => {
    const m = market();
    const venue = new VenueMatchingEngine('XNYS', m, 'T', () => 1000);
    const bid = m.book('XNYS', 'AAPL')!.best('bid')!;
    const reports = venue.submit(order({ timeInForce: 'DAY', limitPrice: bid.price, quantity: 200 }));
    expect(reports.map((r) => r.execType)).toEqual(['NEW']);
    const later: VenueExecution[] = [];
    for (let i = 0; i < 100 && !later.some((r) => r.ordStatus === 'FILLED'); i++) {
      m.step();
      later.push(...venue.onMarketStep());
    }
    expect(later.at(-1)).toMatchObject({ ordStatus: 'FILLED', cumQty: 200, leavesQty: 0 });
    expect(later.reduce((sum, r) => sum + r.lastQty, 0)).toBe(200);
  });

  it('rejects unknown symbols and duplicate ClOrdIDs, and never reuses an ExecID', () => {
    const m = market();
    const venue = new VenueMatchingEngine('XNYS', m, 'T');
    expect(venue.submit(order({ symbol: 'NOPE' }))[0]).toMatchObject({ execType: 'REJECTED', text: 'unknown symbol NOPE' });
    const first = order({ limitPrice: p('1.00'), timeInForce: 'DAY' });
    venue.submit(first);
    expect(venue.submit(first)[0]).toMatchObject({ execType: 'REJECTED' });
    expect(venue.cancel(first.clOrdId)[0]).toMatchObject({ execType: 'CANCELED', cumQty: 0 });
    const again = new VenueMatchingEngine('XNYS', m, 'U');
    const ids = [...venue.submit(order({})), ...again.submit(order({}))].map((r) => r.execId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(formatDecimal(m.referencePrice('AAPL')!)).toMatch(/^\d+(\.\d{1,2})?$/);
  });

  it('forgets the oldest done orders beyond the number it keeps, never a resting one', () => {
    const m = market();
    const venue = new VenueMatchingEngine('XNYS', m, 'T', () => 0, 2);
    const resting = order({ limitPrice: p('1.00'), timeInForce: 'DAY' });
    venue.submit(resting);
    // IOC orders far below the market: each is canceled at once, so done.
    const done = [1, 2, 3].map(() => order({ limitPrice: p('1.00') }));
    for (const o of done) expect(venue.submit(o).at(-1)).toMatchObject({ execType: 'CANCELED' });

    expect(venue.status(done[0]!.clOrdId)).toBeUndefined();
    expect(venue.status(done[1]!.clOrdId)).toMatchObject({ ordStatus: 'CANCELED' });
    expect(venue.status(done[2]!.clOrdId)).toMatchObject({ ordStatus: 'CANCELED' });
    // Still a duplicate while known; the resting order outlives any number of done ones.
    expect(venue.submit(done[2]!)[0]).toMatchObject({ execType: 'REJECTED', text: `duplicate ClOrdID ${done[2]!.clOrdId}` });
    for (let i = 0; i < 5; i++) venue.submit(order({ limitPrice: p('1.00') }));
    expect(venue.status(resting.clOrdId)).toMatchObject({ ordStatus: 'NEW', leavesQty: 100 });
    expect(venue.status(done[2]!.clOrdId)).toBeUndefined();
    expect(venue.cancel(resting.clOrdId)[0]).toMatchObject({ execType: 'CANCELED' });
  });

  it('puts a resting order back in a new engine (a restart) with its ids and fills, and an expired one answers EXPIRED', () => {
    const m = market();
    const before = new VenueMatchingEngine('XNYS', m, 'T', () => 1000);
    const bid = m.book('XNYS', 'AAPL')!.best('bid')!;
    const gtc = order({ timeInForce: 'GTC', limitPrice: bid.price, quantity: 200 });
    const [ack] = before.submit(gtc);
    const saved = before.restingOrder(gtc.clOrdId)!;
    const ioc = order({ limitPrice: p('1.00') });
    before.submit(ioc);
    expect(before.restingOrder(ioc.clOrdId)).toBeUndefined();

    const after = new VenueMatchingEngine('XNYS', m, 'U', () => 1000);
    after.restore(saved);
    expect(after.status(gtc.clOrdId)).toMatchObject({ orderId: ack!.orderId, ordStatus: 'NEW', leavesQty: 200 });
    const later: VenueExecution[] = [];
    for (let i = 0; i < 100 && !later.some((r) => r.ordStatus === 'FILLED'); i++) {
      m.step();
      later.push(...after.onMarketStep());
    }
    expect(later.at(-1)).toMatchObject({ orderId: ack!.orderId, ordStatus: 'FILLED', cumQty: 200 });
    expect(after.restingOrder(gtc.clOrdId)).toBeUndefined();

    const day = new VenueMatchingEngine('XNYS', m, 'V');
    day.restore({ ...saved, order: { ...saved.order, clOrdId: 'OLD-DAY', timeInForce: 'DAY' } }, { expired: true });
    expect(day.status('OLD-DAY')).toMatchObject({ ordStatus: 'EXPIRED', leavesQty: 0 });
    expect(day.onMarketStep()).toEqual([]);
  });
});
