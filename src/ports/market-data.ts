import type { Price } from '../domain/money/price.js';
import type { VenueQuote } from '../domain/routing/types.js';

/** The latest market as the router and risk see it: top of book per venue and a reference price. */
export interface MarketDataView {
  quotes(symbol: string): readonly VenueQuote[];
  referencePrice(symbol: string): Price | null;
}
