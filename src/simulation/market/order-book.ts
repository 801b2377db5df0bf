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

  levels(side: BookSide): Level[] {
    const entries = [...this.sides[side]].filter(([, size]) => size > 0).map(([price, size]) => ({ price, size }));
    const better = side === 'bid' ? (a: Level, b: Level) => a.price > b.price : (a: Level, b: Level) => a.price < b.price;
    return entries.sort((a, b) => (a.price === b.price ? 0 : better(a, b) ? -1 : 1));
  }

  best(side: BookSide): Level | undefined {
    return this.levels(side)[0];
  }

  sizeAt(side: BookSide, price: Price): number {
    return this.sides[side].get(price) ?? 0;
  }

  set(side: BookSide, price: Price, size: number): void {
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
    for (const price of [...this.sides[side].keys()]) if (!keep(price)) this.sides[side].delete(price);
  }
}
