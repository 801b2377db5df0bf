import type { VenueQuality } from '../api/market-types.js';
import { decimal, formatDecimal, sum } from '../lib/decimal.js';

/** One venue's line of the per-venue table: the API's figures, prices per symbol written out. */
export interface VenueQualityRow {
  readonly venue: string;
  readonly fills: number;
  readonly filledQuantity: number;
  /** One symbol: its average price alone; several: each as `SYMBOL price`, joined. */
  readonly averagePrice: string;
  readonly slippageBps: string | null;
  readonly feesPaid: string;
}

/** The venues (in name order) and their total: shares and fees, summed exactly (fees are decimal strings). */
export function venueQualityRows(byVenue: Readonly<Record<string, VenueQuality>>): {
  rows: VenueQualityRow[];
  total: { fills: number; filledQuantity: number; feesPaid: string };
} {
  const venues = Object.entries(byVenue).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const rows = venues.map(([venue, q]) => {
    const prices = Object.entries(q.averagePriceBySymbol);
    return {
      venue,
      fills: q.fills,
      filledQuantity: q.filledQuantity,
      averagePrice: prices.length === 1 ? prices[0]![1] : prices.map(([symbol, price]) => `${symbol} ${price}`).join(' · '),
      slippageBps: q.slippageBps,
      feesPaid: q.feesPaid,
    };
  });
  return {
    rows,
    total: {
      fills: rows.reduce((n, r) => n + r.fills, 0),
      filledQuantity: rows.reduce((n, r) => n + r.filledQuantity, 0),
      feesPaid: formatDecimal(sum(rows.map((r) => decimal(r.feesPaid)))),
    },
  };
}
