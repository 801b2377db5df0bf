import type { MarketSnapshot, VenueDepth } from '../../domain/events/messages.js';
import { parsePrice, type Price } from '../../domain/money/price.js';
import type { VenueQuote } from '../../domain/routing/types.js';
import type { MarketView, PriceLevel, VenueBook, VenueProfile } from '../../domain/routing/venue-book.js';
import type { MarketDataView } from '../../ports/market-data.js';

interface HeldMarket {
  readonly referencePrice: Price | null;
  readonly venues: MarketSnapshot['venues'];
  /**
   * The venues' levels parsed into a view on the first read (most snapshots are superseded before
   * anyone reads them), then the same view until the next snapshot, so its NBBO is worked out once.
   */
  view?: MarketView;
  readonly timestamp: string;
}

export type SnapshotListener = (symbol: string) => void;

/**
 * The market as a process other than the marketdata-simulator sees it (distributed mode): the
 * latest MarketSnapshot per symbol from the market feed (Redis' marketdata.quotes channel), with
 * each venue's profile (kind, fees, protection) from configuration. Older snapshots, redelivered
 * or reordered, are ignored.
 */
export class MarketFeedReplica implements MarketDataView {
  private readonly markets = new Map<string, HeldMarket>();
  private readonly profiles: ReadonlyMap<string, VenueProfile>;
  private readonly listeners = new Set<SnapshotListener>();

  constructor(profiles: readonly VenueProfile[]) {
    this.profiles = new Map(profiles.map((p) => [p.name, p]));
  }

  apply(snapshot: MarketSnapshot): void {
    const held = this.markets.get(snapshot.symbol);
    if (held && held.timestamp > snapshot.timestamp) return;
    this.markets.set(snapshot.symbol, {
      referencePrice: snapshot.referencePrice === null ? null : (parsePrice(snapshot.referencePrice) ?? null),
      venues: snapshot.venues,
      timestamp: snapshot.timestamp,
    });
    for (const listener of this.listeners) listener(snapshot.symbol);
  }

  /** Called after each applied snapshot (quote streams, the quote cache); returns unsubscribe. */
  onSnapshot(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Symbols seen so far; a process is ready to route or check risk once its symbols are here. */
  symbols(): string[] {
    return [...this.markets.keys()];
  }

  venueProfile(name: string): VenueProfile | undefined {
    return this.profiles.get(name);
  }

  referencePrice(symbol: string): Price | null {
    return this.markets.get(symbol)?.referencePrice ?? null;
  }

  quotes(symbol: string): VenueQuote[] {
    return this.marketView(symbol).venues.flatMap((book) => {
      if (book.profile.kind !== 'LIT') return [];
      const bid = book.bids[0];
      const ask = book.asks[0];
      return [{ venue: book.profile.name, bidPrice: bid?.price ?? null, bidSize: bid?.size ?? 0, askPrice: ask?.price ?? null, askSize: ask?.size ?? 0 }];
    });
  }

  marketView(symbol: string): MarketView {
    const held = this.markets.get(symbol);
    if (held?.view) return held.view;
    const depth = new Map(held?.venues.map((v) => [v.venue, v]));
    const venues = [...this.profiles.values()].map((profile): VenueBook => {
      const book = profile.kind === 'LIT' ? depth.get(profile.name) : undefined;
      return { profile, bids: book ? levels(book.bids) : [], asks: book ? levels(book.asks) : [] };
    });
    const view = { venues };
    if (held) held.view = view;
    return view;
  }
}

function levels(raw: VenueDepth['bids']): PriceLevel[] {
  return raw.flatMap(([price, size]) => {
    const parsed = parsePrice(price);
    return parsed === undefined || !(size > 0) ? [] : [{ price: parsed, size }];
  });
}
