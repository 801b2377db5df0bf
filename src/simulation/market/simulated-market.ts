import type { MarketSnapshot } from '../../domain/events/messages.js';
import { parsePrice, type Price } from '../../domain/money/price.js';
import type { VenueQuote } from '../../domain/routing/types.js';
import type { MarketView, VenueBook, VenueProfile } from '../../domain/routing/venue-book.js';
import type { MarketDataView } from '../../ports/market-data.js';
import { DEFAULT_SYMBOLS, ROUND_LOT, simulatedVenues, toVenueProfile, type MarketConfig, type SimulatedSymbol, type SimulatedVenue } from './market-config.js';
import { HiddenLiquidity } from './hidden-liquidity.js';
import { OrderBook, type Level } from './order-book.js';
import { SeededRandom } from './random.js';

/** The project's market (DEFAULT_SYMBOLS) seeded with `seed`, on simulated venues of the configured names. */
export function simulatedMarket(seed: number, venues: readonly { readonly name: string }[]): SimulatedMarket {
  return new SimulatedMarket({ seed, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(venues.map((v) => v.name)) });
}

/**
 * A reproducible market: each symbol's fair price takes a seeded random walk in whole ticks, and
 * each lit venue quotes several levels around it with its own spread and sizes; dark pools hold
 * hidden interest instead. Trades take liquidity out of a venue; later steps put it back. Both the
 * router (through quotes and marketView) and the venues' matching engines see this same market.
 */
export class SimulatedMarket implements MarketDataView {
  private readonly random: SeededRandom;
  /** A second stream for spread tightening and dark interest, so the lit books' draws stay as they were. */
  private readonly texture: SeededRandom;
  private readonly fair = new Map<string, Price>();
  private readonly books = new Map<string, OrderBook>();
  private readonly hidden = new Map<string, HiddenLiquidity>();
  private readonly symbolConfig = new Map<string, SimulatedSymbol>();
  private readonly profiles = new Map<string, VenueProfile>();
  /** Each symbol's last marketView, handed out again while its books stay as they were. */
  private readonly views = new Map<string, MarketView>();

  constructor(private readonly config: MarketConfig) {
    this.random = new SeededRandom(config.seed);
    this.texture = new SeededRandom(config.seed ^ 0x5eed);
    for (const venue of config.venues) {
      this.profiles.set(venue.name, toVenueProfile(venue));
      if (venue.kind === 'DARK') this.hidden.set(venue.name, new HiddenLiquidity(this.texture, venue.maxHiddenLots));
    }
    for (const symbol of config.symbols) {
      this.symbolConfig.set(symbol.symbol, symbol);
      this.fair.set(symbol.symbol, symbol.startPrice);
      for (const venue of this.litVenues()) {
        const book = new OrderBook();
        this.books.set(bookKey(venue.name, symbol.symbol), book);
        this.refresh(book, venue, symbol, true);
      }
      for (const pool of this.hidden.values()) pool.replenish(symbol.symbol);
    }
  }

  symbols(): string[] {
    return this.config.symbols.map((s) => s.symbol);
  }

  venues(): string[] {
    return this.config.venues.map((v) => v.name);
  }

  venueProfile(name: string): VenueProfile | undefined {
    return this.profiles.get(name);
  }

  /** Advances simulated time by one step: fair prices move, books follow and refill, dark interest is redrawn. */
  step(): void {
    for (const symbol of this.config.symbols) {
      const move = BigInt(this.random.int(-1, 1)) * symbol.tick;
      const next = this.fair.get(symbol.symbol)! + move;
      if (next > symbol.tick * 10n) this.fair.set(symbol.symbol, next as Price);
      for (const venue of this.litVenues()) this.refresh(this.book(venue.name, symbol.symbol)!, venue, symbol, false);
      for (const pool of this.hidden.values()) pool.replenish(symbol.symbol);
    }
  }

  /**
   * Takes a symbol's market from a snapshot instead of stepping it (a broker simulator following
   * the marketdata-simulator's feed): the fair price and every lit book as published, and new
   * dark interest as a step would draw. Venues or symbols this market does not know are ignored.
   */
  load(snapshot: MarketSnapshot): void {
    const reference = snapshot.referencePrice === null ? undefined : parsePrice(snapshot.referencePrice);
    if (!this.symbolConfig.has(snapshot.symbol) || reference === undefined) return;
    this.fair.set(snapshot.symbol, reference);
    for (const depth of snapshot.venues) {
      const book = this.book(depth.venue, snapshot.symbol);
      if (!book) continue;
      for (const [side, levels] of [
        ['bid', depth.bids],
        ['ask', depth.asks],
      ] as const) {
        book.retain(side, () => false);
        for (const [price, size] of levels) {
          const parsed = parsePrice(price);
          if (parsed !== undefined) book.set(side, parsed, size);
        }
      }
    }
    for (const pool of this.hidden.values()) pool.replenish(snapshot.symbol);
  }

  /** A lit venue's displayed book; undefined for a dark pool or an unknown symbol. */
  book(venue: string, symbol: string): OrderBook | undefined {
    return this.books.get(bookKey(venue, symbol));
  }

  /** A dark pool's hidden interest; undefined for a lit venue. */
  hiddenLiquidity(venue: string): HiddenLiquidity | undefined {
    return this.hidden.get(venue);
  }

  tick(symbol: string): Price | undefined {
    return this.symbolConfig.get(symbol)?.tick;
  }

  /** Top of book per lit venue; dark pools display no quote. */
  quotes(symbol: string): VenueQuote[] {
    return this.litVenues().flatMap((venue) => {
      const book = this.book(venue.name, symbol);
      if (!book) return [];
      const bid = book.best('bid');
      const ask = book.best('ask');
      return [{ venue: venue.name, bidPrice: bid?.price ?? null, bidSize: bid?.size ?? 0, askPrice: ask?.price ?? null, askSize: ask?.size ?? 0 }];
    });
  }

  /**
   * Every venue's depth for the router; a dark pool's book is empty. The same view again while the
   * symbol's books have not changed (each side's levels are kept until it changes), so what is
   * worked out from a view, such as its NBBO (consolidatedNbbo), is worked out once per market.
   */
  marketView(symbol: string): MarketView {
    const last = this.views.get(symbol);
    if (last && last.venues.every((venue) => this.sameDepth(venue, symbol))) return last;
    const venues = this.config.venues.map((venue): VenueBook => {
      const book = this.book(venue.name, symbol);
      return { profile: this.profiles.get(venue.name)!, bids: book?.levels('bid') ?? NO_LEVELS, asks: book?.levels('ask') ?? NO_LEVELS };
    });
    const view = { venues };
    this.views.set(symbol, view);
    return view;
  }

  private sameDepth(venue: VenueBook, symbol: string): boolean {
    const book = this.book(venue.profile.name, symbol);
    return (book?.levels('bid') ?? NO_LEVELS) === venue.bids && (book?.levels('ask') ?? NO_LEVELS) === venue.asks;
  }

  referencePrice(symbol: string): Price | null {
    return this.fair.get(symbol) ?? null;
  }

  private litVenues(): readonly SimulatedVenue[] {
    return this.config.venues.filter((v) => v.kind === 'LIT');
  }

  /**
   * Re-centres the venue's book on the fair price: removes levels that moved through it, fills the
   * rest. A venue wider than a tick may tighten either side this step, so the best venue varies.
   */
  private refresh(book: OrderBook, venue: SimulatedVenue, symbol: SimulatedSymbol, initial: boolean): void {
    const fair = this.fair.get(symbol.symbol)!;
    const offset = (): bigint => BigInt(venue.halfSpreadTicks - this.texture.int(0, venue.halfSpreadTicks - 1)) * symbol.tick;
    const bestBid = fair - offset();
    const bestAsk = fair + offset();
    const depth = BigInt(venue.levels - 1) * symbol.tick;
    book.retain('bid', (p) => p <= bestBid && p >= bestBid - depth);
    book.retain('ask', (p) => p >= bestAsk && p <= bestAsk + depth);
    for (let level = 0n; level < BigInt(venue.levels); level++) {
      for (const [side, price] of [
        ['bid', bestBid - level * symbol.tick],
        ['ask', bestAsk + level * symbol.tick],
      ] as const) {
        const current = book.sizeAt(side, price as Price);
        const target = this.random.int(1, venue.maxLotsPerLevel) * ROUND_LOT;
        const refill = initial || current === 0 ? target : Math.min(target, current + venue.replenishLotsPerStep * ROUND_LOT);
        book.set(side, price as Price, Math.max(current, refill));
      }
    }
  }
}

const bookKey = (venue: string, symbol: string): string => `${venue}|${symbol}`;

/** A side with no levels (a dark pool's), one array for all: an empty side is the same side. */
const NO_LEVELS: readonly Level[] = Object.freeze([]);
