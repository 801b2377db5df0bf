import type { Price } from '../domain/money/price.js';
import type { VenueQuote } from '../domain/routing/types.js';
import type { MarketView, VenueProfile } from '../domain/routing/venue-book.js';

/** The latest market as the router and risk see it: top of book per venue and a reference price. */
export interface MarketDataView {
  /** Top of book per lit venue (dark pools display no quote). */
  quotes(symbol: string): readonly VenueQuote[];
  referencePrice(symbol: string): Price | null;
  /** Every venue's profile (kind, fees, protection) and depth; dark pools have empty books. */
  marketView(symbol: string): MarketView;
  /** A venue's kind, fees and protection, whatever the symbol. */
  venueProfile(name: string): VenueProfile | undefined;
}
