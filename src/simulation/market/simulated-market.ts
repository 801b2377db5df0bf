import type { Price } from '../../domain/money/price.js';
import type { VenueQuote } from '../../domain/routing/types.js';
import type { MarketDataView } from '../../ports/market-data.js';
import { ROUND_LOT, type MarketConfig, type SimulatedSymbol, type SimulatedVenue } from './config.js';
import { OrderBook } from './order-book.js';
import { SeededRandom } from './random.js';

/**
 * A reproducible market: each symbol's fair price takes a seeded random walk in whole ticks, and
 * each venue quotes several levels around it with its own spread and sizes. Trades take liquidity
 * out of a venue's book; later steps put it back. Both the router (through quotes) and the venues'
 * matching engines (through books) see this same market.
 */
export class SimulatedMarket implements MarketDataView {
  private readonly random: SeededRandom;
  private readonly fair = new Map<string, Price>();
  private readonly books = new Map<string, OrderBook>();
  private readonly symbolConfig = new Map<string, SimulatedSymbol>();

  constructor(private readonly config: MarketConfig) {
    this.random = new SeededRandom(config.seed);
    for (const symbol of config.symbols) {
      this.symbolConfig.set(symbol.symbol, symbol);
      this.fair.set(symbol.symbol, symbol.startPrice);
      for (const venue of config.venues) {
        const book = new OrderBook();
        this.books.set(bookKey(venue.name, symbol.symbol), book);
        this.refresh(book, venue, symbol, true);
      }
    }
  }

  symbols(): string[] {
    return this.config.symbols.map((s) => s.symbol);
  }

  venues(): string[] {
    return this.config.venues.map((v) => v.name);
  }

  /** Advances simulated time by one step: fair prices move, books follow and refill. */
  step(): void {
    for (const symbol of this.config.symbols) {
      const move = BigInt(this.random.int(-1, 1)) * symbol.tick;
      const next = this.fair.get(symbol.symbol)! + move;
      if (next > symbol.tick * 10n) this.fair.set(symbol.symbol, next as Price);
      for (const venue of this.config.venues) this.refresh(this.book(venue.name, symbol.symbol)!, venue, symbol, false);
    }
  }

  book(venue: string, symbol: string): OrderBook | undefined {
    return this.books.get(bookKey(venue, symbol));
  }

  tick(symbol: string): Price | undefined {
    return this.symbolConfig.get(symbol)?.tick;
  }

  quotes(symbol: string): VenueQuote[] {
    return this.config.venues.flatMap((venue) => {
      const book = this.book(venue.name, symbol);
      if (!book) return [];
      const bid = book.best('bid');
      const ask = book.best('ask');
      return [{ venue: venue.name, bidPrice: bid?.price ?? null, bidSize: bid?.size ?? 0, askPrice: ask?.price ?? null, askSize: ask?.size ?? 0 }];
    });
  }

  referencePrice(symbol: string): Price | null {
    return this.fair.get(symbol) ?? null;
  }

  /** Re-centres the venue's book on the fair price: removes levels that moved through it, fills the rest. */
  private refresh(book: OrderBook, venue: SimulatedVenue, symbol: SimulatedSymbol, initial: boolean): void {
    const fair = this.fair.get(symbol.symbol)!;
    const offset = BigInt(venue.halfSpreadTicks) * symbol.tick;
    const bestBid = fair - offset;
    const bestAsk = fair + offset;
    const depth = BigInt(venue.levels - 1) * symbol.tick;
    book.retain('bid', (p) => p <= bestBid && p >= bestBid - depth);
    book.retain('ask', (p) => p >= bestAsk && p <= bestAsk + depth);
    for (let level = 0n; level < BigInt(venue.levels); level++) {
      for (const [side, price] of [['bid', bestBid - level * symbol.tick], ['ask', bestAsk + level * symbol.tick]] as const) {
        const current = book.sizeAt(side, price as Price);
        const target = this.random.int(1, venue.maxLotsPerLevel) * ROUND_LOT;
        const refill = initial || current === 0 ? target : Math.min(target, current + venue.replenishLotsPerStep * ROUND_LOT);
        book.set(side, price as Price, Math.max(current, refill));
      }
    }
  }
}

const bookKey = (venue: string, symbol: string): string => `${venue}|${symbol}`;
