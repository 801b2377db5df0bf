import { ROUND_LOT } from './market-config.js';
import type { BookSide } from './order-book.js';
import type { SeededRandom } from './random.js';

/**
 * A dark pool's hidden interest per symbol: shares other participants would trade at the mid,
 * buyers ('bid') and sellers ('ask'). It is redrawn every market step, from nothing up to
 * `maxLots` round lots, and is often nothing at all, as real dark pools are.
 */
export class HiddenLiquidity {
  private readonly shares = new Map<string, Record<BookSide, number>>();

  constructor(
    private readonly random: SeededRandom,
    private readonly maxLots: number,
  ) {}

  available(symbol: string, side: BookSide): number {
    return this.shares.get(symbol)?.[side] ?? 0;
  }

  /** Removes up to `size` shares of `side` interest; returns what was taken. */
  take(symbol: string, side: BookSide, size: number): number {
    const current = this.shares.get(symbol);
    if (!current) return 0;
    const taken = Math.min(current[side], size);
    current[side] -= taken;
    return taken;
  }

  /** A new step: earlier interest has gone, new interest arrived. A third of the draws are empty. */
  replenish(symbol: string): void {
    const draw = (): number => Math.max(0, this.random.int(-Math.floor(this.maxLots / 2), this.maxLots)) * ROUND_LOT;
    this.shares.set(symbol, { bid: draw(), ask: draw() });
  }
}
