import type { MarketSnapshot } from '../../domain/events/messages.js';
import { formatDecimal } from '../../domain/money/price.js';
import type { SimulatedMarket } from './simulated-market.js';

/** The market of one symbol as the marketdata-simulator publishes it: every lit venue's depth. */
export function marketSnapshot(market: SimulatedMarket, symbol: string, at: Date): MarketSnapshot {
  const reference = market.referencePrice(symbol);
  const venues = market.marketView(symbol).venues.filter((v) => v.profile.kind === 'LIT');
  return {
    type: 'MarketSnapshot',
    symbol,
    referencePrice: reference === null ? null : formatDecimal(reference),
    venues: venues.map((v) => ({
      venue: v.profile.name,
      bids: v.bids.map((l): [string, number] => [formatDecimal(l.price), l.size]),
      asks: v.asks.map((l): [string, number] => [formatDecimal(l.price), l.size]),
    })),
    timestamp: at.toISOString(),
  };
}
