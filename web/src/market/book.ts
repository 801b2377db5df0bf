import type { MarketData } from '../api/market-types.js';
import { compareDecimals, decimal, formatDecimal, half, subtract, type Scaled } from '../lib/decimal.js';

export type BookSide = 'bid' | 'ask';

/** The rungs shown per side: the levels nearest the touch, across venues. */
export const LADDER_RUNGS = 12;

/** One venue's displayed size at one price: a rung of the consolidated ladder. */
export interface Level {
  readonly side: BookSide;
  readonly venue: string;
  /** As the API sent it: what the page shows. */
  readonly price: string;
  readonly size: number;
  /** At the national best on its side. */
  readonly atBest: boolean;
}

export interface Nbbo {
  readonly bid: string | null;
  readonly ask: string | null;
  /** Shares displayed at the best price, across venues. */
  readonly bidSize: number;
  readonly askSize: number;
  /** Exact, from the decimal strings; null unless two-sided. */
  readonly spread: string | null;
  readonly mid: string | null;
}

export interface ConsolidatedBook {
  /** Highest price first, as a ladder reads from the top. */
  readonly asks: readonly Level[];
  readonly bids: readonly Level[];
  readonly nbbo: Nbbo;
}

interface Priced {
  readonly venue: string;
  readonly price: string;
  readonly value: Scaled;
  readonly size: number;
}

/**
 * Every venue's depth merged into one ladder, each rung naming its venue, with the NBBO: the best
 * bid and offer across venues. Prices are compared as exact decimals, never as floats.
 */
export function consolidate(market: MarketData, rungs = LADDER_RUNGS): ConsolidatedBook {
  const side = (pick: 'bids' | 'asks'): Priced[] =>
    market.depth.flatMap((venue) =>
      venue[pick].filter((l) => l.size > 0).map((l) => ({ venue: venue.venue, price: l.price, value: decimal(l.price), size: l.size })),
    );
  // Best first; ties by venue so the ladder does not reorder between polls.
  const byVenue = (a: Priced, b: Priced): number => a.venue.localeCompare(b.venue);
  const bids = side('bids')
    .sort((a, b) => compareDecimals(b.value, a.value) || byVenue(a, b))
    .slice(0, rungs);
  const asks = side('asks')
    .sort((a, b) => compareDecimals(a.value, b.value) || byVenue(a, b))
    .slice(0, rungs);
  const bestBid = bids[0];
  const bestAsk = asks[0];
  const level =
    (s: BookSide, best: Priced | undefined) =>
    (p: Priced): Level => ({ side: s, venue: p.venue, price: p.price, size: p.size, atBest: best !== undefined && p.value === best.value });
  const sizeAt = (levels: Priced[], best: Priced | undefined): number => levels.filter((p) => p.value === best?.value).reduce((n, p) => n + p.size, 0);
  const twoSided = bestBid && bestAsk;
  return {
    // The ladder reads from the top: offers highest first, down to the best.
    asks: asks.map(level('ask', bestAsk)).reverse(),
    bids: bids.map(level('bid', bestBid)),
    nbbo: {
      bid: bestBid?.price ?? null,
      ask: bestAsk?.price ?? null,
      bidSize: sizeAt(bids, bestBid),
      askSize: sizeAt(asks, bestAsk),
      spread: twoSided ? formatDecimal(subtract(bestAsk.value, bestBid.value)) : null,
      mid: twoSided ? formatDecimal(half((bestBid.value + bestAsk.value) as Scaled)) : null,
    },
  };
}
