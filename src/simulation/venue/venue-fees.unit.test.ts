import { describe, expect, it } from 'vitest';
import { parsePrice, type Price } from '../../domain/money/price.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../market/market-config.js';
import { SimulatedMarket } from '../market/simulated-market.js';
import { VenueMatchingEngine, type VenueExecution, type VenueOrder } from './venue-matching-engine.js';

const venues = ['XNYS', 'XNAS', 'BATS', 'IEXG', 'DARK1', 'ZZZZ'];
const market = () => new SimulatedMarket({ seed: 5, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(venues) });
const p = (text: string): Price => parsePrice(text)!;
let n = 0;
const order = (changes: Partial<VenueOrder>): VenueOrder => ({
  clOrdId: `F${++n}`,
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: 100,
  limitPrice: p('150.00'),
  timeInForce: 'IOC',
  ...changes,
});
const trades = (reports: readonly VenueExecution[]) => reports.filter((r) => r.execType === 'TRADE');

describe('venue profiles', () => {
  it('picks profiles by name, dark pools by DARK in the name, and rotates lit profiles for others', () => {
    const byName = new Map(simulatedVenues(venues).map((v) => [v.name, v]));
    expect(byName.get('XNYS')).toMatchObject({ kind: 'LIT', takerFee: p('0.003'), makerRebate: p('0.002'), protected: true });
    expect(byName.get('XNAS')).toMatchObject({ takerFee: p('0.003'), makerRebate: p('0.0025') });
    expect(byName.get('BATS')).toMatchObject({ takerFee: p('-0.0002'), makerRebate: p('-0.0003') });
    expect(byName.get('IEXG')).toMatchObject({ takerFee: p('0.0009'), makerRebate: 0n });
    expect(byName.get('DARK1')).toMatchObject({ kind: 'DARK', protected: false, levels: 0 });
    expect(byName.get('ZZZZ')).toMatchObject({ kind: 'LIT', halfSpreadTicks: 2, maxLotsPerLevel: 12 });
  });
});

describe('fills carry liquidity and fee', () => {
  it('charges a taker the taker fee, and pays one on an inverted venue', () => {
    const m = market();
    const nyse = trades(new VenueMatchingEngine('XNYS', m, 'T').submit(order({ orderType: 'MARKET', limitPrice: null, quantity: 300 })));
    expect(nyse.every((r) => r.liquidity === 'TAKER' && r.fee === BigInt(r.lastQty) * p('0.003'))).toBe(true);
    const bats = trades(new VenueMatchingEngine('BATS', m, 'T').submit(order({ orderType: 'MARKET', limitPrice: null, quantity: 100 })));
    expect(bats[0]).toMatchObject({ liquidity: 'TAKER', fee: -100n * p('0.0002') });
  });

  it('pays a resting order the maker rebate when it fills later', () => {
    const m = market();
    const venue = new VenueMatchingEngine('XNAS', m, 'T', () => 1000);
    const bid = m.book('XNAS', 'AAPL')!.best('bid')!;
    expect(venue.submit(order({ timeInForce: 'DAY', limitPrice: bid.price, quantity: 200 })).map((r) => r.execType)).toEqual(['NEW']);
    const later: VenueExecution[] = [];
    for (let i = 0; i < 100 && !later.some((r) => r.ordStatus === 'FILLED'); i++) {
      m.step();
      later.push(...venue.onMarketStep());
    }
    expect(trades(later).length).toBeGreaterThan(0);
    expect(trades(later).every((r) => r.liquidity === 'MAKER' && r.fee === -BigInt(r.lastQty) * p('0.0025'))).toBe(true);
  });

  it('fills an order posted inside the spread as others trade against it', () => {
    const m = market();
    const venue = new VenueMatchingEngine('XNAS', m, 'T', () => 100);
    const book = m.book('XNAS', 'AAPL')!;
    const inside = (book.best('bid')!.price + book.best('ask')!.price) / 2n;
    const posted = order({ timeInForce: 'DAY', limitPrice: inside as Price, quantity: 100 });
    expect(book.best('ask')!.price > inside && inside > book.best('bid')!.price).toBe(true);
    venue.submit(posted);
    const reports = venue.onMarketStep();
    expect(reports.at(-1)).toMatchObject({ ordStatus: 'FILLED', liquidity: 'MAKER' });
  });
});
