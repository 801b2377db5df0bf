import { describe, expect, it } from 'vitest';
import { parsePrice, type Price } from '../../domain/money/price.js';
import { consolidatedNbbo } from '../../domain/routing/venue-book.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../market/market-config.js';
import { SimulatedMarket } from '../market/simulated-market.js';
import { VenueMatchingEngine, type VenueOrder } from './venue-matching-engine.js';

const market = (seed = 3) => new SimulatedMarket({ seed, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(['XNYS', 'XNAS', 'XDRK']) });
const p = (text: string): Price => parsePrice(text)!;
let n = 0;
const order = (changes: Partial<VenueOrder>): VenueOrder => ({
  clOrdId: `D${++n}`,
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 100,
  limitPrice: p('200.00'),
  timeInForce: 'IOC',
  ...changes,
});
const mid = (m: SimulatedMarket): Price => {
  const nbbo = consolidatedNbbo(m.marketView('AAPL'));
  return ((nbbo.bid! + nbbo.ask!) / 2n) as Price;
};

/** Steps until the pool holds hidden sellers, so the tests do not depend on one seed's first draw. */
function withHiddenSellers(m: SimulatedMarket): number {
  for (let i = 0; i < 50; i++) {
    const shares = m.hiddenLiquidity('XDRK')!.available('AAPL', 'ask');
    if (shares > 0) return shares;
    m.step();
  }
  throw new Error('no hidden sellers in 50 steps');
}

describe('dark pool venue', () => {
  it('shows no quote and an empty book, with a dark, unprotected profile', () => {
    const m = market();
    expect(m.quotes('AAPL').map((q) => q.venue)).toEqual(['XNYS', 'XNAS']);
    const dark = m.marketView('AAPL').venues.find((v) => v.profile.name === 'XDRK')!;
    expect(dark).toMatchObject({ bids: [], asks: [], profile: { kind: 'DARK', protected: false, takerFee: p('0.0010') } });
    expect(m.venueProfile('XNYS')).toMatchObject({ kind: 'LIT', protected: true });
  });

  it('fills only at the lit NBBO midpoint, as a taker paying the pool fee, and cancels the rest', () => {
    const m = market();
    const hidden = withHiddenSellers(m);
    const reports = new VenueMatchingEngine('XDRK', m, 'T').submit(order({ quantity: hidden + 500 }));
    expect(reports.map((r) => r.execType)).toEqual(['NEW', 'TRADE', 'CANCELED']);
    expect(reports[1]).toMatchObject({ lastQty: hidden, lastPx: mid(m), liquidity: 'TAKER', fee: BigInt(hidden) * p('0.0010') });
    expect(reports[2]).toMatchObject({ cumQty: hidden, leavesQty: 0, ordStatus: 'CANCELED' });
    expect(reports[2]!.text).toContain('dark orders never rest');
    expect(m.hiddenLiquidity('XDRK')!.available('AAPL', 'ask')).toBe(0);
  });

  it('does not trade when the midpoint is beyond the limit', () => {
    const m = market();
    withHiddenSellers(m);
    const below = (mid(m) - p('0.01')) as Price;
    const reports = new VenueMatchingEngine('XDRK', m, 'T').submit(order({ limitPrice: below }));
    expect(reports.map((r) => r.execType)).toEqual(['NEW', 'CANCELED']);
    expect(reports[1]!.text).toContain('beyond the limit');
  });

  it('fills FOK wholly or not at all, and a DAY order never rests', () => {
    const m = market();
    const hidden = withHiddenSellers(m);
    const venue = new VenueMatchingEngine('XDRK', m, 'T');
    expect(venue.submit(order({ timeInForce: 'FOK', quantity: hidden + 100 })).map((r) => r.execType)).toEqual(['NEW', 'CANCELED']);
    expect(m.hiddenLiquidity('XDRK')!.available('AAPL', 'ask')).toBe(hidden);
    expect(venue.submit(order({ timeInForce: 'FOK', quantity: hidden })).at(-1)).toMatchObject({ ordStatus: 'FILLED', lastPx: mid(m) });
    const day = venue.submit(order({ timeInForce: 'DAY', quantity: 100 }));
    expect(day.at(-1)).toMatchObject({ ordStatus: 'CANCELED', leavesQty: 0 });
    m.step();
    expect(venue.onMarketStep()).toEqual([]);
  });

  it('sells into hidden buyers at the midpoint; a MARKET order takes the mid too', () => {
    const m = market();
    for (let i = 0; i < 50 && m.hiddenLiquidity('XDRK')!.available('AAPL', 'bid') === 0; i++) m.step();
    const buyers = m.hiddenLiquidity('XDRK')!.available('AAPL', 'bid');
    const reports = new VenueMatchingEngine('XDRK', m, 'T').submit(order({ side: 'SELL', orderType: 'MARKET', limitPrice: null, quantity: buyers }));
    expect(reports.at(-1)).toMatchObject({ ordStatus: 'FILLED', lastPx: mid(m), cumQty: buyers });
  });

  it('redraws hidden interest each step, reproducibly, and sometimes there is none', () => {
    const draws = (m: SimulatedMarket): number[] => Array.from({ length: 60 }, () => (m.step(), m.hiddenLiquidity('XDRK')!.available('MSFT', 'bid')));
    const a = draws(market(9));
    expect(draws(market(9))).toEqual(a);
    expect(a.some((s) => s === 0)).toBe(true);
    expect(a.some((s) => s > 0)).toBe(true);
    expect(a.every((s) => s % 100 === 0)).toBe(true);
  });
});
