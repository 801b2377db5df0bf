import { isBuy, type Side } from '../order/enums.js';
import { takeableLevels, type MarketView, type PriceLevel, type VenueBook } from './venue-book.js';

/** A child this router sent to take liquidity: where, on which side, how many shares. */
export interface Claim {
  readonly venue: string;
  readonly side: Side;
  readonly quantity: number;
}

/** A claim as the router makes it: one child order. */
export interface ChildClaim extends Claim {
  readonly childOrderId: string;
}

/**
 * What a router's children have claimed of the displayed books, taken off them for the next
 * order: per market step (ClaimedLiquidity) or until each child's venue answers (InFlightLiquidity).
 */
export interface LiquidityClaims {
  claim(symbol: string, children: readonly ChildClaim[], at: Date): void;
  /** The symbol's market as the next order should see it; the view itself when nothing is claimed on it. */
  apply(symbol: string, view: MarketView, at: Date): MarketView;
  /** The child's venue answered it: its book shows what the child took. */
  release(childOrderId: string): void;
}

/**
 * Shares claimed per symbol and venue, by buyers (taking asks) and by sellers (taking bids), and
 * the books less them: what ClaimedLiquidity and InFlightLiquidity both keep, for different spans.
 */
export class HeldShares {
  private readonly bySymbol = new Map<string, Map<string, { bought: number; sold: number }>>();

  /** Adds the claims (or, with a sign of -1, takes them back); a venue or symbol left with none is dropped. */
  add(symbol: string, claims: readonly Claim[], sign: 1 | -1 = 1): void {
    if (claims.length === 0) return;
    let venues = this.bySymbol.get(symbol);
    if (!venues) this.bySymbol.set(symbol, (venues = new Map()));
    for (const { venue, side, quantity } of claims) {
      let held = venues.get(venue);
      if (!held) venues.set(venue, (held = { bought: 0, sold: 0 }));
      if (isBuy(side)) held.bought += sign * quantity;
      else held.sold += sign * quantity;
      if (held.bought === 0 && held.sold === 0) venues.delete(venue);
    }
    if (venues.size === 0) this.bySymbol.delete(symbol);
  }

  forget(symbol: string): void {
    this.bySymbol.delete(symbol);
  }

  /**
   * The books less what is held at each venue, taken best price first as the venue will take it;
   * the view itself when nothing is held on the symbol.
   */
  apply(symbol: string, view: MarketView): MarketView {
    const venues = this.bySymbol.get(symbol);
    if (!venues) return view;
    return {
      venues: view.venues.map((book): VenueBook => {
        const held = venues.get(book.profile.name);
        if (!held) return book;
        return {
          profile: book.profile,
          asks: held.bought > 0 ? less(takeableLevels(book, true), held.bought) : book.asks,
          bids: held.sold > 0 ? less(takeableLevels(book, false), held.sold) : book.bids,
        };
      }),
    };
  }
}

/**
 * The displayed liquidity of each symbol's current market step that this router has already sent
 * children to take. An order routed later on the same step sees each venue's book less what is on
 * its way there, taken best price first as the venue will take it: so orders routed together on
 * one step do not all aim at the same displayed shares, where all but the first would miss (an IOC
 * canceled, then routed again). A symbol's claims end with its step (newStep).
 */
export class ClaimedLiquidity implements LiquidityClaims {
  private readonly held = new HeldShares();

  /** The symbol's market moved on: its books show again what the venues display. */
  newStep(symbol: string): void {
    this.held.forget(symbol);
  }

  claim(symbol: string, claims: readonly Claim[]): void {
    this.held.add(symbol, claims);
  }

  apply(symbol: string, view: MarketView): MarketView {
    return this.held.apply(symbol, view);
  }

  /** Nothing to do: the claims of a step end with the step, answered or not. */
  release(): void {}
}

/** Levels (best first) less `claimed` shares taken from the best level on. */
function less(levels: readonly PriceLevel[], claimed: number): PriceLevel[] {
  const left: PriceLevel[] = [];
  let owed = claimed;
  for (const level of levels) {
    const taken = Math.min(owed, level.size);
    owed -= taken;
    if (level.size > taken) left.push(taken === 0 ? level : { price: level.price, size: level.size - taken });
  }
  return left;
}
