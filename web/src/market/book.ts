import type { MarketData } from '../api/market-types.js';
import { compareDecimals, decimal, formatDecimal, half, subtract, type Scaled } from '../lib/decimal.js';

export type BookSide = 'bid' | 'ask';

/** One venue's displayed price on one side: a rung of the consolidated ladder. */
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
 * Every venue's top of book merged into one ladder, each rung naming its venue, with the NBBO:
 * the best bid and offer across venues. Prices are compared as exact decimals, never as floats.
 */
export function consolidate(market: MarketData): ConsolidatedBook {
  const side = (pick: (q: MarketData['quotes'][number]) => [string | null, number]): Priced[] =>
    market.quotes.flatMap((q) => {
      const [price, size] = pick(q);
      return price === null || size <= 0 ? [] : [{ venue: q.venue, price, value: decimal(price), size }];
    });
  // Both highest first; ties by venue so the ladder does not reorder between polls.
  const order = (a: Priced, b: Priced): number => compareDecimals(b.value, a.value) || a.venue.localeCompare(b.venue);
  const bids = side((q) => [q.bidPrice, q.bidSize]).sort(order);
  const asks = side((q) => [q.askPrice, q.askSize]).sort(order);
  const bestBid = bids[0];
  const bestAsk = asks.at(-1);
  const level = (s: BookSide, best: Priced | undefined) => (p: Priced): Level => ({ side: s, venue: p.venue, price: p.price, size: p.size, atBest: best !== undefined && p.value === best.value });
  const sizeAt = (levels: Priced[], best: Priced | undefined): number => levels.filter((p) => p.value === best?.value).reduce((n, p) => n + p.size, 0);
  const twoSided = bestBid && bestAsk;
  return {
    asks: asks.map(level('ask', bestAsk)),
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
