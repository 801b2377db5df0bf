import type { Price } from '../../domain/money/price.js';

export interface Level {
  readonly price: Price;
  readonly size: number;
}

export type BookSide = 'bid' | 'ask';

/**
 * One venue's displayed liquidity for one symbol: price levels per side. Bids are kept best
 * (highest) first, asks best (lowest) first.
 */
export class OrderBook {
  private readonly sides: Record<BookSide, Map<Price, number>> = { bid: new Map(), ask: new Map() };
  /** Sorted levels kept until the side changes: the router and the venues read far more often than quotes move. */
  private readonly sorted: Record<BookSide, readonly Level[] | undefined> = { bid: undefined, ask: undefined };

  levels(side: BookSide): readonly Level[] {
    const cached = this.sorted[side];
    if (cached) return cached;
    const entries = [...this.sides[side]].filter(([, size]) => size > 0).map(([price, size]) => ({ price, size }));
    const better = side === 'bid' ? (a: Level, b: Level) => a.price > b.price : (a: Level, b: Level) => a.price < b.price;
    const levels = Object.freeze(entries.sort((a, b) => (a.price === b.price ? 0 : better(a, b) ? -1 : 1)));
    this.sorted[side] = levels;
    return levels;
  }

  best(side: BookSide): Level | undefined {
    return this.levels(side)[0];
  }

  sizeAt(side: BookSide, price: Price): number {
    return this.sides[side].get(price) ?? 0;
  }

  set(side: BookSide, price: Price, size: number): void {
    this.sorted[side] = undefined;
    if (size > 0) this.sides[side].set(price, size);
    else this.sides[side].delete(price);
  }

  /** Removes up to `size` at `price`; returns what was taken. */
  take(side: BookSide, price: Price, size: number): number {
    const available = this.sizeAt(side, price);
    const taken = Math.min(available, size);
    this.set(side, price, available - taken);
    return taken;
  }

  /** Drops every level on `side` for which `keep` is false. */
  retain(side: BookSide, keep: (price: Price) => boolean): void {
    this.sorted[side] = undefined;
    for (const price of [...this.sides[side].keys()]) if (!keep(price)) this.sides[side].delete(price);
  }
}
