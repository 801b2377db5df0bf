import type { Price } from '../money/price.js';
import { compareForTaker } from './side-prices.js';

/** Displayed size at one price on one venue. */
export interface PriceLevel {
  readonly price: Price;
  readonly size: number;
}

export type VenueKind = 'LIT' | 'DARK';

/**
 * What the router knows of a venue. Fees and rebates are per share at the price scale; a negative
 * taker fee is a rebate to takers (inverted venue). Only a protected lit venue's top of book is
 * protected by Reg NMS Rule 611: dark pools and manual (unprotected) quotes may be traded through.
 */
export interface VenueProfile {
  readonly name: string;
  readonly kind: VenueKind;
  readonly takerFee: Price;
  readonly makerRebate: Price;
  readonly protected: boolean;
}

/** A venue's depth. Dark pools display nothing, so their books are empty. */
export interface VenueBook {
  readonly profile: VenueProfile;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

/** Every venue's book for one symbol at one moment. */
export interface MarketView {
  readonly venues: readonly VenueBook[];
}

export interface VenueTop {
  readonly venue: string;
  readonly price: Price;
  readonly size: number;
}

export type MarketState = 'NORMAL' | 'LOCKED' | 'CROSSED' | 'ONE_SIDED' | 'EMPTY';

/** National best bid and offer from protected quotes, with each venue's protected top. */
export interface Nbbo {
  readonly bid: Price | null;
  readonly ask: Price | null;
  /** (bid + ask) / 2 rounded half up, for display; null unless two-sided. Exact work uses bid + ask. */
  readonly mid: Price | null;
  readonly state: MarketState;
  readonly protectedBids: readonly VenueTop[];
  readonly protectedAsks: readonly VenueTop[];
}

/**
 * Levels a taker on `takerBuys` side can hit, best first, without empty levels: a buyer sees the
 * asks lowest first, a seller the bids highest first. Input order is not trusted.
 */
export function takeableLevels(book: VenueBook, takerBuys: boolean): readonly PriceLevel[] {
  const levels = takerBuys ? book.asks : book.bids;
  // A feed normally sends them so already: checking is cheaper than copying and sorting per route.
  if (isTakeableOrder(levels, takerBuys)) return levels;
  return levels.filter((l) => l.size > 0).sort((a, b) => compareForTaker(a.price, b.price, takerBuys));
}

function isTakeableOrder(levels: readonly PriceLevel[], takerBuys: boolean): boolean {
  for (let i = 0; i < levels.length; i++) {
    if (levels[i]!.size <= 0) return false;
    if (i > 0 && compareForTaker(levels[i - 1]!.price, levels[i]!.price, takerBuys) > 0) return false;
  }
  return true;
}

/** A venue's best bid (side 'BID') or ask with size, or undefined: one pass, no sorting. */
export function topOfBook(book: VenueBook, side: 'BID' | 'ASK'): VenueTop | undefined {
  const takerBuys = side === 'ASK';
  let best: PriceLevel | undefined;
  for (const level of takerBuys ? book.asks : book.bids) {
    if (level.size > 0 && (!best || compareForTaker(level.price, best.price, takerBuys) < 0)) best = level;
  }
  return best && { venue: book.profile.name, price: best.price, size: best.size };
}

export const isProtectedVenue = (profile: VenueProfile): boolean => profile.kind === 'LIT' && profile.protected;

/** A MarketView never changes, so its NBBO is worked out once: the router and its strategies each ask. */
const nbboOfView = new WeakMap<MarketView, Nbbo>();

export function consolidatedNbbo(market: MarketView): Nbbo {
  let nbbo = nbboOfView.get(market);
  if (!nbbo) nbboOfView.set(market, (nbbo = nbboOf(market)));
  return nbbo;
}

function nbboOf(market: MarketView): Nbbo {
  const protectedBids: VenueTop[] = [];
  const protectedAsks: VenueTop[] = [];
  for (const venue of market.venues) {
    if (!isProtectedVenue(venue.profile)) continue;
    const bid = topOfBook(venue, 'BID');
    if (bid) protectedBids.push(bid);
    const ask = topOfBook(venue, 'ASK');
    if (ask) protectedAsks.push(ask);
  }
  protectedBids.sort((a, b) => compareForTaker(a.price, b.price, false));
  protectedAsks.sort((a, b) => compareForTaker(a.price, b.price, true));
  const bid = protectedBids[0]?.price ?? null;
  const ask = protectedAsks[0]?.price ?? null;
  const mid = bid === null || ask === null ? null : (((bid + ask + 1n) / 2n) as Price);
  return { bid, ask, mid, state: marketState(bid, ask), protectedBids, protectedAsks };
}

export function marketState(bid: Price | null, ask: Price | null): MarketState {
  if (bid === null && ask === null) return 'EMPTY';
  if (bid === null || ask === null) return 'ONE_SIDED';
  if (bid === ask) return 'LOCKED';
  return bid > ask ? 'CROSSED' : 'NORMAL';
}

/**
 * The NBBO midpoint as a limit for a midpoint order, or null when there is no usable midpoint
 * (one-sided, empty or crossed: a crossed market has no price both sides agree on). An odd
 * midpoint (half a raw unit) rounds in the order's favour: down for a buyer, up for a seller.
 * A locked market's midpoint is the locked price.
 */
export function midpointLimit(nbbo: Nbbo, buying: boolean): Price | null {
  if (nbbo.bid === null || nbbo.ask === null || nbbo.state === 'CROSSED') return null;
  const sum = nbbo.bid + nbbo.ask;
  const half = sum / 2n;
  return (buying || sum % 2n === 0n ? half : half + 1n) as Price;
}

/** The market without some venues (a venue that rejected us, under Reg NMS self-help). */
export function withoutVenues(market: MarketView, venues: ReadonlySet<string>): MarketView {
  return { venues: market.venues.filter((v) => !venues.has(v.profile.name)) };
}
