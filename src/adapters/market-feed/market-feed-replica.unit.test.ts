import { describe, expect, it } from 'vitest';
import { DEFAULT_SYMBOLS, simulatedVenues, toVenueProfile } from '../../simulation/market/market-config.js';
import { marketSnapshot } from '../../simulation/market/market-snapshot.js';
import { SimulatedMarket } from '../../simulation/market/simulated-market.js';
import { MarketFeedReplica } from './market-feed-replica.js';

const venues = simulatedVenues(['XNYS', 'XNAS', 'BATS', 'DARKX']);
const newMarket = () => new SimulatedMarket({ seed: 7, symbols: DEFAULT_SYMBOLS, venues });

describe('MarketFeedReplica', () => {
  it('sees from snapshots the same depth, quotes and reference price as the simulated market', () => {
    const market = newMarket();
    market.step();
    const replica = new MarketFeedReplica(venues.map(toVenueProfile));
    for (const symbol of market.symbols()) replica.apply(marketSnapshot(market, symbol, new Date()));
    for (const symbol of market.symbols()) {
      expect(replica.marketView(symbol)).toEqual(market.marketView(symbol));
      expect(replica.quotes(symbol)).toEqual(market.quotes(symbol));
      expect(replica.referencePrice(symbol)).toBe(market.referencePrice(symbol));
    }
    expect(replica.venueProfile('DARKX')?.kind).toBe('DARK');
  });

  it('keeps the newer snapshot when an older one arrives after it', () => {
    const market = newMarket();
    const replica = new MarketFeedReplica(venues.map(toVenueProfile));
    const older = marketSnapshot(market, 'AAPL', new Date('2026-01-01T10:00:00.000Z'));
    for (let i = 0; i < 50; i++) market.step();
    const newer = marketSnapshot(market, 'AAPL', new Date('2026-01-01T10:00:05.000Z'));
    const seen: string[] = [];
    replica.onSnapshot((symbol) => seen.push(symbol));
    replica.apply(newer);
    replica.apply(older);
    expect(replica.marketView('AAPL')).toEqual(market.marketView('AAPL'));
    expect(seen).toEqual(['AAPL']);
  });

  it('hands out the same view of a symbol until its next snapshot', () => {
    const market = newMarket();
    const replica = new MarketFeedReplica(venues.map(toVenueProfile));
    replica.apply(marketSnapshot(market, 'AAPL', new Date('2026-01-01T10:00:00.000Z')));
    const first = replica.marketView('AAPL');
    expect(replica.marketView('AAPL')).toBe(first);
    for (let i = 0; i < 50; i++) market.step();
    replica.apply(marketSnapshot(market, 'AAPL', new Date('2026-01-01T10:00:01.000Z')));
    const next = replica.marketView('AAPL');
    expect(next).not.toBe(first);
    expect(next).toEqual(market.marketView('AAPL'));
  });

  it('knows nothing of a symbol before its first snapshot', () => {
    const replica = new MarketFeedReplica(venues.map(toVenueProfile));
    expect(replica.referencePrice('AAPL')).toBeNull();
    expect(replica.quotes('AAPL')).toEqual(
      venues.filter((v) => v.kind === 'LIT').map((v) => ({ venue: v.name, bidPrice: null, bidSize: 0, askPrice: null, askSize: 0 })),
    );
  });
});

describe('SimulatedMarket.load (a broker simulator following the feed)', () => {
  it('takes the published books and fair price, so its venues match against what the router saw', () => {
    const source = newMarket();
    for (let i = 0; i < 30; i++) source.step();
    const follower = newMarket();
    for (const symbol of source.symbols()) follower.load(marketSnapshot(source, symbol, new Date()));
    for (const symbol of source.symbols()) {
      expect(follower.marketView(symbol)).toEqual(source.marketView(symbol));
      expect(follower.referencePrice(symbol)).toBe(source.referencePrice(symbol));
    }
  });
});
