import { HeldShares, type ChildClaim, type LiquidityClaims } from './claimed-liquidity.js';
import type { MarketView } from './venue-book.js';

interface OpenClaim extends ChildClaim {
  readonly symbol: string;
  readonly atMs: number;
}

/** A claim whose child has had no answer this long is dropped (a session down, a child never sent). */
const DEFAULT_MAX_AGE_MS = 5_000;

/**
 * Shares this router sent children to take that their venues have not answered yet. A router that
 * reads the venues' own books (embedded mode's) sees a book depleted by a child only once the
 * venue has the child: orders routed before that (the turns of one journal write, a burst) would
 * all aim at the same displayed shares, and all but the first miss (an IOC canceled, then routed
 * again, or a MARKET order canceled). Each order sees the books less what is on its way. A claim
 * ends with the venue's first answer to its child (release), or after maxAgeMs without one.
 */
export class InFlightLiquidity implements LiquidityClaims {
  /** By child, in the order claimed: the oldest first. */
  private readonly open = new Map<string, OpenClaim>();
  private readonly held = new HeldShares();

  constructor(private readonly maxAgeMs = DEFAULT_MAX_AGE_MS) {}

  claim(symbol: string, children: readonly ChildClaim[], at: Date): void {
    const atMs = at.getTime();
    const fresh: OpenClaim[] = [];
    for (const { childOrderId, venue, side, quantity } of children) {
      if (this.open.has(childOrderId)) continue;
      const claim = { symbol, atMs, childOrderId, venue, side, quantity };
      this.open.set(childOrderId, claim);
      fresh.push(claim);
    }
    this.held.add(symbol, fresh);
  }

  apply(symbol: string, view: MarketView, at: Date): MarketView {
    this.expire(at.getTime());
    return this.held.apply(symbol, view);
  }

  release(childOrderId: string): void {
    const claim = this.open.get(childOrderId);
    if (!claim) return;
    this.open.delete(childOrderId);
    this.held.add(claim.symbol, [claim], -1);
  }

  /** Children claimed and not answered yet. */
  get size(): number {
    return this.open.size;
  }

  private expire(nowMs: number): void {
    for (const [childOrderId, claim] of this.open) {
      if (nowMs - claim.atMs < this.maxAgeMs) return;
      this.release(childOrderId);
    }
  }
}
